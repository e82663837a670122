/* beacon-sip-error.h — what went wrong talking SIP to the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_SIP_ERROR (beacon_sip_error_quark ())

typedef enum {
  BEACON_SIP_ERROR_AUTH_FAILED,   /* 401/407 even with our credentials: check user and password */
  BEACON_SIP_ERROR_FORBIDDEN,     /* 403: the server does not let this account do that */
  BEACON_SIP_ERROR_NOT_FOUND,     /* 404/480/604: no such user or resource */
  BEACON_SIP_ERROR_UNSUPPORTED,   /* 405/415/420/489: the server lacks the feature */
  BEACON_SIP_ERROR_TIMEOUT,       /* 408 or no answer at all: check the proxy address */
  BEACON_SIP_ERROR_REJECTED,      /* another final 4xx/6xx answer */
  BEACON_SIP_ERROR_SERVER,        /* 5xx: the server failed; we retry */
  BEACON_SIP_ERROR_TRANSPORT,     /* could not open or bind the SIP transport */
  BEACON_SIP_ERROR_INVALID_URI,   /* an address sofia-sip cannot parse */
  BEACON_SIP_ERROR_STOPPED,       /* the account was stopped meanwhile */
  BEACON_SIP_ERROR_FAILED,
} BeaconSipError;

GQuark   beacon_sip_error_quark       (void);

/* The error code for a final SIP status (>= 300). */
BeaconSipError beacon_sip_error_code_for_status (int status);

/* A GError for a final SIP status, with @what ("REGISTER", "SUBSCRIBE to
 * sip:x@y"...) and the status line in its message. */
GError  *beacon_sip_error_new_for_status (int         status,
                                          const char *phrase,
                                          const char *what);

/* TRUE for statuses after which trying again later may work (408, 480,
 * 5xx except 501/505, 600/603 are final, sofia-sip's internal 9xx). */
gboolean beacon_sip_status_is_transient   (int status);

G_END_DECLS
