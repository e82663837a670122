/* beacon-lan-stack.c — the LAN account's SIP endpoint: nua on our main loop
 *
 * start binds the UDP port (any free one unless told), announces it and
 * goes ONLINE; every nua event is routed to the watcher, subscription or
 * message its handle belongs to. stop says goodbye (terminated NOTIFYs to
 * the watchers, un-SUBSCRIBEs to the friends, bounded in time), withdraws
 * the announcement and shuts nua down (bounded too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

#include <sofia-sip/su_log.h>
#include <sofia-sip/tport_tag.h>

/* Bounds of stop(): the goodbyes, then nua_shutdown. */
#define GOODBYE_TIMEOUT_MS  3000
#define SHUTDOWN_TIMEOUT_MS 3000
/* Ports tried when any free one will do. */
#define BIND_ATTEMPTS       8

static void shutdown_stack (BeaconLanAccount *self);

static void
sofia_logger (void       *stream,
              char const *fmt,
              va_list     ap)
{
  static GString *pending = NULL;
  char *nl;

  if (pending == NULL)
    pending = g_string_new (NULL);
  g_string_append_vprintf (pending, fmt, ap);
  while ((nl = strchr (pending->str, '\n')) != NULL)
    {
      *nl = '\0';
      g_debug ("sofia: %s", pending->str);
      g_string_erase (pending, 0, nl - pending->str + 1);
    }
}

static void
su_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      su_init ();
      su_log_redirect (NULL, sofia_logger, NULL);
      g_once_init_leave (&done, 1);
    }
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
  BeaconLanAccount *self = magic;
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
      switch (event)
        {
        case nua_i_subscribe:
          beacon_lan_notifier_incoming (self, nh, status, sip, tags);
          return;  /* it owns @nh now */
        case nua_i_message:
          beacon_lan_chat_incoming (self, sip);
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
      beacon_lan_watcher_event (self, (LanWatcher *) kind, event, status, sip, tags);
      break;
    case LAN_HANDLE_WATCH:
      beacon_lan_watch_event (self, (LanWatch *) kind, event, status, sip, tags);
      break;
    case LAN_HANDLE_MESSAGE:
      beacon_lan_chat_event (self, kind, event, status, phrase);
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

static gboolean
create_stack (BeaconLanAccount  *self,
              GError           **error)
{
  const char *host = self->bind_address ? self->bind_address : "*";
  gboolean v6 = strchr (host, ':') != NULL;
  guint attempts = self->port != 0 ? 1 : BIND_ATTEMPTS;

  su_init_once ();
  if (self->root == NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      self->root = su_glib_root_create (self);
      if (self->root == NULL)
        {
          g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                       "Could not create the SIP event loop");
          return FALSE;
        }
      self->root_source = su_glib_root_gsource (self->root);
      g_source_attach (self->root_source, context);
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
                              SIPTAG_FROM_STR (beacon_account_get_aor (BEACON_ACCOUNT (self))),
                              NUTAG_M_USERNAME (self->name),
                              NUTAG_USER_AGENT ("Beacon/" BEACON_VERSION),
                              NUTAG_ENABLEINVITE (0),
                              NUTAG_ENABLEMESSAGE (1),
                              NUTAG_MEDIA_ENABLE (0),
                              NUTAG_ALLOW ("SUBSCRIBE, NOTIFY, MESSAGE"),
                              NUTAG_ALLOW_EVENTS ("presence"),
                              NUTAG_APPL_METHOD ("SUBSCRIBE"),
                              NUTAG_OUTBOUND ("no-options-keepalive no-validate"),
                              /* Whole messages in the debug log when tracing. */
                              TAG_IF (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG,
                                                                        G_LOG_DOMAIN),
                                      TPTAG_LOG (1)),
                              TAG_END ());
      if (self->nua != NULL)
        {
          self->port = port;
          g_debug ("%s listens on %s", beacon_account_get_aor (BEACON_ACCOUNT (self)), url);
        }
    }
  if (self->nua == NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "Could not open the SIP port %s:%u", host, self->port);
      return FALSE;
    }
  g_object_notify (G_OBJECT (self), "port");
  return TRUE;
}

