/* beacon-multipart.c — multipart bodies (RFC 2046, multipart/related RFC 2387)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-multipart.h"

#include <string.h>

#include "beacon-format-error.h"

#define MAX_BOUNDARY 200          /* RFC 2046 says 70; be lenient, but bounded */
#define EM_DASH      "\xe2\x80\x94"

typedef enum { DELIM_NONE, DELIM_OPEN, DELIM_CLOSE } DelimKind;

typedef struct {
  DelimKind kind;
  gsize     start;  /* offset of the leading "--" */
  gsize     next;   /* offset after the delimiter line */
} Delimiter;

static gboolean
is_ws (char c)
{
  return c == ' ' || c == '\t';
}

/* memmem() is a GNU extension; this is all we need of it. */
static const char *
find_bytes (const char *haystack,
            gsize       len,
            const char *needle,
            gsize       nlen)
{
  const char *p = haystack, *end = haystack + len;

  while (nlen > 0 && (gsize) (end - p) >= nlen)
    {
      p = memchr (p, needle[0], (end - p) - nlen + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, nlen) == 0)
        return p;
      p++;
    }
  return NULL;
}

/* Finds the next delimiter line at or after @from: `--boundary` at the
 * start of a line, then white space and the line end (open), or `--`, a
 * lone `-` or an em dash (close; the rest of that line is ignored). */
static Delimiter
find_delimiter (const char *body,
                gsize       len,
                gsize       from,
                const char *dash_boundary,
                gsize       dlen)
{
  Delimiter d = { DELIM_NONE, 0, len };

  while (from + dlen <= len)
    {
      const char *hit = find_bytes (body + from, len - from, dash_boundary, dlen);
      gsize h, after;

      if (hit == NULL)
        break;
      h = hit - body;
      after = h + dlen;
      from = h + 1;
      if (h > 0 && body[h - 1] != '\n')
        continue;
      if (after < len && (body[after] == '-' ||
                          (len - after >= 3 && memcmp (body + after, EM_DASH, 3) == 0)))
        d.kind = DELIM_CLOSE;
      else
        {
          while (after < len && is_ws (body[after]))
            after++;
          if (after < len && body[after] != '\r' && body[after] != '\n')
            continue;  /* a longer string that starts with the boundary */
          d.kind = DELIM_OPEN;
        }
      d.start = h;
      hit = memchr (body + after, '\n', len - after);
      d.next = hit != NULL ? (gsize) (hit - body) + 1 : len;
      return d;
    }
  return d;
}

static char *
header_lower (GPtrArray  *headers,
              const char *name)
{
  const char *value = beacon_sip_headers_lookup (headers, name, BEACON_SIP_HEADERS_MIME_NAMES);

  return value != NULL && value[0] != '\0' ? g_ascii_strdown (value, -1) : NULL;
}

static BeaconMultipartPart *
parse_part (const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(BeaconMultipartPart) part = g_new0 (BeaconMultipartPart, 1);
  g_autoptr(BeaconSipContentType) ct = NULL;
  BeaconSipHeadersEnd end;
  const char *value;
  gsize pos = 0;

  part->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_header_free);
  if (!beacon_sip_headers_read (data, len, &pos, BEACON_SIP_HEADERS_MIME_NAMES,
                                BEACON_MULTIPART_MAX_PART_HEADERS, part->headers, &end, error))
    return NULL;
  /* The part is bounded by its delimiters, so an unterminated last line
   * is the body (a one-line body with no blank line before it). */
  part->body = g_bytes_new (data + pos, len - pos);

  value = beacon_sip_headers_lookup (part->headers, "Content-ID", BEACON_SIP_HEADERS_MIME_NAMES);
  part->content_id = beacon_multipart_normalize_cid (value);
  value = beacon_sip_headers_lookup (part->headers, "Content-Type", BEACON_SIP_HEADERS_MIME_NAMES);
  if (value != NULL && (ct = beacon_sip_content_type_parse (value, NULL)) != NULL)
    {
      part->content_type = g_strdup (ct->media_type);
      part->charset = g_strdup (ct->charset);
    }
  part->transfer_encoding = header_lower (part->headers, "Content-Transfer-Encoding");
  return g_steal_pointer (&part);
}

