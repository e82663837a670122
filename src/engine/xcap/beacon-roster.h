/* beacon-roster.h — the friends list and the authorisation rules of one
 * account, kept on the XCAP server (Kamailio's xcap_server), with a local
 * copy that shows at once and survives a server that is down
 *
 * The server holds three documents (see beacon-roster-docs.h); the first
 * beacon_roster_sync_async() creates whichever is missing. Friends are
 * added with an element PUT of their <entry> and removed with an element
 * DELETE; authorisation and the blacklist are read-modify-write of the
 * whole pres-rules document. Every write carries If-Match, and a 409/412
 * is resolved by re-reading the document and applying the same change
 * again (at most BEACON_ROSTER_MAX_TRIES times), never by overwriting.
 *
 * Each edit is queued (and saved in the cache directory) before it is
 * sent, and leaves the queue once the server has it. The lists the getters
 * return are the last good server copy with the queued edits applied, so
 * an edit shows at once. When the server cannot be reached (or refuses the
 * credentials) the edit stays queued, its _finish() reports the error
 * (BEACON_XCAP_ERROR_UNREACHABLE…, see beacon_xcap_error_is_transient()),
 * and the next beacon_roster_sync_async() — the account calls it whenever
 * it is registered again — sends the queue in order. Any other error (the
 * server refused the change) drops the edit, and the lists revert.
 *
 * BeaconRoster implements BeaconRosterStore (beacon-roster-store.h),
 * so it can be given to BeaconServerAccount as its "roster-store": load
 * is a sync (and falls back to the saved lists when the server is
 * unreachable), CONFIRM is an unblock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "formats/beacon-pres-rules.h"
#include "beacon-xcap-client.h"

G_BEGIN_DECLS

#define BEACON_ROSTER_MAX_TRIES 3

/* One friend, as the getters return it. */
typedef struct {
  char *uri;
  char *display_name;  /* NULL when none */
} BeaconRosterFriend;

void beacon_roster_friend_free (BeaconRosterFriend *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRosterFriend, beacon_roster_friend_free)

#define BEACON_TYPE_ROSTER (beacon_roster_get_type ())
G_DECLARE_FINAL_TYPE (BeaconRoster, beacon_roster, BEACON, ROSTER, GObject)

/* @cache_dir: where the local copy lives (one directory per account).
 * @service_uri: the RLS service URI the account subscribes to, NULL for
 * the default `sip:USER-list@DOMAIN`. The cache is read at once. */
BeaconRoster  *beacon_roster_new               (BeaconXcapClient    *client,
                                                const char          *cache_dir,
                                                const char          *service_uri);

/* The roster of account @aor on the XCAP server at @xcap_root, with digest
 * credentials @auth_user (NULL: the AOR's user part) and @password, cached
 * under @data_dir/roster. NULL with BEACON_XCAP_ERROR_INVALID_ARGUMENT when
 * @xcap_root is not an http(s) URI. */
BeaconRoster  *beacon_roster_new_for_account   (const char          *xcap_root,
                                                const char          *aor,
                                                const char          *auth_user,
                                                const char          *password,
                                                const char          *data_dir,
                                                const char          *service_uri,
                                                GError             **error);
BeaconXcapClient *beacon_roster_get_client     (BeaconRoster        *self);
const char    *beacon_roster_get_service_uri   (BeaconRoster        *self);

/* The friends (BeaconRosterFriend), in the server's order, queued edits
 * applied. */
GPtrArray     *beacon_roster_dup_friends       (BeaconRoster        *self);
/* The blacklist (block and polite-block), queued edits applied. */
char         **beacon_roster_dup_blocked       (BeaconRoster        *self);
/* The sub-handling the rules give @uri explicitly; FALSE when none does
 * (the server then asks the user: confirm). */
gboolean       beacon_roster_lookup_handling   (BeaconRoster        *self,
                                                const char          *uri,
                                                BeaconSubHandling   *out);
/* Edits not yet on the server. */
guint          beacon_roster_get_n_pending     (BeaconRoster        *self);
/* TRUE once the documents were read from the server in this session. */
gboolean       beacon_roster_get_synced        (BeaconRoster        *self);
/* What was damaged in the saved copy when the roster was made (it was
 * left out and moved aside; the server's copy replaces it), or NULL. */
const GError  *beacon_roster_get_cache_error   (BeaconRoster        *self);

/* Reads the documents, creates what is missing, then sends the queue. */
void           beacon_roster_sync_async        (BeaconRoster        *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       beacon_roster_sync_finish       (BeaconRoster        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Edits; each completes when the server has it or it failed (see above).
 * @cancellable only stops the wait: the edit itself stays queued. */
void           beacon_roster_add_async         (BeaconRoster        *self,
                                                const char          *uri,
                                                const char          *display_name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void           beacon_roster_remove_async      (BeaconRoster        *self,
                                                const char          *uri,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* ALLOW_AND_ADD also adds @uri as a friend. */
void           beacon_roster_authorize_async   (BeaconRoster        *self,
                                                const char          *uri,
                                                BeaconAuthorization  answer,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Takes @uri off the blacklist (the server asks the user again). */
void           beacon_roster_unblock_async     (BeaconRoster        *self,
                                                const char          *uri,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       beacon_roster_edit_finish       (BeaconRoster        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