void
beacon_lan_stack_start (BeaconAccount *account)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  if (self->started)
    return;
  self->started = TRUE;
  beacon_account_set_connection_state (account, BEACON_CONNECTION_CONNECTING, NULL);
  for (guint i = 0; i < self->load_errors->len; i++)
    beacon_account_emit_error (account, self->load_errors->pdata[i]);
  g_ptr_array_set_size (self->load_errors, 0);

  if (!create_stack (self, &error))
    {
      self->started = FALSE;
      beacon_account_emit_error (account, error);
      beacon_account_set_connection_state (account, BEACON_CONNECTION_FAILED, error);
      return;
    }

  beacon_lan_peers_connect (self);
  beacon_lan_discovery_start (self->discovery, self->name, beacon_account_get_aor (account),
                              (guint16) self->port);
  beacon_lan_discovery_set_status (self->discovery, beacon_account_get_status (account),
                                   self->name);
  beacon_account_set_connection_state (account, BEACON_CONNECTION_ONLINE, NULL);
}

/* ---- stop ----------------------------------------------------------------- */

static void
drop_all_handles (BeaconLanAccount *self)
{
  g_hash_table_remove_all (self->watchers);
  g_hash_table_remove_all (self->watches);
  g_hash_table_remove_all (self->ending);
  g_hash_table_remove_all (self->messages);
}

static gboolean
destroy_nua_cb (gpointer user_data)
{
  BeaconLanAccount *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  /* Never from inside the nua callback: hence this idle. */
  g_clear_pointer (&self->nua, nua_destroy);
  self->started = FALSE;
  g_hash_table_remove_all (self->peers);
  g_hash_table_remove_all (self->latest);
  g_list_store_remove_all (self->nearby);
  beacon_lan_peers_all_offline (self);
  beacon_account_set_connection_state (BEACON_ACCOUNT (self), BEACON_CONNECTION_OFFLINE, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

/* nua_shutdown answered, or did not in time. */
static void
shutdown_stack (BeaconLanAccount *self)
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
  BeaconLanAccount *self = user_data;

  self->stop_timeout_id = 0;
  shutdown_stack (self);
}

/* Goodbyes answered (or not in time): take the stack down. */
static void
goodbyes_done (BeaconLanAccount *self)
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
  BeaconLanAccount *self = user_data;

  self->stop_timeout_id = 0;
  g_debug ("%u goodbyes unanswered", self->goodbyes);
  goodbyes_done (self);
}

void
beacon_lan_account_final_notify_done (BeaconLanAccount *self)
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
beacon_lan_stack_stop_async (BeaconAccount       *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_lan_stack_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The account is already stopping");
      return;
    }
  if (self->nua == NULL)
    {
      self->started = FALSE;
      beacon_account_set_connection_state (account, BEACON_CONNECTION_OFFLINE, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  beacon_lan_peers_disconnect (self);
  beacon_lan_discovery_stop (self->discovery);
  self->goodbyes += beacon_lan_notifier_terminate_all (self);
  self->goodbyes += beacon_lan_watch_stop_all (self);
  g_debug ("stopping: %u goodbyes", self->goodbyes);
  self->stop_timeout_id = g_timeout_add_once (self->goodbyes > 0 ? GOODBYE_TIMEOUT_MS : 0,
                                              goodbye_timeout_cb, self);
}

gboolean
beacon_lan_stack_stop_finish (BeaconAccount  *account,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}


/* Takes everything down at once (dispose), the stack bounded in time. */
void
beacon_lan_stack_destroy (BeaconLanAccount *self)
{
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  if (self->discovery != NULL)
    {
      beacon_lan_peers_disconnect (self);
      if (self->started)
        beacon_lan_discovery_stop (self->discovery);
    }
  self->disposing = TRUE;
  self->goodbyes = 0;
  drop_all_handles (self);
  if (self->nua != NULL)
    {
      gint64 end = g_get_monotonic_time () + SHUTDOWN_TIMEOUT_MS * 1000;

      /* Not stopped with stop_async(): take the stack down here, bounded.
       * nua_destroy() refuses a stack whose shutdown has not finished. */
      if (!self->nua_shut_down)
        nua_shutdown (self->nua);
      while (!self->nua_shut_down && g_get_monotonic_time () < end)
        su_root_step (self->root, 100);
      if (self->nua_shut_down)
        nua_destroy (self->nua);
      else
        g_warning ("the SIP stack of %s did not shut down; leaking it", self->name);
      self->nua = NULL;
    }
  if (self->root != NULL)
    {
      g_source_destroy (self->root_source);
      su_root_destroy (self->root);
      self->root = NULL;
      self->root_source = NULL;
    }
}
