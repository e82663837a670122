/* ui-test-util.c — driving real GTK windows from a test (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "ui-test-util.h"

void
ui_wait_for (UiCondition  cond,
             gpointer     data,
             double       seconds,
             const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %.0f s waiting for %s", seconds, what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
}

void
ui_spin (double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

GtkWidget *
ui_find (GtkWidget     *root,
         GType          type,
         UiMatch        match,
         gconstpointer  data)
{
  if (root == NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, (gpointer) data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
button_has_label (GtkWidget *widget,
                  gpointer   data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0 &&
         gtk_widget_is_sensitive (widget);
}

GtkWidget *
ui_find_button (GtkWidget  *root,
                const char *label)
{
  return ui_find (root, GTK_TYPE_BUTTON, button_has_label, (gpointer) label);
}

GtkWindow *
ui_find_toplevel (GType         type,
                  UiMatch       match,
                  gconstpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window) &&
          (match == NULL || match (window, (gpointer) data)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

char *
ui_visible_text (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_text (root, out);
  return g_string_free (out, FALSE);
}

typedef struct {
  GtkWidget  *root;
  const char *text;
  gboolean    present;
} TextWant;

static gboolean
text_state (gpointer data)
{
  TextWant *want = data;
  g_autofree char *text = ui_visible_text (want->root);

  return (strstr (text, want->text) != NULL) == want->present;
}

static void
wait_text (GtkWidget  *root,
           const char *text,
           gboolean    present,
           double      seconds)
{
  TextWant want = { root, text, present };
  g_autofree char *what = g_strdup_printf ("“%s” to %s in %s", text, present ? "show" : "go",
                                           G_OBJECT_TYPE_NAME (root));

  ui_wait_for (text_state, &want, seconds, what);
}

void
ui_wait_for_text (GtkWidget  *root,
                  const char *text,
                  double      seconds)
{
  wait_text (root, text, TRUE, seconds);
}

void
ui_wait_for_no_text (GtkWidget  *root,
                     const char *text,
                     double      seconds)
{
  wait_text (root, text, FALSE, seconds);
}

typedef struct {
  GType      type;
  UiMatch    match;
  gpointer   data;
  GtkWindow *found;
} ToplevelWant;

static gboolean
toplevel_mapped (GtkWidget *widget,
                 gpointer   data)
{
  ToplevelWant *want = data;

  return gtk_widget_get_mapped (widget) &&
         (want->match == NULL || want->match (widget, want->data));
}

static gboolean
toplevel_ready (gpointer data)
{
  ToplevelWant *want = data;

  want->found = ui_find_toplevel (want->type, toplevel_mapped, want);
  return want->found != NULL;
}

GtkWidget *
ui_wait_for_toplevel (GType         type,
                      UiMatch       match,
                      gconstpointer data,
                      double        seconds)
{
  ToplevelWant want = { type, match, (gpointer) data, NULL };

  ui_wait_for (toplevel_ready, &want, seconds, g_type_name (type));
  return GTK_WIDGET (want.found);
}

void
ui_click (GtkWidget  *root,
          const char *label)
{
  GtkWidget *button = ui_find_button (root, label);

  if (button == NULL)
    g_error ("no enabled button “%s” in %s", label, G_OBJECT_TYPE_NAME (root));
  g_assert_true (gtk_widget_activate (button));
}

static gboolean
icon_only (GtkWidget *widget)
{
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
    return FALSE;
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL;
  if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    return gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL;
  return FALSE;
}

static void
check_labelled (GtkWidget *widget,
                guint     *checked)
{
  /* Hidden widgets are not shown to assistive technologies either. */
  if (!gtk_widget_get_visible (widget))
    return;
  if (icon_only (widget))
    {
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("%s with icon “%s” in %s has no accessible label", G_OBJECT_TYPE_NAME (widget),
                 GTK_IS_MENU_BUTTON (widget) ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget))
                                             : gtk_button_get_icon_name (GTK_BUTTON (widget)),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_root (widget)));
      (*checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_labelled (child, checked);
}

guint
ui_assert_icon_buttons_labelled (GtkWidget *root)
{
  guint checked = 0;

  check_labelled (root, &checked);
  return checked;
}

void
ui_screenshot (GtkWidget  *widget,
               const char *name)
{
  const char *dir = g_getenv ("BEACON_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  GskRenderer *renderer;
  int width, height;
  gboolean varied = FALSE;

  ui_spin (0.3);  /* let the last changes reach a frame */
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 50);
  g_assert_cmpint (height, >, 50);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Not blank: some pixel differs from the first. */
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (gsize i = 4; i < (gsize) width * height * 4 && !varied; i += 4)
    varied = memcmp (pixels, pixels + i, 4) != 0;
  g_assert_true (varied);

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%dx%d)", path, width, height);
}

pid_t
ui_kamailio_pid (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("BEACON_TEST_RUNDIR"), "env", NULL);
  g_autofree char *env = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &env, NULL, NULL));
  line = strstr (env, "KAMAILIO_PID=");
  g_assert_nonnull (line);
  return (pid_t) g_ascii_strtoll (line + strlen ("KAMAILIO_PID="), NULL, 10);
}
