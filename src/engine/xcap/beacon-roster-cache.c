/* beacon-roster-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-roster-cache.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "beacon-roster-edit.h"
#include "beacon-xcap-error.h"

#define ACCOUNT_FILE "account.ini"
#define QUEUE_FILE   "queue.ini"
/* Far above any real roster; a bigger file is not ours. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)

void
beacon_roster_cache_free (BeaconRosterCache *cache)
{
  if (cache == NULL)
    return;
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    g_clear_pointer (&cache->docs[i], g_bytes_unref);
  g_clear_pointer (&cache->edits, g_ptr_array_unref);
  g_clear_error (&cache->damaged);
  g_free (cache);
}

/* Moves the damaged @name aside (one copy kept) and adds it to what
 * the load reports, so the user hears of it once and the app goes on. */
static void
note_damaged (BeaconRosterCache *cache,
              const char        *dir,
              const char        *name,
              const char        *what,
              const char        *reason)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

  g_message ("Ignoring the roster cache file %s: %s", path, reason);
  if (g_rename (path, aside) != 0)
    g_clear_pointer (&aside, g_free);
  if (cache->damaged == NULL)
    cache->damaged = g_error_new (BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT,
                                  "The saved %s was damaged and is not used (%s)%s%s.",
                                  what, reason, aside ? "; it was moved to " : "",
                                  aside ? aside : "");
  else
    g_prefix_error (&cache->damaged, "The saved %s was damaged too (%s). ", what, reason);
}

static char *
read_file (const char *dir,
           const char *name,
           gsize      *len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, len, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("Ignoring the roster cache file %s: %s", path, error->message);
      return NULL;
    }
  if (*len > MAX_FILE_SIZE)
    {
      g_message ("Ignoring the roster cache file %s: too large", path);
      g_free (data);
      return NULL;
    }
  return data;
}

static gboolean
account_matches (const char *dir,
                 const char *xcap_root,
                 const char *xui)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autofree char *root = NULL;
  g_autofree char *user = NULL;
  gsize len;

  data = read_file (dir, ACCOUNT_FILE, &len);
  if (data == NULL || !g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, NULL))
    return FALSE;
  root = g_key_file_get_string (file, "account", "xcap-root", NULL);
  user = g_key_file_get_string (file, "account", "xui", NULL);
  return g_strcmp0 (root, xcap_root) == 0 && g_strcmp0 (user, xui) == 0;
}

BeaconRosterCache *
beacon_roster_cache_load (const char *dir,
                          const char *xcap_root,
                          const char *xui)
{
  BeaconRosterCache *cache = g_new0 (BeaconRosterCache, 1);
  g_autofree char *queue = NULL;
  gsize len;

  cache->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_roster_edit_free);

  if (!account_matches (dir, xcap_root, xui))
    {
      g_debug ("no roster cache for %s at %s in %s", xui, xcap_root, dir);
      return cache;
    }

  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      char *data = read_file (dir, beacon_roster_doc_file (i), &len);

      if (data == NULL)
        continue;
      bytes = g_bytes_new_take (data, len);
      if (!beacon_roster_doc_check (i, bytes, &error))
        {
          g_autofree char *what = g_strdup_printf ("copy of %s (fetched again from the server)",
                                                   beacon_roster_doc_file (i));

          note_damaged (cache, dir, beacon_roster_doc_file (i), what, error->message);
          continue;
        }
      cache->docs[i] = g_steal_pointer (&bytes);
    }

  queue = read_file (dir, QUEUE_FILE, &len);
  if (queue != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) edits = beacon_roster_edits_parse (queue, len, &error);

      if (edits == NULL)
        note_damaged (cache, dir, QUEUE_FILE,
                      "list of friend changes not yet on the server (they are lost)",
                      error->message);
      else
        g_ptr_array_extend_and_steal (cache->edits, g_steal_pointer (&edits));
    }
  return cache;
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            const char  *data,
            gsize        len,
            GError     **error)
{
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create the roster cache directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  path = g_build_filename (dir, name, NULL);
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

gboolean
beacon_roster_cache_save_account (const char  *dir,
                                  const char  *xcap_root,
                                  const char  *xui,
                                  GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  gsize len;

  if (account_matches (dir, xcap_root, xui))
    return TRUE;
  g_key_file_set_string (file, "account", "xcap-root", xcap_root);
  g_key_file_set_string (file, "account", "xui", xui);
  data = g_key_file_to_data (file, &len, NULL);

  /* The files of the previous account would be read as this one's. */
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    {
      g_autofree char *path = g_build_filename (dir, beacon_roster_doc_file (i), NULL);
      g_unlink (path);
    }
  {
    g_autofree char *path = g_build_filename (dir, QUEUE_FILE, NULL);
    g_unlink (path);
  }
  return write_file (dir, ACCOUNT_FILE, data, len, error);
}

gboolean
beacon_roster_cache_save_doc (const char       *dir,
                              BeaconRosterDoc   doc,
                              GBytes           *data,
                              GError          **error)
{
  gsize len;
  const char *bytes = g_bytes_get_data (data, &len);

  return write_file (dir, beacon_roster_doc_file (doc), bytes != NULL ? bytes : "", len, error);
}

gboolean
beacon_roster_cache_save_edits (const char  *dir,
                                GPtrArray   *edits,
                                GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;

  data = beacon_roster_edits_serialize (edits, &len);
  return write_file (dir, QUEUE_FILE, data, len, error);
}
