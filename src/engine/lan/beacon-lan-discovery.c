/* beacon-lan-discovery.c — finding Beacon peers on the local network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-discovery.h"

#include <string.h>

BeaconLanPeer *
beacon_lan_peer_copy (const BeaconLanPeer *peer)
{
  BeaconLanPeer *copy;

  if (peer == NULL)
    return NULL;
  copy = g_new0 (BeaconLanPeer, 1);
  copy->instance = g_strdup (peer->instance);
  copy->aor = g_strdup (peer->aor);
  copy->display_name = g_strdup (peer->display_name);
  copy->address = g_strdup (peer->address);
  copy->port = peer->port;
  copy->status = peer->status;
  return copy;
}

void
beacon_lan_peer_free (BeaconLanPeer *peer)
{
  if (peer == NULL)
    return;
  g_free (peer->instance);
  g_free (peer->aor);
  g_free (peer->display_name);
  g_free (peer->address);
  g_free (peer);
}

char *
beacon_lan_peer_target (const BeaconLanPeer *peer,
                        const char          *aor)
{
  const char *user = strchr (aor, ':') + 1;
  g_autofree char *name = g_strndup (user, strcspn (user, "@"));
  gboolean v6 = strchr (peer->address, ':') != NULL;
  g_auto(GStrv) zone = g_strsplit (peer->address, "%", 2);

  /* A link-local IPv6 address's zone is written %25zone in a URI. */
  return g_strdup_printf ("sip:%s@%s%s%s%s%s:%u;transport=udp", name, v6 ? "[" : "", zone[0],
                          zone[1] ? "%25" : "", zone[1] ? zone[1] : "", v6 ? "]" : "",
                          peer->port);
}

G_DEFINE_BOXED_TYPE (BeaconLanPeer, beacon_lan_peer, beacon_lan_peer_copy, beacon_lan_peer_free)

G_DEFINE_INTERFACE (BeaconLanDiscovery, beacon_lan_discovery, G_TYPE_OBJECT)

enum {
  PEER_APPEARED,
  PEER_VANISHED,
  RENAMED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
beacon_lan_discovery_default_init (BeaconLanDiscoveryInterface *iface)
{
  /* (peer): resolved, or resolved again with new data */
  signals[PEER_APPEARED] =
    g_signal_new ("peer-appeared", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  BEACON_TYPE_LAN_PEER | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* (instance) */
  signals[PEER_VANISHED] =
    g_signal_new ("peer-vanished", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (new instance name) */
  signals[RENAMED] =
    g_signal_new ("renamed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (error) */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

void
beacon_lan_discovery_start (BeaconLanDiscovery *self,
                            const char         *instance,
                            const char         *aor,
                            guint16             port)
{
  BeaconLanDiscoveryInterface *iface;

  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));
  g_return_if_fail (instance != NULL && aor != NULL);

  iface = BEACON_LAN_DISCOVERY_GET_IFACE (self);
  g_return_if_fail (iface->start != NULL);
  iface->start (self, instance, aor, port);
}

void
beacon_lan_discovery_set_status (BeaconLanDiscovery *self,
                                 BeaconStatus        status,
                                 const char         *display_name)
{
  BeaconLanDiscoveryInterface *iface;

  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));

  iface = BEACON_LAN_DISCOVERY_GET_IFACE (self);
  if (iface->set_status != NULL)
    iface->set_status (self, status, display_name);
}

void
beacon_lan_discovery_stop (BeaconLanDiscovery *self)
{
  BeaconLanDiscoveryInterface *iface;

  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));

  iface = BEACON_LAN_DISCOVERY_GET_IFACE (self);
  if (iface->stop != NULL)
    iface->stop (self);
}

void
beacon_lan_discovery_emit_peer_appeared (BeaconLanDiscovery  *self,
                                         const BeaconLanPeer *peer)
{
  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));
  g_return_if_fail (peer != NULL);
  g_signal_emit (self, signals[PEER_APPEARED], 0, peer);
}

void
beacon_lan_discovery_emit_peer_vanished (BeaconLanDiscovery *self,
                                         const char         *instance)
{
  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));
  g_return_if_fail (instance != NULL);
  g_signal_emit (self, signals[PEER_VANISHED], 0, instance);
}

void
beacon_lan_discovery_emit_renamed (BeaconLanDiscovery *self,
                                   const char         *new_instance)
{
  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));
  g_return_if_fail (new_instance != NULL);
  g_signal_emit (self, signals[RENAMED], 0, new_instance);
}

void
beacon_lan_discovery_emit_failed (BeaconLanDiscovery *self,
                                  const GError       *error)
{
  g_return_if_fail (BEACON_IS_LAN_DISCOVERY (self));
  g_return_if_fail (error != NULL);
  g_signal_emit (self, signals[FAILED], 0, error);
}
