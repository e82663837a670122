/* beacon-server-account.c — the server mode: a SIP account on a SIMPLE server
 *
 * The core file: settings, start and stop, publication, watcher info and
 * the buddy list's subscription. MESSAGE is in beacon-server-chat.c, list
 * edits and authorisation in beacon-server-roster.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-server-account-private.h"

#include <string.h>

#include "beacon-enums.h"
#include "formats/beacon-message-text.h"
#include "formats/beacon-pidf.h"
#include "formats/beacon-sip-header.h"
#include "sip/beacon-sip-buddy-presence.h"
#include "sip/beacon-sip-error.h"
#include "sip/beacon-sip-publication.h"
#include "sip/beacon-sip-watcher-info.h"


G_DEFINE_FINAL_TYPE (BeaconServerAccount, beacon_server_account, BEACON_TYPE_ACCOUNT)

enum {
  PROP_0,
  PROP_AUTH_USER,
  PROP_PASSWORD,
  PROP_PROXY,
  PROP_TRANSPORT,
  PROP_BIND_ADDRESS,
  PROP_LIST_URI,
  PROP_EXPIRES,
  PROP_ROSTER_STORE,
  PROP_CA_FILE,
  N_PROPS
};

enum {
  PUBLISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- errors for the user ------------------------------------------------- */

static BeaconAccountError
account_code_for (const GError *error)
{
  if (error == NULL || error->domain != BEACON_SIP_ERROR)
    return BEACON_ACCOUNT_ERROR_FAILED;
  switch (error->code)
    {
    case BEACON_SIP_ERROR_AUTH_FAILED:
      return BEACON_ACCOUNT_ERROR_AUTH_FAILED;
    case BEACON_SIP_ERROR_TIMEOUT:
    case BEACON_SIP_ERROR_TRANSPORT:
    case BEACON_SIP_ERROR_SERVER:
      return BEACON_ACCOUNT_ERROR_UNREACHABLE;
    case BEACON_SIP_ERROR_FORBIDDEN:
    case BEACON_SIP_ERROR_NOT_FOUND:
    case BEACON_SIP_ERROR_UNSUPPORTED:
    case BEACON_SIP_ERROR_REJECTED:
      return BEACON_ACCOUNT_ERROR_REJECTED;
    case BEACON_SIP_ERROR_INVALID_URI:
      return BEACON_ACCOUNT_ERROR_INVALID_URI;
    case BEACON_SIP_ERROR_STOPPED:
      return BEACON_ACCOUNT_ERROR_NOT_CONNECTED;
    default:
      return BEACON_ACCOUNT_ERROR_FAILED;
    }
}

/* The UI knows BEACON_ACCOUNT_ERROR codes; the message keeps the SIP detail. */
static GError *
to_account_error (const GError *error)
{
  return g_error_new_literal (BEACON_ACCOUNT_ERROR, account_code_for (error),
                              error ? error->message : "Unknown SIP failure");
}

void
beacon_server_account_report_error (BeaconServerAccount *self,
                                    const GError        *error)
{
  g_autoptr(GError) account_error = to_account_error (error);

  beacon_account_emit_error (BEACON_ACCOUNT (self), account_error);
}

/* ---- publication ---------------------------------------------------------- */

static GBytes *
build_pidf (BeaconServerAccount *self)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);
  gsize len = 0;
  char *doc = beacon_pidf_build (beacon_account_get_aor (account),
                                 beacon_account_get_status (account),
                                 beacon_account_get_note (account),
                                 beacon_account_get_aor (account), &len);

  return g_bytes_new_take (doc, len);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  beacon_sip_publication_remove_finish (BEACON_SIP_PUBLICATION (source), result, NULL);
}

static void
beacon_server_account_publish (BeaconAccount *account)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);

  if (self->publication == NULL || self->stop_task != NULL)
    return;
  if (beacon_account_get_status (account) == BEACON_STATUS_OFFLINE)
    {
      /* "Appear offline": no publication at all, so watchers see the
       * server's offline state. */
      beacon_sip_publication_remove_async (self->publication, NULL, removed_cb, NULL);
      return;
    }
  {
    g_autoptr(GBytes) body = build_pidf (self);
    beacon_sip_publication_publish (self->publication, body);
  }
}

