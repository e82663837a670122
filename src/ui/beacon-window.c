/* beacon-window.c — the buddy-list window
 *
 * It binds to the account's models and properties and turns user actions
 * into account calls; it keeps no protocol state of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <string.h>

#include <glib/gi18n.h>

#include "beacon-account-switcher.h"
#include "beacon-error-words.h"
#include "beacon-add-friend-dialog.h"
#include "beacon-blacklist-window.h"
#include "beacon-buddy-groups.h"
#include "beacon-buddy-row.h"
#include "beacon-status-names.h"
#include "beacon-window.h"

#include "lan/beacon-lan-account.h"

struct _BeaconWindow
{
  AdwApplicationWindow  parent_instance;

  BeaconAccount        *account;
  GListModel           *nearby;   /* LAN peers not yet friends, or NULL */
  BeaconBuddyGroups    *groups;

  AdwToastOverlay      *toasts;
  GtkDropDown          *status_selector;
  BeaconAccountSwitcher *account_switcher;
  GListModel           *accounts;  /* the application's, or NULL */
  GtkSearchEntry       *search_entry;
  GtkRevealer          *connection_revealer;
  GtkLabel             *connection_label;
  GtkRevealer          *strangers_revealer;
  GtkLabel             *strangers_label;
  GtkMenuButton        *strangers_button;
  GtkStack             *content_stack;
  GtkListView          *buddy_view;
  GtkEntry             *note_entry;
  GtkWidget            *account_box;
  AdwAvatar            *account_avatar;
  GtkLabel             *account_name;
  GtkLabel             *account_state;
  GtkWidget            *search_button;
  GtkWidget            *list_clamp;
};

G_DEFINE_FINAL_TYPE (BeaconWindow, beacon_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- the list's width ---------------------------------------------------- */

#define LIST_MAX_WIDTH 640

/* The list keeps at most LIST_MAX_WIDTH, centred: a layout for its bin
 * that only clamps the child's allocation (no style classes, unlike
 * AdwClamp, so no restyle of the rows). */
static void
list_width_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size > LIST_MAX_WIDTH)
    for_size = LIST_MAX_WIDTH;
  gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MIN (*natural, MAX (*minimum, LIST_MAX_WIDTH));
}

static void
list_width_allocate (GtkWidget *widget,
                     int        width,
                     int        height,
                     int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_width = MIN (width, LIST_MAX_WIDTH);
  int minimum = 0;

  if (child == NULL || !gtk_widget_should_layout (child))
    return;
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  child_width = MAX (child_width, MIN (minimum, width));
  gtk_widget_allocate (child, child_width, height, baseline,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT ((width - child_width) / 2, 0)));
}

/* The selector lists the statuses in this order; GSettings stores nicks. */
static const BeaconStatus selector_statuses[] = {
  BEACON_STATUS_ONLINE, BEACON_STATUS_BUSY, BEACON_STATUS_AWAY, BEACON_STATUS_OFFLINE,
};

static gboolean
status_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  BeaconStatus status;

  if (!beacon_status_from_string (g_variant_get_string (variant, NULL), &status))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (selector_statuses); i++)
    if (selector_statuses[i] == status)
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

  if (i >= G_N_ELEMENTS (selector_statuses))
    return NULL;
  return g_variant_new_string (beacon_status_to_string (selector_statuses[i]));
}

