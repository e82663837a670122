/* test-account.c — what BeaconAccount does for every mode: URI checks,
 * conversations, message states, the blacklist on incoming messages.
 *
 * A recording subclass stands in for a mode; it only remembers calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-account.h"
#include "beacon-chat-message.h"
#include "beacon-enums.h"
#include "history/beacon-history.h"

#include <glib/gstdio.h>

#define TEST_TYPE_ACCOUNT (test_account_get_type ())
G_DECLARE_FINAL_TYPE (TestAccount, test_account, TEST, ACCOUNT, BeaconAccount)

struct _TestAccount
{
  BeaconAccount  parent_instance;
  guint          publishes;
  GPtrArray     *sent;        /* "uri|text|id" */
  gboolean       fail_send;
};

G_DEFINE_FINAL_TYPE (TestAccount, test_account, BEACON_TYPE_ACCOUNT)

static void
test_account_publish (BeaconAccount *account)
{
  TEST_ACCOUNT (account)->publishes++;
}

static gboolean
test_account_send_message (BeaconAccount  *account,
                           const char     *uri,
                           const char     *text,
                           const char     *id,
                           GError        **error)
{
  TestAccount *self = TEST_ACCOUNT (account);

  if (self->fail_send)
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED,
                           "not connected");
      return FALSE;
    }
  g_ptr_array_add (self->sent, g_strdup_printf ("%s|%s|%s", uri, text, id));
  return TRUE;
}

static gboolean
test_account_add_buddy (BeaconAccount  *account,
                        const char     *uri,
                        const char     *display_name,
                        GError        **error)
{
  beacon_buddy_list_add (beacon_account_get_buddies (account), uri, display_name);
  return TRUE;
}

static void
test_account_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_ACCOUNT (object)->sent);
  G_OBJECT_CLASS (test_account_parent_class)->finalize (object);
}

static void
test_account_class_init (TestAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_account_finalize;
  BEACON_ACCOUNT_CLASS (klass)->publish = test_account_publish;
  BEACON_ACCOUNT_CLASS (klass)->send_message = test_account_send_message;
  BEACON_ACCOUNT_CLASS (klass)->add_buddy = test_account_add_buddy;
}

static void
test_account_init (TestAccount *self)
{
  self->sent = g_ptr_array_new_with_free_func (g_free);
}

static TestAccount *
test_account_new (void)
{
  return g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", NULL);
}

static void
test_presence_publishes_on_change (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);

  g_assert_cmpstr (beacon_account_get_aor (base), ==, "sip:alice@beacon.test");
  g_assert_cmpint (beacon_account_get_status (base), ==, BEACON_STATUS_ONLINE);

  beacon_account_set_presence (base, BEACON_STATUS_BUSY, "call me later");
  g_assert_cmpuint (account->publishes, ==, 1);
  beacon_account_set_presence (base, BEACON_STATUS_BUSY, "call me later");
  g_assert_cmpuint (account->publishes, ==, 1);
  beacon_account_set_presence (base, BEACON_STATUS_BUSY, "");
  g_assert_cmpuint (account->publishes, ==, 2);
  g_assert_null (beacon_account_get_note (base));
  g_object_set (base, "status", BEACON_STATUS_OFFLINE, NULL);
  g_assert_cmpuint (account->publishes, ==, 3);
}

static void
test_invalid_uris_refused (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  const char *bad[] = { "bob", "bob@beacon.test", "sip:bob", "sip:bob @x", "http://x@y", "sip:<b@x>" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (beacon_account_add_buddy (BEACON_ACCOUNT (account), bad[i], NULL, &error));
      g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
                      beacon_account_get_buddies (BEACON_ACCOUNT (account)))), ==, 0);
  g_assert_true (beacon_account_add_buddy (BEACON_ACCOUNT (account), "sip:bob@beacon.test",
                                           "Bob", NULL));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  for (guint i = 0; i < 100 && *result == NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (*result);
  return *result;
}

/* The conversation object: send_async finishes with the final state, a
 * failed message is retried under its id, unread follows the account, and
 * the conversation outlives its account without harm. */
