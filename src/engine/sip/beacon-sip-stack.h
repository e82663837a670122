/* beacon-sip-stack.h — sofia-sip set-up shared by the SIP endpoints of this folder
 *
 * BeaconSipUa (server mode) and BeaconSipLanAgent (LAN mode) both run a
 * nua on an su_root attached to the thread-default GMainContext; the
 * process-wide su_init, the log redirection and the bounded teardown are
 * here once. For src/engine/sip/ only: it speaks sofia-sip types.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/su_glib.h>

G_BEGIN_DECLS

/* su_init() once per process, sofia-sip's logs sent to g_debug() of the
 * "beacon-sip" domain. Called by beacon_sip_root_new(). */
void        beacon_sip_init_once      (void);

/* TRUE when debug messages of @log_domain are shown: then whole SIP
 * messages go to the log too (TPTAG_LOG). */
gboolean    beacon_sip_tracing        (const char  *log_domain);

/* A new su_root whose magic is @magic, its GSource attached to the
 * thread-default main context (returned in @source, owned by the root).
 * NULL with @error set when sofia-sip cannot make one. */
su_root_t  *beacon_sip_root_new       (gpointer     magic,
                                       GSource    **source,
                                       GQuark       error_domain,
                                       int          error_code,
                                       GError     **error);

/* Detaches and frees a root made by beacon_sip_root_new(); clears both. */
void        beacon_sip_root_clear     (su_root_t  **root,
                                       GSource    **source);

/* Takes @nua down from dispose: nua_shutdown() unless @shut_down is
 * already set (the nua callback sets it on nua_r_shutdown), @root stepped
 * until then or @timeout_ms, then nua_destroy(). A stack that does not
 * finish in time is leaked with a warning naming @who (nua_destroy()
 * refuses it). Clears *@nua. */
void        beacon_sip_nua_destroy_bounded (nua_t      **nua,
                                            su_root_t   *root,
                                            gboolean    *shut_down,
                                            guint        timeout_ms,
                                            const char  *who);

/* Answers the request on @nh with @status @phrase and a Retry-After of
 * @retry_after_s (at least 1): 429 to a stranger over the limits, 503
 * to what could not be kept. */
void        beacon_sip_respond_retry_after (nua_t       *nua,
                                            nua_handle_t *nh,
                                            int          status,
                                            const char  *phrase,
                                            guint        retry_after_s);

G_END_DECLS
