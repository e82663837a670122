/* beacon-blacklist-window.c — lists blocked people; block and unblock
 *
 * Blocking takes a friend or a nearby peer from a list, or what the user
 * types: a whole address, or a short name completed to the account's own
 * domain ("bob" is sip:bob@DOMAIN). A mistake shows on the entry itself,
 * never in a dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <string.h>

#include <glib/gi18n.h>

#include "beacon-blacklist-window.h"
#include "beacon-error-words.h"
#include "beacon-status-names.h"

#include "lan/beacon-lan-account.h"

struct _BeaconBlacklistWindow
{
  AdwWindow       parent_instance;

  BeaconAccount  *account;
  AdwEntryRow    *block_row;
  GtkLabel       *error_label;
  GtkListBox     *blocked_list;
  GtkWidget      *people_group;
  GtkListBox     *people_list;
  GtkFilter      *not_blocked;
  GListModel     *people;       /* friends and nearby peers not blocked */
};

G_DEFINE_FINAL_TYPE (BeaconBlacklistWindow, beacon_blacklist_window, ADW_TYPE_WINDOW)

static void
show_error (BeaconBlacklistWindow *self,
            const char            *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->block_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->block_row), "error");
}

static void
on_block_text_changed (BeaconBlacklistWindow *self)
{
  show_error (self, NULL);
}

char *
beacon_blacklist_complete_address (const char  *text,
                                   const char  *own_aor,
                                   GError     **error)
{
  g_autofree char *typed = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *domain = own_aor != NULL ? strchr (own_aor, '@') : NULL;

  /* A bare user name: the account's own domain. */
  if (*typed != '\0' && strchr (typed, '@') == NULL && strchr (typed, ':') == NULL &&
      domain != NULL && domain[1] != '\0')
    {
      g_autofree char *whole = g_strconcat (typed, domain, NULL);

      return beacon_account_normalize_uri (whole, error);
    }
  return beacon_account_normalize_uri (typed, error);
}

static gboolean
block (BeaconBlacklistWindow *self,
       const char            *uri)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_account_authorize (self->account, uri, BEACON_AUTHORIZE_BLOCK, &error))
    {
      g_autofree char *words = beacon_error_words (error);

      show_error (self, words);
      return FALSE;
    }
  return TRUE;
}

static void
on_block_apply (BeaconBlacklistWindow *self)
{
  g_autofree char *uri = beacon_blacklist_complete_address (
    gtk_editable_get_text (GTK_EDITABLE (self->block_row)), beacon_account_get_aor (self->account),
    NULL);

  if (uri == NULL)
    {
      show_error (self, _("Enter a name like bob, or an address like bob@example.org"));
      return;
    }
  if (beacon_account_is_blocked (self->account, uri))
    {
      show_error (self, _("Already blocked"));
      return;
    }
  if (block (self, uri))
    gtk_editable_set_text (GTK_EDITABLE (self->block_row), "");
}

static void
on_pick_clicked (GtkButton             *button,
                 BeaconBlacklistWindow *self)
{
  block (self, g_object_get_data (G_OBJECT (button), "uri"));
}

static void
on_unblock_clicked (GtkButton             *button,
                    BeaconBlacklistWindow *self)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "uri");
  g_autoptr(GError) error = NULL;

  if (!beacon_account_unblock (self->account, uri, &error))
    {
      g_autofree char *words = beacon_error_words (error);

      show_error (self, words);
    }
}

/* A person: a face, the name, the address as the subtitle; the button at
 * the end unblocks (@blocked) or blocks. */
static GtkWidget *
person_row (BeaconBlacklistWindow *self,
            const char            *uri,
            gboolean               blocked,
            GCallback              on_clicked)
{
  g_autofree char *name = beacon_person_name (uri, beacon_known_name (self->account, uri));
  g_autofree char *label = blocked ? g_strdup_printf (_("Unblock %s"), name)
                                   : g_strdup_printf (_("Block %s"), name);
  const char *action = blocked ? _("_Unblock") : _("_Block");
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (action);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), uri);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, name, TRUE));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (button, "clicked", on_clicked, self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
create_blocked_row (gpointer item,
                    gpointer user_data)
{
  return person_row (user_data, beacon_buddy_get_uri (item), TRUE, G_CALLBACK (on_unblock_clicked));
}

static GtkWidget *
create_person_row (gpointer item,
                   gpointer user_data)
{
  return person_row (user_data, beacon_buddy_get_uri (item), FALSE, G_CALLBACK (on_pick_clicked));
}

static gboolean
is_not_blocked (gpointer item,
                gpointer user_data)
{
  BeaconBlacklistWindow *self = user_data;

  return self->account != NULL && !beacon_account_is_blocked (self->account, beacon_buddy_get_uri (item));
}

static void
on_blocked_changed (BeaconBlacklistWindow *self)
{
  gtk_filter_changed (self->not_blocked, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_people_changed (BeaconBlacklistWindow *self)
{
  gtk_widget_set_visible (self->people_group, g_list_model_get_n_items (self->people) > 0);
}

static void
beacon_blacklist_window_dispose (GObject *object)
{
  BeaconBlacklistWindow *self = BEACON_BLACKLIST_WINDOW (object);

  if (self->not_blocked != NULL)
    gtk_custom_filter_set_filter_func (GTK_CUSTOM_FILTER (self->not_blocked), NULL, NULL, NULL);
  g_clear_object (&self->people);
  g_clear_object (&self->not_blocked);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_BLACKLIST_WINDOW);

  G_OBJECT_CLASS (beacon_blacklist_window_parent_class)->dispose (object);
}

static void
beacon_blacklist_window_class_init (BeaconBlacklistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_blacklist_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-blacklist-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, block_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, blocked_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, people_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, people_list);
  gtk_widget_class_bind_template_callback (widget_class, on_block_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_block_text_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
beacon_blacklist_window_init (BeaconBlacklistWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconBlacklistWindow *
beacon_blacklist_window_new (GtkWindow     *parent,
                             BeaconAccount *account)
{
  BeaconBlacklistWindow *self = g_object_new (BEACON_TYPE_BLACKLIST_WINDOW,
                                              "transient-for", parent,
                                              NULL);
  GListStore *sources = g_list_store_new (G_TYPE_LIST_MODEL);
  GListModel *blocked = beacon_account_get_blocked (account);

  self->account = g_object_ref (account);
  gtk_list_box_bind_model (self->blocked_list, blocked, create_blocked_row, self, NULL);

  /* Whom to pick from: the friends, then who is nearby (LAN). */
  g_list_store_append (sources, beacon_account_get_buddies (account));
  if (BEACON_IS_LAN_ACCOUNT (account))
    g_list_store_append (sources, beacon_lan_account_get_nearby (BEACON_LAN_ACCOUNT (account)));
  self->not_blocked = GTK_FILTER (gtk_custom_filter_new (is_not_blocked, self, NULL));
  self->people = G_LIST_MODEL (gtk_filter_list_model_new (
    G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (sources))), g_object_ref (self->not_blocked)));
  gtk_list_box_bind_model (self->people_list, self->people, create_person_row, self, NULL);
  g_signal_connect_object (blocked, "items-changed", G_CALLBACK (on_blocked_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->people, "items-changed", G_CALLBACK (on_people_changed), self,
                           G_CONNECT_SWAPPED);
  on_people_changed (self);
  return self;
}
