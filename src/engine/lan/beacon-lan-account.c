/* beacon-lan-account.c — the serverless account: presence and chat on the LAN
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

/* ---- the other vfuncs ----------------------------------------------------- */

static void
beacon_lan_account_publish (BeaconAccount *account)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);

  if (!beacon_lan_stack_is_running (self) || self->stop_task != NULL)
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

  beacon_lan_stack_destroy (self);
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

  account_class->start = beacon_lan_stack_start;
  account_class->stop_async = beacon_lan_stack_stop_async;
  account_class->stop_finish = beacon_lan_stack_stop_finish;
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
