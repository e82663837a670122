/* beacon-message-row.c — one bubble of a conversation
 *
 * A date separator above the first message of a day; consecutive messages
 * from the same side within a few minutes form a group: one avatar (the
 * peer's, at the group's first bubble) and tighter spacing. Own messages
 * show their fate with a word and an icon (sending, delivered, stored for
 * an offline peer, failed with Retry: the chat window's "chat.retry"
 * action, which sends it again under the same id).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-message-row.h"

/* Messages further apart than this start a new group. */
#define GROUP_GAP_US (5 * G_TIME_SPAN_MINUTE)

struct _BeaconMessageRow
{
  GtkWidget          parent_instance;

  BeaconChatMessage *message;
  gboolean           starts_group;

  GtkLabel          *date_label;
  GtkWidget         *line;
  AdwAvatar         *avatar;
  GtkWidget         *bubble;
  GtkLabel          *text_label;
  GtkLabel          *meta_label;
  GtkImage          *state_icon;
  GtkWidget         *retry_button;
};

G_DEFINE_FINAL_TYPE (BeaconMessageRow, beacon_message_row, GTK_TYPE_WIDGET)

char *
beacon_message_row_format_day (GDateTime *time,
                               GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (local_now, -1);
  int y, m, d;

  g_date_time_get_ymd (local, &y, &m, &d);
  {
    int ny, nm, nd;

    g_date_time_get_ymd (local_now, &ny, &nm, &nd);
    if (y == ny && m == nm && d == nd)
      return g_strdup (_("Today"));
    g_date_time_get_ymd (yesterday, &ny, &nm, &nd);
    if (y == ny && m == nm && d == nd)
      return g_strdup (_("Yesterday"));
  }
  /* TRANSLATORS: a date separator in a chat, a g_date_time_format() format */
  return g_date_time_format (local, _("%B %-d, %Y"));
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  g_autoptr(GDateTime) la = g_date_time_to_local (a);
  g_autoptr(GDateTime) lb = g_date_time_to_local (b);

  return g_date_time_get_year (la) == g_date_time_get_year (lb) &&
         g_date_time_get_day_of_year (la) == g_date_time_get_day_of_year (lb);
}


/* Why a message was not sent, in words a user can act on; the code only
 * where there are none. *@owned holds what must be freed. */
static const char *
failure_words (guint   code,
               char  **owned)
{
  switch (code)
    {
    case 0:
      return _("Not sent");
    case 408:
    case 503:
    case 504:
      /* The server's, or on the LAN the peer's: both modes say this. */
      return _("Not sent: no connection");
    case 404:
    case 604:
      return _("Not sent: there is no such address");
    case 480:
      return _("Not sent: they cannot be reached now");
    case 403:
    case 603:
      return _("Not sent: refused");
    case 429:
      return _("Not sent: too many messages, try again in a moment");
    case 415:
    case 488:
      return _("Not sent: they cannot take this message");
    default:
      *owned = g_strdup_printf (_("Not sent (error %u)"), code);
      return *owned;
    }
}