static void
test_conversation_object (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(BeaconConversation) chat =
    g_object_ref (beacon_account_get_conversation (base, "sip:bob@beacon.test"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) failed = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  BeaconChatMessage *pending;
  guint unread = 0;
  guint notified = 0;

  g_assert_true (beacon_account_get_conversation (base, "sip:bob@beacon.test") == chat);
  g_assert_cmpstr (beacon_conversation_get_peer (chat), ==, "sip:bob@beacon.test");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (chat)) == BEACON_TYPE_CHAT_MESSAGE);

  /* Delivered: finishes with the message, only once the answer came. */
  beacon_conversation_send_async (chat, "hello", NULL, on_sent, &result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chat)), ==, 1);
  first = g_strsplit (account->sent->pdata[0], "|", 3);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (result);
  beacon_account_emit_message_state (base, "sip:bob@beacon.test", first[2],
                                     BEACON_MESSAGE_DELIVERED, 200);
  message = beacon_conversation_send_finish (chat, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (beacon_chat_message_get_text (message), ==, "hello");
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_DELIVERED);

  /* Refused on its way: NOT_DELIVERED, the message kept as failed... */
  beacon_conversation_send_async (chat, "again", NULL, on_sent, &failed);
  second = g_strsplit (account->sent->pdata[1], "|", 3);
  beacon_account_emit_message_state (base, "sip:bob@beacon.test", second[2],
                                     BEACON_MESSAGE_FAILED, 480);
  g_assert_null (beacon_conversation_send_finish (chat, wait_result (&failed), &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_DELIVERED);
  g_clear_error (&error);
  pending = beacon_conversation_find (chat, second[2]);
  g_assert_nonnull (pending);
  g_assert_cmpint (beacon_chat_message_get_state (pending), ==, BEACON_MESSAGE_FAILED);
  /* ...and Retry sends it again under the same id: no second bubble. */
  g_assert_true (beacon_conversation_retry (chat, pending, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (account->sent->len, ==, 3);
  g_assert_cmpstr (account->sent->pdata[2], ==, account->sent->pdata[1]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chat)), ==, 2);
  g_assert_cmpint (beacon_chat_message_get_state (pending), ==, BEACON_MESSAGE_SENDING);
  /* A delivered message is not retried. */
  g_assert_false (beacon_conversation_retry (chat, message, &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);

  /* Not sent at all: an error at once, nothing left in the conversation. */
  account->fail_send = TRUE;
  beacon_conversation_send_async (chat, "lost", NULL, on_sent, &refused);
  g_assert_null (beacon_conversation_send_finish (chat, wait_result (&refused), &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chat)), ==, 2);
  account->fail_send = FALSE;

  /* Cancelled: only the wait ends; the message goes on. */
  beacon_conversation_send_async (chat, "later", cancellable, on_sent, &cancelled);
  g_cancellable_cancel (cancellable);
  g_assert_null (beacon_conversation_send_finish (chat, wait_result (&cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chat)), ==, 3);

  /* Unread: counted as messages come, cleared by mark_read. */
  g_signal_connect (chat, "notify::unread-count", G_CALLBACK (count_notify), &notified);
  beacon_account_receive_message (base, "sip:bob@beacon.test", "one", NULL);
  beacon_account_receive_message (base, "sip:bob@beacon.test", "two", NULL);
  g_object_get (chat, "unread-count", &unread, NULL);
  g_assert_cmpuint (unread, ==, 2);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (beacon_conversation_get_unread_count (chat), ==, 2);
  beacon_conversation_mark_read (chat);
  g_assert_cmpuint (beacon_conversation_get_unread_count (chat), ==, 0);
  g_assert_cmpuint (beacon_account_get_unread_count (base, "sip:bob@beacon.test"), ==, 0);
  g_assert_false (beacon_conversation_get_peer_typing (chat));

  /* The account goes; the conversation held by a window stays usable. */
  g_clear_object (&account);
  g_assert_null (beacon_conversation_dup_account (chat));
  g_clear_object (&result);
  beacon_conversation_send_async (chat, "anyone?", NULL, on_sent, &result);
  g_assert_null (beacon_conversation_send_finish (chat, wait_result (&result), &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (beacon_conversation_retry (chat, pending, &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  beacon_conversation_mark_read (chat);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chat)), ==, 5);
}

static void
test_conversation_tracks_states (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);
  GListModel *chat = (GListModel *) beacon_account_get_conversation (base, "sip:bob@beacon.test");
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(BeaconChatMessage) sent = NULL;
  g_autoptr(BeaconChatMessage) received = NULL;
  g_autoptr(GError) error = NULL;

  id = beacon_account_send_message (base, "sip:bob@beacon.test", "hello 你好", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  expected = g_strdup_printf ("sip:bob@beacon.test|hello 你好|%s", id);
  g_assert_cmpuint (account->sent->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (account->sent, 0), ==, expected);

  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 1);
  sent = g_list_model_get_item (chat, 0);
  g_assert_true (beacon_chat_message_get_outgoing (sent));
  g_assert_cmpint (beacon_chat_message_get_state (sent), ==, BEACON_MESSAGE_SENDING);

  beacon_account_emit_message_state (base, "sip:bob@beacon.test", id, BEACON_MESSAGE_STORED, 202);
  g_assert_cmpint (beacon_chat_message_get_state (sent), ==, BEACON_MESSAGE_STORED);
  g_assert_cmpuint (beacon_chat_message_get_code (sent), ==, 202);

  beacon_account_receive_message (base, "sip:bob@beacon.test", "hi", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
  received = g_list_model_get_item (chat, 1);
  g_assert_false (beacon_chat_message_get_outgoing (received));
  g_assert_cmpstr (beacon_chat_message_get_text (received), ==, "hi");

  /* A send the mode refuses leaves no trace in the conversation. */
  account->fail_send = TRUE;
  g_clear_error (&error);
  g_assert_null (beacon_account_send_message (base, "sip:bob@beacon.test", "lost?", &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
}

static void
count_message (BeaconAccount *account,
               const char    *from,
               const char    *text,
               guint         *count)
{
  (*count)++;
}

static void
test_blocked_senders_dropped (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);
  const char *blocked[] = { "sip:mallory@beacon.test", NULL };
  guint received = 0;

  g_signal_connect (base, "message-received", G_CALLBACK (count_message), &received);
  beacon_account_set_blocked (base, blocked);
  g_assert_cmpuint (g_list_model_get_n_items (beacon_account_get_blocked (base)), ==, 1);
  g_assert_true (beacon_account_is_blocked (base, "SIP:mallory@beacon.test"));

  beacon_account_receive_message (base, "sip:mallory@beacon.test", "spam", NULL);
  g_assert_cmpuint (received, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items ((GListModel *)
                      beacon_account_get_conversation (base, "sip:mallory@beacon.test")), ==, 0);

  beacon_account_receive_message (base, "sip:bob@beacon.test", "hello", NULL);
  g_assert_cmpuint (received, ==, 1);

  beacon_account_set_blocked (base, NULL);
  beacon_account_receive_message (base, "sip:mallory@beacon.test", "again", NULL);
  g_assert_cmpuint (received, ==, 2);
}

static void
test_connection_state (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(GError) error = g_error_new_literal (BEACON_ACCOUNT_ERROR,
                                                 BEACON_ACCOUNT_ERROR_AUTH_FAILED, "wrong password");

  beacon_account_set_connection_state (base, BEACON_CONNECTION_FAILED, error);
  g_assert_cmpint (beacon_account_get_connection_state (base), ==, BEACON_CONNECTION_FAILED);
  g_assert_error (beacon_account_get_last_error (base), BEACON_ACCOUNT_ERROR,
                  BEACON_ACCOUNT_ERROR_AUTH_FAILED);
  beacon_account_set_connection_state (base, BEACON_CONNECTION_ONLINE, NULL);
  g_assert_null (beacon_account_get_last_error (base));
}

/* A message sent before a crash (no final answer) goes out again, once,
 * under the same id when the next run comes online; received
 * retransmissions are dropped; everything is in the history. */
static void
test_history_survives_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-account-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(BeaconChatMessage) loaded = NULL;
  BeaconHistory *history = beacon_history_open (path, NULL, &error);
  TestAccount *account;
  GListModel *chat;

  g_assert_no_error (error);
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  id = beacon_account_send_message (BEACON_ACCOUNT (account), "sip:bob@beacon.test", "are you there?", &error);
  g_assert_no_error (error);
  beacon_account_receive_message (BEACON_ACCOUNT (account), "sip:bob@beacon.test", "yes", "call-9;1");
  beacon_account_receive_message (BEACON_ACCOUNT (account), "sip:bob@beacon.test", "yes", "call-9;1");
  g_assert_cmpuint (g_list_model_get_n_items ((GListModel *) beacon_account_get_conversation (BEACON_ACCOUNT (account),
                                                                               "sip:bob@beacon.test")), ==, 2);
  /* The "crash": no final answer for the sent message. */
  g_object_unref (account);
  g_object_unref (history);

  history = beacon_history_open (path, NULL, &error);
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  chat = (GListModel *) beacon_account_get_conversation (BEACON_ACCOUNT (account), "sip:bob@beacon.test");
  g_assert_cmpuint (g_list_model_get_n_items (chat), ==, 2);
  loaded = g_list_model_get_item (chat, 0);
  g_assert_cmpstr (beacon_chat_message_get_id (loaded), ==, id);
  g_assert_cmpint (beacon_chat_message_get_state (loaded), ==, BEACON_MESSAGE_SENDING);

  g_assert_cmpuint (account->sent->len, ==, 0);
  beacon_account_set_connection_state (BEACON_ACCOUNT (account), BEACON_CONNECTION_ONLINE, NULL);
  g_assert_cmpuint (account->sent->len, ==, 1);
  expected = g_strdup_printf ("sip:bob@beacon.test|are you there?|%s", id);
  g_assert_cmpstr (g_ptr_array_index (account->sent, 0), ==, expected);
  /* Only the first time it comes online. */
  beacon_account_set_connection_state (BEACON_ACCOUNT (account), BEACON_CONNECTION_FAILED, NULL);
  beacon_account_set_connection_state (BEACON_ACCOUNT (account), BEACON_CONNECTION_ONLINE, NULL);
  g_assert_cmpuint (account->sent->len, ==, 1);

  beacon_account_emit_message_state (BEACON_ACCOUNT (account), "sip:bob@beacon.test", id,
                                     BEACON_MESSAGE_DELIVERED, 200);
  g_assert_cmpint (beacon_chat_message_get_state (loaded), ==, BEACON_MESSAGE_DELIVERED);
  g_object_unref (account);
  {
    g_autoptr(GPtrArray) unsent = beacon_history_unsent (history, "sip:alice@beacon.test", &error);
    g_assert_cmpuint (unsent->len, ==, 0);
  }
  /* A first message from someone new (no conversation yet) is shown once,
   * though the conversation, made for it, loads the history that has it. */
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  beacon_account_receive_message (BEACON_ACCOUNT (account), "sip:carol@beacon.test", "hi", "call-c;1");
  g_assert_cmpuint (g_list_model_get_n_items ((GListModel *) beacon_account_get_conversation (BEACON_ACCOUNT (account),
                                                                               "sip:carol@beacon.test")), ==, 1);
  g_object_unref (account);
  g_object_unref (history);

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *f = g_strconcat (path, suffixes[i], NULL);
        g_unlink (f);
      }
  }
  g_rmdir (dir);
}