/* The end of a part's body: the line end before its closing delimiter
 * belongs to the delimiter (RFC 2046 5.1.1). */
static gsize
strip_line_end (const char *body,
                gsize       start,
                gsize       end)
{
  if (end > start && body[end - 1] == '\n')
    end--;
  if (end > start && body[end - 1] == '\r')
    end--;
  return end;
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

static gboolean
parse_parts (BeaconMultipart  *mp,
             const char       *body,
             gsize             len,
             GError          **error)
{
  g_autofree char *dash_boundary = g_strconcat ("--", mp->boundary, NULL);
  gsize dlen = strlen (dash_boundary);
  Delimiter d = find_delimiter (body, len, 0, dash_boundary, dlen);

  if (d.kind == DELIM_NONE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                   "multipart body never contains its boundary \"%s\"", dash_boundary);
      return FALSE;
    }
  while (d.kind == DELIM_OPEN)
    {
      Delimiter next = find_delimiter (body, len, d.next, dash_boundary, dlen);
      gsize end = strip_line_end (body, d.next, next.kind != DELIM_NONE ? next.start : len);
      BeaconMultipartPart *part;

      /* A body cut after an open delimiter (the seed's M7) ends there. */
      if (next.kind == DELIM_NONE && only_white_space (body + d.next, len - d.next))
        break;
      if (mp->parts->len == BEACON_MULTIPART_MAX_PARTS)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                       "multipart body has more than %d parts", BEACON_MULTIPART_MAX_PARTS);
          return FALSE;
        }
      part = parse_part (body + d.next, end - d.next, error);
      if (part == NULL)
        {
          g_prefix_error (error, "multipart part %u: ", mp->parts->len + 1);
          return FALSE;
        }
      g_ptr_array_add (mp->parts, part);
      d = next;
    }
  mp->closed = (d.kind == DELIM_CLOSE);
  if (mp->parts->len == 0)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "multipart body has no parts");
      return FALSE;
    }
  return TRUE;
}

static BeaconMultipart *
parse_at_depth (const char  *content_type,
                const char  *body,
                gsize        len,
                guint        depth,
                GError     **error)
{
  g_autoptr(BeaconMultipart) mp = NULL;
  g_autoptr(BeaconSipContentType) ct = NULL;

  if (len > BEACON_MULTIPART_MAX_SIZE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "multipart body is %" G_GSIZE_FORMAT " bytes, over the %d byte limit",
                   len, BEACON_MULTIPART_MAX_SIZE);
      return NULL;
    }
  ct = beacon_sip_content_type_parse (content_type, error);
  if (ct == NULL)
    return NULL;
  if (!g_str_has_prefix (ct->media_type, "multipart/"))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "Content-Type %s is not multipart", ct->media_type);
      return NULL;
    }
  if (ct->boundary == NULL || ct->boundary[0] == '\0')
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "multipart Content-Type has no boundary parameter");
      return NULL;
    }
  if (strlen (ct->boundary) > MAX_BOUNDARY)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "multipart boundary is longer than %d characters", MAX_BOUNDARY);
      return NULL;
    }

  mp = g_new0 (BeaconMultipart, 1);
  mp->media_type = g_strdup (ct->media_type);
  mp->boundary = g_strdup (ct->boundary);
  mp->start = beacon_multipart_normalize_cid (ct->start);
  mp->type = g_strdup (ct->type);
  mp->depth = depth;
  mp->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_multipart_part_free);
  if (body == NULL)
    len = 0;
  if (!parse_parts (mp, body != NULL ? body : "", len, error))
    return NULL;
  return g_steal_pointer (&mp);
}

