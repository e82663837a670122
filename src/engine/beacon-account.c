/* beacon-account.c — what every mode (server, LAN) offers the UI and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-engine"

#include "beacon-account.h"
#include "beacon-chat-message.h"
#include "beacon-conversation-private.h"
#include "beacon-flood-guard.h"
#include "history/beacon-history.h"
#include <string.h>

#include "beacon-enums.h"

typedef struct
{
  char                  *aor;
  BeaconBuddyList       *buddies;
  GListStore            *blocked;   /* BeaconBuddy */
  BeaconStatus           status;
  char                  *note;
  BeaconConnectionState  connection_state;
  GError                *last_error;
  GHashTable            *conversations;  /* uri → BeaconConversation */
  BeaconHistory         *history;        /* optional: where messages survive */
  gboolean               unsent_resent;  /* the queue of a previous run went out */
  GHashTable            *unread;         /* uri → messages not read yet (GUINT_TO_POINTER) */
  guint                  unread_total;
  BeaconFloodGuard      *strangers;      /* rate limits for requests of non-friends */
  GHashTable            *pending;        /* uris of authorisation requests shown */
  guint                  pending_dropped;
  gboolean               friends_unknown; /* see beacon_account_set_friends_known() */
  gint64                 refused_logged_us;
  guint64                refused_logged;
} BeaconAccountPrivate;

/* Messages of a conversation loaded from the history when it is opened. */
#define BEACON_ACCOUNT_HISTORY_PAGE 50

G_DEFINE_QUARK (beacon-account-error-quark, beacon_account_error)
G_DEFINE_TYPE_WITH_PRIVATE (BeaconAccount, beacon_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AOR,
  PROP_BUDDIES,
  PROP_BLOCKED,
  PROP_STATUS,
  PROP_NOTE,
  PROP_CONNECTION_STATE,
  PROP_LAST_ERROR,
  PROP_HISTORY,
  PROP_UNREAD_COUNT,
  N_PROPS
};

enum {
  MESSAGE_RECEIVED,
  MESSAGE_STATE,
  WATCHER,
  ERROR,
  UNREAD_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
beacon_account_finalize (GObject *object)
{
  BeaconAccount *self = BEACON_ACCOUNT (object);
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_clear_pointer (&priv->aor, g_free);
  g_clear_pointer (&priv->note, g_free);
  g_clear_object (&priv->buddies);
  g_clear_object (&priv->blocked);
  g_clear_error (&priv->last_error);
  g_clear_pointer (&priv->conversations, g_hash_table_unref);
  g_clear_object (&priv->history);
  g_clear_pointer (&priv->unread, g_hash_table_unref);
  g_clear_pointer (&priv->strangers, beacon_flood_guard_free);
  g_clear_pointer (&priv->pending, g_hash_table_unref);

  G_OBJECT_CLASS (beacon_account_parent_class)->finalize (object);
}

static void
beacon_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BeaconAccount *self = BEACON_ACCOUNT (object);
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_AOR:
      g_value_set_string (value, priv->aor);
      break;
    case PROP_BUDDIES:
      g_value_set_object (value, priv->buddies);
      break;
    case PROP_BLOCKED:
      g_value_set_object (value, priv->blocked);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, priv->status);
      break;
    case PROP_NOTE:
      g_value_set_string (value, priv->note);
      break;
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, priv->connection_state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_boxed (value, priv->last_error);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, priv->history);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, priv->unread_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BeaconAccount *self = BEACON_ACCOUNT (object);
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_AOR:
      priv->aor = g_value_dup_string (value);
      break;
    case PROP_STATUS:
      beacon_account_set_presence (self, g_value_get_enum (value), priv->note);
      break;
    case PROP_NOTE:
      beacon_account_set_presence (self, priv->status, g_value_get_string (value));
      break;
    case PROP_HISTORY:
      priv->history = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* What was unread when the app last ran still is. */
