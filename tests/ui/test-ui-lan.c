/* test-ui-lan.c — the buddy-list window in LAN mode: the "Nearby" group
 *
 * Under a private Xvfb (run-ui-flows.sh --no-server). Dana is the user:
 * a BeaconLanAccount made by beacon_account_setup_create_lan_full() on
 * 127.0.0.1 with a fake discovery, shown in the BeaconWindow. Erin is a
 * LAN account without UI (tests/engine/lan's helpers). When dana's
 * discovery sees erin, the window lists her under "Nearby" with an "Add"
 * button; pressing it makes her a friend (waiting for authorisation)
 * and, once erin accepts, an online friend. Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>

#include "beacon-account-setup.h"
#include "beacon-application.h"
#include "beacon-buddy-row.h"
#include "beacon-window.h"
#include "fake-discovery.h"
#include "lan-test-util.h"
#include "ui-test-util.h"

#define WAIT_S 20.0

static gboolean
shows_add (GtkWidget *widget,
           gpointer   data)
{
  return gtk_widget_get_mapped (widget) && ui_find_button (widget, "_Add") != NULL &&
         gtk_widget_get_mapped (ui_find_button (widget, "_Add"));
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

typedef struct {
  BeaconAccount      *account;
  const char         *uri;
  BeaconStatus        status;
  BeaconSubscription  subscription;
} BuddyWant;

static gboolean
buddy_is (gpointer data)
{
  BuddyWant *want = data;
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (want->account), want->uri);

  return buddy != NULL && beacon_buddy_get_status (buddy) == want->status &&
         beacon_buddy_get_subscription (buddy) == want->subscription;
}

static gboolean
erin_asked (gpointer data)
{
  LanPeer *erin = ((gpointer *) data)[0];
  g_autofree char *line = g_strdup_printf ("%s pending", (char *) ((gpointer *) data)[1]);

  return lan_peer_has_line (erin->watchers, line);
}

static void
test_nearby (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "dana", NULL);
  g_autoptr(FakeDiscovery) discovery = fake_discovery_new ();
  g_autoptr(BeaconApplication) app = beacon_application_new ();
  g_autoptr(BeaconAccount) dana = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *history = g_build_filename (dir, "history.sqlite", NULL);
  LanPeer *erin;
  GtkWidget *window;
  GtkWidget *row;
  const char *dana_uri;

  dana = beacon_account_setup_create_lan_full ("dana", dir, BEACON_LAN_DISCOVERY (discovery),
                                               "127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_true (BEACON_IS_ACCOUNT (dana));
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
  dana_uri = beacon_account_get_aor (dana);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  beacon_application_set_account (app, dana);
  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
  g_assert_nonnull (window);
  ui_wait_for (is_mapped, window, WAIT_S, "the window");
  ui_wait_for_text (window, "No Friends Yet", WAIT_S);

  /* Erin appears on the network: listed nearby, with "Add". */
  erin = lan_peer_new ("erin", NULL, 600);
  fake_discovery_show (discovery, erin->discovery, "127.0.0.1");
  ui_wait_for_text (window, "Nearby", WAIT_S);
  ui_wait_for_text (window, "erin", WAIT_S);
  ui_screenshot (window, "lan-main-window-nearby");
  row = ui_find (window, BEACON_TYPE_BUDDY_ROW, shows_add, NULL);
  g_assert_nonnull (row);
  g_assert_nonnull (ui_find_button (row, "_Add"));

  /* Add: she leaves "Nearby" for the friends waiting for her answer. */
  ui_click (row, "_Add");
  ui_wait_for_no_text (window, "Nearby", WAIT_S);
  ui_wait_for_text (window, "Waiting for Authorisation", WAIT_S);
  {
    gpointer data[] = { erin, (gpointer) dana_uri };
    ui_wait_for (erin_asked, data, WAIT_S, "erin to be asked about dana");
  }

  /* Erin accepts: an online friend. */
  g_assert_true (beacon_account_authorize (lan_peer_account (erin), dana_uri,
                                           BEACON_AUTHORIZE_ALLOW, NULL));
  {
    BuddyWant want = { dana, lan_peer_aor (erin), BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE };
    ui_wait_for (buddy_is, &want, WAIT_S, "dana to see erin online");
  }
  ui_wait_for_no_text (window, "Waiting for Authorisation", WAIT_S);
  ui_wait_for_text (window, "Online", WAIT_S);
  ui_screenshot (window, "lan-main-window-friend");

  gtk_window_destroy (GTK_WINDOW (window));
  beacon_application_set_account (app, NULL);  /* dana leaves */
  lan_peer_free (erin);
  ui_spin (0.5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_message ("run through run-ui-flows.sh (meson test --suite ui)");
      return 77;
    }
  adw_init ();
  g_test_add_func ("/ui/lan/nearby", test_nearby);
  return g_test_run ();
}
