/* beacon-application.c — owns the accounts the windows bind to
 *
 * Every configured account runs at once (one BeaconAccount each, in the
 * order of the "accounts" setting); the main window shows one at a time,
 * chat windows and notifications work for any of them. The status
 * selector sets the status of all accounts, as Pidgin and Empathy do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "beacon-application.h"
#include "beacon-authorization-dialog.h"
#include "beacon-chat-window.h"
#include "beacon-preferences-window.h"
#include "beacon-status-names.h"
#include "beacon-window.h"

#define ACCOUNT_ID_KEY "beacon-settings-id"

struct _BeaconApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GListStore     *accounts;
};

G_DEFINE_FINAL_TYPE (BeaconApplication, beacon_application, ADW_TYPE_APPLICATION)

static BeaconWindow *
main_window (BeaconApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BEACON_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static BeaconChatWindow *
find_chat_window (BeaconApplication *self,
                  BeaconAccount     *account,
                  const char        *uri)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BEACON_IS_CHAT_WINDOW (l->data) &&
        beacon_chat_window_get_account (l->data) == account &&
        g_strcmp0 (beacon_chat_window_get_uri (l->data), uri) == 0)
      return l->data;
  return NULL;
}

static guint
n_accounts (BeaconApplication *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
}

static BeaconAccount *
find_account_by_aor (BeaconApplication *self,
                     const char        *aor)
{
  for (guint i = 0; i < n_accounts (self); i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (beacon_account_get_aor (account), aor) == 0)
        return account;  /* the store keeps it */
    }
  return NULL;
}

/* With several accounts, each chat says which one it is on. */
static void
update_chat_titles (BeaconApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BEACON_IS_CHAT_WINDOW (l->data))
      beacon_chat_window_set_show_account (l->data, n_accounts (self) > 1);
}

static void
beacon_application_activate (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  BeaconWindow *window = main_window (self);

  if (window == NULL)
    window = beacon_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
}

static char *
notification_id (BeaconAccount *account,
                 const char    *uri)
{
  return g_strdup_printf ("message-%s-%s", beacon_account_get_aor (account), uri);
}

/* A message arriving while its chat is not in front raises a desktop
 * notification; activating it opens the chat, on the account that got
 * the message; "Reply" opens it with the cursor in the entry. */
static void
on_message_received (BeaconAccount     *account,
                     const char        *from,
                     const char        *text,
                     BeaconApplication *self)
{
  BeaconChatWindow *chat = find_chat_window (self, account, from);
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account), from);
  const char *name = buddy ? beacon_buddy_get_display_name (buddy) : from;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  if (chat != NULL && gtk_window_is_active (GTK_WINDOW (chat)))
    return;
  /* TRANSLATORS: a message's sender, then the account that received it */
  title = n_accounts (self) > 1 ? g_strdup_printf (_("%s (to %s)"), name, beacon_account_get_aor (account))
                                : g_strdup (name);
  notification = g_notification_new (title);
  g_notification_set_body (notification, text);
  g_notification_set_default_action_and_target (notification, "app.open-account-chat", "(ss)",
                                                beacon_account_get_aor (account), from);
  g_notification_add_button_with_target (notification, _("Reply"), "app.reply-account-chat", "(ss)",
                                         beacon_account_get_aor (account), from);
  g_notification_add_button_with_target (notification, _("Open"), "app.open-account-chat", "(ss)",
                                         beacon_account_get_aor (account), from);
  id = notification_id (account, from);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* Read (its chat came to the front): the notification has done its job. */
static void
on_unread_changed (BeaconAccount     *account,
                   const char        *uri,
                   guint              unread,
                   BeaconApplication *self)
{
  g_autofree char *id = NULL;

  if (unread > 0)
    return;
  id = notification_id (account, uri);
  g_application_withdraw_notification (G_APPLICATION (self), id);
}

static GtkWindow *
find_authorization_dialog (BeaconAccount *account,
                           const char    *uri)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (BEACON_IS_AUTHORIZATION_DIALOG (l->data) &&
        beacon_authorization_dialog_get_account (l->data) == account &&
        g_strcmp0 (beacon_authorization_dialog_get_uri (l->data), uri) == 0)
      return l->data;
  return NULL;
}

/* Someone asks to see the user's status, on any account (shown in the
 * main window or not): ask, once, over the main window. */
static void
on_watcher (BeaconAccount     *account,
            const char        *uri,
            const char        *status,
            BeaconApplication *self)
{
  BeaconAuthorizationDialog *dialog;

  if (g_strcmp0 (status, "pending") != 0 && g_strcmp0 (status, "waiting") != 0)
    return;
  /* The server repeats itself (every winfo NOTIFY): ask once. */
  if (find_authorization_dialog (account, uri) != NULL)
    return;
  dialog = beacon_authorization_dialog_new (GTK_WINDOW (main_window (self)), account, uri);
  if (n_accounts (self) > 1)
    adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                       _("Someone Wants to See Your Status on %s"),
                                       beacon_account_get_aor (account));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
