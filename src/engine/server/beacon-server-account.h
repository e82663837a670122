/* beacon-server-account.h — the server mode: a SIP account on a SIMPLE server
 *
 * REGISTERs with the presence server, PUBLISHes the user's status,
 * watches the buddy list through the server's resource list (or one
 * subscription per buddy when it has none), watches who asks to see the
 * user (presence.winfo) and exchanges MESSAGEs. List edits and
 * authorisation answers go to an optional BeaconRosterStore (the XCAP
 * client).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-account.h"
#include "beacon-roster-store.h"
#include "sip/beacon-sip-ua.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SERVER_ACCOUNT (beacon_server_account_get_type ())
G_DECLARE_FINAL_TYPE (BeaconServerAccount, beacon_server_account, BEACON, SERVER_ACCOUNT, BeaconAccount)

/* @auth_user NULL: the AOR's user part. @proxy: outbound proxy URI or
 * host:port (NULL: none). More settings are construct properties:
 * "bind-address", "list-uri" (default sip:<user>-list@<domain>),
 * "expires" (seconds asked for SUBSCRIBE and PUBLISH, default 3600) and
 * "roster-store". */
BeaconServerAccount *beacon_server_account_new (const char         *aor,
                                                const char         *auth_user,
                                                const char         *password,
                                                const char         *proxy,
                                                BeaconSipTransport  transport);

const char *beacon_server_account_get_list_uri       (BeaconServerAccount *self);
/* TRUE while the server's resource list serves the buddy list. */
gboolean    beacon_server_account_get_using_list     (BeaconServerAccount *self);

/* Testing aid: the server loses our publication while we keep @etag as
 * our entity-tag (as after a server restart); the next status change gets
 * a 412 and must recover with an initial PUBLISH. */
void        beacon_server_account_use_stale_etag     (BeaconServerAccount *self,
                                                      const char          *etag);

G_END_DECLS
