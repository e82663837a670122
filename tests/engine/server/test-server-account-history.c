/* test-server-account-history.c — the server account and its history
 *
 * Against a fake peer on loopback (fake-sip-peer.h) acting as the proxy:
 * a sent MESSAGE carries a Call-ID and a Beacon-Message-ID derived from
 * the message id, its final answer is kept in the history (an error leaves
 * it failed, not lost, and it can be retried), a previous run's unsent queue goes out again under
 * the same id, and a received message is stored once however often it
 * comes (a resend under a new CSeq, a msilo delivery under a new Call-ID)
 * while different messages are never merged. One that cannot be stored
 * is refused (503), so that the sender or the server's store keeps it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "beacon-chat-message.h"
#include "history/beacon-history.h"
#include "server/beacon-server-account.h"
#include "fake-sip-peer.h"
#include "formats/beacon-message-id.h"
#include "sip/beacon-sip-ua.h"

#define ALICE "sip:alice@fake.test"
#define BOB   "sip:bob@fake.test"

typedef struct {
  char                *dir;
  BeaconHistory       *history;
  FakeSipPeer         *peer;
  BeaconServerAccount *account;
  guint                received;
  guint                states;
  BeaconMessageState   last_state;
  guint                last_code;
} Fixture;

static void
on_message (BeaconAccount *account,
            const char    *from,
            const char    *text,
            Fixture       *fixture)
{
  fixture->received++;
}

static void
on_state (BeaconAccount      *account,
          const char         *to,
          const char         *id,
          BeaconMessageState  state,
          guint               code,
          Fixture            *fixture)
{
  fixture->states++;
  fixture->last_state = state;
  fixture->last_code = code;
}

static gboolean
registered (gpointer data)
{
  Fixture *fixture = data;

  return beacon_account_get_connection_state (BEACON_ACCOUNT (fixture->account)) ==
           BEACON_CONNECTION_ONLINE &&
         fake_sip_peer_get_contact (fixture->peer) != NULL;
}

static void
open_history (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "history.sqlite", NULL);
  g_autoptr(GError) error = NULL;

  fixture->history = beacon_history_open (path, NULL, &error);
  g_assert_no_error (error);
}

static void
start_account (Fixture *fixture)
{
  fixture->account = g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                                   "aor", ALICE, "password", "pw",
                                   "proxy", fake_sip_peer_get_address (fixture->peer),
                                   "bind-address", "127.0.0.1",
                                   "history", fixture->history, NULL);
  g_signal_connect (fixture->account, "message-received", G_CALLBACK (on_message), fixture);
  g_signal_connect (fixture->account, "message-state", G_CALLBACK (on_state), fixture);
  /* Bob is a friend: a stranger's repeats would meet the flood limits. */
  beacon_buddy_list_add (beacon_account_get_buddies (BEACON_ACCOUNT (fixture->account)), BOB, "Bob");
  beacon_account_start (BEACON_ACCOUNT (fixture->account));
  g_assert_true (fake_sip_spin_until (registered, fixture, 5000));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("beacon-account-history-XXXXXX", &error);
  g_assert_no_error (error);
  open_history (fixture);
  fixture->peer = fake_sip_peer_new (NULL, NULL);
}

