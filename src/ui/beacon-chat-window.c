/* beacon-chat-window.c — the conversation with one buddy
 *
 * It shows the account's conversation model as bubbles (beacon-message-
 * row.c: date separators, groups, each sent message's fate with Retry),
 * or an empty page before the first message. The header names the peer
 * (display name, address as the subtitle, an avatar). When the user has
 * blocked the peer, a banner says so and offers Unblock, and nothing can
 * be written. While the window is in front, the conversation is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <string.h>

#include <glib/gi18n.h>

#include "beacon-chat-message.h"
#include "beacon-error-words.h"
#include "beacon-chat-window.h"
#include "beacon-message-row.h"
#include "beacon-status-names.h"

struct _BeaconChatWindow
{
  AdwWindow       parent_instance;

  BeaconAccount  *account;
  BeaconBuddy    *buddy;  /* NULL when the peer is not a friend */
  char           *uri;
  char           *short_name;  /* a stranger's user part: "dave" for sip:dave@example.org */
  BeaconConversation *conversation;
  GCancellable   *cancellable;  /* the waits for sent messages' answers */

  AdwWindowTitle *window_title;
  AdwAvatar      *header_avatar;
  gboolean        show_account;  /* several accounts: say which one */
  GtkRevealer    *blocked_revealer;
  GtkLabel       *blocked_label;
  GtkWidget      *unblock_button;
  GtkStack       *content_stack;
  AdwStatusPage  *empty_page;
  GtkScrolledWindow *scroller;
  GtkListView    *message_view;
  GtkEntry       *message_entry;
  GtkWidget      *send_button;
};

G_DEFINE_FINAL_TYPE (BeaconChatWindow, beacon_chat_window, ADW_TYPE_WINDOW)

/* A name, not an address: the friend's, or a stranger's user part (and
 * the avatar's initials come from it, not from "sip:"). */
static const char *
peer_name (BeaconChatWindow *self)
{
  return self->buddy ? beacon_buddy_get_display_name (self->buddy) : self->short_name;
}

static char *
short_name_of (const char *uri)
{
  const char *user = uri;
  const char *at;

  if (g_str_has_prefix (user, "sips:"))
    user += strlen ("sips:");
  else if (g_str_has_prefix (user, "sip:"))
    user += strlen ("sip:");
  at = strchr (user, '@');
  if (at == NULL || at == user)
    return g_strdup (uri);
  return g_strndup (user, at - user);
}

/* ---- the bubbles ------------------------------------------------------------ */

static void
setup_message_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   BeaconChatWindow         *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (beacon_message_row_new ()));
  /* The entry is where the user types; bubbles are read, not focused. */
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_message_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  BeaconChatWindow         *self)
{
  guint position = gtk_list_item_get_position (item);
  g_autoptr(BeaconChatMessage) previous = NULL;

  if (position > 0)
    previous = g_list_model_get_item (G_LIST_MODEL (self->conversation), position - 1);
  beacon_message_row_set_message (BEACON_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                  gtk_list_item_get_item (item), previous, peer_name (self));
}

static void
unbind_message_row (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    BeaconChatWindow         *self)
{
  beacon_message_row_set_message (BEACON_MESSAGE_ROW (gtk_list_item_get_child (item)),
                                  NULL, NULL, NULL);
}

/* ---- header, empty page, blocked banner --------------------------------------- */

