/* beacon-authorization-dialog.h — "X wants to see your status"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_AUTHORIZATION_DIALOG (beacon_authorization_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BeaconAuthorizationDialog, beacon_authorization_dialog, BEACON, AUTHORIZATION_DIALOG,
                      AdwMessageDialog)

BeaconAuthorizationDialog *beacon_authorization_dialog_new     (GtkWindow                 *parent,
                                                                BeaconAccount             *account,
                                                                const char                *watcher_uri);
const char                *beacon_authorization_dialog_get_uri (BeaconAuthorizationDialog *self);
BeaconAccount             *beacon_authorization_dialog_get_account (BeaconAuthorizationDialog *self);

G_END_DECLS
