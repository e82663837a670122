/* beacon-account-setup.h — the account the settings describe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-account.h"

G_BEGIN_DECLS

/* Creates the account of the configured mode ("lan" or "server"), with the
 * server password from the keyring. Returns NULL without an error when no
 * mode is configured yet. */
BeaconAccount *beacon_account_setup_create          (GSettings    *settings,
                                                     GError      **error);
/* Keyring access for the server password of @aor. */
gboolean       beacon_account_setup_store_password  (const char   *aor,
                                                     const char   *password,
                                                     GError      **error);
char          *beacon_account_setup_lookup_password (const char   *aor,
                                                     GError      **error);

G_END_DECLS
