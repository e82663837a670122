/* beacon-xcap-util.c — helpers shared by the XCAP document formats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-xcap-util.h"

#include <string.h>

#include "beacon-format-error.h"
#include "beacon-xml.h"

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986) */
static gsize
scheme_length (const char *uri)
{
  gsize i = 0;

  if (!g_ascii_isalpha (uri[0]))
    return 0;
  while (g_ascii_isalnum (uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')
    i++;
  return uri[i] == ':' ? i : 0;
}

char *
beacon_xcap_uri_unwrap (char *uri)
{
  char *start = g_strstrip (uri);
  gsize n = strlen (start);

  /* As often as they nest, so that unwrapping twice changes nothing. */
  while (n >= 2 && start[0] == '<' && start[n - 1] == '>')
    {
      start[n - 1] = '\0';
      start = g_strstrip (start + 1);
      n = strlen (start);
    }
  return start;
}

char *
beacon_xcap_uri_normalize (const char *uri)
{
  g_autofree char *copy = NULL;
  char *start;
  GString *out;
  gsize scheme, host, host_end, at;

  if (uri == NULL)
    return NULL;
  copy = g_strdup (uri);
  start = beacon_xcap_uri_unwrap (copy);
  if (*start == '\0')
    return NULL;

  out = g_string_new (NULL);
  scheme = scheme_length (start);
  if (scheme == 0)
    g_string_append (out, "sip:");
  else
    {
      for (gsize i = 0; i <= scheme; i++)
        g_string_append_c (out, g_ascii_tolower (start[i]));
      start += scheme + 1;
    }

  /* The host follows the last `@` of the part before any parameters or
   * headers (a user part cannot hold a bare `@`); with no `@` the whole
   * part is the host. */
  host_end = strcspn (start, ";?");
  at = 0;
  for (gsize i = 0; i < host_end; i++)
    if (start[i] == '@')
      at = i + 1;
  host = at;
  g_string_append_len (out, start, host);
  for (gsize i = host; i < host_end; i++)
    g_string_append_c (out, g_ascii_tolower (start[i]));
  g_string_append (out, start + host_end);
  return g_string_free (out, FALSE);
}

gboolean
beacon_xcap_uri_equal (const char *a,
                       const char *b)
{
  g_autofree char *na = beacon_xcap_uri_normalize (a);
  g_autofree char *nb = beacon_xcap_uri_normalize (b);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

/* RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and
 * `/` separates the node selector's steps. */
static gboolean
is_path_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("-._~!$&'()*+,;=:@/", c) != NULL;
}

char *
beacon_xcap_path_escape (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 16);
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      /* Lower-case hex, as the seed and RFC 4825's examples write it. */
      if (is_path_char (*p))
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02x", *p);
    }
  return g_string_free (out, FALSE);
}

/* An XPath-style attribute test, `[@name="value"]`; RFC 4825 allows either
 * quote, so a value holding `"` is written between apostrophes. */
static gboolean
append_attribute_test (GString     *out,
                       const char  *attribute,
                       const char  *value,
                       GError     **error)
{
  char quote = '"';

  if (strchr (value, '"') != NULL)
    {
      if (strchr (value, '\'') != NULL)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                       "XCAP node selector cannot hold a %s with both quote characters",
                       attribute);
          return FALSE;
        }
      quote = '\'';
    }
  g_string_append_printf (out, "[@%s=%c%s%c]", attribute, quote, value, quote);
  return TRUE;
}

char *
beacon_xcap_list_selector (const char  *list_name,
                           GError     **error)
{
  g_autoptr(GString) raw = g_string_new ("resource-lists/list");

  g_return_val_if_fail (list_name != NULL, NULL);

  if (!append_attribute_test (raw, "name", list_name, error))
    return NULL;
  return beacon_xcap_path_escape (raw->str);
}

