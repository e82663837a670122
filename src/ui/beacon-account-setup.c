/* beacon-account-setup.c — the account the settings describe
 *
 * Turns the GSettings (and the keyring's password) into an engine
 * account: a BeaconServerAccount with its XCAP roster, or a
 * BeaconLanAccount with DNS-SD discovery; either with its history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "beacon-account-setup.h"
#include "history/beacon-history.h"
#include "server/beacon-server-account.h"
#include "xcap/beacon-roster.h"

#include "lan/beacon-avahi-discovery.h"
#include "lan/beacon-lan-account.h"

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    BEACON_APP_ID ".Password", SECRET_SCHEMA_NONE,
    {
      { "aor", SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* The account's id (beacon-accounts.h); passwords stored before
       * several accounts existed have none and are found by "aor". */
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

gboolean
beacon_account_setup_store_password (const char  *aor,
                                     const char  *password,
                                     GError     **error)
{
  g_autofree char *label = g_strdup_printf (_("Beacon password for %s"), aor);

  return secret_password_store_sync (password_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     password, NULL, error, "aor", aor, NULL);
}

char *
beacon_account_setup_lookup_password (const char  *aor,
                                      GError     **error)
{
  return secret_password_lookup_sync (password_schema (), NULL, error, "aor", aor, NULL);
}

gboolean
beacon_account_setup_store_account_password (const char  *id,
                                             const char  *aor,
                                             const char  *password,
                                             GError     **error)
{
  g_autofree char *label = g_strdup_printf (_("Beacon password for %s"), aor);

  return secret_password_store_sync (password_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     password, NULL, error, "aor", aor, "account", id, NULL);
}

char *
beacon_account_setup_lookup_account_password (const char  *id,
                                              const char  *aor,
                                              GError     **error)
{
  g_autoptr(GError) local = NULL;
  /* By the id alone: an address edited in Preferences keeps its password. */
  char *password = secret_password_lookup_sync (password_schema (), NULL, &local,
                                                "account", id, NULL);

  if (password != NULL || local != NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return password;
    }
  /* One kept by an older Beacon, for the address alone. */
  return beacon_account_setup_lookup_password (aor, error);
}

gboolean
beacon_account_setup_forget_password (const char  *id,
                                      const char  *aor,
                                      GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (id != NULL)
    secret_password_clear_sync (password_schema (), NULL, &local, "account", id, NULL);
  else
    secret_password_clear_sync (password_schema (), NULL, &local, "aor", aor, NULL);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* ---- the same, without blocking: a keyring may prompt, or not answer ---- */

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
beacon_account_setup_store_account_password_async (const char          *id,
                                                   const char          *aor,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  g_autofree char *label = g_strdup_printf (_("Beacon password for %s"), aor);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_account_setup_store_account_password_async);
  secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_password_stored, task,
                         "aor", aor, "account", id, NULL);
}

gboolean
beacon_account_setup_store_account_password_finish (GAsyncResult  *result,
                                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_password_found_by_aor (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

static void
on_password_found_by_id (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);
  const char *aor = g_task_get_task_data (task);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (password != NULL || aor == NULL)
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
  else
    /* One kept by an older Beacon, for the address alone. */
    secret_password_lookup (password_schema (), g_task_get_cancellable (task),
                            on_password_found_by_aor, g_steal_pointer (&task), "aor", aor, NULL);
}

void
beacon_account_setup_lookup_account_password_async (const char          *id,
                                                    const char          *aor,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_account_setup_lookup_account_password_async);
  g_task_set_task_data (task, g_strdup (aor), g_free);
  secret_password_lookup (password_schema (), cancellable, on_password_found_by_id, task,
                          "account", id, NULL);
}

char *
beacon_account_setup_lookup_account_password_finish (GAsyncResult  *result,
                                                     GError       **error)
{
  g_autoptr(GError) local = NULL;
  char *password = g_task_propagate_pointer (G_TASK (result), &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Out of libsecret's non-pageable memory, for a plain g_free(). */
  {
    char *copy = g_strdup (password);
    secret_password_free (password);
    return copy;
  }
}

static void
on_password_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
beacon_account_setup_forget_account_password_async (const char          *id,
                                                    const char          *aor,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_account_setup_forget_account_password_async);
  if (id != NULL)
    secret_password_clear (password_schema (), cancellable, on_password_cleared, task,
                           "account", id, NULL);
  else
    secret_password_clear (password_schema (), cancellable, on_password_cleared, task,
                           "aor", aor, NULL);
}

