/* beacon-json.h — a small JSON writer for beacon-cli's output
 *
 * beacon-cli prints one JSON object per line (events of `run`, the result of
 * `decode`); this builds them without a JSON library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BeaconJson BeaconJson;

BeaconJson *beacon_json_new          (void);
void        beacon_json_free         (BeaconJson  *json);
/* Containers: @key is NULL inside arrays and at the top level. */
void        beacon_json_begin_object (BeaconJson  *json,
                                      const char  *key);
void        beacon_json_end_object   (BeaconJson  *json);
void        beacon_json_begin_array  (BeaconJson  *json,
                                      const char  *key);
void        beacon_json_end_array    (BeaconJson  *json);
/* A NULL @value writes null. */
void        beacon_json_string       (BeaconJson  *json,
                                      const char  *key,
                                      const char  *value);
void        beacon_json_int          (BeaconJson  *json,
                                      const char  *key,
                                      gint64       value);
void        beacon_json_double       (BeaconJson  *json,
                                      const char  *key,
                                      double       value);
void        beacon_json_bool         (BeaconJson  *json,
                                      const char  *key,
                                      gboolean     value);
void        beacon_json_null         (BeaconJson  *json,
                                      const char  *key);
/* The text so far; valid JSON once every container is closed. */
const char *beacon_json_get_text     (BeaconJson  *json);
char       *beacon_json_free_to_text (BeaconJson  *json);

/* Appends @s as a JSON string literal (quotes included). Invalid UTF-8 is
 * replaced by U+FFFD so the output is always valid JSON. */
void        beacon_json_escape       (GString     *out,
                                      const char  *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconJson, beacon_json_free)

G_END_DECLS
