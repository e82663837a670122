/* beacon-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_APPLICATION (beacon_application_get_type ())
G_DECLARE_FINAL_TYPE (BeaconApplication, beacon_application, BEACON, APPLICATION, AdwApplication)

BeaconApplication *beacon_application_new             (void);
GSettings         *beacon_application_get_settings    (BeaconApplication *self);
/* Every running account (BeaconAccount), in the settings' order: all of
 * them are online at once; the main window shows one at a time. */
GListModel        *beacon_application_get_accounts    (BeaconApplication *self);
/* The account the main window shows (else the first running one); NULL
 * until the user has set up LAN mode or a server account. */
BeaconAccount     *beacon_application_get_account     (BeaconApplication *self);
/* Replaces every running account by @account (NULL: none); the others
 * leave the network on their own time. */
void               beacon_application_set_account     (BeaconApplication *self,
                                                       BeaconAccount     *account);
/* Runs @account as well (starts it, with the saved status), known by @id
 * (the settings' id, or NULL for one not in the settings). */
void               beacon_application_add_account     (BeaconApplication *self,
                                                       BeaconAccount     *account,
                                                       const char        *id);
/* Stops @account cleanly and forgets it (its settings stay). */
void               beacon_application_remove_account  (BeaconApplication *self,
                                                       BeaconAccount     *account);
/* The running account with settings id @id, or NULL. */
BeaconAccount     *beacon_application_lookup_account  (BeaconApplication *self,
                                                       const char        *id);
/* (Re)makes account @id from its settings and runs it in place of the
 * old one (the old one kept on an error), without blocking: the
 * password is @password, else the one
 * the keyring keeps for @id, else (none kept, no keyring, or the user
 * chose not to keep it) the one the user types in a dialog. FALSE
 * without an error when @id has no mode yet; G_IO_ERROR_CANCELLED when
 * the user gave no password. */
void               beacon_application_load_account_async  (BeaconApplication   *self,
                                                           const char          *id,
                                                           const char          *password,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean           beacon_application_load_account_finish (BeaconApplication   *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* The settings id of a running account, or NULL. */
const char        *beacon_account_get_settings_id     (BeaconAccount     *account);

G_END_DECLS