BeaconMultipart *
beacon_multipart_parse (const char  *content_type,
                        const char  *body,
                        gsize        len,
                        GError     **error)
{
  return parse_at_depth (content_type, body, len, 1, error);
}

gboolean
beacon_multipart_part_is_multipart (const BeaconMultipartPart *part)
{
  return part->content_type != NULL && g_str_has_prefix (part->content_type, "multipart/");
}

BeaconMultipart *
beacon_multipart_parse_part (const BeaconMultipart      *parent,
                             const BeaconMultipartPart  *part,
                             GError                    **error)
{
  const char *value;
  gsize len;
  const char *data;

  if (parent->depth >= BEACON_MULTIPART_MAX_DEPTH)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_DEEP,
                   "multipart bodies nested deeper than %d levels", BEACON_MULTIPART_MAX_DEPTH);
      return NULL;
    }
  value = beacon_sip_headers_lookup (part->headers, "Content-Type", BEACON_SIP_HEADERS_MIME_NAMES);
  if (value == NULL)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "multipart part has no Content-Type");
      return NULL;
    }
  data = g_bytes_get_data (part->body, &len);
  return parse_at_depth (value, data, len, parent->depth + 1, error);
}

void
beacon_multipart_free (BeaconMultipart *mp)
{
  if (mp == NULL)
    return;
  g_free (mp->media_type);
  g_free (mp->boundary);
  g_free (mp->start);
  g_free (mp->type);
  g_clear_pointer (&mp->parts, g_ptr_array_unref);
  g_free (mp);
}

