/* beacon-lan-discovery.h — finding Beacon peers on the local network
 *
 * The LAN mode announces its own SIP endpoint and learns where the other
 * instances are. BeaconLanDiscovery is the interface the LAN account uses;
 * BeaconAvahiDiscovery (DNS-SD over avahi-client) is the real one, and the
 * unit tests use a fake that is fed peers by hand.
 *
 * Service type: BEACON_LAN_SERVICE_TYPE. TXT records: "txtvers=1",
 * "proto=1" (protocol version), "aor=sip:name@host", "name=Display Name",
 * "status=online|busy|away|offline".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "formats/beacon-status.h"

G_BEGIN_DECLS

#define BEACON_LAN_SERVICE_TYPE "_beacon-sip._udp"
#define BEACON_LAN_PROTOCOL_VERSION 1

/* One peer as discovery sees it. */
typedef struct {
  char         *instance;      /* DNS-SD instance name, unique on the link */
  char         *aor;           /* sip:user@host from TXT */
  char         *display_name;  /* from TXT, may be NULL */
  char         *address;       /* numeric IPv4/IPv6 address */
  guint16       port;          /* SIP port (UDP) */
  BeaconStatus  status;        /* from TXT, before any subscription */
} BeaconLanPeer;

#define BEACON_TYPE_LAN_PEER (beacon_lan_peer_get_type ())
GType          beacon_lan_peer_get_type (void) G_GNUC_CONST;
BeaconLanPeer *beacon_lan_peer_copy     (const BeaconLanPeer *peer);
void           beacon_lan_peer_free     (BeaconLanPeer       *peer);
/* The SIP URI that reaches @aor's endpoint at @peer (its address and
 * port; a link-local IPv6 zone written %25zone). */
char          *beacon_lan_peer_target   (const BeaconLanPeer *peer,
                                         const char          *aor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconLanPeer, beacon_lan_peer_free)

#define BEACON_TYPE_LAN_DISCOVERY (beacon_lan_discovery_get_type ())
G_DECLARE_INTERFACE (BeaconLanDiscovery, beacon_lan_discovery, BEACON, LAN_DISCOVERY, GObject)

/* Signals (all emitted in the main context the discovery was started in):
 *   "peer-appeared"  (const BeaconLanPeer *peer)  resolved, or resolved again
 *                    with new data (then it is also a change)
 *   "peer-vanished"  (const char *instance)        gone (goodbye or expiry)
 *   "renamed"        (const char *new_instance)    our name collided; we
 *                    republished under this one
 *   "failed"         (const GError *error)         the daemon went away or
 *                    refused; discovery retries by itself
 * Our own announcement is never reported as a peer. */
struct _BeaconLanDiscoveryInterface
{
  GTypeInterface parent_iface;

  /* Announce @instance (our SIP endpoint on @port) and start browsing. */
  void (*start)      (BeaconLanDiscovery *self,
                      const char         *instance,
                      const char         *aor,
                      guint16             port);
  /* Update the TXT record (status, display name). */
  void (*set_status) (BeaconLanDiscovery *self,
                      BeaconStatus        status,
                      const char         *display_name);
  /* Withdraw the service and stop browsing. */
  void (*stop)       (BeaconLanDiscovery *self);
};

void beacon_lan_discovery_start      (BeaconLanDiscovery *self,
                                      const char         *instance,
                                      const char         *aor,
                                      guint16             port);
void beacon_lan_discovery_set_status (BeaconLanDiscovery *self,
                                      BeaconStatus        status,
                                      const char         *display_name);
void beacon_lan_discovery_stop       (BeaconLanDiscovery *self);

/* For implementations: emit the signals. */
void beacon_lan_discovery_emit_peer_appeared (BeaconLanDiscovery  *self,
                                              const BeaconLanPeer *peer);
void beacon_lan_discovery_emit_peer_vanished (BeaconLanDiscovery  *self,
                                              const char          *instance);
void beacon_lan_discovery_emit_renamed       (BeaconLanDiscovery  *self,
                                              const char          *new_instance);
void beacon_lan_discovery_emit_failed        (BeaconLanDiscovery  *self,
                                              const GError        *error);

G_END_DECLS