static gboolean
stopped_flag (gpointer data)
{
  return *(gboolean *) data;
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
stop_account (Fixture *fixture)
{
  gboolean done = FALSE;

  if (fixture->account == NULL)
    return;
  beacon_account_stop_async (BEACON_ACCOUNT (fixture->account), NULL, stopped, &done);
  g_assert_true (fake_sip_spin_until (stopped_flag, &done, 15000));
  g_clear_object (&fixture->account);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *names[] = { "history.sqlite", "history.sqlite-wal", "history.sqlite-shm" };

  stop_account (fixture);
  g_clear_pointer (&fixture->peer, fake_sip_peer_free);
  g_clear_object (&fixture->history);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* The history's one message with @peer, or fails. */
static BeaconChatMessage *
only_message (Fixture    *fixture,
              const char *peer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = beacon_history_load (fixture->history, ALICE, peer, NULL, 100,
                                                   &error);

  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  return g_object_ref (page->pdata[0]);
}

static gboolean
state_known (gpointer data)
{
  return ((Fixture *) data)->states > 0;
}

/* ---- the key itself --------------------------------------------------------- */

static void
test_dedupe_key (void)
{
  const char *id = "0f8e6a52-5d3b-4b8e-9d0e-3c1b2a4f5e6d";
  g_autofree char *by_id = beacon_message_dedupe_key (BOB, id, "abc@host", 7);
  g_autofree char *resent = beacon_message_dedupe_key (BOB, id, "abc@host", 8);
  g_autofree char *stored = beacon_message_dedupe_key (BOB, id, "other@kamailio", 1);
  g_autofree char *other_sender = beacon_message_dedupe_key ("sip:eve@fake.test", id, "abc@host", 7);
  g_autofree char *plain = beacon_message_dedupe_key (BOB, NULL, "abc@host", 7);
  g_autofree char *next = beacon_message_dedupe_key (BOB, NULL, "abc@host", 8);
  g_autofree char *bad_id = beacon_message_dedupe_key (BOB, "not an id", "abc@host", 7);
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *too_long = beacon_message_dedupe_key (BOB, long_id, "abc@host", 7);
  g_autofree char *nothing = beacon_message_dedupe_key (BOB, NULL, NULL, 0);

  /* One Beacon message: the same key through a resend and msilo. */
  g_assert_cmpstr (by_id, ==, resent);
  g_assert_cmpstr (by_id, ==, stored);
  /* Another sender cannot claim the id. */
  g_assert_cmpstr (by_id, !=, other_sender);
  /* Anyone else's: Call-ID and CSeq, so a chat session's messages differ. */
  g_assert_cmpstr (plain, ==, "cid abc@host 7");
  /* A Call-ID cannot forge the key of someone's message id. */
  {
    g_autofree char *forged = beacon_message_dedupe_key ("sip:eve@fake.test", NULL, "id " BOB, 12);
    g_autofree char *real = beacon_message_dedupe_key (BOB, "12", "x@host", 1);

    g_assert_nonnull (forged);
    g_assert_cmpstr (forged, !=, real);
  }
  g_assert_cmpstr (next, !=, plain);
  /* A header that is not an id is ignored. */
  g_assert_cmpstr (bad_id, ==, plain);
  g_assert_cmpstr (too_long, ==, plain);
  g_assert_null (nothing);
}

/* ---- sending ----------------------------------------------------------------- */

static void
test_sent_under_id (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *call_id = NULL;
  g_autoptr(BeaconChatMessage) message = NULL;

  start_account (fixture);
  id = beacon_account_send_message (BEACON_ACCOUNT (fixture->account), BOB, "hi bob", &error);
  g_assert_no_error (error);
  g_assert_true (fake_sip_spin_until (state_known, fixture, 5000));
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_DELIVERED);

  call_id = g_strconcat ("beacon-msg-", id, NULL);
  g_assert_cmpstr (fake_sip_peer_get_last_in_call_id (fixture->peer), ==, call_id);
  g_assert_cmpstr (fake_sip_peer_get_last_in_message_id (fixture->peer), ==, id);
  message = only_message (fixture, BOB);
  g_assert_cmpstr (beacon_chat_message_get_id (message), ==, id);
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_DELIVERED);
  g_assert_cmpuint (beacon_chat_message_get_code (message), ==, 200);
}

