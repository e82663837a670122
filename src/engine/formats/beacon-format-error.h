/* beacon-format-error.h — the error domain of every format parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_FORMAT_ERROR (beacon_format_error_quark ())

/* Codes say what was wrong with the input, so a caller can tell the user. */
typedef enum {
  BEACON_FORMAT_ERROR_TOO_LARGE,     /* over the size bound for this format */
  BEACON_FORMAT_ERROR_MALFORMED,     /* not well-formed / not parseable */
  BEACON_FORMAT_ERROR_FORBIDDEN,     /* DTD, entity declaration or external reference */
  BEACON_FORMAT_ERROR_TOO_DEEP,      /* nesting deeper than allowed */
  BEACON_FORMAT_ERROR_WRONG_DOCUMENT,/* well-formed, but not the expected document */
  BEACON_FORMAT_ERROR_MISSING,       /* a required element, attribute or part is absent */
  BEACON_FORMAT_ERROR_INVALID_VALUE, /* an attribute or element has an invalid value */
} BeaconFormatError;

GQuark beacon_format_error_quark (void);

G_END_DECLS
