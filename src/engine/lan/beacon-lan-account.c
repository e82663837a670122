/* beacon-lan-account.c — the serverless account: presence and chat on the LAN
 *
 * The core of BeaconLanAccount: the GObject and its vfuncs, start and stop
 * (the BeaconSipLanAgent binds its port, the announcement goes out; stop
 * withdraws it and lets the agent say goodbye, both bounded), and what the
 * facets (peers, watch, chat, roster) ask of each other goes through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (BeaconLanAccount, beacon_lan_account, BEACON_TYPE_ACCOUNT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CONFIG_DIR,
  PROP_DISCOVERY,
  PROP_BIND_ADDRESS,
  PROP_PORT,
  PROP_EXPIRES,
  PROP_NEARBY,
  N_PROPS
};

enum {
  PEER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- helpers -------------------------------------------------------------- */

gboolean
beacon_lan_account_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.!~*'", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The host part of our AOR: this machine's name when it can be one. */
static char *
aor_host (void)
{
  g_autofree char *host = g_ascii_strdown (g_get_host_name (), -1);

  if (*host == '\0' || *host == '.' || *host == '-' || strlen (host) > 253)
    return g_strdup ("lan");
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return g_strdup ("lan");
  return g_steal_pointer (&host);
}

char *
beacon_lan_account_make_aor (const char *name)
{
  g_autofree char *host = aor_host ();

  g_return_val_if_fail (beacon_lan_account_name_is_valid (name), NULL);
  return g_strdup_printf ("sip:%s@%s", name, host);
}

void
beacon_lan_account_emit_peer (BeaconLanAccount *self,
                              const char       *uri,
                              const char       *name,
                              const char       *address,
                              gboolean          appeared)
{
  g_signal_emit (self, signals[PEER], 0, uri, name, address, appeared);
}

/* ---- the agent's signals ---------------------------------------------------- */

static BeaconSubHandling
policy (const char *uri,
        gpointer    user_data)
{
  BeaconLanAccount *self = user_data;

  return beacon_pres_rules_lookup (self->rules, uri);
}

static gboolean
admit (const char *uri,
       const char *address,
       guint      *retry_after_s,
       gpointer    user_data)
{
  return beacon_account_admit_request (BEACON_ACCOUNT (user_data), uri, address, retry_after_s);
}

static void
agent_watcher (BeaconSipLanAgent *agent,
               const char        *uri,
               const char        *state,
               BeaconLanAccount  *self)
{
  beacon_account_emit_watcher (BEACON_ACCOUNT (self), uri, state);
  /* The LAN has no server to tell a refused watcher that we changed our
   * mind: a peer that refused us and now watches us is asked again. */
  if (g_strcmp0 (state, "terminated") != 0)
    beacon_lan_watch_heard_from (self, uri);
}

static void
create_agent (BeaconLanAccount *self)
{
  self->agent = beacon_sip_lan_agent_new (beacon_account_get_aor (BEACON_ACCOUNT (self)),
                                          self->name, self->bind_address, self->port);
  beacon_sip_lan_agent_set_policy (self->agent, policy, self);
  beacon_sip_lan_agent_set_admit (self->agent, admit, self);
  self->agent_ids[0] = g_signal_connect (self->agent, "watcher",
                                         G_CALLBACK (agent_watcher), self);
  self->agent_ids[1] = g_signal_connect (self->agent, "subscription-state",
                                         G_CALLBACK (beacon_lan_watch_state), self);
  self->agent_ids[2] = g_signal_connect (self->agent, "message-sent",
                                         G_CALLBACK (beacon_lan_chat_sent), self);
  self->agent_ids[3] = g_signal_connect (self->agent, "message-received",
                                         G_CALLBACK (beacon_lan_chat_received), self);
}

gboolean
beacon_lan_account_is_running (BeaconLanAccount *self)
{
  return self->agent != NULL && beacon_sip_lan_agent_is_running (self->agent);
}

void
beacon_lan_account_rules_changed (BeaconLanAccount *self,
                                  const char       *uri)
{
  if (self->agent != NULL)
    beacon_sip_lan_agent_update_watchers (self->agent, uri);
}

/* ---- start ---------------------------------------------------------------- */