static void
beacon_account_constructed (GObject *object)
{
  BeaconAccount *self = BEACON_ACCOUNT (object);
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) unread = NULL;
  GHashTableIter iter;
  gpointer peer, count;

  G_OBJECT_CLASS (beacon_account_parent_class)->constructed (object);

  if (priv->history == NULL || priv->aor == NULL)
    return;
  unread = beacon_history_unread (priv->history, priv->aor, &error);
  if (unread == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  g_hash_table_iter_init (&iter, unread);
  while (g_hash_table_iter_next (&iter, &peer, &count))
    {
      g_hash_table_insert (priv->unread, g_strdup (peer), count);
      priv->unread_total += GPOINTER_TO_UINT (count);
    }
}

static void
beacon_account_class_init (BeaconAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = beacon_account_constructed;
  object_class->finalize = beacon_account_finalize;
  object_class->get_property = beacon_account_get_property;
  object_class->set_property = beacon_account_set_property;

  properties[PROP_AOR] =
    g_param_spec_string ("aor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUDDIES] =
    g_param_spec_object ("buddies", NULL, NULL, BEACON_TYPE_BUDDY_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOCKED] =
    g_param_spec_object ("blocked", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, BEACON_TYPE_STATUS, BEACON_STATUS_ONLINE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL,
                       BEACON_TYPE_CONNECTION_STATE, BEACON_CONNECTION_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_boxed ("last-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, BEACON_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Messages received and not read yet, over all conversations. */
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (from, text) */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* (to, id, state, SIP status code or 0) */
  signals[MESSAGE_STATE] =
    g_signal_new ("message-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING,
                  BEACON_TYPE_MESSAGE_STATE, G_TYPE_UINT);
  /* (watcher uri, status: pending, active, terminated, …) */
  signals[WATCHER] =
    g_signal_new ("watcher", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (uri, messages from it not read yet) */
  signals[UNREAD_CHANGED] =
    g_signal_new ("unread-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

/* A friend added after their messages came still shows them as unread. */
static void
on_buddies_changed (GListModel    *buddies,
                    guint          position,
                    guint          removed,
                    guint          added,
                    BeaconAccount *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (buddies, i);

      beacon_buddy_set_unread_count (buddy,
                                     beacon_account_get_unread_count (self, beacon_buddy_get_uri (buddy)));
    }
}

static void
beacon_account_init (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  priv->buddies = beacon_buddy_list_new ();
  priv->blocked = g_list_store_new (BEACON_TYPE_BUDDY);
  priv->status = BEACON_STATUS_ONLINE;
  priv->conversations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  priv->unread = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  priv->strangers = beacon_flood_guard_new (BEACON_FLOOD_SOURCE_BURST, BEACON_FLOOD_SOURCE_RATE,
                                            BEACON_FLOOD_GLOBAL_BURST, BEACON_FLOOD_GLOBAL_RATE,
                                            BEACON_FLOOD_MAX_SOURCES);
  priv->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_object (priv->buddies, "items-changed", G_CALLBACK (on_buddies_changed), self, 0);
}

guint
beacon_account_get_unread_count (BeaconAccount *self,
                                 const char    *uri)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), 0);

  if (uri == NULL)
    return priv->unread_total;
  return GPOINTER_TO_UINT (g_hash_table_lookup (priv->unread, uri));
}

static void
set_unread (BeaconAccount *self,
            const char    *uri,
            guint          count)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  guint old = GPOINTER_TO_UINT (g_hash_table_lookup (priv->unread, uri));
  BeaconConversation *conversation;
  BeaconBuddy *buddy;

  if (old == count)
    return;
  if (count == 0)
    g_hash_table_remove (priv->unread, uri);
  else
    g_hash_table_insert (priv->unread, g_strdup (uri), GUINT_TO_POINTER (count));
  priv->unread_total = priv->unread_total - old + count;
  buddy = beacon_buddy_list_lookup (priv->buddies, uri);
  if (buddy != NULL)
    beacon_buddy_set_unread_count (buddy, count);
  conversation = g_hash_table_lookup (priv->conversations, uri);
  if (conversation != NULL)
    beacon_conversation_set_unread (conversation, count);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
  g_signal_emit (self, signals[UNREAD_CHANGED], 0, uri, count);
}

void
beacon_account_mark_read (BeaconAccount *self,
                          const char    *uri)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_if_fail (BEACON_IS_ACCOUNT (self));
  g_return_if_fail (uri != NULL);

  if (beacon_account_get_unread_count (self, uri) == 0)
    return;
  if (priv->history != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (!beacon_history_mark_read (priv->history, priv->aor, uri, now, &error))
        g_warning ("%s", error->message);
    }
  set_unread (self, uri, 0);
}

