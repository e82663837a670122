/* test-history.c — chat history, unsent queue, dedupe, damaged files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "history/beacon-history.h"
#include "beacon-test-util.h"

#define ALICE "sip:alice@beacon.test"
#define BOB "sip:bob@beacon.test"
#define CAROL "sip:carol@beacon.test"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("beacon-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "history.sqlite", NULL);
}


static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  beacon_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static BeaconChatMessage *
message_at (const char *id,
            gboolean    outgoing,
            const char *text,
            gint64      seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (1790000000 + seconds);

  return beacon_chat_message_new (id, outgoing, text, time);
}

static void
add (BeaconHistory *history,
     const char    *peer,
     const char    *id,
     gboolean       outgoing,
     const char    *text,
     gint64         seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconChatMessage) m = message_at (id, outgoing, text, seconds);

  g_assert_true (beacon_history_add (history, ALICE, peer, m, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pages_survive_reopen (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) older = NULL;
  BeaconHistory *history = beacon_history_open (f->path, NULL, &error);

  g_assert_no_error (error);
  for (int i = 0; i < 25; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%02d", i);
      g_autofree char *text = g_strdup_printf ("message %d 消息", i);
      add (history, BOB, id, i % 2 == 0, text, i);
    }
  add (history, CAROL, "c1", TRUE, "to carol", 3);
  g_object_unref (history);

  history = beacon_history_open (f->path, NULL, &error);
  g_assert_no_error (error);
  newest = beacon_history_load (history, ALICE, BOB, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 10);
  g_assert_cmpstr (beacon_chat_message_get_id (newest->pdata[0]), ==, "m15");
  g_assert_cmpstr (beacon_chat_message_get_id (newest->pdata[9]), ==, "m24");
  g_assert_cmpstr (beacon_chat_message_get_text (newest->pdata[9]), ==, "message 24 消息");
  g_assert_true (beacon_chat_message_get_outgoing (newest->pdata[9]));
  g_assert_false (beacon_chat_message_get_outgoing (newest->pdata[8]));

  older = beacon_history_load (history, ALICE, BOB,
                               beacon_chat_message_get_time (newest->pdata[0]), 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (older->len, ==, 15);
  g_assert_cmpstr (beacon_chat_message_get_id (older->pdata[0]), ==, "m00");
  g_assert_cmpstr (beacon_chat_message_get_id (older->pdata[14]), ==, "m14");
  g_object_unref (history);
}

static void
test_unsent_queue_and_states (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) history = beacon_history_open (f->path, NULL, &error);
  g_autoptr(GPtrArray) unsent = NULL;
  g_autoptr(GPtrArray) page = NULL;

  add (history, BOB, "a", TRUE, "first", 1);
  add (history, CAROL, "b", TRUE, "second", 2);
  add (history, BOB, "c", FALSE, "incoming", 3);
  add (history, BOB, "d", TRUE, "third", 4);

  g_assert_true (beacon_history_set_state (history, "d", BEACON_MESSAGE_STORED, 202, &error));
  unsent = beacon_history_unsent (history, ALICE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unsent->len, ==, 2);
  g_assert_cmpstr (beacon_chat_message_get_id (unsent->pdata[0]), ==, "a");
  g_assert_cmpstr (beacon_history_peer_of (unsent->pdata[0]), ==, BOB);
  g_assert_cmpstr (beacon_history_peer_of (unsent->pdata[1]), ==, CAROL);

  page = beacon_history_load (history, ALICE, BOB, NULL, 10, &error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpint (beacon_chat_message_get_state (page->pdata[2]), ==, BEACON_MESSAGE_STORED);
  g_assert_cmpuint (beacon_chat_message_get_code (page->pdata[2]), ==, 202);
  g_assert_cmpint (beacon_chat_message_get_state (page->pdata[1]), ==, BEACON_MESSAGE_DELIVERED);
}

static void
test_dedupe (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) history = beacon_history_open (f->path, NULL, &error);
  g_autoptr(BeaconChatMessage) first = message_at ("x1", FALSE, "hello", 1);
  g_autoptr(BeaconChatMessage) again = message_at ("x2", FALSE, "hello", 2);
  g_autoptr(BeaconChatMessage) other = message_at ("x3", FALSE, "hello", 3);
  g_autoptr(GPtrArray) page = NULL;

  g_assert_true (beacon_history_add (history, ALICE, BOB, first, "call-1@host;1", &error));
  g_assert_false (beacon_history_add (history, ALICE, BOB, again, "call-1@host;1", &error));
  g_assert_no_error (error);
  g_assert_true (beacon_history_add (history, ALICE, BOB, other, "call-1@host;2", &error));
  page = beacon_history_load (history, ALICE, BOB, NULL, 10, &error);
  g_assert_cmpuint (page->len, ==, 2);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) history = beacon_history_open (f->path, NULL, &error);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) literal = NULL;

  add (history, BOB, "1", TRUE, "Lunch at noon?", 1);
  add (history, CAROL, "2", FALSE, "lunch is 100% ready", 2);
  add (history, BOB, "3", FALSE, "see you", 3);

  hits = beacon_history_search (history, ALICE, "LUNCH", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpstr (beacon_chat_message_get_id (hits->pdata[0]), ==, "2");
  g_assert_cmpstr (beacon_history_peer_of (hits->pdata[0]), ==, CAROL);

  literal = beacon_history_search (history, ALICE, "0%", 10, &error);
  g_assert_cmpuint (literal->len, ==, 1);
}

static void
test_damaged_file_moved_aside (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) recovered = NULL;
  g_autoptr(BeaconHistory) history = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GDir) d = NULL;
  const char *name;
  gboolean found_aside = FALSE;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (f->path, "this is not a database, just junk bytes..........", -1, NULL));

  history = beacon_history_open (f->path, &recovered, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);
  g_assert_error (recovered, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (recovered->message, "corrupt-"));
  add (history, BOB, "after", TRUE, "still works", 1);

  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "history.sqlite.corrupt-"))
      found_aside = TRUE;
  g_assert_true (found_aside);
}

static void
test_unwritable_location (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (f->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "history.sqlite", NULL);

  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  g_assert_null (beacon_history_open (path, NULL, &error));
  g_assert_error (error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_OPEN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add ("/engine/history/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("pages-survive-reopen", test_pages_survive_reopen);
  ADD ("unsent-queue-and-states", test_unsent_queue_and_states);
  ADD ("dedupe", test_dedupe);
  ADD ("search", test_search);
  ADD ("damaged-file-moved-aside", test_damaged_file_moved_aside);
  ADD ("unwritable-location", test_unwritable_location);

  return g_test_run ();
}
