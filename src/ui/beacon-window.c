/* beacon-window.c — the buddy-list window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-buddy-row.h"
#include "beacon-status-names.h"
#include "beacon-window.h"

struct _BeaconWindow
{
  AdwApplicationWindow  parent_instance;

  GtkDropDown          *status_selector;
  GtkStack             *content_stack;
  GtkListView          *buddy_view;
};

G_DEFINE_FINAL_TYPE (BeaconWindow, beacon_window, ADW_TYPE_APPLICATION_WINDOW)

/* The selector lists the statuses in this order; GSettings stores nicks. */
static const char *const status_nicks[] = { "online", "busy", "away", "offline" };

static gboolean
status_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (status_nicks); i++)
    if (g_str_equal (nick, status_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
status_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (status_nicks))
    return NULL;
  return g_variant_new_string (status_nicks[i]);
}

/* Online friends first, then busy, away and offline; by name inside. */
static int
compare_buddies (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  BeaconBuddy *x = (BeaconBuddy *) a;
  BeaconBuddy *y = (BeaconBuddy *) b;
  int rank = beacon_status_sort_rank (beacon_buddy_get_status (x)) -
             beacon_status_sort_rank (beacon_buddy_get_status (y));

  if (rank != 0)
    return rank < 0 ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  rank = g_utf8_collate (beacon_buddy_get_display_name (x), beacon_buddy_get_display_name (y));
  return rank < 0 ? GTK_ORDERING_SMALLER : rank > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
update_content_page (BeaconWindow *self,
                     GListModel   *model)
{
  gtk_stack_set_visible_child_name (self->content_stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  BeaconWindow *self)
{
  update_content_page (self, model);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (beacon_buddy_row_new ()));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  beacon_buddy_row_set_buddy (BEACON_BUDDY_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  beacon_buddy_row_set_buddy (BEACON_BUDDY_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
beacon_window_class_init (BeaconWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, status_selector);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, buddy_view);
}

static void
beacon_window_init (BeaconWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
beacon_window_bind (BeaconWindow      *self,
                    BeaconApplication *app)
{
  GListModel *buddies = G_LIST_MODEL (beacon_application_get_buddy_list (app));
  GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_buddies, NULL, NULL));
  GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (buddies), sorter);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->buddy_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->buddy_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (sorted))));

  g_signal_connect_object (buddies, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  update_content_page (self, buddies);

  g_settings_bind_with_mapping (beacon_application_get_settings (app), "status",
                                self->status_selector, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                status_get_mapping, status_set_mapping, NULL, NULL);
}

BeaconWindow *
beacon_window_new (BeaconApplication *application)
{
  BeaconWindow *self = g_object_new (BEACON_TYPE_WINDOW, "application", application, NULL);

  beacon_window_bind (self, application);
  return self;
}