static void
publication_published (BeaconSipPublication *publication,
                       const char           *etag,
                       guint                 expires,
                       BeaconServerAccount  *self)
{
  g_signal_emit (self, signals[PUBLISHED], 0, etag, expires);
}

static void
publication_failed (BeaconSipPublication *publication,
                    const GError         *error,
                    BeaconServerAccount  *self)
{
  beacon_server_account_report_error (self, error);
}

/* ---- watcher information (who asks to see me) ---------------------------- */

static void
watcher_changed (BeaconSipWatcherInfo *winfo,
                 const char           *uri,
                 const char           *status,
                 BeaconServerAccount  *self)
{
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (self)), uri);

  beacon_account_emit_watcher (BEACON_ACCOUNT (self), uri, status);
  /* A friend who refused us watches us again: they unblocked us (see
   * unblock_done), and the server does not tell our refused
   * subscription; ask again. */
  if (buddy != NULL && self->presence != NULL && g_strcmp0 (status, "active") == 0 &&
      beacon_buddy_get_subscription (buddy) == BEACON_SUBSCRIPTION_REJECTED)
    beacon_sip_buddy_presence_renew (self->presence, uri);
}

/* ---- buddy list and roster store ------------------------------------------ */

static void
presence_error (BeaconSipBuddyPresence *presence,
                const char             *uri,
                const GError           *error,
                BeaconServerAccount    *self)
{
  beacon_server_account_report_error (self, error);
}

/* The friend request was refused: the pending friend leaves the list (and
 * the server's, with an XCAP DELETE). From an idle: the buddy list is in
 * the middle of an update. */
typedef struct {
  BeaconServerAccount *self;
  char                *uri;
} Declined;

static void
declined_free (gpointer data)
{
  Declined *declined = data;

  g_object_unref (declined->self);
  g_free (declined->uri);
  g_free (declined);
}

static gboolean
drop_declined (gpointer data)
{
  Declined *declined = data;
  BeaconAccount *account = BEACON_ACCOUNT (declined->self);

  if (beacon_buddy_list_lookup (beacon_account_get_buddies (account), declined->uri) != NULL)
    beacon_account_remove_buddy (account, declined->uri, NULL);
  return G_SOURCE_REMOVE;
}

static void
presence_declined (BeaconSipBuddyPresence *presence,
                   const char             *uri,
                   BeaconServerAccount    *self)
{
  Declined *declined = g_new0 (Declined, 1);

  declined->self = g_object_ref (self);
  declined->uri = g_strdup (uri);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_declined, declined, declined_free);
}

static void
roster_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;
  g_autoptr(GPtrArray) buddies = NULL;
  g_auto(GStrv) blocked = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->friends_timeout_id, g_source_remove);
  beacon_account_set_friends_known (BEACON_ACCOUNT (self), TRUE);
  if (!beacon_roster_store_load_finish (BEACON_ROSTER_STORE (source), result, &buddies, &blocked,
                                        &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        beacon_account_emit_error (BEACON_ACCOUNT (self), error);
      return;
    }
  for (guint i = 0; buddies != NULL && i < buddies->len; i++)
    {
      BeaconBuddy *buddy = g_ptr_array_index (buddies, i);

      beacon_buddy_list_add (beacon_account_get_buddies (BEACON_ACCOUNT (self)),
                             beacon_buddy_get_uri (buddy),
                             beacon_buddy_get_display_name (buddy) != beacon_buddy_get_uri (buddy)
                               ? beacon_buddy_get_display_name (buddy) : NULL);
    }
  if (blocked != NULL)
    beacon_account_set_blocked (BEACON_ACCOUNT (self), (const char *const *) blocked);
}

/* ---- start --------------------------------------------------------------- */

