/* beacon-xcap-error.h — what went wrong talking XCAP (RFC 4825) to the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_XCAP_ERROR (beacon_xcap_error_quark ())

/* Each code says what the user (or the caller) should do next. */
typedef enum {
  BEACON_XCAP_ERROR_UNAUTHORIZED,   /* 401 with our credentials, or none: check user and password */
  BEACON_XCAP_ERROR_FORBIDDEN,      /* 403: the server does not let this account touch the document */
  BEACON_XCAP_ERROR_NOT_FOUND,      /* 404: no such document or element */
  BEACON_XCAP_ERROR_CONFLICT,       /* 409/412: changed elsewhere meanwhile; re-read and re-apply */
  BEACON_XCAP_ERROR_SERVER_ERROR,   /* 5xx (the status text is in the message), or a redirect */
  BEACON_XCAP_ERROR_UNREACHABLE,    /* refused, timed out, no route: check the address; edits wait */
  BEACON_XCAP_ERROR_TLS,            /* the certificate is not trusted or TLS failed: never downgraded */
  BEACON_XCAP_ERROR_BAD_DOCUMENT,   /* the server sent something unparsable or oversized */
  BEACON_XCAP_ERROR_URI_TOO_LONG,   /* the request URI is over the server's limit (Kamailio: 255) */
  BEACON_XCAP_ERROR_REJECTED,       /* another 4xx: the server refused this request */
  BEACON_XCAP_ERROR_INVALID_ARGUMENT, /* not an http(s) XCAP root, bad AUID, unselectable name */
} BeaconXcapError;

GQuark   beacon_xcap_error_quark          (void);

/* The error code for an HTTP status that is not a success. */
BeaconXcapError beacon_xcap_error_code_for_status (guint status);

/* A GError for an HTTP status, the status line and @what ("PUT
 * resource-lists/index") in its message. */
GError  *beacon_xcap_error_new_for_status (guint       status,
                                          const char *reason,
                                          const char *what);

/* TRUE for errors after which the same request may work later without
 * any change to it (the server is down, or the account needs fixing):
 * queued edits are kept for these. */
gboolean beacon_xcap_error_is_transient   (const GError *error);

G_END_DECLS
