/* beacon-pidf.h — presence documents: PIDF (RFC 3863), RPID (RFC 4480)
 * and the seed's <im> status extension
 *
 * The body of presence PUBLISHes and NOTIFYs. Parsing keeps what the
 * peers put in (per tuple and per person); beacon_pidf_summarize() turns
 * that into the one status and note the user sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-status.h"

G_BEGIN_DECLS

#define BEACON_PIDF_NAMESPACE      "urn:ietf:params:xml:ns:pidf"
/* Namespace of <im:im> in RFC 3863's own example; the seed writes its
 * <im> in the PIDF namespace instead. Both are read (local names). */
#define BEACON_PIDF_IM_NAMESPACE   "urn:ietf:params:xml:ns:pidf:im"
#define BEACON_PIDF_DM_NAMESPACE   "urn:ietf:params:xml:ns:pidf:data-model"
#define BEACON_PIDF_RPID_NAMESPACE "urn:ietf:params:xml:ns:pidf:rpid"

typedef enum {
  BEACON_PIDF_BASIC_UNKNOWN,  /* <basic> absent or neither open nor closed */
  BEACON_PIDF_BASIC_OPEN,
  BEACON_PIDF_BASIC_CLOSED,
} BeaconPidfBasic;

/* One <tuple> (a service, usually one device of the presentity). */
typedef struct {
  char            *id;          /* NULL when absent */
  BeaconPidfBasic  basic;
  /* Trimmed text of the seed's <im> in <status> ("online", "busy", ...),
   * not checked against any list; NULL when absent. */
  char            *im;
  /* Trimmed text of Blink's <agp-pidf:extended> in <status> (available,
   * away, extended-away, busy, offline); NULL when absent. */
  char            *extended;
  char            *contact;     /* <contact> URI, trimmed; NULL when absent */
  double           priority;    /* <contact priority>, 0..1; -1 when absent or invalid */
  GPtrArray       *notes;       /* char *, the tuple's <note>s in document order */
  /* RPID activity names found inside the tuple (old RPID drafts put
   * <activities> in <status>), as for BeaconPidf.activities. */
  GPtrArray       *activities;
  char            *timestamp;   /* <timestamp> text as sent; NULL when absent */
} BeaconPidfTuple;

typedef struct {
  char      *entity;            /* presentity URI; NULL when absent */
  GPtrArray *tuples;            /* BeaconPidfTuple */
  GPtrArray *notes;             /* char *, <presence>-level <note>s */
  /* Local names of the RPID activities of every <dm:person> ("away",
   * "on-the-phone", "meeting", ...), in document order; "unknown" and the
   * activities' own <note>s are left out. Several persons happen when a
   * server (Kamailio) merges the documents of several devices. */
  GPtrArray *activities;
  /* The first note of a person: its <dm:note>, else an <rpid:note> inside
   * its <activities>; NULL when no person has one. */
  char      *person_note;
} BeaconPidf;

BeaconPidfTuple *beacon_pidf_tuple_new   (const char      *id,
                                          BeaconPidfBasic  basic);
void             beacon_pidf_tuple_free  (BeaconPidfTuple *tuple);

BeaconPidf      *beacon_pidf_new         (const char      *entity);
void             beacon_pidf_free        (BeaconPidf      *pidf);

/* TRUE when @data is zero-length or only white space: Kamailio's NOTIFY
 * for a politely blocked watcher. Callers treat that as "offline, hidden"
 * instead of passing it to beacon_pidf_parse(), which refuses it. */
gboolean         beacon_pidf_body_is_empty (const char *data,
                                            gsize       len);

/* Parses a presence document. Requires a <presence> root (namespace not
 * checked); everything else is optional: a missing entity gives NULL, a
 * bad <basic> gives BASIC_UNKNOWN, a bad priority gives -1. Known damage
 * from the seed (`<?xmlversion=`, `<contactpriority="1.0">`, glued
 * attributes) is repaired first; a document that is otherwise damaged but
 * complete (ends with its </presence>) is read in libxml2's recovery mode.
 * Returns NULL and sets @error (BEACON_FORMAT_ERROR): MISSING for an empty
 * body, WRONG_DOCUMENT for another root, and the codes of
 * beacon_xml_parse() (MALFORMED, FORBIDDEN, TOO_LARGE, TOO_DEEP). All
 * strings handed out are trimmed, valid UTF-8 and never empty (NULL
 * instead). */
BeaconPidf      *beacon_pidf_parse       (const char  *data,
                                          gsize        len,
                                          GError     **error);

/* The status and note the user sees for @pidf. Precedence:
 *
 * 1. A tuple counts when its <basic> is open, or when <basic> is missing
 *    or invalid but its <im>/<extended> names online, away or busy. No
 *    counting tuple: OFFLINE (this includes "no tuples at all").
 * 2. A counting tuple's status is, first match wins:
 *    a. its <im> when that is online, away, busy or offline (case and
 *       surrounding space ignored; "offline" on an open tuple is the
 *       seed's "appear offline" and gives OFFLINE), else Blink's
 *       <extended> (available → online, away and extended-away → away,
 *       busy, offline);
 *    b. RPID activities in the tuple, then those of the persons: any of
 *       busy, on-the-phone, meeting, appointment, performance,
 *       presentation, worship → BUSY (present, but do not disturb); else
 *       any of away, vacation, holiday, sleeping, steering, in-transit,
 *       travel, meal, breakfast, lunch, dinner, shopping,
 *       permanent-absence → AWAY (not at the device); other activities
 *       (working, playing, tv, ...) say nothing about reachability;
 *    c. ONLINE.
 * 3. Several counting tuples: the one with the highest contact priority
 *    (absent counts as lowest), as that is where the presentity wants to
 *    be reached; on a tie the most reachable, ONLINE > BUSY > AWAY >
 *    OFFLINE (the order the buddy list sorts by: a busy friend can still
 *    read a message, an away one probably later); then document order.
 *
 * @note gets the person note, else the first note of the chosen tuple
 * (when no tuple counts: of the first tuple that has one), else the first
 * <presence>-level note; NULL when there is none. Free with g_free(). */
void             beacon_pidf_summarize   (const BeaconPidf *pidf,
                                          BeaconStatus     *status,
                                          char            **note);

/* Builds a document that Beacon, the seed's server, Kamailio, Linphone,
 * Jitsi and Blink all read: one <tuple> with <basic> (closed for OFFLINE,
 * else open) and <im:im> carrying the status (in RFC 3863's im namespace,
 * so that schema-validating peers accept it), the optional <contact> and
 * <note>, then a <dm:person> with <rpid:activities> (<rpid:busy/> for
 * BUSY, <rpid:away/> for AWAY) and the note as <dm:note>. No timestamp:
 * the output depends only on the arguments. Tuple and person ids are
 * derived from @entity and @contact, so one device keeps its ids across
 * publications. The strings are made valid UTF-8, stripped of characters
 * XML cannot carry and trimmed, as the parser would hand them out; a blank
 * @note is no note. @note and @contact may be NULL. Returns UTF-8 XML;
 * @len (may be NULL) gets its length. */
char            *beacon_pidf_build       (const char   *entity,
                                          BeaconStatus  status,
                                          const char   *note,
                                          const char   *contact,
                                          gsize        *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPidfTuple, beacon_pidf_tuple_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPidf, beacon_pidf_free)

G_END_DECLS
