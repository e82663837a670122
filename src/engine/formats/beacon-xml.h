/* beacon-xml.h — hardened libxml2 parsing and small tree helpers
 *
 * Every format parser reads XML through beacon_xml_parse(): no DTD, no
 * entity declarations, no network or file access, bounded size and depth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

#define BEACON_XML_MAX_SIZE  (1024 * 1024)  /* bytes of one XML document */
#define BEACON_XML_MAX_DEPTH 32             /* element nesting */
#define BEACON_XML_MAX_NODES 20000          /* elements in one document */

typedef enum {
  BEACON_XML_STRICT   = 0,
  /* Accept documents with the damage real peers send (the seed's
   * `<contactpriority="1.0">`): libxml2's recovery mode, used only after a
   * strict parse failed. */
  BEACON_XML_TOLERANT = 1 << 0,
} BeaconXmlFlags;

/* Parses @data (@len bytes, not necessarily NUL-terminated). Returns a
 * document with a root element, or NULL and sets @error in the
 * BEACON_FORMAT_ERROR domain. */
xmlDoc     *beacon_xml_parse      (const char     *data,
                                   gsize           len,
                                   BeaconXmlFlags  flags,
                                   GError        **error);

/* TRUE when @node is an element called @local_name; the namespace is not
 * compared, as peers get namespaces wrong. */
gboolean    beacon_xml_is         (const xmlNode  *node,
                                   const char     *local_name);
/* The first child element called @local_name, or NULL. */
xmlNode    *beacon_xml_child      (const xmlNode  *node,
                                   const char     *local_name);
/* The next sibling element of @node called @local_name, or NULL. */
xmlNode    *beacon_xml_next       (const xmlNode  *node,
                                   const char     *local_name);
/* Text content with surrounding white space removed; NULL when empty. */
char       *beacon_xml_text       (const xmlNode  *node);
/* Text of the first child called @local_name (see beacon_xml_text). */
char       *beacon_xml_child_text (const xmlNode  *node,
                                   const char     *local_name);
/* An attribute's value with white space trimmed; NULL when absent. */
char       *beacon_xml_prop       (const xmlNode  *node,
                                   const char     *name);

typedef enum {
  BEACON_XML_REPAIR_GLUE       = 0,
  /* Also escape a bare "&" in text or in an attribute value (notes written
   * unescaped, `uri="sip:a@b;x&y"`), which recovery would drop. */
  BEACON_XML_REPAIR_AMPERSANDS = 1 << 0,
} BeaconXmlRepairFlags;

/* Puts back the spaces real peers' documents lose (the seed's): after
 * `<?xml` in `<?xmlversion="1.0"`, between attributes in `a="x"b="y"`, and,
 * for a tag name glued to its first attribute that starts with one of
 * @glued_elements (NULL-terminated, may be NULL) with or without a prefix,
 * after the element name: `<contactpriority="1.0">` (a name directly
 * followed by "=" is never well-formed). libxml2's recovery would instead
 * drop the rest of the tag and everything in it. Comments and CDATA are
 * copied as they are, so a well-formed document comes out unchanged except
 * for leading white space, which must not precede an XML declaration
 * (multipart bodies often start with a stray CRLF). Returns a new buffer of
 * *@out_len bytes (not NUL-terminated). */
char       *beacon_xml_repair     (const char            *data,
                                   gsize                  len,
                                   BeaconXmlRepairFlags   flags,
                                   const char *const     *glued_elements,
                                   gsize                 *out_len);

/* Serialises @doc as UTF-8 with an XML declaration. */
char       *beacon_xml_to_string  (xmlDoc         *doc,
                                   gsize          *len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