static void
sync_state (BeaconMessageRow *self)
{
  BeaconChatMessage *message = self->message;
  g_autofree char *time = NULL;
  g_autofree char *line = NULL;
  const char *icon = NULL;
  const char *state = NULL;
  g_autofree char *failed = NULL;
  BeaconMessageState fate;

  if (message == NULL)
    return;
  time = g_date_time_format (beacon_chat_message_get_time (message), "%H:%M");
  fate = beacon_chat_message_get_state (message);
  if (beacon_chat_message_get_outgoing (message))
    switch (fate)
      {
      case BEACON_MESSAGE_SENDING:
        icon = "content-loading-symbolic";
        state = _("Sending…");
        break;
      case BEACON_MESSAGE_DELIVERED:
        icon = "emblem-ok-symbolic";
        state = _("Delivered");
        break;
      case BEACON_MESSAGE_STORED:
        icon = "appointment-soon-symbolic";
        state = _("Stored until they come online");
        break;
      case BEACON_MESSAGE_FAILED:
      default:
        icon = "dialog-error-symbolic";
        state = failure_words (beacon_chat_message_get_code (message), &failed);
        break;
      }
  if (state != NULL)
    line = g_strdup_printf ("%s · %s", time, state);
  gtk_label_set_text (self->meta_label, line ? line : time);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (self->state_icon, icon);
  if (icon != NULL && fate == BEACON_MESSAGE_FAILED)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->meta_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->meta_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "error");
    }
  /* Target first: the action takes an id, never nothing. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s",
                                    beacon_chat_message_get_id (message));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "chat.retry");
  gtk_widget_set_visible (self->retry_button, icon != NULL && fate == BEACON_MESSAGE_FAILED);
}

static void
on_message_notify (BeaconMessageRow *self)
{
  sync_state (self);
}

void
beacon_message_row_set_message (BeaconMessageRow  *self,
                                BeaconChatMessage *message,
                                BeaconChatMessage *previous,
                                const char        *peer_name)
{
  gboolean outgoing;
  gboolean new_day;

  g_return_if_fail (BEACON_IS_MESSAGE_ROW (self));

  if (self->message != NULL)
    g_signal_handlers_disconnect_by_func (self->message, on_message_notify, self);
  g_set_object (&self->message, message);
  if (message == NULL)
    return;
  g_signal_connect_object (message, "notify", G_CALLBACK (on_message_notify), self,
                           G_CONNECT_SWAPPED);

  outgoing = beacon_chat_message_get_outgoing (message);
  new_day = previous == NULL ||
            !same_day (beacon_chat_message_get_time (previous), beacon_chat_message_get_time (message));
  self->starts_group = new_day || beacon_chat_message_get_outgoing (previous) != outgoing ||
                       g_date_time_difference (beacon_chat_message_get_time (message),
                                               beacon_chat_message_get_time (previous)) > GROUP_GAP_US;
  if (new_day)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *day = beacon_message_row_format_day (beacon_chat_message_get_time (message), now);

      gtk_label_set_text (self->date_label, day);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->date_label), new_day);

  gtk_label_set_text (self->text_label, beacon_chat_message_get_text (message));
  gtk_widget_set_halign (self->line, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_label_set_xalign (self->meta_label, outgoing ? 1.0 : 0.0);
  if (outgoing)
    gtk_widget_add_css_class (self->bubble, "outgoing");
  else
    gtk_widget_remove_css_class (self->bubble, "outgoing");
  /* The peer's face once per group; the later bubbles keep its room so
   * that they line up. */
  adw_avatar_set_text (self->avatar, peer_name);
  gtk_widget_set_visible (GTK_WIDGET (self->avatar), !outgoing);
  gtk_widget_set_opacity (GTK_WIDGET (self->avatar), self->starts_group ? 1.0 : 0.0);
  gtk_widget_set_margin_top (self->line, self->starts_group ? 8 : 2);
  if (self->starts_group)
    gtk_widget_add_css_class (GTK_WIDGET (self), "group-start");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "group-start");
  sync_state (self);
}

BeaconChatMessage *
beacon_message_row_get_message (BeaconMessageRow *self)
{
  g_return_val_if_fail (BEACON_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}

gboolean
beacon_message_row_starts_group (BeaconMessageRow *self)
{
  g_return_val_if_fail (BEACON_IS_MESSAGE_ROW (self), FALSE);
  return self->starts_group;
}

static void
beacon_message_row_dispose (GObject *object)
{
  BeaconMessageRow *self = BEACON_MESSAGE_ROW (object);
  GtkWidget *child;

  beacon_message_row_set_message (self, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_MESSAGE_ROW);
  /* The template's top box has no id: dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (beacon_message_row_parent_class)->dispose (object);
}

static void
beacon_message_row_class_init (BeaconMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_message_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, line);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconMessageRow, retry_button);
}

static void
beacon_message_row_init (BeaconMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconMessageRow *
beacon_message_row_new (void)
{
  return g_object_new (BEACON_TYPE_MESSAGE_ROW, NULL);
}
