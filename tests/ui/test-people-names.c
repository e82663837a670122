/* test-people-names.c — how people look, without a display: the name
 * shown for a URI, a status as shape and word, the Blocked group, and a
 * short name completed for the blacklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "beacon-blacklist-window.h"
#include "beacon-buddy-groups.h"
#include "beacon-buddy-list.h"
#include "beacon-error-words.h"
#include "beacon-status-names.h"

static void
test_person_name (void)
{
  struct { const char *uri, *name, *shown; } cases[] = {
    { "sip:carol@vm", NULL, "carol" },
    { "sip:carol@vm", "", "carol" },
    { "sip:carol@vm", "sip:carol@vm", "carol" },  /* the engine's fallback */
    { "sip:carol@vm", "Carol Danvers", "Carol Danvers" },
    { "sips:dan@example.org", NULL, "dan" },
    { "sip:example.org", NULL, "example.org" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = beacon_person_name (cases[i].uri, cases[i].name);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

/* Every state has its own icon and word; pending is not online. */
static void
test_shown_states (void)
{
  g_autoptr(GHashTable) icons = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) words = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BeaconBuddy) buddy = beacon_buddy_new ("sip:bob@x", "Bob");

  for (guint s = BEACON_SHOWN_ONLINE; s <= BEACON_SHOWN_BLOCKED; s++)
    {
      g_assert_true (g_hash_table_add (icons, (gpointer) beacon_shown_state_icon_name (s)));
      g_assert_true (g_hash_table_add (words, (gpointer) beacon_shown_state_label (s)));
      g_assert_true (g_str_has_prefix (beacon_shown_state_css_class (s), "status-"));
    }

  beacon_buddy_set_presence (buddy, BEACON_STATUS_ONLINE, "note");
  beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_PENDING);
  g_assert_cmpint (beacon_shown_state_for (buddy, FALSE), ==, BEACON_SHOWN_PENDING);
  g_assert_cmpstr (beacon_shown_state_icon_name (BEACON_SHOWN_PENDING), !=,
                   beacon_status_icon_name (BEACON_STATUS_ONLINE));
  beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_ACTIVE);
  g_assert_cmpint (beacon_shown_state_for (buddy, FALSE), ==, BEACON_SHOWN_ONLINE);
  g_assert_cmpint (beacon_shown_state_for (buddy, TRUE), ==, BEACON_SHOWN_BLOCKED);
  beacon_buddy_set_presence (buddy, BEACON_STATUS_BUSY, NULL);
  g_assert_cmpint (beacon_shown_state_for (buddy, FALSE), ==, BEACON_SHOWN_BUSY);
  beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_REJECTED);
  g_assert_cmpint (beacon_shown_state_for (buddy, FALSE), ==, BEACON_SHOWN_REJECTED);
}

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

#define ASSERT_URIS(model, expected)               \
  G_STMT_START {                                   \
    g_autofree char *_got = uris (model);          \
    g_assert_cmpstr (_got, ==, (expected));        \
  } G_STMT_END

