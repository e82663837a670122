/* beacon-roster-edit.h — one change the user made to the friends list or
 * the authorisation rules, as BeaconRoster queues it
 *
 * An edit is kept (and saved to disk) until the server has it, so it is
 * plain data; applying it to a document is idempotent, which is what makes
 * "re-read and re-apply" after a 409/412 and a replay after a restart safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"

G_BEGIN_DECLS

typedef enum {
  BEACON_ROSTER_EDIT_ADD,        /* add (or rename) a friend */
  BEACON_ROSTER_EDIT_REMOVE,     /* remove a friend */
  BEACON_ROSTER_EDIT_AUTHORIZE,  /* answer a watcher: allow, allow-and-add, block, polite-block */
  BEACON_ROSTER_EDIT_UNBLOCK,    /* take a watcher off the blacklist */
} BeaconRosterEditKind;

typedef struct {
  BeaconRosterEditKind  kind;
  char                 *uri;
  char                 *display_name;  /* ADD only, may be NULL */
  BeaconAuthorization   answer;        /* AUTHORIZE only */
} BeaconRosterEdit;

BeaconRosterEdit  *beacon_roster_edit_new          (BeaconRosterEditKind  kind,
                                                    const char           *uri,
                                                    const char           *display_name,
                                                    BeaconAuthorization   answer);
void               beacon_roster_edit_free         (BeaconRosterEdit     *edit);

/* TRUE when @edit changes the friends list (ADD, REMOVE, ALLOW_AND_ADD). */
gboolean           beacon_roster_edit_touches_list  (const BeaconRosterEdit *edit);
/* TRUE when @edit changes the pres-rules (AUTHORIZE, UNBLOCK). */
gboolean           beacon_roster_edit_touches_rules (const BeaconRosterEdit *edit);

/* Apply @edit to a copy of the document; TRUE when that changed it (FALSE:
 * the document already says what the edit wants). */
gboolean           beacon_roster_edit_apply_list   (const BeaconRosterEdit *edit,
                                                    BeaconResourceList     *buddies);
gboolean           beacon_roster_edit_apply_rules  (const BeaconRosterEdit *edit,
                                                    BeaconPresRules        *rules);

/* The queue file: a GKeyFile with one group per edit, in order. */
char              *beacon_roster_edits_serialize   (GPtrArray   *edits,
                                                    gsize       *len);
/* BeaconRosterEdit array; unknown or damaged groups are skipped. */
GPtrArray         *beacon_roster_edits_parse       (const char  *data,
                                                    gsize        len,
                                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRosterEdit, beacon_roster_edit_free)

G_END_DECLS
