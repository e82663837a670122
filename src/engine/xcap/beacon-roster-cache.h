/* beacon-roster-cache.h — BeaconRoster's copy on disk: the last good
 * version of each document and the queue of edits not yet on the server
 *
 * Files in the cache directory (all written with g_file_set_contents(),
 * so a crash leaves the old or the new file, never half of one):
 *   account.ini          which XCAP root and user the files belong to
 *   resource-lists.xml   rls-services.xml   pres-rules.xml
 *   queue.ini            the queued edits, oldest first
 * Files of another account are ignored. A damaged file is moved aside
 * (NAME.corrupt) and left out, and the load says so (see :damaged).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-roster-docs.h"

G_BEGIN_DECLS

typedef struct {
  GBytes    *docs[BEACON_ROSTER_N_DOCS];  /* NULL when not cached */
  GPtrArray *edits;                       /* BeaconRosterEdit */
  /* BEACON_XCAP_ERROR_BAD_DOCUMENT naming what was damaged and left out
   * (copies are fetched again; queued edits are lost), or NULL. */
  GError    *damaged;
} BeaconRosterCache;

/* Never fails: whatever cannot be used is left out (see :damaged). */
BeaconRosterCache *beacon_roster_cache_load       (const char        *dir,
                                                   const char        *xcap_root,
                                                   const char        *xui);
void               beacon_roster_cache_free       (BeaconRosterCache *cache);

/* Records the account the directory belongs to (creating it, mode 0700). */
gboolean           beacon_roster_cache_save_account (const char      *dir,
                                                     const char      *xcap_root,
                                                     const char      *xui,
                                                     GError         **error);
gboolean           beacon_roster_cache_save_doc   (const char        *dir,
                                                   BeaconRosterDoc    doc,
                                                   GBytes            *data,
                                                   GError           **error);
gboolean           beacon_roster_cache_save_edits (const char        *dir,
                                                   GPtrArray         *edits,
                                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRosterCache, beacon_roster_cache_free)

G_END_DECLS
