/* beacon-avahi-discovery.h — LAN discovery over DNS-SD with avahi-client
 *
 * Publishes our SIP endpoint as BEACON_LAN_SERVICE_TYPE, browses and
 * resolves the other instances, and keeps going when the avahi daemon
 * restarts. See beacon-avahi-discovery.c for the details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-lan-discovery.h"

G_BEGIN_DECLS

#define BEACON_TYPE_AVAHI_DISCOVERY (beacon_avahi_discovery_get_type ())
G_DECLARE_FINAL_TYPE (
    BeaconAvahiDiscovery, beacon_avahi_discovery, BEACON, AVAHI_DISCOVERY, GObject)

/* Uses the thread-default main context at the time of the call. */
BeaconLanDiscovery *beacon_avahi_discovery_new (void);

G_END_DECLS
