/* beacon-roster-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-roster-store.h"

G_DEFINE_INTERFACE (BeaconRosterStore, beacon_roster_store, G_TYPE_OBJECT)

static void
beacon_roster_store_default_init (BeaconRosterStoreInterface *iface)
{
}

static void
not_supported (gpointer             self,
               gpointer             tag,
               const char          *what,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, tag, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "This roster store cannot %s", what);
}

static gboolean
finish_fallback (gpointer       self,
                 GAsyncResult  *result,
                 GError       **error)
{
  /* Only reached for results of not_supported(). */
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
beacon_roster_store_load_async (BeaconRosterStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  BeaconRosterStoreInterface *iface;

  g_return_if_fail (BEACON_IS_ROSTER_STORE (self));
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (iface->load_async == NULL)
    not_supported (self, beacon_roster_store_load_async, "load lists", callback, user_data);
  else
    iface->load_async (self, cancellable, callback, user_data);
}

gboolean
beacon_roster_store_load_finish (BeaconRosterStore  *self,
                                 GAsyncResult       *result,
                                 GPtrArray         **buddies,
                                 GStrv              *blocked,
                                 GError            **error)
{
  BeaconRosterStoreInterface *iface;

  g_return_val_if_fail (BEACON_IS_ROSTER_STORE (self), FALSE);
  if (buddies != NULL)
    *buddies = NULL;
  if (blocked != NULL)
    *blocked = NULL;
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (g_async_result_is_tagged (result, beacon_roster_store_load_async) || iface->load_finish == NULL)
    return finish_fallback (self, result, error);
  return iface->load_finish (self, result, buddies, blocked, error);
}

void
beacon_roster_store_add_async (BeaconRosterStore   *self,
                               const char          *uri,
                               const char          *display_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  BeaconRosterStoreInterface *iface;

  g_return_if_fail (BEACON_IS_ROSTER_STORE (self));
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (iface->add_async == NULL)
    not_supported (self, beacon_roster_store_add_async, "add buddies", callback, user_data);
  else
    iface->add_async (self, uri, display_name, cancellable, callback, user_data);
}

gboolean
beacon_roster_store_add_finish (BeaconRosterStore  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  BeaconRosterStoreInterface *iface;

  g_return_val_if_fail (BEACON_IS_ROSTER_STORE (self), FALSE);
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (g_async_result_is_tagged (result, beacon_roster_store_add_async) || iface->add_finish == NULL)
    return finish_fallback (self, result, error);
  return iface->add_finish (self, result, error);
}

void
beacon_roster_store_remove_async (BeaconRosterStore   *self,
                                  const char          *uri,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  BeaconRosterStoreInterface *iface;

  g_return_if_fail (BEACON_IS_ROSTER_STORE (self));
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (iface->remove_async == NULL)
    not_supported (self, beacon_roster_store_remove_async, "remove buddies", callback, user_data);
  else
    iface->remove_async (self, uri, cancellable, callback, user_data);
}

gboolean
beacon_roster_store_remove_finish (BeaconRosterStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  BeaconRosterStoreInterface *iface;

  g_return_val_if_fail (BEACON_IS_ROSTER_STORE (self), FALSE);
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (g_async_result_is_tagged (result, beacon_roster_store_remove_async) || iface->remove_finish == NULL)
    return finish_fallback (self, result, error);
  return iface->remove_finish (self, result, error);
}

void
beacon_roster_store_set_handling_async (BeaconRosterStore   *self,
                                        const char          *uri,
                                        BeaconSubHandling    handling,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  BeaconRosterStoreInterface *iface;

  g_return_if_fail (BEACON_IS_ROSTER_STORE (self));
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (iface->set_handling_async == NULL)
    not_supported (self, beacon_roster_store_set_handling_async, "store authorisations",
                   callback, user_data);
  else
    iface->set_handling_async (self, uri, handling, cancellable, callback, user_data);
}

gboolean
beacon_roster_store_set_handling_finish (BeaconRosterStore  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  BeaconRosterStoreInterface *iface;

  g_return_val_if_fail (BEACON_IS_ROSTER_STORE (self), FALSE);
  iface = BEACON_ROSTER_STORE_GET_IFACE (self);
  if (g_async_result_is_tagged (result, beacon_roster_store_set_handling_async) ||
      iface->set_handling_finish == NULL)
    return finish_fallback (self, result, error);
  return iface->set_handling_finish (self, result, error);
}
