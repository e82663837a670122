/* test-accounts.c — several accounts in GSettings
 *
 * The "accounts" list and each account's relocatable settings: ids
 * handed out in order, removal resetting one account and no other, the
 * migration of the single account kept before several existed (its old
 * keys left readable), and an engine account made from one account's
 * settings rather than the main schema's. No display, no network, no
 * keyring (the session bus points nowhere).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "server/beacon-server-account.h"
#include "beacon-test-util.h"

static char *tmp_home;

static void
reset_all (GSettings *settings)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");

  for (guint i = 0; ids[i] != NULL; i++)
    beacon_accounts_remove (settings, ids[i]);
  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "mode");
  g_settings_reset (settings, "lan-name");
  g_settings_reset (settings, "server-aor");
  g_settings_reset (settings, "server-transport");
  g_settings_reset (settings, "server-proxy");
}

static void
assert_ids (GSettings  *settings,
            const char *joined)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");
  g_autofree char *got = g_strjoinv (",", ids);

  g_assert_cmpstr (got, ==, joined);
}

static void
test_add_remove (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GSettings) a1 = NULL;
  g_autoptr(GSettings) a2 = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *name = NULL;
  char *id;

  reset_all (settings);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *expected = g_strdup_printf ("a%u", i);

      id = beacon_accounts_add (settings);
      g_assert_cmpstr (id, ==, expected);
      g_free (id);
    }
  assert_ids (settings, "a0,a1,a2");

  /* Each account its own settings. */
  a1 = beacon_accounts_open ("a1");
  a2 = beacon_accounts_open ("a2");
  g_settings_set_string (a1, "mode", "lan");
  g_settings_set_string (a1, "lan-name", "dana");
  g_settings_set_string (a2, "mode", "server");
  g_settings_set_string (a2, "server-aor", "sip:erin@example.org");
  mode = g_settings_get_string (a2, "mode");
  g_assert_cmpstr (mode, ==, "server");

  /* Removing a1 forgets its keys, and only its. */
  g_assert_true (beacon_accounts_remove (settings, "a1"));
  assert_ids (settings, "a0,a2");
  g_free (mode);
  mode = g_settings_get_string (a1, "mode");
  name = g_settings_get_string (a1, "lan-name");
  g_assert_cmpstr (mode, ==, "none");
  g_assert_cmpstr (name, ==, "");
  g_free (mode);
  mode = g_settings_get_string (a2, "mode");
  g_assert_cmpstr (mode, ==, "server");

  /* An unknown id changes nothing. */
  g_assert_false (beacon_accounts_remove (settings, "a7"));
  assert_ids (settings, "a0,a2");

  /* The first free id is handed out again, listed last. */
  id = beacon_accounts_add (settings);
  g_assert_cmpstr (id, ==, "a1");
  g_free (id);
  assert_ids (settings, "a0,a2,a1");
  reset_all (settings);
}

static void
test_describe (void)
{
  g_autoptr(GSettings) account = beacon_accounts_open ("a5");
  g_autofree char *none = beacon_accounts_describe (account);
  g_autofree char *lan = NULL;
  g_autofree char *server = NULL;

  g_assert_null (none);
  g_settings_set_string (account, "mode", "lan");
  g_settings_set_string (account, "lan-name", "dana");
  lan = beacon_accounts_describe (account);
  g_assert_cmpstr (lan, ==, "LAN: dana");
  g_settings_set_string (account, "mode", "server");
  g_settings_set_string (account, "server-aor", "sip:alice@example.org");
  server = beacon_accounts_describe (account);
  g_assert_cmpstr (server, ==, "alice@example.org");
  g_settings_reset (account, "mode");
  g_settings_reset (account, "lan-name");
  g_settings_reset (account, "server-aor");
}

