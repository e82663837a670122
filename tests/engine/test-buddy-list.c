/* test-buddy-list.c — the buddy list model the UI binds to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-buddy-list.h"
#include "beacon-enums.h"

typedef struct {
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *seen)
{
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
  seen->calls++;
}

static void
test_add_lookup_remove (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  ItemsChanged seen = { 0 };
  BeaconBuddy *bob, *again;
  g_autoptr(BeaconBuddy) first = NULL;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &seen);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == BEACON_TYPE_BUDDY);

  beacon_buddy_list_add (list, "sip:alice@beacon.test", "Alice");
  bob = beacon_buddy_list_add (list, "sip:bob@beacon.test", NULL);
  g_assert_cmpuint (seen.calls, ==, 2);
  g_assert_cmpuint (seen.position, ==, 1);
  g_assert_cmpuint (seen.added, ==, 1);
  g_assert_cmpstr (beacon_buddy_get_display_name (bob), ==, "sip:bob@beacon.test");

  /* Adding again renames (a replacement of that item), but does not duplicate. */
  again = beacon_buddy_list_add (list, "sip:bob@beacon.test", "Bob");
  g_assert_true (again == bob);
  g_assert_cmpuint (seen.calls, ==, 3);
  g_assert_cmpuint (seen.removed, ==, 1);
  seen.calls = 2;
  g_assert_cmpstr (beacon_buddy_get_display_name (bob), ==, "Bob");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  /* A presence change is reported as a replacement, so sorted views re-sort. */
  beacon_buddy_set_presence (bob, BEACON_STATUS_AWAY, NULL);
  g_assert_cmpuint (seen.calls, ==, 3);
  g_assert_cmpuint (seen.position, ==, 1);
  g_assert_cmpuint (seen.removed, ==, 1);
  g_assert_cmpuint (seen.added, ==, 1);
  seen.calls = 2;

  g_assert_true (beacon_buddy_list_lookup (list, "sip:bob@beacon.test") == bob);
  g_assert_null (beacon_buddy_list_lookup (list, "sip:carol@beacon.test"));

  g_assert_true (beacon_buddy_list_remove (list, "sip:alice@beacon.test"));
  g_assert_cmpuint (seen.calls, ==, 3);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, 1);
  g_assert_false (beacon_buddy_list_remove (list, "sip:alice@beacon.test"));
  g_assert_cmpuint (seen.calls, ==, 3);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (first == bob);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 1));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_presence_notifies (void)
{
  g_autoptr(BeaconBuddy) buddy = beacon_buddy_new ("sip:carol@beacon.test", "Carol");
  guint status_changes = 0, note_changes = 0;
  BeaconStatus status;
  g_autofree char *note = NULL;

  g_signal_connect (buddy, "notify::status", G_CALLBACK (count_notify), &status_changes);
  g_signal_connect (buddy, "notify::note", G_CALLBACK (count_notify), &note_changes);

  g_assert_cmpint (beacon_buddy_get_status (buddy), ==, BEACON_STATUS_OFFLINE);
  beacon_buddy_set_presence (buddy, BEACON_STATUS_BUSY, "in a meeting");
  beacon_buddy_set_presence (buddy, BEACON_STATUS_BUSY, "in a meeting");
  g_assert_cmpuint (status_changes, ==, 1);
  g_assert_cmpuint (note_changes, ==, 1);

  beacon_buddy_set_presence (buddy, BEACON_STATUS_AWAY, "");
  g_assert_cmpuint (status_changes, ==, 2);
  g_assert_cmpuint (note_changes, ==, 2);
  g_assert_null (beacon_buddy_get_note (buddy));

  g_object_get (buddy, "status", &status, "note", &note, NULL);
  g_assert_cmpint (status, ==, BEACON_STATUS_AWAY);
  g_assert_null (note);
}

/* A buddy's change is reported at its current position, also after
 * removals moved it and after changes elsewhere in the list. */
static void
test_change_positions (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  ItemsChanged seen = { 0 };
  BeaconBuddy *a = beacon_buddy_list_add (list, "sip:a@example.org", NULL);
  BeaconBuddy *b = beacon_buddy_list_add (list, "sip:b@example.org", NULL);
  BeaconBuddy *c = beacon_buddy_list_add (list, "sip:c@example.org", NULL);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &seen);
  beacon_buddy_set_presence (c, BEACON_STATUS_BUSY, NULL);
  g_assert_cmpuint (seen.position, ==, 2);
  beacon_buddy_set_presence (a, BEACON_STATUS_AWAY, NULL);
  g_assert_cmpuint (seen.position, ==, 0);
  beacon_buddy_set_presence (b, BEACON_STATUS_AWAY, NULL);
  g_assert_cmpuint (seen.position, ==, 1);

  g_assert_true (beacon_buddy_list_remove (list, "sip:a@example.org"));
  seen.calls = 0;
  beacon_buddy_set_presence (c, BEACON_STATUS_ONLINE, NULL);
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (seen.position, ==, 1);
  g_assert_cmpuint (seen.removed, ==, 1);
  g_assert_cmpuint (seen.added, ==, 1);
  beacon_buddy_set_presence (b, BEACON_STATUS_ONLINE, NULL);
  g_assert_cmpuint (seen.position, ==, 0);
  g_signal_handlers_disconnect_by_data (list, &seen);
}

static void
test_status_strings (void)
{
  BeaconStatus status = BEACON_STATUS_ONLINE;

  g_assert_cmpstr (beacon_status_to_string (BEACON_STATUS_BUSY), ==, "busy");
  g_assert_true (beacon_status_from_string (" Away ", &status));
  g_assert_cmpint (status, ==, BEACON_STATUS_AWAY);
  g_assert_false (beacon_status_from_string ("dancing", &status));
  g_assert_cmpint (status, ==, BEACON_STATUS_AWAY);
  g_assert_false (beacon_status_from_string (NULL, &status));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/buddy-list/add-lookup-remove", test_add_lookup_remove);
  g_test_add_func ("/engine/buddy/presence-notifies", test_presence_notifies);
  g_test_add_func ("/engine/buddy-list/change-positions", test_change_positions);
  g_test_add_func ("/engine/status/strings", test_status_strings);

  return g_test_run ();
}
