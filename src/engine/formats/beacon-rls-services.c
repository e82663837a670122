/* beacon-rls-services.c — RFC 4826 rls-services documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-rls-services.h"

#include <string.h>

#include "beacon-format-error.h"
#include "beacon-xml.h"

BeaconRlsService *
beacon_rls_service_new (const char *uri)
{
  BeaconRlsService *service = g_new0 (BeaconRlsService, 1);

  service->uri = g_strdup (uri);
  service->packages = g_ptr_array_new_with_free_func (g_free);
  return service;
}

void
beacon_rls_service_free (BeaconRlsService *service)
{
  if (service == NULL)
    return;
  g_free (service->uri);
  g_free (service->resource_list);
  g_clear_pointer (&service->list, beacon_resource_list_free);
  g_ptr_array_unref (service->packages);
  g_free (service);
}

BeaconRlsServices *
beacon_rls_services_new (void)
{
  BeaconRlsServices *doc = g_new0 (BeaconRlsServices, 1);

  doc->services = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_rls_service_free);
  return doc;
}

void
beacon_rls_services_free (BeaconRlsServices *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->services);
  g_free (doc);
}

/* The seed breaks the URL over two lines; no white space belongs in a URL. */
static char *
squeeze_url (char *text)
{
  char *w = text;

  if (text == NULL)
    return NULL;
  for (const char *r = text; *r != '\0'; r++)
    if (!g_ascii_isspace (*r))
      *w++ = *r;
  *w = '\0';
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static BeaconRlsService *
service_from_node (const xmlNode *node)
{
  g_autofree char *uri = beacon_xml_prop (node, "uri");
  BeaconRlsService *service;
  xmlNode *child;

  if (uri == NULL || *uri == '\0')
    return NULL;
  service = beacon_rls_service_new (uri);
  child = beacon_xcap_child (node, "resource-list");
  if (child != NULL)
    service->resource_list = squeeze_url (beacon_xml_text (child));
  else if ((child = beacon_xcap_child (node, "list")) != NULL)
    service->list = beacon_resource_list_from_node (child);

  child = beacon_xcap_child (node, "packages");
  for (xmlNode *p = beacon_xcap_child (child, "package"); p != NULL;
       p = beacon_xcap_next (p, "package"))
    {
      char *package = beacon_xml_text (p);
      if (package != NULL)
        g_ptr_array_add (service->packages, package);
    }
  return service;
}

BeaconRlsServices *
beacon_rls_services_parse (const char  *data,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(xmlDoc) xml = NULL;
  BeaconRlsServices *doc;
  xmlNode *root;

  xml = beacon_xcap_parse (data, len, error);
  if (xml == NULL)
    return NULL;
  root = xmlDocGetRootElement (xml);
  if (!beacon_xcap_is (root, "rls-services"))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "rls-services document has <%s> instead of an <rls-services> root element",
                   (const char *) root->name);
      return NULL;
    }

  doc = beacon_rls_services_new ();
  for (xmlNode *n = beacon_xcap_child (root, "service"); n != NULL;
       n = beacon_xcap_next (n, "service"))
    {
      BeaconRlsService *service = service_from_node (n);
      if (service != NULL)
        g_ptr_array_add (doc->services, service);
    }
  return doc;
}

char *
beacon_rls_services_build (const BeaconRlsServices *doc,
                           gsize                   *len)
{
  g_autoptr(xmlDoc) xml = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewNode (NULL, (const xmlChar *) "rls-services");
  xmlNs *ns = xmlNewNs (root, (const xmlChar *) BEACON_RLS_SERVICES_NS, NULL);
  xmlNs *rl = xmlNewNs (root, (const xmlChar *) BEACON_RESOURCE_LISTS_NS, (const xmlChar *) "rl");

  g_return_val_if_fail (doc != NULL, NULL);

  xmlSetNs (root, ns);
  xmlDocSetRootElement (xml, root);
  for (guint i = 0; i < doc->services->len; i++)
    {
      BeaconRlsService *service = g_ptr_array_index (doc->services, i);
      xmlNode *node = xmlNewChild (root, ns, (const xmlChar *) "service", NULL);
      xmlNode *packages;

      beacon_xcap_set_prop (node, "uri", service->uri != NULL ? service->uri : "");
      /* The schema wants exactly one of the two. */
      if (service->resource_list != NULL)
        beacon_xcap_add_text_child (node, ns, "resource-list", service->resource_list);
      else if (service->list != NULL)
        beacon_resource_list_to_node (service->list, node, ns, rl);
      else
        xmlNewChild (node, ns, (const xmlChar *) "list", NULL);

      if (service->packages->len == 0)
        continue;
      packages = xmlNewChild (node, ns, (const xmlChar *) "packages", NULL);
      for (guint k = 0; k < service->packages->len; k++)
        beacon_xcap_add_text_child (packages, ns, "package",
                                    g_ptr_array_index (service->packages, k));
    }
  return beacon_xml_to_string (xml, len);
}

char *
beacon_rls_services_build_single (const char *service_uri,
                                  const char *resource_list_url,
                                  gsize      *len)
{
  g_autoptr(BeaconRlsServices) doc = beacon_rls_services_new ();
  BeaconRlsService *service;
  g_autofree char *url = NULL;

  g_return_val_if_fail (service_uri != NULL && resource_list_url != NULL, NULL);

  service = beacon_rls_service_new (service_uri);
  url = g_strdup (resource_list_url);
  service->resource_list = squeeze_url (g_steal_pointer (&url));
  g_ptr_array_add (service->packages, g_strdup ("presence"));
  g_ptr_array_add (doc->services, service);
  return beacon_rls_services_build (doc, len);
}

BeaconRlsService *
beacon_rls_services_find_service (const BeaconRlsServices *doc,
                                  const char              *uri)
{
  g_return_val_if_fail (doc != NULL, NULL);

  for (guint i = 0; i < doc->services->len; i++)
    {
      BeaconRlsService *service = g_ptr_array_index (doc->services, i);
      if (beacon_xcap_uri_equal (service->uri, uri))
        return service;
    }
  return NULL;
}

char *
beacon_rls_services_list_url (const char  *xcap_root,
                              const char  *xui,
                              const char  *document,
                              const char  *list_name,
                              GError     **error)
{
  g_autofree char *doc_url = NULL;
  g_autofree char *selector = NULL;

  g_return_val_if_fail (xcap_root != NULL && xui != NULL, NULL);
  g_return_val_if_fail (document != NULL && list_name != NULL, NULL);

  selector = beacon_xcap_list_selector (list_name, error);
  if (selector == NULL)
    return NULL;
  doc_url = beacon_xcap_document_url (xcap_root, "resource-lists", xui, document);
  return g_strdup_printf ("%s/~~/%s", doc_url, selector);
}
