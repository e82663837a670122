/* beacon-cli-decode.h — any SIMPLE message or body as one JSON object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decodes @data: a raw SIP request or response (headers + body) or a bare
 * body (PIDF, RLMI multipart, watcherinfo, resource-lists, rls-services,
 * pres-rules, CPIM), recognised by its Content-Type or, bare, by its
 * shape. Returns one JSON object, or NULL with a BEACON_FORMAT_ERROR that
 * says what was wrong. Pure: no I/O. */
char *beacon_cli_decode_bytes (const char  *data,
                               gsize        len,
                               GError     **error);

G_END_DECLS
