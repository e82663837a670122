/* beacon-pidf-private.h — shared by beacon-pidf.c and beacon-pidf-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text as valid UTF-8 without the characters XML 1.0 cannot carry,
 * trimmed; NULL when nothing is left. Used on what the parser hands out
 * (libxml2's recovery mode lets invalid bytes through) and on what the
 * builder writes (libxml2 would write control characters as references
 * no parser accepts). */
G_GNUC_INTERNAL
char *beacon_pidf_xml_safe_text (const char *text);

G_END_DECLS
