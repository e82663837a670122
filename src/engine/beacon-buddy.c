/* beacon-buddy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-engine"

#include "beacon-buddy.h"
#include "beacon-enums.h"

struct _BeaconBuddy
{
  GObject             parent_instance;

  char               *uri;
  char               *display_name;
  char               *note;
  BeaconStatus        status;
  BeaconSubscription  subscription;
  guint               unread_count;
};

G_DEFINE_FINAL_TYPE (BeaconBuddy, beacon_buddy, G_TYPE_OBJECT)

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
replace_str (char       **slot,
             const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

enum {
  PROP_0,
  PROP_URI,
  PROP_DISPLAY_NAME,
  PROP_STATUS,
  PROP_NOTE,
  PROP_SUBSCRIPTION,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
beacon_buddy_finalize (GObject *object)
{
  BeaconBuddy *self = (BeaconBuddy *) object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (beacon_buddy_parent_class)->finalize (object);
}

static void
beacon_buddy_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BeaconBuddy *self = BEACON_BUDDY (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, beacon_buddy_get_display_name (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    case PROP_SUBSCRIPTION:
      g_value_set_enum (value, self->subscription);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_buddy_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BeaconBuddy *self = BEACON_BUDDY (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      beacon_buddy_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_SUBSCRIPTION:
      beacon_buddy_set_subscription (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_buddy_class_init (BeaconBuddyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_buddy_finalize;
  object_class->get_property = beacon_buddy_get_property;
  object_class->set_property = beacon_buddy_set_property;

  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       BEACON_TYPE_STATUS, BEACON_STATUS_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBSCRIPTION] =
    g_param_spec_enum ("subscription", NULL, NULL,
                       BEACON_TYPE_SUBSCRIPTION, BEACON_SUBSCRIPTION_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Messages from the buddy not read yet (the account keeps the count). */
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_buddy_init (BeaconBuddy *self)
{
}

BeaconBuddy *
beacon_buddy_new (const char *uri,
                  const char *display_name)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_object_new (BEACON_TYPE_BUDDY,
                       "uri", uri,
                       "display-name", display_name,
                       NULL);
}

const char *
beacon_buddy_get_uri (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), NULL);
  return self->uri;
}

/* Falls back to the URI's user part so a row never shows an empty name. */
const char *
beacon_buddy_get_display_name (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), NULL);
  return self->display_name != NULL ? self->display_name : self->uri;
}

void
beacon_buddy_set_display_name (BeaconBuddy *self,
                               const char  *display_name)
{
  g_return_if_fail (BEACON_IS_BUDDY (self));

  if (display_name != NULL && *display_name == '\0')
    display_name = NULL;
  if (replace_str (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

BeaconStatus
beacon_buddy_get_status (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), BEACON_STATUS_OFFLINE);
  return self->status;
}

const char *
beacon_buddy_get_note (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), NULL);
  return self->note;
}

void
beacon_buddy_set_presence (BeaconBuddy  *self,
                           BeaconStatus  status,
                           const char   *note)
{
  g_return_if_fail (BEACON_IS_BUDDY (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (note != NULL && *note == '\0')
    note = NULL;
  if (replace_str (&self->note, note))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
  g_object_thaw_notify (G_OBJECT (self));
}

BeaconSubscription
beacon_buddy_get_subscription (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), BEACON_SUBSCRIPTION_NONE);
  return self->subscription;
}

void
beacon_buddy_set_subscription (BeaconBuddy        *self,
                               BeaconSubscription  subscription)
{
  g_return_if_fail (BEACON_IS_BUDDY (self));

  if (self->subscription == subscription)
    return;
  self->subscription = subscription;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIPTION]);
}

guint
beacon_buddy_get_unread_count (BeaconBuddy *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY (self), 0);
  return self->unread_count;
}

void
beacon_buddy_set_unread_count (BeaconBuddy *self,
                               guint        unread_count)
{
  g_return_if_fail (BEACON_IS_BUDDY (self));

  if (self->unread_count == unread_count)
    return;
  self->unread_count = unread_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}