static void
on_search_changed (BeaconWindow *self)
{
  beacon_buddy_groups_set_search (self->groups,
                                  gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Accounts in the settings (set up), running or not. */
static gboolean
has_accounts_set_up (BeaconWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_auto(GStrv) ids = NULL;

  if (!BEACON_IS_APPLICATION (app))
    return FALSE;
  ids = g_settings_get_strv (beacon_application_get_settings (BEACON_APPLICATION (app)), "accounts");
  return ids[0] != NULL;
}

static void
update_content_page (BeaconWindow *self)
{
  const char *page;

  if (self->account == NULL)
    page = has_accounts_set_up (self) ? "signin" : "setup";
  else
    page = g_list_model_get_n_items (G_LIST_MODEL (beacon_account_get_buddies (self->account))) > 0 ||
           (self->nearby != NULL && g_list_model_get_n_items (self->nearby) > 0)
             ? "list" : "empty";
  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  BeaconWindow *self)
{
  update_content_page (self);
}

/* The name people see for the account: the LAN name, else the address's
 * user part. */
static char *
account_display_name (BeaconAccount *account)
{
  const char *aor = beacon_account_get_aor (account);
  const char *user = g_str_has_prefix (aor, "sip:") ? aor + 4 : aor;
  g_autofree char *name = NULL;

  if (BEACON_IS_LAN_ACCOUNT (account))
    g_object_get (account, "name", &name, NULL);
  if (name != NULL && *name != '\0')
    return g_steal_pointer (&name);
  return g_strndup (user, strcspn (user, "@"));
}

/* Who I am and whether I am connected; the controls that need an account
 * are off until there is one. */
static void
update_identity (BeaconWindow          *self,
                 BeaconConnectionState  state)
{
  const char *actions[] = { "win.add-friend", "win.search", "win.edit-note", "win.set-status",
                            "win.blacklist" };
  gboolean has_account = self->account != NULL;
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  const char *aor;
  const char *word;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], has_account);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_selector), has_account);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_entry), has_account);
  gtk_widget_set_sensitive (self->search_button, has_account);
  gtk_widget_set_visible (self->account_box, has_account);
  if (!has_account)
    return;

  switch (state)
    {
    case BEACON_CONNECTION_ONLINE:
      word = _("Connected");
      break;
    case BEACON_CONNECTION_CONNECTING:
      word = _("Connecting…");
      break;
    case BEACON_CONNECTION_FAILED:
      word = _("Not connected");
      break;
    case BEACON_CONNECTION_RECONNECTING:
      word = _("Reconnecting…");
      break;
    case BEACON_CONNECTION_OFFLINE:
    default:
      word = _("Offline");
      break;
    }
  name = account_display_name (self->account);
  aor = beacon_account_get_aor (self->account);
  /* TRANSLATORS: the account's address, then its connection state */
  line = g_strdup_printf (_("%s · %s"), g_str_has_prefix (aor, "sip:") ? aor + 4 : aor, word);
  gtk_label_set_text (self->account_name, name);
  gtk_label_set_text (self->account_state, line);
  adw_avatar_set_text (self->account_avatar, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  line, -1);
}

/* Connection problems in words a user can act on. */
static void
update_connection_banner (BeaconWindow *self)
{
  const GError *error = NULL;
  BeaconConnectionState state = BEACON_CONNECTION_OFFLINE;
  g_autofree char *text = NULL;

  if (self->account != NULL)
    {
      state = beacon_account_get_connection_state (self->account);
      error = beacon_account_get_last_error (self->account);
    }

  if (state == BEACON_CONNECTION_FAILED)
    {
      if (g_error_matches (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_AUTH_FAILED))
        text = g_strdup (_("The server did not accept your user name or password. Check them in Preferences."));
      else if (g_error_matches (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_UNREACHABLE))
        text = g_strdup (_("The server cannot be reached. Beacon keeps trying; check your network."));
      else
        text = g_strdup_printf (_("Not connected: %s"), error ? error->message : _("unknown error"));
    }
  else if (state == BEACON_CONNECTION_RECONNECTING)
    {
      /* Beacon retries by itself (bounded backoff); Retry does it now. */
      text = g_strdup (_("Lost the connection to the server. Reconnecting…"));
    }

  update_identity (self, state);
  gtk_label_set_text (self->connection_label, text ? text : "");
  gtk_revealer_set_reveal_child (self->connection_revealer, text != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reconnect",
                                 state == BEACON_CONNECTION_FAILED ||
                                 state == BEACON_CONNECTION_RECONNECTING);
}

static void
on_connection_notify (BeaconWindow *self)
{
  update_connection_banner (self);
}

/* Strangers listed in the banner's menu at most; the rest by count. */
#define STRANGERS_LISTED 10

/* Messages of people not in the list are not rows of it: one banner says
 * how many there are, its menu opens each stranger's chat. */
