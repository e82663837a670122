/* beacon-sip-header.c — header fields shared by SIP, MIME parts and CPIM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-sip-header.h"

#include <string.h>

#include "beacon-format-error.h"

/* RFC 3261 compact forms (and the later ones IANA lists). */
static const struct { char letter; const char *name; } compact_forms[] = {
  { 'a', "Accept-Contact" }, { 'b', "Referred-By" }, { 'c', "Content-Type" },
  { 'd', "Request-Disposition" }, { 'e', "Content-Encoding" }, { 'f', "From" },
  { 'i', "Call-ID" }, { 'j', "Reject-Contact" }, { 'k', "Supported" },
  { 'l', "Content-Length" }, { 'm', "Contact" }, { 'n', "Identity-Info" },
  { 'o', "Event" }, { 'r', "Refer-To" }, { 's', "Subject" }, { 't', "To" },
  { 'u', "Allow-Events" }, { 'v', "Via" }, { 'x', "Session-Expires" },
  { 'y', "Identity" },
};

/* Names whose RFC spelling is not obvious from any one peer's spelling. */
static const char *const sip_names[] = {
  "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info",
  "Allow", "Allow-Events", "Authentication-Info", "Authorization", "Call-ID",
  "Call-Info", "Contact", "Content-Disposition", "Content-Encoding",
  "Content-Language", "Content-Length", "Content-Type", "CSeq", "Date",
  "Error-Info", "Event", "Expires", "From", "Identity", "Identity-Info",
  "In-Reply-To", "Max-Forwards", "MIME-Version", "Min-Expires", "Min-SE",
  "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Path",
  "Priority", "Privacy", "Proxy-Authenticate", "Proxy-Authorization",
  "Proxy-Require", "RAck", "Reason", "Record-Route", "Refer-To", "Referred-By",
  "Reject-Contact", "Reply-To", "Request-Disposition", "Require", "Retry-After",
  "Route", "RSeq", "Server", "Service-Route", "Session-Expires", "SIP-ETag",
  "SIP-If-Match", "Subject", "Subscription-State", "Supported", "Timestamp",
  "To", "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate",
};

static const char *const mime_names[] = {
  "Content-Description", "Content-Disposition", "Content-Encoding", "Content-ID",
  "Content-Language", "Content-Length", "Content-Location",
  "Content-Transfer-Encoding", "Content-Type", "MIME-Version",
};

BeaconSipHeader *
beacon_sip_header_new (const char *name,
                       const char *value)
{
  BeaconSipHeader *header = g_new0 (BeaconSipHeader, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value);
  return header;
}

