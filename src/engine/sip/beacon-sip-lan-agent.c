/* beacon-sip-lan-agent.c — the LAN mode's SIP endpoint: nua on our main loop
 *
 * start binds the UDP port (any free one unless told); every nua event is
 * routed to the watcher, subscription or message its handle belongs to.
 * stop says goodbye (terminated NOTIFYs to the watchers, un-SUBSCRIBEs,
 * bounded in time) and shuts nua down (bounded too). MESSAGEs out and in
 * are in beacon-sip-lan-messages.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include <string.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>

#include "beacon-account.h"
#include "beacon-sip-stack.h"
#include "beacon-sip-ua-private.h"

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

static void shutdown_stack (BeaconSipLanAgent *self);

/* ---- helpers for the other files ------------------------------------------ */

char *
beacon_sip_lan_url_aor (const url_t *url)
{
  g_autofree char *host = NULL;

  if (url == NULL || url->url_user == NULL || url->url_host == NULL || *url->url_user == '\0')
    return NULL;
  host = g_ascii_strdown (url->url_host, -1);
  return g_strdup_printf ("%s:%s@%s", url->url_type == url_sips ? "sips" : "sip",
                          url->url_user, host);
}

void
beacon_sip_lan_handle_clear (nua_handle_t **nh)
{
  if (*nh == NULL)
    return;
  nua_handle_bind (*nh, NULL);
  nua_handle_destroy (*nh);
  *nh = NULL;
}

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
                                        const sip_t          *sip)
{
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;

  if (sip != NULL && sip->sip_payload != NULL && sip->sip_payload->pl_len > 0)
    {
      content_type = beacon_sip_content_type_string (sip->sip_content_type);
      body = beacon_sip_payload_bytes (sip);
    }
  g_signal_emit (self, signals[SUBSCRIPTION_STATE], 0, uri, state, status, reason, retry_after,
                 content_type, body);
}

/* ---- the nua callback ----------------------------------------------------- */

static void
nua_callback (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              sip_t const  *sip,
              tagi_t        tags[])
{
  BeaconSipLanAgent *self = magic;
  LanHandleKind *kind = hmagic;

  g_debug ("%s: %03d %s", nua_event_name (event), status, phrase ? phrase : "");

  if (event == nua_r_shutdown)
    {
      if (status >= 200)
        {
          self->nua_shut_down = TRUE;
          if (!self->disposing)
            shutdown_stack (self);
        }
      return;
    }
  if (self->disposing)
    return;

  if (kind == NULL)
    {
      switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
        {
        case nua_i_subscribe:
          beacon_sip_lan_notifier_incoming (self, nh, status, sip, tags);
          return;  /* it owns @nh now */
        case nua_i_message:
          beacon_sip_lan_message_incoming (self, nh, sip);
          break;
        case nua_i_invite:
        case nua_i_publish:
        case nua_i_register:
          nua_respond (nh, SIP_405_METHOD_NOT_ALLOWED, NUTAG_WITH_THIS (nua), TAG_END ());
          break;
        default:
          break;
        }
      if (nh != NULL && event != nua_i_error && event != nua_r_set_params &&
          event != nua_r_get_params)
        nua_handle_destroy (nh);
      return;
    }

  switch (*kind)
    {
    case LAN_HANDLE_WATCHER:
      beacon_sip_lan_watcher_event (self, (LanWatcher *) kind, event, status, sip, tags);
      break;
    case LAN_HANDLE_SUBSCRIPTION:
      beacon_sip_lan_subscription_event (self, (LanSubscription *) kind, event, status, sip,
                                         tags);
      break;
    case LAN_HANDLE_MESSAGE:
      beacon_sip_lan_message_event (self, (LanMessage *) kind, event, status, phrase);
      break;
    default:
      break;
    }
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

  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);

  if (self->root == NULL)
    {
      self->root = beacon_sip_root_new (self, &self->root_source, BEACON_ACCOUNT_ERROR,
                                        BEACON_ACCOUNT_ERROR_FAILED, error);
      if (self->root == NULL)
        return FALSE;
    }

  for (guint i = 0; i < attempts && self->nua == NULL; i++)
    {
      guint port = self->port != 0 ? self->port : probe_port (self->bind_address);
      g_autofree char *url = g_strdup_printf ("sip:%s%s%s:%u;transport=udp", v6 ? "[" : "",
                                              host, v6 ? "]" : "", port);

      if (port == 0)
        continue;
      self->nua_shut_down = FALSE;
      self->nua = nua_create (self->root, nua_callback, self,
                              NUTAG_URL (url),
                              SIPTAG_FROM_STR (self->aor),
                              NUTAG_M_USERNAME (self->user),
                              NUTAG_USER_AGENT ("Beacon/" BEACON_VERSION),
                              NUTAG_ENABLEINVITE (0),
                              NUTAG_ENABLEMESSAGE (1),
                              NUTAG_MEDIA_ENABLE (0),
                              NUTAG_ALLOW ("SUBSCRIBE, NOTIFY, MESSAGE"),
                              NUTAG_ALLOW_EVENTS ("presence"),
                              /* MESSAGE too: a stranger over the limits
                               * is answered 429, not 200. */
                              NUTAG_APPL_METHOD ("SUBSCRIBE, MESSAGE"),
                              NUTAG_OUTBOUND ("no-options-keepalive no-validate"),
                              /* Whole messages in the debug log when tracing. */
                              TAG_IF (beacon_sip_tracing (G_LOG_DOMAIN), TPTAG_LOG (1)),
                              TAG_END ());
      if (self->nua != NULL)
        {
          self->port = port;
          g_debug ("%s listens on %s", self->aor, url);
        }
    }
  if (self->nua == NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "Could not open the SIP port %s:%u", host, self->port);
      return FALSE;
    }
  return TRUE;
}

