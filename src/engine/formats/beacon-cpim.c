/* beacon-cpim.c — message/cpim (RFC 3862) as carried in SIP MESSAGE bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-cpim.h"

#include <string.h>

#include "beacon-format-error.h"

static gboolean
malformed (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED, message);
  return FALSE;
}

/* Reads one header block that must end in a blank line. */
static gboolean
read_block (const char             *data,
            gsize                   len,
            gsize                  *pos,
            BeaconSipHeadersFlags   flags,
            GPtrArray              *headers,
            const char             *what,
            GError                **error)
{
  BeaconSipHeadersEnd end;
  g_autofree char *message = NULL;

  if (!beacon_sip_headers_read (data, len, pos, flags, BEACON_CPIM_MAX_HEADERS,
                                headers, &end, error))
    {
      g_prefix_error (error, "CPIM %s: ", what);
      return FALSE;
    }
  if (end == BEACON_SIP_HEADERS_END_BLANK_LINE)
    return TRUE;
  if (end == BEACON_SIP_HEADERS_END_BODY)
    message = g_strdup_printf ("CPIM %s are not followed by a blank line", what);
  else
    message = g_strdup_printf ("CPIM message ends in its %s (truncated?)", what);
  return malformed (error, message);
}

/* Some peers send the outer `Content-Type: message/cpim` MIME header (and
 * a blank line) inside the body too: a block with nothing but Content-*
 * headers that says message/cpim is that wrapper, not CPIM headers. */
static gboolean
is_mime_wrapper (GPtrArray *headers)
{
  const char *value = beacon_sip_headers_lookup (headers, "Content-Type", BEACON_SIP_HEADERS_MIME_NAMES);
  g_autoptr(BeaconSipContentType) ct = NULL;

  for (guint i = 0; i < headers->len; i++)
    {
      BeaconSipHeader *header = g_ptr_array_index (headers, i);
      if (g_ascii_strncasecmp (header->name, "Content-", 8) != 0 &&
          g_ascii_strcasecmp (header->name, "MIME-Version") != 0)
        return FALSE;
    }
  ct = beacon_sip_content_type_parse (value, NULL);
  return ct != NULL && g_str_equal (ct->media_type, "message/cpim");
}

static char *
latin1_to_utf8 (const char *data,
                gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    g_string_append_unichar (out, (guchar) data[i]);
  return g_string_free (out, FALSE);
}

/* Sets cpim->text for text content, in UTF-8. */
static gboolean
decode_text (BeaconCpim  *cpim,
             GError     **error)
{
  static const char *const gb[] = { "gb2312", "gbk", "gb18030" };
  const char *charset = cpim->charset;
  gsize len;
  const char *data = g_bytes_get_data (cpim->body, &len);

  if (cpim->content_type != NULL && !g_str_has_prefix (cpim->content_type, "text/"))
    return TRUE;
  if (data == NULL)
    data = "";
  /* Not text in any charset we read: it would cut the text short. */
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                           "CPIM text body contains a NUL byte");
      return FALSE;
    }
  if (charset == NULL || g_str_equal (charset, "utf-8") || g_str_equal (charset, "utf8") ||
      g_str_equal (charset, "us-ascii"))
    {
      if (!g_utf8_validate_len (data, len, NULL))
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                       "CPIM text body is not valid UTF-8 (charset %s)",
                       charset != NULL ? charset : "not given, UTF-8 assumed");
          return FALSE;
        }
      cpim->text = g_strndup (data, len);
    }
  else if (g_str_equal (charset, "iso-8859-1") || g_str_equal (charset, "latin1"))
    cpim->text = latin1_to_utf8 (data, len);
  else
    for (guint i = 0; i < G_N_ELEMENTS (gb); i++)
      if (g_str_equal (charset, gb[i]))
        {
          cpim->text = g_convert (data, len, "UTF-8", "GB18030", NULL, NULL, NULL);
          if (cpim->text == NULL)
            {
              g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                           "CPIM text body is not valid %s", charset);
              return FALSE;
            }
        }
  return TRUE;
}

static char *
strip_lang (const char *subject)
{
  /* `Subject: ;lang=fr Bonjour` (RFC 3862 6.3.8) */
  if (subject != NULL && subject[0] == ';')
    {
      const char *space = strchr (subject, ' ');
      return g_strdup (space != NULL ? space + 1 : "");
    }
  return g_strdup (subject);
}

