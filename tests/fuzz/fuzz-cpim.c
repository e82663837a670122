/* fuzz-cpim.c — libFuzzer target: one message/cpim body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "formats/beacon-cpim.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconCpim) cpim = beacon_cpim_parse ((const char *) data, size, NULL);
  g_autofree char *rebuilt = NULL;

  if (cpim == NULL)
    return 0;
  /* What parses must build again when it is text. */
  if (cpim->text != NULL && cpim->from_uri != NULL && cpim->to_uri != NULL)
    {
      rebuilt = beacon_cpim_build (cpim->from_uri, cpim->to_uri, cpim->datetime, cpim->text, NULL);
      if (rebuilt != NULL)
        {
          g_autoptr(BeaconCpim) again = beacon_cpim_parse (rebuilt, strlen (rebuilt), NULL);
          g_assert (again != NULL);
          g_assert (g_str_equal (again->text, cpim->text));
        }
    }
  return 0;
}
