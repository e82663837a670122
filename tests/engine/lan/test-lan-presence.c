/* test-lan-presence.c — LAN accounts watching each other on 127.0.0.1
 *
 * Friends, authorisation (allow, block, polite-block), appear offline,
 * nearby peers, vanishing peers, refreshes and the goodbye of stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-test-util.h"

#include "formats/beacon-pres-rules.h"

static void
test_friends_see_each_other (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);

  lan_peer_befriend (alice, bob);
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_BUSY, "in a meeting");
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_cmpstr (beacon_buddy_get_note (lan_peer_buddy (alice, bob)), ==, "in a meeting");
  /* The announcement follows too, for those not subscribed. */
  g_assert_cmpint (fake_discovery_get_status (bob->discovery), ==, BEACON_STATUS_BUSY);

  beacon_account_set_presence (lan_peer_account (alice), BEACON_STATUS_AWAY, NULL);
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_null (beacon_buddy_get_note (lan_peer_buddy (bob, alice)));

  /* Friends are allowed without a question. */
  g_assert_false (lan_peer_has_line (alice->watchers, "sip:bob@test.lan pending"));
  g_assert_false (lan_peer_has_line (bob->watchers, "sip:alice@test.lan pending"));
  g_assert_cmpuint (alice->errors->len, ==, 0);
  g_assert_cmpuint (bob->errors->len, ==, 0);

  lan_peer_free (alice);
  lan_peer_free (bob);
}

/* Alice adds Bob, who does not know her: she waits until he answers. */
static void
ask (LanPeer *alice,
     LanPeer *bob)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), lan_peer_aor (bob), "Bob",
                                           &error));
  g_assert_no_error (error);
  lan_peer_show (alice, bob);
  LAN_WAIT_FOR (lan_peer_has_line (bob->watchers, "sip:alice@test.lan pending"));
  LAN_WAIT_FOR (beacon_buddy_get_subscription (lan_peer_buddy (alice, bob)) ==
                BEACON_SUBSCRIPTION_PENDING);
  /* Only the announcement's status is known yet. */
  g_assert_cmpint (beacon_buddy_get_status (lan_peer_buddy (alice, bob)), ==,
                   BEACON_STATUS_ONLINE);
  g_assert_cmpstr (beacon_buddy_get_display_name (lan_peer_buddy (alice, bob)), ==, "Bob");
}

static BeaconSubHandling
stored_handling (LanPeer    *peer,
                 const char *uri)
{
  g_autofree char *path = g_build_filename (peer->dir, "pres-rules.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  BeaconSubHandling handling;
  gsize len;

  g_assert_true (g_file_get_contents (path, &xml, &len, &error));
  rules = beacon_pres_rules_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  g_assert_true (beacon_pres_rules_lookup_explicit (rules, uri, &handling));
  return handling;
}

static void
test_pending_then_allow (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;

  ask (alice, bob);
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), lan_peer_aor (alice),
                                           BEACON_AUTHORIZE_ALLOW, &error));
  g_assert_no_error (error);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_cmpint (stored_handling (bob, "sip:alice@test.lan"), ==, BEACON_SUB_HANDLING_ALLOW);
  /* Allowing is not befriending. */
  g_assert_null (lan_peer_buddy (bob, alice));

  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_AWAY, "lunch");
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_ACTIVE));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
test_block (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  ask (alice, bob);
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), lan_peer_aor (alice),
                                           BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_no_error (error);
  /* The pending subscription ends: terminated;reason=rejected. */
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));
  g_assert_true (beacon_account_is_blocked (lan_peer_account (bob), "sip:alice@test.lan"));
  g_assert_cmpuint (g_list_model_get_n_items (beacon_account_get_blocked (lan_peer_account (bob))),
                    ==, 1);
  g_assert_cmpint (stored_handling (bob, "sip:alice@test.lan"), ==, BEACON_SUB_HANDLING_BLOCK);
  /* His announcement changing does not overrule the refusal. */
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_BUSY, NULL);
  lan_peer_show (alice, bob);
  /* Not even for a moment (the announcement arrives synchronously). */
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));
  lan_test_run (300);
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));

  /* A new SUBSCRIBE gets 403: the peer reappearing makes Alice retry. */
  g_assert_true (beacon_account_remove_buddy (lan_peer_account (alice), lan_peer_aor (bob),
                                              &error));
  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), lan_peer_aor (bob), NULL,
                                           &error));
  g_assert_no_error (error);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED));

  /* Her messages are dropped on his side. */
  lan_peer_show (bob, alice);
  id = beacon_account_send_message (lan_peer_account (alice), lan_peer_aor (bob), "hello?",
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  LAN_WAIT_FOR (alice->states->len > 0);
  lan_test_run (200);
  g_assert_cmpuint (bob->received->len, ==, 0);

  /* Unblocked, she is a stranger again: asked about, not refused. */
  g_ptr_array_set_size (bob->watchers, 0);
  g_assert_true (beacon_account_unblock (lan_peer_account (bob), lan_peer_aor (alice), &error));
  g_assert_no_error (error);
  g_assert_false (beacon_account_is_blocked (lan_peer_account (bob), "sip:alice@test.lan"));
  g_assert_true (beacon_account_remove_buddy (lan_peer_account (alice), lan_peer_aor (bob),
                                              &error));
  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), lan_peer_aor (bob), NULL,
                                           &error));
  LAN_WAIT_FOR (lan_peer_has_line (bob->watchers, "sip:alice@test.lan pending"));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
