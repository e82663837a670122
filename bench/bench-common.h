/* bench-common.h — what the in-process benchmarks share
 *
 * A Kamailio started by tests/server/kamailio-harness.sh (its RUNDIR/env),
 * server accounts on it, bounded waits on the default main context,
 * monotonic nanosecond clocks, percentiles and process CPU / peak RSS.
 *
 * The wire clock: bench-common.c interposes recv/recvfrom/recvmsg (the
 * calls sofia-sip reads the network with) and stamps the moment a buffer
 * starting a NOTIFY or MESSAGE request comes off a socket, so a benchmark
 * can tell the time the client spent from "bytes read" to "buddy updated".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "history/beacon-history.h"
#include "server/beacon-server-account.h"

G_BEGIN_DECLS

typedef struct {
  char *sip_host;
  char *sip_port;
  char *domain;
  char *xcap_root;
} BenchServer;

/* Reads RUNDIR/env; exits with a message when it cannot. */
void                 bench_server_load      (BenchServer  *server,
                                             const char   *rundir);
void                 bench_server_clear     (BenchServer  *server);

/* sip:USER@DOMAIN with password "USER-secret" (the runner's convention);
 * @list_uri NULL: the default sip:USER-list@DOMAIN; @history may be NULL. */
BeaconServerAccount *bench_account_new      (BenchServer        *server,
                                             const char         *user,
                                             const char         *list_uri,
                                             BeaconSipTransport  transport,
                                             BeaconHistory      *history);

gint64               bench_now_ns           (void);
/* Iterates the default main context until *@flag or @timeout_ms passed;
 * returns *@flag. */
gboolean             bench_wait_flag        (const gboolean *flag,
                                             guint           timeout_ms);
/* Iterates until the account is ONLINE (registered); FALSE on timeout. */
gboolean             bench_wait_online      (BeaconAccount  *account,
                                             guint           timeout_ms);
/* Lets the main context run for @ms. */
void                 bench_spin             (guint           ms);
/* Stops the account (un-PUBLISH, un-SUBSCRIBE, un-REGISTER), bounded. */
void                 bench_account_stop     (BeaconAccount  *account);

/* Sorts @values (gint64 ns) in place and returns the @p-th percentile. */
gint64               bench_percentile       (GArray         *values,
                                             double          p);
/* User + system CPU of this process so far, ns. */
gint64               bench_cpu_ns           (void);
/* Peak resident set size of this process, KiB. */
glong                bench_peak_rss_kib     (void);

/* The wire clock (see above): the last time a buffer that starts with
 * @method ("NOTIFY" or "MESSAGE") was read from a socket, 0 if never;
 * and how many such buffers were read. */
gint64               bench_wire_last_ns     (const char     *method);
guint                bench_wire_count       (const char     *method);

/* Prints one figure as "name value unit" and as a RESULTS line
 * ("RESULT name value unit") the runner collects. */
void                 bench_result           (const char     *name,
                                             double          value,
                                             const char     *unit);

G_END_DECLS
