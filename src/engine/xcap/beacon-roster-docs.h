/* beacon-roster-docs.h — the three XCAP documents BeaconRoster keeps on the
 * server, and what "bootstrapped" means for each
 *
 *   resource-lists/index  a top-level <list name="buddies">: the friends
 *   rls-services/index    a service (e.g. sip:alice-list@example.org) whose
 *                         <resource-list> is the buddies list, in the
 *                         http://host:port/xcap-root/… form Kamailio's rls
 *                         resolves locally
 *   pres-rules/index      a ruleset Kamailio accepts (every rule with
 *                         <cr:conditions>), empty at first
 *
 * Pure functions from bytes to bytes, no I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"

G_BEGIN_DECLS

#define BEACON_ROSTER_DOCUMENT  "index"
#define BEACON_ROSTER_LIST_NAME "buddies"

typedef enum {
  BEACON_ROSTER_DOC_LISTS,
  BEACON_ROSTER_DOC_RLS,
  BEACON_ROSTER_DOC_RULES,
  BEACON_ROSTER_N_DOCS
} BeaconRosterDoc;

/* What the bootstrap needs to know about the account. */
typedef struct {
  const char *xcap_root;
  const char *xui;
  const char *service_uri;
} BeaconRosterIdentity;

const char          *beacon_roster_doc_auid         (BeaconRosterDoc  doc);
/* A file name for the cache, e.g. "resource-lists.xml". */
const char          *beacon_roster_doc_file         (BeaconRosterDoc  doc);

/* FALSE and BEACON_XCAP_ERROR_BAD_DOCUMENT (naming the document) when
 * @data is not a readable document of that kind. */
gboolean             beacon_roster_doc_check        (BeaconRosterDoc  doc,
                                                     GBytes          *data,
                                                     GError         **error);

/* The document to PUT so that @doc serves the account, built from @current
 * (NULL: the server has none). NULL with no error when @current already
 * does; NULL with BAD_DOCUMENT when @current cannot be read. */
GBytes              *beacon_roster_doc_bootstrap    (BeaconRosterDoc              doc,
                                                     GBytes                      *current,
                                                     const BeaconRosterIdentity  *identity,
                                                     GError                     **error);

/* The default service URI for @xui: `sip:alice@example.org` gives
 * `sip:alice-list@example.org` (the seed's A-list form). */
char                *beacon_roster_default_service_uri (const char *xui);

/* Readers of cached or fetched bytes; NULL @data gives an empty document. */
BeaconResourceLists *beacon_roster_docs_read_lists  (GBytes  *data,
                                                     GError **error);
BeaconPresRules     *beacon_roster_docs_read_rules  (GBytes  *data,
                                                     GError **error);
/* The buddies list of @lists (top level), or NULL. */
BeaconResourceList  *beacon_roster_docs_buddies     (BeaconResourceLists *lists);

G_END_DECLS