void
beacon_sip_header_free (BeaconSipHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-.!%*_+`'~", c) != NULL);
}

static gboolean
is_ws (char c)
{
  return c == ' ' || c == '\t';
}

static const char *
find_name (const char *const *names,
           gsize              n_names,
           const char        *name)
{
  for (gsize i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return names[i];
  return NULL;
}

static const char *
known_name (const char            *name,
            BeaconSipHeadersFlags  flags)
{
  const char *known = NULL;

  if (flags & BEACON_SIP_HEADERS_SIP_NAMES)
    {
      if (name[0] != '\0' && name[1] == '\0')
        for (guint i = 0; i < G_N_ELEMENTS (compact_forms); i++)
          if (g_ascii_tolower (name[0]) == compact_forms[i].letter)
            return compact_forms[i].name;
      known = find_name (sip_names, G_N_ELEMENTS (sip_names), name);
    }
  if (known == NULL && (flags & (BEACON_SIP_HEADERS_SIP_NAMES | BEACON_SIP_HEADERS_MIME_NAMES)))
    known = find_name (mime_names, G_N_ELEMENTS (mime_names), name);
  return known;
}

char *
beacon_sip_header_canonical_name (const char            *name,
                                  BeaconSipHeadersFlags  flags)
{
  const char *known = known_name (name, flags);

  return g_strdup (known != NULL ? known : name);
}

const char *
beacon_sip_headers_lookup (GPtrArray             *headers,
                           const char            *name,
                           BeaconSipHeadersFlags  flags)
{
  const char *wanted = known_name (name, flags);

  if (wanted == NULL)
    wanted = name;
  for (guint i = 0; i < headers->len; i++)
    {
      BeaconSipHeader *header = g_ptr_array_index (headers, i);
      if (g_ascii_strcasecmp (header->name, wanted) == 0)
        return header->value;
    }
  return NULL;
}

GPtrArray *
beacon_sip_headers_lookup_all (GPtrArray             *headers,
                               const char            *name,
                               BeaconSipHeadersFlags  flags)
{
  GPtrArray *values = g_ptr_array_new ();
  const char *wanted = known_name (name, flags);

  if (wanted == NULL)
    wanted = name;
  for (guint i = 0; i < headers->len; i++)
    {
      BeaconSipHeader *header = g_ptr_array_index (headers, i);
      if (g_ascii_strcasecmp (header->name, wanted) == 0)
        g_ptr_array_add (values, header->value);
    }
  return values;
}

/* ---- the header block reader ---------------------------------------- */

/* Length of the name when @line looks like `token ws* :`, else 0. A URL
 * (`http://...`) in a body is not a header. */
static gsize
header_name_length (const char *line,
                    gsize       len)
{
  gsize n = 0, i;

  while (n < len && is_token_char (line[n]))
    n++;
  if (n == 0)
    return 0;
  for (i = n; i < len && is_ws (line[i]); i++)
    ;
  if (i == len || line[i] != ':')
    return 0;
  if (i + 2 < len && line[i + 1] == '/' && line[i + 2] == '/')
    return 0;
  return n;
}

/* `token ws* =`: a header parameter folded onto its own line. */
static gboolean
looks_like_param (const char *line,
                  gsize       len)
{
  gsize n = 0;

  while (n < len && is_token_char (line[n]))
    n++;
  while (n > 0 && n < len && is_ws (line[n]))
    n++;
  return n > 0 && n < len && line[n] == '=';
}

static gboolean
has_prefix (const char *line,
            gsize       len,
            const char *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && memcmp (line, prefix, n) == 0;
}

typedef struct {
  GString *name;
  GString *value;
  gboolean open;
} PendingHeader;

static gboolean
flush_header (PendingHeader          *pending,
              BeaconSipHeadersFlags   flags,
              GPtrArray              *headers,
              guint                   max_headers,
              guint                  *count,
              GError                **error)
{
  g_autofree char *value = NULL;
  g_autofree char *name = NULL;

  if (!pending->open)
    return TRUE;
  pending->open = FALSE;
  if (++(*count) > max_headers)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "more than %u header fields", max_headers);
      return FALSE;
    }
  value = g_utf8_make_valid (pending->value->str, pending->value->len);
  g_strstrip (value);
  name = beacon_sip_header_canonical_name (pending->name->str, flags);
  g_ptr_array_add (headers, beacon_sip_header_new (name, value));
  return TRUE;
}

static gboolean
value_ends_open (GString *value)
{
  gsize n = value->len;

  while (n > 0 && is_ws (value->str[n - 1]))
    n--;
  return n > 0 && (value->str[n - 1] == ';' || value->str[n - 1] == ',');
}

/* Whether a line that does not start a new header carries on the pending
 * one; see beacon_sip_headers_read() for the rule. */
static gboolean
continues_header (PendingHeader         *pending,
                  const char            *line,
                  gsize                  len,
                  gsize                  name_len,
                  BeaconSipHeadersFlags  flags)
{
  if (!pending->open)
    return FALSE;
  if (is_ws (line[0]))
    return TRUE;
  if (has_prefix (line, len, "--") || has_prefix (line, len, "<?"))
    return FALSE;
  if (line[0] == ';' || line[0] == ',')
    return TRUE;
  if (value_ends_open (pending->value))
    {
      /* `sip:b@host` after `Contact: <sip:a@host>,` looks like a header
       * called "sip": only a name we know really starts a new one. */
      g_autofree char *name = NULL;

      if (name_len == 0)
        return TRUE;
      name = g_strndup (line, name_len);
      return known_name (name, flags | BEACON_SIP_HEADERS_MIME_NAMES) == NULL;
    }
  if (name_len == 0 && looks_like_param (line, len))
    return memchr (pending->value->str, ';', pending->value->len) != NULL;
  return FALSE;
}

static gboolean
is_blank (const char *line,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!is_ws (line[i]))
      return FALSE;
  return TRUE;
}

