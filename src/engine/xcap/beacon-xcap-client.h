/* beacon-xcap-client.h — an XCAP (RFC 4825) client over libsoup 3
 *
 * Reads and writes the user's own documents under
 * `{root}/{auid}/users/{xui}/{document}`, whole or one element at a time
 * (`…/{document}/~~/{node selector}`), with HTTP digest authentication,
 * certificate checks on https (a TLS failure is an error, never a retry
 * over http; redirects are not followed), bounded timeouts and per-document
 * ETag tracking:
 *
 *   - a GET (of the document or an element) remembers the document's ETag
 *     (a 404 on the document forgets it);
 *   - a write to a document whose ETag is known sends `If-Match: <etag>`;
 *   - a document PUT with no ETag known sends `If-None-Match: *` (create
 *     only, never a blind overwrite; note that Kamailio 5.6 ignores it and
 *     overwrites, so read before creating);
 *   - an element write with no ETag known is sent unconditionally;
 *   - a successful write remembers the new ETag from the answer; 412
 *     forgets the ETag so the caller re-reads.
 *
 * Errors are BEACON_XCAP_ERROR (see beacon-xcap-error.h), or G_IO_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-xcap-error.h"

G_BEGIN_DECLS

/* Kamailio's xcap_server refuses request paths longer than this. */
#define BEACON_XCAP_CLIENT_DEFAULT_MAX_URI 255
/* Seconds allowed for connecting and for each read or write. */
#define BEACON_XCAP_CLIENT_DEFAULT_TIMEOUT 10
/* Bodies larger than this are refused (BAD_DOCUMENT). */
#define BEACON_XCAP_CLIENT_MAX_BODY (1024 * 1024)

#define BEACON_TYPE_XCAP_CLIENT (beacon_xcap_client_get_type ())
G_DECLARE_FINAL_TYPE (BeaconXcapClient, beacon_xcap_client, BEACON, XCAP_CLIENT, GObject)

/* @root is the XCAP root URI (`http://host:port/xcap-root`, `https://…`),
 * @xui the user (`sip:alice@example.org`). NULL and
 * BEACON_XCAP_ERROR_INVALID_ARGUMENT when @root is not an absolute http or
 * https URI with a host, or @xui is empty. */
BeaconXcapClient *beacon_xcap_client_new             (const char        *root,
                                                      const char        *xui,
                                                      GError           **error);

const char       *beacon_xcap_client_get_root        (BeaconXcapClient  *self);
const char       *beacon_xcap_client_get_xui         (BeaconXcapClient  *self);

/* Credentials for HTTP digest (Basic is refused over plain http). NULL
 * @username: none, a 401 is then UNAUTHORIZED at once. */
void              beacon_xcap_client_set_credentials (BeaconXcapClient  *self,
                                                      const char        *username,
                                                      const char        *password);
/* Seconds for connecting and for each read/write; 0 is not allowed. */
void              beacon_xcap_client_set_timeout     (BeaconXcapClient  *self,
                                                      guint              seconds);
guint             beacon_xcap_client_get_timeout     (BeaconXcapClient  *self);
/* The certificate authorities https trusts (default: the system's). */
void              beacon_xcap_client_set_tls_database (BeaconXcapClient *self,
                                                       GTlsDatabase     *database);
/* The longest request path (with the query) allowed, 0 for no limit. */
void              beacon_xcap_client_set_max_uri_length (BeaconXcapClient *self,
                                                         gsize             max);

/* The request URI for @auid/@document, and the element @selector when not
 * NULL. @selector is a node selector as RFC 4825 writes it, NOT
 * %-encoded (`resource-lists/list[@name="buddies"]/entry[@uri="sip:b@x"]`):
 * the client encodes it. NULL and INVALID_ARGUMENT or URI_TOO_LONG. */
char             *beacon_xcap_client_build_uri       (BeaconXcapClient  *self,
                                                      const char        *auid,
                                                      const char        *document,
                                                      const char        *selector,
                                                      GError           **error);

/* The ETag remembered for a document (NULL: unknown, or no document). */
const char       *beacon_xcap_client_get_etag        (BeaconXcapClient  *self,
                                                      const char        *auid,
                                                      const char        *document);
/* Sets what the client believes of a document, e.g. from a cache: an ETag,
 * or NULL to forget it (the next document PUT then creates only). */
void              beacon_xcap_client_set_etag        (BeaconXcapClient  *self,
                                                      const char        *auid,
                                                      const char        *document,
                                                      const char        *etag);

/* GET of a document (@selector NULL) or of one element. */
void              beacon_xcap_client_get_async       (BeaconXcapClient    *self,
                                                      const char          *auid,
                                                      const char          *document,
                                                      const char          *selector,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The body (followed by a NUL byte not counted in its size, so it reads
 * as text); @etag (optional) receives the document's ETag. */
GBytes           *beacon_xcap_client_get_finish      (BeaconXcapClient    *self,
                                                      GAsyncResult        *result,
                                                      char               **etag,
                                                      GError             **error);

/* PUT of a whole document (@selector NULL; Content-Type from the AUID) or
 * of one element (application/xcap-el+xml). Kamailio appends an element
 * whose selector matches nothing, and replaces every element it matches. */
void              beacon_xcap_client_put_async       (BeaconXcapClient    *self,
                                                      const char          *auid,
                                                      const char          *document,
                                                      const char          *selector,
                                                      GBytes              *body,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          beacon_xcap_client_put_finish      (BeaconXcapClient    *self,
                                                      GAsyncResult        *result,
                                                      char               **etag,
                                                      GError             **error);

/* DELETE of a whole document (@selector NULL) or of one element. */
void              beacon_xcap_client_delete_async    (BeaconXcapClient    *self,
                                                      const char          *auid,
                                                      const char          *document,
                                                      const char          *selector,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          beacon_xcap_client_delete_finish   (BeaconXcapClient    *self,
                                                      GAsyncResult        *result,
                                                      char               **etag,
                                                      GError             **error);

/* The Content-Type of a whole document of @auid. */
const char       *beacon_xcap_content_type_for_auid  (const char          *auid);

G_END_DECLS
