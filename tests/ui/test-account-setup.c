/* test-account-setup.c — from settings to an engine account
 *
 * Defaults derived from the address, the account's files, and bad
 * settings giving a clear error and no account. Nothing here starts an
 * account: no network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "beacon-account-setup.h"
#include "server/beacon-server-account.h"
#include "beacon-test-util.h"

static void
test_defaults (void)
{
  struct { const char *aor, *xcap, *list; } cases[] = {
    { "sip:alice@example.org", "http://example.org:5080/xcap-root", "sip:alice-list@example.org" },
    { "sip:bob@example.org:5070;transport=tcp", "http://example.org:5080/xcap-root",
      "sip:bob-list@example.org" },
    { "sip:carol@[2001:db8::1]", "http://[2001:db8::1]:5080/xcap-root", "sip:carol-list@[2001:db8::1]" },
    { "sip:example.org", NULL, NULL },
    { "sip:dave@", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xcap = beacon_account_setup_default_xcap_root (cases[i].aor);
      g_autofree char *list = beacon_account_setup_default_list_uri (cases[i].aor);

      g_assert_cmpstr (xcap, ==, cases[i].xcap);
      g_assert_cmpstr (list, ==, cases[i].list);
    }
}

static void
test_data_dir (void)
{
  g_autofree char *dir = beacon_account_default_data_dir ("sip:alice@example.org");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "beacon", "accounts",
                                                "sip%3Aalice%40example.org", NULL);

  g_assert_cmpstr (dir, ==, expected);
}


static void
test_server_account (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-setup-XXXXXX", NULL);
  g_autofree char *history = g_build_filename (tmp, "history.sqlite", NULL);
  BeaconServerSetup setup = {
    .aor = " alice@example.org ", .password = "secret", .transport = "tcp",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconAccount) account = beacon_account_setup_create_server (&setup, tmp, &error);
  g_autoptr(GObject) store = NULL;
  g_autoptr(GObject) kept = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *user = NULL;
  int transport;

  g_assert_no_error (error);
  g_assert_true (BEACON_IS_SERVER_ACCOUNT (account));
  /* What the user typed, as a SIP URI; the rest derived from it. */
  g_assert_cmpstr (beacon_account_get_aor (account), ==, "sip:alice@example.org");
  g_assert_cmpstr (beacon_server_account_get_list_uri (BEACON_SERVER_ACCOUNT (account)), ==,
                   "sip:alice-list@example.org");
  g_object_get (account, "roster-store", &store, "history", &kept, "proxy", &proxy,
                "auth-user", &user, "transport", &transport, NULL);
  g_assert_nonnull (store);
  g_assert_nonnull (kept);
  g_assert_null (proxy);
  g_assert_cmpstr (user, ==, "alice");
  g_assert_cmpint (transport, ==, BEACON_SIP_TRANSPORT_TCP);
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (beacon_account_get_connection_state (account), ==, BEACON_CONNECTION_OFFLINE);

  g_clear_object (&store);
  g_clear_object (&kept);
  g_clear_object (&account);

  /* TLS, with the system's CAs. */
  setup.transport = "tls";
  account = beacon_account_setup_create_server (&setup, tmp, &error);
  g_assert_no_error (error);
  g_object_get (account, "transport", &transport, NULL);
  g_assert_cmpint (transport, ==, BEACON_SIP_TRANSPORT_TLS);
  g_clear_object (&account);
  beacon_test_remove_tree (tmp);
}

static void
test_bad_settings (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-setup-XXXXXX", NULL);
  struct { BeaconServerSetup setup; GQuark domain; int code; } cases[] = {
    { { .aor = "not an address" }, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI },
    { { .aor = "" }, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI },
    { { .aor = "sip:example.org" }, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI },
    { { .aor = "sip:alice@example.org", .transport = "sctp" }, BEACON_ACCOUNT_ERROR,
      BEACON_ACCOUNT_ERROR_FAILED },
    { { .aor = "sip:alice@example.org", .list_uri = "no list" }, BEACON_ACCOUNT_ERROR,
      BEACON_ACCOUNT_ERROR_INVALID_URI },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconAccount) account = beacon_account_setup_create_server (&cases[i].setup, tmp, &error);

      g_assert_null (account);
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_nonnull (error->message);
    }
  /* Nothing was written for them. */
  g_assert_cmpint (g_rmdir (tmp), ==, 0);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconAccount) account = beacon_account_setup_create_lan ("  ", NULL, &error);

    g_assert_null (account);
    g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  }
}

static void
test_settings_modes (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconAccount) account = NULL;

  /* First run: no mode, no account, no error. */
  g_settings_reset (settings, "mode");
  account = beacon_account_setup_create (settings, &error);
  g_assert_no_error (error);
  g_assert_null (account);

  /* A server mode without an address is an error, not a crash. */
  g_settings_set_string (settings, "mode", "server");
  g_settings_set_string (settings, "server-aor", "");
  account = beacon_account_setup_create (settings, &error);
  g_assert_null (account);
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);
  g_settings_reset (settings, "mode");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/account-setup/defaults", test_defaults);
  g_test_add_func ("/ui/account-setup/data-dir", test_data_dir);
  g_test_add_func ("/ui/account-setup/server-account", test_server_account);
  g_test_add_func ("/ui/account-setup/bad-settings", test_bad_settings);
  g_test_add_func ("/ui/account-setup/settings-modes", test_settings_modes);
  return g_test_run ();
}
