/* beacon-chat-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-engine"

#include "beacon-chat-message.h"
#include "beacon-enums.h"

struct _BeaconChatMessage
{
  GObject             parent_instance;

  char               *id;
  char               *text;
  GDateTime          *time;
  gboolean            outgoing;
  BeaconMessageState  state;
  guint               code;
};

G_DEFINE_FINAL_TYPE (BeaconChatMessage, beacon_chat_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
beacon_chat_message_finalize (GObject *object)
{
  BeaconChatMessage *self = (BeaconChatMessage *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);

  G_OBJECT_CLASS (beacon_chat_message_parent_class)->finalize (object);
}

static void
beacon_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BeaconChatMessage *self = BEACON_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CODE:
      g_value_set_uint (value, self->code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_chat_message_class_init (BeaconChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_chat_message_finalize;
  object_class->get_property = beacon_chat_message_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEACON_TYPE_MESSAGE_STATE, BEACON_MESSAGE_SENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_uint ("code", NULL, NULL, 0, 999, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_chat_message_init (BeaconChatMessage *self)
{
}

BeaconChatMessage *
beacon_chat_message_new (const char *id,
                         gboolean    outgoing,
                         const char *text,
                         GDateTime  *time)
{
  BeaconChatMessage *self = g_object_new (BEACON_TYPE_CHAT_MESSAGE, NULL);

  self->id = g_strdup (id);
  self->outgoing = outgoing;
  self->text = g_strdup (text);
  self->time = time != NULL ? g_date_time_ref (time) : g_date_time_new_now_local ();
  self->state = outgoing ? BEACON_MESSAGE_SENDING : BEACON_MESSAGE_DELIVERED;
  return self;
}

const char *
beacon_chat_message_get_id (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), NULL);
  return self->id;
}

gboolean
beacon_chat_message_get_outgoing (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), FALSE);
  return self->outgoing;
}

const char *
beacon_chat_message_get_text (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), NULL);
  return self->text;
}

GDateTime *
beacon_chat_message_get_time (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), NULL);
  return self->time;
}

BeaconMessageState
beacon_chat_message_get_state (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), BEACON_MESSAGE_FAILED);
  return self->state;
}

guint
beacon_chat_message_get_code (BeaconChatMessage *self)
{
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (self), 0);
  return self->code;
}

void
beacon_chat_message_set_state (BeaconChatMessage  *self,
                               BeaconMessageState  state,
                               guint               code)
{
  g_return_if_fail (BEACON_IS_CHAT_MESSAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->code != code)
    {
      self->code = code;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