static void
test_error_leaves_failed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autoptr(GPtrArray) unsent = NULL;

  start_account (fixture);
  fake_sip_peer_set_message_status (fixture->peer, 503);
  id = beacon_account_send_message (BEACON_ACCOUNT (fixture->account), BOB, "are you there", &error);
  g_assert_no_error (error);
  g_assert_true (fake_sip_spin_until (state_known, fixture, 5000));
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_FAILED);

  /* Kept, as failed with the answer, for the user to retry. */
  message = only_message (fixture, BOB);
  g_assert_cmpstr (beacon_chat_message_get_text (message), ==, "are you there");
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_FAILED);
  g_assert_cmpuint (beacon_chat_message_get_code (message), ==, 503);
  unsent = beacon_history_unsent (fixture->history, ALICE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unsent->len, ==, 0);
  g_clear_object (&message);

  /* Retried: the same id and Call-ID, one message in the history. */
  fake_sip_peer_set_message_status (fixture->peer, 200);
  fixture->states = 0;
  g_assert_true (beacon_account_retry_message (BEACON_ACCOUNT (fixture->account), BOB, id, &error));
  g_assert_no_error (error);
  g_assert_true (fake_sip_spin_until (state_known, fixture, 5000));
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_DELIVERED);
  g_assert_cmpuint (fake_sip_peer_get_messages_in (fixture->peer), ==, 2);
  g_assert_cmpstr (fake_sip_peer_get_last_in_message_id (fixture->peer), ==, id);
  message = only_message (fixture, BOB);
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_DELIVERED);

  /* Only a failed message can be retried. */
  g_assert_false (beacon_account_retry_message (BEACON_ACCOUNT (fixture->account), BOB, id, &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (beacon_account_retry_message (BEACON_ACCOUNT (fixture->account), BOB,
                                                "no-such-id", &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
messages_in_at_least_one (gpointer data)
{
  return fake_sip_peer_get_messages_in (((Fixture *) data)->peer) >= 1;
}

static void
test_unsent_resent_once (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *id = "3a0c1f8e-9b2d-4e5f-8a7b-6c5d4e3f2a1b";
  g_autoptr(BeaconChatMessage) queued = beacon_chat_message_new (id, TRUE, "sent before a crash",
                                                                 NULL);
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  /* A previous run wrote it and died before the answer. */
  g_assert_true (beacon_history_add (fixture->history, ALICE, BOB, queued, NULL, &error));
  g_assert_no_error (error);

  start_account (fixture);
  g_assert_true (fake_sip_spin_until (state_known, fixture, 5000));
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_DELIVERED);
  g_assert_true (messages_in_at_least_one (fixture));
  g_assert_cmpstr (fake_sip_peer_get_last_in_message_id (fixture->peer), ==, id);
  g_assert_cmpstr (fake_sip_peer_get_last_in_call_id (fixture->peer), ==,
                   "beacon-msg-3a0c1f8e-9b2d-4e5f-8a7b-6c5d4e3f2a1b");
  message = only_message (fixture, BOB);
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_DELIVERED);

  /* Once: nothing more goes out. */
  fake_sip_spin_until (never, NULL, 500);
  g_assert_cmpuint (fake_sip_peer_get_messages_in (fixture->peer), ==, 1);
  g_assert_cmpuint (fixture->states, ==, 1);
}

static void
test_stopped_stays_queued (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(BeaconChatMessage) message = NULL;
  g_autoptr(GPtrArray) unsent = NULL;
  gboolean done = FALSE;

  start_account (fixture);
  fake_sip_peer_set_message_status (fixture->peer, 0);
  id = beacon_account_send_message (BEACON_ACCOUNT (fixture->account), BOB, "no answer yet", &error);
  g_assert_no_error (error);
  g_assert_true (fake_sip_spin_until (messages_in_at_least_one, fixture, 5000));

  /* Stopped before any final answer: neither failed nor delivered. */
  beacon_account_stop_async (BEACON_ACCOUNT (fixture->account), NULL, stopped, &done);
  g_assert_true (fake_sip_spin_until (stopped_flag, &done, 40000));
  unsent = beacon_history_unsent (fixture->history, ALICE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unsent->len, ==, 1);
  g_assert_cmpstr (beacon_chat_message_get_id (unsent->pdata[0]), ==, id);

  /* Started again (same account): it goes out once more, same id. */
  fake_sip_peer_set_message_status (fixture->peer, 200);
  fixture->states = 0;
  beacon_account_start (BEACON_ACCOUNT (fixture->account));
  g_assert_true (fake_sip_spin_until (state_known, fixture, 10000));
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_DELIVERED);
  g_assert_cmpuint (fake_sip_peer_get_messages_in (fixture->peer), ==, 2);
  g_assert_cmpstr (fake_sip_peer_get_last_in_message_id (fixture->peer), ==, id);
  message = only_message (fixture, BOB);
  g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_DELIVERED);
}

/* ---- receiving --------------------------------------------------------------- */