gboolean
beacon_account_setup_forget_account_password_finish (GAsyncResult  *result,
                                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_service (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(SecretService) service = secret_service_get_finish (result, &error);

  if (service == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
beacon_account_setup_keyring_available_async (GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_account_setup_keyring_available_async);
  /* A session with the service is what storing needs: it fails at once
   * when no Secret Service is running or can be started on the bus. */
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, on_service, task);
}

gboolean
beacon_account_setup_keyring_available_finish (GAsyncResult  *result,
                                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "sip:alice@example.org:5070;transport=tcp" → user "alice", host
 * "example.org". FALSE when there is no user@host. */
static gboolean
split_aor (const char  *aor,
           char       **user,
           char       **host)
{
  const char *start = g_str_has_prefix (aor, "sip:") ? aor + 4 : aor;
  const char *at = strchr (start, '@');
  const char *end;

  if (at == NULL || at == start)
    return FALSE;
  at++;
  if (*at == '[')
    end = strchr (at, ']') ? strchr (at, ']') + 1 : at + strlen (at);
  else
    end = at + strcspn (at, ":;?>");
  if (end == at)
    return FALSE;
  if (user != NULL)
    *user = g_strndup (start, at - 1 - start);
  if (host != NULL)
    *host = g_strndup (at, end - at);
  return TRUE;
}

char *
beacon_account_setup_default_xcap_root (const char *aor)
{
  g_autofree char *host = NULL;

  if (!split_aor (aor, NULL, &host))
    return NULL;
  return g_strdup_printf ("http://%s:%d/xcap-root", host, BEACON_DEFAULT_XCAP_PORT);
}

char *
beacon_account_setup_default_list_uri (const char *aor)
{
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;

  if (!split_aor (aor, &user, &host))
    return NULL;
  return g_strdup_printf ("sip:%s-list@%s", user, host);
}

static const char *
or_null (const char *value)
{
  return value != NULL && *value != '\0' ? value : NULL;
}

/* The history at @data_dir/history.sqlite; a damaged file was set aside
 * and a new one made (logged), so NULL only when none can be had. */
static BeaconHistory *
open_history (const char  *data_dir,
              GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "history.sqlite", NULL);
  g_autoptr(GError) recovered = NULL;
  BeaconHistory *history;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   _("Cannot create the folder %s: %s"), data_dir, g_strerror (saved));
      return NULL;
    }
  history = beacon_history_open (path, &recovered, error);
  if (recovered != NULL)
    g_warning ("%s", recovered->message);
  return history;
}

