/* test-server-account.c — BeaconServerAccount without a server
 *
 * Settings, the roster-store hook, the blacklist, errors before and
 * without a server (a closed loopback port). The real protocol runs are
 * in tests/server/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-enums.h"
#include "server/beacon-server-account.h"

/* ---- a roster store that records calls ----------------------------------- */

#define TEST_TYPE_STORE (test_store_get_type ())
G_DECLARE_FINAL_TYPE (TestStore, test_store, TEST, STORE, GObject)

struct _TestStore
{
  GObject    parent_instance;
  GPtrArray *calls;  /* "add sip:x", "remove sip:x", "handling sip:x block" */
};

static void test_store_iface_init (BeaconRosterStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestStore, test_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_ROSTER_STORE, test_store_iface_init))

static void
record (TestStore           *self,
        char                *call,
        gpointer             tag,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_ptr_array_add (self->calls, call);
  g_task_return_boolean (task, TRUE);
}

static void
store_add_async (BeaconRosterStore   *store,
                 const char          *uri,
                 const char          *name,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  record (TEST_STORE (store), g_strdup_printf ("add %s %s", uri, name ? name : "-"),
          store_add_async, callback, user_data);
}

static void
store_remove_async (BeaconRosterStore   *store,
                    const char          *uri,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  record (TEST_STORE (store), g_strdup_printf ("remove %s", uri), store_remove_async,
          callback, user_data);
}

static void
store_set_handling_async (BeaconRosterStore   *store,
                          const char          *uri,
                          BeaconSubHandling    handling,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  record (TEST_STORE (store), g_strdup_printf ("handling %s %s", uri, beacon_sub_handling_to_string (handling)),
          store_set_handling_async, callback, user_data);
}

static gboolean
store_finish (BeaconRosterStore  *store,
              GAsyncResult       *result,
              GError            **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_store_iface_init (BeaconRosterStoreInterface *iface)
{
  /* load is left out on purpose: the default must say "not supported". */
  iface->add_async = store_add_async;
  iface->add_finish = store_finish;
  iface->remove_async = store_remove_async;
  iface->remove_finish = store_finish;
  iface->set_handling_async = store_set_handling_async;
  iface->set_handling_finish = store_finish;
}

static void
test_store_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_STORE (object)->calls);
  G_OBJECT_CLASS (test_store_parent_class)->finalize (object);
}

static void
test_store_class_init (TestStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_store_finalize;
}

static void
test_store_init (TestStore *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_free);
}

/* ---- helpers -------------------------------------------------------------- */