static void
beacon_lan_account_start (BeaconAccount *account)
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

  if (self->agent == NULL)
    create_agent (self);
  beacon_sip_lan_agent_set_presence (self->agent, beacon_account_get_status (account),
                                     beacon_account_get_note (account));
  if (!beacon_sip_lan_agent_start (self->agent, &error))
    {
      /* The UI knows BEACON_ACCOUNT_ERROR codes; the message keeps the detail. */
      g_autoptr(GError) report = g_error_new_literal (BEACON_ACCOUNT_ERROR,
                                                      BEACON_ACCOUNT_ERROR_FAILED,
                                                      error->message);

      self->started = FALSE;
      beacon_account_emit_error (account, report);
      beacon_account_set_connection_state (account, BEACON_CONNECTION_FAILED, report);
      return;
    }
  self->port = beacon_sip_lan_agent_get_port (self->agent);
  g_debug ("%s listens on port %u", beacon_account_get_aor (account), self->port);
  g_object_notify (G_OBJECT (self), "port");

  beacon_lan_peers_connect (self);
  beacon_lan_discovery_start (self->discovery, self->name, beacon_account_get_aor (account),
                              (guint16) self->port);
  beacon_lan_discovery_set_status (self->discovery, beacon_account_get_status (account),
                                   self->name);
  beacon_account_set_connection_state (account, BEACON_CONNECTION_ONLINE, NULL);
}

/* ---- stop ----------------------------------------------------------------- */

static void
agent_stopped_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BeaconLanAccount) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  beacon_sip_lan_agent_stop_finish (BEACON_SIP_LAN_AGENT (source), result, NULL);
  self->started = FALSE;
  g_hash_table_remove_all (self->peers);
  g_hash_table_remove_all (self->latest);
  g_list_store_remove_all (self->nearby);
  beacon_lan_peers_all_offline (self);
  beacon_account_set_connection_state (BEACON_ACCOUNT (self), BEACON_CONNECTION_OFFLINE, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
beacon_lan_account_stop_async (BeaconAccount       *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_lan_account_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The account is already stopping");
      return;
    }
  if (!beacon_lan_account_is_running (self))
    {
      self->started = FALSE;
      beacon_account_set_connection_state (account, BEACON_CONNECTION_OFFLINE, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  beacon_lan_peers_disconnect (self);
  beacon_lan_discovery_stop (self->discovery);
  beacon_lan_watch_drop_all (self);
  beacon_sip_lan_agent_stop_async (self->agent, NULL, agent_stopped_cb, g_object_ref (self));
}

static gboolean
beacon_lan_account_stop_finish (BeaconAccount  *account,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Takes everything down at once (dispose), the agent bounded in time. */
static void
destroy_stack (BeaconLanAccount *self)
{
  if (self->discovery != NULL)
    {
      beacon_lan_peers_disconnect (self);
      if (self->started)
        beacon_lan_discovery_stop (self->discovery);
    }
  if (self->watches != NULL)
    g_hash_table_remove_all (self->watches);
  if (self->agent != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->agent_ids); i++)
        g_clear_signal_handler (&self->agent_ids[i], self->agent);
      /* Down now, bounded, even when a stop is under way. */
      g_object_run_dispose (G_OBJECT (self->agent));
      g_clear_object (&self->agent);
    }
}

/* ---- peers and friends: what the facets ask of each other ------------------ */

const BeaconLanPeer *
beacon_lan_account_find_peer (BeaconLanAccount *self,
                              const char       *aor)
{
  const char *latest = g_hash_table_lookup (self->latest, aor);
  GHashTableIter iter;
  gpointer value;

  /* The same AOR under two instance names (a restart before the old
   * record expired): the one announced last is where it is now. */
  if (latest != NULL && (value = g_hash_table_lookup (self->peers, latest)) != NULL)
    return value;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const BeaconLanPeer *peer = value;

      if (g_ascii_strcasecmp (peer->aor, aor) == 0)
        return peer;
    }
  return NULL;
}

/* Where requests for @aor go: its user part at the announced endpoint. */

/* @uri, a friend, is announced at @peer: something to show before the
 * subscription says more (except for a friend who refused us: they appear
 * offline, as a server would show them), and our subscription to them. */
void
beacon_lan_account_friend_here (BeaconLanAccount    *self,
                                const char          *uri,
                                const BeaconLanPeer *peer)
{
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (self)),
                                                 uri);

  if (buddy == NULL)
    return;
  if (!beacon_lan_watch_is_active (self, uri) &&
      beacon_buddy_get_subscription (buddy) != BEACON_SUBSCRIPTION_REJECTED)
    beacon_buddy_set_presence (buddy, peer->status, NULL);
  beacon_lan_watch_start (self, uri, peer);
}