BeaconConversation *
beacon_account_get_conversation (BeaconAccount *self,
                                 const char    *uri)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  BeaconConversation *conversation;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  conversation = g_hash_table_lookup (priv->conversations, uri);
  if (conversation == NULL)
    {
      conversation = beacon_conversation_new (self, uri,
                                              beacon_account_get_unread_count (self, uri));
      g_hash_table_insert (priv->conversations, g_strdup (uri), conversation);
      if (priv->history != NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) page = beacon_history_load (priv->history, priv->aor, uri, NULL,
                                                           BEACON_ACCOUNT_HISTORY_PAGE, &error);
          if (page != NULL)
            beacon_conversation_prepend_page (conversation, page);
          else
            g_warning ("%s", error->message);
        }
    }
  return conversation;
}

static BeaconChatMessage *
find_sent_message (BeaconAccount *self,
                   const char    *to,
                   const char    *id)
{
  return beacon_conversation_find (beacon_account_get_conversation (self, to), id);
}

BeaconBuddyList *
beacon_account_get_buddies (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  return priv->buddies;
}

const char *
beacon_account_get_aor (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  return priv->aor;
}

BeaconStatus
beacon_account_get_status (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), BEACON_STATUS_OFFLINE);
  return priv->status;
}

const char *
beacon_account_get_note (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  return priv->note;
}

void
beacon_account_set_presence (BeaconAccount *self,
                             BeaconStatus   status,
                             const char    *note)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  gboolean changed = FALSE;

  g_return_if_fail (BEACON_IS_ACCOUNT (self));

  if (note != NULL && *note == '\0')
    note = NULL;
  g_object_freeze_notify (G_OBJECT (self));
  if (priv->status != status)
    {
      priv->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      changed = TRUE;
    }
  if (g_strcmp0 (priv->note, note) != 0)
    {
      g_free (priv->note);
      priv->note = g_strdup (note);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed && BEACON_ACCOUNT_GET_CLASS (self)->publish != NULL)
    BEACON_ACCOUNT_GET_CLASS (self)->publish (self);
}

BeaconConnectionState
beacon_account_get_connection_state (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), BEACON_CONNECTION_OFFLINE);
  return priv->connection_state;
}

const GError *
beacon_account_get_last_error (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  return priv->last_error;
}

GListModel *
beacon_account_get_blocked (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  return G_LIST_MODEL (priv->blocked);
}

void
beacon_account_start (BeaconAccount *self)
{
  g_return_if_fail (BEACON_IS_ACCOUNT (self));
  BEACON_ACCOUNT_GET_CLASS (self)->start (self);
}

void
beacon_account_stop_async (BeaconAccount       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_ACCOUNT (self));
  BEACON_ACCOUNT_GET_CLASS (self)->stop_async (self, cancellable, callback, user_data);
}

gboolean
beacon_account_stop_finish (BeaconAccount  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  return BEACON_ACCOUNT_GET_CLASS (self)->stop_finish (self, result, error);
}

