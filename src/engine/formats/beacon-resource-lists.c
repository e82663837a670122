/* beacon-resource-lists.c — RFC 4826 resource-lists documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-resource-lists.h"

#include <string.h>

#include "beacon-format-error.h"
#include "beacon-xml.h"

BeaconResourceEntry *
beacon_resource_entry_new (const char *uri,
                           const char *display_name)
{
  BeaconResourceEntry *entry = g_new0 (BeaconResourceEntry, 1);

  entry->uri = g_strdup (uri);
  entry->display_name = g_strdup (display_name);
  return entry;
}

void
beacon_resource_entry_free (BeaconResourceEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->uri);
  g_free (entry->display_name);
  g_free (entry);
}

BeaconResourceList *
beacon_resource_list_new (const char *name)
{
  BeaconResourceList *list = g_new0 (BeaconResourceList, 1);

  list->name = g_strdup (name);
  list->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_resource_entry_free);
  list->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_resource_list_free);
  list->externals = g_ptr_array_new_with_free_func (g_free);
  list->entry_refs = g_ptr_array_new_with_free_func (g_free);
  return list;
}

void
beacon_resource_list_free (BeaconResourceList *list)
{
  if (list == NULL)
    return;
  g_free (list->name);
  g_free (list->display_name);
  g_ptr_array_unref (list->entries);
  g_ptr_array_unref (list->lists);
  g_ptr_array_unref (list->externals);
  g_ptr_array_unref (list->entry_refs);
  g_free (list);
}

BeaconResourceLists *
beacon_resource_lists_new (void)
{
  BeaconResourceLists *doc = g_new0 (BeaconResourceLists, 1);

  doc->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_resource_list_free);
  return doc;
}

void
beacon_resource_lists_free (BeaconResourceLists *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->lists);
  g_free (doc);
}

/* A URI as written, minus the white space and `<>` peers wrap it in. */
static char *
clean_uri (const char *raw)
{
  g_autofree char *copy = NULL;
  char *s;

  if (raw == NULL)
    return NULL;
  copy = g_strdup (raw);
  s = beacon_xcap_uri_unwrap (copy);
  return *s != '\0' ? g_strdup (s) : NULL;
}

/* Recursion is bounded: beacon_xml_parse() refuses documents nested deeper
 * than BEACON_XML_MAX_DEPTH. */
BeaconResourceList *
beacon_resource_list_from_node (const xmlNode *node)
{
  BeaconResourceList *list;

  g_return_val_if_fail (node != NULL, NULL);

  list = beacon_resource_list_new (NULL);
  list->name = beacon_xml_prop (node, "name");
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (beacon_xcap_is (child, "display-name"))
        {
          if (list->display_name == NULL)
            list->display_name = beacon_xml_text (child);
        }
      else if (beacon_xcap_is (child, "entry"))
        {
          g_autofree char *raw = beacon_xml_prop (child, "uri");
          g_autofree char *uri = clean_uri (raw);
          g_autofree char *display_name = NULL;

          if (uri == NULL)
            continue;
          display_name = beacon_xml_text (beacon_xcap_child (child, "display-name"));
          g_ptr_array_add (list->entries, beacon_resource_entry_new (uri, display_name));
        }
      else if (beacon_xcap_is (child, "list"))
        g_ptr_array_add (list->lists, beacon_resource_list_from_node (child));
      else if (beacon_xcap_is (child, "external"))
        {
          char *anchor = beacon_xml_prop (child, "anchor");
          if (anchor != NULL && *anchor != '\0')
            g_ptr_array_add (list->externals, anchor);
          else
            g_free (anchor);
        }
      else if (beacon_xcap_is (child, "entry-ref"))
        {
          char *ref = beacon_xml_prop (child, "ref");
          if (ref != NULL && *ref != '\0')
            g_ptr_array_add (list->entry_refs, ref);
          else
            g_free (ref);
        }
    }
  return list;
}

BeaconResourceLists *
beacon_resource_lists_parse (const char  *data,
                             gsize        len,
                             GError     **error)
{
  g_autoptr(xmlDoc) xml = NULL;
  BeaconResourceLists *doc;
  xmlNode *root;

  xml = beacon_xcap_parse (data, len, error);
  if (xml == NULL)
    return NULL;
  root = xmlDocGetRootElement (xml);
  if (!beacon_xcap_is (root, "resource-lists"))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "resource-lists document has <%s> instead of a <resource-lists> root element",
                   (const char *) root->name);
      return NULL;
    }

  doc = beacon_resource_lists_new ();
  for (xmlNode *n = beacon_xcap_child (root, "list"); n != NULL; n = beacon_xcap_next (n, "list"))
    g_ptr_array_add (doc->lists, beacon_resource_list_from_node (n));
  return doc;
}

static void
fill_entry_node (xmlNode    *node,
                 xmlNs      *ns,
                 const char *uri,
                 const char *display_name)
{
  beacon_xcap_set_prop (node, "uri", uri != NULL ? uri : "");
  if (display_name != NULL)
    beacon_xcap_add_text_child (node, ns, "display-name", display_name);
}

