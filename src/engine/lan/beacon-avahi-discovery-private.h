/* beacon-avahi-discovery-private.h — shared by the two halves of
 * BeaconAvahiDiscovery: beacon-avahi-discovery.c (client, announcement,
 * lifecycle) and beacon-avahi-peers.c (browsing and resolving peers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-glib/glib-watch.h>

#include "beacon-avahi-discovery.h"

G_BEGIN_DECLS

typedef struct _PeerEntry PeerEntry;

/* One place (interface, protocol) where an instance was browsed. */
typedef struct
{
  PeerEntry            *entry; /* unowned, the entry owns us */
  AvahiIfIndex          iface;
  AvahiProtocol         protocol;
  char                 *domain;
  char                 *host_name; /* SRV target of the last result */
  AvahiServiceResolver *resolver;  /* NULL while waiting to re-resolve */
  BeaconLanPeer        *resolved;  /* NULL until resolved with a good TXT */
  GSource              *reresolve;
} Sighting;

struct _PeerEntry
{
  BeaconAvahiDiscovery *self; /* unowned */
  char                 *instance;
  GPtrArray            *sightings;  /* Sighting * */
  BeaconLanPeer        *announced;  /* what peer-appeared last said, or NULL */
  guint                 generation; /* browser generation that last saw it */
};

struct _BeaconAvahiDiscovery
{
  GObject parent_instance;

  GMainContext        *context;
  AvahiGLibPoll       *poll;
  AvahiClient         *client;
  AvahiEntryGroup     *group;
  AvahiServiceBrowser *browser;
  GHashTable          *peers; /* instance → PeerEntry * */
  guint                generation;

  gboolean     started;
  char        *instance;
  char        *aor;
  char        *display_name;
  BeaconStatus status;
  guint16      port;

  GSource *retry;
  guint    retry_s;
  gboolean failure_reported;
};

/* beacon-avahi-discovery.c */
GSource *
beacon_avahi_timeout_add (GMainContext *context, guint seconds, GSourceFunc func, gpointer data);
void beacon_avahi_timeout_clear (GSource **source);
void beacon_avahi_report_failure (BeaconAvahiDiscovery *self, int avahi_error, const char *what);

/* beacon-avahi-peers.c */
GHashTable *beacon_avahi_peers_new (void);
void        beacon_avahi_browse_cb (AvahiServiceBrowser   *browser,
                                    AvahiIfIndex           iface,
                                    AvahiProtocol          protocol,
                                    AvahiBrowserEvent      event,
                                    const char            *name,
                                    const char            *type,
                                    const char            *domain,
                                    AvahiLookupResultFlags flags,
                                    void                  *data);
void        beacon_avahi_peers_drop_resolvers (BeaconAvahiDiscovery *self);
void        beacon_avahi_peers_resolve_again (BeaconAvahiDiscovery *self, const char *instance);

G_END_DECLS
