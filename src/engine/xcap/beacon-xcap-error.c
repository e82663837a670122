/* beacon-xcap-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-xcap-error.h"

#include <gio/gio.h>

G_DEFINE_QUARK (beacon-xcap-error-quark, beacon_xcap_error)

BeaconXcapError
beacon_xcap_error_code_for_status (guint status)
{
  switch (status)
    {
    case 401:
    case 407:
      return BEACON_XCAP_ERROR_UNAUTHORIZED;
    case 403:
      return BEACON_XCAP_ERROR_FORBIDDEN;
    case 404:
    case 410:
      return BEACON_XCAP_ERROR_NOT_FOUND;
    case 409:
    case 412:
      return BEACON_XCAP_ERROR_CONFLICT;
    case 414:
      return BEACON_XCAP_ERROR_URI_TOO_LONG;
    default:
      break;
    }
  if (status >= 400 && status < 500)
    return BEACON_XCAP_ERROR_REJECTED;
  /* 5xx, and 3xx too: a redirect is never followed (it could lead from
   * https to http), so it is a server configuration problem. */
  return BEACON_XCAP_ERROR_SERVER_ERROR;
}

GError *
beacon_xcap_error_new_for_status (guint       status,
                                  const char *reason,
                                  const char *what)
{
  BeaconXcapError code = beacon_xcap_error_code_for_status (status);
  const char *hint;

  switch (code)
    {
    case BEACON_XCAP_ERROR_UNAUTHORIZED:
      hint = "check the user name and password";
      break;
    case BEACON_XCAP_ERROR_FORBIDDEN:
      hint = "the server does not let this account change that document";
      break;
    case BEACON_XCAP_ERROR_NOT_FOUND:
      hint = "no such document or element";
      break;
    case BEACON_XCAP_ERROR_CONFLICT:
      hint = "it was changed elsewhere meanwhile";
      break;
    case BEACON_XCAP_ERROR_URI_TOO_LONG:
      hint = "the address is too long for the server";
      break;
    case BEACON_XCAP_ERROR_REJECTED:
      hint = "the server refused the request";
      break;
    case BEACON_XCAP_ERROR_SERVER_ERROR:
      hint = status >= 300 && status < 400
             ? "redirects are not followed; check the XCAP root"
             : "the server failed";
      break;
    case BEACON_XCAP_ERROR_UNREACHABLE:
    case BEACON_XCAP_ERROR_TLS:
    case BEACON_XCAP_ERROR_BAD_DOCUMENT:
    case BEACON_XCAP_ERROR_INVALID_ARGUMENT:
    default:
      /* Not made from a status (see beacon_xcap_error_code_for_status()). */
      hint = "the server failed";
      break;
    }
  return g_error_new (BEACON_XCAP_ERROR, code, "XCAP %s: %u %s (%s)",
                      what, status, reason != NULL && *reason != '\0' ? reason : "", hint);
}

gboolean
beacon_xcap_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  return error->domain == BEACON_XCAP_ERROR &&
         (error->code == BEACON_XCAP_ERROR_UNREACHABLE ||
          error->code == BEACON_XCAP_ERROR_UNAUTHORIZED ||
          error->code == BEACON_XCAP_ERROR_FORBIDDEN ||
          error->code == BEACON_XCAP_ERROR_TLS);
}
