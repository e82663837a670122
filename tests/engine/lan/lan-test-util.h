/* lan-test-util.h — LAN accounts on 127.0.0.1 in one process, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-account.h"
#include "history/beacon-history.h"
#include "lan/beacon-lan-account.h"
#include "fake-discovery.h"

G_BEGIN_DECLS

/* Every wait is bounded: a condition not met in time fails the test. */
#define LAN_TEST_WAIT_S 10

typedef struct {
  char             *dir;        /* its config dir */
  gboolean          owns_dir;   /* made for it: removed at the end */
  FakeDiscovery    *discovery;
  BeaconLanAccount *account;
  GPtrArray        *watchers;   /* "uri status" */
  GPtrArray        *errors;     /* messages */
  GPtrArray        *received;   /* "from|text" */
  GPtrArray        *states;     /* "id state code" */
  GPtrArray        *peers;      /* "uri address appeared|vanished" */
} LanPeer;

/* A started account called @name on 127.0.0.1, in a fresh temporary dir
 * (or @dir when not NULL, which is then not removed). */
LanPeer     *lan_peer_new        (const char *name,
                                  const char *dir,
                                  guint       expires);
/* The same, keeping its messages in @history (may be NULL). */
LanPeer     *lan_peer_new_with_history (const char    *name,
                                        const char    *dir,
                                        guint          expires,
                                        BeaconHistory *history);
/* Stops it (bounded) and frees everything. */
void         lan_peer_free       (LanPeer    *peer);

BeaconAccount *lan_peer_account  (LanPeer    *peer);
const char  *lan_peer_aor        (LanPeer    *peer);
/* Makes @b visible to @a's discovery (not the other way round). */
void         lan_peer_show       (LanPeer    *a,
                                  LanPeer    *b);
void         lan_peer_hide       (LanPeer    *a,
                                  LanPeer    *b);
/* Both see each other and are each other's friends: waits until both
 * subscriptions are active. */
void         lan_peer_befriend   (LanPeer    *a,
                                  LanPeer    *b);
/* @a's buddy for @b, or NULL. */
BeaconBuddy *lan_peer_buddy      (LanPeer    *a,
                                  LanPeer    *b);
gboolean     lan_peer_has_line   (GPtrArray  *lines,
                                  const char *line);

/* Runs the default main context until @cond holds; FALSE after
 * LAN_TEST_WAIT_S seconds. */
gboolean     lan_test_wait       (gboolean  (*cond) (gpointer),
                                  gpointer    data);
/* Runs the default main context for @ms milliseconds. */
void         lan_test_run        (guint       ms);

#define LAN_WAIT_FOR(expr)                                                 \
  G_STMT_START {                                                           \
    gint64 _end = g_get_monotonic_time () + LAN_TEST_WAIT_S * G_USEC_PER_SEC; \
    while (!(expr) && g_get_monotonic_time () < _end)                      \
      lan_test_run (10);                                                   \
    if (!(expr))                                                           \
      g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #expr); \
  } G_STMT_END

#define BUDDY_IS(a, b, st, sub)                                            \
  (lan_peer_buddy ((a), (b)) != NULL &&                                    \
   beacon_buddy_get_status (lan_peer_buddy ((a), (b))) == (st) &&          \
   beacon_buddy_get_subscription (lan_peer_buddy ((a), (b))) == (sub))

G_END_DECLS
