/* main.c — the beacon executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <glib/gi18n.h>

#include "beacon-application.h"
#include "beacon-hooks.h"

/* Where the translations are: BEACON_LOCALEDIR (run.sh and meson devenv
 * point it at the build tree's po/), else next to the executable as
 * installed (BINDIR/../share/locale, so an installed copy moved with its
 * prefix still finds them), else the configured LOCALEDIR. */
static char *
find_localedir (void)
{
  const char *env = g_getenv ("BEACON_LOCALEDIR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *relative = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (bindir != NULL)
    {
      g_autofree char *dir = g_build_filename (bindir, "..", "share", "locale", NULL);
      const char *const *languages = g_get_language_names ();

      /* Only a prefix that holds Beacon's catalogue for the user's language. */
      for (guint i = 0; relative == NULL && languages[i] != NULL; i++)
        {
          g_autofree char *mo = g_build_filename (dir, languages[i], "LC_MESSAGES",
                                                  GETTEXT_PACKAGE ".mo", NULL);

          if (g_file_test (mo, G_FILE_TEST_EXISTS))
            relative = g_canonicalize_filename (dir, NULL);
        }
    }
  return relative != NULL ? g_steal_pointer (&relative) : g_strdup (LOCALEDIR);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BeaconApplication) app = NULL;
  g_autofree char *localedir = find_localedir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = beacon_application_new ();
  beacon_hooks_install (app);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