beacon_application_startup (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  g_auto(GStrv) ids = NULL;

  G_APPLICATION_CLASS (beacon_application_parent_class)->startup (app);

  self->settings = g_settings_new (BEACON_APP_ID);
  if (beacon_accounts_migrate (self->settings))
    g_debug ("The account set up before several accounts existed is now account a0");
  ids = g_settings_get_strv (self->settings, "accounts");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!beacon_application_load_account (self, ids[i], &error) && error != NULL)
        g_warning ("Could not set up account %s: %s", ids[i], error->message);
    }
}

static gboolean
set_flag (gpointer user_data)
{
  *(guint *) user_data = 0;
  return G_SOURCE_CONTINUE;
}

static void
on_account_stopped (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint *running = user_data;

  if (!beacon_account_stop_finish (BEACON_ACCOUNT (source), result, &error))
    g_debug ("stopping the account: %s", error->message);
  if (*running > 0)
    (*running)--;
}

static void
beacon_application_shutdown (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  /* Static: a late answer after the time-out still has somewhere to count. */
  static guint running;
  guint timeout;

  /* Leave cleanly (un-PUBLISH, un-SUBSCRIBE, un-REGISTER), but never wait
   * more than a few seconds for a server that does not answer. */
  running = 0;
  for (guint i = 0; i < n_accounts (self); i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (beacon_account_get_connection_state (account) != BEACON_CONNECTION_OFFLINE)
        {
          running++;
          beacon_account_stop_async (account, NULL, on_account_stopped, &running);
        }
    }
  if (running > 0)
    {
      timeout = g_timeout_add_seconds (5, set_flag, &running);
      while (running > 0)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (timeout);
    }

  G_APPLICATION_CLASS (beacon_application_parent_class)->shutdown (app);
}

static void
beacon_application_dispose (GObject *object)
{
  BeaconApplication *self = BEACON_APPLICATION (object);

  if (self->accounts != NULL)
    for (guint i = 0; i < n_accounts (self); i++)
      {
        g_autoptr(BeaconAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
        g_signal_handlers_disconnect_by_data (account, self);
      }
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (beacon_application_parent_class)->dispose (object);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Beacon developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Beacon"),
                         "application-icon", BEACON_APP_ID,
                         "developer-name", _("The Beacon developers"),
                         "developers", developers,
                         "version", BEACON_VERSION,
                         "comments", _("Presence and chat over SIP SIMPLE, with or without a server"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static BeaconChatWindow *
open_chat (BeaconApplication *self,
           BeaconAccount     *account,
           const char        *uri)
{
  BeaconChatWindow *chat;

  if (account == NULL)
    return NULL;
  chat = find_chat_window (self, account, uri);
  if (chat == NULL)
    {
      chat = beacon_chat_window_new (GTK_APPLICATION (self), account, uri);
      beacon_chat_window_set_show_account (chat, n_accounts (self) > 1);
    }
  gtk_window_present (GTK_WINDOW (chat));
  return chat;
}

/* A chat on the account the main window shows. */
static void
open_chat_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);

  open_chat (self, beacon_application_get_account (self), g_variant_get_string (parameter, NULL));
}

/* (account address, buddy): a chat on that account. */
static void
open_account_chat_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  const char *aor;
  const char *uri;

  g_variant_get (parameter, "(&s&s)", &aor, &uri);
  open_chat (self, find_account_by_aor (self, aor), uri);
}

/* The notification's "Reply": the chat, ready to type in. */
static void
reply_account_chat_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  BeaconChatWindow *chat;
  const char *aor;
  const char *uri;

  g_variant_get (parameter, "(&s&s)", &aor, &uri);
  chat = open_chat (self, find_account_by_aor (self, aor), uri);
  if (chat != NULL)
    beacon_chat_window_focus_entry (chat);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  BeaconPreferencesWindow *prefs = beacon_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "open-chat", .activate = open_chat_activated, .parameter_type = "s" },
  { .name = "open-account-chat", .activate = open_account_chat_activated, .parameter_type = "(ss)" },
  { .name = "reply-account-chat", .activate = reply_account_chat_activated, .parameter_type = "(ss)" },
};

static void
beacon_application_class_init (BeaconApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = beacon_application_dispose;
  app_class->activate = beacon_application_activate;
  app_class->startup = beacon_application_startup;
  app_class->shutdown = beacon_application_shutdown;
}

static void
beacon_application_init (BeaconApplication *self)
{
  static const char *quit_accels[] = { "<primary>q", NULL };
  static const char *prefs_accels[] = { "<primary>comma", NULL };

  self->accounts = g_list_store_new (BEACON_TYPE_ACCOUNT);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
}

BeaconApplication *
beacon_application_new (void)
{
  return g_object_new (BEACON_TYPE_APPLICATION,
                       "application-id", BEACON_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/beacon_im/Beacon",
                       NULL);
}