/* Every public action checks its URI here, once, for all modes. */
static gboolean
check_uri (const char  *uri,
           GError     **error)
{
  if (uri == NULL || !(g_str_has_prefix (uri, "sip:") || g_str_has_prefix (uri, "sips:")) ||
      strchr (uri, '@') == NULL || strpbrk (uri, " \t\r\n<>\"") != NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI,
                   "“%s” is not a SIP address like sip:name@example.org", uri ? uri : "");
      return FALSE;
    }
  return TRUE;
}

char *
beacon_account_default_data_dir (const char *aor)
{
  g_autofree char *escaped = g_uri_escape_string (aor, NULL, FALSE);

  return g_build_filename (g_get_user_data_dir (), "beacon", "accounts", escaped, NULL);
}

char *
beacon_account_normalize_uri (const char  *input,
                              GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (input ? input : ""));
  char *start = text;
  gsize len = strlen (text);
  g_autofree char *uri = NULL;
  char *at;

  if (len >= 2 && start[0] == '<' && start[len - 1] == '>')
    {
      start[len - 1] = '\0';
      start = g_strstrip (start + 1);
    }
  if (g_ascii_strncasecmp (start, "sip:", 4) == 0)
    uri = g_strconcat ("sip:", start + 4, NULL);
  else if (g_ascii_strncasecmp (start, "sips:", 5) == 0)
    uri = g_strconcat ("sips:", start + 5, NULL);
  else
    uri = g_strconcat ("sip:", start, NULL);

  if (!check_uri (uri, error))
    return NULL;
  at = strchr (uri, '@');
  if (at == uri + strlen ("sip:") || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI,
                   "“%s” is not a SIP address like sip:name@example.org", input ? input : "");
      return NULL;
    }
  /* Host names are case-insensitive; user parts are not. */
  {
    g_autofree char *host = g_ascii_strdown (at + 1, -1);
    at[1] = '\0';
    return g_strconcat (uri, host, NULL);
  }
}

gboolean
beacon_account_add_buddy (BeaconAccount  *self,
                          const char     *uri,
                          const char     *display_name,
                          GError        **error)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  return check_uri (uri, error) &&
         BEACON_ACCOUNT_GET_CLASS (self)->add_buddy (self, uri, display_name, error);
}

gboolean
beacon_account_remove_buddy (BeaconAccount  *self,
                             const char     *uri,
                             GError        **error)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  return check_uri (uri, error) &&
         BEACON_ACCOUNT_GET_CLASS (self)->remove_buddy (self, uri, error);
}

gboolean
beacon_account_rename_buddy (BeaconAccount  *self,
                             const char     *uri,
                             const char     *display_name,
                             GError        **error)
{
  BeaconAccountClass *klass;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  if (!check_uri (uri, error))
    return FALSE;
  if (beacon_buddy_list_lookup (beacon_account_get_buddies (self), uri) == NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "%s is not on the friends list", uri);
      return FALSE;
    }
  if (display_name == NULL || *display_name == '\0')
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           "A friend's name cannot be empty");
      return FALSE;
    }
  klass = BEACON_ACCOUNT_GET_CLASS (self);
  if (klass->rename_buddy != NULL)
    return klass->rename_buddy (self, uri, display_name, error);
  return klass->add_buddy (self, uri, display_name, error);
}

gboolean
beacon_account_authorize (BeaconAccount        *self,
                          const char           *uri,
                          BeaconAuthorization   answer,
                          GError              **error)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  return check_uri (uri, error) &&
         BEACON_ACCOUNT_GET_CLASS (self)->authorize (self, uri, answer, error);
}

gboolean
beacon_account_unblock (BeaconAccount  *self,
                        const char     *uri,
                        GError        **error)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  return check_uri (uri, error) &&
         BEACON_ACCOUNT_GET_CLASS (self)->unblock (self, uri, error);
}

