/* beacon-sip-lan-agent.c — the LAN mode's SIP endpoint: a layer on the one core
 *
 * start binds the UDP port (any free one unless told) on the agent's
 * BeaconSipCore; the core routes every event to the watcher, subscription
 * or message whose handle it is, and gives incoming SUBSCRIBEs to the
 * notifier. stop says goodbye (terminated NOTIFYs to the watchers,
 * un-SUBSCRIBEs, bounded in time), then the core shuts down (bounded too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include <string.h>

#include "beacon-sip-error.h"

/* Bounds of stop(): the goodbyes, then nua_shutdown. */
#define GOODBYE_TIMEOUT_MS  3000
#define SHUTDOWN_TIMEOUT_MS 3000
/* Ports tried when any free one will do. */
#define BIND_ATTEMPTS       8

G_DEFINE_FINAL_TYPE (BeaconSipLanAgent, beacon_sip_lan_agent, G_TYPE_OBJECT)

enum {
  WATCHER,
  SUBSCRIPTION_STATE,
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers for the other files ------------------------------------------ */

BeaconSubHandling
beacon_sip_lan_agent_lookup (BeaconSipLanAgent *self,
                             const char        *uri)
{
  return self->policy != NULL ? self->policy (uri, self->policy_data) : BEACON_SUB_HANDLING_BLOCK;
}

void
beacon_sip_lan_agent_emit_watcher (BeaconSipLanAgent *self,
                                   const char        *uri,
                                   const char        *state)
{
  g_signal_emit (self, signals[WATCHER], 0, uri, state);
}

void
beacon_sip_lan_agent_emit_subscription (BeaconSipLanAgent    *self,
                                        const char           *uri,
                                        BeaconSipLanSubState  state,
                                        guint                 status,
                                        const char           *reason,
                                        guint                 retry_after,
                                        const char           *content_type,
                                        GBytes               *body)
{
  g_signal_emit (self, signals[SUBSCRIPTION_STATE], 0, uri, state, status, reason, retry_after,
                 content_type, body);
}

/* ---- start ---------------------------------------------------------------- */

/* A free UDP port on the bind address, for nua to take right after. */
static guint
probe_port (const char *bind_address)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;

  inet = bind_address ? g_inet_address_new_from_string (bind_address) : NULL;
  if (inet == NULL)
    inet = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, NULL);
  address = g_inet_socket_address_new (inet, 0);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (socket, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

gboolean
beacon_sip_lan_agent_start (BeaconSipLanAgent  *self,
                            GError            **error)
{
  const char *host = self->bind_address ? self->bind_address : "*";
  gboolean v6 = strchr (host, ':') != NULL;
  guint attempts = self->port != 0 ? 1 : BIND_ATTEMPTS;

  gboolean started = FALSE;

  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  g_return_val_if_fail (beacon_sip_core_get_nua (self->core) == NULL, FALSE);

  for (guint i = 0; i < attempts && !started; i++)
    {
      guint port = self->port != 0 ? self->port : probe_port (self->bind_address);
      g_autofree char *url = g_strdup_printf ("sip:%s%s%s:%u;transport=udp", v6 ? "[" : "",
                                              host, v6 ? "]" : "", port);

      if (port == 0)
        continue;
      started = beacon_sip_core_start (self->core, url, NULL,
                                       NUTAG_M_USERNAME (self->user),
                                       NUTAG_ALLOW ("SUBSCRIBE, NOTIFY, MESSAGE"),
                                       NUTAG_ALLOW_EVENTS ("presence"),
                                       /* We answer SUBSCRIBE (the notifier)
                                        * and MESSAGE (a stranger over the
                                        * limits gets 429, not 200). */
                                       NUTAG_APPL_METHOD ("SUBSCRIBE, MESSAGE"),
                                       TAG_END ());
      if (started)
        {
          self->port = port;
          g_debug ("%s listens on %s", self->aor, url);
        }
    }
  if (!started)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Could not open the SIP port %s:%u", host, self->port);
      return FALSE;
    }
  return TRUE;
}

gboolean
beacon_sip_lan_agent_is_running (BeaconSipLanAgent *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  return beacon_sip_core_is_running (self->core) && self->stop_task == NULL;
}

guint
beacon_sip_lan_agent_get_port (BeaconSipLanAgent *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), 0);
  return self->port;
}

void
beacon_sip_lan_agent_set_policy (BeaconSipLanAgent      *self,
                                 BeaconSipLanPolicyFunc  func,
                                 gpointer                user_data)
{
  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  self->policy = func;
  self->policy_data = user_data;
}

void
beacon_sip_lan_agent_set_admit (BeaconSipLanAgent     *self,
                                BeaconSipLanAdmitFunc  func,
                                gpointer               user_data)
{
  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  self->admit = func;
  self->admit_data = user_data;
}

gboolean
beacon_sip_lan_agent_admit (BeaconSipLanAgent *self,
                            const char        *uri,
                            guint             *retry_after_s)
{
  g_autofree char *address = NULL;

  if (self->admit == NULL)
    return TRUE;
  /* Where the request came from on the network: a forged From cannot
   * spread one host's flood over many buckets. */
  address = beacon_sip_core_request_address (self->core);
  return self->admit (uri, address, retry_after_s, self->admit_data);
}

void
beacon_sip_lan_agent_set_presence (BeaconSipLanAgent *self,
                                   BeaconStatus       status,
                                   const char        *note)
{
  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  self->status = status;
  g_free (self->note);
  self->note = g_strdup (note);
  if (beacon_sip_lan_agent_is_running (self))
    beacon_sip_lan_agent_update_watchers (self, NULL);
}