/* @uri, a friend, is not announced any more: offline, nothing known. */
void
beacon_lan_account_friend_gone (BeaconLanAccount *self,
                                const char       *uri)
{
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (self)),
                                                 uri);

  beacon_lan_watch_stop (self, uri, FALSE);
  if (buddy == NULL)
    return;
  g_object_freeze_notify (G_OBJECT (buddy));
  beacon_buddy_set_presence (buddy, BEACON_STATUS_OFFLINE, NULL);
  beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_NONE);
  g_object_thaw_notify (G_OBJECT (buddy));
}

void
beacon_lan_account_friend_changed (BeaconLanAccount *self,
                                   const char       *uri,
                                   gboolean          is_friend)
{
  const BeaconLanPeer *peer = beacon_lan_account_find_peer (self, uri);

  if (is_friend)
    {
      beacon_lan_peers_nearby_remove (self, uri);
      if (peer != NULL)
        {
          g_autoptr(BeaconLanPeer) copy = beacon_lan_peer_copy (peer);

          beacon_lan_account_friend_here (self, uri, copy);
        }
      return;
    }
  beacon_lan_watch_stop (self, uri, TRUE);
  if (peer != NULL)
    {
      g_autoptr(BeaconLanPeer) copy = beacon_lan_peer_copy (peer);

      beacon_lan_peers_nearby_update (self, copy);
    }
}

void
beacon_lan_account_friend_unblocked (BeaconLanAccount *self,
                                     const char       *uri)
{
  beacon_lan_watch_renew (self, uri);
}

/* ---- the other vfuncs ----------------------------------------------------- */

static void
beacon_lan_account_publish (BeaconAccount *account)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);

  if (!beacon_lan_account_is_running (self) || self->stop_task != NULL)
    return;
  beacon_sip_lan_agent_set_presence (self->agent, beacon_account_get_status (account),
                                     beacon_account_get_note (account));
  beacon_lan_discovery_set_status (self->discovery, beacon_account_get_status (account),
                                   self->name);
}

static gboolean
beacon_lan_account_add_buddy (BeaconAccount  *account,
                              const char     *uri,
                              const char     *display_name,
                              GError        **error)
{
  return beacon_lan_roster_add (BEACON_LAN_ACCOUNT (account), uri, display_name, error);
}

static gboolean
beacon_lan_account_remove_buddy (BeaconAccount  *account,
                                 const char     *uri,
                                 GError        **error)
{
  return beacon_lan_roster_remove (BEACON_LAN_ACCOUNT (account), uri, error);
}

static gboolean
beacon_lan_account_authorize (BeaconAccount        *account,
                              const char           *uri,
                              BeaconAuthorization   answer,
                              GError              **error)
{
  return beacon_lan_roster_authorize (BEACON_LAN_ACCOUNT (account), uri, answer, error);
}

static gboolean
beacon_lan_account_rename_buddy (BeaconAccount  *account,
                                 const char     *uri,
                                 const char     *display_name,
                                 GError        **error)
{
  return beacon_lan_roster_rename (BEACON_LAN_ACCOUNT (account), uri, display_name, error);
}

static gboolean
beacon_lan_account_unblock (BeaconAccount  *account,
                            const char     *uri,
                            GError        **error)
{
  return beacon_lan_roster_unblock (BEACON_LAN_ACCOUNT (account), uri, error);
}

static gboolean
beacon_lan_account_send_message (BeaconAccount  *account,
                                 const char     *uri,
                                 const char     *text,
                                 const char     *id,
                                 GError        **error)
{
  return beacon_lan_chat_send (BEACON_LAN_ACCOUNT (account), uri, text, id, error);
}

/* ---- GObject -------------------------------------------------------------- */

GListModel *
beacon_lan_account_get_nearby (BeaconLanAccount *self)
{
  g_return_val_if_fail (BEACON_IS_LAN_ACCOUNT (self), NULL);
  return G_LIST_MODEL (self->nearby);
}

guint
beacon_lan_account_get_port (BeaconLanAccount *self)
{
  g_return_val_if_fail (BEACON_IS_LAN_ACCOUNT (self), 0);
  return self->started ? self->port : 0;
}

static void
beacon_lan_account_constructed (GObject *object)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (object);

  G_OBJECT_CLASS (beacon_lan_account_parent_class)->constructed (object);
  beacon_lan_store_load (self);
}

static void
beacon_lan_account_dispose (GObject *object)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (object);

  destroy_stack (self);
  g_clear_object (&self->discovery);

  G_OBJECT_CLASS (beacon_lan_account_parent_class)->dispose (object);
}

