/* bench-hello.c — the toolkit's own start-up cost, for comparison
 *
 * An AdwApplicationWindow with a header bar and an empty list, nothing
 * else; with BEACON_BENCH_EXIT_AFTER_MAP set it prints the same line as
 * the app (src/ui/main.c) at its first frame and quits. bench-startup.sh
 * runs it beside the app: what the app costs above this is Beacon's.
 * BENCH_HELLO_ROWS=N puts N labels in a GtkListView, directly in the
 * GtkScrolledWindow, or with BENCH_HELLO_NESTED=1 inside a GtkBox in it
 * (as src/ui/beacon-window.ui does): then the view is not what scrolls and
 * makes a row widget for every item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

static gint64 t0_us;

static glong
status_kib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    return -1;
  return strtol (line + strlen (key), NULL, 10);
}

static gboolean
first_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       app)
{
  printf ("beacon-bench: first-frame-ms=%.1f rss-kib=%ld hwm-kib=%ld\n",
          (g_get_real_time () - t0_us) / 1000.0, status_kib ("VmRSS:"), status_kib ("VmHWM:"));
  fflush (stdout);
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
mapped (GtkWidget *window,
        gpointer   app)
{
  gtk_widget_add_tick_callback (window, first_frame, app, NULL);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (string));
}

static GtkWidget *
make_list (void)
{
  const char *rows = g_getenv ("BENCH_HELLO_ROWS");
  guint n = rows ? (guint) g_ascii_strtoull (rows, NULL, 10) : 0;
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *view;

  if (n == 0)
    {
      g_object_unref (strings);
      g_object_unref (factory);
      return gtk_list_box_new ();
    }
  for (guint i = 1; i <= MIN (n, 100000); i++)
    {
      g_autofree char *label = g_strdup_printf ("Buddy %u", i);

      gtk_string_list_append (strings, label);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (strings))),
                            factory);
  if (g_getenv ("BENCH_HELLO_NESTED") != NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_box_append (GTK_BOX (box), view);
      return box;
    }
  return view;
}

static void
activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Hello");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), make_list ());
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  if (g_getenv ("BEACON_BENCH_EXIT_AFTER_MAP") != NULL)
    g_signal_connect (window, "map", G_CALLBACK (mapped), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = NULL;
  const char *t0 = g_getenv ("BEACON_BENCH_T0_US");

  t0_us = t0 ? g_ascii_strtoll (t0, NULL, 10) : g_get_real_time ();
  app = adw_application_new ("io.github.beacon_im.BenchHello", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
