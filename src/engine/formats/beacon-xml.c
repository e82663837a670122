/* beacon-xml.c — hardened libxml2 parsing and small tree helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-xml.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "beacon-format-error.h"

/* A DOCTYPE is the only way in to entity bombs and external entities, and
 * no SIMPLE document has one: refuse it before libxml2 sees the bytes. */
static gboolean
has_markup_declaration (const char *data,
                        gsize       len)
{
  static const char *const forbidden[] = { "<!DOCTYPE", "<!ENTITY" };

  for (gsize i = 0; i + 2 < len; i++)
    {
      if (data[i] != '<' || data[i + 1] != '!')
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (forbidden); k++)
        {
          gsize n = strlen (forbidden[k]);
          if (i + n <= len && g_ascii_strncasecmp (data + i, forbidden[k], n) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
check_shape (xmlNode  *root,
             GError  **error)
{
  xmlNode *node = root;
  guint depth = 1;
  guint count = 0;

  /* Iterative pre-order walk: hostile nesting cannot grow our stack. */
  while (node != NULL)
    {
      if (node->type == XML_ELEMENT_NODE)
        {
          if (++count > BEACON_XML_MAX_NODES)
            {
              g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                           "XML document has more than %d elements", BEACON_XML_MAX_NODES);
              return FALSE;
            }
          if (depth > BEACON_XML_MAX_DEPTH)
            {
              g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_DEEP,
                           "XML elements nested deeper than %d levels", BEACON_XML_MAX_DEPTH);
              return FALSE;
            }
        }
      if (node->type == XML_ENTITY_REF_NODE || node->type == XML_ENTITY_DECL ||
          node->type == XML_DTD_NODE)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_FORBIDDEN,
                       "XML entity references are not allowed");
          return FALSE;
        }

      if (node->children != NULL && node->type == XML_ELEMENT_NODE)
        {
          node = node->children;
          depth++;
          continue;
        }
      while (node != NULL && node != root && node->next == NULL)
        {
          node = node->parent;
          depth--;
        }
      if (node == NULL || node == root)
        break;
      node = node->next;
    }
  return TRUE;
}

static xmlDoc *
parse_with_options (const char  *data,
                    gsize        len,
                    int          options,
                    GError     **error)
{
  xmlParserCtxt *ctxt = xmlNewParserCtxt ();
  xmlDoc *doc;

  if (ctxt == NULL)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                           "Could not create an XML parser");
      return NULL;
    }
  /* SIMPLE documents are UTF-8 (RFC 3863, 4662, ...): whatever the XML
   * declaration says, decode as UTF-8, so invalid bytes are an error. */
  doc = xmlCtxtReadMemory (ctxt, data, (int) len, NULL, "UTF-8", options);
  if (doc == NULL || (!(options & XML_PARSE_RECOVER) && !ctxt->wellFormed))
    {
      const xmlError *e = xmlCtxtGetLastError (ctxt);
      g_autofree char *msg = g_strdup (e && e->message ? e->message : "unknown error");

      g_strchomp (msg);
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                   "XML is not well-formed (line %d): %s", e ? e->line : 0, msg);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  xmlFreeParserCtxt (ctxt);
  return doc;
}

xmlDoc *
beacon_xml_parse (const char      *data,
                  gsize            len,
                  BeaconXmlFlags   flags,
                  GError         **error)
{
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA;
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                           "XML document is empty");
      return NULL;
    }
  if (len > BEACON_XML_MAX_SIZE)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "XML document of %" G_GSIZE_FORMAT " bytes is over the %d byte limit",
                   len, BEACON_XML_MAX_SIZE);
      return NULL;
    }
  /* XML 1.0 has no NUL character; libxml2 would stop reading there and
   * hand back the document cut short (a note ending mid-sentence). */
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                           "XML is not well-formed: it contains a NUL byte");
      return NULL;
    }
  if (has_markup_declaration (data, len))
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_FORBIDDEN,
                           "XML document declares a DTD or entities, which are not allowed");
      return NULL;
    }

  xmlInitParser ();
  doc = parse_with_options (data, len, options, error);
  if (doc == NULL && (flags & BEACON_XML_TOLERANT))
    {
      g_autoptr(GError) strict_error = NULL;

      /* Keep the strict error if recovery does not give a usable tree. */
      doc = parse_with_options (data, len, options | XML_PARSE_RECOVER, &strict_error);
      if (doc != NULL)
        g_clear_error (error);
    }
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  if (root == NULL)
    {
      g_clear_error (error);
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED,
                           "XML document has no root element");
      return NULL;
    }
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_FORBIDDEN,
                           "XML document declares a DTD, which is not allowed");
      return NULL;
    }
  if (!check_shape (root, error))
    return NULL;

  return g_steal_pointer (&doc);
}

gboolean
beacon_xml_is (const xmlNode *node,
               const char    *local_name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         g_strcmp0 ((const char *) node->name, local_name) == 0;
}

xmlNode *
beacon_xml_next (const xmlNode *node,
                 const char    *local_name)
{
  for (xmlNode *n = node ? node->next : NULL; n != NULL; n = n->next)
    if (beacon_xml_is (n, local_name))
      return n;
  return NULL;
}

xmlNode *
beacon_xml_child (const xmlNode *node,
                  const char    *local_name)
{
  if (node == NULL)
    return NULL;
  for (xmlNode *n = node->children; n != NULL; n = n->next)
    if (beacon_xml_is (n, local_name))
      return n;
  return NULL;
}

