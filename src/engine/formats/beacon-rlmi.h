/* beacon-rlmi.h — RLMI, resource list meta-information (RFC 4662)
 *
 * The root part of an event-list NOTIFY (multipart/related,
 * type="application/rlmi+xml") says which resources a list holds and, per
 * resource, which subscription instances exist and in which body part
 * (Content-ID) their state travels.
 *
 * Nested lists: a resource may itself be a list (RFC 4662 §5). Its
 * <instance cid="…"> then points at a part that is a multipart/related of
 * its own, whose root is another RLMI document. At this level such a
 * resource is a resource with an instance like any other; the caller that
 * splits the multipart body parses the nested part with
 * beacon_rlmi_parse() again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_RLMI_NAMESPACE     "urn:ietf:params:xml:ns:rlmi"
/* More resources than any buddy list has; bounds work on hostile input. */
#define BEACON_RLMI_MAX_RESOURCES 10000

typedef enum {
  BEACON_RLMI_STATE_ACTIVE,
  /* Also used for state values this code does not know and for an
   * instance without a state: neither may be shown as reachable. */
  BEACON_RLMI_STATE_PENDING,
  BEACON_RLMI_STATE_TERMINATED,
} BeaconRlmiState;

typedef struct {
  char *lang;  /* xml:lang (or the seed's `language`); NULL when absent */
  char *text;
} BeaconRlmiName;

typedef struct {
  char            *id;
  BeaconRlmiState  state;
  /* For terminated instances: deactivated, probation, rejected, timeout,
   * giveup, noresource or an extension; NULL when absent. */
  char            *reason;
  /* Content-ID of the body part with this instance's state, normalised
   * with beacon_rlmi_normalize_cid(); NULL when the instance has no part
   * (pending and terminated instances usually have none). */
  char            *cid;
} BeaconRlmiInstance;

typedef struct {
  char      *uri;
  char      *name;       /* text of the first <name>; NULL when none */
  GPtrArray *instances;  /* BeaconRlmiInstance; empty when the server has
                          * no subscription to it yet (Kamailio's first
                          * NOTIFY) */
} BeaconRlmiResource;

typedef struct {
  char      *uri;
  guint      version;
  gboolean   full_state;
  char      *cid;        /* optional list cid, normalised; NULL when absent */
  GPtrArray *names;      /* BeaconRlmiName */
  GPtrArray *resources;  /* BeaconRlmiResource */
} BeaconRlmi;

typedef enum {
  BEACON_RLMI_APPLY,             /* apply; a full-state document replaces everything */
  BEACON_RLMI_IGNORE_STALE,      /* an old or repeated partial document: drop it */
  BEACON_RLMI_NEED_RESUBSCRIBE,  /* a partial notification was missed: refresh
                                  * the SUBSCRIBE to get full state again */
} BeaconRlmiApply;

BeaconRlmiName     *beacon_rlmi_name_new      (const char *lang,
                                               const char *text);
void                beacon_rlmi_name_free     (BeaconRlmiName *name);

BeaconRlmiInstance *beacon_rlmi_instance_new  (const char      *id,
                                               BeaconRlmiState  state,
                                               const char      *reason,
                                               const char      *cid);
void                beacon_rlmi_instance_free (BeaconRlmiInstance *instance);

BeaconRlmiResource *beacon_rlmi_resource_new  (const char *uri,
                                               const char *name);
void                beacon_rlmi_resource_free (BeaconRlmiResource *resource);

BeaconRlmi         *beacon_rlmi_new           (const char *uri,
                                               guint       version,
                                               gboolean    full_state);
void                beacon_rlmi_free          (BeaconRlmi *rlmi);

/* Parses an RLMI document. Required: a <list> root (any namespace or none)
 * with uri, version (unsigned 32-bit) and fullState (true/false/1/0)
 * attributes; each <resource> needs a uri and each <instance> an id.
 * Returns NULL and sets @error (BEACON_FORMAT_ERROR) otherwise. */
BeaconRlmi         *beacon_rlmi_parse         (const char  *data,
                                               gsize        len,
                                               GError     **error);

/* Serialises @rlmi as an RLMI document (UTF-8, with XML declaration);
 * NULL strings are left out. For tests and fake servers. */
char               *beacon_rlmi_build         (const BeaconRlmi *rlmi,
                                               gsize            *len);

/* Decides what to do with a NOTIFY's RLMI given the version of the last
 * applied one (@have_last FALSE before the first):
 * - full state: always APPLY; it replaces everything, including a counter
 *   that went backwards (a new dialog starts counting again);
 * - partial with no full state seen yet: NEED_RESUBSCRIBE (nothing to merge
 *   into; RFC 4662 makes the first NOTIFY full state);
 * - partial, version <= last: IGNORE_STALE (a retransmission or reordering);
 * - partial, version == last + 1: APPLY;
 * - partial, version > last + 1: NEED_RESUBSCRIBE. A notification was lost,
 *   and merging the later partial one would leave a wrong picture. RFC 4662
 *   has the subscriber re-sync by refreshing its subscription, which makes
 *   the server send full state. */
BeaconRlmiApply     beacon_rlmi_check_version (guint             last_version,
                                               gboolean          have_last,
                                               const BeaconRlmi *rlmi);

/* One state for a resource: ACTIVE if any instance is active, else PENDING
 * if any is pending or there is no instance at all (the server has not got
 * the back-end subscription going yet), else TERMINATED. */
BeaconRlmiState     beacon_rlmi_resource_state (const BeaconRlmiResource *resource);

/* Normalises a Content-ID as found in a cid attribute or a Content-ID
 * header, so the two compare equal: white space (also inside, as in the
 * seed's `<nXYxAE@ ps.cintel.net.cn >`), enclosing <> and a "cid:" URL
 * prefix are removed, repeatedly. Returns NULL when nothing is left. */
char               *beacon_rlmi_normalize_cid (const char *raw);

const char         *beacon_rlmi_state_to_string (BeaconRlmiState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlmiName, beacon_rlmi_name_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlmiInstance, beacon_rlmi_instance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlmiResource, beacon_rlmi_resource_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlmi, beacon_rlmi_free)

G_END_DECLS
