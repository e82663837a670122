/* beacon-cli-run-lan.h — `beacon-cli run --lan NAME`: the LAN account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-account.h"
#include "history/beacon-history.h"

G_BEGIN_DECLS

/* Checks the LAN options (@name a valid user part, no --aor with it, @port
 * in range) and gives the AOR the account will have. FALSE with @error. */
gboolean       beacon_cli_lan_check       (const char     *name,
                                           const char     *aor_option,
                                           int             port,
                                           char          **aor,
                                           GError        **error);
/* The LAN account called @name, announced with avahi, its lists in
 * @data_dir. @bind: local address (NULL: all); @port: 0 for any;
 * @expires: seconds asked for in its SUBSCRIBEs. */
BeaconAccount *beacon_cli_lan_account_new (const char     *name,
                                           const char     *aor,
                                           const char     *data_dir,
                                           const char     *bind,
                                           int             port,
                                           guint           expires,
                                           BeaconHistory  *history);

G_END_DECLS