char *
beacon_xcap_entry_selector (const char  *list_name,
                            const char  *uri,
                            gsize        max_len,
                            GError     **error)
{
  g_autoptr(GString) raw = g_string_new ("resource-lists/list");
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (list_name != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (!append_attribute_test (raw, "name", list_name, error))
    return NULL;
  g_string_append (raw, "/entry");
  if (!append_attribute_test (raw, "uri", uri, error))
    return NULL;

  escaped = beacon_xcap_path_escape (raw->str);
  if (max_len > 0 && strlen (escaped) > max_len)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "XCAP node selector for “%s” is %" G_GSIZE_FORMAT " bytes, over the "
                   "%" G_GSIZE_FORMAT " bytes left in the URI",
                   uri, strlen (escaped), max_len);
      return NULL;
    }
  return g_steal_pointer (&escaped);
}

/* One path segment: like beacon_xcap_path_escape(), and `/` too, as it
 * would add a step inside an XUI or a document name. */
static char *
segment_escape (const char *text)
{
  g_autofree char *escaped = beacon_xcap_path_escape (text);
  g_auto(GStrv) parts = g_strsplit (escaped, "/", -1);

  return g_strjoinv ("%2f", parts);
}

char *
beacon_xcap_document_url (const char *xcap_root,
                          const char *auid,
                          const char *xui,
                          const char *document)
{
  g_autofree char *root = NULL;
  g_autofree char *xui_escaped = NULL;
  g_autofree char *doc_escaped = NULL;
  gsize n;

  g_return_val_if_fail (xcap_root != NULL && auid != NULL, NULL);
  g_return_val_if_fail (xui != NULL && document != NULL, NULL);

  root = g_strdup (xcap_root);
  n = strlen (root);
  while (n > 0 && root[n - 1] == '/')
    root[--n] = '\0';
  xui_escaped = segment_escape (xui);
  doc_escaped = segment_escape (document);
  return g_strdup_printf ("%s/%s/users/%s/%s", root, auid, xui_escaped, doc_escaped);
}

/* ---- repair ---- */

static gboolean
is_name_start (guchar c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || c >= 0x80;
}

static gboolean
is_name_char (guchar c)
{
  return is_name_start (c) || g_ascii_isdigit (c) || c == '-' || c == '.';
}

/* Attribute names the seed glues to their element's name. */
static const char *const glued_attributes[] = {
  "uri", "name", "id", "entity", "anchor", "ref", "domain", "version", "priority",
};

static void
append_element_name (GString    *out,
                     const char *name,
                     gsize       len,
                     gboolean    glued)
{
  gsize best = 0;

  if (glued)
    for (guint k = 0; k < G_N_ELEMENTS (glued_attributes); k++)
      {
        gsize n = strlen (glued_attributes[k]);
        if (n < len && n > best && memcmp (name + len - n, glued_attributes[k], n) == 0)
          best = n;
      }
  g_string_append_len (out, name, len - best);
  if (best > 0)
    {
      g_string_append_c (out, ' ');
      g_string_append_len (out, name + len - best, best);
    }
}

static gsize
copy_through (GString    *out,
              const char *data,
              gsize       len,
              gsize       i,
              const char *terminator)
{
  gsize n = strlen (terminator);
  gsize j = i;

  while (j < len && !(j + n <= len && memcmp (data + j, terminator, n) == 0))
    j++;
  j = MIN (len, j + n);
  g_string_append_len (out, data + i, j - i);
  return j;
}

