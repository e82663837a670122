/* beacon-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-status.h"

#include <string.h>

static const char *const names[] = {
  [BEACON_STATUS_OFFLINE] = "offline",
  [BEACON_STATUS_ONLINE] = "online",
  [BEACON_STATUS_AWAY] = "away",
  [BEACON_STATUS_BUSY] = "busy",
};

const char *
beacon_status_to_string (BeaconStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (names))
    return "offline";
  return names[status];
}

gboolean
beacon_status_from_string (const char   *str,
                           BeaconStatus *out)
{
  g_autofree char *s = NULL;

  if (str == NULL)
    return FALSE;
  s = g_strstrip (g_strdup (str));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (s, names[i]) == 0)
      {
        if (out != NULL)
          *out = (BeaconStatus) i;
        return TRUE;
      }
  return FALSE;
}

int
beacon_status_rank (BeaconStatus status)
{
  switch (status)
    {
    case BEACON_STATUS_ONLINE:
      return 0;
    case BEACON_STATUS_BUSY:
      return 1;
    case BEACON_STATUS_AWAY:
      return 2;
    case BEACON_STATUS_OFFLINE:
    default:
      return 3;
    }
}