static void
update_title (BeaconChatWindow *self)
{
  const char *name = peer_name (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *empty = NULL;

  if (self->buddy != NULL && !self->show_account)
    /* TRANSLATORS: a buddy's status, then their address */
    subtitle = g_strdup_printf (_("%s · %s"), beacon_status_label (beacon_buddy_get_status (self->buddy)),
                                self->uri);
  else
    subtitle = g_strdup (self->uri);
  if (self->show_account)
    {
      char *with_account;

      /* TRANSLATORS: the chat's subtitle, then the user's account the chat is on */
      with_account = g_strdup_printf (_("%s · on %s"), subtitle, beacon_account_get_aor (self->account));
      g_free (subtitle);
      subtitle = with_account;
    }
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  adw_avatar_set_text (self->header_avatar, name);
  gtk_window_set_title (GTK_WINDOW (self), name);
  /* TRANSLATORS: the empty chat's page, under "No Messages Yet" */
  empty = g_strdup_printf (_("Write to %s below. Your messages and theirs will show here."), name);
  adw_status_page_set_description (self->empty_page, empty);
}

static void
update_content_page (BeaconChatWindow *self)
{
  gtk_stack_set_visible_child_name (self->content_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) > 0
                                      ? "messages"
                                                                                     : "empty");
}

static void
update_blocked (BeaconChatWindow *self)
{
  gboolean blocked = beacon_account_is_blocked (self->account, self->uri);
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  g_autofree char *text = NULL;

  /* TRANSLATORS: a banner in the chat with someone the user blocked */
  text = g_strdup_printf (_("You blocked %s. They cannot see your status or write to you."),
                          peer_name (self));
  gtk_label_set_text (self->blocked_label, text);
  /* The keyboard focus goes where the user can act: Unblock while
   * blocked, the entry after (and never stays on an insensitive widget). */
  if (blocked)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.unblock", TRUE);
  gtk_revealer_set_reveal_child (self->blocked_revealer, blocked);
  if (blocked && focus != NULL &&
      (focus == GTK_WIDGET (self->message_entry) ||
       gtk_widget_is_ancestor (focus, GTK_WIDGET (self->message_entry))))
    gtk_widget_grab_focus (self->unblock_button);
  gtk_widget_set_sensitive (GTK_WIDGET (self->message_entry), !blocked);
  gtk_widget_set_sensitive (self->send_button, !blocked);
  if (!blocked && focus == self->unblock_button)
    gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
  if (!blocked)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.unblock", FALSE);
}

static void
on_buddy_notify (BeaconChatWindow *self)
{
  update_title (self);
  update_blocked (self);
}

/* ---- read, scrolled, focused ---------------------------------------------------- */

/* In front: what the peer wrote has been seen. */
static void
mark_read (BeaconChatWindow *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)) && gtk_window_is_active (GTK_WINDOW (self)))
    beacon_conversation_mark_read (self->conversation);
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
  update_content_page (self);
  if (added > 0)
    g_idle_add_full (G_PRIORITY_LOW, scroll_to_end, g_object_ref (self), g_object_unref);
  mark_read (self);
}

void
beacon_chat_window_focus_entry (BeaconChatWindow *self)
{
  g_return_if_fail (BEACON_IS_CHAT_WINDOW (self));

  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->message_entry));
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

static void
beacon_chat_window_map (GtkWidget *widget)
{
  BeaconChatWindow *self = BEACON_CHAT_WINDOW (widget);

  GTK_WIDGET_CLASS (beacon_chat_window_parent_class)->map (widget);
  /* Opened to write: the cursor in the entry, no bubble's text selected. */
  beacon_chat_window_focus_entry (self);
  g_idle_add_full (G_PRIORITY_LOW, scroll_to_end, g_object_ref (self), g_object_unref);
}

/* ---- actions ---------------------------------------------------------------------- */

/* A message that failed on its way shows so on its bubble, with Retry; one
 * that could not even be kept or sent is told here, its text given back to
 * the entry when the user has not typed anything since. */
typedef struct {
  BeaconChatWindow *self;
  char             *text;
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->self);
  g_free (sending->text);
  g_free (sending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sending, sending_free)

static void
message_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Sending) sending = user_data;
  BeaconChatWindow *self = sending->self;
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = beacon_conversation_send_finish (BEACON_CONVERSATION (source), result, &error);
  if (message != NULL ||
      g_error_matches (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_DELIVERED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->message_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->message_entry), sending->text);
  beacon_error_dialog (GTK_WINDOW (self), _("Message Not Sent"), error);
}

