/* beacon-account-switcher.h — which account the main window shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_ACCOUNT_SWITCHER (beacon_account_switcher_get_type ())
G_DECLARE_FINAL_TYPE (BeaconAccountSwitcher, beacon_account_switcher, BEACON, ACCOUNT_SWITCHER, GtkWidget)

/* A drop-down of @accounts (BeaconAccount), shown only with two or more.
 * "account" is the one chosen: the user's choice, or, when the chosen one
 * leaves the list, the first; NULL with no accounts. */
void           beacon_account_switcher_set_accounts (BeaconAccountSwitcher *self,
                                                     GListModel            *accounts);
GListModel    *beacon_account_switcher_get_accounts (BeaconAccountSwitcher *self);
BeaconAccount *beacon_account_switcher_get_account  (BeaconAccountSwitcher *self);
/* Chooses @account (selected in the drop-down when it is listed). */
void           beacon_account_switcher_set_account  (BeaconAccountSwitcher *self,
                                                     BeaconAccount         *account);
/* The position of @account in the list, or GTK_INVALID_LIST_POSITION. */
guint          beacon_account_switcher_find         (BeaconAccountSwitcher *self,
                                                     BeaconAccount         *account);

G_END_DECLS
