/* fake-discovery.h — a BeaconLanDiscovery the tests feed by hand
 *
 * Records what the account announces (instance, AOR, port, status) and
 * lets a test make peers appear and vanish.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan/beacon-lan-discovery.h"

G_BEGIN_DECLS

#define FAKE_TYPE_DISCOVERY (fake_discovery_get_type ())
G_DECLARE_FINAL_TYPE (FakeDiscovery, fake_discovery, FAKE, DISCOVERY, GObject)

FakeDiscovery *fake_discovery_new          (void);

gboolean       fake_discovery_is_running   (FakeDiscovery *self);
const char    *fake_discovery_get_instance (FakeDiscovery *self);
const char    *fake_discovery_get_aor      (FakeDiscovery *self);
guint16        fake_discovery_get_port     (FakeDiscovery *self);
BeaconStatus   fake_discovery_get_status   (FakeDiscovery *self);
/* How many times start / stop were called. */
guint          fake_discovery_get_starts   (FakeDiscovery *self);
guint          fake_discovery_get_stops    (FakeDiscovery *self);

/* Makes @other's announcement (as recorded) appear to @self's browser at
 * @address. */
void           fake_discovery_show         (FakeDiscovery *self,
                                            FakeDiscovery *other,
                                            const char    *address);
void           fake_discovery_hide         (FakeDiscovery *self,
                                            FakeDiscovery *other);
/* The same, under another instance name and endpoint (a stale record). */
void           fake_discovery_show_as      (FakeDiscovery *self,
                                            FakeDiscovery *other,
                                            const char    *instance,
                                            const char    *address,
                                            guint16        port);
void           fake_discovery_hide_instance (FakeDiscovery *self,
                                             const char    *instance);

G_END_DECLS
