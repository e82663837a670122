/* test-roster-cache.c — a damaged roster cache: a clear error, a working roster
 *
 * The friends list and rules are cached under DATA_DIR/roster so they show
 * before the server answers and survive restarts (test-roster.c). Here the
 * files are damaged between runs: the roster says what was lost (once: the
 * files are moved aside), still syncs with the server, and the server's
 * copy is cached again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "xcap/beacon-roster.h"
#include "xcap/beacon-xcap-error.h"
#include "xcap-fake-server.h"

#define XUI "sip:alice@beacon.test"

typedef struct {
  FakeXcap *fake;
  char     *cache_dir;
} Fixture;

typedef XcapResult Result;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = fake_xcap_new (NULL, NULL);
  fake_xcap_listen (f->fake, 0);
  f->cache_dir = g_dir_make_tmp ("beacon-roster-cache-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->cache_dir, 0, NULL);
  const char *name;

  fake_xcap_free (f->fake);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->cache_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (f->cache_dir);
  g_free (f->cache_dir);
}

static BeaconRoster *
new_roster (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (fake_xcap_root (f->fake), XUI,
                                                               &error);

  g_assert_no_error (error);
  beacon_xcap_client_set_timeout (client, 5);
  return beacon_roster_new (client, f->cache_dir, NULL);
}



static void
sync_roster (BeaconRoster *roster)
{
  Result r = { 0 };

  beacon_roster_sync_async (roster, NULL, xcap_result_on_sync, &r);
  run_until (&r.done, 30);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static void
add_friend (BeaconRoster *roster,
            const char   *uri)
{
  Result r = { 0 };

  beacon_roster_add_async (roster, uri, NULL, NULL, xcap_result_on_edit, &r);
  run_until (&r.done, 30);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

static gboolean
has_friend (BeaconRoster *roster,
            const char   *uri)
{
  g_autoptr(GPtrArray) friends = beacon_roster_dup_friends (roster);

  for (guint i = 0; i < friends->len; i++)
    {
      BeaconRosterFriend *item = friends->pdata[i];

      if (g_strcmp0 (item->uri, uri) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
damage (Fixture    *f,
        const char *name,
        const char *contents)
{
  g_autofree char *path = g_build_filename (f->cache_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static gboolean
exists (Fixture    *f,
        const char *name)
{
  g_autofree char *path = g_build_filename (f->cache_dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_damaged_cache (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = new_roster (f);
  const GError *error;

  sync_roster (roster);
  add_friend (roster, "sip:bob@beacon.test");
  g_assert_null (beacon_roster_get_cache_error (roster));
  g_clear_object (&roster);

  /* Between runs: a torn friends list and a garbled queue of edits. */
  damage (f, "resource-lists.xml", "<?xml version=\"1.0\"?><resource-lists xmlns=\"urn:ietf");
  damage (f, "queue.ini", "[[[ not a key file \x01\n");

  roster = new_roster (f);
  error = beacon_roster_get_cache_error (roster);
  g_assert_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "resource-lists.xml"));
  g_assert_nonnull (strstr (error->message, "not yet on the server"));
  /* Kept aside for the curious, out of the way of the next run. */
  g_assert_true (exists (f, "resource-lists.xml.corrupt"));
  g_assert_true (exists (f, "queue.ini.corrupt"));
  g_assert_false (exists (f, "resource-lists.xml"));
  /* The damaged copy is not shown; nothing is queued from garbage. */
  g_assert_false (has_friend (roster, "sip:bob@beacon.test"));
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 0);

  /* A working roster: the server's list comes back and is cached again. */
  sync_roster (roster);
  g_assert_true (has_friend (roster, "sip:bob@beacon.test"));
  add_friend (roster, "sip:carol@beacon.test");
  g_assert_true (exists (f, "resource-lists.xml"));
  g_clear_object (&roster);

  /* Told once: the next run has a good cache and no error. */
  roster = new_roster (f);
  g_assert_null (beacon_roster_get_cache_error (roster));
  g_assert_true (has_friend (roster, "sip:bob@beacon.test"));
  g_assert_true (has_friend (roster, "sip:carol@beacon.test"));
}

static void
test_missing_cache (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *gone = g_build_filename (f->cache_dir, "not-yet", NULL);

  /* A first run (no folder at all) is not an error. */
  g_free (f->cache_dir);
  f->cache_dir = g_strdup (gone);
  roster = new_roster (f);
  g_assert_null (beacon_roster_get_cache_error (roster));
  sync_roster (roster);
  add_friend (roster, "sip:bob@beacon.test");
  g_assert_true (exists (f, "resource-lists.xml"));
  g_clear_object (&roster);

  /* Every file removed between runs: an empty list until the server
   * answers, no error. */
  {
    const char *names[] = { "resource-lists.xml", "rls-services.xml", "pres-rules.xml",
                            "queue.ini", "account.ini" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (f->cache_dir, names[i], NULL);
        g_unlink (path);
      }
  }
  roster = new_roster (f);
  g_assert_null (beacon_roster_get_cache_error (roster));
  g_assert_false (has_friend (roster, "sip:bob@beacon.test"));
  sync_roster (roster);
  g_assert_true (has_friend (roster, "sip:bob@beacon.test"));
  g_clear_object (&roster);

  /* The fixture removes the parent folder's files only. */
  {
    g_autoptr(GDir) d = g_dir_open (gone, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (gone, name, NULL);
        g_remove (path);
      }
    g_rmdir (gone);
    f->cache_dir[strlen (f->cache_dir) - strlen ("/not-yet")] = '\0';
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/xcap/roster-cache/damaged", Fixture, NULL, fixture_setup, test_damaged_cache,
              fixture_teardown);
  g_test_add ("/xcap/roster-cache/missing", Fixture, NULL, fixture_setup, test_missing_cache,
              fixture_teardown);
  return g_test_run ();
}