static void
on_unread_changed (BeaconAccount *account,
                   const char    *uri,
                   guint          count,
                   GString       *seen)
{
  g_string_append_printf (seen, "%s=%u;", uri, count);
}

/* Received messages count as unread per peer and in total until the
 * conversation is read; a friend's buddy follows, one added later too;
 * what is blocked does not count. */
static void
test_unread_counts (void)
{
  g_autoptr(TestAccount) account = test_account_new ();
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(GString) seen = g_string_new (NULL);
  const char *blocked[] = { "sip:mallory@beacon.test", NULL };
  BeaconBuddy *bob;
  BeaconBuddy *carol;

  g_assert_true (beacon_account_add_buddy (base, "sip:bob@beacon.test", "Bob", NULL));
  bob = beacon_buddy_list_lookup (beacon_account_get_buddies (base), "sip:bob@beacon.test");
  g_signal_connect (base, "unread-changed", G_CALLBACK (on_unread_changed), seen);
  beacon_account_set_blocked (base, blocked);

  beacon_account_receive_message (base, "sip:bob@beacon.test", "one", NULL);
  beacon_account_receive_message (base, "sip:bob@beacon.test", "two", NULL);
  beacon_account_receive_message (base, "sip:carol@beacon.test", "hi", NULL);
  beacon_account_receive_message (base, "sip:mallory@beacon.test", "spam", NULL);
  g_assert_cmpuint (beacon_account_get_unread_count (base, "sip:bob@beacon.test"), ==, 2);
  g_assert_cmpuint (beacon_account_get_unread_count (base, "sip:carol@beacon.test"), ==, 1);
  g_assert_cmpuint (beacon_account_get_unread_count (base, "sip:mallory@beacon.test"), ==, 0);
  g_assert_cmpuint (beacon_account_get_unread_count (base, NULL), ==, 3);
  g_assert_cmpuint (beacon_buddy_get_unread_count (bob), ==, 2);
  g_assert_cmpstr (seen->str, ==, "sip:bob@beacon.test=1;sip:bob@beacon.test=2;sip:carol@beacon.test=1;");

  /* Carol becomes a friend: her buddy shows what she wrote. */
  g_assert_true (beacon_account_add_buddy (base, "sip:carol@beacon.test", NULL, NULL));
  carol = beacon_buddy_list_lookup (beacon_account_get_buddies (base), "sip:carol@beacon.test");
  g_assert_cmpuint (beacon_buddy_get_unread_count (carol), ==, 1);

  /* Read: zero, once (reading again changes nothing). */
  g_string_truncate (seen, 0);
  beacon_account_mark_read (base, "sip:bob@beacon.test");
  beacon_account_mark_read (base, "sip:bob@beacon.test");
  g_assert_cmpstr (seen->str, ==, "sip:bob@beacon.test=0;");
  g_assert_cmpuint (beacon_buddy_get_unread_count (bob), ==, 0);
  g_assert_cmpuint (beacon_account_get_unread_count (base, NULL), ==, 1);
  {
    guint total = 0;

    g_object_get (base, "unread-count", &total, NULL);
    g_assert_cmpuint (total, ==, 1);
  }
  beacon_account_mark_read (base, "sip:carol@beacon.test");
  g_assert_cmpuint (beacon_account_get_unread_count (base, NULL), ==, 0);
  g_assert_cmpuint (beacon_buddy_get_unread_count (carol), ==, 0);
}