char *
beacon_account_send_message (BeaconAccount  *self,
                             const char     *uri,
                             const char     *text,
                             GError        **error)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autofree char *id = NULL;
  g_autoptr(BeaconChatMessage) message = NULL;
  BeaconConversation *conversation;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!check_uri (uri, error))
    return NULL;

  id = g_uuid_string_random ();
  message = beacon_chat_message_new (id, TRUE, text, NULL);
  conversation = beacon_account_get_conversation (self, uri);
  /* On disk before it is shown or sent: a crash cannot lose it. */
  if (priv->history != NULL &&
      !beacon_history_add (priv->history, priv->aor, uri, message, NULL, error))
    return NULL;
  beacon_conversation_append (conversation, message);
  if (!BEACON_ACCOUNT_GET_CLASS (self)->send_message (self, uri, text, id, error))
    {
      beacon_conversation_remove (conversation, message);
      /* Kept in the history as failed, where the user can retry it. */
      if (priv->history != NULL)
        beacon_history_set_state (priv->history, id, BEACON_MESSAGE_FAILED, 0, NULL);
      return NULL;
    }
  return g_steal_pointer (&id);
}

gboolean
beacon_account_retry_message (BeaconAccount  *self,
                              const char     *uri,
                              const char     *id,
                              GError        **error)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  BeaconChatMessage *message;
  g_autofree char *text = NULL;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!check_uri (uri, error))
    return FALSE;
  message = find_sent_message (self, uri, id);
  if (message == NULL || !beacon_chat_message_get_outgoing (message) ||
      beacon_chat_message_get_state (message) != BEACON_MESSAGE_FAILED)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "There is no failed message %s to %s to send again", id, uri);
      return FALSE;
    }
  /* Queued again before it goes: a crash now resends it at the next start. */
  if (priv->history != NULL &&
      !beacon_history_set_state (priv->history, id, BEACON_MESSAGE_SENDING, 0, error))
    return FALSE;
  beacon_chat_message_set_state (message, BEACON_MESSAGE_SENDING, 0);
  text = g_strdup (beacon_chat_message_get_text (message));
  if (!BEACON_ACCOUNT_GET_CLASS (self)->send_message (self, uri, text, id, error))
    {
      beacon_chat_message_set_state (message, BEACON_MESSAGE_FAILED, 0);
      if (priv->history != NULL)
        beacon_history_set_state (priv->history, id, BEACON_MESSAGE_FAILED, 0, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Messages a previous run sent without seeing a final answer go out again
 * under the same id: the mode derives the Call-ID from it, so a peer that
 * did get the first copy recognises the retransmission and drops it. */
static void
resend_unsent (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autoptr(GPtrArray) unsent = NULL;
  g_autoptr(GError) error = NULL;

  if (priv->history == NULL)
    return;
  unsent = beacon_history_unsent (priv->history, priv->aor, &error);
  if (unsent == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < unsent->len; i++)
    {
      BeaconChatMessage *message = unsent->pdata[i];
      const char *peer = beacon_history_peer_of (message);
      const char *id = beacon_chat_message_get_id (message);
      g_autoptr(GError) send_error = NULL;

      /* Opening the conversation loads the message from the history. */
      beacon_account_get_conversation (self, peer);
      if (!BEACON_ACCOUNT_GET_CLASS (self)->send_message (self, peer,
                                                          beacon_chat_message_get_text (message),
                                                          id, &send_error))
        beacon_account_emit_message_state (self, peer, id, BEACON_MESSAGE_FAILED, 0);
    }
}

void
beacon_account_set_connection_state (BeaconAccount         *self,
                                     BeaconConnectionState  state,
                                     const GError          *error)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_if_fail (BEACON_IS_ACCOUNT (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (error != NULL || priv->last_error != NULL)
    {
      g_clear_error (&priv->last_error);
      if (error != NULL)
        priv->last_error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  if (priv->connection_state != state)
    {
      priv->connection_state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (state == BEACON_CONNECTION_ONLINE && !priv->unsent_resent)
    {
      priv->unsent_resent = TRUE;
      resend_unsent (self);
    }
  /* Stopped: what was still on its way had no answer and stays queued;
   * the next start sends it again. */
  if (state == BEACON_CONNECTION_OFFLINE)
    priv->unsent_resent = FALSE;
}

gboolean
beacon_account_receive_message (BeaconAccount *self,
                                const char    *from,
                                const char    *text,
                                const char    *dedupe_key)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autofree char *id = NULL;
  BeaconConversation *conversation;
  gboolean stored = TRUE;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);

  /* The blacklist is enforced here, once, whatever the mode. */
  if (beacon_account_is_blocked (self, from))
    {
      g_debug ("dropped a message from blocked %s", from);
      return TRUE;
    }

  id = g_uuid_string_random ();
  message = beacon_chat_message_new (id, FALSE, text, NULL);
  /* The conversation first: made now, it loads the history, and would find
   * this message there once it is stored, then show it twice. */
  conversation = beacon_account_get_conversation (self, from);
  if (priv->history != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!beacon_history_add (priv->history, priv->aor, from, message, dedupe_key, &error))
        {
          if (error == NULL)
            {
              g_debug ("dropped a retransmitted message from %s (%s)", from, dedupe_key);
              return TRUE;
            }
          /* Not stored, but still shown: better than losing it. */
          beacon_account_emit_error (self, error);
          stored = FALSE;
        }
    }
  /* Counted before it shows: a chat in front that sees it marks it read. */
  set_unread (self, from, beacon_account_get_unread_count (self, from) + 1);
  beacon_conversation_append (conversation, message);
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, from, text);
  return stored;
}

void
beacon_account_emit_message_state (BeaconAccount      *self,
                                   const char         *to,
                                   const char         *id,
                                   BeaconMessageState  state,
                                   guint               code)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  BeaconChatMessage *message;

  g_return_if_fail (BEACON_IS_ACCOUNT (self));

  message = find_sent_message (self, to, id);
  if (message != NULL)
    beacon_chat_message_set_state (message, state, code);
  if (priv->history != NULL && state != BEACON_MESSAGE_SENDING)
    {
      g_autoptr(GError) error = NULL;

      if (!beacon_history_set_state (priv->history, id, state, code, &error))
        g_warning ("%s", error->message);
    }
  g_signal_emit (self, signals[MESSAGE_STATE], 0, to, id, state, code);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

guint
beacon_account_get_stranger_unread (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  GHashTableIter iter;
  gpointer uri, count;
  guint total = 0;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), 0);

  g_hash_table_iter_init (&iter, priv->unread);
  while (g_hash_table_iter_next (&iter, &uri, &count))
    if (beacon_buddy_list_lookup (priv->buddies, uri) == NULL)
      total += GPOINTER_TO_UINT (count);
  return total;
}