gboolean
beacon_sip_lan_agent_is_running (BeaconSipLanAgent *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  return self->nua != NULL && self->stop_task == NULL;
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
  msg_t *request;
  su_addrinfo_t *info;

  if (self->admit == NULL)
    return TRUE;
  /* Where the request came from on the network: a forged From cannot
   * spread one host's flood over many buckets. */
  request = nua_current_request (self->nua);
  info = request != NULL ? msg_addrinfo (request) : NULL;
  if (info != NULL && info->ai_addr != NULL)
    {
      g_autoptr(GSocketAddress) socket_address =
        g_socket_address_new_from_native (info->ai_addr, info->ai_addrlen);

      if (G_IS_INET_SOCKET_ADDRESS (socket_address))
        address = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address)));
    }
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
  g_hash_table_remove_all (self->watchers);
  g_hash_table_remove_all (self->subscriptions);
  g_hash_table_remove_all (self->ending);
  g_hash_table_remove_all (self->messages);
}

static gboolean
destroy_nua_cb (gpointer user_data)
{
  BeaconSipLanAgent *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  /* Never from inside the nua callback: hence this idle. */
  g_clear_pointer (&self->nua, nua_destroy);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

/* nua_shutdown answered, or did not in time. */
static void
shutdown_stack (BeaconSipLanAgent *self)
{
  if (self->stop_task == NULL || self->nua == NULL)
    return;
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  if (!self->nua_shut_down)
    g_debug ("nua_shutdown did not finish in time");
  self->nua_shut_down = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_nua_cb, g_object_ref (self), g_object_unref);
}

static void
shutdown_timeout_cb (gpointer user_data)
{
  BeaconSipLanAgent *self = user_data;

  self->stop_timeout_id = 0;
  shutdown_stack (self);
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
  if (self->nua_shut_down)
    {
      shutdown_stack (self);
      return;
    }
  self->stop_timeout_id = g_timeout_add_once (SHUTDOWN_TIMEOUT_MS, shutdown_timeout_cb, self);
  nua_shutdown (self->nua);
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
      !self->disposing && !self->nua_shut_down)
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
  if (self->nua == NULL)
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
  /* Not stopped with stop_async(): take the stack down here, bounded. */
  beacon_sip_nua_destroy_bounded (&self->nua, self->root, &self->nua_shut_down,
                                  SHUTDOWN_TIMEOUT_MS, self->aor);
  beacon_sip_root_clear (&self->root, &self->root_source);

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
  self->messages = g_hash_table_new_full (NULL, NULL,
                                          (GDestroyNotify) beacon_sip_lan_message_free, NULL);
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
  return self;
}