char *
beacon_xcap_repair (const char *data,
                    gsize       len,
                    gsize      *out_len)
{
  GString *out = g_string_sized_new (len + 16);
  gsize i = 0;

  while (i < len)
    {
      gboolean pi;
      gsize name_start;
      char quote = 0;

      if (data[i] != '<')
        {
          g_string_append_c (out, data[i++]);
          continue;
        }
      if (i + 4 <= len && memcmp (data + i, "<!--", 4) == 0)
        {
          i = copy_through (out, data, len, i, "-->");
          continue;
        }
      if (i + 9 <= len && memcmp (data + i, "<![CDATA[", 9) == 0)
        {
          i = copy_through (out, data, len, i, "]]>");
          continue;
        }
      if (i + 1 < len && (data[i + 1] == '!' || data[i + 1] == '/'))
        {
          i = copy_through (out, data, len, i, ">");
          continue;
        }

      pi = i + 1 < len && data[i + 1] == '?';
      g_string_append_len (out, data + i, pi ? 2 : 1);
      i += pi ? 2 : 1;
      name_start = i;
      while (i < len && is_name_char ((guchar) data[i]))
        i++;
      if (pi && i - name_start > 3 && memcmp (data + name_start, "xml", 3) == 0 &&
          g_ascii_isalpha (data[name_start + 3]))
        {
          g_string_append (out, "xml ");
          g_string_append_len (out, data + name_start + 3, i - name_start - 3);
        }
      else
        append_element_name (out, data + name_start, i - name_start,
                             !pi && i < len && data[i] == '=');

      /* Attributes, up to the end of the tag. */
      while (i < len)
        {
          char c = data[i];

          if (quote != 0)
            {
              g_string_append_c (out, c);
              i++;
              if (c == quote)
                {
                  quote = 0;
                  if (i < len && is_name_start ((guchar) data[i]))
                    g_string_append_c (out, ' ');
                }
              continue;
            }
          if (c == '<')
            break;
          g_string_append_c (out, c);
          i++;
          if (c == '"' || c == '\'')
            quote = c;
          else if (c == '>')
            break;
        }
    }

  if (out_len != NULL)
    *out_len = out->len;
  return g_string_free (out, FALSE);
}

xmlDoc *
beacon_xcap_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(GError) strict_error = NULL;
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;
  xmlDoc *doc;

  doc = beacon_xml_parse (data, len, BEACON_XML_STRICT, &strict_error);
  if (doc != NULL)
    return doc;
  /* Only damage is worth a second look, not refused or oversized input. */
  if (!g_error_matches (strict_error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED))
    {
      g_propagate_error (error, g_steal_pointer (&strict_error));
      return NULL;
    }
  /* Strict again, not BEACON_XML_TOLERANT: libxml2's recovery turns a
   * truncated document into a shorter valid one, and Beacon writes these
   * documents back whole, so recovering would delete buddies and rules. */
  repaired = beacon_xcap_repair (data, len, &repaired_len);
  doc = beacon_xml_parse (repaired, repaired_len, BEACON_XML_STRICT, NULL);
  if (doc == NULL)
    g_propagate_error (error, g_steal_pointer (&strict_error));
  return doc;
}

/* XML 1.0 Char: no C0 controls but tab, LF and CR, no U+FFFE or U+FFFF. */
static char *
xml_safe (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x20 && c != 0xFFFE && c != 0xFFFF) || c == '\t' || c == '\n' || c == '\r')
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

void
beacon_xcap_set_prop (xmlNode    *node,
                      const char *name,
                      const char *value)
{
  g_autofree char *safe = NULL;

  if (value == NULL)
    return;
  safe = xml_safe (value);
  xmlSetProp (node, (const xmlChar *) name, (const xmlChar *) safe);
}

xmlNode *
beacon_xcap_add_text_child (xmlNode    *parent,
                            xmlNs      *ns,
                            const char *name,
                            const char *text)
{
  g_autofree char *safe = text != NULL ? xml_safe (text) : NULL;

  /* xmlNewTextChild escapes `<` and `&`, unlike xmlNewChild. */
  return xmlNewTextChild (parent, ns, (const xmlChar *) name, (const xmlChar *) safe);
}

/* ---- element matching ---- */

gboolean
beacon_xcap_is (const xmlNode *node,
                const char    *local_name)
{
  const char *colon;

  if (beacon_xml_is (node, local_name))
    return TRUE;
  if (node == NULL || node->type != XML_ELEMENT_NODE || node->ns != NULL)
    return FALSE;
  colon = strrchr ((const char *) node->name, ':');
  return colon != NULL && strcmp (colon + 1, local_name) == 0;
}

xmlNode *
beacon_xcap_next (const xmlNode *node,
                  const char    *local_name)
{
  for (xmlNode *n = node ? node->next : NULL; n != NULL; n = n->next)
    if (beacon_xcap_is (n, local_name))
      return n;
  return NULL;
}

xmlNode *
beacon_xcap_child (const xmlNode *node,
                   const char    *local_name)
{
  if (node == NULL)
    return NULL;
  for (xmlNode *n = node->children; n != NULL; n = n->next)
    if (beacon_xcap_is (n, local_name))
      return n;
  return NULL;
}