GStrv
beacon_account_dup_unread_strangers (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autoptr(GPtrArray) uris = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer uri;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), NULL);

  g_hash_table_iter_init (&iter, priv->unread);
  while (g_hash_table_iter_next (&iter, &uri, NULL))
    if (beacon_buddy_list_lookup (priv->buddies, uri) == NULL)
      g_ptr_array_add (uris, g_strdup (uri));
  g_ptr_array_sort (uris, compare_strings);
  g_ptr_array_add (uris, NULL);
  return (GStrv) g_ptr_array_steal (uris, NULL);
}

/* One line a minute at most while a flood is refused. */
static void
log_refused (BeaconAccount *self,
             gint64         now_us)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  guint64 refused = beacon_flood_guard_refused (priv->strangers);

  if (now_us - priv->refused_logged_us < 60 * G_USEC_PER_SEC && priv->refused_logged_us != 0)
    return;
  g_message ("%s: refused %" G_GUINT64_FORMAT " requests from strangers (too many too fast); "
             "%u senders tracked", priv->aor, refused - priv->refused_logged,
             beacon_flood_guard_n_sources (priv->strangers));
  priv->refused_logged_us = now_us;
  priv->refused_logged = refused;
}

void
beacon_account_set_friends_known (BeaconAccount *self,
                                  gboolean       known)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_if_fail (BEACON_IS_ACCOUNT (self));
  priv->friends_unknown = !known;
}

