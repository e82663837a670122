/* test-buddy-groups.c — the buddy list's groups, order and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gtk/gtk.h>

#include "beacon-buddy-groups.h"
#include "beacon-buddy-list.h"

/* The URIs of @model's items (headings as "#Title"), comma-separated. */
static char *
uris (GListModel *model)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item))
        g_string_append_printf (out, "%s#%s", i ? "," : "",
                                gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
      else
        g_string_append_printf (out, "%s%s", i ? "," : "", beacon_buddy_get_uri (BEACON_BUDDY (item)));
    }
  return g_string_free (out, FALSE);
}

static void
assert_uris (GListModel *model,
             const char *expected)
{
  g_autofree char *got = uris (model);

  g_assert_cmpstr (got, ==, expected);
}

static BeaconBuddy *
add (BeaconBuddyList    *list,
     const char         *uri,
     const char         *name,
     BeaconStatus        status,
     BeaconSubscription  subscription)
{
  BeaconBuddy *buddy = beacon_buddy_list_add (list, uri, name);

  beacon_buddy_set_presence (buddy, status, NULL);
  beacon_buddy_set_subscription (buddy, subscription);
  return buddy;
}

static void
test_order_and_groups (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  g_autoptr(BeaconBuddyGroups) groups = beacon_buddy_groups_new ();
  BeaconBuddy *dave;

  add (list, "sip:carol@x", "Carol", BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_ACTIVE);
  add (list, "sip:bob@x", "Bob", BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE);
  add (list, "sip:amy@x", "Amy", BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_ACTIVE);
  dave = add (list, "sip:dave@x", "Dave", BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_PENDING);
  add (list, "sip:eve@x", "Eve", BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE);

  beacon_buddy_groups_set_sources (groups, G_LIST_MODEL (list), NULL);
  /* Online, busy, away, offline; by name inside a status. */
  assert_uris (beacon_buddy_groups_get_friends (groups), "sip:bob@x,sip:eve@x,sip:amy@x,sip:carol@x");
  assert_uris (beacon_buddy_groups_get_pending (groups), "sip:dave@x");
  assert_uris (beacon_buddy_groups_get_nearby (groups), "");
  /* One list for the window: each group under its heading. */
  assert_uris (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:bob@x,sip:eve@x,sip:amy@x,sip:carol@x,"
               "#Waiting for Authorisation,sip:dave@x");

  /* Dave accepts and comes online: he moves group and place. */
  beacon_buddy_set_subscription (dave, BEACON_SUBSCRIPTION_ACTIVE);
  beacon_buddy_set_presence (dave, BEACON_STATUS_ONLINE, NULL);
  beacon_buddy_groups_refresh (groups);
  assert_uris (beacon_buddy_groups_get_friends (groups),
               "sip:bob@x,sip:dave@x,sip:eve@x,sip:amy@x,sip:carol@x");
  assert_uris (beacon_buddy_groups_get_pending (groups), "");
  /* Friends alone need no heading. */
  assert_uris (beacon_buddy_groups_get_sections (groups),
               "sip:bob@x,sip:dave@x,sip:eve@x,sip:amy@x,sip:carol@x");

  /* Removing a friend, and no account at all. */
  g_assert_true (beacon_buddy_list_remove (list, "sip:eve@x"));
  assert_uris (beacon_buddy_groups_get_friends (groups), "sip:bob@x,sip:dave@x,sip:amy@x,sip:carol@x");
  beacon_buddy_groups_set_sources (groups, NULL, NULL);
  assert_uris (beacon_buddy_groups_get_friends (groups), "");
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_moves_on_idle (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  g_autoptr(BeaconBuddyGroups) groups = beacon_buddy_groups_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  BeaconBuddy *amy;

  amy = add (list, "sip:amy@x", "Amy", BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_ACTIVE);
  add (list, "sip:bob@x", "Bob", BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE);
  beacon_buddy_groups_set_sources (groups, G_LIST_MODEL (list), NULL);
  assert_uris (beacon_buddy_groups_get_friends (groups), "sip:bob@x,sip:amy@x");

  /* A status change alone (no refresh call) reorders once idle. */
  beacon_buddy_set_presence (amy, BEACON_STATUS_ONLINE, NULL);
  g_idle_add_full (G_PRIORITY_LOW, quit_loop, loop, NULL);
  g_main_loop_run (loop);
  assert_uris (beacon_buddy_groups_get_friends (groups), "sip:amy@x,sip:bob@x");
}

static void
test_search_and_nearby (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  g_autoptr(BeaconBuddyList) nearby = beacon_buddy_list_new ();
  g_autoptr(BeaconBuddyGroups) groups = beacon_buddy_groups_new ();

  add (list, "sip:bob@example.org", "Bob Builder", BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE);
  add (list, "sip:zoe@example.org", "Zoë", BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_PENDING);
  add (nearby, "sip:zed@lan", "Zed", BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_NONE);
  add (nearby, "sip:abe@lan", "Abe", BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_NONE);
  beacon_buddy_groups_set_sources (groups, G_LIST_MODEL (list), G_LIST_MODEL (nearby));
  assert_uris (beacon_buddy_groups_get_nearby (groups), "sip:abe@lan,sip:zed@lan");
  assert_uris (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:bob@example.org,#Waiting for Authorisation,sip:zoe@example.org,"
               "#Nearby,sip:abe@lan,sip:zed@lan");

  /* Name or address, any case; every group. */
  beacon_buddy_groups_set_search (groups, "BUILDER");
  assert_uris (beacon_buddy_groups_get_friends (groups), "sip:bob@example.org");
  assert_uris (beacon_buddy_groups_get_pending (groups), "");
  assert_uris (beacon_buddy_groups_get_nearby (groups), "");
  beacon_buddy_groups_set_search (groups, "z");
  assert_uris (beacon_buddy_groups_get_friends (groups), "");
  assert_uris (beacon_buddy_groups_get_pending (groups), "sip:zoe@example.org");
  assert_uris (beacon_buddy_groups_get_nearby (groups), "sip:zed@lan");
  assert_uris (beacon_buddy_groups_get_sections (groups),
               "#Waiting for Authorisation,sip:zoe@example.org,#Nearby,sip:zed@lan");
  beacon_buddy_groups_set_search (groups, "zoë");
  assert_uris (beacon_buddy_groups_get_pending (groups), "sip:zoe@example.org");
  beacon_buddy_groups_set_search (groups, "");
  assert_uris (beacon_buddy_groups_get_nearby (groups), "sip:abe@lan,sip:zed@lan");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/buddy-groups/order-and-groups", test_order_and_groups);
  g_test_add_func ("/ui/buddy-groups/moves-on-idle", test_moves_on_idle);
  g_test_add_func ("/ui/buddy-groups/search-and-nearby", test_search_and_nearby);
  return g_test_run ();
}
