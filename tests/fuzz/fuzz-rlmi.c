/* fuzz-rlmi.c — libFuzzer target for the RLMI parser and builder
 *
 * Any input: parse must not crash or leak. Input that parses must survive
 * build → parse unchanged (the builder's output is what fakes send us).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "formats/beacon-rlmi.h"

static gboolean
rlmi_equal (const BeaconRlmi *a,
            const BeaconRlmi *b)
{
  if (g_strcmp0 (a->uri, b->uri) != 0 || a->version != b->version ||
      a->full_state != b->full_state || g_strcmp0 (a->cid, b->cid) != 0 ||
      a->names->len != b->names->len || a->resources->len != b->resources->len)
    return FALSE;
  for (guint i = 0; i < a->names->len; i++)
    {
      const BeaconRlmiName *na = g_ptr_array_index (a->names, i);
      const BeaconRlmiName *nb = g_ptr_array_index (b->names, i);

      if (g_strcmp0 (na->lang, nb->lang) != 0 || g_strcmp0 (na->text, nb->text) != 0)
        return FALSE;
    }
  for (guint i = 0; i < a->resources->len; i++)
    {
      const BeaconRlmiResource *ra = g_ptr_array_index (a->resources, i);
      const BeaconRlmiResource *rb = g_ptr_array_index (b->resources, i);

      if (g_strcmp0 (ra->uri, rb->uri) != 0 || g_strcmp0 (ra->name, rb->name) != 0 ||
          ra->instances->len != rb->instances->len)
        return FALSE;
      for (guint k = 0; k < ra->instances->len; k++)
        {
          const BeaconRlmiInstance *ia = g_ptr_array_index (ra->instances, k);
          const BeaconRlmiInstance *ib = g_ptr_array_index (rb->instances, k);

          if (g_strcmp0 (ia->id, ib->id) != 0 || ia->state != ib->state ||
              g_strcmp0 (ia->reason, ib->reason) != 0 || g_strcmp0 (ia->cid, ib->cid) != 0)
            return FALSE;
        }
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconRlmi) rlmi = NULL;
  g_autoptr(BeaconRlmi) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *cid = NULL;
  g_autofree char *cid_again = NULL;
  gsize len = 0;

  /* The cid normaliser takes header values too: it must be idempotent. */
  cid = beacon_rlmi_normalize_cid (text);
  cid_again = beacon_rlmi_normalize_cid (cid);
  if (g_strcmp0 (cid, cid_again) != 0)
    abort ();

  rlmi = beacon_rlmi_parse ((const char *) data, size, &error);
  if (rlmi == NULL)
    {
      if (error == NULL || error->message == NULL)
        abort ();
      return 0;
    }
  for (guint i = 0; i < rlmi->resources->len; i++)
    (void) beacon_rlmi_resource_state (g_ptr_array_index (rlmi->resources, i));
  (void) beacon_rlmi_check_version (rlmi->version, TRUE, rlmi);

  xml = beacon_rlmi_build (rlmi, &len);
  again = beacon_rlmi_parse (xml, len, &error);
  if (again == NULL || !rlmi_equal (rlmi, again))
    abort ();
  return 0;
}
