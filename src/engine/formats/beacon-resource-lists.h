/* beacon-resource-lists.h — RFC 4826 resource-lists documents (the buddy
 * list Beacon keeps on the XCAP server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "beacon-xcap-util.h"

G_BEGIN_DECLS

#define BEACON_RESOURCE_LISTS_NS "urn:ietf:params:xml:ns:resource-lists"

typedef struct {
  char *uri;           /* as the document writes it, trimmed and without <> */
  char *display_name;  /* NULL when absent */
} BeaconResourceEntry;

typedef struct _BeaconResourceList BeaconResourceList;
struct _BeaconResourceList {
  char      *name;          /* NULL when absent (RFC 4826 makes it optional) */
  char      *display_name;
  GPtrArray *entries;       /* BeaconResourceEntry */
  GPtrArray *lists;         /* BeaconResourceList, nested */
  GPtrArray *externals;     /* char *: <external anchor="…"> */
  GPtrArray *entry_refs;    /* char *: <entry-ref ref="…"> */
};

typedef struct {
  GPtrArray *lists;         /* BeaconResourceList */
} BeaconResourceLists;

BeaconResourceEntry *beacon_resource_entry_new          (const char *uri,
                                                         const char *display_name);
void                 beacon_resource_entry_free         (BeaconResourceEntry *entry);
BeaconResourceList  *beacon_resource_list_new           (const char *name);
void                 beacon_resource_list_free          (BeaconResourceList *list);
BeaconResourceLists *beacon_resource_lists_new          (void);
void                 beacon_resource_lists_free         (BeaconResourceLists *doc);

/* Parses a whole `<resource-lists>` document. Damage the seed shows
 * (`<entryuri="…">`, `<?xml version="1.0"encoding=…`) is repaired; entries
 * without a uri are skipped. */
BeaconResourceLists *beacon_resource_lists_parse        (const char  *data,
                                                         gsize        len,
                                                         GError     **error);
/* The whole document, UTF-8 with an XML declaration, for a document PUT. */
char                *beacon_resource_lists_build        (const BeaconResourceLists *doc,
                                                         gsize                     *len);

/* The first list called @name, depth first through nested lists. */
BeaconResourceList  *beacon_resource_lists_find_list    (const BeaconResourceLists *doc,
                                                         const char                *name);
/* The top-level list called @name, appended when missing. */
BeaconResourceList  *beacon_resource_lists_ensure_list  (BeaconResourceLists *doc,
                                                         const char          *name);
/* The entry of @list (not of nested lists) naming @uri; URIs compare as
 * beacon_xcap_uri_equal() does (scheme and host case-insensitive). */
BeaconResourceEntry *beacon_resource_list_find_entry    (const BeaconResourceList *list,
                                                         const char               *uri);
/* Appends an entry; FALSE when @list already has @uri (or @uri is empty). */
gboolean             beacon_resource_list_add_entry     (BeaconResourceList *list,
                                                         const char         *uri,
                                                         const char         *display_name);
/* FALSE when @list has no entry for @uri. */
gboolean             beacon_resource_list_remove_entry  (BeaconResourceList *list,
                                                         const char         *uri);

/* One `<entry>` element, without XML declaration, as the body of an XCAP
 * element PUT (Content-Type application/xcap-el+xml) to the selector
 * beacon_xcap_entry_selector() gives. It declares the resource-lists
 * namespace itself so it means the same wherever the server inserts it. */
char                *beacon_resource_entry_build_element (const char *uri,
                                                          const char *display_name);

/* For beacon-rls-services, whose <service> may hold an inline list of the
 * same type: read one <list> element, and write one under @parent with its
 * children in @ns. */
BeaconResourceList  *beacon_resource_list_from_node     (const xmlNode *node);
void                 beacon_resource_list_to_node       (const BeaconResourceList *list,
                                                         xmlNode                  *parent,
                                                         xmlNs                    *list_ns,
                                                         xmlNs                    *ns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconResourceEntry, beacon_resource_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconResourceList, beacon_resource_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconResourceLists, beacon_resource_lists_free)

G_END_DECLS