BeaconCpim *
beacon_cpim_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(BeaconCpim) cpim = NULL;
  g_autoptr(BeaconSipContentType) ct = NULL;
  const char *value;
  gsize pos = 0;

  if (len > BEACON_CPIM_MAX_SIZE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "CPIM message is %" G_GSIZE_FORMAT " bytes, over the %d byte limit",
                   len, BEACON_CPIM_MAX_SIZE);
      return NULL;
    }
  if (data == NULL)
    data = "";
  cpim = g_new0 (BeaconCpim, 1);
  cpim->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_header_free);
  cpim->content_headers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_header_free);

  if (!read_block (data, len, &pos, BEACON_SIP_HEADERS_RAW_NAMES, cpim->headers,
                   "message headers", error))
    return NULL;
  if (is_mime_wrapper (cpim->headers))
    {
      g_ptr_array_set_size (cpim->headers, 0);
      if (!read_block (data, len, &pos, BEACON_SIP_HEADERS_RAW_NAMES, cpim->headers,
                       "message headers", error))
        return NULL;
    }
  if (cpim->headers->len == 0)
    {
      malformed (error, "not a CPIM message: no message headers before the blank line");
      return NULL;
    }
  if (!read_block (data, len, &pos, BEACON_SIP_HEADERS_MIME_NAMES, cpim->content_headers,
                   "content headers", error))
    return NULL;
  cpim->body = g_bytes_new (data + pos, len - pos);

  cpim->from = g_strdup (beacon_cpim_get_header (cpim, "From"));
  cpim->to = g_strdup (beacon_cpim_get_header (cpim, "To"));
  cpim->datetime = g_strdup (beacon_cpim_get_header (cpim, "DateTime"));
  cpim->subject = strip_lang (beacon_cpim_get_header (cpim, "Subject"));
  beacon_sip_header_parse_name_addr (cpim->from, NULL, &cpim->from_uri);
  beacon_sip_header_parse_name_addr (cpim->to, NULL, &cpim->to_uri);

  value = beacon_sip_headers_lookup (cpim->content_headers, "Content-Type",
                                     BEACON_SIP_HEADERS_MIME_NAMES);
  if (value != NULL)
    {
      ct = beacon_sip_content_type_parse (value, error);
      if (ct == NULL)
        {
          g_prefix_error (error, "CPIM content headers: ");
          return NULL;
        }
      cpim->content_type = g_strdup (ct->media_type);
      cpim->charset = g_strdup (ct->charset);
    }
  if (!decode_text (cpim, error))
    return NULL;
  return g_steal_pointer (&cpim);
}

void
beacon_cpim_free (BeaconCpim *cpim)
{
  if (cpim == NULL)
    return;
  g_free (cpim->from);
  g_free (cpim->from_uri);
  g_free (cpim->to);
  g_free (cpim->to_uri);
  g_free (cpim->datetime);
  g_free (cpim->subject);
  g_clear_pointer (&cpim->headers, g_ptr_array_unref);
  g_clear_pointer (&cpim->content_headers, g_ptr_array_unref);
  g_free (cpim->content_type);
  g_free (cpim->charset);
  g_clear_pointer (&cpim->body, g_bytes_unref);
  g_free (cpim->text);
  g_free (cpim);
}

const char *
beacon_cpim_get_header (BeaconCpim *cpim,
                        const char *name)
{
  return beacon_sip_headers_lookup (cpim->headers, name, BEACON_SIP_HEADERS_RAW_NAMES);
}

static gboolean
has_line_break (const char *value)
{
  return value != NULL && strpbrk (value, "\r\n") != NULL;
}

static void
append_address (GString    *out,
                const char *name,
                const char *address)
{
  if (strchr (address, '<') != NULL)
    g_string_append_printf (out, "%s: %s\r\n", name, address);
  else
    g_string_append_printf (out, "%s: <%s>\r\n", name, address);
}

char *
beacon_cpim_build (const char  *from,
                   const char  *to,
                   const char  *datetime,
                   const char  *text,
                   GError     **error)
{
  GString *out;

  if (from == NULL || to == NULL || from[0] == '\0' || to[0] == '\0' ||
      has_line_break (from) || has_line_break (to) || has_line_break (datetime))
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                           "CPIM From and To must be given, without line breaks");
      return NULL;
    }
  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                           "CPIM text is not valid UTF-8");
      return NULL;
    }
  out = g_string_new (NULL);
  append_address (out, "From", from);
  append_address (out, "To", to);
  if (datetime != NULL)
    g_string_append_printf (out, "DateTime: %s\r\n", datetime);
  g_string_append (out, "\r\nContent-Type: text/plain;charset=utf-8\r\n\r\n");
  g_string_append (out, text);
  return g_string_free (out, FALSE);
}

char *
beacon_cpim_format_datetime (GDateTime *datetime)
{
  return g_date_time_format (datetime, "%Y-%m-%dT%H:%M:%S%:z");
}
