/* scenario-harness.h — what the server suite's scenario tests share
 *
 * A Server is one Kamailio started by tests/server/kamailio-harness.sh in
 * a fresh run directory; run_scenario() starts it, runs the scenario in a
 * test subprocess (so a failed assertion still lets the parent stop the
 * server) and stops it. A Client is one `beacon-cli run` process driven
 * through its stdin; its JSON events are collected as flat hash tables and
 * waited for with bounded waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Seconds any single wait_event() may take. */
#define WAIT_S 15

typedef struct {
  char             *name;
  GSubprocess      *process;
  GOutputStream    *input;
  GDataInputStream *output;
  GCancellable     *cancellable;
  GPtrArray        *events;   /* GHashTable per line */
  GPtrArray        *lines;
  gboolean          eof;
  char             *log_path;
  guint             wait_s;   /* how long wait_event() waits; WAIT_S */
} Client;

typedef struct {
  char *rundir;
  char *harness;
  char *cli;
  char *sip_host;
  char *sip_port;
  char *http_port;
  char *domain;
  char *xcap_root;
  char *tls_port;       /* with scenario_tls only */
  char *ca_file;        /* the CA that signed the server's certificate */
  char *other_ca_file;  /* a CA that signed nothing of the server's */
  gboolean up;
} Server;

/* Set before run_scenario(): Kamailio also serves SIP over TLS (see
 * BEACON_HARNESS_TLS in kamailio-harness.sh); clients started with
 * transport "tls" use its TLS port. */
extern gboolean scenario_tls;

typedef void (*Scenario) (Server *server);

GHashTable  *parse_event              (const char        *line);
void         client_free              (Client            *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)
char        *aor                      (Server            *server,
                                       const char        *user);
/* Starts `beacon-cli run` for @user (password @secret, default
 * USER-secret) with the optional --transport, --expires and @extra
 * arguments (NULL-terminated). */
Client      *client_start_full        (Server            *server,
                                       const char        *user,
                                       const char        *secret,
                                       const char        *transport,
                                       const char        *expires,
                                       const char *const *extra);
Client      *client_start_with        (Server            *server,
                                       const char        *user,
                                       const char        *secret,
                                       const char        *transport,
                                       const char        *expires);
Client      *client_start             (Server            *server,
                                       const char        *user,
                                       const char        *transport,
                                       const char        *expires);
void         client_send              (Client            *client,
                                       const char        *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Waits (at most @client->wait_s) for an event at or after @since with every key = value
 * given (NULL-terminated pairs); returns its index, or aborts. */
guint        wait_event               (Client            *client,
                                       guint              since,
                                       ...) G_GNUC_NULL_TERMINATED;
/* Lets events arrive for @ms, then says whether one at or after @since
 * matches (for things that must NOT happen). */
gboolean     saw_event_within         (Client            *client,
                                       guint              since,
                                       guint              ms,
                                       ...) G_GNUC_NULL_TERMINATED;
const char  *event_value              (Client            *client,
                                       guint              index,
                                       const char        *key);
void         client_quit_unregistered (Client            *client);
void         client_quit              (Client            *client);
gboolean     log_contains             (Client            *client,
                                       const char        *text);
gboolean     run_quiet                (const char *const *argv,
                                       char             **out);
/* The test body: starts Kamailio, runs @data (a Scenario) in a subprocess,
 * stops Kamailio. */
void         run_scenario             (gconstpointer      data);
/* XCAP documents put with curl as @owner (asserting 200). */
void         xcap_put                 (Server            *server,
                                       const char        *user,
                                       const char        *auid,
                                       const char        *content_type,
                                       const char        *document);
void         put_pres_rules           (Server            *server,
                                       const char        *owner,
                                       const char        *handling,
                                       ...) G_GNUC_NULL_TERMINATED;
void         put_buddy_list           (Server            *server,
                                       const char        *owner,
                                       ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
