/* beacon-sip-message.c — a tolerant parser of one raw SIP message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-sip-message.h"

#include <string.h>

#include "beacon-format-error.h"

#define SIP_VERSION "SIP/2.0"

/* URI schemes a Request-URI glued to its method can start with. */
static const char *const uri_schemes[] = {
  "sips", "sip", "tel", "pres", "im", "urn", "https", "http", "mailto",
};

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-.!%*_+`'~", c) != NULL);
}

static gboolean G_GNUC_PRINTF (2, 3)
not_sip (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
               "not a SIP message: %s", why);
  return FALSE;
}

/* `SIP/2.0 200 OK`, also `SIP/2.0200 OK` (the seed glues them). */
static gboolean
parse_status_line (BeaconSipMessage  *msg,
                   const char        *line,
                   GError           **error)
{
  const char *p = line + strlen (SIP_VERSION);
  g_autofree char *reason = NULL;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]) ||
      (p[3] != '\0' && p[3] != ' ' && p[3] != '\t'))
    return not_sip (error, "status line has no three-digit status code");
  msg->status_code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  if (msg->status_code < 100 || msg->status_code > 699)
    return not_sip (error, "status code %u is out of range", msg->status_code);
  reason = g_strstrip (g_strdup (p + 3));
  msg->reason = g_utf8_make_valid (reason, -1);
  return TRUE;
}

/* Splits `NOTIFYsip` (method glued to the Request-URI) at the scheme. */
static gsize
glued_method_length (const char *token,
                     gsize       len)
{
  gsize n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (uri_schemes); i++)
    {
      gsize s = strlen (uri_schemes[i]);
      if (len > s && g_ascii_strncasecmp (token + len - s, uri_schemes[i], s) == 0)
        return len - s;
    }
  /* An unknown scheme: methods are upper case, schemes lower case. */
  while (n < len && g_ascii_isupper (token[n]))
    n++;
  return (n > 0 && n < len && g_ascii_islower (token[n])) ? n : 0;
}

static gboolean
parse_request_line (BeaconSipMessage  *msg,
                    const char        *line,
                    GError           **error)
{
  gsize token_len = 0, method_len, vlen = strlen (SIP_VERSION);
  g_autofree char *rest = NULL;
  gsize rest_len;

  while (is_token_char (line[token_len]))
    token_len++;
  if (token_len == 0)
    return not_sip (error, "first line is neither a request line nor a status line");
  if (line[token_len] == ' ' || line[token_len] == '\t')
    method_len = token_len;
  else if (line[token_len] == ':')
    method_len = glued_method_length (line, token_len);
  else
    method_len = 0;
  if (method_len == 0)
    return not_sip (error, "first line is neither a request line nor a status line");

  rest = g_strstrip (g_strdup (line + method_len));
  rest_len = strlen (rest);
  if (rest_len <= vlen || g_ascii_strcasecmp (rest + rest_len - vlen, SIP_VERSION) != 0)
    return not_sip (error, "request line does not end in " SIP_VERSION);
  rest[rest_len - vlen] = '\0';
  g_strstrip (rest);
  if (strchr (rest, ':') == NULL)
    return not_sip (error, "request line has no Request-URI");

  msg->is_request = TRUE;
  msg->method = g_strndup (line, method_len);
  msg->request_uri = g_utf8_make_valid (rest, -1);
  return TRUE;
}

/* Reads the start line at data[*pos] and moves *pos past it. */
static gboolean
parse_start_line (BeaconSipMessage  *msg,
                  const char        *data,
                  gsize              len,
                  gsize             *pos,
                  GError           **error)
{
  const char *lf;
  gsize line_len;
  g_autofree char *line = NULL;

  /* RFC 3261 7.5: empty lines before the start line are ignored. */
  while (*pos < len && g_ascii_isspace (data[*pos]))
    (*pos)++;
  if (*pos == len)
    return not_sip (error, "empty input");
  lf = memchr (data + *pos, '\n', len - *pos);
  line_len = (lf != NULL ? (gsize) (lf - data - *pos) : len - *pos);
  if (line_len > BEACON_SIP_HEADER_MAX_LINE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "SIP start line is longer than %d bytes", BEACON_SIP_HEADER_MAX_LINE);
      return FALSE;
    }
  if (memchr (data + *pos, '\0', line_len) != NULL)
    return not_sip (error, "start line contains a NUL byte");
  line = g_strstrip (g_strndup (data + *pos, line_len));
  *pos += line_len + (lf != NULL ? 1 : 0);

  if (g_ascii_strncasecmp (line, SIP_VERSION, strlen (SIP_VERSION)) == 0)
    return parse_status_line (msg, line, error);
  return parse_request_line (msg, line, error);
}

static gboolean
only_white_space (const char *p,
                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (p[i]))
      return FALSE;
  return TRUE;
}

/* Trusts Content-Length only when it fits the bytes present: the seed
 * declares 1560 for bodies of other sizes, and files add a final newline. */
static void
take_body (BeaconSipMessage *msg,
           const char       *data,
           gsize             len,
           gsize             body_start)
{
  const char *declared = beacon_sip_message_get_header (msg, "Content-Length");
  gsize present = len - body_start;
  gsize body_len = present;
  guint64 n;

  msg->content_length = -1;
  if (declared != NULL)
    {
      if (g_ascii_string_to_unsigned (declared, 10, 0, G_MAXINT64, &n, NULL))
        {
          msg->content_length = (gint64) n;
          if (n < present && only_white_space (data + body_start + n, present - n))
            body_len = n;
          else if (n != present)
            msg->content_length_mismatch = TRUE;
        }
      else
        msg->content_length_mismatch = TRUE;
    }
  msg->body = g_bytes_new (data + body_start, body_len);
}

BeaconSipMessage *
beacon_sip_message_parse (const char  *data,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(BeaconSipMessage) msg = NULL;
  BeaconSipHeadersEnd end;
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > BEACON_SIP_MESSAGE_MAX_SIZE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "SIP message is %" G_GSIZE_FORMAT " bytes, over the %d byte limit",
                   len, BEACON_SIP_MESSAGE_MAX_SIZE);
      return NULL;
    }
  msg = g_new0 (BeaconSipMessage, 1);
  msg->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_header_free);
  msg->content_length = -1;

  if (!parse_start_line (msg, data, len, &pos, error))
    return NULL;
  if (!beacon_sip_headers_read (data, len, &pos, BEACON_SIP_HEADERS_SIP_NAMES,
                                BEACON_SIP_MESSAGE_MAX_HEADERS, msg->headers, &end, error))
    {
      g_prefix_error (error, "SIP message: ");
      return NULL;
    }

  if (end == BEACON_SIP_HEADERS_END_TRUNCATED)
    {
      /* A one-line body right after the headers, with no line end, is
       * not a cut header when Content-Length says it is all there. */
      const char *cl = beacon_sip_message_get_header (msg, "Content-Length");
      guint64 n;
      if (pos == len || cl == NULL ||
          !g_ascii_string_to_unsigned (cl, 10, 0, G_MAXINT64, &n, NULL) || n != len - pos)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                       "SIP message is truncated in its header section");
          return NULL;
        }
    }
  take_body (msg, data, len, pos);
  return g_steal_pointer (&msg);
}

void
beacon_sip_message_free (BeaconSipMessage *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->method);
  g_free (msg->request_uri);
  g_free (msg->reason);
  g_clear_pointer (&msg->headers, g_ptr_array_unref);
  g_clear_pointer (&msg->body, g_bytes_unref);
  g_free (msg);
}

const char *
beacon_sip_message_get_header (BeaconSipMessage *msg,
                               const char       *name)
{
  g_return_val_if_fail (msg != NULL && name != NULL, NULL);
  return beacon_sip_headers_lookup (msg->headers, name, BEACON_SIP_HEADERS_SIP_NAMES);
}

GPtrArray *
beacon_sip_message_get_headers (BeaconSipMessage *msg,
                                const char       *name)
{
  g_return_val_if_fail (msg != NULL && name != NULL, NULL);
  return beacon_sip_headers_lookup_all (msg->headers, name, BEACON_SIP_HEADERS_SIP_NAMES);
}

guint
beacon_sip_message_count_headers (BeaconSipMessage *msg,
                                  const char       *name)
{
  g_autoptr(GPtrArray) values = beacon_sip_message_get_headers (msg, name);

  return values->len;
}

BeaconSipContentType *
beacon_sip_message_get_content_type (BeaconSipMessage  *msg,
                                     GError           **error)
{
  const char *value = beacon_sip_message_get_header (msg, "Content-Type");

  if (value == NULL)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "SIP message has no Content-Type header");
      return NULL;
    }
  return beacon_sip_content_type_parse (value, error);
}

gboolean
beacon_sip_message_get_cseq (BeaconSipMessage  *msg,
                             guint32           *number,
                             char             **method)
{
  const char *value = beacon_sip_message_get_header (msg, "CSeq");
  guint64 n = 0;
  const char *p;
  guint digits = 0;
  g_autofree char *rest = NULL;

  if (value == NULL)
    return FALSE;
  for (p = value; g_ascii_isdigit (*p); p++, digits++)
    {
      n = n * 10 + (*p - '0');
      if (n > G_MAXUINT32)
        return FALSE;
    }
  if (digits == 0)
    return FALSE;
  if (number != NULL)
    *number = (guint32) n;
  rest = g_ascii_strup (p, -1);
  g_strstrip (rest);
  if (method != NULL)
    *method = rest[0] != '\0' ? g_steal_pointer (&rest) : NULL;
  return TRUE;
}