static void
update_strangers (BeaconWindow *self)
{
  guint unread = self->account ? beacon_account_get_stranger_unread (self->account) : 0;
  g_autoptr(GMenu) menu = NULL;
  g_auto(GStrv) uris = NULL;
  g_autofree char *text = NULL;
  guint n;

  gtk_revealer_set_reveal_child (self->strangers_revealer, unread > 0);
  if (unread == 0)
    {
      gtk_label_set_text (self->strangers_label, "");
      return;
    }
  /* TRANSLATORS: the banner over the list; strangers are people not in it */
  text = g_strdup_printf (_("Messages from strangers: %u"), unread);
  gtk_label_set_text (self->strangers_label, text);
  menu = g_menu_new ();
  uris = beacon_account_dup_unread_strangers (self->account);
  n = g_strv_length (uris);
  for (guint i = 0; i < n && i < STRANGERS_LISTED; i++)
    {
      g_autoptr(GMenuItem) item = NULL;
      /* TRANSLATORS: a stranger's address and their unread messages */
      g_autofree char *label = g_strdup_printf (_("%s (%u)"), uris[i],
                                                beacon_account_get_unread_count (self->account, uris[i]));

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "app.open-account-chat", "(ss)",
                                         beacon_account_get_aor (self->account), uris[i]);
      g_menu_append_item (menu, item);
    }
  if (n > STRANGERS_LISTED)
    {
      /* TRANSLATORS: the last line of the strangers' menu */
      g_autofree char *more = g_strdup_printf (_("And %u more"), n - STRANGERS_LISTED);
      g_autoptr(GMenuItem) item = g_menu_item_new (more, "win.none");

      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->strangers_button, G_MENU_MODEL (menu));
}

static void
on_account_error (BeaconAccount *account,
                  const GError  *error,
                  BeaconWindow  *self)
{
  /* A connection failure is the banner's, in plainer words, with Retry. */
  if (beacon_account_get_connection_state (account) == BEACON_CONNECTION_FAILED ||
      beacon_account_get_connection_state (account) == BEACON_CONNECTION_RECONNECTING)
    return;
  {
    g_autofree char *words = beacon_error_words (error);

    beacon_window_show_toast (self, words);
  }
}

/* The selected status and note on @account. */
static void
apply_status (BeaconWindow  *self,
              BeaconAccount *account)
{
  guint i = gtk_drop_down_get_selected (self->status_selector);
  BeaconApplication *app = BEACON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *note = NULL;

  if (account == NULL || i >= G_N_ELEMENTS (selector_statuses) || app == NULL)
    return;
  note = g_settings_get_string (beacon_application_get_settings (app), "status-note");
  beacon_account_set_presence (account, selector_statuses[i], note);
}

/* The status is the user's, not one account's: it goes to every account
 * (as in Pidgin and Empathy), and to the shown one. */
static void
on_status_selected (BeaconWindow *self)
{
  gboolean shown_done = FALSE;

  for (guint i = 0; self->accounts != NULL && i < g_list_model_get_n_items (self->accounts); i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (self->accounts, i);

      apply_status (self, account);
      shown_done |= account == self->account;
    }
  if (!shown_done)
    apply_status (self, self->account);
}

/* The note is shared when the user presses Enter, and kept. */
static void
on_note_activated (BeaconWindow *self)
{
  BeaconApplication *app = BEACON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));

  if (app == NULL)
    return;
  g_settings_set_string (beacon_application_get_settings (app), "status-note", note);
  on_status_selected (self);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (beacon_buddy_row_new ()));
}

/* An item is a group heading (GtkStringObject) or a buddy; a buddy that
 * is not the account's own for its URI is a LAN peer nearby. */
static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          BeaconWindow             *self)
{
  BeaconBuddyRow *row = BEACON_BUDDY_ROW (gtk_list_item_get_child (item));
  gpointer object = gtk_list_item_get_item (item);
  BeaconBuddy *friend;

  gtk_list_item_set_activatable (item, BEACON_IS_BUDDY (object));
  if (GTK_IS_STRING_OBJECT (object))
    {
      beacon_buddy_row_set_heading (row, gtk_string_object_get_string (object));
      return;
    }
  friend = self->account ? beacon_buddy_list_lookup (beacon_account_get_buddies (self->account),
                                                     beacon_buddy_get_uri (object))
                         : NULL;
  beacon_buddy_row_set_heading (row, NULL);
  beacon_buddy_row_set_nearby (row, friend != object);
  /* Before the buddy: the row is filled once. */
  beacon_buddy_row_set_blocked_list (row, self->account ? beacon_account_get_blocked (self->account)
                                                        : NULL);
  beacon_buddy_row_set_buddy (row, object);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  beacon_buddy_row_set_buddy (BEACON_BUDDY_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_buddy_activated (GtkListView  *view,
                    guint         position,
                    BeaconWindow *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(GObject) buddy = g_list_model_get_item (model, position);

  if (BEACON_IS_BUDDY (buddy))
    gtk_widget_activate_action (GTK_WIDGET (self), "app.open-chat", "s",
                                beacon_buddy_get_uri (BEACON_BUDDY (buddy)));
}

static void
add_friend_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);

  if (self->account == NULL)
    return;
  gtk_window_present (GTK_WINDOW (beacon_add_friend_dialog_new (GTK_WINDOW (self), self->account)));
}