/* ---- stop ----------------------------------------------------------------- */

static void
drop_all_handles (BeaconSipLanAgent *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_remove_all (self->watchers);
  g_hash_table_remove_all (self->subscriptions);
  g_hash_table_remove_all (self->ending);
  /* Their answers free them, and say nothing now. */
  g_hash_table_iter_init (&iter, self->messages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    beacon_sip_lan_message_cancel (key);
  g_hash_table_remove_all (self->messages);
}

static void
core_shut_down (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BeaconSipLanAgent) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  beacon_sip_core_shutdown_finish (BEACON_SIP_CORE (source), result, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

/* Goodbyes answered (or not in time): take the stack down. */
static void
goodbyes_done (BeaconSipLanAgent *self)
{
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  /* Freeing the handles counts their goodbyes: none is waited for now. */
  self->goodbyes = G_MAXUINT / 2;
  drop_all_handles (self);
  self->goodbyes = 0;
  beacon_sip_core_shutdown_async (self->core, SHUTDOWN_TIMEOUT_MS, NULL, core_shut_down,
                                  g_object_ref (self));
}

static void
goodbye_timeout_cb (gpointer user_data)
{
  BeaconSipLanAgent *self = user_data;

  self->stop_timeout_id = 0;
  g_debug ("%u goodbyes unanswered", self->goodbyes);
  goodbyes_done (self);
}

void
beacon_sip_lan_agent_goodbye_done (BeaconSipLanAgent *self)
{
  if (self->goodbyes == 0)
    return;
  self->goodbyes--;
  if (self->goodbyes == 0 && self->stop_task != NULL && self->stop_timeout_id != 0 &&
      !self->disposing)
    {
      /* Not from inside the freeing of a handle: from the loop. */
      g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
      self->stop_timeout_id = g_timeout_add_once (0, goodbye_timeout_cb, self);
    }
}

void
beacon_sip_lan_agent_stop_async (BeaconSipLanAgent   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_sip_lan_agent_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The SIP endpoint is already stopping");
      return;
    }
  if (beacon_sip_core_get_nua (self->core) == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  self->goodbyes += beacon_sip_lan_notifier_terminate_all (self);
  self->goodbyes += beacon_sip_lan_unsubscribe_all (self);
  g_debug ("stopping: %u goodbyes", self->goodbyes);
  self->stop_timeout_id = g_timeout_add_once (self->goodbyes > 0 ? GOODBYE_TIMEOUT_MS : 0,
                                              goodbye_timeout_cb, self);
}

gboolean
beacon_sip_lan_agent_stop_finish (BeaconSipLanAgent  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------- */

static void
beacon_sip_lan_agent_dispose (GObject *object)
{
  BeaconSipLanAgent *self = BEACON_SIP_LAN_AGENT (object);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  self->disposing = TRUE;
  self->goodbyes = 0;
  drop_all_handles (self);
  /* Not stopped with stop_async(): the core takes the stack down in its
   * dispose, bounded. */
  if (self->core != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->core, self);
      beacon_sip_core_set_request_func (self->core, NULL, NULL);
    }
  g_clear_object (&self->core);

  G_OBJECT_CLASS (beacon_sip_lan_agent_parent_class)->dispose (object);
}

static void
beacon_sip_lan_agent_finalize (GObject *object)
{
  BeaconSipLanAgent *self = BEACON_SIP_LAN_AGENT (object);

  g_clear_pointer (&self->watchers, g_hash_table_unref);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);
  g_clear_pointer (&self->ending, g_hash_table_unref);
  g_clear_pointer (&self->messages, g_hash_table_unref);
  g_free (self->aor);
  g_free (self->user);
  g_free (self->bind_address);
  g_free (self->note);

  G_OBJECT_CLASS (beacon_sip_lan_agent_parent_class)->finalize (object);
}

static void
beacon_sip_lan_agent_class_init (BeaconSipLanAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_lan_agent_dispose;
  object_class->finalize = beacon_sip_lan_agent_finalize;

  signals[WATCHER] =
    g_signal_new ("watcher", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SUBSCRIPTION_STATE] =
    g_signal_new ("subscription-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 7,
                  G_TYPE_STRING, G_TYPE_INT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_UINT,
                  G_TYPE_STRING, G_TYPE_BYTES);
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BYTES, G_TYPE_STRING);
}

static void
beacon_sip_lan_agent_init (BeaconSipLanAgent *self)
{
  self->watchers = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) beacon_sip_lan_watcher_free,
                                          NULL);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) beacon_sip_lan_subscription_free);
  self->ending = g_hash_table_new_full (NULL, NULL,
                                        (GDestroyNotify) beacon_sip_lan_subscription_free, NULL);
  self->messages = g_hash_table_new (NULL, NULL);
}

BeaconSipLanAgent *
beacon_sip_lan_agent_new (const char *aor,
                          const char *user,
                          const char *bind_address,
                          guint       port)
{
  BeaconSipLanAgent *self;

  g_return_val_if_fail (aor != NULL && user != NULL, NULL);

  self = g_object_new (BEACON_TYPE_SIP_LAN_AGENT, NULL);
  self->aor = g_strdup (aor);
  self->user = g_strdup (user);
  self->bind_address = g_strdup (bind_address);
  self->port = port;
  self->core = beacon_sip_core_new (aor, beacon_sip_url_aor);
  beacon_sip_core_set_request_func (self->core, beacon_sip_lan_notifier_incoming, self);
  g_signal_connect (self->core, "message-received", G_CALLBACK (beacon_sip_lan_message_received),
                    self);
  return self;
}
