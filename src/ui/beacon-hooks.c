/* beacon-hooks.c — what benchmarks and tests ask of the running app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-hooks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "server/beacon-server-account.h"

/* ---- benchmark hooks (bench/bench-startup.sh); inert unless asked for ----
 * BEACON_BENCH_EXIT_AFTER_MAP=1: once the main window is mapped and has
 * drawn its first frame, print "beacon-bench: first-frame-ms=… rss-kib=…
 * hwm-kib=…" on stdout and quit. Time counts from BEACON_BENCH_T0_US (wall
 * clock, µs, taken by the caller before exec) or else from main().
 * BEACON_BENCH_BUDDIES=N, with the above: the window gets an account that
 * holds N buddies and talks to nobody (its proxy is 127.0.0.1:9) instead of
 * the saved one. */

static gint64 bench_t0_us;

static glong
bench_status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    return -1;
  return strtol (line + strlen (key), NULL, 10);
}

static gboolean
bench_first_frame (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       app)
{
  printf ("beacon-bench: first-frame-ms=%.1f rss-kib=%ld hwm-kib=%ld\n",
          (g_get_real_time () - bench_t0_us) / 1000.0, bench_status_kib ("VmRSS:"),
          bench_status_kib ("VmHWM:"));
  fflush (stdout);
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
bench_window_mapped (GtkWidget *window,
                     gpointer   app)
{
  /* The next frame after the map is the first one on screen. */
  gtk_widget_add_tick_callback (window, bench_first_frame, app, NULL);
}

static void
bench_window_added (GtkApplication *app,
                    GtkWindow      *window)
{
  if (g_list_length (gtk_application_get_windows (app)) == 1)
    g_signal_connect (window, "map", G_CALLBACK (bench_window_mapped), app);
}

static void
bench_startup (GApplication *app)
{
  const char *buddies = g_getenv ("BEACON_BENCH_BUDDIES");
  guint64 n = buddies ? g_ascii_strtoull (buddies, NULL, 10) : 0;
  static const BeaconStatus cycle[] = { BEACON_STATUS_ONLINE, BEACON_STATUS_BUSY,
                                        BEACON_STATUS_AWAY, BEACON_STATUS_OFFLINE };
  g_autoptr(BeaconServerAccount) account = NULL;
  BeaconBuddyList *list;

  if (buddies == NULL)
    return;
  account = beacon_server_account_new ("sip:bench@bench.invalid", NULL, "bench", "127.0.0.1:9",
                                       BEACON_SIP_TRANSPORT_UDP);
  list = beacon_account_get_buddies (BEACON_ACCOUNT (account));
  for (guint64 i = 1; i <= MIN (n, 100000); i++)
    {
      g_autofree char *uri = g_strdup_printf ("sip:buddy%" G_GUINT64_FORMAT "@bench.invalid", i);
      g_autofree char *name = g_strdup_printf ("Buddy %" G_GUINT64_FORMAT, i);
      BeaconBuddy *buddy = beacon_buddy_list_add (list, uri, name);

      beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_ACTIVE);
      beacon_buddy_set_presence (buddy, cycle[i % G_N_ELEMENTS (cycle)], i % 3 ? NULL : "in a meeting");
    }
  beacon_application_set_account (BEACON_APPLICATION (app), BEACON_ACCOUNT (account));
}


/* ---- test hook (tests/ui/test-shell-l10n.sh); inert unless asked for ----
 * BEACON_TEST_DUMP_TEXT=FILE: once the main window has drawn its first
 * frame, the texts of its visible labels go to FILE, one per line (the
 * test reads what language the user sees). */

static void
dump_labels (GtkWidget *widget,
             GString   *out)
{
  /* What is on screen: not the stack's other pages. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_labels (child, out);
}

static gboolean
dump_first_frame (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *tmp = g_strconcat (g_getenv ("BEACON_TEST_DUMP_TEXT"), ".tmp", NULL);

  dump_labels (widget, out);
  /* Whole or not at all: the test polls for the file. */
  if (g_file_set_contents (tmp, out->str, out->len, NULL))
    g_rename (tmp, g_getenv ("BEACON_TEST_DUMP_TEXT"));
  return G_SOURCE_REMOVE;
}

static void
dump_window_added (GtkApplication *app,
                   GtkWindow      *window)
{
  if (g_list_length (gtk_application_get_windows (app)) == 1)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), dump_first_frame, NULL, NULL);
}

void
beacon_hooks_install (BeaconApplication *app)
{
  const char *t0 = g_getenv ("BEACON_BENCH_T0_US");

  g_return_if_fail (BEACON_IS_APPLICATION (app));

  if (g_getenv ("BEACON_BENCH_EXIT_AFTER_MAP") != NULL)
    {
      bench_t0_us = t0 ? g_ascii_strtoll (t0, NULL, 10) : g_get_real_time ();
      g_signal_connect_after (app, "startup", G_CALLBACK (bench_startup), NULL);
      g_signal_connect (app, "window-added", G_CALLBACK (bench_window_added), NULL);
    }
  if (g_getenv ("BEACON_TEST_DUMP_TEXT") != NULL)
    g_signal_connect (app, "window-added", G_CALLBACK (dump_window_added), NULL);
}