static void
add_nearby_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  const char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (self->account == NULL)
    return;
  for (guint i = 0; self->nearby != NULL && i < g_list_model_get_n_items (self->nearby); i++)
    {
      g_autoptr(BeaconBuddy) peer = g_list_model_get_item (self->nearby, i);

      if (g_str_equal (beacon_buddy_get_uri (peer), uri))
        name = beacon_buddy_get_display_name (peer);
    }
  if (!beacon_account_add_buddy (self->account, uri, name, &error))
    beacon_window_show_toast (self, error->message);
}

static void
set_status_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  guint i = g_variant_get_uint32 (parameter);

  if (i < G_N_ELEMENTS (selector_statuses))
    gtk_drop_down_set_selected (BEACON_WINDOW (widget)->status_selector, i);
}

static void
edit_note_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (BEACON_WINDOW (widget)->note_entry));
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BeaconWindow     *self)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "uri");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->account == NULL)
    return;
  if (!beacon_account_remove_buddy (self->account, uri, &error))
    beacon_window_show_toast (self, error->message);
}

static void
remove_friend_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  BeaconBuddy *buddy;
  AdwMessageDialog *dialog;

  if (self->account == NULL)
    return;
  buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (self->account), uri);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove Friend?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("%s will no longer be on your list, and you will no longer see their status."),
                                  buddy ? beacon_buddy_get_display_name (buddy) : uri);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
block_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->account == NULL)
    return;
  if (!beacon_account_authorize (self->account, g_variant_get_string (parameter, NULL),
                                 BEACON_AUTHORIZE_BLOCK, &error))
    beacon_window_show_toast (self, error->message);
}

static void
unblock_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->account == NULL)
    return;
  if (!beacon_account_unblock (self->account, g_variant_get_string (parameter, NULL), &error))
    beacon_window_show_toast (self, error->message);
}

static void
on_rename_text_changed (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", *name != '\0');
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BeaconWindow     *self)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "uri");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || self->account == NULL || *name == '\0')
    return;
  if (!beacon_account_rename_buddy (self->account, uri, name, &error))
    beacon_window_show_toast (self, error->message);
}

/* The name the user gives a friend: kept with the friends list (the
 * XCAP resource list's display-name, the LAN friends file). */
static void
rename_friend_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;
  BeaconBuddy *buddy;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (self->account == NULL ||
      (buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (self->account), uri)) == NULL)
    return;
  name = beacon_buddy_dup_shown_name (buddy);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Rename Friend"), NULL));
  adw_message_dialog_format_body (dialog, _("The name you see for %s."), uri);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_rename_text_changed), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
blacklist_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);

  if (self->account == NULL)
    return;
  gtk_window_present (GTK_WINDOW (beacon_blacklist_window_new (GTK_WINDOW (self), self->account)));
}

static void
on_stopped_for_retry (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_account_stop_finish (BEACON_ACCOUNT (source), result, &error))
    g_debug ("stopping for a retry: %s", error->message);
  beacon_account_start (BEACON_ACCOUNT (source));
}

/* A failed account keeps its stack (and retries on its own time): Retry
 * starts it afresh, now. */
static void
reconnect_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);

  if (self->account == NULL)
    return;
  gtk_widget_action_set_enabled (widget, "win.reconnect", FALSE);
  if (beacon_account_get_connection_state (self->account) == BEACON_CONNECTION_OFFLINE)
    beacon_account_start (self->account);
  else
    beacon_account_stop_async (self->account, NULL, on_stopped_for_retry, NULL);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);

  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (gtk_widget_get_ancestor (GTK_WIDGET (self->search_entry),
                                                                          GTK_TYPE_SEARCH_BAR)),
                                  TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The user picked another account, or the shown one left. */
