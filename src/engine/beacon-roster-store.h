/* beacon-roster-store.h — where the server account keeps its lists
 *
 * The server mode's buddy list and authorisation rules live on the server
 * (XCAP: resource-lists, rls-services and pres-rules documents). The
 * server account does not edit them itself: it calls an object
 * implementing this interface (the XCAP client), plugged in by whoever
 * creates the account. Without one, add/remove only change the local list
 * and the subscriptions, and authorisation answers cannot be stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "formats/beacon-pres-rules.h"

G_BEGIN_DECLS

#define BEACON_TYPE_ROSTER_STORE (beacon_roster_store_get_type ())
G_DECLARE_INTERFACE (BeaconRosterStore, beacon_roster_store, BEACON, ROSTER_STORE, GObject)

struct _BeaconRosterStoreInterface
{
  GTypeInterface parent_iface;

  /* Reads the stored lists: buddies (BeaconBuddy with uri and display
   * name) and blocked URIs. Optional. */
  void     (*load_async)         (BeaconRosterStore     *self,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data);
  gboolean (*load_finish)        (BeaconRosterStore     *self,
                                  GAsyncResult          *result,
                                  GPtrArray            **buddies,
                                  GStrv                 *blocked,
                                  GError               **error);
  /* Adds @uri to the buddy list (and so to the RLS list). */
  void     (*add_async)          (BeaconRosterStore     *self,
                                  const char            *uri,
                                  const char            *display_name,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data);
  gboolean (*add_finish)         (BeaconRosterStore     *self,
                                  GAsyncResult          *result,
                                  GError               **error);
  void     (*remove_async)       (BeaconRosterStore     *self,
                                  const char            *uri,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data);
  gboolean (*remove_finish)      (BeaconRosterStore     *self,
                                  GAsyncResult          *result,
                                  GError               **error);
  /* Stores the pres-rules decision for watcher @uri (CONFIRM: no
   * decision, ask me again). */
  void     (*set_handling_async) (BeaconRosterStore     *self,
                                  const char            *uri,
                                  BeaconSubHandling      handling,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data);
  gboolean (*set_handling_finish)(BeaconRosterStore     *self,
                                  GAsyncResult          *result,
                                  GError               **error);
};

/* Each fails with G_IO_ERROR_NOT_SUPPORTED when the implementation lacks
 * the method. */
void     beacon_roster_store_load_async          (BeaconRosterStore     *self,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
/* @buddies: (out) (transfer full) GPtrArray of BeaconBuddy;
 * @blocked: (out) (transfer full) NULL-terminated URIs. Both may be NULL. */
gboolean beacon_roster_store_load_finish         (BeaconRosterStore     *self,
                                                  GAsyncResult          *result,
                                                  GPtrArray            **buddies,
                                                  GStrv                 *blocked,
                                                  GError               **error);
void     beacon_roster_store_add_async           (BeaconRosterStore     *self,
                                                  const char            *uri,
                                                  const char            *display_name,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean beacon_roster_store_add_finish          (BeaconRosterStore     *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);
void     beacon_roster_store_remove_async        (BeaconRosterStore     *self,
                                                  const char            *uri,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean beacon_roster_store_remove_finish       (BeaconRosterStore     *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);
void     beacon_roster_store_set_handling_async  (BeaconRosterStore     *self,
                                                  const char            *uri,
                                                  BeaconSubHandling      handling,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean beacon_roster_store_set_handling_finish (BeaconRosterStore     *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);

G_END_DECLS
