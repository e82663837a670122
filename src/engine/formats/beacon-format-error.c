/* beacon-format-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-format-error.h"

G_DEFINE_QUARK (beacon-format-error-quark, beacon_format_error)