static void
test_blocked_group (void)
{
  g_autoptr(BeaconBuddyList) list = beacon_buddy_list_new ();
  g_autoptr(BeaconBuddyGroups) groups = beacon_buddy_groups_new ();
  g_autoptr(GListStore) blocked = g_list_store_new (BEACON_TYPE_BUDDY);
  g_autoptr(BeaconBuddy) bob_blocked = beacon_buddy_new ("sip:BOB@x", NULL);
  BeaconBuddy *zoe;

  beacon_buddy_set_presence (beacon_buddy_list_add (list, "sip:bob@x", "Bob"), BEACON_STATUS_ONLINE, NULL);
  beacon_buddy_list_add (list, "sip:amy@x", "Amy");
  zoe = beacon_buddy_list_add (list, "sip:zoe@x", "Zoe");
  beacon_buddy_set_subscription (zoe, BEACON_SUBSCRIPTION_PENDING);
  beacon_buddy_groups_set_sources (groups, G_LIST_MODEL (list), NULL);
  beacon_buddy_groups_set_blocked (groups, G_LIST_MODEL (blocked));
  ASSERT_URIS (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:bob@x,sip:amy@x,#Waiting for Authorisation,sip:zoe@x");

  /* Blocked (any case): apart, last, whatever his status. */
  g_list_store_append (blocked, bob_blocked);
  ASSERT_URIS (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:amy@x,#Waiting for Authorisation,sip:zoe@x,#Blocked,sip:bob@x");
  /* A pending friend blocked is blocked, not pending. */
  {
    g_autoptr(BeaconBuddy) zoe_blocked = beacon_buddy_new ("sip:zoe@x", NULL);

    g_list_store_append (blocked, zoe_blocked);
  }
  ASSERT_URIS (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:amy@x,#Blocked,sip:bob@x,sip:zoe@x");
  /* Searching filters the group too. */
  beacon_buddy_groups_set_search (groups, "bob");
  ASSERT_URIS (beacon_buddy_groups_get_sections (groups), "#Blocked,sip:bob@x");
  beacon_buddy_groups_set_search (groups, NULL);

  /* Unblocked: back with the others, the heading gone. */
  g_list_store_remove_all (blocked);
  ASSERT_URIS (beacon_buddy_groups_get_sections (groups),
               "#Friends,sip:bob@x,sip:amy@x,#Waiting for Authorisation,sip:zoe@x");
  beacon_buddy_groups_set_blocked (groups, NULL);
}

static void
test_complete_address (void)
{
  struct { const char *typed, *uri; } cases[] = {
    { "bob", "sip:bob@vm" },
    { "  bob ", "sip:bob@vm" },
    { "bob@example.org", "sip:bob@example.org" },
    { "sip:carol@Example.ORG", "sip:carol@example.org" },
    { "<sip:dan@vm>", "sip:dan@vm" },
  };
  const char *bad[] = { "", "   ", "not an@@address", "bob smith" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = beacon_blacklist_complete_address (cases[i].typed, "sip:alice@vm", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, cases[i].uri);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = beacon_blacklist_complete_address (bad[i], "sip:alice@vm", &error);

      g_assert_null (uri);
      g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);
    }
}

/* What went wrong, in words: every account error code has its own
 * sentence (the engine's English detail only after a colon), and in
 * zh_CN the user reads Chinese. */
static void
test_error_words (void)
{
  static const BeaconAccountError codes[] = {
    BEACON_ACCOUNT_ERROR_AUTH_FAILED, BEACON_ACCOUNT_ERROR_UNREACHABLE,
    BEACON_ACCOUNT_ERROR_REJECTED, BEACON_ACCOUNT_ERROR_INVALID_URI,
    BEACON_ACCOUNT_ERROR_NOT_CONNECTED, BEACON_ACCOUNT_ERROR_BAD_PEER_DATA,
    BEACON_ACCOUNT_ERROR_FAILED,
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *podir = g_build_filename (g_getenv ("BEACON_BUILD_ROOT"), "po", NULL);
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
  g_autofree char *other_words = beacon_error_words (other);
  g_autofree char *none_words = beacon_error_words (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (BEACON_ACCOUNT_ERROR, codes[i], "XCAP PUT: 409 Conflict");
      char *words = beacon_error_words (error);

      g_assert_false (g_str_has_prefix (words, "XCAP"));
      g_assert_false (g_hash_table_contains (seen, words));
      g_hash_table_add (seen, words);
    }
  g_assert_cmpstr (other_words, ==, "Something went wrong: disk on fire");
  g_assert_cmpstr (none_words, ==, "Something went wrong.");

  /* The same in Chinese, from the build tree's catalogue. */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_fail_printf ("the zh_CN.UTF-8 locale is missing (build-aux/install-deps.sh makes it)");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, podir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  {
    g_autoptr(GError) error = g_error_new_literal (BEACON_ACCOUNT_ERROR,
                                                   BEACON_ACCOUNT_ERROR_AUTH_FAILED, "401");
    g_autoptr(GError) refused = g_error_new_literal (BEACON_ACCOUNT_ERROR,
                                                     BEACON_ACCOUNT_ERROR_REJECTED, "403 Forbidden");
    g_autofree char *words = beacon_error_words (error);
    g_autofree char *refused_words = beacon_error_words (refused);

    g_assert_cmpstr (words, ==, "服务器不接受你的用户名或密码。");
    g_assert_cmpstr (refused_words, ==, "被拒绝：403 Forbidden");
  }
  setlocale (LC_ALL, "C");
  g_unsetenv ("LANGUAGE");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/people/person-name", test_person_name);
  g_test_add_func ("/ui/people/shown-states", test_shown_states);
  g_test_add_func ("/ui/people/blocked-group", test_blocked_group);
  g_test_add_func ("/ui/people/complete-address", test_complete_address);
  g_test_add_func ("/ui/people/error-words", test_error_words);
  return g_test_run ();
}
