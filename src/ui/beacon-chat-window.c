/* beacon-chat-window.c — the conversation with one buddy
 *
 * It shows the account's conversation model; each sent message shows its
 * fate (sending, delivered, stored for an offline buddy, failed with a
 * retry button).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-chat-message.h"
#include "beacon-chat-window.h"
#include "beacon-status-names.h"

struct _BeaconChatWindow
{
  AdwWindow       parent_instance;

  BeaconAccount  *account;
  BeaconBuddy    *buddy;  /* NULL when the peer is not a friend */
  char           *uri;

  AdwWindowTitle *window_title;
  gboolean        show_account;  /* several accounts: say which one */
  GtkScrolledWindow *scroller;
  GtkListView    *message_view;
  GtkEntry       *message_entry;
};

G_DEFINE_FINAL_TYPE (BeaconChatWindow, beacon_chat_window, ADW_TYPE_WINDOW)

static char *
describe_state (BeaconChatMessage *message)
{
  switch (beacon_chat_message_get_state (message))
    {
    case BEACON_MESSAGE_SENDING:
      return g_strdup (_("Sending…"));
    case BEACON_MESSAGE_DELIVERED:
      return g_strdup (_("Delivered"));
    case BEACON_MESSAGE_STORED:
      return g_strdup (_("Stored until they come online"));
    case BEACON_MESSAGE_FAILED:
    default:
      if (beacon_chat_message_get_code (message) != 0)
        return g_strdup_printf (_("Not sent (error %u)"), beacon_chat_message_get_code (message));
      return g_strdup (_("Not sent"));
    }
}

static void
sync_row (GtkWidget *row)
{
  BeaconChatMessage *message = g_object_get_data (G_OBJECT (row), "message");
  GtkLabel *text = g_object_get_data (G_OBJECT (row), "text");
  GtkLabel *meta = g_object_get_data (G_OBJECT (row), "meta");
  GtkWidget *retry = g_object_get_data (G_OBJECT (row), "retry");
  g_autofree char *time = NULL;
  g_autofree char *state = NULL;
  g_autofree char *line = NULL;
  gboolean outgoing;

  if (message == NULL)
    return;
  outgoing = beacon_chat_message_get_outgoing (message);
  time = g_date_time_format (beacon_chat_message_get_time (message), "%H:%M");
  if (outgoing)
    {
      state = describe_state (message);
      line = g_strdup_printf ("%s · %s", time, state);
    }
  gtk_label_set_text (text, beacon_chat_message_get_text (message));
  gtk_label_set_text (meta, line ? line : time);
  gtk_widget_set_halign (row, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_label_set_xalign (meta, outgoing ? 1.0 : 0.0);
  if (outgoing)
    gtk_widget_add_css_class (row, "outgoing");
  else
    gtk_widget_remove_css_class (row, "outgoing");
  gtk_widget_set_visible (retry, outgoing &&
                          beacon_chat_message_get_state (message) == BEACON_MESSAGE_FAILED);
}

static void
on_message_notify (BeaconChatMessage *message,
                   GParamSpec        *pspec,
                   GtkWidget         *row)
{
  sync_row (row);
}

static void
on_retry_clicked (GtkButton        *button,
                  BeaconChatWindow *self)
{
  GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (button)));
  BeaconChatMessage *message = g_object_get_data (G_OBJECT (row), "message");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (message == NULL)
    return;
  id = beacon_account_send_message (self->account, self->uri,
                                    beacon_chat_message_get_text (message), &error);
  if (id == NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
setup_message_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   BeaconChatWindow         *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *meta = gtk_label_new (NULL);
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

  gtk_widget_add_css_class (row, "message");
  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 6);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 40);
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (retry, "flat");
  gtk_widget_add_css_class (retry, "caption");
  g_signal_connect_object (retry, "clicked", G_CALLBACK (on_retry_clicked), self, 0);

  gtk_box_append (GTK_BOX (row), text);
  gtk_box_append (GTK_BOX (footer), meta);
  gtk_box_append (GTK_BOX (footer), retry);
  gtk_box_append (GTK_BOX (row), footer);
  g_object_set_data (G_OBJECT (row), "text", text);
  g_object_set_data (G_OBJECT (row), "meta", meta);
  g_object_set_data (G_OBJECT (row), "retry", retry);
  gtk_list_item_set_child (item, row);
}

