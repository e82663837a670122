/* beacon-sip-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-error.h"

G_DEFINE_QUARK (beacon-sip-error-quark, beacon_sip_error)

BeaconSipError
beacon_sip_error_code_for_status (int status)
{
  switch (status)
    {
    case 401:
    case 407:
    case 904:  /* sofia-sip: "Operation has no matching challenge" */
      return BEACON_SIP_ERROR_AUTH_FAILED;
    case 403:
    case 603:
      return BEACON_SIP_ERROR_FORBIDDEN;
    case 404:
    case 410:
    case 480:
    case 484:
    case 604:
      return BEACON_SIP_ERROR_NOT_FOUND;
    case 405:
    case 415:
    case 420:
    case 489:
    case 501:
      return BEACON_SIP_ERROR_UNSUPPORTED;
    case 408:
    case 504:
      return BEACON_SIP_ERROR_TIMEOUT;
    default:
      break;
    }
  /* sofia-sip reports its own failures (no route, transport) as 503 or
   * as 9xx "internal" codes. */
  if (status >= 900)
    return BEACON_SIP_ERROR_TRANSPORT;
  if (status >= 500 && status < 600)
    return BEACON_SIP_ERROR_SERVER;
  return BEACON_SIP_ERROR_REJECTED;
}

GError *
beacon_sip_error_new_for_status (int         status,
                                 const char *phrase,
                                 const char *what)
{
  return g_error_new (BEACON_SIP_ERROR, beacon_sip_error_code_for_status (status),
                      "%s failed: %d %s", what ? what : "SIP request", status,
                      phrase ? phrase : "");
}

gboolean
beacon_sip_status_is_transient (int status)
{
  if (status == 408 || status == 480 || status == 486 || status == 491)
    return TRUE;
  if (status >= 500 && status < 600)
    return status != 501 && status != 505;
  /* 9xx: sofia-sip could not reach the server (timeout, no transport);
   * but 904 is an authentication failure. */
  return status >= 900 && status != 904;
}