BeaconAccount *
beacon_account_setup_create_server (const BeaconServerSetup  *setup,
                                    const char               *data_dir,
                                    GError                  **error)
{
  g_autofree char *aor = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *xcap_root = NULL;
  g_autofree char *list_uri = NULL;
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(BeaconHistory) history = NULL;
  BeaconSipTransport transport = BEACON_SIP_TRANSPORT_UDP;
  const char *auth_user;

  g_return_val_if_fail (setup != NULL, NULL);

  aor = beacon_account_normalize_uri (setup->aor ? setup->aor : "", error);
  if (aor == NULL)
    return NULL;
  if (!split_aor (aor, &user, &host))
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI,
                   _("“%s” has no user name and domain, like sip:alice@example.org"), aor);
      return NULL;
    }
  if (or_null (setup->transport) == NULL || g_ascii_strcasecmp (setup->transport, "udp") == 0)
    transport = BEACON_SIP_TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (setup->transport, "tcp") == 0)
    transport = BEACON_SIP_TRANSPORT_TCP;
  /* TLS trusts the system's certificate authorities. */
  else if (g_ascii_strcasecmp (setup->transport, "tls") == 0)
    transport = BEACON_SIP_TRANSPORT_TLS;
  else
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   _("The “%s” transport is not supported: choose UDP, TCP or TLS in Preferences"),
                   setup->transport);
      return NULL;
    }

  auth_user = or_null (setup->auth_user) ? setup->auth_user : user;
  xcap_root = or_null (setup->xcap_root) ? g_strdup (setup->xcap_root)
                                         : beacon_account_setup_default_xcap_root (aor);
  if (or_null (setup->list_uri) != NULL)
    {
      list_uri = beacon_account_normalize_uri (setup->list_uri, error);
      if (list_uri == NULL)
        return NULL;
    }
  else
    list_uri = beacon_account_setup_default_list_uri (aor);

  dir = data_dir != NULL ? g_strdup (data_dir) : beacon_account_default_data_dir (aor);
  roster = beacon_roster_new_for_account (xcap_root, aor, auth_user, setup->password, dir,
                                          list_uri, error);
  if (roster == NULL)
    return NULL;
  history = open_history (dir, error);
  if (history == NULL)
    return NULL;

  return g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                       "aor", aor,
                       "auth-user", auth_user,
                       "password", setup->password ? setup->password : "",
                       "proxy", or_null (setup->proxy),
                       "transport", transport,
                       "list-uri", list_uri,
                       "roster-store", roster,
                       "history", history,
                       NULL);
}

char *
beacon_account_setup_derive_user (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *ascii = NULL;
  GString *user = g_string_new (NULL);

  /* A name that already is a SIP user stays as it is (accounts made
   * before display names existed keep their address). */
  if (beacon_lan_account_name_is_valid (trimmed))
    {
      g_string_free (user, TRUE);
      return g_steal_pointer (&trimmed);
    }
  /* "Zoë Liddell" → "zoe.liddell": letters and digits, one dot for each
   * run of anything else. */
  ascii = g_str_to_ascii (trimmed, NULL);
  for (const char *p = ascii; *p != '\0' && user->len < 64; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        g_string_append_c (user, g_ascii_tolower (*p));
      else if (user->len > 0 && user->str[user->len - 1] != '.')
        g_string_append_c (user, '.');
    }
  while (user->len > 0 && user->str[user->len - 1] == '.')
    g_string_truncate (user, user->len - 1);
  /* Nothing usable ("李明"): the login name, else "me". */
  if (user->len == 0)
    g_string_assign (user, beacon_lan_account_name_is_valid (g_get_user_name ()) ? g_get_user_name () : "me");
  return g_string_free (user, FALSE);
}

gboolean
beacon_account_setup_check_lan_name (const char  *name,
                                     GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (*trimmed == '\0')
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           _("Enter the name people nearby will see"));
      return FALSE;
    }
  /* DNS-SD announces it as the service's instance name: at most 63 bytes. */
  if (strlen (trimmed) > 63)
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           _("This name is too long: use a shorter one"));
      return FALSE;
    }
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                             _("The name cannot contain control characters"));
        return FALSE;
      }
  return TRUE;
}

BeaconAccount *
beacon_account_setup_create_lan_user (const char          *name,
                                      const char          *user,
                                      const char          *data_dir,
                                      BeaconLanDiscovery  *discovery,
                                      const char          *bind_address,
                                      GError             **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *sip_user = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(BeaconHistory) history = NULL;

  g_return_val_if_fail (discovery == NULL || BEACON_IS_LAN_DISCOVERY (discovery), NULL);

  if (!beacon_account_setup_check_lan_name (trimmed, error))
    return NULL;
  sip_user = or_null (user) ? g_strstrip (g_strdup (user)) : beacon_account_setup_derive_user (trimmed);
  if (!beacon_lan_account_name_is_valid (sip_user))
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI,
                   _("“%s” cannot be a SIP user name: use up to 64 letters, digits and - _ . ! ~ * ’"),
                   sip_user);
      return NULL;
    }
  if (discovery == NULL)
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           _("LAN mode is not available in this build"));
      return NULL;
    }
  aor = beacon_lan_account_make_aor (sip_user);
  dir = data_dir != NULL ? g_strdup (data_dir) : beacon_account_default_data_dir (aor);
  history = open_history (dir, error);
  if (history == NULL)
    return NULL;
  /* As beacon_lan_account_new_full(), with the history; the name people
   * see (announced over DNS-SD) may be any name, the AOR's user is a SIP
   * one. */
  return g_object_new (BEACON_TYPE_LAN_ACCOUNT,
                       "aor", aor,
                       "name", trimmed,
                       "config-dir", dir,
                       "discovery", discovery,
                       "bind-address", bind_address,
                       "history", history,
                       NULL);
}