gboolean
beacon_account_get_friends_known (BeaconAccount *self)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), TRUE);
  return !priv->friends_unknown;
}

gboolean
beacon_account_admit_request (BeaconAccount *self,
                              const char    *from,
                              const char    *address,
                              guint         *retry_after_s)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  const char *sources[3] = { NULL, NULL, NULL };
  g_autofree char *from_key = NULL;
  g_autofree char *address_key = NULL;
  gint64 now_us = g_get_monotonic_time ();
  guint n = 0;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);

  /* Friends are never limited; the blocked are dropped quietly later. */
  if (from != NULL && (beacon_buddy_list_lookup (priv->buddies, from) != NULL ||
                       beacon_account_is_blocked (self, from)))
    return TRUE;

  /* What strangers wrote waits for the user: past a bound, they wait. */
  if (beacon_account_get_stranger_unread (self) >= BEACON_ACCOUNT_STRANGER_UNREAD_MAX)
    {
      if (retry_after_s != NULL)
        *retry_after_s = 60;
      return FALSE;
    }

  if (from != NULL)
    sources[n++] = from_key = g_strconcat ("from ", from, NULL);
  if (address != NULL)
    sources[n++] = address_key = g_strconcat ("addr ", address, NULL);
  if (beacon_flood_guard_admit (priv->strangers, sources, now_us, retry_after_s))
    return TRUE;
  log_refused (self, now_us);
  return FALSE;
}

void
beacon_account_emit_watcher (BeaconAccount *self,
                             const char    *uri,
                             const char    *status)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);

  g_return_if_fail (BEACON_IS_ACCOUNT (self));

  /* Authorisation requests shown at once are bounded: a flood of
   * strangers asking to see us cannot bury the window in dialogs. */
  if (g_strcmp0 (status, "pending") == 0)
    {
      if (!g_hash_table_contains (priv->pending, uri) &&
          g_hash_table_size (priv->pending) >= BEACON_ACCOUNT_PENDING_MAX)
        {
          if (priv->pending_dropped++ % 100 == 0)
            g_message ("%s: %u authorisation requests waiting; not showing more (%u so far)",
                       priv->aor, g_hash_table_size (priv->pending), priv->pending_dropped);
          return;
        }
      g_hash_table_add (priv->pending, g_strdup (uri));
    }
  else
    g_hash_table_remove (priv->pending, uri);
  g_signal_emit (self, signals[WATCHER], 0, uri, status);
}

void
beacon_account_emit_error (BeaconAccount *self,
                           const GError  *error)
{
  g_return_if_fail (BEACON_IS_ACCOUNT (self));
  g_signal_emit (self, signals[ERROR], 0, error);
}

void
beacon_account_set_blocked (BeaconAccount     *self,
                            const char *const *uris)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (BEACON_IS_ACCOUNT (self));

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    g_ptr_array_add (items, beacon_buddy_new (uris[i], NULL));
  g_list_store_splice (priv->blocked, 0, g_list_model_get_n_items (G_LIST_MODEL (priv->blocked)),
                       items->pdata, items->len);
}

gboolean
beacon_account_is_blocked (BeaconAccount *self,
                           const char    *uri)
{
  BeaconAccountPrivate *priv = beacon_account_get_instance_private (self);
  guint n;

  g_return_val_if_fail (BEACON_IS_ACCOUNT (self), FALSE);

  if (uri == NULL)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (priv->blocked));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeaconBuddy) b = g_list_model_get_item (G_LIST_MODEL (priv->blocked), i);
      if (g_ascii_strcasecmp (beacon_buddy_get_uri (b), uri) == 0)
        return TRUE;
    }
  return FALSE;
}