test_polite_block (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;

  ask (alice, bob);
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), lan_peer_aor (alice),
                                           BEACON_AUTHORIZE_POLITE_BLOCK, &error));
  g_assert_no_error (error);
  /* Accepted, but Bob looks offline to her, whatever he does. */
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_ACTIVE));
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_BUSY, "secret");
  lan_test_run (300);
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_null (beacon_buddy_get_note (lan_peer_buddy (alice, bob)));
  g_assert_true (beacon_account_is_blocked (lan_peer_account (bob), "sip:alice@test.lan"));
  g_assert_cmpint (stored_handling (bob, "sip:alice@test.lan"), ==,
                   BEACON_SUB_HANDLING_POLITE_BLOCK);

  /* Allowed later, she sees him as he is. */
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), lan_peer_aor (alice),
                                           BEACON_AUTHORIZE_ALLOW, &error));
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
test_appear_offline (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);

  lan_peer_befriend (alice, bob);
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_OFFLINE, NULL);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_cmpint (fake_discovery_get_status (bob->discovery), ==, BEACON_STATUS_OFFLINE);
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_ONLINE, NULL);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
test_nearby (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *carol = lan_peer_new ("carol", NULL, 0);
  GListModel *nearby = beacon_lan_account_get_nearby (alice->account);
  g_autoptr(BeaconBuddy) seen = NULL;
  g_autoptr(GError) error = NULL;

  beacon_account_set_presence (lan_peer_account (carol), BEACON_STATUS_AWAY, NULL);
  lan_peer_show (alice, carol);
  g_assert_true (lan_peer_has_line (alice->peers, "sip:carol@test.lan 127.0.0.1 appeared"));
  g_assert_cmpuint (g_list_model_get_n_items (nearby), ==, 1);
  seen = g_list_model_get_item (nearby, 0);
  g_assert_cmpstr (beacon_buddy_get_uri (seen), ==, "sip:carol@test.lan");
  g_assert_cmpint (beacon_buddy_get_status (seen), ==, BEACON_STATUS_AWAY);
  g_assert_cmpint (beacon_buddy_get_subscription (seen), ==, BEACON_SUBSCRIPTION_NONE);
  /* Nobody was subscribed to: no question for Carol. */
  lan_test_run (200);
  g_assert_cmpuint (carol->watchers->len, ==, 0);

  /* Befriended, she leaves the nearby list for the buddy list. */
  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), lan_peer_aor (carol), NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (nearby), ==, 0);
  LAN_WAIT_FOR (lan_peer_has_line (carol->watchers, "sip:alice@test.lan pending"));

  lan_peer_hide (alice, carol);
  g_assert_true (lan_peer_has_line (alice->peers, "sip:carol@test.lan 127.0.0.1 vanished"));
  g_assert_true (BUDDY_IS (alice, carol, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));

  lan_peer_free (alice);
  lan_peer_free (carol);
}

static void
test_vanish_and_return (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);

  lan_peer_befriend (alice, bob);
  lan_peer_hide (alice, bob);
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));
  lan_peer_show (alice, bob);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

/* A port nothing listens on. */
static guint16
dead_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Bob restarted before his old record expired: two instances, one AOR.
 * The one announced last is used, and the old one leaving is no
 * departure. */
