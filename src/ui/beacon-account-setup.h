/* beacon-account-setup.h — the account the settings describe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-account.h"
#include "lan/beacon-lan-discovery.h"

G_BEGIN_DECLS

/* The port data/server/kamailio.cfg serves XCAP on by default. */
#define BEACON_DEFAULT_XCAP_PORT 5080

/* What a server account needs. Empty or NULL fields get the defaults
 * derived from @aor: auth user = the AOR's user part, proxy = none (the
 * AOR's domain is resolved), transport "udp", XCAP root
 * http://DOMAIN:5080/xcap-root, list URI sip:USER-list@DOMAIN. */
typedef struct {
  const char *aor;
  const char *auth_user;
  const char *password;
  const char *proxy;
  const char *transport;   /* "udp" or "tcp" */
  const char *xcap_root;
  const char *list_uri;
} BeaconServerSetup;

/* Creates the account of the configured mode ("lan" or "server"), with the
 * server password from the keyring. Returns NULL without an error when no
 * mode is configured yet. */
BeaconAccount *beacon_account_setup_create          (GSettings               *settings,
                                                     GError                 **error);
/* The same for the account @id's settings (beacon_accounts_open()): its
 * password is the one kept for @id (or, from before several accounts
 * existed, for its address). @id NULL: as beacon_account_setup_create(). */
BeaconAccount *beacon_account_setup_create_account  (GSettings               *settings,
                                                     const char              *id,
                                                     GError                 **error);
/* A server account with its XCAP roster (cached under @data_dir/roster)
 * and its history (@data_dir/history.sqlite). @data_dir NULL: the
 * account's folder under the user's data folder. */
BeaconAccount *beacon_account_setup_create_server   (const BeaconServerSetup  *setup,
                                                     const char               *data_dir,
                                                     GError                  **error);
/* A LAN account announcing @name over DNS-SD (avahi); its friends, rules
 * and history live in @data_dir (NULL: the account's folder under the
 * user's data folder). An error when the name cannot be a SIP user or
 * this build has no LAN mode. */
BeaconAccount *beacon_account_setup_create_lan      (const char               *name,
                                                     const char               *data_dir,
                                                     GError                  **error);
/* The same with @discovery (NULL: LAN mode unavailable) and the address
 * to bind (NULL: all); tests pass a fake discovery and 127.0.0.1. */
BeaconAccount *beacon_account_setup_create_lan_full (const char               *name,
                                                     const char               *data_dir,
                                                     BeaconLanDiscovery       *discovery,
                                                     const char               *bind_address,
                                                     GError                  **error);

/* The same with the SIP user of the AOR (NULL or empty: derived from
 * @name by beacon_account_setup_derive_user()); @name, the one people
 * see, may be any name (beacon_account_setup_check_lan_name()). */
BeaconAccount *beacon_account_setup_create_lan_user (const char               *name,
                                                     const char               *user,
                                                     const char               *data_dir,
                                                     BeaconLanDiscovery       *discovery,
                                                     const char               *bind_address,
                                                     GError                  **error);
/* A SIP user for the display name @name: @name itself when it is one,
 * else "alice.liddell" for "Alice Liddell" (never empty). */
char          *beacon_account_setup_derive_user     (const char               *name);
/* FALSE with an error to show the user when @name cannot be announced
 * (empty, too long for DNS-SD, control characters). */
gboolean       beacon_account_setup_check_lan_name  (const char               *name,
                                                     GError                  **error);

/* Defaults derived from @aor (a normalised sip: URI); NULL when @aor has
 * no domain. */
char          *beacon_account_setup_default_xcap_root (const char *aor);
char          *beacon_account_setup_default_list_uri  (const char *aor);

/* Keyring access for the server password of @aor. */
gboolean       beacon_account_setup_store_password  (const char   *aor,
                                                     const char   *password,
                                                     GError      **error);
char          *beacon_account_setup_lookup_password (const char   *aor,
                                                     GError      **error);

/* The same per account id: stored with both the id and @aor; looked up
 * by the id, then (passwords kept before several accounts existed, with
 * no id) by @aor; forgotten by the id. */
gboolean       beacon_account_setup_store_account_password  (const char  *id,
                                                             const char  *aor,
                                                             const char  *password,
                                                             GError     **error);
char          *beacon_account_setup_lookup_account_password (const char  *id,
                                                             const char  *aor,
                                                             GError     **error);
/* @id NULL: every password kept for @aor (with an id or not). */
gboolean       beacon_account_setup_forget_password         (const char  *id,
                                                             const char  *aor,
                                                             GError     **error);

/* The same without blocking the main loop (a keyring may prompt). The
 * lookup gives NULL without an error when nothing is kept. */
void           beacon_account_setup_store_account_password_async   (const char          *id,
                                                                    const char          *aor,
                                                                    const char          *password,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
gboolean       beacon_account_setup_store_account_password_finish  (GAsyncResult        *result,
                                                                    GError             **error);
void           beacon_account_setup_lookup_account_password_async  (const char          *id,
                                                                    const char          *aor,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
char          *beacon_account_setup_lookup_account_password_finish (GAsyncResult        *result,
                                                                    GError             **error);
/* @id NULL: every password kept for @aor. */
void           beacon_account_setup_forget_account_password_async  (const char          *id,
                                                                    const char          *aor,
                                                                    GCancellable        *cancellable,
                                                                    GAsyncReadyCallback  callback,
                                                                    gpointer             user_data);
gboolean       beacon_account_setup_forget_account_password_finish (GAsyncResult        *result,
                                                                    GError             **error);
/* Whether a Secret Service answers on the session bus (one that can be
 * started counts); the error says why not. */
void           beacon_account_setup_keyring_available_async  (GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean       beacon_account_setup_keyring_available_finish (GAsyncResult        *result,
                                                              GError             **error);

/* Creates the account of @settings (as beacon_account_setup_create())
 * with @password instead of a keyring lookup; NULL @password: none. */
BeaconAccount *beacon_account_setup_create_with_password (GSettings   *settings,
                                                          const char  *password,
                                                          GError     **error);

G_END_DECLS
