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
  gboolean        held;               /* the main window is hidden, we run on */
  gboolean        background_asked;   /* the Background portal, once */
  GHashTable     *loading;            /* ids whose load is under way */
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

/* ---- running in the background ------------------------------------------ */

static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  /* The portal answers later (Response on the request); a refusal only
   * means the desktop may stop us, which the user would see anyway. */
  if (reply == NULL)
    g_debug ("The Background portal refused the request: %s", error->message);
  else
    g_debug ("Asked the Background portal to let Beacon run");
}

static void
on_portal_owner (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GDBusConnection *bus = G_DBUS_CONNECTION (source);
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (bus, result, NULL);
  g_autofree char *token = NULL;
  GVariantBuilder options;
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  if (!owned)
    {
      g_debug ("No Background portal on the bus: nothing to ask");
      return;  /* not sandboxed, or a desktop without one */
    }
  token = g_strdup_printf ("beacon%u", g_random_int ());
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Beacon stays online to receive messages while its window is closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_background_requested, NULL);
}

/* Where a Background portal is on the bus, ask it (once) to let us run
 * with no window; where there is none, nothing is needed. */
static void
request_background (BeaconApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));

  if (self->background_asked || bus == NULL)
    return;
  self->background_asked = TRUE;
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.portal.Desktop"),
                          G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_portal_owner, NULL);
}

/* Closing the main window is not quitting: with "run-in-background" (and
 * an account to keep online) it hides, and the application holds itself
 * until it is shown again or the user quits. */
static gboolean
on_main_window_close (GtkWindow         *window,
                      BeaconApplication *self)
{
  if (!g_settings_get_boolean (self->settings, "run-in-background") || n_accounts (self) == 0)
    {
      /* Everything goes, cleanly (shutdown leaves the network). */
      g_application_quit (G_APPLICATION (self));
      return FALSE;
    }
  g_debug ("The main window hides; the accounts stay online");
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  if (!self->held)
    {
      self->held = TRUE;
      g_application_hold (G_APPLICATION (self));
    }
  request_background (self);
  return TRUE;
}

/* The first launch, and every later one (`beacon` again, the desktop's
 * launcher): the one main window, shown. */
static void
beacon_application_activate (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  BeaconWindow *window = main_window (self);

  if (window == NULL)
    {
      window = beacon_window_new (self);
      g_signal_connect_object (window, "close-request", G_CALLBACK (on_main_window_close), self, 0);
    }
  gtk_window_present (GTK_WINDOW (window));
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (app);
    }
}

static char *
notification_id (BeaconAccount *account,
                 const char    *uri)
{
  return g_strdup_printf ("message-%s-%s", beacon_account_get_aor (account), uri);
}

/* A notification of a message from @from to @account: @what as its title
 * (with the account when there are several), @body, activating it opens
 * the chat; "Reply" (with @reply) opens it ready to type, "Open" opens it. */
static GNotification *
message_notification_new (BeaconApplication *self,
                          BeaconAccount     *account,
                          const char        *from,
                          const char        *what,
                          const char        *body,
                          gboolean           reply)
{
  const char *aor = beacon_account_get_aor (account);
  /* TRANSLATORS: a notification's title (a message's sender), then the
   * account that received it */
  g_autofree char *title = n_accounts (self) > 1 ? g_strdup_printf (_("%s (to %s)"), what, aor)
                                                 : g_strdup (what);
  GNotification *notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.open-account-chat", "(ss)",
                                                aor, from);
  if (reply)
    g_notification_add_button_with_target (notification, _("Reply"), "app.reply-account-chat", "(ss)",
                                           aor, from);
  g_notification_add_button_with_target (notification, _("Open"), "app.open-account-chat", "(ss)",
                                         aor, from);
  return notification;
}

static char *
strangers_notification_id (BeaconAccount *account)
{
  return g_strdup_printf ("strangers-%s", beacon_account_get_aor (account));
}

/* Messages of strangers are folded into one notification per account,
 * "N messages from strangers", the latest as its body: a flood of them
 * (issue #17) cannot bury the desktop. Activating it opens the latest. */