BeaconAccount *
beacon_account_setup_create_lan_full (const char          *name,
                                      const char          *data_dir,
                                      BeaconLanDiscovery  *discovery,
                                      const char          *bind_address,
                                      GError             **error)
{
  return beacon_account_setup_create_lan_user (name, NULL, data_dir, discovery, bind_address, error);
}

static BeaconAccount *
create_lan_from_settings (GSettings  *settings,
                          GError    **error)
{
  g_autofree char *name = g_settings_get_string (settings, "lan-name");
  g_autofree char *user = g_settings_get_string (settings, "lan-user");
  g_autoptr(BeaconLanDiscovery) discovery = beacon_avahi_discovery_new ();

  return beacon_account_setup_create_lan_user (name, user, NULL, discovery, NULL, error);
}

BeaconAccount *
beacon_account_setup_create_lan (const char  *name,
                                 const char  *data_dir,
                                 GError     **error)
{
  g_autoptr(BeaconLanDiscovery) discovery = beacon_avahi_discovery_new ();

  return beacon_account_setup_create_lan_full (name, data_dir, discovery, NULL, error);
}

BeaconAccount *
beacon_account_setup_create (GSettings  *settings,
                             GError    **error)
{
  return beacon_account_setup_create_account (settings, NULL, error);
}

BeaconAccount *
beacon_account_setup_create_account (GSettings   *settings,
                                     const char  *id,
                                     GError     **error)
{
  g_autofree char *mode = g_settings_get_string (settings, "mode");

  if (g_str_equal (mode, "lan"))
    return create_lan_from_settings (settings, error);
  if (g_str_equal (mode, "server"))
    {
      g_autofree char *aor = g_settings_get_string (settings, "server-aor");
      g_autofree char *password = NULL;
      g_autoptr(GError) keyring_error = NULL;
      g_autofree char *normalized = beacon_account_normalize_uri (aor, error);

      /* A bad address needs no trip to the keyring. */
      if (normalized == NULL)
        return NULL;
      /* Without a keyring (or a stored password) the account still
       * starts: the server refuses it and the window says to check the
       * password in Preferences. */
      password = id != NULL
                   ? beacon_account_setup_lookup_account_password (id, normalized, &keyring_error)
                   : beacon_account_setup_lookup_password (normalized, &keyring_error);
      if (keyring_error != NULL)
        g_message ("Could not read the password from the keyring: %s", keyring_error->message);
      return beacon_account_setup_create_with_password (settings, password, error);
    }
  return NULL;
}

BeaconAccount *
beacon_account_setup_create_with_password (GSettings   *settings,
                                           const char  *password,
                                           GError     **error)
{
  g_autofree char *mode = g_settings_get_string (settings, "mode");
  g_autofree char *aor = NULL;
  g_autofree char *user = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *xcap_root = NULL;
  g_autofree char *list_uri = NULL;
  BeaconServerSetup setup = { NULL };

  if (!g_str_equal (mode, "server"))
    return beacon_account_setup_create_account (settings, NULL, error);
  aor = g_settings_get_string (settings, "server-aor");
  user = g_settings_get_string (settings, "server-user");
  proxy = g_settings_get_string (settings, "server-proxy");
  transport = g_settings_get_string (settings, "server-transport");
  xcap_root = g_settings_get_string (settings, "server-xcap-root");
  list_uri = g_settings_get_string (settings, "server-list-uri");
  setup = (BeaconServerSetup) {
    .aor = aor, .auth_user = user, .password = password, .proxy = proxy,
    .transport = transport, .xcap_root = xcap_root, .list_uri = list_uri,
  };
  return beacon_account_setup_create_server (&setup, NULL, error);
}