/* What is unread survives a restart (the history keeps read marks);
 * what was read stays read. */
static void
test_unread_survives_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("beacon-account-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.sqlite", NULL);
  BeaconHistory *history = beacon_history_open (path, NULL, &error);
  BeaconAccount *account;

  g_assert_no_error (error);
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  g_assert_cmpuint (beacon_account_get_unread_count (account, NULL), ==, 0);
  beacon_account_receive_message (account, "sip:bob@beacon.test", "one", "call-b;1");
  beacon_account_receive_message (account, "sip:bob@beacon.test", "two", "call-b;2");
  beacon_account_receive_message (account, "sip:carol@beacon.test", "hi", "call-c;1");
  beacon_account_mark_read (account, "sip:carol@beacon.test");
  g_assert_cmpuint (beacon_account_get_unread_count (account, NULL), ==, 2);
  g_object_unref (account);
  g_object_unref (history);

  history = beacon_history_open (path, NULL, &error);
  g_assert_no_error (error);
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  g_assert_cmpuint (beacon_account_get_unread_count (account, "sip:bob@beacon.test"), ==, 2);
  g_assert_cmpuint (beacon_account_get_unread_count (account, "sip:carol@beacon.test"), ==, 0);
  g_assert_cmpuint (beacon_account_get_unread_count (account, NULL), ==, 2);
  /* Bob, a friend again once the roster loads, shows his. */
  g_assert_true (beacon_account_add_buddy (account, "sip:bob@beacon.test", NULL, NULL));
  g_assert_cmpuint (beacon_buddy_get_unread_count (
                      beacon_buddy_list_lookup (beacon_account_get_buddies (account), "sip:bob@beacon.test")),
                    ==, 2);
  beacon_account_mark_read (account, "sip:bob@beacon.test");
  g_object_unref (account);
  /* Another account's conversations are its own. */
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:carol@beacon.test", "history", history, NULL);
  g_assert_cmpuint (beacon_account_get_unread_count (account, NULL), ==, 0);
  g_object_unref (account);
  account = g_object_new (TEST_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test", "history", history, NULL);
  g_assert_cmpuint (beacon_account_get_unread_count (account, NULL), ==, 0);
  g_object_unref (account);
  g_object_unref (history);

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *f = g_strconcat (path, suffixes[i], NULL);
        g_unlink (f);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/account/presence-publishes-on-change", test_presence_publishes_on_change);
  g_test_add_func ("/engine/account/invalid-uris-refused", test_invalid_uris_refused);
  g_test_add_func ("/engine/account/conversation-tracks-states", test_conversation_tracks_states);
  g_test_add_func ("/engine/account/conversation-object", test_conversation_object);
  g_test_add_func ("/engine/account/blocked-senders-dropped", test_blocked_senders_dropped);
  g_test_add_func ("/engine/account/connection-state", test_connection_state);
  g_test_add_func ("/engine/account/history-survives-restart", test_history_survives_restart);
  g_test_add_func ("/engine/account/unread-counts", test_unread_counts);
  g_test_add_func ("/engine/account/unread-survives-restart", test_unread_survives_restart);

  return g_test_run ();
}