static void
notify_strangers (BeaconApplication *self,
                  BeaconAccount     *account,
                  const char        *from,
                  const char        *text)
{
  guint unread = MAX (beacon_account_get_stranger_unread (account), 1);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = strangers_notification_id (account);

  /* TRANSLATORS: a notification's title; strangers are people not in the
   * user's list of friends */
  what = g_strdup_printf (_("Messages from strangers: %u"), unread);
  /* TRANSLATORS: the latest stranger's address, then what they wrote */
  body = g_strdup_printf (_("%s: %s"), from, text);
  notification = message_notification_new (self, account, from, what, body, FALSE);
  g_application_send_notification (G_APPLICATION (self), id, notification);
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
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  if (chat != NULL && gtk_window_is_active (GTK_WINDOW (chat)))
    return;
  if (buddy == NULL)
    {
      /* People not in the list: one notification for all of them. */
      notify_strangers (self, account, from, text);
      return;
    }
  notification = message_notification_new (self, account, from, beacon_buddy_get_display_name (buddy),
                                           text, TRUE);
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
  if (beacon_account_get_stranger_unread (account) == 0)
    {
      g_autofree char *strangers = strangers_notification_id (account);

      g_application_withdraw_notification (G_APPLICATION (self), strangers);
    }
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
on_started_account_loaded (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_application_load_account_finish (BEACON_APPLICATION (source), result, &error) &&
      error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not set up an account: %s", error->message);
}

static void sign_in_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);

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
  /* Each one joins when the keyring has answered (or the user has typed
   * its password): nothing waits for a keyring on the main loop. */
  for (guint i = 0; ids[i] != NULL; i++)
    beacon_application_load_account_async (self, ids[i], NULL, NULL, on_started_account_loaded, NULL);
}

/* "Sign In" on the window's page: every account set up and not running
 * (nor already on its way) is loaded again, asking for what is missing. */
static void
sign_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");

  for (guint i = 0; ids[i] != NULL; i++)
    if (beacon_application_lookup_account (self, ids[i]) == NULL &&
        !g_hash_table_contains (self->loading, ids[i]))
      beacon_application_load_account_async (self, ids[i], NULL, NULL, on_started_account_loaded, NULL);
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
  g_clear_pointer (&self->loading, g_hash_table_unref);

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
  { .name = "sign-in", .activate = sign_in_activated },
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
  static const char *close_accels[] = { "<primary>w", NULL };

  self->accounts = g_list_store_new (BEACON_TYPE_ACCOUNT);
  self->loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  /* Any window, the main one included (which then runs in the background). */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
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

/* ---- loading an account without blocking ---------------------------------- */

typedef struct {
  BeaconApplication *self;
  char              *id;
  GSettings         *settings;
} LoadData;

static void
load_data_free (LoadData *data)
{
  /* Done (or dropped): no longer under way. */
  if (data->self->loading != NULL)
    g_hash_table_remove (data->self->loading, data->id);
  g_object_unref (data->self);
  g_free (data->id);
  g_clear_object (&data->settings);
  g_free (data);
}

static guint
settings_rank (char       **ids,
               const char  *id)
{
  for (guint i = 0; id != NULL && ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      return i;
  return G_MAXUINT;
}

/* The account where the "accounts" setting puts it among those running
 * (they join in the order the keyring answers). */
static void
place_in_settings_order (BeaconApplication *self,
                         BeaconAccount     *account)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");
  guint rank = settings_rank (ids, beacon_account_get_settings_id (account));
  g_autoptr(BeaconAccount) keep = g_object_ref (account);
  guint position = 0;
  guint current;

  if (rank == G_MAXUINT || !g_list_store_find (self->accounts, account, &current))
    return;
  for (guint i = 0; i < n_accounts (self); i++)
    {
      g_autoptr(BeaconAccount) other = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (other != account && settings_rank (ids, beacon_account_get_settings_id (other)) < rank)
        position++;
    }
  if (position == current)
    return;
  g_list_store_remove (self->accounts, current);
  g_list_store_insert (self->accounts, position, keep);
}