static void
test_two_instances (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *delivered = NULL;

  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), lan_peer_aor (bob), NULL,
                                           &error));
  g_assert_true (beacon_account_add_buddy (lan_peer_account (bob), lan_peer_aor (alice), NULL,
                                           &error));
  g_assert_no_error (error);
  fake_discovery_show_as (alice->discovery, bob->discovery, "bob (old)", "127.0.0.1",
                          dead_port ());
  lan_peer_show (alice, bob);
  lan_peer_show (bob, alice);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  fake_discovery_hide_instance (alice->discovery, "bob (old)");
  g_assert_false (lan_peer_has_line (alice->peers, "sip:bob@test.lan 127.0.0.1 vanished"));
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));
  id = beacon_account_send_message (lan_peer_account (alice), lan_peer_aor (bob), "found you",
                                    &error);
  g_assert_no_error (error);
  delivered = g_strdup_printf ("%s delivered 200", id);
  LAN_WAIT_FOR (lan_peer_has_line (alice->states, delivered));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL);
}

/* A peer that quits says goodbye: no need to wait for discovery. */
static void
test_stop_says_goodbye (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  LanPeer *carol = lan_peer_new ("carol", NULL, 0);
  gboolean done = FALSE;
  gint64 start;

  lan_peer_befriend (alice, bob);
  lan_peer_befriend (carol, bob);
  start = g_get_monotonic_time ();
  beacon_account_stop_async (lan_peer_account (bob), NULL, stopped, &done);
  LAN_WAIT_FOR (done);
  /* Both answered at once: not the goodbye timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_false (fake_discovery_is_running (bob->discovery));
  g_assert_cmpint (beacon_account_get_connection_state (lan_peer_account (bob)), ==,
                   BEACON_CONNECTION_OFFLINE);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));
  LAN_WAIT_FOR (BUDDY_IS (carol, bob, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));
  /* Bob unsubscribed from them too. */
  LAN_WAIT_FOR (lan_peer_has_line (alice->watchers, "sip:bob@test.lan terminated"));
  LAN_WAIT_FOR (lan_peer_has_line (carol->watchers, "sip:bob@test.lan terminated"));
  /* Stopped, Bob knows nothing of his friends any more. */
  g_assert_true (BUDDY_IS (bob, alice, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));
  g_assert_true (BUDDY_IS (bob, carol, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_NONE));

  /* Started again, he is back for those who see him again. */
  beacon_account_start (lan_peer_account (bob));
  g_assert_cmpint (beacon_account_get_connection_state (lan_peer_account (bob)), ==,
                   BEACON_CONNECTION_ONLINE);
  g_assert_cmpuint (fake_discovery_get_starts (bob->discovery), ==, 2);
  lan_peer_show (alice, bob);
  lan_peer_show (bob, alice);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));
  LAN_WAIT_FOR (BUDDY_IS (bob, alice, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));

  lan_peer_free (alice);
  lan_peer_free (bob);
  lan_peer_free (carol);
}

/* Short subscriptions are refreshed: still active past twice their life. */
static void
test_refresh (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 10);
  LanPeer *bob = lan_peer_new ("bob", NULL, 10);

  lan_peer_befriend (alice, bob);
  lan_test_run (17 * 1000);
  g_assert_true (BUDDY_IS (alice, bob, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE));
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_BUSY, NULL);
  LAN_WAIT_FOR (BUDDY_IS (alice, bob, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE));
  g_assert_false (lan_peer_has_line (bob->watchers, "sip:alice@test.lan terminated"));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lan/presence/friends", test_friends_see_each_other);
  g_test_add_func ("/lan/presence/pending-allow", test_pending_then_allow);
  g_test_add_func ("/lan/presence/block", test_block);
  g_test_add_func ("/lan/presence/polite-block", test_polite_block);
  g_test_add_func ("/lan/presence/appear-offline", test_appear_offline);
  g_test_add_func ("/lan/presence/nearby", test_nearby);
  g_test_add_func ("/lan/presence/vanish", test_vanish_and_return);
  g_test_add_func ("/lan/presence/two-instances", test_two_instances);
  g_test_add_func ("/lan/presence/stop", test_stop_says_goodbye);
  g_test_add_func ("/lan/presence/refresh", test_refresh);
  return g_test_run ();
}
