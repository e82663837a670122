/* beacon-roster-docs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-roster-docs.h"

#include <string.h>

#include "formats/beacon-rls-services.h"
#include "beacon-xcap-error.h"

static const char *const auids[] = { "resource-lists", "rls-services", "pres-rules" };
static const char *const files[] = { "resource-lists.xml", "rls-services.xml", "pres-rules.xml" };

const char *
beacon_roster_doc_auid (BeaconRosterDoc doc)
{
  g_return_val_if_fail (doc < BEACON_ROSTER_N_DOCS, NULL);
  return auids[doc];
}

const char *
beacon_roster_doc_file (BeaconRosterDoc doc)
{
  g_return_val_if_fail (doc < BEACON_ROSTER_N_DOCS, NULL);
  return files[doc];
}

static void
bad_document (GError          **error,
              BeaconRosterDoc   doc,
              GError           *cause)
{
  g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT,
               "The server's %s document cannot be read: %s", auids[doc], cause->message);
  g_error_free (cause);
}

BeaconResourceLists *
beacon_roster_docs_read_lists (GBytes  *data,
                               GError **error)
{
  GError *local = NULL;
  BeaconResourceLists *lists;

  if (data == NULL)
    return beacon_resource_lists_new ();
  lists = beacon_resource_lists_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
  if (lists == NULL)
    bad_document (error, BEACON_ROSTER_DOC_LISTS, local);
  return lists;
}

BeaconPresRules *
beacon_roster_docs_read_rules (GBytes  *data,
                               GError **error)
{
  GError *local = NULL;
  BeaconPresRules *rules;

  if (data == NULL)
    return beacon_pres_rules_new_empty ();
  rules = beacon_pres_rules_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
  if (rules == NULL)
    bad_document (error, BEACON_ROSTER_DOC_RULES, local);
  return rules;
}

static BeaconRlsServices *
read_rls (GBytes  *data,
          GError **error)
{
  GError *local = NULL;
  BeaconRlsServices *services;

  if (data == NULL)
    return beacon_rls_services_new ();
  services = beacon_rls_services_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
  if (services == NULL)
    bad_document (error, BEACON_ROSTER_DOC_RLS, local);
  return services;
}

BeaconResourceList *
beacon_roster_docs_buddies (BeaconResourceLists *lists)
{
  for (guint i = 0; i < lists->lists->len; i++)
    {
      BeaconResourceList *list = g_ptr_array_index (lists->lists, i);
      if (g_strcmp0 (list->name, BEACON_ROSTER_LIST_NAME) == 0)
        return list;
    }
  return NULL;
}

gboolean
beacon_roster_doc_check (BeaconRosterDoc   doc,
                         GBytes           *data,
                         GError          **error)
{
  g_return_val_if_fail (data != NULL, FALSE);

  switch (doc)
    {
    case BEACON_ROSTER_DOC_LISTS:
      {
        g_autoptr(BeaconResourceLists) lists = beacon_roster_docs_read_lists (data, error);
        return lists != NULL;
      }
    case BEACON_ROSTER_DOC_RLS:
      {
        g_autoptr(BeaconRlsServices) services = read_rls (data, error);
        return services != NULL;
      }
    case BEACON_ROSTER_DOC_RULES:
      {
        g_autoptr(BeaconPresRules) rules = beacon_roster_docs_read_rules (data, error);
        return rules != NULL;
      }
    case BEACON_ROSTER_N_DOCS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static GBytes *
take_string (char  *text,
             gsize  len)
{
  return g_bytes_new_take (text, len);
}

static GBytes *
bootstrap_rls (GBytes                      *current,
               const BeaconRosterIdentity  *identity,
               GError                     **error)
{
  g_autoptr(BeaconRlsServices) services = NULL;
  g_autofree char *list_url = NULL;
  BeaconRlsService *service;
  gsize len;
  char *text;

  list_url = beacon_rls_services_list_url (identity->xcap_root, identity->xui,
                                           BEACON_ROSTER_DOCUMENT, BEACON_ROSTER_LIST_NAME, error);
  if (list_url == NULL)
    return NULL;

  services = read_rls (current, error);
  if (services == NULL)
    return NULL;
  /* Another client's service for the same URI is left as it is. */
  if (beacon_rls_services_find_service (services, identity->service_uri) != NULL)
    return NULL;

  service = beacon_rls_service_new (identity->service_uri);
  service->resource_list = g_steal_pointer (&list_url);
  g_ptr_array_add (service->packages, g_strdup ("presence"));
  g_ptr_array_insert (services->services, 0, service);
  text = beacon_rls_services_build (services, &len);
  return take_string (text, len);
}

GBytes *
beacon_roster_doc_bootstrap (BeaconRosterDoc              doc,
                             GBytes                      *current,
                             const BeaconRosterIdentity  *identity,
                             GError                     **error)
{
  gsize len;
  char *text;

  switch (doc)
    {
    case BEACON_ROSTER_DOC_LISTS:
      {
        g_autoptr(BeaconResourceLists) lists = beacon_roster_docs_read_lists (current, error);

        if (lists == NULL || beacon_roster_docs_buddies (lists) != NULL)
          return NULL;
        beacon_resource_lists_ensure_list (lists, BEACON_ROSTER_LIST_NAME);
        text = beacon_resource_lists_build (lists, &len);
        return take_string (text, len);
      }
    case BEACON_ROSTER_DOC_RLS:
      return bootstrap_rls (current, identity, error);
    case BEACON_ROSTER_DOC_RULES:
      {
        g_autoptr(BeaconPresRules) rules = beacon_roster_docs_read_rules (current, error);

        /* Kamailio ignores a whole ruleset with one bad rule, so such a
         * document is rewritten (the builder repairs what parse flagged). */
        if (rules == NULL || (current != NULL && !rules->invalid_for_kamailio))
          return NULL;
        text = beacon_pres_rules_build (rules, &len);
        return take_string (text, len);
      }
    case BEACON_ROSTER_N_DOCS:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
beacon_roster_default_service_uri (const char *xui)
{
  const char *at;
  const char *user;

  g_return_val_if_fail (xui != NULL, NULL);

  user = g_str_has_prefix (xui, "sip:") ? xui + 4 : g_str_has_prefix (xui, "sips:") ? xui + 5 : xui;
  at = strrchr (user, '@');
  if (at == NULL)
    return g_strdup_printf ("sip:%s-list", user);
  return g_strdup_printf ("%.*s%.*s-list%s", (int) (user - xui), xui, (int) (at - user), user, at);
}
