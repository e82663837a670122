/* beacon-json.c — a small JSON writer for beacon-cli's output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-json.h"

#include <math.h>

struct _BeaconJson
{
  GString *out;
  GArray  *need_comma;  /* gboolean per open container */
};

BeaconJson *
beacon_json_new (void)
{
  BeaconJson *json = g_new0 (BeaconJson, 1);
  gboolean top = FALSE;

  json->out = g_string_new (NULL);
  json->need_comma = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_array_append_val (json->need_comma, top);
  return json;
}

void
beacon_json_free (BeaconJson *json)
{
  if (json == NULL)
    return;
  g_string_free (json->out, TRUE);
  g_array_unref (json->need_comma);
  g_free (json);
}

char *
beacon_json_free_to_text (BeaconJson *json)
{
  char *text = g_string_free (g_steal_pointer (&json->out), FALSE);

  g_array_unref (json->need_comma);
  g_free (json);
  return text;
}

const char *
beacon_json_get_text (BeaconJson *json)
{
  return json->out->str;
}

void
beacon_json_escape (GString    *out,
                    const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_key (BeaconJson *json,
           const char *key)
{
  gboolean *need_comma = &g_array_index (json->need_comma, gboolean, json->need_comma->len - 1);

  if (*need_comma)
    g_string_append_c (json->out, ',');
  *need_comma = TRUE;
  if (key != NULL)
    {
      beacon_json_escape (json->out, key);
      g_string_append_c (json->out, ':');
    }
}

static void
open_container (BeaconJson *json,
                const char *key,
                char        bracket)
{
  gboolean fresh = FALSE;

  write_key (json, key);
  g_string_append_c (json->out, bracket);
  g_array_append_val (json->need_comma, fresh);
}

static void
close_container (BeaconJson *json,
                 char        bracket)
{
  g_return_if_fail (json->need_comma->len > 1);
  g_array_set_size (json->need_comma, json->need_comma->len - 1);
  g_string_append_c (json->out, bracket);
}

void
beacon_json_begin_object (BeaconJson *json,
                          const char *key)
{
  open_container (json, key, '{');
}

void
beacon_json_end_object (BeaconJson *json)
{
  close_container (json, '}');
}

void
beacon_json_begin_array (BeaconJson *json,
                         const char *key)
{
  open_container (json, key, '[');
}

void
beacon_json_end_array (BeaconJson *json)
{
  close_container (json, ']');
}

void
beacon_json_string (BeaconJson *json,
                    const char *key,
                    const char *value)
{
  write_key (json, key);
  if (value == NULL)
    g_string_append (json->out, "null");
  else
    beacon_json_escape (json->out, value);
}

void
beacon_json_int (BeaconJson *json,
                 const char *key,
                 gint64      value)
{
  write_key (json, key);
  g_string_append_printf (json->out, "%" G_GINT64_FORMAT, value);
}

void
beacon_json_double (BeaconJson *json,
                    const char *key,
                    double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  write_key (json, key);
  if (!isfinite (value))
    g_string_append (json->out, "null");
  else
    g_string_append (json->out, g_ascii_dtostr (buf, sizeof buf, value));
}

void
beacon_json_bool (BeaconJson *json,
                  const char *key,
                  gboolean    value)
{
  write_key (json, key);
  g_string_append (json->out, value ? "true" : "false");
}

void
beacon_json_null (BeaconJson *json,
                  const char *key)
{
  write_key (json, key);
  g_string_append (json->out, "null");
}
