/* lan-test-util.c — LAN accounts on 127.0.0.1 in one process, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-test-util.h"

#include <glib/gstdio.h>

#include "beacon-enums.h"

static void
on_watcher (BeaconAccount *account,
            const char    *uri,
            const char    *status,
            LanPeer       *peer)
{
  g_ptr_array_add (peer->watchers, g_strdup_printf ("%s %s", uri, status));
}

static void
on_error (BeaconAccount *account,
          const GError  *error,
          LanPeer       *peer)
{
  g_test_message ("error: %s", error->message);
  g_ptr_array_add (peer->errors, g_strdup (error->message));
}

static void
on_message (BeaconAccount *account,
            const char    *from,
            const char    *text,
            LanPeer       *peer)
{
  g_ptr_array_add (peer->received, g_strdup_printf ("%s|%s", from, text));
}

static void
on_state (BeaconAccount      *account,
          const char         *to,
          const char         *id,
          BeaconMessageState  state,
          guint               code,
          LanPeer            *peer)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (BEACON_TYPE_MESSAGE_STATE);

  g_ptr_array_add (peer->states, g_strdup_printf ("%s %s %u", id,
                                                  g_enum_get_value (klass, state)->value_nick,
                                                  code));
}

static void
on_peer (BeaconLanAccount *account,
         const char       *uri,
         const char       *name,
         const char       *address,
         gboolean          appeared,
         LanPeer          *peer)
{
  g_ptr_array_add (peer->peers, g_strdup_printf ("%s %s %s", uri, address,
                                                 appeared ? "appeared" : "vanished"));
}

void
lan_test_run (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

gboolean
lan_test_wait (gboolean (*cond) (gpointer),
               gpointer   data)
{
  gint64 end = g_get_monotonic_time () + LAN_TEST_WAIT_S * G_USEC_PER_SEC;

  while (!cond (data) && g_get_monotonic_time () < end)
    lan_test_run (10);
  return cond (data);
}

LanPeer *
lan_peer_new (const char *name,
              const char *dir,
              guint       expires)
{
  return lan_peer_new_with_history (name, dir, expires, NULL);
}

LanPeer *
lan_peer_new_with_history (const char    *name,
                           const char    *dir,
                           guint          expires,
                           BeaconHistory *history)
{
  LanPeer *peer = g_new0 (LanPeer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *aor = g_strdup_printf ("sip:%s@test.lan", name);

  if (dir != NULL)
    peer->dir = g_strdup (dir);
  else
    {
      g_autofree char *template = g_strdup_printf ("beacon-lan-%s-XXXXXX", name);

      peer->dir = g_dir_make_tmp (template, &error);
      g_assert_no_error (error);
      peer->owns_dir = TRUE;
    }
  peer->discovery = fake_discovery_new ();
  peer->account = g_object_new (BEACON_TYPE_LAN_ACCOUNT,
                                "aor", aor,
                                "name", name,
                                "config-dir", peer->dir,
                                "discovery", peer->discovery,
                                "bind-address", "127.0.0.1",
                                "expires", expires ? expires : 600,
                                "history", history,
                                NULL);
  peer->watchers = g_ptr_array_new_with_free_func (g_free);
  peer->errors = g_ptr_array_new_with_free_func (g_free);
  peer->received = g_ptr_array_new_with_free_func (g_free);
  peer->states = g_ptr_array_new_with_free_func (g_free);
  peer->peers = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (peer->account, "watcher", G_CALLBACK (on_watcher), peer);
  g_signal_connect (peer->account, "error", G_CALLBACK (on_error), peer);
  g_signal_connect (peer->account, "message-received", G_CALLBACK (on_message), peer);
  g_signal_connect (peer->account, "message-state", G_CALLBACK (on_state), peer);
  g_signal_connect (peer->account, "peer", G_CALLBACK (on_peer), peer);
  beacon_account_start (BEACON_ACCOUNT (peer->account));
  g_assert_cmpint (beacon_account_get_connection_state (BEACON_ACCOUNT (peer->account)), ==,
                   BEACON_CONNECTION_ONLINE);
  g_assert_cmpuint (beacon_lan_account_get_port (peer->account), >, 0);
  g_assert_true (fake_discovery_is_running (peer->discovery));
  g_assert_cmpuint (fake_discovery_get_port (peer->discovery), ==,
                    beacon_lan_account_get_port (peer->account));
  return peer;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_account_stop_finish (BEACON_ACCOUNT (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

void
lan_peer_free (LanPeer *peer)
{
  gboolean done = FALSE;

  if (peer == NULL)
    return;
  beacon_account_stop_async (BEACON_ACCOUNT (peer->account), NULL, stopped_cb, &done);
  LAN_WAIT_FOR (done);
  g_signal_handlers_disconnect_by_data (peer->account, peer);
  g_clear_object (&peer->account);
  g_clear_object (&peer->discovery);
  if (peer->owns_dir)
    remove_tree (peer->dir);
  g_free (peer->dir);
  g_ptr_array_unref (peer->watchers);
  g_ptr_array_unref (peer->errors);
  g_ptr_array_unref (peer->received);
  g_ptr_array_unref (peer->states);
  g_ptr_array_unref (peer->peers);
  g_free (peer);
}

BeaconAccount *
lan_peer_account (LanPeer *peer)
{
  return BEACON_ACCOUNT (peer->account);
}

const char *
lan_peer_aor (LanPeer *peer)
{
  return beacon_account_get_aor (BEACON_ACCOUNT (peer->account));
}

void
lan_peer_show (LanPeer *a,
               LanPeer *b)
{
  fake_discovery_show (a->discovery, b->discovery, "127.0.0.1");
}

void
lan_peer_hide (LanPeer *a,
               LanPeer *b)
{
  fake_discovery_hide (a->discovery, b->discovery);
}

BeaconBuddy *
lan_peer_buddy (LanPeer *a,
                LanPeer *b)
{
  return beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (a->account)),
                                   lan_peer_aor (b));
}

void
lan_peer_befriend (LanPeer *a,
                   LanPeer *b)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_account_add_buddy (lan_peer_account (a), lan_peer_aor (b), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (beacon_account_add_buddy (lan_peer_account (b), lan_peer_aor (a), NULL, &error));
  g_assert_no_error (error);
  lan_peer_show (a, b);
  lan_peer_show (b, a);
  LAN_WAIT_FOR (BUDDY_IS (a, b, beacon_account_get_status (lan_peer_account (b)),
                          BEACON_SUBSCRIPTION_ACTIVE) &&
                BUDDY_IS (b, a, beacon_account_get_status (lan_peer_account (a)),
                          BEACON_SUBSCRIPTION_ACTIVE));
}

gboolean
lan_peer_has_line (GPtrArray  *lines,
                   const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_strcmp0 (lines->pdata[i], line) == 0)
      return TRUE;
  return FALSE;
}