char *
beacon_multipart_normalize_cid (const char *cid)
{
  GString *s;
  char *out;

  if (cid == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (const char *p = cid; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (s, *p);
  for (guint round = 0; round < 2; round++)
    {
      if (s->len > 0 && s->str[0] == '<')
        g_string_erase (s, 0, 1);
      if (s->len > 0 && s->str[s->len - 1] == '>')
        g_string_truncate (s, s->len - 1);
      /* A cid: URL (RFC 2392) is %-escaped; a Content-ID is not. */
      if (round == 0 && g_ascii_strncasecmp (s->str, "cid:", 4) == 0)
        {
          g_autofree char *unescaped = g_uri_unescape_string (s->str + 4, NULL);
          if (unescaped != NULL)
            g_string_assign (s, unescaped);
          else
            g_string_erase (s, 0, 4);  /* a bad %-escape: keep it as sent */
        }
    }
  out = g_string_free (s, FALSE);
  if (out[0] == '\0' || !g_utf8_validate (out, -1, NULL))
    g_clear_pointer (&out, g_free);
  return out;
}

BeaconMultipartPart *
beacon_multipart_find_by_cid (const BeaconMultipart *mp,
                              const char            *cid)
{
  g_autofree char *wanted = beacon_multipart_normalize_cid (cid);

  if (wanted == NULL)
    return NULL;
  for (guint i = 0; i < mp->parts->len; i++)
    {
      BeaconMultipartPart *part = g_ptr_array_index (mp->parts, i);
      if (g_strcmp0 (part->content_id, wanted) == 0)
        return part;
    }
  /* Peers disagree on case, in the domain part at least. */
  for (guint i = 0; i < mp->parts->len; i++)
    {
      BeaconMultipartPart *part = g_ptr_array_index (mp->parts, i);
      if (part->content_id != NULL && g_ascii_strcasecmp (part->content_id, wanted) == 0)
        return part;
    }
  return NULL;
}

BeaconMultipartPart *
beacon_multipart_get_root (const BeaconMultipart *mp,
                           const char            *start)
{
  BeaconMultipartPart *root = beacon_multipart_find_by_cid (mp, start != NULL ? start : mp->start);

  if (root == NULL && mp->parts->len > 0)
    root = g_ptr_array_index (mp->parts, 0);
  return root;
}

BeaconMultipartPart *
beacon_multipart_part_new (const char *content_id,
                           const char *content_type,
                           const char *charset,
                           GBytes     *body)
{
  BeaconMultipartPart *part = g_new0 (BeaconMultipartPart, 1);

  part->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_header_free);
  part->content_id = beacon_multipart_normalize_cid (content_id);
  part->content_type = g_strdup (content_type);
  part->charset = g_strdup (charset);
  part->transfer_encoding = g_strdup ("binary");
  part->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  return part;
}

void
beacon_multipart_part_free (BeaconMultipartPart *part)
{
  if (part == NULL)
    return;
  g_clear_pointer (&part->headers, g_ptr_array_unref);
  g_free (part->content_id);
  g_free (part->content_type);
  g_free (part->charset);
  g_free (part->transfer_encoding);
  g_clear_pointer (&part->body, g_bytes_unref);
  g_free (part);
}

/* RFC 2046 bchars, and no trailing space. */
static gboolean
valid_boundary (const char *boundary)
{
  gsize len = boundary != NULL ? strlen (boundary) : 0;

  if (len == 0 || len > 70 || boundary[len - 1] == ' ')
    return FALSE;
  for (const char *p = boundary; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("'()+_,-./:=? ", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A value that goes into a header, in quotes or angle brackets. */
static gboolean
safe_field (const char *value)
{
  return value == NULL || strpbrk (value, "\r\n\"<>") == NULL;
}

GBytes *
beacon_multipart_build (const char  *boundary,
                        const char  *type,
                        const char  *start,
                        GPtrArray   *parts,
                        char       **content_type,
                        GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *dash_boundary = NULL;
  GString *ct;

  if (!valid_boundary (boundary) || !safe_field (type) || !safe_field (start))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "invalid multipart boundary, type or start");
      return NULL;
    }
  if (parts == NULL || parts->len == 0)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "a multipart body needs at least one part");
      return NULL;
    }
  dash_boundary = g_strconcat ("--", boundary, NULL);
  for (guint i = 0; i < parts->len; i++)
    {
      BeaconMultipartPart *part = g_ptr_array_index (parts, i);
      gsize len;
      const char *data = g_bytes_get_data (part->body, &len);
      g_autoptr(GString) head = g_string_new (NULL);

      if (!safe_field (part->content_id) || !safe_field (part->content_type) ||
          !safe_field (part->charset) || !safe_field (part->transfer_encoding) ||
          (len > 0 && find_bytes (data, len, dash_boundary, strlen (dash_boundary)) != NULL))
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                       "multipart part %u has a bad header field or contains the boundary", i + 1);
          return NULL;
        }
      g_string_append_printf (head, "%s\r\n", dash_boundary);
      if (part->transfer_encoding != NULL)
        g_string_append_printf (head, "Content-Transfer-Encoding: %s\r\n", part->transfer_encoding);
      if (part->content_id != NULL)
        g_string_append_printf (head, "Content-ID: <%s>\r\n", part->content_id);
      if (part->content_type != NULL)
        g_string_append_printf (head, "Content-Type: %s%s%s%s\r\n", part->content_type,
                                part->charset != NULL ? ";charset=\"" : "",
                                part->charset != NULL ? part->charset : "",
                                part->charset != NULL ? "\"" : "");
      g_string_append (head, "\r\n");
      g_byte_array_append (out, (const guint8 *) head->str, head->len);
      if (len > 0)
        g_byte_array_append (out, (const guint8 *) data, len);
      g_byte_array_append (out, (const guint8 *) "\r\n", 2);
    }
  g_byte_array_append (out, (const guint8 *) dash_boundary, strlen (dash_boundary));
  g_byte_array_append (out, (const guint8 *) "--\r\n", 4);

  if (content_type != NULL)
    {
      ct = g_string_new ("multipart/related");
      if (type != NULL)
        g_string_append_printf (ct, ";type=\"%s\"", type);
      if (start != NULL)
        g_string_append_printf (ct, ";start=\"<%s>\"", start);
      g_string_append_printf (ct, ";boundary=\"%s\"", boundary);
      *content_type = g_string_free (ct, FALSE);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