void
beacon_chat_window_send (BeaconChatWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->message_entry)));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  Sending *sending;

  if (*trimmed == '\0' || !gtk_widget_is_sensitive (GTK_WIDGET (self->message_entry)))
    return;
  /* Shown at once (the bubble says how it goes): the entry is free for the
   * next one. */
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->text = g_steal_pointer (&text);
  beacon_conversation_send_async (self->conversation, sending->text, self->cancellable,
                                  message_sent, sending);
}

static void
on_send (BeaconChatWindow *self)
{
  beacon_chat_window_send (self);
}

/* A failed message's Retry: the same message again, under its id, so a
 * peer that got the first copy after all drops the second. */
static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BeaconChatWindow *self = BEACON_CHAT_WINDOW (widget);
  BeaconChatMessage *message =
    beacon_conversation_find (self->conversation, g_variant_get_string (parameter, NULL));
  g_autoptr(GError) error = NULL;

  if (message == NULL || !beacon_conversation_retry (self->conversation, message, &error))
    {
      g_debug ("retry: %s", error ? error->message : "no such message");
      gtk_widget_error_bell (widget);
    }
}

static void
unblock_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BeaconChatWindow *self = BEACON_CHAT_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!beacon_account_unblock (self->account, self->uri, &error))
    beacon_error_dialog (GTK_WINDOW (self), _("Could Not Unblock"), error);
  update_blocked (self);
}

/* ---- object ------------------------------------------------------------------------ */

static void
beacon_chat_window_dispose (GObject *object)
{
  BeaconChatWindow *self = BEACON_CHAT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->buddy);
  g_clear_object (&self->conversation);
  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_CHAT_WINDOW);

  G_OBJECT_CLASS (beacon_chat_window_parent_class)->dispose (object);
}

static void
beacon_chat_window_finalize (GObject *object)
{
  g_free (BEACON_CHAT_WINDOW (object)->uri);
  g_free (BEACON_CHAT_WINDOW (object)->short_name);
  G_OBJECT_CLASS (beacon_chat_window_parent_class)->finalize (object);
}

static void
beacon_chat_window_class_init (BeaconChatWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_chat_window_dispose;
  object_class->finalize = beacon_chat_window_finalize;
  widget_class->map = beacon_chat_window_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-chat-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, header_avatar);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, blocked_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, blocked_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, unblock_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, message_entry);
  gtk_widget_class_bind_template_child (widget_class, BeaconChatWindow, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_send);
  gtk_widget_class_install_action (widget_class, "chat.retry", "s", retry_activated);
  gtk_widget_class_install_action (widget_class, "chat.unblock", NULL, unblock_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
beacon_chat_window_init (BeaconChatWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::is-active", G_CALLBACK (mark_read), NULL);
  g_signal_connect (self, "notify::visible", G_CALLBACK (mark_read), NULL);
}

BeaconChatWindow *
beacon_chat_window_new (GtkApplication *application,
                        BeaconAccount  *account,
                        const char     *uri)
{
  BeaconChatWindow *self = g_object_new (BEACON_TYPE_CHAT_WINDOW, "application", application, NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account), uri);

  self->account = g_object_ref (account);
  self->uri = g_strdup (uri);
  self->short_name = short_name_of (uri);
  self->conversation = g_object_ref (beacon_account_get_conversation (account, uri));
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->buddy, buddy);
  if (buddy != NULL)
    g_signal_connect_object (buddy, "notify", G_CALLBACK (on_buddy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (beacon_account_get_blocked (account), "items-changed",
                           G_CALLBACK (update_blocked), self, G_CONNECT_SWAPPED);
  update_title (self);
  update_blocked (self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_message_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_message_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_message_row), self);
  gtk_list_view_set_factory (self->message_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->message_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (G_LIST_MODEL (self->conversation)))));
  g_signal_connect_object (self->conversation, "items-changed",
                           G_CALLBACK (on_conversation_changed), self, 0);
  update_content_page (self);
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