char *
beacon_xml_text (const xmlNode *node)
{
  xmlChar *raw;
  char *text;

  if (node == NULL)
    return NULL;
  raw = xmlNodeGetContent (node);
  if (raw == NULL)
    return NULL;
  text = g_strstrip (g_strdup ((const char *) raw));
  xmlFree (raw);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

char *
beacon_xml_child_text (const xmlNode *node,
                       const char    *local_name)
{
  return beacon_xml_text (beacon_xml_child (node, local_name));
}

char *
beacon_xml_prop (const xmlNode *node,
                 const char    *name)
{
  xmlChar *raw;
  char *value;

  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return NULL;
  raw = xmlGetProp (node, (const xmlChar *) name);
  if (raw == NULL)
    return NULL;
  value = g_strstrip (g_strdup ((const char *) raw));
  xmlFree (raw);
  return value;
}

char *
beacon_xml_to_string (xmlDoc *doc,
                      gsize  *len)
{
  xmlChar *mem = NULL;
  int size = 0;
  char *out;

  xmlDocDumpFormatMemoryEnc (doc, &mem, &size, "UTF-8", 1);
  out = g_strndup ((const char *) mem, size);
  xmlFree (mem);
  if (len != NULL)
    *len = size;
  return out;
}

/* ---- repair --------------------------------------------------------------- */

static gboolean
has_prefix_n (const char *data,
              gsize       len,
              const char *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && memcmp (data, prefix, n) == 0;
}

/* Index just past @needle at or after @from, or @len when absent. */
static gsize
skip_past (const char *data,
           gsize       len,
           gsize       from,
           const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = from; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return i + n;
  return len;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || (guchar) c >= 0x80;
}

static gboolean
is_name_char (char c)
{
  return is_name_start (c) || g_ascii_isdigit (c) || c == '-' || c == '.';
}

/* TRUE when @s (at a "&") starts an entity or character reference. */
static gboolean
is_reference (const char *s,
              gsize       n)
{
  gsize i = 1;

  if (i < n && s[i] == '#')
    {
      gboolean hex = ++i < n && s[i] == 'x';
      gsize digits = hex ? i + 1 : i;

      for (i = digits; i < n && (hex ? g_ascii_isxdigit (s[i]) : g_ascii_isdigit (s[i])); i++)
        ;
      return i > digits && i < n && s[i] == ';';
    }
  if (i >= n || !(g_ascii_isalpha (s[i]) || s[i] == '_'))
    return FALSE;
  while (i < n && is_name_char (s[i]))
    i++;
  return i < n && s[i] == ';';
}

/* How much of @name (glued to an attribute) is one of @elements, with or
 * without a prefix: "contactpriority" → 7, "dm:personid" → 9; 0: none. */
static gsize
glued_element_length (const char        *name,
                      gsize              len,
                      const char *const *elements)
{
  const char *colon = memchr (name, ':', len);
  gsize offsets[2] = { 0, colon != NULL ? (gsize) (colon - name) + 1 : 0 };

  for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
    for (guint i = 0; elements[i] != NULL; i++)
      {
        gsize n = offsets[k] + strlen (elements[i]);

        if (n < len && has_prefix_n (name + offsets[k], len - offsets[k], elements[i]))
          return n;
      }
  return 0;
}

char *
beacon_xml_repair (const char           *data,
                   gsize                 len,
                   BeaconXmlRepairFlags  flags,
                   const char *const    *glued_elements,
                   gsize                *out_len)
{
  gboolean ampersands = (flags & BEACON_XML_REPAIR_AMPERSANDS) != 0;
  GString *out = g_string_sized_new (len + 16);
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  while (i < len)
    {
      gsize name_start, stop = 0;
      char quote = 0;

      if (ampersands && data[i] == '&' && !is_reference (data + i, len - i))
        {
          g_string_append (out, "&amp;");
          i++;
          continue;
        }
      if (data[i] != '<')
        {
          g_string_append_c (out, data[i++]);
          continue;
        }
      if (has_prefix_n (data + i, len - i, "<!--"))
        stop = skip_past (data, len, i + 4, "-->");
      else if (has_prefix_n (data + i, len - i, "<![CDATA["))
        stop = skip_past (data, len, i + 9, "]]>");
      if (stop != 0)
        {
          g_string_append_len (out, data + i, stop - i);
          i = stop;
          continue;
        }
      if (has_prefix_n (data + i, len - i, "<?xmlversion"))
        {
          g_string_append (out, "<?xml ");
          i += 5;
        }

      /* The tag name. */
      g_string_append_c (out, data[i++]);
      if (i < len && (data[i] == '/' || data[i] == '?'))
        g_string_append_c (out, data[i++]);
      name_start = i;
      while (i < len && is_name_char (data[i]))
        i++;
      if (glued_elements != NULL && i < len && data[i] == '=')
        {
          gsize split = glued_element_length (data + name_start, i - name_start, glued_elements);

          if (split != 0)
            {
              g_string_append_len (out, data + name_start, split);
              g_string_append_c (out, ' ');
              name_start += split;
            }
        }
      g_string_append_len (out, data + name_start, i - name_start);

      /* The attributes: after a closing quote, a name must not follow. */
      while (i < len)
        {
          char c = data[i++];

          if (ampersands && quote != 0 && c == '&' && !is_reference (data + i - 1, len - i + 1))
            {
              g_string_append (out, "&amp;");
              continue;
            }
          g_string_append_c (out, c);
          if (quote != 0)
            {
              if (c == quote)
                {
                  quote = 0;
                  if (i < len && is_name_start (data[i]))
                    g_string_append_c (out, ' ');
                }
            }
          else if (c == '"' || c == '\'')
            quote = c;
          else if (c == '>')
            break;
        }
    }
  *out_len = out->len;
  return g_string_free (out, FALSE);
}