gboolean
beacon_sip_headers_read (const char             *data,
                         gsize                   len,
                         gsize                  *pos,
                         BeaconSipHeadersFlags   flags,
                         guint                   max_headers,
                         GPtrArray              *headers,
                         BeaconSipHeadersEnd    *end,
                         GError                **error)
{
  PendingHeader pending = { g_string_new (NULL), g_string_new (NULL), FALSE };
  BeaconSipHeadersEnd how = BEACON_SIP_HEADERS_END_EOF;
  gboolean ok = FALSE;
  guint count = 0;
  gsize p = *pos;

  while (p < len)
    {
      const char *line = data + p;
      const char *lf = memchr (line, '\n', len - p);
      gsize line_len = (lf != NULL ? (gsize) (lf - line) : len - p);
      gsize next = p + line_len + (lf != NULL ? 1 : 0);
      gsize name_len;

      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      if (is_blank (line, line_len))
        {
          p = next;
          how = BEACON_SIP_HEADERS_END_BLANK_LINE;
          break;
        }

      name_len = header_name_length (line, line_len);
      if (continues_header (&pending, line, line_len, name_len, flags))
        {
          gsize skip = 0;
          while (skip < line_len && is_ws (line[skip]))
            skip++;
          if (memchr (line, '\0', line_len) != NULL)
            goto nul;
          /* A bare `param=value` line carries on a parameter list that
           * did not end in `;`: put the separator back. */
          if (skip == 0 && line[0] != ';' && line[0] != ',' && !value_ends_open (pending.value))
            g_string_append_c (pending.value, ';');
          else if (pending.value->len > 0)
            g_string_append_c (pending.value, ' ');
          g_string_append_len (pending.value, line + skip, line_len - skip);
        }
      else if (name_len > 0 && !has_prefix (line, line_len, "--"))
        {
          gsize colon = name_len;
          if (memchr (line, '\0', line_len) != NULL)
            goto nul;
          if (!flush_header (&pending, flags, headers, max_headers, &count, error))
            goto out;
          while (line[colon] != ':')
            colon++;
          g_string_assign (pending.name, "");
          g_string_append_len (pending.name, line, name_len);
          g_string_assign (pending.value, "");
          g_string_append_len (pending.value, line + colon + 1, line_len - colon - 1);
          pending.open = TRUE;
        }
      else
        {
          /* An unterminated last line that is not a header is most likely
           * a header cut short, not a one-line body. */
          how = (lf == NULL && line[0] != '<' ? BEACON_SIP_HEADERS_END_TRUNCATED
                                              : BEACON_SIP_HEADERS_END_BODY);
          break;
        }

      if (pending.name->len + pending.value->len > BEACON_SIP_HEADER_MAX_LINE)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                       "header field %.40s is longer than %d bytes",
                       pending.name->str, BEACON_SIP_HEADER_MAX_LINE);
          goto out;
        }
      p = next;
      if (p == len && pending.open && value_ends_open (pending.value))
        how = BEACON_SIP_HEADERS_END_TRUNCATED;
    }

  if (!flush_header (&pending, flags, headers, max_headers, &count, error))
    goto out;
  *pos = p;
  if (end != NULL)
    *end = how;
  ok = TRUE;
  goto out;

nul:
  g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
               "header field contains a NUL byte");
out:
  g_string_free (pending.name, TRUE);
  g_string_free (pending.value, TRUE);
  return ok;
}

/* ---- taking values apart --------------------------------------------- */