static void
spin_until (gboolean *flag,
            guint     seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
spin_calls (TestStore *store,
            guint      n)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (store->calls->len < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_settings (void)
{
  g_autoptr(BeaconServerAccount) account =
    beacon_server_account_new ("sip:alice@beacon.test", NULL, "pw", "127.0.0.1:5060",
                               BEACON_SIP_TRANSPORT_TCP);
  g_autoptr(BeaconServerAccount) custom =
    g_object_new (BEACON_TYPE_SERVER_ACCOUNT, "aor", "sip:bob@example.org",
                  "list-uri", "sip:friends@example.org", "expires", 600u, NULL);
  BeaconSipTransport transport;
  guint expires;

  g_assert_cmpstr (beacon_server_account_get_list_uri (account), ==, "sip:alice-list@beacon.test");
  g_object_get (account, "transport", &transport, "expires", &expires, NULL);
  g_assert_cmpint (transport, ==, BEACON_SIP_TRANSPORT_TCP);
  g_assert_cmpuint (expires, ==, 3600);
  g_assert_cmpstr (beacon_server_account_get_list_uri (custom), ==, "sip:friends@example.org");
  g_object_get (custom, "expires", &expires, NULL);
  g_assert_cmpuint (expires, ==, 600);
  g_assert_false (beacon_server_account_get_using_list (account));
  g_assert_cmpint (beacon_account_get_connection_state (BEACON_ACCOUNT (account)), ==,
                   BEACON_CONNECTION_OFFLINE);
}

static void
test_send_needs_connection (void)
{
  g_autoptr(BeaconServerAccount) account =
    beacon_server_account_new ("sip:alice@beacon.test", NULL, "pw", NULL, BEACON_SIP_TRANSPORT_UDP);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = beacon_account_send_message (BEACON_ACCOUNT (account), "sip:bob@beacon.test",
                                                     "hi", &error);

  g_assert_null (id);
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED);
  /* Not kept in the conversation either. */
  g_assert_cmpuint (g_list_model_get_n_items ((GListModel *) beacon_account_get_conversation (BEACON_ACCOUNT (account),
                                                                               "sip:bob@beacon.test")), ==, 0);
}

static void
test_roster_store_hook (void)
{
  g_autoptr(TestStore) store = g_object_new (TEST_TYPE_STORE, NULL);
  g_autoptr(BeaconServerAccount) account =
    g_object_new (BEACON_TYPE_SERVER_ACCOUNT, "aor", "sip:alice@beacon.test",
                  "roster-store", store, NULL);
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_account_add_buddy (base, "sip:bob@beacon.test", "Bob", &error));
  g_assert_no_error (error);
  g_assert_nonnull (beacon_buddy_list_lookup (beacon_account_get_buddies (base), "sip:bob@beacon.test"));
  g_assert_true (beacon_account_authorize (base, "sip:eve@beacon.test", BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_true (beacon_account_is_blocked (base, "sip:eve@beacon.test"));
  g_assert_true (beacon_account_unblock (base, "sip:eve@beacon.test", &error));
  g_assert_false (beacon_account_is_blocked (base, "sip:eve@beacon.test"));
  g_assert_true (beacon_account_authorize (base, "sip:carol@beacon.test", BEACON_AUTHORIZE_ALLOW, &error));
  g_assert_true (beacon_account_remove_buddy (base, "sip:bob@beacon.test", &error));
  g_assert_null (beacon_buddy_list_lookup (beacon_account_get_buddies (base), "sip:bob@beacon.test"));
  g_assert_no_error (error);

  spin_calls (store, 5);
  g_assert_cmpuint (store->calls->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (store->calls, 0), ==, "add sip:bob@beacon.test Bob");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 1), ==, "handling sip:eve@beacon.test block");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 2), ==, "handling sip:eve@beacon.test confirm");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 3), ==, "handling sip:carol@beacon.test allow");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 4), ==, "remove sip:bob@beacon.test");
}

/* Unblocking a friend allows them again (their view of us comes back);
 * anybody else is asked about again. A rename touches only the name. */
static void
test_unblock_friend_and_rename (void)
{
  g_autoptr(TestStore) store = g_object_new (TEST_TYPE_STORE, NULL);
  g_autoptr(BeaconServerAccount) account =
    g_object_new (BEACON_TYPE_SERVER_ACCOUNT, "aor", "sip:alice@beacon.test",
                  "roster-store", store, NULL);
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_account_add_buddy (base, "sip:bob@beacon.test", "Bob", &error));
  g_assert_true (beacon_account_authorize (base, "sip:bob@beacon.test", BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_true (beacon_account_unblock (base, "sip:bob@beacon.test", &error));
  g_assert_false (beacon_account_is_blocked (base, "sip:bob@beacon.test"));
  g_assert_true (beacon_account_rename_buddy (base, "sip:bob@beacon.test", "Robert", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (beacon_buddy_get_display_name (
                     beacon_buddy_list_lookup (beacon_account_get_buddies (base), "sip:bob@beacon.test")),
                   ==, "Robert");
  g_assert_false (beacon_account_rename_buddy (base, "sip:zoe@beacon.test", "Zoe", &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);

  spin_calls (store, 4);
  g_assert_cmpuint (store->calls->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (store->calls, 0), ==, "add sip:bob@beacon.test Bob");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 1), ==, "handling sip:bob@beacon.test block");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 2), ==, "handling sip:bob@beacon.test allow");
  g_assert_cmpstr (g_ptr_array_index (store->calls, 3), ==, "add sip:bob@beacon.test Robert");
}

static void
loaded (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GPtrArray) buddies = NULL;

  g_assert_false (beacon_roster_store_load_finish (BEACON_ROSTER_STORE (source), result,
                                                   &buddies, NULL, error));
  g_assert_null (buddies);
}