/* Runs the account made from @data's settings with @password. */
static void
load_with_password (GTask      *task,
                    const char *password)
{
  BeaconApplication *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(BeaconAccount) account = NULL;
  GError *error = NULL;
  BeaconAccount *old;
  guint position;

  account = beacon_account_setup_create_with_password (data->settings, password, &error);
  if (account == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, FALSE);
      return;
    }
  old = beacon_application_lookup_account (self, data->id);
  if (old != NULL && g_list_store_find (self->accounts, old, &position))
    {
      g_autoptr(BeaconAccount) keep = g_object_ref (old);

      beacon_application_remove_account (self, keep);
      beacon_application_add_account (self, account, data->id);
      /* Back where it was in the list. */
      g_list_store_remove (self->accounts, n_accounts (self) - 1);
      g_list_store_insert (self->accounts, position, account);
    }
  else
    {
      beacon_application_add_account (self, account, data->id);
      place_in_settings_order (self, account);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  /* Answered once (closing the dialog may respond again). */
  g_autoptr(GTask) task = g_object_steal_data (G_OBJECT (dialog), "load-task");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "password-entry");

  if (task == NULL)
    return;

  if (g_strcmp0 (response, "connect") != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("No password was given"));
      return;
    }
  load_with_password (task, gtk_editable_get_text (entry));
  /* Not kept in the entry's buffer longer than needed. */
  gtk_editable_set_text (entry, "");
}

/* The password is not kept (no keyring, or the user chose so): ask for
 * it, over the main window. */
static void
ask_password (GTask      *task,
              const char *why)
{
  BeaconApplication *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autofree char *aor = g_settings_get_string (data->settings, "server-aor");
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (main_window (self)),
                                                       _("Password Needed"), NULL));
  /* TRANSLATORS: the account's address, then why the password is asked */
  adw_message_dialog_format_body (dialog, _("Enter the password of %s to go online. %s"),
                                  g_str_has_prefix (aor, "sip:") ? aor + 4 : aor, why);
  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's warns from its caps-lock
   * handler when one with the focus goes with its dialog. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password"), -1);
  /* Enter is Connect, the default response. */
  g_object_set (entry, "activates-default", TRUE, NULL);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data (G_OBJECT (dialog), "password-entry", entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Not Now"), "connect", _("_Connect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "load-task", task, g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_password_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
on_password_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = beacon_account_setup_lookup_account_password_finish (result, &error);

  if (password != NULL)
    {
      load_with_password (task, password);
      return;
    }
  if (error != NULL)
    g_message ("Could not read the password from the keyring: %s", error->message);
  ask_password (g_steal_pointer (&task),
                error != NULL ? _("No keyring is available, so Beacon asks for it each time it starts.")
                              : _("The keyring has no password for this account."));
}

static void
on_keyring_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  ask_password (g_steal_pointer (&task),
                beacon_account_setup_keyring_available_finish (result, NULL)
                  ? _("You chose not to keep it in the keyring, so Beacon asks each time it starts.")
                  : _("No keyring is available, so Beacon asks for it each time it starts."));
}

void
beacon_application_load_account_async (BeaconApplication   *self,
                                       const char          *id,
                                       const char          *password,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *normalized = NULL;
  LoadData *data;

  g_return_if_fail (BEACON_IS_APPLICATION (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_application_load_account_async);
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (id);
  g_hash_table_add (self->loading, g_strdup (id));
  data->settings = beacon_accounts_open (id);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  mode = g_settings_get_string (data->settings, "mode");
  aor = g_settings_get_string (data->settings, "server-aor");
  /* LAN accounts have no password; a bad address needs no keyring. */
  if (!g_str_equal (mode, "server") || password != NULL ||
      (normalized = beacon_account_normalize_uri (aor, NULL)) == NULL)
    {
      load_with_password (task, password);
      return;
    }
  if (!g_settings_get_boolean (data->settings, "remember-password"))
    {
      /* Why it is not kept decides what the user is told. */
      beacon_account_setup_keyring_available_async (cancellable, on_keyring_checked,
                                                    g_steal_pointer (&task));
      return;
    }
  beacon_account_setup_lookup_account_password_async (id, normalized, cancellable,
                                                      on_password_looked_up,
                                                      g_steal_pointer (&task));
}

gboolean
beacon_application_load_account_finish (BeaconApplication  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