static void drop_services (BeaconServerAccount *self);
static void start_subscriptions (BeaconServerAccount *self);

/* The lists did not load in time (a slow or absent XCAP server): what is
 * known so far is all that is known. */
static void
friends_wait_cb (gpointer user_data)
{
  BeaconServerAccount *self = user_data;

  self->friends_timeout_id = 0;
  g_debug ("the lists did not load within %u s: limiting strangers anyway", FRIENDS_WAIT_S);
  beacon_account_set_friends_known (BEACON_ACCOUNT (self), TRUE);
}

static void
start_services (BeaconServerAccount *self)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);

  self->services_started = TRUE;

  self->publication = beacon_sip_publication_new (self->ua, "presence", "application/pidf+xml",
                                                  self->expires);
  g_signal_connect (self->publication, "published", G_CALLBACK (publication_published), self);
  g_signal_connect (self->publication, "failed", G_CALLBACK (publication_failed), self);
  beacon_server_account_publish (account);

  start_subscriptions (self);

  if (self->store != NULL)
    beacon_roster_store_load_async (self->store, self->cancellable, roster_loaded,
                                    g_object_ref (self));
}

static void
start_subscriptions (BeaconServerAccount *self)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);

  self->presence = beacon_sip_buddy_presence_new (self->ua, beacon_account_get_buddies (account),
                                                  self->list_uri, self->expires);
  g_signal_connect (self->presence, "error", G_CALLBACK (presence_error), self);
  g_signal_connect (self->presence, "declined", G_CALLBACK (presence_declined), self);
  beacon_sip_buddy_presence_start (self->presence);

  self->winfo = beacon_sip_watcher_info_new (self->ua, self->expires);
  g_signal_connect (self->winfo, "watcher", G_CALLBACK (watcher_changed), self);
  beacon_sip_watcher_info_start (self->winfo);
}

static void
drop_subscriptions (BeaconServerAccount *self)
{
  if (self->presence != NULL)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  if (self->winfo != NULL)
    g_signal_handlers_disconnect_by_data (self->winfo, self);
  g_clear_object (&self->presence);
  g_clear_object (&self->winfo);
}

/* Registered again after the server was lost (see ua_state_changed()). */
static void
resume_services (BeaconServerAccount *self)
{
  g_debug ("registered again: publishing and subscribing anew");
  if (self->publication != NULL &&
      beacon_account_get_status (BEACON_ACCOUNT (self)) != BEACON_STATUS_OFFLINE)
    {
      g_autoptr(GBytes) body = build_pidf (self);

      beacon_sip_publication_resume (self->publication, body);
    }
  start_subscriptions (self);
  if (self->store != NULL)
    beacon_roster_store_load_async (self->store, self->cancellable, roster_loaded,
                                    g_object_ref (self));
}