static void
test_migrate_server (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GSettings) a0 = beacon_accounts_open ("a0");
  struct { const char *key, *value; } keys[] = {
    { "mode", "server" },
    { "server-aor", "sip:alice@example.org" },
    { "server-user", "alice2" },
    { "server-proxy", "sip:127.0.0.1:5070" },
    { "server-transport", "tcp" },
    { "server-xcap-root", "http://127.0.0.1:5080/xcap-root" },
    { "server-list-uri", "sip:friends@example.org" },
    { "lan-name", "alice-lan" },
  };

  reset_all (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_set_string (settings, keys[i].key, keys[i].value);

  g_assert_true (beacon_accounts_migrate (settings));
  assert_ids (settings, "a0");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *copied = g_settings_get_string (a0, keys[i].key);
      g_autofree char *old = g_settings_get_string (settings, keys[i].key);

      g_assert_cmpstr (copied, ==, keys[i].value);
      /* The old keys stay readable. */
      g_assert_cmpstr (old, ==, keys[i].value);
    }

  /* Once there are accounts, never again (a0 edited stays edited). */
  g_settings_set_string (a0, "server-user", "edited");
  g_assert_false (beacon_accounts_migrate (settings));
  assert_ids (settings, "a0");
  {
    g_autofree char *user = g_settings_get_string (a0, "server-user");
    g_assert_cmpstr (user, ==, "edited");
  }
  reset_all (settings);
  g_settings_reset (settings, "server-user");
  g_settings_reset (settings, "server-xcap-root");
  g_settings_reset (settings, "server-list-uri");
}

static void
test_migrate_lan_and_none (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GSettings) a0 = beacon_accounts_open ("a0");
  g_autofree char *mode = NULL;
  g_autofree char *name = NULL;

  /* A first run: nothing to migrate. */
  reset_all (settings);
  g_assert_false (beacon_accounts_migrate (settings));
  assert_ids (settings, "");
  mode = g_settings_get_string (a0, "mode");
  g_assert_cmpstr (mode, ==, "none");

  g_settings_set_string (settings, "mode", "lan");
  g_settings_set_string (settings, "lan-name", "dana");
  g_assert_true (beacon_accounts_migrate (settings));
  assert_ids (settings, "a0");
  g_free (mode);
  mode = g_settings_get_string (a0, "mode");
  name = g_settings_get_string (a0, "lan-name");
  g_assert_cmpstr (mode, ==, "lan");
  g_assert_cmpstr (name, ==, "dana");
  reset_all (settings);
}

/* The engine account comes from the account's own settings, not from the
 * main schema's old keys. */
static void
test_create_from_account (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GSettings) a3 = beacon_accounts_open ("a3");
  g_autoptr(BeaconAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  int transport;

  reset_all (settings);
  g_settings_set_string (settings, "mode", "server");
  g_settings_set_string (settings, "server-aor", "sip:old@example.org");

  /* No mode yet: no account, no error. */
  account = beacon_account_setup_create_account (a3, "a3", &error);
  g_assert_no_error (error);
  g_assert_null (account);

  g_settings_set_string (a3, "mode", "server");
  g_settings_set_string (a3, "server-aor", "bob@example.org");
  g_settings_set_string (a3, "server-transport", "tcp");
  /* No keyring here: the account is still made (the log says why it
   * has no password). */
  account = beacon_account_setup_create_account (a3, "a3", &error);
  g_assert_no_error (error);
  g_assert_true (BEACON_IS_SERVER_ACCOUNT (account));
  g_assert_cmpstr (beacon_account_get_aor (account), ==, "sip:bob@example.org");
  g_assert_cmpstr (beacon_server_account_get_list_uri (BEACON_SERVER_ACCOUNT (account)), ==,
                   "sip:bob-list@example.org");
  g_object_get (account, "transport", &transport, NULL);
  g_assert_cmpint (transport, ==, BEACON_SIP_TRANSPORT_TCP);
  g_clear_object (&account);

  /* A bad address in one account: a clear error, no account. */
  g_settings_set_string (a3, "server-aor", "not an address");
  account = beacon_account_setup_create_account (a3, "a3", &error);
  g_assert_null (account);
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);

  g_settings_reset (a3, "mode");
  g_settings_reset (a3, "server-aor");
  g_settings_reset (a3, "server-transport");
  reset_all (settings);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Account files in a folder of our own; the keyring out of reach. */
  tmp_home = g_dir_make_tmp ("beacon-accounts-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", tmp_home, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/beacon-test", TRUE);
  g_unsetenv ("DISPLAY");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/accounts/add-remove", test_add_remove);
  g_test_add_func ("/ui/accounts/describe", test_describe);
  g_test_add_func ("/ui/accounts/migrate-server", test_migrate_server);
  g_test_add_func ("/ui/accounts/migrate-lan-and-none", test_migrate_lan_and_none);
  g_test_add_func ("/ui/accounts/create-from-account", test_create_from_account);
  status = g_test_run ();
  beacon_test_remove_tree (tmp_home);
  g_free (tmp_home);
  return status;
}
