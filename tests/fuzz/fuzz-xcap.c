/* fuzz-xcap.c — the three XCAP document parsers on the same input, then
 * their builders, checking what Beacon relies on: a built document always
 * parses again, and editing a watcher's sub-handling makes lookup agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"
#include "formats/beacon-rls-services.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)

static void
fuzz_resource_lists (const char *data,
                     size_t      size)
{
  g_autoptr(BeaconResourceLists) doc = beacon_resource_lists_parse (data, size, NULL);
  g_autoptr(BeaconResourceLists) again = NULL;
  g_autofree char *xml = NULL;
  gsize len = 0;

  if (doc == NULL)
    return;
  xml = beacon_resource_lists_build (doc, &len);
  again = beacon_resource_lists_parse (xml, len, NULL);
  CHECK (again != NULL);
  CHECK (again->lists->len == doc->lists->len);

  for (guint i = 0; i < doc->lists->len; i++)
    {
      BeaconResourceList *list = g_ptr_array_index (doc->lists, i);

      for (guint k = 0; k < list->entries->len && k < 4; k++)
        {
          BeaconResourceEntry *entry = g_ptr_array_index (list->entries, k);
          g_autofree char *selector = beacon_xcap_entry_selector (list->name ? list->name : "",
                                                                  entry->uri, 255, NULL);
          g_autofree char *element = beacon_resource_entry_build_element (entry->uri,
                                                                          entry->display_name);

          CHECK (beacon_resource_list_find_entry (list, entry->uri) != NULL);
          CHECK (element != NULL);
          CHECK (selector == NULL || strlen (selector) <= 255);
        }
    }
}

static void
fuzz_rls_services (const char *data,
                   size_t      size)
{
  g_autoptr(BeaconRlsServices) doc = beacon_rls_services_parse (data, size, NULL);
  g_autoptr(BeaconRlsServices) again = NULL;
  g_autofree char *xml = NULL;
  gsize len = 0;

  if (doc == NULL)
    return;
  xml = beacon_rls_services_build (doc, &len);
  again = beacon_rls_services_parse (xml, len, NULL);
  CHECK (again != NULL);
  CHECK (again->services->len == doc->services->len);
}

static void
fuzz_pres_rules (const char *data,
                 size_t      size)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_parse (data, size, NULL);
  g_autoptr(BeaconPresRules) again = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *watcher = NULL;
  gsize len = 0;

  if (rules == NULL)
    return;
  xml = beacon_pres_rules_build (rules, &len);
  again = beacon_pres_rules_parse (xml, len, NULL);
  CHECK (again != NULL);
  CHECK (!again->invalid_for_kamailio);

  /* Move the first watcher named anywhere into the block rule. */
  for (guint i = 0; watcher == NULL && i < rules->rules->len; i++)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);
      if (rule->identities->len > 0)
        watcher = g_strdup (g_ptr_array_index (rule->identities, 0));
    }
  if (watcher == NULL)
    return;
  beacon_pres_rules_set_handling (rules, watcher, BEACON_SUB_HANDLING_BLOCK);
  CHECK (beacon_pres_rules_lookup (rules, watcher) == BEACON_SUB_HANDLING_BLOCK);
  g_clear_pointer (&xml, g_free);
  g_clear_pointer (&again, beacon_pres_rules_free);
  xml = beacon_pres_rules_build (rules, &len);
  again = beacon_pres_rules_parse (xml, len, NULL);
  CHECK (again != NULL);
  CHECK (beacon_pres_rules_lookup (again, watcher) == BEACON_SUB_HANDLING_BLOCK);
  CHECK (beacon_pres_rules_remove (again, watcher));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;

  /* The size and element bounds are unit-tested with the hostile-huge
   * fixtures; fuzzing them only measures libxml2's speed. */
  if (size > 64 * 1024)
    return 0;
  fuzz_resource_lists (text, size);
  fuzz_rls_services (text, size);
  fuzz_pres_rules (text, size);
  return 0;
}