static void
ua_state_changed (BeaconSipUa         *ua,
                  GParamSpec          *pspec,
                  BeaconServerAccount *self)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);
  const GError *error = beacon_sip_ua_get_last_error (ua);
  g_autoptr(GError) account_error = error ? to_account_error (error) : NULL;

  switch (beacon_sip_ua_get_state (ua))
    {
    case BEACON_SIP_UA_REGISTERING:
      beacon_account_set_connection_state (account, BEACON_CONNECTION_CONNECTING, NULL);
      break;
    case BEACON_SIP_UA_REGISTERED:
      g_clear_pointer (&self->last_register_error, g_free);
      beacon_account_set_connection_state (account, BEACON_CONNECTION_ONLINE, NULL);
      if (!self->services_started)
        start_services (self);
      else if (self->presence == NULL)
        resume_services (self);
      else if (self->store != NULL)
        /* Registered again after a failure: the store replays what it
         * queued meanwhile and we take its lists again. */
        beacon_roster_store_load_async (self->store, self->cancellable, roster_loaded,
                                        g_object_ref (self));
      break;
    case BEACON_SIP_UA_RECONNECTING:
      /* The server may have lost our subscriptions (it restarted) or
       * will time them out: once registered again they are made anew
       * (fresh SUBSCRIBEs, not refreshes), and the presence document is
       * published again at once. Dropped now so nothing refreshes into
       * the void. */
      if (self->stop_task == NULL)
        drop_subscriptions (self);
      G_GNUC_FALLTHROUGH;
    case BEACON_SIP_UA_RETRYING:
    case BEACON_SIP_UA_FAILED:
      {
        /* Each retry fails again: tell the user once per distinct reason. */
        gboolean repeated = account_error != NULL && self->last_register_error != NULL &&
                            g_str_equal (self->last_register_error, account_error->message);

        beacon_account_set_connection_state (account,
                                             beacon_sip_ua_get_state (ua) == BEACON_SIP_UA_RECONNECTING
                                               ? BEACON_CONNECTION_RECONNECTING
                                               : BEACON_CONNECTION_FAILED,
                                             account_error);
        if (account_error != NULL && !repeated)
          {
            g_free (self->last_register_error);
            self->last_register_error = g_strdup (account_error->message);
            beacon_account_emit_error (account, account_error);
          }
      }
      break;
    case BEACON_SIP_UA_STOPPING:
    case BEACON_SIP_UA_STOPPED:
    default:
      break;
    }
}

static void
beacon_server_account_start (BeaconAccount *account)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  if (self->ua != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  /* Until the lists are loaded every sender looks like a stranger: stored
   * messages of friends, handed over at REGISTER, would be refused as a
   * flood's (429) and wait. They are answered 503 meanwhile (see
   * beacon-server-chat.c), bounded in time. */
  if (self->store != NULL)
    {
      beacon_account_set_friends_known (account, FALSE);
      self->friends_timeout_id = g_timeout_add_once (FRIENDS_WAIT_S * 1000, friends_wait_cb, self);
    }
  self->ua = beacon_sip_ua_new (beacon_account_get_aor (account), self->auth_user,
                                self->password, self->proxy, self->transport, self->bind_address);
  beacon_sip_ua_set_ca_file (self->ua, self->ca_file);
  g_signal_connect (self->ua, "notify::state", G_CALLBACK (ua_state_changed), self);
  g_signal_connect (self->ua, "message-received", G_CALLBACK (beacon_server_chat_received), self);
  beacon_account_set_connection_state (account, BEACON_CONNECTION_CONNECTING, NULL);
  if (!beacon_sip_ua_start (self->ua, &error))
    {
      g_autoptr(GError) account_error = to_account_error (error);

      beacon_account_set_connection_state (account, BEACON_CONNECTION_FAILED, account_error);
      beacon_account_emit_error (account, account_error);
      g_signal_handlers_disconnect_by_data (self->ua, self);
      g_clear_object (&self->ua);
      g_clear_object (&self->cancellable);
    }
}

/* ---- stop ---------------------------------------------------------------- */

static void
drop_services (BeaconServerAccount *self)
{
  if (self->publication != NULL)
    g_signal_handlers_disconnect_by_data (self->publication, self);
  if (self->presence != NULL)
    g_signal_handlers_disconnect_by_data (self->presence, self);
  if (self->winfo != NULL)
    g_signal_handlers_disconnect_by_data (self->winfo, self);
  g_clear_object (&self->publication);
  g_clear_object (&self->presence);
  g_clear_object (&self->winfo);
  self->services_started = FALSE;
}

static void
ua_shut_down (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  beacon_sip_ua_shutdown_finish (BEACON_SIP_UA (source), result, NULL);
  g_signal_handlers_disconnect_by_data (self->ua, self);
  g_clear_object (&self->ua);
  drop_services (self);
  g_clear_object (&self->cancellable);
  beacon_account_set_connection_state (BEACON_ACCOUNT (self), BEACON_CONNECTION_OFFLINE, NULL);
  g_task_return_boolean (task, TRUE);
}

