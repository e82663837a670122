/* beacon-status-names.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "beacon-status-names.h"

#include "lan/beacon-lan-account.h"

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

BeaconShownState
beacon_shown_state_for (BeaconBuddy *buddy,
                        gboolean     blocked)
{
  if (blocked)
    return BEACON_SHOWN_BLOCKED;
  switch (beacon_buddy_get_subscription (buddy))
    {
    case BEACON_SUBSCRIPTION_PENDING:
      return BEACON_SHOWN_PENDING;
    case BEACON_SUBSCRIPTION_REJECTED:
      return BEACON_SHOWN_REJECTED;
    case BEACON_SUBSCRIPTION_NONE:
    case BEACON_SUBSCRIPTION_ACTIVE:
    default:
      break;
    }
  switch (beacon_buddy_get_status (buddy))
    {
    case BEACON_STATUS_ONLINE:
      return BEACON_SHOWN_ONLINE;
    case BEACON_STATUS_BUSY:
      return BEACON_SHOWN_BUSY;
    case BEACON_STATUS_AWAY:
      return BEACON_SHOWN_AWAY;
    case BEACON_STATUS_OFFLINE:
    default:
      return BEACON_SHOWN_OFFLINE;
    }
}

const char *
beacon_shown_state_icon_name (BeaconShownState state)
{
  switch (state)
    {
    case BEACON_SHOWN_ONLINE:
      return beacon_status_icon_name (BEACON_STATUS_ONLINE);
    case BEACON_SHOWN_BUSY:
      return beacon_status_icon_name (BEACON_STATUS_BUSY);
    case BEACON_SHOWN_AWAY:
      return beacon_status_icon_name (BEACON_STATUS_AWAY);
    case BEACON_SHOWN_PENDING:
      return "user-status-pending-symbolic";
    case BEACON_SHOWN_REJECTED:
      return "user-not-tracked-symbolic";
    case BEACON_SHOWN_BLOCKED:
      return "action-unavailable-symbolic";
    case BEACON_SHOWN_OFFLINE:
    default:
      return beacon_status_icon_name (BEACON_STATUS_OFFLINE);
    }
}

const char *
beacon_shown_state_label (BeaconShownState state)
{
  switch (state)
    {
    case BEACON_SHOWN_ONLINE:
      return beacon_status_label (BEACON_STATUS_ONLINE);
    case BEACON_SHOWN_BUSY:
      return beacon_status_label (BEACON_STATUS_BUSY);
    case BEACON_SHOWN_AWAY:
      return beacon_status_label (BEACON_STATUS_AWAY);
    case BEACON_SHOWN_PENDING:
      return _("Waiting for authorisation");
    case BEACON_SHOWN_REJECTED:
      return _("Does not share their status");
    case BEACON_SHOWN_BLOCKED:
      return _("Blocked");
    case BEACON_SHOWN_OFFLINE:
    default:
      return beacon_status_label (BEACON_STATUS_OFFLINE);
    }
}

const char *
beacon_shown_state_css_class (BeaconShownState state)
{
  static const char *const classes[] = {
    [BEACON_SHOWN_ONLINE] = "status-online",
    [BEACON_SHOWN_BUSY] = "status-busy",
    [BEACON_SHOWN_AWAY] = "status-away",
    [BEACON_SHOWN_OFFLINE] = "status-offline",
    [BEACON_SHOWN_PENDING] = "status-pending",
    [BEACON_SHOWN_REJECTED] = "status-rejected",
    [BEACON_SHOWN_BLOCKED] = "status-blocked",
  };

  return (guint) state < G_N_ELEMENTS (classes) ? classes[state] : classes[BEACON_SHOWN_OFFLINE];
}

char *
beacon_person_name (const char *uri,
                    const char *name)
{
  const char *user;
  const char *at;

  if (name != NULL && *name != '\0' && g_strcmp0 (name, uri) != 0)
    return g_strdup (name);
  if (uri == NULL)
    return g_strdup ("");
  user = uri;
  if (g_ascii_strncasecmp (user, "sip:", 4) == 0)
    user += 4;
  else if (g_ascii_strncasecmp (user, "sips:", 5) == 0)
    user += 5;
  at = strchr (user, '@');
  if (at == NULL || at == user)
    return g_strdup (user);
  return g_strndup (user, at - user);
}

char *
beacon_buddy_dup_shown_name (BeaconBuddy *buddy)
{
  return beacon_person_name (beacon_buddy_get_uri (buddy), beacon_buddy_get_display_name (buddy));
}

const char *
beacon_known_name (BeaconAccount *account,
                   const char    *uri)
{
  BeaconBuddy *friend = beacon_buddy_list_lookup (beacon_account_get_buddies (account), uri);
  GListModel *nearby;

  if (friend != NULL)
    return beacon_buddy_get_display_name (friend);
  if (!BEACON_IS_LAN_ACCOUNT (account))
    return NULL;
  nearby = beacon_lan_account_get_nearby (BEACON_LAN_ACCOUNT (account));
  for (guint i = 0; i < g_list_model_get_n_items (nearby); i++)
    {
      g_autoptr(BeaconBuddy) peer = g_list_model_get_item (nearby, i);

      /* The list keeps the peer, and the name with it. */
      if (g_ascii_strcasecmp (beacon_buddy_get_uri (peer), uri) == 0)
        return beacon_buddy_get_display_name (peer);
    }
  return NULL;
}
