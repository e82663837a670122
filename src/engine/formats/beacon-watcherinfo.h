/* beacon-watcherinfo.h — watcher information (RFC 3858)
 *
 * The body of presence.winfo NOTIFYs: who subscribes to my presence and in
 * which state, so the user can answer pending requests. Plus
 * BeaconWatcherSet, which folds full and partial documents into one
 * current picture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_WATCHERINFO_NAMESPACE    "urn:ietf:params:xml:ns:watcherinfo"
/* Far more watchers than one user has; bounds work on hostile input. */
#define BEACON_WATCHERINFO_MAX_WATCHERS 10000

typedef enum {
  BEACON_WATCHER_STATUS_PENDING,
  BEACON_WATCHER_STATUS_ACTIVE,
  BEACON_WATCHER_STATUS_WAITING,
  BEACON_WATCHER_STATUS_TERMINATED,
} BeaconWatcherStatus;

/* What last happened to the subscription. RFC 3858 lets new events be
 * defined, so a value this code does not know is OTHER, not an error. */
typedef enum {
  BEACON_WATCHER_EVENT_SUBSCRIBE,
  BEACON_WATCHER_EVENT_APPROVED,
  BEACON_WATCHER_EVENT_DEACTIVATED,
  BEACON_WATCHER_EVENT_PROBATION,
  BEACON_WATCHER_EVENT_REJECTED,
  BEACON_WATCHER_EVENT_TIMEOUT,
  BEACON_WATCHER_EVENT_GIVEUP,
  BEACON_WATCHER_EVENT_NORESOURCE,
  BEACON_WATCHER_EVENT_OTHER,
} BeaconWatcherEvent;

typedef struct {
  char                *id;
  char                *uri;           /* element text, trimmed */
  char                *display_name;  /* display-name attribute; NULL when absent */
  BeaconWatcherStatus  status;
  BeaconWatcherEvent   event;
  /* Seconds; 0 when absent. Informative only, so a malformed value is read
   * as absent instead of failing the document. */
  guint                duration_subscribed;
  guint                expiration;
} BeaconWatcher;

typedef struct {
  char      *resource;  /* the watched resource (my AOR) */
  char      *package;   /* event package, normally "presence"; NULL when absent */
  GPtrArray *watchers;  /* BeaconWatcher */
} BeaconWatcherList;

typedef struct {
  guint      version;
  gboolean   full;      /* state="full"; FALSE for state="partial" */
  GPtrArray *lists;     /* BeaconWatcherList */
} BeaconWatcherinfo;

BeaconWatcher      *beacon_watcher_new              (const char          *id,
                                                     const char          *uri,
                                                     BeaconWatcherStatus  status,
                                                     BeaconWatcherEvent   event);
BeaconWatcher      *beacon_watcher_copy             (const BeaconWatcher *watcher);
void                beacon_watcher_free             (BeaconWatcher       *watcher);

BeaconWatcherList  *beacon_watcher_list_new         (const char *resource,
                                                     const char *package);
void                beacon_watcher_list_free        (BeaconWatcherList *list);

BeaconWatcherinfo  *beacon_watcherinfo_new          (guint    version,
                                                     gboolean full);
void                beacon_watcherinfo_free         (BeaconWatcherinfo *winfo);

/* Parses a watcherinfo document. Required: a <watcherinfo> root (any
 * namespace or none) with version (unsigned 32-bit) and state (full or
 * partial); <watcher-list resource>; <watcher> with id, status (pending,
 * active, waiting, terminated), event and a URI as its text. Returns NULL
 * and sets @error (BEACON_FORMAT_ERROR) otherwise. */
BeaconWatcherinfo  *beacon_watcherinfo_parse        (const char  *data,
                                                     gsize        len,
                                                     GError     **error);

/* Serialises @winfo (UTF-8, with XML declaration); NULL strings and zero
 * durations are left out. For tests and fake servers. */
char               *beacon_watcherinfo_build        (const BeaconWatcherinfo *winfo,
                                                     gsize                   *len);

/* Copies of the watchers in @winfo that wait for an authorisation answer
 * (status pending or waiting), in document order. */
GPtrArray          *beacon_watcherinfo_pending      (const BeaconWatcherinfo *winfo);

const char         *beacon_watcher_status_to_string (BeaconWatcherStatus status);
/* OTHER gives "other". */
const char         *beacon_watcher_event_to_string  (BeaconWatcherEvent  event);

/* ---- folding notifications into the current state ---------------------- */

#define BEACON_WATCHER_SET_ERROR (beacon_watcher_set_error_quark ())

typedef enum {
  /* A notification was missed, or a partial document came before any full
   * one: refresh the presence.winfo subscription to get full state. */
  BEACON_WATCHER_SET_ERROR_RESUBSCRIBE,
} BeaconWatcherSetError;

/* Keyed by watcher URI, as the user answers per person. When one document
 * lists several subscriptions of one URI (several devices), the one that
 * needs the user wins: pending, then waiting, active, terminated.
 * Terminated watchers stay, so the UI can say who stopped watching. */
typedef struct {
  guint       version;
  gboolean    have_version;  /* FALSE until a full document was applied */
  GHashTable *watchers;      /* char *uri → BeaconWatcher * (owned) */
} BeaconWatcherSet;

GQuark              beacon_watcher_set_error_quark  (void);

BeaconWatcherSet   *beacon_watcher_set_new          (void);
void                beacon_watcher_set_free         (BeaconWatcherSet *set);

/* Applies @winfo: a full document replaces the set (always, also when its
 * version is lower: a new subscription starts counting again); a partial one
 * with version last + 1 is merged; an older or repeated partial one is
 * ignored (returns TRUE, set unchanged). A partial one with a gap in the
 * version, or before any full one, leaves the set unchanged and fails with
 * BEACON_WATCHER_SET_ERROR_RESUBSCRIBE. */
gboolean            beacon_watcher_set_apply        (BeaconWatcherSet        *set,
                                                     const BeaconWatcherinfo *winfo,
                                                     GError                 **error);

/* The watcher last seen for @uri, or NULL. Owned by @set. */
const BeaconWatcher *beacon_watcher_set_lookup      (const BeaconWatcherSet *set,
                                                     const char             *uri);

/* Copies of the pending and waiting watchers of @set, sorted by URI. */
GPtrArray          *beacon_watcher_set_pending      (const BeaconWatcherSet *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWatcher, beacon_watcher_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWatcherList, beacon_watcher_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWatcherinfo, beacon_watcherinfo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconWatcherSet, beacon_watcher_set_free)

G_END_DECLS