void
beacon_resource_list_to_node (const BeaconResourceList *list,
                              xmlNode                  *parent,
                              xmlNs                    *list_ns,
                              xmlNs                    *ns)
{
  xmlNode *node;

  g_return_if_fail (list != NULL && parent != NULL);

  node = xmlNewChild (parent, list_ns, (const xmlChar *) "list", NULL);
  beacon_xcap_set_prop (node, "name", list->name);
  /* RFC 4826 order: display-name first, then the members. */
  if (list->display_name != NULL)
    beacon_xcap_add_text_child (node, ns, "display-name", list->display_name);
  for (guint i = 0; i < list->entries->len; i++)
    {
      BeaconResourceEntry *entry = g_ptr_array_index (list->entries, i);

      fill_entry_node (xmlNewChild (node, ns, (const xmlChar *) "entry", NULL), ns,
                       entry->uri, entry->display_name);
    }
  for (guint i = 0; i < list->lists->len; i++)
    beacon_resource_list_to_node (g_ptr_array_index (list->lists, i), node, ns, ns);
  for (guint i = 0; i < list->externals->len; i++)
    beacon_xcap_set_prop (xmlNewChild (node, ns, (const xmlChar *) "external", NULL),
                          "anchor", g_ptr_array_index (list->externals, i));
  for (guint i = 0; i < list->entry_refs->len; i++)
    beacon_xcap_set_prop (xmlNewChild (node, ns, (const xmlChar *) "entry-ref", NULL),
                          "ref", g_ptr_array_index (list->entry_refs, i));
}

char *
beacon_resource_lists_build (const BeaconResourceLists *doc,
                             gsize                     *len)
{
  g_autoptr(xmlDoc) xml = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewNode (NULL, (const xmlChar *) "resource-lists");
  xmlNs *ns = xmlNewNs (root, (const xmlChar *) BEACON_RESOURCE_LISTS_NS, NULL);

  g_return_val_if_fail (doc != NULL, NULL);

  xmlSetNs (root, ns);
  xmlDocSetRootElement (xml, root);
  for (guint i = 0; i < doc->lists->len; i++)
    beacon_resource_list_to_node (g_ptr_array_index (doc->lists, i), root, ns, ns);
  return beacon_xml_to_string (xml, len);
}

static BeaconResourceList *
find_list_in (GPtrArray  *lists,
              const char *name)
{
  for (guint i = 0; i < lists->len; i++)
    {
      BeaconResourceList *list = g_ptr_array_index (lists, i);
      BeaconResourceList *found;

      if (g_strcmp0 (list->name, name) == 0)
        return list;
      found = find_list_in (list->lists, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

BeaconResourceList *
beacon_resource_lists_find_list (const BeaconResourceLists *doc,
                                 const char                *name)
{
  g_return_val_if_fail (doc != NULL && name != NULL, NULL);

  return find_list_in (doc->lists, name);
}

BeaconResourceList *
beacon_resource_lists_ensure_list (BeaconResourceLists *doc,
                                   const char          *name)
{
  BeaconResourceList *list;

  g_return_val_if_fail (doc != NULL && name != NULL, NULL);

  for (guint i = 0; i < doc->lists->len; i++)
    {
      list = g_ptr_array_index (doc->lists, i);
      if (g_strcmp0 (list->name, name) == 0)
        return list;
    }
  list = beacon_resource_list_new (name);
  g_ptr_array_add (doc->lists, list);
  return list;
}

static gint
find_entry_index (const BeaconResourceList *list,
                  const char               *uri)
{
  g_autofree char *wanted = beacon_xcap_uri_normalize (uri);

  if (wanted == NULL)
    return -1;
  for (guint i = 0; i < list->entries->len; i++)
    {
      BeaconResourceEntry *entry = g_ptr_array_index (list->entries, i);
      g_autofree char *have = beacon_xcap_uri_normalize (entry->uri);

      if (have != NULL && strcmp (have, wanted) == 0)
        return (gint) i;
    }
  return -1;
}

BeaconResourceEntry *
beacon_resource_list_find_entry (const BeaconResourceList *list,
                                 const char               *uri)
{
  gint i;

  g_return_val_if_fail (list != NULL, NULL);

  i = find_entry_index (list, uri);
  return i >= 0 ? g_ptr_array_index (list->entries, i) : NULL;
}

gboolean
beacon_resource_list_add_entry (BeaconResourceList *list,
                                const char         *uri,
                                const char         *display_name)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (list != NULL, FALSE);

  clean = clean_uri (uri);
  if (clean == NULL || find_entry_index (list, clean) >= 0)
    return FALSE;
  g_ptr_array_add (list->entries, beacon_resource_entry_new (clean, display_name));
  return TRUE;
}

gboolean
beacon_resource_list_remove_entry (BeaconResourceList *list,
                                   const char         *uri)
{
  gint i;

  g_return_val_if_fail (list != NULL, FALSE);

  i = find_entry_index (list, uri);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (list->entries, (guint) i);
  return TRUE;
}

char *
beacon_resource_entry_build_element (const char *uri,
                                     const char *display_name)
{
  g_autoptr(xmlDoc) xml = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *node = xmlNewNode (NULL, (const xmlChar *) "entry");
  xmlNs *ns = xmlNewNs (node, (const xmlChar *) BEACON_RESOURCE_LISTS_NS, NULL);
  g_autofree char *clean = clean_uri (uri);
  xmlBuffer *buffer;
  char *out;

  g_return_val_if_fail (clean != NULL, NULL);

  xmlSetNs (node, ns);
  xmlDocSetRootElement (xml, node);
  fill_entry_node (node, ns, clean, display_name);
  buffer = xmlBufferCreate ();
  xmlNodeDump (buffer, xml, node, 0, 0);
  out = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return out;
}
