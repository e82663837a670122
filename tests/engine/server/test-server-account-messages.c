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
#include "beacon-roster-store.h"
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
friends_known (gpointer data)
{
  return beacon_account_get_friends_known (data);
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

/* ---- the lists not loaded yet: friends' stored messages wait, not 429 ---- */

/* A roster store whose load is answered only when the test says so. */
#define HELD_TYPE_STORE (held_store_get_type ())
G_DECLARE_FINAL_TYPE (HeldStore, held_store, HELD, STORE, GObject)

struct _HeldStore
{
  GObject  parent_instance;
  GTask   *load;
};

static void held_store_iface_init (BeaconRosterStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeldStore, held_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_ROSTER_STORE, held_store_iface_init))

static void
held_store_load_async (BeaconRosterStore   *store,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  HeldStore *self = HELD_STORE (store);

  g_clear_object (&self->load);
  self->load = g_task_new (store, cancellable, callback, user_data);
}

static gboolean
held_store_load_finish (BeaconRosterStore  *store,
                        GAsyncResult       *result,
                        GPtrArray         **buddies,
                        GStrv              *blocked,
                        GError            **error)
{
  *buddies = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (*buddies, beacon_buddy_new ("sip:bob@fake.test", "Bob"));
  *blocked = NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
held_store_iface_init (BeaconRosterStoreInterface *iface)
{
  iface->load_async = held_store_load_async;
  iface->load_finish = held_store_load_finish;
}

static void
held_store_finalize (GObject *object)
{
  g_clear_object (&HELD_STORE (object)->load);
  G_OBJECT_CLASS (held_store_parent_class)->finalize (object);
}

static void
held_store_class_init (HeldStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = held_store_finalize;
}

static void
held_store_init (HeldStore *self)
{
}

static gboolean
load_asked (gpointer data)
{
  return HELD_STORE (data)->load != NULL;
}

/* Just started, the lists not loaded: a friend (bob) cannot be told from a
 * stranger yet, so a burst of his (msilo handing over what it stored) is
 * answered 503 with a short Retry-After — not 429 as a flood — and taken
 * once the lists are there; a stranger is limited as always after that. */
static void
test_before_lists_loaded (void)
{
  g_autoptr(HeldStore) store = g_object_new (HELD_TYPE_STORE, NULL);
  Fixture fixture = { 0 };
  gboolean done = FALSE;
  guint refused = 0;
  Count count;

  fixture.received = g_ptr_array_new_with_free_func (g_free);
  fixture.peer = fake_sip_peer_new (NULL, NULL);
  fixture.account = g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                                  "aor", "sip:alice@fake.test", "password", "pw",
                                  "proxy", fake_sip_peer_get_address (fixture.peer),
                                  "bind-address", "127.0.0.1", "roster-store", store, NULL);
  g_signal_connect (fixture.account, "message-received", G_CALLBACK (on_message), &fixture);
  beacon_account_start (BEACON_ACCOUNT (fixture.account));
  g_assert_true (fake_sip_spin_until (registered, &fixture, 5000));
  g_assert_true (fake_sip_spin_until (load_asked, store, 5000));
  g_assert_false (beacon_account_get_friends_known (BEACON_ACCOUNT (fixture.account)));

  /* More than a stranger's burst (BEACON_FLOOD_SOURCE_BURST): all 503. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("stored %u", i);

      fake_sip_peer_send_message (fixture.peer, "sip:bob@fake.test", "sip:alice@fake.test",
                                  "text/plain", text);
      g_assert_true (fake_sip_spin_until (peer_answered, fixture.peer, 5000));
      if (fake_sip_peer_get_last_status (fixture.peer) == 503)
        refused++;
    }
  g_assert_cmpuint (refused, ==, 8);
  g_assert_cmpuint (fixture.received->len, ==, 0);

  /* The lists arrive: bob is a friend, all of his come in. */
  g_task_return_boolean (store->load, TRUE);
  g_assert_true (fake_sip_spin_until (friends_known, fixture.account, 5000));
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("stored %u", i);

      deliver (&fixture, "sip:bob@fake.test", "text/plain", text);
    }
  count.fixture = &fixture;
  count.count = 8;
  g_assert_true (fake_sip_spin_until (received_count, &count, 5000));

  /* A stranger past the burst: 429, as before. */
  refused = 0;
  for (guint i = 0; i < 8; i++)
    {
      fake_sip_peer_send_message (fixture.peer, "sip:eve@fake.test", "sip:alice@fake.test",
                                  "text/plain", "hi");
      g_assert_true (fake_sip_spin_until (peer_answered, fixture.peer, 5000));
      if (fake_sip_peer_get_last_status (fixture.peer) == 429)
        refused++;
    }
  g_assert_cmpuint (refused, >=, 1);

  beacon_account_stop_async (BEACON_ACCOUNT (fixture.account), NULL, stopped, &done);
  g_assert_true (fake_sip_spin_until (stopped_flag, &done, 15000));
  g_clear_object (&fixture.account);
  g_clear_pointer (&fixture.peer, fake_sip_peer_free);
  g_ptr_array_unref (fixture.received);
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

  g_test_add_func ("/server-account/messages/before-lists-loaded", test_before_lists_loaded);
  g_test_add ("/server-account/messages/incoming", Fixture, NULL,
              fixture_set_up, test_incoming, fixture_tear_down);
  g_test_add ("/server-account/messages/outgoing", Fixture, NULL,
              fixture_set_up, test_outgoing, fixture_tear_down);

  return g_test_run ();
}