/* One of unpublish / unsubscribe (list, winfo) is done. */
static void
service_stopped (BeaconServerAccount *self)
{
  if (--self->stop_pending > 0)
    return;
  g_debug ("services stopped; un-REGISTER");
  beacon_sip_ua_shutdown_async (self->ua, NULL, ua_shut_down, g_object_ref (self));
}

static void
publication_removed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;

  beacon_sip_publication_remove_finish (BEACON_SIP_PUBLICATION (source), result, NULL);
  service_stopped (self);
}

static void
presence_stopped (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;

  beacon_sip_buddy_presence_stop_finish (BEACON_SIP_BUDDY_PRESENCE (source), result, NULL);
  service_stopped (self);
}

static void
winfo_stopped (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;

  beacon_sip_watcher_info_stop_finish (BEACON_SIP_WATCHER_INFO (source), result, NULL);
  service_stopped (self);
}

static void
beacon_server_account_stop_async (BeaconAccount       *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_server_account_stop_async);
  if (self->ua == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The account is already stopping");
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->friends_timeout_id, g_source_remove);
  beacon_account_set_friends_known (account, TRUE);

  /* Goodbyes first (un-PUBLISH, un-SUBSCRIBE), then the un-REGISTER. */
  self->stop_pending = 1;
  if (self->publication != NULL)
    {
      self->stop_pending++;
      beacon_sip_publication_remove_async (self->publication, NULL, publication_removed,
                                           g_object_ref (self));
    }
  if (self->presence != NULL)
    {
      self->stop_pending++;
      beacon_sip_buddy_presence_stop_async (self->presence, NULL, presence_stopped,
                                            g_object_ref (self));
    }
  if (self->winfo != NULL)
    {
      self->stop_pending++;
      beacon_sip_watcher_info_stop_async (self->winfo, NULL, winfo_stopped, g_object_ref (self));
    }
  service_stopped (self);
}

static gboolean
beacon_server_account_stop_finish (BeaconAccount  *account,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- public --------------------------------------------------------------- */

const char *
beacon_server_account_get_list_uri (BeaconServerAccount *self)
{
  g_return_val_if_fail (BEACON_IS_SERVER_ACCOUNT (self), NULL);
  return self->list_uri;
}

gboolean
beacon_server_account_get_using_list (BeaconServerAccount *self)
{
  g_return_val_if_fail (BEACON_IS_SERVER_ACCOUNT (self), FALSE);
  return self->presence != NULL && beacon_sip_buddy_presence_get_using_list (self->presence);
}

void
beacon_server_account_use_stale_etag (BeaconServerAccount *self,
                                      const char          *etag)
{
  g_return_if_fail (BEACON_IS_SERVER_ACCOUNT (self));

  if (self->publication != NULL)
    beacon_sip_publication_use_stale_etag (self->publication, etag);
}

/* ---- GObject -------------------------------------------------------------- */

/* sip:<user>-list@<domain>, the seed's and Kamailio's convention. */
static char *
default_list_uri (const char *aor)
{
  const char *at = aor ? strchr (aor, '@') : NULL;
  const char *colon = aor ? strchr (aor, ':') : NULL;

  if (at == NULL || colon == NULL || colon > at)
    return NULL;
  return g_strdup_printf ("%.*s-list%s", (int) (at - aor), aor, at);
}

static void
beacon_server_account_constructed (GObject *object)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (object);

  G_OBJECT_CLASS (beacon_server_account_parent_class)->constructed (object);

  if (self->list_uri == NULL)
    self->list_uri = default_list_uri (beacon_account_get_aor (BEACON_ACCOUNT (self)));
}

static void
beacon_server_account_dispose (GObject *object)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (object);

  drop_services (self);
  if (self->ua != NULL)
    g_signal_handlers_disconnect_by_data (self->ua, self);
  g_clear_object (&self->ua);
  g_clear_handle_id (&self->friends_timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (beacon_server_account_parent_class)->dispose (object);
}

