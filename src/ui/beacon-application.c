/* beacon-application.c — owns the account the windows bind to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-application.h"
#include "beacon-chat-window.h"
#include "beacon-preferences-window.h"
#include "beacon-window.h"

struct _BeaconApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BeaconAccount  *account;
  gboolean        stopped;  /* set when the account left, or we gave up waiting */
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
                  const char        *uri)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (BEACON_IS_CHAT_WINDOW (l->data) &&
        g_strcmp0 (beacon_chat_window_get_uri (l->data), uri) == 0)
      return l->data;
  return NULL;
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

/* A message arriving while its chat is not in front raises a desktop
 * notification; activating it opens the chat. */
static void
on_message_received (BeaconAccount     *account,
                     const char        *from,
                     const char        *text,
                     BeaconApplication *self)
{
  BeaconChatWindow *chat = find_chat_window (self, from);
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account), from);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  if (chat != NULL && gtk_window_is_active (GTK_WINDOW (chat)))
    return;
  notification = g_notification_new (buddy ? beacon_buddy_get_display_name (buddy) : from);
  g_notification_set_body (notification, text);
  g_notification_set_default_action_and_target (notification, "app.open-chat", "s", from);
  id = g_strconcat ("message-", from, NULL);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
beacon_application_startup (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  g_autoptr(BeaconAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (beacon_application_parent_class)->startup (app);

  self->settings = g_settings_new (BEACON_APP_ID);
  account = beacon_account_setup_create (self->settings, &error);
  if (account == NULL && error != NULL)
    g_warning ("Could not set up the account: %s", error->message);
  beacon_application_set_account (self, account);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_CONTINUE;
}

static void
on_account_stopped (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_account_stop_finish (BEACON_ACCOUNT (source), result, &error))
    g_debug ("stopping the account: %s", error->message);
  set_flag (user_data);
}

static void
beacon_application_shutdown (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);

  /* Leave cleanly (un-PUBLISH, un-SUBSCRIBE, un-REGISTER), but never wait
   * more than a few seconds for a server that does not answer. */
  if (self->account != NULL &&
      beacon_account_get_connection_state (self->account) != BEACON_CONNECTION_OFFLINE)
    {
      guint timeout = g_timeout_add_seconds (5, set_flag, &self->stopped);

      self->stopped = FALSE;
      beacon_account_stop_async (self->account, NULL, on_account_stopped, &self->stopped);
      while (!self->stopped)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (timeout);
    }

  G_APPLICATION_CLASS (beacon_application_parent_class)->shutdown (app);
}

static void
beacon_application_dispose (GObject *object)
{
  BeaconApplication *self = BEACON_APPLICATION (object);

  g_clear_object (&self->account);
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

static void
open_chat_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BeaconApplication *self = BEACON_APPLICATION (user_data);
  const char *uri = g_variant_get_string (parameter, NULL);
  BeaconChatWindow *chat;

  if (self->account == NULL)
    return;
  chat = find_chat_window (self, uri);
  if (chat == NULL)
    chat = beacon_chat_window_new (GTK_APPLICATION (self), self->account, uri);
  gtk_window_present (GTK_WINDOW (chat));
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

BeaconAccount *
beacon_application_get_account (BeaconApplication *self)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);
  return self->account;
}

void
beacon_application_set_account (BeaconApplication *self,
                                BeaconAccount     *account)
{
  BeaconWindow *window;

  g_return_if_fail (BEACON_IS_APPLICATION (self));

  if (self->account == account)
    return;
  if (self->account != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->account, self);
      /* The old account leaves the network on its own time. */
      beacon_account_stop_async (self->account, NULL, NULL, NULL);
    }
  g_set_object (&self->account, account);
  if (account != NULL)
    {
      g_signal_connect_object (account, "message-received", G_CALLBACK (on_message_received), self, 0);
      beacon_account_start (account);
    }
  window = main_window (self);
  if (window != NULL)
    beacon_window_set_account (window, account);
}