static void
test_roster_store_defaults (void)
{
  g_autoptr(TestStore) store = g_object_new (TEST_TYPE_STORE, NULL);
  g_autoptr(GError) error = NULL;

  beacon_roster_store_load_async (BEACON_ROSTER_STORE (store), NULL, loaded, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_no_store (void)
{
  g_autoptr(BeaconServerAccount) account =
    beacon_server_account_new ("sip:alice@beacon.test", NULL, "pw", NULL, BEACON_SIP_TRANSPORT_UDP);
  BeaconAccount *base = BEACON_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  /* Blocking still drops messages locally; allowing needs the server. */
  g_assert_true (beacon_account_authorize (base, "sip:eve@beacon.test", BEACON_AUTHORIZE_POLITE_BLOCK, &error));
  g_assert_no_error (error);
  g_assert_true (beacon_account_is_blocked (base, "sip:eve@beacon.test"));
  g_assert_false (beacon_account_authorize (base, "sip:carol@beacon.test", BEACON_AUTHORIZE_ALLOW, &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);
  /* Add and remove still keep the local list. */
  g_assert_true (beacon_account_add_buddy (base, "sip:bob@beacon.test", NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (beacon_account_get_buddies (base))), ==, 1);
}

static void
on_error (BeaconAccount  *account,
          const GError   *error,
          GError        **out)
{
  if (*out == NULL)
    *out = g_error_copy (error);
}

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL));
  *done = TRUE;
}

static void
test_invalid_aor (void)
{
  g_autoptr(BeaconServerAccount) account =
    beacon_server_account_new ("sip:nobody", NULL, "pw", NULL, BEACON_SIP_TRANSPORT_UDP);
  g_autoptr(GError) error = NULL;

  g_signal_connect (account, "error", G_CALLBACK (on_error), &error);
  beacon_account_start (BEACON_ACCOUNT (account));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);
  g_assert_cmpint (beacon_account_get_connection_state (BEACON_ACCOUNT (account)), ==,
                   BEACON_CONNECTION_FAILED);
}

/* A proxy port where nothing listens: REGISTER fails, the account says
 * "unreachable", keeps retrying, and still stops cleanly. */
static void
test_unreachable_proxy (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(BeaconServerAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy = NULL;
  gboolean done = FALSE;

  /* Take a free port, then close it: nothing listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  proxy = g_strdup_printf ("sip:127.0.0.1:%u;transport=tcp",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  account = g_object_new (BEACON_TYPE_SERVER_ACCOUNT, "aor", "sip:alice@beacon.test",
                          "password", "pw", "proxy", proxy,
                          "transport", BEACON_SIP_TRANSPORT_TCP, "bind-address", "127.0.0.1", NULL);
  g_signal_connect (account, "error", G_CALLBACK (on_error), &error);
  beacon_account_start (BEACON_ACCOUNT (account));
  while (error == NULL)
    {
      static gint64 end = 0;

      if (end == 0)
        end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_UNREACHABLE);
  g_assert_cmpint (beacon_account_get_connection_state (BEACON_ACCOUNT (account)), ==,
                   BEACON_CONNECTION_FAILED);

  beacon_account_stop_async (BEACON_ACCOUNT (account), NULL, on_stopped, &done);
  spin_until (&done, 15);
  g_assert_true (done);
  g_assert_cmpint (beacon_account_get_connection_state (BEACON_ACCOUNT (account)), ==,
                   BEACON_CONNECTION_OFFLINE);
}

/* An application that quits without stop_async(): dropping the last
 * reference shuts the stack down (bounded) without crash or leak. */
static void
test_drop_without_stop (void)
{
  BeaconServerAccount *account =
    g_object_new (BEACON_TYPE_SERVER_ACCOUNT, "aor", "sip:alice@beacon.test", "password", "pw",
                  "proxy", "127.0.0.1:9", "bind-address", "127.0.0.1", NULL);
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  beacon_account_start (BEACON_ACCOUNT (account));
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (account);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-account/settings", test_settings);
  g_test_add_func ("/server-account/send-needs-connection", test_send_needs_connection);
  g_test_add_func ("/server-account/roster-store-hook", test_roster_store_hook);
  g_test_add_func ("/server-account/unblock-friend-and-rename", test_unblock_friend_and_rename);
  g_test_add_func ("/server-account/roster-store-defaults", test_roster_store_defaults);
  g_test_add_func ("/server-account/no-store", test_no_store);
  g_test_add_func ("/server-account/invalid-aor", test_invalid_aor);
  g_test_add_func ("/server-account/unreachable-proxy", test_unreachable_proxy);
  g_test_add_func ("/server-account/drop-without-stop", test_drop_without_stop);

  return g_test_run ();
}
