/* beacon-sip-tls.h — what SIP over TLS needs around sofia-sip's tport
 *
 * sofia-sip reads the trusted CAs from "cafile.pem" in a certificate
 * directory (NUTAG_CERTIFICATE_DIR) when the transport is bound; these
 * helpers make such a directory for one CA file, check the proxy address
 * can only be reached over TLS, and tell a certificate failure apart from
 * other transport errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longest certificate chain accepted (leaf, intermediates, root). */
#define BEACON_SIP_TLS_DEPTH 5

/* Before the first TLS transport: see beacon-sip-tls.c. */
void      beacon_sip_tls_init_once              (void);

/* Makes *@proxy (normalised, or NULL: then sip:@domain;transport=tls) an
 * address sofia-sip reaches over TLS only. FALSE with
 * BEACON_SIP_ERROR_INVALID_URI when it asks for another transport. */
gboolean  beacon_sip_tls_check_proxy            (char        **proxy,
                                                 const char   *domain,
                                                 GError      **error);

/* A new private directory whose cafile.pem is @ca_file (NULL: the system's
 * CAs). NULL with BEACON_SIP_ERROR_TRANSPORT when @ca_file cannot be read
 * or holds no PEM certificate. */
char     *beacon_sip_tls_make_certificate_dir   (const char   *ca_file,
                                                 GError      **error);
void      beacon_sip_tls_remove_certificate_dir (const char   *dir);

/* A TLS handshake with @proxy (host and port; 5061 without one) that
 * trusts only @ca_file (NULL: the system's CAs). Finishes FALSE with
 * BEACON_SIP_ERROR_TRANSPORT saying why when the server's certificate is
 * refused; TRUE otherwise, including when the server cannot be reached
 * (the SIP side reports that). */
void      beacon_sip_tls_probe_async            (const char           *proxy,
                                                 const char           *ca_file,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  beacon_sip_tls_probe_finish           (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
