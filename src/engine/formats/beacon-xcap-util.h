/* beacon-xcap-util.h — what the three XCAP documents share: URI comparison,
 * RFC 4825 URI building, repair of the seed's glued-attribute damage, and
 * element matching that survives undeclared namespace prefixes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Kamailio's xcap_server refuses HTTP URIs longer than this (XCAP_MAX_URI_SIZE). */
#define BEACON_XCAP_KAMAILIO_MAX_URI 255

/* @uri without surrounding white space and `<…>` wrapping, edited in
 * place; returns a pointer into @uri. */
char       *beacon_xcap_uri_unwrap      (char        *uri);
/* The canonical form of a SIP URI for comparison: white space and `<>`
 * removed, scheme and host lower-cased, user part and parameters kept as
 * they are, `sip:` added when there is no scheme (the seed writes
 * `A@ps.cintel.net.cn`). NULL when @uri is NULL or empty. */
char       *beacon_xcap_uri_normalize   (const char  *uri);
/* TRUE when @a and @b name the same URI (see beacon_xcap_uri_normalize). */
gboolean    beacon_xcap_uri_equal       (const char  *a,
                                         const char  *b);

/* Percent-encodes @text for an XCAP URI path: everything outside RFC 3986
 * pchar and `/` (so `[`, `]`, `"`, space, `%`, `?`, `#`, controls and all
 * non-ASCII bytes) becomes %xx, in lower-case hex as the seed writes it;
 * `@ : / = ~` stay. */
char       *beacon_xcap_path_escape     (const char  *text);

/* `resource-lists/list%5b@name=%22NAME%22%5d`, the node selector of one
 * top-level list. NULL and an error when @list_name contains both quote
 * characters (no XPath literal can hold it). */
char       *beacon_xcap_list_selector   (const char  *list_name,
                                         GError     **error);
/* `resource-lists/list%5b@name=%22NAME%22%5d/entry%5b@uri=%22URI%22%5d`, the
 * node selector of one entry (always select by uri: Kamailio replaces every
 * element a selector matches). @max_len is the room left in the HTTP URI
 * for the selector (e.g. BEACON_XCAP_KAMAILIO_MAX_URI minus the document
 * URI and `/~~/`), 0 for no limit; a longer selector gives NULL and a
 * BEACON_FORMAT_ERROR_TOO_LARGE error. */
char       *beacon_xcap_entry_selector  (const char  *list_name,
                                         const char  *uri,
                                         gsize        max_len,
                                         GError     **error);
/* `ROOT/AUID/users/XUI/DOCUMENT` with XUI and DOCUMENT percent-encoded,
 * e.g. `http://127.0.0.1:5080/xcap-root/resource-lists/users/sip:alice@example.test/index`. */
char       *beacon_xcap_document_url    (const char  *xcap_root,
                                         const char  *auid,
                                         const char  *xui,
                                         const char  *document);

/* A copy of @data with the seed's glued-attribute damage undone, always
 * NUL-terminated: a space after `<?xml` when a name follows it, a space
 * between an attribute value's closing quote and the next attribute
 * (`"1.0"encoding=`), and an element name glued to a known attribute name
 * split (`<entryuri=` → `<entry uri=`, `<provide-unknown-attributename=` →
 * `<provide-unknown-attribute name=`). Parsers call it only after a strict
 * parse failed, so well-formed documents are never touched. */
char       *beacon_xcap_repair          (const char  *data,
                                         gsize        len,
                                         gsize       *out_len);

/* Parses an XCAP document: strictly first; when that fails, again, still
 * strictly, from beacon_xcap_repair()'s copy. Not BEACON_XML_TOLERANT:
 * these documents are read, edited and written back whole, and libxml2's
 * recovery reads a truncated document as a shorter one. On failure the
 * first parse's error is the one reported. */
xmlDoc     *beacon_xcap_parse           (const char  *data,
                                         gsize        len,
                                         GError     **error);

/* Builders pass every string through these: text that libxml2 would
 * write but no parser reads back (invalid UTF-8, C0 controls other than
 * tab, CR and LF) is replaced or dropped. */
void        beacon_xcap_set_prop        (xmlNode     *node,
                                         const char  *name,
                                         const char  *value);
xmlNode    *beacon_xcap_add_text_child  (xmlNode     *parent,
                                         xmlNs       *ns,
                                         const char  *name,
                                         const char  *text);

/* beacon_xml_is() that also accepts `prefix:name` on an element whose
 * prefix was never declared: libxml2 keeps such a name whole (the seed's
 * bare `<cr:rule>` element body). */
gboolean    beacon_xcap_is              (const xmlNode *node,
                                         const char    *local_name);
xmlNode    *beacon_xcap_child           (const xmlNode *node,
                                         const char    *local_name);
xmlNode    *beacon_xcap_next            (const xmlNode *node,
                                         const char    *local_name);

G_END_DECLS