/* Splits @value at @sep outside quoted strings and `<...>`. */
static GPtrArray *
split_outside (const char *value,
               char        sep)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  int angle = 0;
  const char *start = value;

  for (const char *p = value; ; p++)
    {
      if (*p == '\0' || (*p == sep && !quoted && angle == 0))
        {
          g_ptr_array_add (items, g_strstrip (g_strndup (start, p - start)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (quoted && *p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '<')
        angle++;
      else if (!quoted && *p == '>' && angle > 0)
        angle--;
    }
  return items;
}

/* Removes the quotes and backslash escapes of a quoted-string. */
static char *
unquote (const char *value)
{
  GString *out;

  if (value[0] != '"')
    return g_strdup (value);
  out = g_string_new (NULL);
  for (const char *p = value + 1; *p != '\0' && *p != '"'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Splits `name = value` into a lowercased name and an unquoted value. */
static BeaconSipParam *
parse_param (const char *item)
{
  BeaconSipParam *param = g_new0 (BeaconSipParam, 1);
  const char *eq = strchr (item, '=');
  g_autofree char *name = g_strndup (item, eq != NULL ? (gsize) (eq - item) : strlen (item));

  param->name = g_ascii_strdown (g_strstrip (name), -1);
  if (eq != NULL)
    {
      g_autofree char *raw = g_strstrip (g_strdup (eq + 1));
      param->value = unquote (raw);
    }
  else
    param->value = g_strdup ("");
  return param;
}

static void
sip_param_free (BeaconSipParam *param)
{
  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

char *
beacon_sip_header_param (const char *value,
                         const char *param)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (param != NULL, NULL);
  if (value == NULL)
    return NULL;
  items = split_outside (value, ';');
  for (guint i = 1; i < items->len; i++)
    {
      BeaconSipParam *p = parse_param (g_ptr_array_index (items, i));
      char *found = NULL;

      if (g_ascii_strcasecmp (p->name, param) == 0)
        found = g_steal_pointer (&p->value);
      sip_param_free (p);
      if (found != NULL)
        return found;
    }
  return NULL;
}

char *
beacon_sip_header_value_token (const char *value)
{
  g_autoptr(GPtrArray) items = NULL;
  const char *first;

  if (value == NULL)
    return NULL;
  items = split_outside (value, ';');
  first = g_ptr_array_index (items, 0);
  return first[0] != '\0' ? g_ascii_strdown (first, -1) : NULL;
}

GStrv
beacon_sip_header_split_list (const char *value)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (value != NULL)
    {
      g_autoptr(GPtrArray) items = split_outside (value, ',');
      for (guint i = 0; i < items->len; i++)
        {
          const char *item = g_ptr_array_index (items, i);
          if (item[0] != '\0')
            g_strv_builder_add (builder, item);
        }
    }
  return g_strv_builder_end (builder);
}

gboolean
beacon_sip_header_parse_name_addr (const char  *value,
                                   char       **display_name,
                                   char       **uri)
{
  g_autofree char *display = NULL;
  g_autofree char *addr = NULL;
  const char *p = value;

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '"')
    {
      const char *q = p + 1;
      while (*q != '\0' && *q != '"')
        q += (*q == '\\' && q[1] != '\0') ? 2 : 1;
      display = unquote (p);
      p = (*q == '"') ? q + 1 : q;
    }
  if (strchr (p, '<') != NULL)
    {
      const char *lt = strchr (p, '<');
      const char *gt = strchr (lt, '>');
      if (display == NULL)
        display = g_strstrip (g_strndup (p, lt - p));
      addr = g_strstrip (gt != NULL ? g_strndup (lt + 1, gt - lt - 1) : g_strdup (lt + 1));
    }
  else
    {
      /* A bare addr-spec: its parameters belong to the header. */
      g_autoptr(GPtrArray) items = split_outside (p, ';');
      addr = g_strdup (g_ptr_array_index (items, 0));
    }
  if (display != NULL && display[0] == '\0')
    g_clear_pointer (&display, g_free);
  if (addr[0] == '\0')
    return FALSE;
  if (display_name != NULL)
    *display_name = g_steal_pointer (&display);
  if (uri != NULL)
    *uri = g_steal_pointer (&addr);
  return TRUE;
}

static gboolean
is_media_type (const char *type)
{
  const char *slash = strchr (type, '/');

  if (slash == NULL || slash == type || slash[1] == '\0')
    return FALSE;
  for (const char *p = type; *p != '\0'; p++)
    if (p != slash && !is_token_char (*p))
      return FALSE;
  return TRUE;
}

BeaconSipContentType *
beacon_sip_content_type_parse (const char  *value,
                               GError     **error)
{
  g_autoptr(BeaconSipContentType) ct = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const char *type;

  if (value == NULL)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "no Content-Type");
      return NULL;
    }
  items = split_outside (value, ';');
  type = g_ptr_array_index (items, 0);
  if (!is_media_type (type))
    {
      g_autofree char *shown = g_utf8_make_valid (type, MIN (strlen (type), 60));
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                   "Content-Type \"%s\" is not a type/subtype", shown);
      return NULL;
    }
  ct = g_new0 (BeaconSipContentType, 1);
  ct->media_type = g_ascii_strdown (type, -1);
  ct->params = g_ptr_array_new_with_free_func ((GDestroyNotify) sip_param_free);
  for (guint i = 1; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      BeaconSipParam *param;

      if (item[0] == '\0')
        continue;  /* `;;` and a trailing `;` */
      param = parse_param (item);
      g_ptr_array_add (ct->params, param);
      if (ct->boundary == NULL && g_str_equal (param->name, "boundary"))
        ct->boundary = g_strdup (param->value);
      else if (ct->start == NULL && g_str_equal (param->name, "start"))
        ct->start = g_strdup (param->value);
      else if (ct->type == NULL && g_str_equal (param->name, "type"))
        ct->type = g_ascii_strdown (param->value, -1);
      else if (ct->charset == NULL && g_str_equal (param->name, "charset"))
        ct->charset = g_ascii_strdown (param->value, -1);
    }
  return g_steal_pointer (&ct);
}

void
beacon_sip_content_type_free (BeaconSipContentType *content_type)
{
  if (content_type == NULL)
    return;
  g_free (content_type->media_type);
  g_free (content_type->boundary);
  g_free (content_type->start);
  g_free (content_type->type);
  g_free (content_type->charset);
  g_clear_pointer (&content_type->params, g_ptr_array_unref);
  g_free (content_type);
}