GSettings *
beacon_application_get_settings (BeaconApplication *self)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);
  return self->settings;
}

GListModel *
beacon_application_get_accounts (BeaconApplication *self)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

BeaconAccount *
beacon_application_get_account (BeaconApplication *self)
{
  BeaconWindow *window;
  g_autoptr(BeaconAccount) first = NULL;

  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);

  window = main_window (self);
  if (window != NULL && beacon_window_get_account (window) != NULL)
    return beacon_window_get_account (window);
  first = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0);
  return first;  /* the store keeps it */
}

const char *
beacon_account_get_settings_id (BeaconAccount *account)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (account), NULL);
  return g_object_get_data (G_OBJECT (account), ACCOUNT_ID_KEY);
}

BeaconAccount *
beacon_application_lookup_account (BeaconApplication *self,
                                   const char        *id)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);

  for (guint i = 0; id != NULL && i < n_accounts (self); i++)
    {
      g_autoptr(BeaconAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (beacon_account_get_settings_id (account), id) == 0)
        return account;  /* the store keeps it */
    }
  return NULL;
}

/* The saved status and note, for an account that joins. */
static void
apply_saved_status (BeaconApplication *self,
                    BeaconAccount     *account)
{
  g_autofree char *nick = NULL;
  g_autofree char *note = NULL;
  BeaconStatus status;

  if (self->settings == NULL)
    return;
  nick = g_settings_get_string (self->settings, "status");
  note = g_settings_get_string (self->settings, "status-note");
  if (beacon_status_from_string (nick, &status))
    beacon_account_set_presence (account, status, note);
}

void
beacon_application_add_account (BeaconApplication *self,
                                BeaconAccount     *account,
                                const char        *id)
{
  guint position;

  g_return_if_fail (BEACON_IS_APPLICATION (self));
  g_return_if_fail (BEACON_IS_ACCOUNT (account));

  if (g_list_store_find (self->accounts, account, &position))
    return;
  g_object_set_data_full (G_OBJECT (account), ACCOUNT_ID_KEY, g_strdup (id), g_free);
  g_signal_connect_object (account, "message-received", G_CALLBACK (on_message_received), self, 0);
  g_signal_connect_object (account, "watcher", G_CALLBACK (on_watcher), self, 0);
  g_signal_connect_object (account, "unread-changed", G_CALLBACK (on_unread_changed), self, 0);
  apply_saved_status (self, account);
  beacon_account_start (account);
  g_list_store_append (self->accounts, account);
  update_chat_titles (self);
}

void
beacon_application_remove_account (BeaconApplication *self,
                                   BeaconAccount     *account)
{
  guint position;

  g_return_if_fail (BEACON_IS_APPLICATION (self));
  g_return_if_fail (BEACON_IS_ACCOUNT (account));

  if (!g_list_store_find (self->accounts, account, &position))
    return;
  g_signal_handlers_disconnect_by_data (account, self);
  /* The account leaves the network on its own time: the stop holds a
   * reference until it is done. */
  beacon_account_stop_async (account, NULL, NULL, NULL);
  /* Its chats and questions go with it. */
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if ((BEACON_IS_CHAT_WINDOW (l->data) && beacon_chat_window_get_account (l->data) == account) ||
          (BEACON_IS_AUTHORIZATION_DIALOG (l->data) &&
           beacon_authorization_dialog_get_account (l->data) == account))
        gtk_window_destroy (l->data);
  }
  g_list_store_remove (self->accounts, position);
  update_chat_titles (self);
}

void
beacon_application_set_account (BeaconApplication *self,
                                BeaconAccount     *account)
{
  g_return_if_fail (BEACON_IS_APPLICATION (self));

  if (account != NULL)
    beacon_application_add_account (self, account, NULL);
  for (guint i = n_accounts (self); i > 0; i--)
    {
      g_autoptr(BeaconAccount) old = g_list_model_get_item (G_LIST_MODEL (self->accounts), i - 1);

      if (old != account)
        beacon_application_remove_account (self, old);
    }
}

gboolean
beacon_application_load_account (BeaconApplication  *self,
                                 const char         *id,
                                 GError            **error)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(BeaconAccount) account = NULL;
  BeaconAccount *old;
  guint position;

  g_return_val_if_fail (BEACON_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  settings = beacon_accounts_open (id);
  account = beacon_account_setup_create_account (settings, id, error);
  if (account == NULL)
    return FALSE;
  old = beacon_application_lookup_account (self, id);
  if (old != NULL && g_list_store_find (self->accounts, old, &position))
    {
      g_autoptr(BeaconAccount) keep = g_object_ref (old);

      beacon_application_remove_account (self, keep);
      beacon_application_add_account (self, account, id);
      /* Back where it was in the list. */
      g_list_store_remove (self->accounts, n_accounts (self) - 1);
      g_list_store_insert (self->accounts, position, account);
    }
  else
    beacon_application_add_account (self, account, id);
  return TRUE;
}
