/* fuzz-roster-cache.c — libFuzzer target: the roster cache directory as
 * beacon_roster_cache_load() finds it after a crash or a hand edit
 *
 * The input is cut at each "\n##\n" into account.ini, resource-lists.xml,
 * rls-services.xml, pres-rules.xml and queue.ini (an empty first part:
 * the right account.ini, so the rest is read). The files are written to a
 * directory in /dev/shm (or TMPDIR) and loaded: nothing may crash or leak,
 * a loaded copy must pass its document check again, and every edit must
 * be usable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "xcap/beacon-roster-cache.h"
#include "xcap/beacon-roster-edit.h"
#include "fuzz-quiet.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)
#define XCAP_ROOT "http://127.0.0.1:5080/xcap-root"
#define XUI       "sip:alice@beacon.test"
#define SEPARATOR "\n##\n"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *dir;

static const char *
file_name (guint i)
{
  if (i == 0)
    return "account.ini";
  if (i <= BEACON_ROSTER_N_DOCS)
    return beacon_roster_doc_file (i - 1);
  return "queue.ini";
}

static void
clear_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char account[] = "[account]\nxcap-root=" XCAP_ROOT "\nxui=" XUI "\n";
  const char *p = (const char *) data, *end = p + size;
  g_autoptr(BeaconRosterCache) cache = NULL;

  fuzz_quiet ();
  if (dir == NULL)
    {
      const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();

      dir = g_strdup_printf ("%s/beacon-fuzz-roster-cache-%d", base, (int) getpid ());
      CHECK (g_mkdir_with_parents (dir, 0700) == 0);
    }
  clear_dir ();
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS + 2; i++)
    {
      const char *sep = p < end ? g_strstr_len (p, end - p, SEPARATOR) : NULL;
      gsize len = p < end ? (gsize) ((sep ? sep : end) - p) : 0;
      g_autofree char *path = g_build_filename (dir, file_name (i), NULL);

      if (i == 0 && len == 0)
        CHECK (g_file_set_contents (path, account, -1, NULL));
      else if (p < end)
        CHECK (g_file_set_contents (path, p, len, NULL));
      p = sep ? sep + strlen (SEPARATOR) : end;
    }

  cache = beacon_roster_cache_load (dir, XCAP_ROOT, XUI);
  CHECK (cache != NULL && cache->edits != NULL);
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    if (cache->docs[i] != NULL)
      CHECK (beacon_roster_doc_check (i, cache->docs[i], NULL));
  for (guint i = 0; i < cache->edits->len; i++)
    {
      const BeaconRosterEdit *edit = g_ptr_array_index (cache->edits, i);

      CHECK (edit->uri != NULL && edit->uri[0] != '\0');
    }
  CHECK (cache->damaged == NULL || cache->damaged->message[0] != '\0');
  return 0;
}