static void
beacon_lan_account_finalize (GObject *object)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (object);

  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->peers, g_hash_table_unref);
  g_clear_pointer (&self->latest, g_hash_table_unref);
  g_clear_object (&self->nearby);
  g_clear_pointer (&self->friends, beacon_resource_lists_free);
  g_clear_pointer (&self->rules, beacon_pres_rules_free);
  g_clear_pointer (&self->load_errors, g_ptr_array_unref);
  g_free (self->name);
  g_free (self->config_dir);
  g_free (self->bind_address);

  G_OBJECT_CLASS (beacon_lan_account_parent_class)->finalize (object);
}

static void
beacon_lan_account_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CONFIG_DIR:
      g_value_set_string (value, self->config_dir);
      break;
    case PROP_DISCOVERY:
      g_value_set_object (value, self->discovery);
      break;
    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_EXPIRES:
      g_value_set_uint (value, self->expires);
      break;
    case PROP_NEARBY:
      g_value_set_object (value, self->nearby);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_lan_account_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_CONFIG_DIR:
      self->config_dir = g_value_dup_string (value);
      break;
    case PROP_DISCOVERY:
      self->discovery = g_value_dup_object (value);
      break;
    case PROP_BIND_ADDRESS:
      {
        const char *address = g_value_get_string (value);

        self->bind_address = address && *address && g_strcmp0 (address, "*") != 0
                               ? g_strdup (address) : NULL;
      }
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_EXPIRES:
      self->expires = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_lan_account_class_init (BeaconLanAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BeaconAccountClass *account_class = BEACON_ACCOUNT_CLASS (klass);

  object_class->constructed = beacon_lan_account_constructed;
  object_class->dispose = beacon_lan_account_dispose;
  object_class->finalize = beacon_lan_account_finalize;
  object_class->get_property = beacon_lan_account_get_property;
  object_class->set_property = beacon_lan_account_set_property;

  account_class->start = beacon_lan_account_start;
  account_class->stop_async = beacon_lan_account_stop_async;
  account_class->stop_finish = beacon_lan_account_stop_finish;
  account_class->publish = beacon_lan_account_publish;
  account_class->add_buddy = beacon_lan_account_add_buddy;
  account_class->remove_buddy = beacon_lan_account_remove_buddy;
  account_class->authorize = beacon_lan_account_authorize;
  account_class->unblock = beacon_lan_account_unblock;
  account_class->rename_buddy = beacon_lan_account_rename_buddy;
  account_class->send_message = beacon_lan_account_send_message;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIG_DIR] =
    g_param_spec_string ("config-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISCOVERY] =
    g_param_spec_object ("discovery", NULL, NULL, BEACON_TYPE_LAN_DISCOVERY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BIND_ADDRESS] =
    g_param_spec_string ("bind-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES] =
    g_param_spec_uint ("expires", NULL, NULL, 10, 86400, 600,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEARBY] =
    g_param_spec_object ("nearby", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (uri, display name or NULL, address, appeared): a peer came or went. */
  signals[PEER] =
    g_signal_new ("peer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
beacon_lan_account_init (BeaconLanAccount *self)
{
  self->expires = 600;
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) beacon_lan_peer_free);
  self->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->nearby = g_list_store_new (BEACON_TYPE_BUDDY);
  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) beacon_lan_watch_free);
  self->load_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

BeaconLanAccount *
beacon_lan_account_new (const char         *name,
                        const char         *config_dir,
                        BeaconLanDiscovery *discovery)
{
  return beacon_lan_account_new_full (name, config_dir, discovery, NULL, 0);
}

BeaconLanAccount *
beacon_lan_account_new_full (const char         *name,
                             const char         *config_dir,
                             BeaconLanDiscovery *discovery,
                             const char         *bind_address,
                             guint               port)
{
  g_autofree char *aor = NULL;

  g_return_val_if_fail (beacon_lan_account_name_is_valid (name), NULL);
  g_return_val_if_fail (config_dir != NULL, NULL);
  g_return_val_if_fail (BEACON_IS_LAN_DISCOVERY (discovery), NULL);

  aor = beacon_lan_account_make_aor (name);
  return g_object_new (BEACON_TYPE_LAN_ACCOUNT,
                       "aor", aor,
                       "name", name,
                       "config-dir", config_dir,
                       "discovery", discovery,
                       "bind-address", bind_address,
                       "port", port,
                       NULL);
}