static void
on_switcher_account (BeaconWindow *self)
{
  beacon_window_set_account (self, beacon_account_switcher_get_account (self->account_switcher));
}

static void
show_account_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BeaconWindow *self = BEACON_WINDOW (widget);
  guint i = g_variant_get_uint32 (parameter);
  g_autoptr(BeaconAccount) account = NULL;

  if (self->accounts != NULL && (account = g_list_model_get_item (self->accounts, i)) != NULL)
    beacon_window_set_account (self, account);
}

static void
beacon_window_dispose (GObject *object)
{
  BeaconWindow *self = BEACON_WINDOW (object);

  g_clear_object (&self->accounts);
  beacon_window_set_account (self, NULL);
  g_clear_object (&self->groups);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_WINDOW);

  G_OBJECT_CLASS (beacon_window_parent_class)->dispose (object);
}

static void
beacon_window_class_init (BeaconWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_window_dispose;

  g_type_ensure (BEACON_TYPE_ACCOUNT_SWITCHER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, status_selector);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, account_switcher);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, strangers_revealer);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, strangers_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, strangers_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, buddy_view);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, note_entry);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, account_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, account_avatar);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, account_name);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, account_state);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconWindow, list_clamp);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_note_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_buddy_activated);

  gtk_widget_class_install_action (widget_class, "win.add-friend", NULL, add_friend_activated);
  gtk_widget_class_install_action (widget_class, "win.remove-friend", "s", remove_friend_activated);
  gtk_widget_class_install_action (widget_class, "win.block", "s", block_activated);
  gtk_widget_class_install_action (widget_class, "win.unblock", "s", unblock_activated);
  gtk_widget_class_install_action (widget_class, "win.rename-friend", "s", rename_friend_activated);
  gtk_widget_class_install_action (widget_class, "win.blacklist", NULL, blacklist_activated);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.add-nearby", "s", add_nearby_activated);
  gtk_widget_class_install_action (widget_class, "win.edit-note", NULL, edit_note_activated);
  gtk_widget_class_install_action (widget_class, "win.set-status", "u", set_status_activated);
  gtk_widget_class_install_action (widget_class, "win.show-account", "u", show_account_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-friend", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.blacklist", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.edit-note", NULL);
  /* Ctrl+1…4: the statuses in the selector's order. */
  for (guint i = 0; i < G_N_ELEMENTS (selector_statuses); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.set-status", "u", i);
  /* Alt+1…9: the accounts in the switcher's order. */
  for (guint i = 0; i < 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-account", "u", i);
}

static void
beacon_window_init (BeaconWindow *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (self->list_clamp,
                                 gtk_custom_layout_new (NULL, list_width_measure, list_width_allocate));

  self->groups = beacon_buddy_groups_new ();
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->buddy_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->buddy_view, GTK_SELECTION_MODEL (gtk_no_selection_new (
    g_object_ref (beacon_buddy_groups_get_sections (self->groups)))));

  g_signal_connect_swapped (self->status_selector, "notify::selected",
                            G_CALLBACK (on_status_selected), self);
  g_signal_connect_swapped (self->account_switcher, "notify::account",
                            G_CALLBACK (on_switcher_account), self);
  update_content_page (self);
  update_connection_banner (self);
}

void
beacon_window_set_account (BeaconWindow  *self,
                           BeaconAccount *account)
{
  g_return_if_fail (BEACON_IS_WINDOW (self));

  if (self->account == account)
    return;
  if (self->account != NULL)
    {
      GListModel *buddies = G_LIST_MODEL (beacon_account_get_buddies (self->account));

      g_signal_handlers_disconnect_by_data (self->account, self);
      g_signal_handlers_disconnect_by_data (buddies, self);
      if (self->nearby != NULL)
        g_signal_handlers_disconnect_by_data (self->nearby, self);
      beacon_buddy_groups_set_sources (self->groups, NULL, NULL);
      beacon_buddy_groups_set_blocked (self->groups, NULL);
      g_clear_object (&self->nearby);
      g_clear_object (&self->account);
    }
  if (account != NULL)
    {
      GListModel *buddies = G_LIST_MODEL (beacon_account_get_buddies (account));

      self->account = g_object_ref (account);
      if (BEACON_IS_LAN_ACCOUNT (account))
        self->nearby = g_object_ref (beacon_lan_account_get_nearby (BEACON_LAN_ACCOUNT (account)));
      beacon_buddy_groups_set_sources (self->groups, buddies, self->nearby);
      beacon_buddy_groups_set_blocked (self->groups, beacon_account_get_blocked (account));
      g_signal_connect_object (buddies, "items-changed", G_CALLBACK (on_items_changed), self, 0);
      if (self->nearby != NULL)
        g_signal_connect_object (self->nearby, "items-changed", G_CALLBACK (on_items_changed),
                                 self, 0);
      g_signal_connect_object (account, "notify::connection-state",
                               G_CALLBACK (on_connection_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "error", G_CALLBACK (on_account_error), self, 0);
      /* A stranger added as a friend leaves the banner: buddies too. */
      g_signal_connect_object (account, "notify::unread-count", G_CALLBACK (update_strangers), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (buddies, "items-changed", G_CALLBACK (update_strangers), self,
                               G_CONNECT_SWAPPED);
      apply_status (self, account);
    }
  beacon_account_switcher_set_account (self->account_switcher, account);
  update_content_page (self);
  update_connection_banner (self);
  update_strangers (self);
}

BeaconAccount *
beacon_window_get_account (BeaconWindow *self)
{
  g_return_val_if_fail (BEACON_IS_WINDOW (self), NULL);
  return self->account;
}

void
beacon_window_show_toast (BeaconWindow *self,
                          const char   *text)
{
  g_return_if_fail (BEACON_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

void
beacon_window_show_long_toast (BeaconWindow *self,
                               const char   *text)
{
  AdwToast *toast = adw_toast_new (text);
  GtkWidget *label = gtk_label_new (text);

  g_return_if_fail (BEACON_IS_WINDOW (self));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  adw_toast_set_custom_title (toast, label);
  adw_toast_set_timeout (toast, 10);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* The title counts the messages not read yet, on every account: the
 * taskbar and the window switcher show it. */
static void
update_unread_title (BeaconWindow *self)
{
  guint unread = 0;
  g_autofree char *title = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (self->accounts); i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (self->accounts, i);

      unread += beacon_account_get_unread_count (account, NULL);
    }
  /* TRANSLATORS: the main window's title with the number of unread messages */
  title = unread > 0 ? g_strdup_printf (_("Beacon (%u)"), unread) : g_strdup (_("Beacon"));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
on_accounts_changed_unread (GListModel   *accounts,
                            guint         position,
                            guint         removed,
                            guint         added,
                            BeaconWindow *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (accounts, i);

      g_signal_connect_object (account, "notify::unread-count", G_CALLBACK (update_unread_title),
                               self, G_CONNECT_SWAPPED);
    }
  update_unread_title (self);
}

BeaconWindow *
beacon_window_new (BeaconApplication *application)
{
  BeaconWindow *self = g_object_new (BEACON_TYPE_WINDOW, "application", application, NULL);

  g_settings_bind_with_mapping (beacon_application_get_settings (application), "status",
                                self->status_selector, "selected",
                                /* Sensitive when there is an account, not
                                 * when the key is writable. */
                                G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY,
                                status_get_mapping, status_set_mapping, NULL, NULL);
  g_settings_bind (beacon_application_get_settings (application), "window-width",
                   self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (beacon_application_get_settings (application), "window-height",
                   self, "default-height", G_SETTINGS_BIND_DEFAULT);
  {
    g_autofree char *note = g_settings_get_string (beacon_application_get_settings (application),
                                                   "status-note");
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note);
  }
  /* Set up, then removed: the welcome, or the sign-in page. */
  g_signal_connect_object (beacon_application_get_settings (application), "changed::accounts",
                           G_CALLBACK (update_content_page), self, G_CONNECT_SWAPPED);
  self->accounts = g_object_ref (beacon_application_get_accounts (application));
  beacon_account_switcher_set_accounts (self->account_switcher, self->accounts);
  g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (on_accounts_changed_unread),
                           self, 0);
  on_accounts_changed_unread (self->accounts, 0, 0, g_list_model_get_n_items (self->accounts), self);
  beacon_window_set_account (self, beacon_application_get_account (application));
  return self;
}
