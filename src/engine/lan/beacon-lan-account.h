/* beacon-lan-account.h — the serverless account: presence and chat on the LAN
 *
 * A BeaconLanAccount is its own presence agent. It announces its SIP
 * endpoint through a BeaconLanDiscovery, answers SUBSCRIBE for its AOR
 * under its own rules (friends allowed, blocked peers refused or shown us
 * offline, unknown peers pending until the user answers), subscribes to
 * the friends it discovers and sends MESSAGEs straight to them. Friends and
 * rules are kept in @config_dir as friends.xml (resource-lists) and
 * pres-rules.xml (pres-rules), the documents of the server mode.
 *
 * Peers that are not friends are listed by beacon_lan_account_get_nearby()
 * and announced by the "peer" signal:
 *   peer (const char *uri, const char *name, const char *address,
 *         gboolean appeared)
 *
 * Construct properties (g_object_new() callers pass "aor" too, made by
 * beacon_lan_account_make_aor(), as beacon_lan_account_new_full() does):
 * "bind-address" (NULL: all addresses), "port" (0: any free one; reads
 * back the bound port once started), "expires" (seconds asked for in our
 * SUBSCRIBEs, default 600). "nearby" is beacon_lan_account_get_nearby().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-account.h"
#include "lan/beacon-lan-discovery.h"

G_BEGIN_DECLS

#define BEACON_TYPE_LAN_ACCOUNT (beacon_lan_account_get_type ())
G_DECLARE_FINAL_TYPE (BeaconLanAccount, beacon_lan_account, BEACON, LAN_ACCOUNT, BeaconAccount)

/* @name: the user's LAN name (see beacon_lan_account_name_is_valid());
 * the AOR becomes sip:NAME@HOST (the host name, or "lan" when it cannot be
 * one) and the DNS-SD instance name is @name. @discovery must not be NULL:
 * front ends pass a BeaconAvahiDiscovery, tests a fake. */
BeaconLanAccount *beacon_lan_account_new           (const char         *name,
                                                    const char         *config_dir,
                                                    BeaconLanDiscovery *discovery);

/* As beacon_lan_account_new(), bound to @bind_address (NULL: all) and
 * @port (0: any free one). */
BeaconLanAccount *beacon_lan_account_new_full      (const char         *name,
                                                    const char         *config_dir,
                                                    BeaconLanDiscovery *discovery,
                                                    const char         *bind_address,
                                                    guint               port);

/* The AOR an account called @name gets on this machine. */
char             *beacon_lan_account_make_aor      (const char         *name);

/* TRUE when @name can be the user part of a SIP URI: 1 to 64 letters,
 * digits and "-_.!~*'". */
gboolean          beacon_lan_account_name_is_valid (const char         *name);

/* Peers on the network that are not friends: a GListModel of BeaconBuddy
 * (uri, display name, status from their announcement; subscription NONE). */
GListModel       *beacon_lan_account_get_nearby    (BeaconLanAccount   *self);

/* The SIP port bound (0 before start). Same as the "port" property. */
guint             beacon_lan_account_get_port      (BeaconLanAccount   *self);

G_END_DECLS
