/* beacon-application.c — owns the engine objects the windows bind to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-application.h"
#include "beacon-window.h"

struct _BeaconApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  BeaconBuddyList *buddies;
};

G_DEFINE_FINAL_TYPE (BeaconApplication, beacon_application, ADW_TYPE_APPLICATION)

static void
beacon_application_activate (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (beacon_window_new (self));
  gtk_window_present (window);
}

static void
beacon_application_startup (GApplication *app)
{
  BeaconApplication *self = BEACON_APPLICATION (app);

  G_APPLICATION_CLASS (beacon_application_parent_class)->startup (app);

  self->settings = g_settings_new (BEACON_APP_ID);
  self->buddies = beacon_buddy_list_new ();
}

static void
beacon_application_dispose (GObject *object)
{
  BeaconApplication *self = BEACON_APPLICATION (object);

  g_clear_object (&self->buddies);
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

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "about", .activate = about_activated },
};

static void
beacon_application_class_init (BeaconApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = beacon_application_dispose;
  app_class->activate = beacon_application_activate;
  app_class->startup = beacon_application_startup;
}

static void
beacon_application_init (BeaconApplication *self)
{
  static const char *quit_accels[] = { "<primary>q", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
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

BeaconBuddyList *
beacon_application_get_buddy_list (BeaconApplication *self)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);
  return self->buddies;
}

GSettings *
beacon_application_get_settings (BeaconApplication *self)
{
  g_return_val_if_fail (BEACON_IS_APPLICATION (self), NULL);
  return self->settings;
}
