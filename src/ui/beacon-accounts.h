/* beacon-accounts.h — the configured accounts in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BEACON_ACCOUNT_SCHEMA_ID BEACON_APP_ID ".Account"

/* The settings of account @id (schema io.github.beacon_im.Beacon.Account
 * at /io/github/beacon_im/Beacon/accounts/ID/). */
GSettings *beacon_accounts_open      (const char  *id);
/* Before several accounts existed, the main schema's own keys (mode,
 * lan-name, server-*) held the only one: when "accounts" is empty and
 * those keys name a mode, this copies them into account "a0" and lists
 * it. The old keys are left as they were. TRUE when it migrated. */
gboolean   beacon_accounts_migrate   (GSettings   *settings);
/* A new, empty account listed after the others; returns its id (the
 * first free "aN"). */
char      *beacon_accounts_add       (GSettings   *settings);
/* Unlists @id, resets its keys and forgets its password (and one an older
 * Beacon kept for its address, unless another account has that address).
 * FALSE (nothing changed) when @id is not listed. */
gboolean   beacon_accounts_remove    (GSettings   *settings,
                                      const char  *id);
/* "alice@example.org" or "LAN: dana", for lists; NULL when @id has no
 * mode yet. */
char      *beacon_accounts_describe  (GSettings   *account_settings);

G_END_DECLS
