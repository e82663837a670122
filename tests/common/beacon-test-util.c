/* beacon-test-util.c — small helpers every test suite uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-test-util.h"

#include <string.h>

#include <glib/gstdio.h>

void
beacon_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        beacon_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

GHashTable *
beacon_test_read_env (const char  *path,
                      GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *env;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (env, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return env;
}

char *
beacon_test_load_fixture (const char *dir,
                          const char *name,
                          gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}
