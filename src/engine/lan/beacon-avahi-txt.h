/* beacon-avahi-txt.h — the DNS-SD TXT record of a Beacon LAN endpoint
 *
 * Pure functions between BeaconLanPeer fields and an AvahiStringList
 * (avahi-common only: no daemon, no I/O), so they are unit-tested and
 * fuzzable apart from the discovery itself. The keys are documented in
 * beacon-lan-discovery.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <avahi-common/strlst.h>

#include "beacon-lan-discovery.h"

G_BEGIN_DECLS

/* Longest display name put in a TXT entry, in bytes (an entry holds 255). */
#define BEACON_AVAHI_TXT_NAME_MAX 200

/* TXT for our own announcement; @display_name may be NULL (then no "name"
 * key). Free with avahi_string_list_free(). */
AvahiStringList *
beacon_avahi_txt_build (const char *aor, const char *display_name, BeaconStatus status);

/* Fills @peer's aor, display_name and status from @txt. Fails with
 * G_IO_ERROR_INVALID_DATA when proto is missing or not ours, when aor is
 * missing or not a sip: URI, or when a value is not UTF-8; @peer is then
 * left untouched. An unknown or missing status reads as offline. */
gboolean beacon_avahi_txt_parse (AvahiStringList *txt, BeaconLanPeer *peer, GError **error);

G_END_DECLS