static void
bind_message_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  BeaconChatWindow         *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  BeaconChatMessage *message = gtk_list_item_get_item (item);

  g_object_set_data_full (G_OBJECT (row), "message", g_object_ref (message), g_object_unref);
  g_signal_connect_object (message, "notify", G_CALLBACK (on_message_notify), row, 0);
  sync_row (row);
}

static void
unbind_message_row (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    BeaconChatWindow         *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), on_message_notify, row);
  g_object_set_data (G_OBJECT (row), "message", NULL);
}

static void
update_title (BeaconChatWindow *self)
{
  const char *name = self->buddy ? beacon_buddy_get_display_name (self->buddy) : self->uri;
  const char *status = self->buddy ? beacon_status_label (beacon_buddy_get_status (self->buddy)) : self->uri;

  g_autofree char *subtitle = NULL;

  /* TRANSLATORS: a buddy's status, then the user's account the chat is on */
  if (self->show_account)
    subtitle = g_strdup_printf (_("%s · on %s"), status, beacon_account_get_aor (self->account));
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : status);
  gtk_window_set_title (GTK_WINDOW (self), name);
}

static gboolean
scroll_to_end (gpointer user_data)
{
  BeaconChatWindow *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  return G_SOURCE_REMOVE;
}

static void
on_conversation_changed (GListModel       *model,
                         guint             position,
                         guint             removed,
                         guint             added,
                         BeaconChatWindow *self)
{
  if (added > 0)
    g_idle_add_full (G_PRIORITY_LOW, scroll_to_end, g_object_ref (self), g_object_unref);
}

void
beacon_chat_window_send (BeaconChatWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    return;
  id = beacon_account_send_message (self->account, self->uri, text, &error);
  if (id == NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
        adw_message_dialog_new (GTK_WINDOW (self), _("Message Not Sent"), error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
}

static void
on_send (BeaconChatWindow *self)
{
  beacon_chat_window_send (self);
}

static void
beacon_chat_window_dispose (GObject *object)
{
  BeaconChatWindow *self = BEACON_CHAT_WINDOW (object);

  g_clear_object (&self->buddy);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_CHAT_WINDOW);

  G_OBJECT_CLASS (beacon_chat_window_parent_class)->dispose (object);
}

static void
beacon_chat_window_finalize (GObject *object)
{
  g_free (BEACON_CHAT_WINDOW (object)->uri);
  G_OBJECT_CLASS (beacon_chat_window_parent_class)->finalize (object);
}

static void
beacon_chat_window_class_init (BeaconChatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_chat_window_dispose;
  object_class->finalize = beacon_chat_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-chat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, message_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_send);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
beacon_chat_window_init (BeaconChatWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconChatWindow *
beacon_chat_window_new (GtkApplication *application,
                        BeaconAccount  *account,
                        const char     *uri)
{
  BeaconChatWindow *self = g_object_new (BEACON_TYPE_CHAT_WINDOW, "application", application, NULL);
  GListModel *conversation = beacon_account_get_conversation (account, uri);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account), uri);

  self->account = g_object_ref (account);
  self->uri = g_strdup (uri);
  g_set_object (&self->buddy, buddy);
  if (buddy != NULL)
    g_signal_connect_object (buddy, "notify", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  update_title (self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_message_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_message_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_message_row), self);
  gtk_list_view_set_factory (self->message_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->message_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (conversation))));
  g_signal_connect_object (conversation, "items-changed",
                           G_CALLBACK (on_conversation_changed), self, 0);
  return self;
}

const char *
beacon_chat_window_get_uri (BeaconChatWindow *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_WINDOW (self), NULL);
  return self->uri;
}

BeaconAccount *
beacon_chat_window_get_account (BeaconChatWindow *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_WINDOW (self), NULL);
  return self->account;
}

void
beacon_chat_window_set_show_account (BeaconChatWindow *self,
                                     gboolean          show)
{
  g_return_if_fail (BEACON_IS_CHAT_WINDOW (self));
  self->show_account = !!show;
  update_title (self);
}
