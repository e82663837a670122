/* test-server-account-messages.c — MESSAGE in and out of a server account
 *
 * Against a fake peer on loopback (fake-sip-peer.h) acting as the proxy:
 * text/plain in UTF-8 and GB2312, message/cpim (the SIP From counts, not
 * the CPIM one), other types dropped, blocked senders dropped, and the
 * state of a sent message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "server/beacon-server-account.h"
#include "fake-sip-peer.h"

typedef struct {
  FakeSipPeer         *peer;
  BeaconServerAccount *account;
  GPtrArray           *received;  /* "from|text" */
  guint                states;
  BeaconMessageState   last_state;
  guint                last_code;
  char                *last_id;
} Fixture;

static void
on_message (BeaconAccount *account,
            const char    *from,
            const char    *text,
            Fixture       *fixture)
{
  g_ptr_array_add (fixture->received, g_strdup_printf ("%s|%s", from, text));
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
  g_free (fixture->last_id);
  fixture->last_id = g_strdup (id);
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
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->received = g_ptr_array_new_with_free_func (g_free);
  fixture->peer = fake_sip_peer_new (NULL, NULL);
  fixture->account = g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                                   "aor", "sip:alice@fake.test", "password", "pw",
                                   "proxy", fake_sip_peer_get_address (fixture->peer),
                                   "bind-address", "127.0.0.1", NULL);
  g_signal_connect (fixture->account, "message-received", G_CALLBACK (on_message), fixture);
  g_signal_connect (fixture->account, "message-state", G_CALLBACK (on_state), fixture);
  beacon_account_start (BEACON_ACCOUNT (fixture->account));
  g_assert_true (fake_sip_spin_until (registered, fixture, 5000));
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
  g_assert_true (beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gboolean done = FALSE;

  beacon_account_stop_async (BEACON_ACCOUNT (fixture->account), NULL, stopped, &done);
  g_assert_true (fake_sip_spin_until (stopped_flag, &done, 15000));
  g_clear_object (&fixture->account);
  g_clear_pointer (&fixture->peer, fake_sip_peer_free);
  g_ptr_array_unref (fixture->received);
  g_free (fixture->last_id);
}

typedef struct {
  Fixture *fixture;
  guint    count;
} Count;

static gboolean
received_count (gpointer data)
{
  Count *count = data;

  return count->fixture->received->len >= count->count;
}

static gboolean
peer_answered (gpointer data)
{
  return fake_sip_peer_get_last_status (data) >= 200;
}

/* Sends one MESSAGE from the peer and waits until the stack answered it. */
static void
deliver (Fixture    *fixture,
         const char *from,
         const char *content_type,
         const char *body)
{
  fake_sip_peer_send_message (fixture->peer, from, "sip:alice@fake.test", content_type, body);
  g_assert_true (fake_sip_spin_until (peer_answered, fixture->peer, 5000));
  g_assert_cmpint (fake_sip_peer_get_last_status (fixture->peer), ==, 200);
}

static void
test_incoming (Fixture       *fixture,
               gconstpointer  data)
{
  Count two = { fixture, 2 }, three = { fixture, 3 }, five = { fixture, 5 };
  /* "你好" in GB2312, as older Chinese clients send it. */
  const char gb2312[] = { (char) 0xc4, (char) 0xe3, (char) 0xba, (char) 0xc3, 0 };
  const char *cpim =
    "From: <sip:mallory@elsewhere.test>\r\n"
    "To: <sip:alice@fake.test>\r\n"
    "DateTime: 2024-05-01T08:30:00+08:00\r\n"
    "\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "wrapped in CPIM";

  deliver (fixture, "sip:bob@fake.test", "text/plain;charset=UTF-8", "hello 世界");
  deliver (fixture, "sip:bob@fake.test", "message/cpim", cpim);
  g_assert_true (fake_sip_spin_until (received_count, &two, 3000));
  g_assert_cmpstr (g_ptr_array_index (fixture->received, 0), ==, "sip:bob@fake.test|hello 世界");
  /* The server vouches for the SIP From; the CPIM From is the sender's word. */
  g_assert_cmpstr (g_ptr_array_index (fixture->received, 1), ==, "sip:bob@fake.test|wrapped in CPIM");

  deliver (fixture, "sip:bob@fake.test", "text/plain; charset=GB2312", gb2312);
  g_assert_true (fake_sip_spin_until (received_count, &three, 3000));
  g_assert_cmpstr (g_ptr_array_index (fixture->received, 2), ==, "sip:bob@fake.test|你好");

  /* Not text: answered (the stack did) but not shown. Blocked: the same. */
  g_assert_true (beacon_account_authorize (BEACON_ACCOUNT (fixture->account), "sip:eve@fake.test",
                                           BEACON_AUTHORIZE_BLOCK, NULL));
  deliver (fixture, "sip:bob@fake.test", "application/octet-stream", "binary?");
  deliver (fixture, "sip:eve@fake.test", "text/plain", "let me in");
  deliver (fixture, "sip:carol@fake.test", "text/plain", "after");
  deliver (fixture, "sip:bob@fake.test", "text/plain", "last");
  g_assert_true (fake_sip_spin_until (received_count, &five, 3000));
  g_assert_cmpuint (fixture->received->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (fixture->received, 3), ==, "sip:carol@fake.test|after");
  g_assert_cmpstr (g_ptr_array_index (fixture->received, 4), ==, "sip:bob@fake.test|last");
}

static gboolean
state_known (gpointer data)
{
  return ((Fixture *) data)->states > 0;
}

static void
test_outgoing (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = beacon_account_send_message (BEACON_ACCOUNT (fixture->account),
                                                     "sip:bob@fake.test", "hi bob", &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_true (fake_sip_spin_until (state_known, fixture, 5000));
  g_assert_cmpstr (fixture->last_id, ==, id);
  g_assert_cmpint (fixture->last_state, ==, BEACON_MESSAGE_DELIVERED);
  g_assert_cmpuint (fixture->last_code, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server-account/messages/incoming", Fixture, NULL,
              fixture_set_up, test_incoming, fixture_tear_down);
  g_test_add ("/server-account/messages/outgoing", Fixture, NULL,
              fixture_set_up, test_outgoing, fixture_tear_down);

  return g_test_run ();
}
