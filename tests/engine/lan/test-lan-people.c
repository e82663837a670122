/* test-lan-people.c — names and the blacklist in LAN mode
 *
 * LAN accounts on 127.0.0.1 with the fake discovery: "Accept and Add"
 * keeps the name a peer announces, a rename is kept in the friends file
 * and leaves the rules alone, and unblocking gives the other side its
 * view of us back without either side re-adding anyone (issue #13,
 * item 7). Every wait is bounded (LAN_WAIT_FOR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "lan-test-util.h"

/* The account's folder (flat: its files, no sub-folders). */
static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

/* Bob announces @name instead of his account's own. */
static void
announce_as (LanPeer    *peer,
             const char *name)
{
  beacon_lan_discovery_set_status (BEACON_LAN_DISCOVERY (peer->discovery),
                                   beacon_account_get_status (lan_peer_account (peer)), name);
}

static gboolean
nearby_named (BeaconLanAccount *account,
              const char       *uri,
              const char       *name)
{
  GListModel *nearby = beacon_lan_account_get_nearby (account);

  for (guint i = 0; i < g_list_model_get_n_items (nearby); i++)
    {
      g_autoptr(BeaconBuddy) peer = g_list_model_get_item (nearby, i);

      if (g_str_equal (beacon_buddy_get_uri (peer), uri))
        return g_strcmp0 (beacon_buddy_get_display_name (peer), name) == 0;
    }
  return FALSE;
}

static void
test_accept_and_add_keeps_name (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beacon-lan-people-XXXXXX", NULL);
  LanPeer *alice = lan_peer_new ("alice", dir, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;

  /* Alice sees Bob nearby under his announced name; he asks for her. */
  announce_as (bob, "Bob Marley");
  lan_peer_show (alice, bob);
  LAN_WAIT_FOR (nearby_named (alice->account, lan_peer_aor (bob), "Bob Marley"));
  g_assert_true (beacon_account_add_buddy (lan_peer_account (bob), lan_peer_aor (alice), NULL, &error));
  lan_peer_show (bob, alice);
  LAN_WAIT_FOR (lan_peer_has_line (alice->watchers, "sip:bob@test.lan pending"));

  /* Accept and Add: a friend called what he announced, not his URI. */
  g_assert_true (beacon_account_authorize (lan_peer_account (alice), lan_peer_aor (bob),
                                           BEACON_AUTHORIZE_ALLOW_AND_ADD, &error));
  g_assert_no_error (error);
  g_assert_nonnull (lan_peer_buddy (alice, bob));
  g_assert_cmpstr (beacon_buddy_get_display_name (lan_peer_buddy (alice, bob)), ==, "Bob Marley");

  /* Kept in her friends file: a restart still knows the name. */
  lan_peer_free (alice);
  alice = lan_peer_new ("alice", dir, 0);
  g_assert_nonnull (lan_peer_buddy (alice, bob));
  g_assert_cmpstr (beacon_buddy_get_display_name (lan_peer_buddy (alice, bob)), ==, "Bob Marley");

  lan_peer_free (alice);
  lan_peer_free (bob);
  remove_dir (dir);
}

static void
test_rename (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beacon-lan-people-XXXXXX", NULL);
  LanPeer *alice = lan_peer_new ("alice", dir, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;

  lan_peer_befriend (alice, bob);
  g_assert_true (beacon_account_rename_buddy (lan_peer_account (alice), lan_peer_aor (bob),
                                              "Robert", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (beacon_buddy_get_display_name (lan_peer_buddy (alice, bob)), ==, "Robert");

  /* Renaming a blocked friend does not unblock him (add would). */
  g_assert_true (beacon_account_authorize (lan_peer_account (alice), lan_peer_aor (bob),
                                           BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_true (beacon_account_rename_buddy (lan_peer_account (alice), lan_peer_aor (bob),
                                              "Bobby", &error));
  g_assert_no_error (error);
  g_assert_true (beacon_account_is_blocked (lan_peer_account (alice), lan_peer_aor (bob)));

  /* Nobody else, and no empty name. */
  g_assert_false (beacon_account_rename_buddy (lan_peer_account (alice), "sip:zoe@test.lan",
                                               "Zoe", &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (beacon_account_rename_buddy (lan_peer_account (alice), lan_peer_aor (bob), "",
                                               &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);

  /* Both kept across a restart. */
  lan_peer_free (alice);
  alice = lan_peer_new ("alice", dir, 0);
  g_assert_cmpstr (beacon_buddy_get_display_name (lan_peer_buddy (alice, bob)), ==, "Bobby");
  g_assert_true (beacon_account_is_blocked (lan_peer_account (alice), lan_peer_aor (bob)));

  lan_peer_free (alice);
  lan_peer_free (bob);
  remove_dir (dir);
}

/* The bug of issue #13: after alice unblocked bob, bob's side stayed
 * rejected/offline until someone re-added someone. */
static void
test_unblock_restores_view (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;

  lan_peer_befriend (alice, bob);
  beacon_account_set_presence (lan_peer_account (alice), BEACON_STATUS_BUSY, "at work");
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE));

  g_assert_true (beacon_account_authorize (lan_peer_account (alice), lan_peer_aor (bob),
                                           BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_no_error (error);
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));

  g_assert_true (beacon_account_unblock (lan_peer_account (alice), lan_peer_aor (bob), &error));
  g_assert_no_error (error);
  g_assert_false (beacon_account_is_blocked (lan_peer_account (alice), lan_peer_aor (bob)));
  /* Bob sees her again, status and note, with nobody re-adding anyone. */
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_cmpstr (beacon_buddy_get_note (lan_peer_buddy (bob, alice)), ==, "at work");
  /* And she still sees him. */
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  /* Blocked again: still refused (the renewal did not bypass it). */
  g_assert_true (beacon_account_authorize (lan_peer_account (alice), lan_peer_aor (bob),
                                           BEACON_AUTHORIZE_BLOCK, &error));
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));
  lan_test_run (500);
  g_assert_true (BUDDY_IS (bob, alice, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lan/people/accept-and-add-keeps-name", test_accept_and_add_keeps_name);
  g_test_add_func ("/lan/people/rename", test_rename);
  g_test_add_func ("/lan/people/unblock-restores-view", test_unblock_restores_view);
  return g_test_run ();
}
