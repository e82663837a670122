/* beacon-conversation.c — the messages between the account and one peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-engine"

#include "beacon-conversation-private.h"

#include "beacon-account.h"

struct _BeaconConversation
{
  GObject     parent_instance;

  GWeakRef    account;
  char       *peer;
  GListStore *messages;   /* BeaconChatMessage, oldest first */
  guint       unread;
  gboolean    peer_typing;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconConversation, beacon_conversation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_PEER,
  PROP_UNREAD_COUNT,
  PROP_PEER_TYPING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- GListModel: the store's items, its changes passed on ---------------- */

static GType
get_item_type (GListModel *model)
{
  return BEACON_TYPE_CHAT_MESSAGE;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (BEACON_CONVERSATION (model)->messages));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (BEACON_CONVERSATION (model)->messages), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_messages_changed (GListModel         *store,
                     guint               position,
                     guint               removed,
                     guint               added,
                     BeaconConversation *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- what the account does ------------------------------------------------ */

BeaconConversation *
beacon_conversation_new (BeaconAccount *account,
                         const char    *peer,
                         guint          unread)
{
  BeaconConversation *self;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (peer != NULL, NULL);

  self = g_object_new (BEACON_TYPE_CONVERSATION, NULL);
  g_weak_ref_set (&self->account, account);
  self->peer = g_strdup (peer);
  self->unread = unread;
  return self;
}

void
beacon_conversation_prepend_page (BeaconConversation *self,
                                  GPtrArray          *messages)
{
  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  g_list_store_splice (self->messages, 0, 0, messages->pdata, messages->len);
}

void
beacon_conversation_append (BeaconConversation *self,
                            BeaconChatMessage  *message)
{
  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  g_list_store_append (self->messages, message);
}

void
beacon_conversation_remove (BeaconConversation *self,
                            BeaconChatMessage  *message)
{
  guint position;

  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  if (g_list_store_find (self->messages, message, &position))
    g_list_store_remove (self->messages, position);
}

void
beacon_conversation_set_unread (BeaconConversation *self,
                                guint               unread)
{
  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

void
beacon_conversation_set_peer_typing (BeaconConversation *self,
                                     gboolean            typing)
{
  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  typing = !!typing;
  if (self->peer_typing == typing)
    return;
  self->peer_typing = typing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_TYPING]);
}

/* ---- public --------------------------------------------------------------- */

const char *
beacon_conversation_get_peer (BeaconConversation *self)
{
  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), NULL);
  return self->peer;
}

BeaconAccount *
beacon_conversation_dup_account (BeaconConversation *self)
{
  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), NULL);
  return g_weak_ref_get (&self->account);
}

guint
beacon_conversation_get_unread_count (BeaconConversation *self)
{
  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), 0);
  return self->unread;
}

gboolean
beacon_conversation_get_peer_typing (BeaconConversation *self)
{
  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), FALSE);
  return self->peer_typing;
}

void
beacon_conversation_mark_read (BeaconConversation *self)
{
  g_autoptr(BeaconAccount) account = NULL;

  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  account = g_weak_ref_get (&self->account);
  if (account != NULL && self->unread > 0)
    beacon_account_mark_read (account, self->peer);
}

BeaconChatMessage *
beacon_conversation_find (BeaconConversation *self,
                          const char         *id)
{
  GListModel *model;

  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), NULL);

  /* Answers come for recent messages: search from the end. */
  model = G_LIST_MODEL (self->messages);
  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(BeaconChatMessage) message = g_list_model_get_item (model, i - 1);

      if (g_strcmp0 (beacon_chat_message_get_id (message), id) == 0)
        return message;  /* the store keeps it */
    }
  return NULL;
}

static gboolean
account_gone (BeaconConversation  *self,
              BeaconAccount       *account,
              GError             **error)
{
  if (account != NULL)
    return FALSE;
  g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
               "The account of the conversation with %s is gone", self->peer);
  return TRUE;
}

gboolean
beacon_conversation_retry (BeaconConversation  *self,
                           BeaconChatMessage   *message,
                           GError             **error)
{
  g_autoptr(BeaconAccount) account = NULL;

  g_return_val_if_fail (BEACON_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (message), FALSE);

  account = g_weak_ref_get (&self->account);
  if (account_gone (self, account, error))
    return FALSE;
  return beacon_account_retry_message (account, self->peer, beacon_chat_message_get_id (message),
                                       error);
}

