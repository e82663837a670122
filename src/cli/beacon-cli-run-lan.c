/* beacon-cli-run-lan.c — `beacon-cli run --lan NAME`: the LAN account
 *
 * The commands and events are those of the server mode (beacon-cli-run.c)
 * plus the LAN account's "peer" event. Friends and rules are kept in the
 * data dir (friends.xml, pres-rules.xml), next to the history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-cli"

#include "beacon-cli-run-lan.h"

#include <glib/gi18n.h>

#include "lan/beacon-avahi-discovery.h"
#include "lan/beacon-lan-account.h"

gboolean
beacon_cli_lan_check (const char  *name,
                      const char  *aor_option,
                      int          port,
                      char       **aor,
                      GError     **error)
{
  if (aor_option != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--aor and --lan cannot be used together: a LAN account’s address is made from its name"));
      return FALSE;
    }
  if (!beacon_lan_account_name_is_valid (name))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” cannot be a LAN name: use 1 to 64 letters, digits and - _ . ! ~ * '"),
                   name);
      return FALSE;
    }
  if (port < 0 || port > 65535)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--port must be between 0 (any) and 65535"));
      return FALSE;
    }
  *aor = beacon_lan_account_make_aor (name);
  return TRUE;
}

BeaconAccount *
beacon_cli_lan_account_new (const char    *name,
                            const char    *aor,
                            const char    *data_dir,
                            const char    *bind,
                            int            port,
                            guint          expires,
                            BeaconHistory *history)
{
  g_autoptr(BeaconLanDiscovery) discovery = beacon_avahi_discovery_new ();

  return g_object_new (BEACON_TYPE_LAN_ACCOUNT,
                       "aor", aor,
                       "name", name,
                       "config-dir", data_dir,
                       "discovery", discovery,
                       "bind-address", bind,
                       "port", (guint) port,
                       "expires", expires,
                       "history", history,
                       NULL);
}
