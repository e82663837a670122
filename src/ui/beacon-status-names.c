/* beacon-status-names.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "beacon-status-names.h"

const char *
beacon_status_icon_name (BeaconStatus status)
{
  switch (status)
    {
    case BEACON_STATUS_ONLINE:
      return "user-available-symbolic";
    case BEACON_STATUS_BUSY:
      return "user-busy-symbolic";
    case BEACON_STATUS_AWAY:
      return "user-away-symbolic";
    case BEACON_STATUS_OFFLINE:
    default:
      return "user-offline-symbolic";
    }
}

const char *
beacon_status_label (BeaconStatus status)
{
  switch (status)
    {
    case BEACON_STATUS_ONLINE:
      return _("Online");
    case BEACON_STATUS_BUSY:
      return _("Busy");
    case BEACON_STATUS_AWAY:
      return _("Away");
    case BEACON_STATUS_OFFLINE:
    default:
      return _("Offline");
    }
}

/* Reachable people first: a busy friend can still read a message, an away
 * one probably later, an offline one not now. */
int
beacon_status_sort_rank (BeaconStatus status)
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
