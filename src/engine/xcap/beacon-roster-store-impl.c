/* beacon-roster-store-impl.c — BeaconRoster as the BeaconRosterStore the
 * server account (src/engine/beacon-roster-store.h) keeps its lists in
 *
 * load = sync (bootstrap, send the queue) and the lists; the account loads
 * on every registration, which is when the queue should be replayed. When
 * the XCAP server cannot be reached but a saved copy exists, load still
 * succeeds with the saved lists, so a server outage does not empty them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-roster-private.h"

#include "beacon-buddy.h"

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconRoster *self = BEACON_ROSTER (source);
  g_autoptr(GError) error = NULL;

  if (beacon_roster_sync_finish (self, result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (beacon_xcap_error_is_transient (error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      beacon_roster_has_local_copy (self))
    {
      g_message ("Using the saved friends list: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
store_load_async (BeaconRosterStore   *store,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, store_load_async);
  beacon_roster_sync_async (BEACON_ROSTER (store), cancellable, on_synced, task);
}

static gboolean
store_load_finish (BeaconRosterStore  *store,
                   GAsyncResult       *result,
                   GPtrArray         **buddies,
                   GStrv              *blocked,
                   GError            **error)
{
  BeaconRoster *self = BEACON_ROSTER (store);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (buddies != NULL)
    {
      g_autoptr(GPtrArray) friends = beacon_roster_dup_friends (self);

      *buddies = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < friends->len; i++)
        {
          BeaconRosterFriend *item = g_ptr_array_index (friends, i);
          g_ptr_array_add (*buddies, beacon_buddy_new (item->uri, item->display_name));
        }
    }
  if (blocked != NULL)
    *blocked = beacon_roster_dup_blocked (self);
  return TRUE;
}

static void
store_add_async (BeaconRosterStore   *store,
                 const char          *uri,
                 const char          *display_name,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  beacon_roster_add_async (BEACON_ROSTER (store), uri, display_name, cancellable, callback, user_data);
}

static void
store_remove_async (BeaconRosterStore   *store,
                    const char          *uri,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  beacon_roster_remove_async (BEACON_ROSTER (store), uri, cancellable, callback, user_data);
}

static void
store_set_handling_async (BeaconRosterStore   *store,
                          const char          *uri,
                          BeaconSubHandling    handling,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  BeaconRoster *self = BEACON_ROSTER (store);

  switch (handling)
    {
    case BEACON_SUB_HANDLING_ALLOW:
      beacon_roster_authorize_async (self, uri, BEACON_AUTHORIZE_ALLOW, cancellable, callback, user_data);
      break;
    case BEACON_SUB_HANDLING_BLOCK:
      beacon_roster_authorize_async (self, uri, BEACON_AUTHORIZE_BLOCK, cancellable, callback, user_data);
      break;
    case BEACON_SUB_HANDLING_POLITE_BLOCK:
      beacon_roster_authorize_async (self, uri, BEACON_AUTHORIZE_POLITE_BLOCK, cancellable,
                                     callback, user_data);
      break;
    case BEACON_SUB_HANDLING_CONFIRM:
    default:
      beacon_roster_unblock_async (self, uri, cancellable, callback, user_data);
      break;
    }
}

static gboolean
store_edit_finish (BeaconRosterStore  *store,
                   GAsyncResult       *result,
                   GError            **error)
{
  return beacon_roster_edit_finish (BEACON_ROSTER (store), result, error);
}

void
beacon_roster_store_iface_init (BeaconRosterStoreInterface *iface)
{
  iface->load_async = store_load_async;
  iface->load_finish = store_load_finish;
  iface->add_async = store_add_async;
  iface->add_finish = store_edit_finish;
  iface->remove_async = store_remove_async;
  iface->remove_finish = store_edit_finish;
  iface->set_handling_async = store_set_handling_async;
  iface->set_handling_finish = store_edit_finish;
}