/* ---- send: finishes when the message's state is final -------------------- */

typedef struct {
  BeaconChatMessage *message;
  gulong             state_id;
  gulong             cancel_id;
} Sending;

static void
sending_free (Sending *sending)
{
  g_clear_signal_handler (&sending->state_id, sending->message);
  g_clear_object (&sending->message);
  g_free (sending);
}

/* TRUE when @task was returned (the state is final). */
static gboolean
return_if_final (GTask *task)
{
  Sending *sending = g_task_get_task_data (task);
  BeaconMessageState state = beacon_chat_message_get_state (sending->message);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (state == BEACON_MESSAGE_SENDING)
    return FALSE;
  g_clear_signal_handler (&sending->state_id, sending->message);
  if (cancellable != NULL && sending->cancel_id != 0)
    g_cancellable_disconnect (cancellable, sending->cancel_id);
  sending->cancel_id = 0;
  if (state == BEACON_MESSAGE_FAILED)
    g_task_return_new_error (task, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_DELIVERED,
                             "The message could not be delivered (%u)",
                             beacon_chat_message_get_code (sending->message));
  else
    g_task_return_pointer (task, g_object_ref (sending->message), g_object_unref);
  return TRUE;
}

/* Both handlers hold a task reference, dropped when they are disconnected. */
static void
on_state_changed (BeaconChatMessage *message,
                  GParamSpec        *pspec,
                  GTask             *task)
{
  return_if_final (task);
}

static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  Sending *sending = g_task_get_task_data (task);

  /* The message goes on; only the wait for it ends. */
  g_clear_signal_handler (&sending->state_id, sending->message);
  g_task_return_error_if_cancelled (task);
}

void
beacon_conversation_send_async (BeaconConversation  *self,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BeaconAccount) account = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;
  Sending *sending;
  BeaconChatMessage *message;

  g_return_if_fail (BEACON_IS_CONVERSATION (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_conversation_send_async);
  account = g_weak_ref_get (&self->account);
  if (account_gone (self, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  id = beacon_account_send_message (account, self->peer, text, &error);
  if (id == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  message = beacon_conversation_find (self, id);
  if (message == NULL)
    {
      /* Failed at once and taken out again: the error said so. */
      g_task_return_new_error (task, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                               "The message to %s was not kept", self->peer);
      return;
    }
  sending = g_new0 (Sending, 1);
  sending->message = g_object_ref (message);
  g_task_set_task_data (task, sending, (GDestroyNotify) sending_free);
  if (return_if_final (task))
    return;
  sending->state_id = g_signal_connect_data (message, "notify::state",
                                             G_CALLBACK (on_state_changed), g_object_ref (task),
                                             (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  if (cancellable != NULL)
    sending->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                g_object_ref (task), g_object_unref);
}

BeaconChatMessage *
beacon_conversation_send_finish (BeaconConversation  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------- */

static void
beacon_conversation_finalize (GObject *object)
{
  BeaconConversation *self = BEACON_CONVERSATION (object);

  g_weak_ref_clear (&self->account);
  g_signal_handlers_disconnect_by_data (self->messages, self);
  g_clear_object (&self->messages);
  g_free (self->peer);

  G_OBJECT_CLASS (beacon_conversation_parent_class)->finalize (object);
}

static void
beacon_conversation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BeaconConversation *self = BEACON_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_PEER:
      g_value_set_string (value, self->peer);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread);
      break;
    case PROP_PEER_TYPING:
      g_value_set_boolean (value, self->peer_typing);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, get_n_items (G_LIST_MODEL (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_conversation_class_init (BeaconConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_conversation_finalize;
  object_class->get_property = beacon_conversation_get_property;

  properties[PROP_PEER] =
    g_param_spec_string ("peer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PEER_TYPING] =
    g_param_spec_boolean ("peer-typing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_conversation_init (BeaconConversation *self)
{
  g_weak_ref_init (&self->account, NULL);
  self->messages = g_list_store_new (BEACON_TYPE_CHAT_MESSAGE);
  g_signal_connect (self->messages, "items-changed", G_CALLBACK (on_messages_changed), self);
}
