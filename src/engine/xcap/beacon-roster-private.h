/* beacon-roster-private.h — BeaconRoster's insides, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-roster.h"
#include "beacon-roster-docs.h"
#include "beacon-roster-edit.h"
#include "beacon-roster-store.h"

G_BEGIN_DECLS

typedef struct {
  BeaconRosterEdit *edit;
  GTask            *task;  /* the caller waiting, or NULL */
} Queued;

struct _BeaconRoster
{
  GObject           parent_instance;

  BeaconXcapClient *client;
  char             *cache_dir;
  char             *service_uri;
  GCancellable     *cancellable;   /* cancelled on dispose */

  GBytes           *docs[BEACON_ROSTER_N_DOCS];  /* last good server copies */
  GPtrArray        *queue;         /* Queued, oldest first */
  GPtrArray        *sync_waiters;  /* GTask */
  gboolean          fresh;         /* documents read in this session */
  gboolean          want_refresh;
  gboolean          running;
  GError           *cache_error;   /* what was damaged in the saved copy */
};

/* @data is now the server's document: keep it, in memory and on disk. */
void     beacon_roster_set_doc            (BeaconRoster               *self,
                                           BeaconRosterDoc             doc,
                                           GBytes                     *data);

/* beacon-roster-server.c; both finish with g_task_propagate_boolean(). */
/* Reads the three documents, creating what is missing. */
void     beacon_roster_refresh_async      (BeaconRoster               *self,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);
/* Writes @edit (pres-rules first, then the friends list). */
void     beacon_roster_run_edit_async     (BeaconRoster               *self,
                                           const BeaconRosterEdit     *edit,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);

/* TRUE when there is something to show without the server: a saved copy
 * of the friends list or queued edits. */
gboolean beacon_roster_has_local_copy     (BeaconRoster               *self);

void     beacon_roster_store_iface_init   (BeaconRosterStoreInterface *iface);

G_END_DECLS