static void
beacon_server_account_finalize (GObject *object)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (object);

  g_free (self->last_register_error);
  g_free (self->auth_user);
  g_free (self->password);
  g_free (self->proxy);
  g_free (self->bind_address);
  g_free (self->ca_file);
  g_free (self->list_uri);

  G_OBJECT_CLASS (beacon_server_account_parent_class)->finalize (object);
}

static void
beacon_server_account_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_AUTH_USER:
      g_value_set_string (value, self->auth_user);
      break;
    case PROP_PROXY:
      g_value_set_string (value, self->proxy);
      break;
    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;
    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;
    case PROP_LIST_URI:
      g_value_set_string (value, self->list_uri);
      break;
    case PROP_EXPIRES:
      g_value_set_uint (value, self->expires);
      break;
    case PROP_ROSTER_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_server_account_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_AUTH_USER:
      self->auth_user = g_value_dup_string (value);
      break;
    case PROP_PASSWORD:
      self->password = g_value_dup_string (value);
      break;
    case PROP_PROXY:
      self->proxy = g_value_dup_string (value);
      break;
    case PROP_TRANSPORT:
      self->transport = g_value_get_enum (value);
      break;
    case PROP_BIND_ADDRESS:
      self->bind_address = g_value_dup_string (value);
      break;
    case PROP_LIST_URI:
      self->list_uri = g_value_dup_string (value);
      break;
    case PROP_EXPIRES:
      self->expires = g_value_get_uint (value);
      break;
    case PROP_ROSTER_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CA_FILE:
      self->ca_file = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_server_account_class_init (BeaconServerAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BeaconAccountClass *account_class = BEACON_ACCOUNT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = beacon_server_account_constructed;
  object_class->dispose = beacon_server_account_dispose;
  object_class->finalize = beacon_server_account_finalize;
  object_class->get_property = beacon_server_account_get_property;
  object_class->set_property = beacon_server_account_set_property;

  account_class->start = beacon_server_account_start;
  account_class->stop_async = beacon_server_account_stop_async;
  account_class->stop_finish = beacon_server_account_stop_finish;
  account_class->publish = beacon_server_account_publish;
  account_class->add_buddy = beacon_server_roster_add_buddy;
  account_class->remove_buddy = beacon_server_roster_remove_buddy;
  account_class->authorize = beacon_server_roster_authorize;
  account_class->unblock = beacon_server_roster_unblock;
  account_class->send_message = beacon_server_chat_send;

  properties[PROP_AUTH_USER] =
    g_param_spec_string ("auth-user", NULL, NULL, NULL, construct);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROXY] =
    g_param_spec_string ("proxy", NULL, NULL, NULL, construct);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, BEACON_TYPE_SIP_TRANSPORT,
                       BEACON_SIP_TRANSPORT_UDP, construct);
  properties[PROP_BIND_ADDRESS] =
    g_param_spec_string ("bind-address", NULL, NULL, NULL, construct);
  properties[PROP_LIST_URI] =
    g_param_spec_string ("list-uri", NULL, NULL, NULL, construct);
  properties[PROP_EXPIRES] =
    g_param_spec_uint ("expires", NULL, NULL, 10, 86400, 3600, construct);
  properties[PROP_ROSTER_STORE] =
    g_param_spec_object ("roster-store", NULL, NULL, BEACON_TYPE_ROSTER_STORE, construct);
  /* With transport TLS: PEM file of the CAs trusted for the server's
   * certificate (tests, self-hosted servers); NULL: the system's. */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL, construct);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (SIP-ETag, granted seconds): the server holds our presence document. */
  signals[PUBLISHED] =
    g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
beacon_server_account_init (BeaconServerAccount *self)
{
  self->expires = 3600;
}

BeaconServerAccount *
beacon_server_account_new (const char         *aor,
                           const char         *auth_user,
                           const char         *password,
                           const char         *proxy,
                           BeaconSipTransport  transport)
{
  return g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                       "aor", aor,
                       "auth-user", auth_user,
                       "password", password,
                       "proxy", proxy,
                       "transport", transport,
                       NULL);
}
