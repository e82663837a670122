/* fuzz-pidf.c — libFuzzer target for the PIDF parser, summary and builder
 *
 * Any input: parse must not crash or leak, and a refusal must say why.
 * Input that parses is summarised; then a document built from its entity,
 * status, note and first contact must parse back to the same summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-pidf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconPidf) pidf = NULL;
  g_autoptr(BeaconPidf) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *note_again = NULL;
  g_autofree char *xml = NULL;
  const char *contact = NULL;
  BeaconStatus status, status_again;
  gsize len = 0;

  if (beacon_pidf_body_is_empty ((const char *) data, size))
    {
      if (beacon_pidf_parse ((const char *) data, size, NULL) != NULL)
        abort ();
      return 0;
    }
  pidf = beacon_pidf_parse ((const char *) data, size, &error);
  if (pidf == NULL)
    {
      if (error == NULL || error->message == NULL || error->message[0] == '\0')
        abort ();
      return 0;
    }

  beacon_pidf_summarize (pidf, &status, &note);
  if ((guint) status > BEACON_STATUS_BUSY)
    abort ();
  if (note != NULL && (note[0] == '\0' || !g_utf8_validate (note, -1, NULL)))
    abort ();

  if (pidf->tuples->len > 0)
    contact = ((BeaconPidfTuple *) g_ptr_array_index (pidf->tuples, 0))->contact;
  xml = beacon_pidf_build (pidf->entity ? pidf->entity : "sip:unknown@invalid", status, note,
                           contact, &len);
  again = beacon_pidf_parse (xml, len, &error);
  if (again == NULL || again->tuples->len != 1)
    abort ();
  beacon_pidf_summarize (again, &status_again, &note_again);
  if (status_again != status || g_strcmp0 (note, note_again) != 0)
    abort ();
  if (g_strcmp0 (((BeaconPidfTuple *) g_ptr_array_index (again->tuples, 0))->contact, contact) != 0)
    abort ();
  if (pidf->entity != NULL && g_strcmp0 (again->entity, pidf->entity) != 0)
    abort ();
  return 0;
}
