/* beacon-sip-presence-body.h — what a presence NOTIFY says about whom
 *
 * Turns the body of a NOTIFY for Event: presence into per-resource
 * updates, whatever its shape: a plain PIDF document (one buddy), or an
 * RLS event-list notification (RFC 4662: multipart/related with an RLMI
 * root and one PIDF part per active instance, found by Content-ID; nested
 * lists flattened). Pure: bytes in, plain structs out, no I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-rlmi.h"
#include "beacon-status.h"

G_BEGIN_DECLS

typedef struct {
  char               *uri;
  char               *display_name;   /* RLMI <name>; NULL when none */
  /* ACTIVE, PENDING (also: no instance yet), REJECTED, or NONE for another
   * termination (see @reason). For a plain PIDF body: ACTIVE. */
  BeaconSubscription  subscription;
  char               *reason;         /* RLMI termination reason; NULL when none */
  /* TRUE when a presence document came for it; @status and @note are
   * meaningful only then. */
  gboolean            has_presence;
  BeaconStatus        status;
  char               *note;
} BeaconSipPresenceUpdate;

typedef struct {
  gboolean    is_list;    /* an RLMI notification */
  BeaconRlmi *rlmi;       /* the root RLMI document (is_list only) */
  GPtrArray  *updates;    /* BeaconSipPresenceUpdate, document order */
} BeaconSipPresenceBody;

/* Parses a presence NOTIFY body. @content_type is the whole Content-Type
 * value (NULL or empty body: no update); @resource_uri names the resource
 * of a plain PIDF body (the subscribed URI: the PIDF entity may be spelt
 * differently, e.g. pres:). An RLMI part that cannot be read fails the
 * whole body; a broken PIDF part only loses its own update's presence.
 * Fails with BEACON_FORMAT_ERROR. */
BeaconSipPresenceBody *beacon_sip_presence_body_parse (const char  *content_type,
                                                       const char  *body,
                                                       gsize        len,
                                                       const char  *resource_uri,
                                                       GError     **error);
void                   beacon_sip_presence_body_free  (BeaconSipPresenceBody *body);

void                   beacon_sip_presence_update_free (BeaconSipPresenceUpdate *update);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipPresenceBody, beacon_sip_presence_body_free)

G_END_DECLS
