/* fuzz-roster-edits.c — libFuzzer target: the queue of roster edits as
 * Beacon reads it back from queue.ini after a restart
 *
 * What parses must be usable (a non-empty URI, a known kind and answer)
 * and must come back the same through serialize + parse, since the queue
 * is written again after every change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "xcap/beacon-roster-edit.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) edits = beacon_roster_edits_parse ((const char *) data, size, NULL);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *written = NULL;
  gsize len = 0;

  if (edits == NULL)
    return 0;
  for (guint i = 0; i < edits->len; i++)
    {
      const BeaconRosterEdit *edit = g_ptr_array_index (edits, i);

      CHECK (edit->uri != NULL && edit->uri[0] != '\0');
      CHECK (edit->kind <= BEACON_ROSTER_EDIT_UNBLOCK);
      CHECK (g_utf8_validate (edit->uri, -1, NULL));
      CHECK (edit->display_name == NULL || g_utf8_validate (edit->display_name, -1, NULL));
    }
  written = beacon_roster_edits_serialize (edits, &len);
  CHECK (written != NULL);
  again = beacon_roster_edits_parse (written, len, NULL);
  CHECK (again != NULL && again->len == edits->len);
  for (guint i = 0; i < edits->len; i++)
    {
      const BeaconRosterEdit *a = g_ptr_array_index (edits, i);
      const BeaconRosterEdit *b = g_ptr_array_index (again, i);

      CHECK (a->kind == b->kind);
      CHECK (g_str_equal (a->uri, b->uri));
      CHECK (g_strcmp0 (a->display_name, b->display_name) == 0);
      CHECK (a->kind != BEACON_ROSTER_EDIT_AUTHORIZE || a->answer == b->answer);
    }
  return 0;
}