static gboolean
peer_answered (gpointer data)
{
  return fake_sip_peer_get_last_status (data) != 0;
}

static void
deliver (Fixture    *fixture,
         const char *text,
         const char *call_id,
         const char *message_id)
{
  g_autofree char *header = message_id ? g_strdup_printf ("Beacon-Message-ID: %s", message_id)
                                       : NULL;

  fake_sip_peer_send_message_with (fixture->peer, BOB, ALICE, "text/plain;charset=UTF-8", text,
                                   call_id, header);
  g_assert_true (fake_sip_spin_until (peer_answered, fixture->peer, 5000));
  /* Retransmissions too are answered 200: the sender must stop. */
  g_assert_cmpint (fake_sip_peer_get_last_status (fixture->peer), ==, 200);
}

static void
test_received_once (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *id = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;

  start_account (fixture);
  /* Sent, resent by the restarted sender (same Call-ID, new transaction),
   * then delivered by msilo (a Call-ID of the server's). */
  deliver (fixture, "once only", "beacon-msg-9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", id);
  deliver (fixture, "once only", "beacon-msg-9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", id);
  deliver (fixture, "once only", "e1b2c3d4@kamailio.test", id);
  /* The Call-ID alone names it too, when a proxy dropped the header. */
  deliver (fixture, "once only", "beacon-msg-9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", NULL);
  deliver (fixture, "once only", "beacon-msg-9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "not an id!");
  /* Same words, other messages: kept apart. */
  deliver (fixture, "once only", "other-1@elsewhere.test", NULL);
  deliver (fixture, "once only", "beacon-msg-00000000-1111-2222-3333-444444444444",
           "00000000-1111-2222-3333-444444444444");

  g_assert_cmpuint (fixture->received, ==, 3);
  page = beacon_history_load (fixture->history, ALICE, BOB, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
}

static void
test_unstorable_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *id = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918";
  g_autofree char *path = g_build_filename (fixture->dir, "history.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  sqlite3 *blocker = NULL;

  start_account (fixture);
  /* Another writer holds the file (like a full or failing disk): the
   * history cannot take the message. */
  g_assert_cmpint (sqlite3_open (path, &blocker), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (blocker, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  fake_sip_peer_send_message_with (fixture->peer, BOB, ALICE, "text/plain", "keep me",
                                   "beacon-msg-7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918", NULL);
  g_assert_true (fake_sip_spin_until (peer_answered, fixture->peer, 10000));
  /* Shown, but refused: the sender (or msilo) keeps it and sends again. */
  g_assert_cmpint (fake_sip_peer_get_last_status (fixture->peer), ==, 503);
  g_assert_cmpuint (fixture->received, ==, 1);

  g_assert_cmpint (sqlite3_exec (blocker, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (blocker);

  /* It comes again (msilo: another Call-ID, the same id) and is kept. */
  deliver (fixture, "keep me", "kamailio-1@fake.test", id);
  deliver (fixture, "keep me", "kamailio-2@fake.test", id);
  page = beacon_history_load (fixture->history, ALICE, BOB, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (beacon_chat_message_get_text (page->pdata[0]), ==, "keep me");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-account/history/dedupe-key", test_dedupe_key);
  g_test_add ("/server-account/history/sent-under-id", Fixture, NULL,
              fixture_set_up, test_sent_under_id, fixture_tear_down);
  g_test_add ("/server-account/history/error-leaves-failed-retry", Fixture, NULL,
              fixture_set_up, test_error_leaves_failed, fixture_tear_down);
  g_test_add ("/server-account/history/unsent-resent-once", Fixture, NULL,
              fixture_set_up, test_unsent_resent_once, fixture_tear_down);
  g_test_add ("/server-account/history/stopped-stays-queued", Fixture, NULL,
              fixture_set_up, test_stopped_stays_queued, fixture_tear_down);
  g_test_add ("/server-account/history/unstorable-refused", Fixture, NULL,
              fixture_set_up, test_unstorable_refused, fixture_tear_down);
  g_test_add ("/server-account/history/received-once", Fixture, NULL,
              fixture_set_up, test_received_once, fixture_tear_down);
  return g_test_run ();
}
