/* beacon-avahi-peers.c — the peers half of BeaconAvahiDiscovery
 *
 * Browse results become sightings (instance × interface × protocol), each
 * with a long-lived resolver; an instance is reported once, preferring IPv4,
 * and vanishes with its last sighting. See beacon-avahi-discovery.c for the
 * whole story (own announcement, renames, restarts, silent peers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-avahi-discovery-private.h"
#include "beacon-avahi-txt.h"

#include <avahi-common/error.h>

/* Seconds before a sighting whose resolver failed is resolved again. */
#define RERESOLVE_S 10

static void sighting_resolve (Sighting *sighting);

static void
sighting_free (Sighting *sighting)
{
  beacon_avahi_timeout_clear (&sighting->reresolve);
  g_clear_pointer (&sighting->resolver, avahi_service_resolver_free);
  g_clear_pointer (&sighting->resolved, beacon_lan_peer_free);
  g_free (sighting->domain);
  g_free (sighting->host_name);
  g_free (sighting);
}

static void
peer_entry_free (PeerEntry *entry)
{
  g_ptr_array_unref (entry->sightings);
  g_clear_pointer (&entry->announced, beacon_lan_peer_free);
  g_free (entry->instance);
  g_free (entry);
}

static gboolean
peer_equal (const BeaconLanPeer *a,
            const BeaconLanPeer *b)
{
  return g_strcmp0 (a->instance, b->instance) == 0 && g_strcmp0 (a->aor, b->aor) == 0
         && g_strcmp0 (a->display_name, b->display_name) == 0
         && g_strcmp0 (a->address, b->address) == 0 && a->port == b->port && a->status == b->status;
}

static gboolean
is_own (BeaconAvahiDiscovery *self,
        const char           *name)
{
  return self->instance != NULL && g_strcmp0 (name, self->instance) == 0;
}

/* Re-decides what @entry reports after one of its sightings changed, and
 * emits. Drops the entry (and may free it) when no sighting is left. Must
 * be the last thing a caller does with @entry. */
static void
peer_entry_update (PeerEntry *entry)
{
  BeaconAvahiDiscovery    *self = entry->self;
  g_autoptr (GObject) hold G_GNUC_UNUSED = g_object_ref (G_OBJECT (self));
  const BeaconLanPeer     *best = NULL;

  for (guint i = 0; i < entry->sightings->len && !is_own (self, entry->instance); i++)
    {
      Sighting *s = g_ptr_array_index (entry->sightings, i);
      if (s->resolved == NULL)
        continue;
      if (best == NULL || s->protocol == AVAHI_PROTO_INET)
        best = s->resolved;
      if (s->protocol == AVAHI_PROTO_INET)
        break;
    }

  if (best == NULL)
    {
      g_autofree char *instance = g_strdup (entry->instance);
      gboolean         was_announced = entry->announced != NULL;

      g_clear_pointer (&entry->announced, beacon_lan_peer_free);
      if (entry->sightings->len == 0)
        g_hash_table_remove (self->peers, instance); /* frees entry */
      if (was_announced)
        beacon_lan_discovery_emit_peer_vanished (BEACON_LAN_DISCOVERY (self), instance);
      return;
    }

  if (entry->announced != NULL && peer_equal (entry->announced, best))
    return;
  g_clear_pointer (&entry->announced, beacon_lan_peer_free);
  entry->announced = beacon_lan_peer_copy (best);
  {
    g_autoptr (BeaconLanPeer) copy = beacon_lan_peer_copy (best);
    beacon_lan_discovery_emit_peer_appeared (BEACON_LAN_DISCOVERY (self), copy);
  }
}

static gboolean
reresolve_cb (gpointer data)
{
  Sighting *sighting = data;

  beacon_avahi_timeout_clear (&sighting->reresolve);
  sighting_resolve (sighting);
  return G_SOURCE_REMOVE;
}

static void
resolve_cb (AvahiServiceResolver   *resolver,
            AvahiIfIndex            iface,
            AvahiProtocol           protocol,
            AvahiResolverEvent      event,
            const char             *name,
            const char             *type,
            const char             *domain,
            const char             *host_name,
            const AvahiAddress     *address,
            uint16_t                port,
            AvahiStringList        *txt,
            AvahiLookupResultFlags  flags,
            void                   *data)
{
  Sighting  *sighting = data;
  PeerEntry *entry = sighting->entry;
  g_autoptr (GError) error = NULL;
  g_autoptr (BeaconLanPeer) peer = NULL;
  char addr[AVAHI_ADDRESS_STR_MAX];

  if (event == AVAHI_RESOLVER_FAILURE)
    {
      AvahiClient *client = avahi_service_resolver_get_client (resolver);
      /* Its records expired or never came: gone until resolved again. */
      g_debug ("avahi: cannot resolve “%s” on interface %d: %s", name, iface,
               avahi_strerror (avahi_client_errno (client)));
      g_clear_pointer (&sighting->resolver, avahi_service_resolver_free);
      g_clear_pointer (&sighting->resolved, beacon_lan_peer_free);
      sighting->reresolve
          = beacon_avahi_timeout_add (entry->self->context, RERESOLVE_S, reresolve_cb, sighting);
      peer_entry_update (entry);
      return;
    }

  if (sighting->host_name != NULL && g_strcmp0 (sighting->host_name, host_name) != 0)
    {
      /* The instance moved to another host (a name handed over after a
       * collision, say). avahi's resolver takes the new SRV record but goes
       * on reporting the old host's address, so start afresh. */
      g_debug ("avahi: “%s” moved from %s to %s, resolving again", name, sighting->host_name,
               host_name);
      g_free (sighting->host_name);
      sighting->host_name = g_strdup (host_name);
      g_clear_pointer (&sighting->resolver, avahi_service_resolver_free);
      sighting_resolve (sighting);
      return;
    }
  g_free (sighting->host_name);
  sighting->host_name = g_strdup (host_name);

  peer = g_new0 (BeaconLanPeer, 1);
  if (!beacon_avahi_txt_parse (txt, peer, &error))
    {
      g_debug ("avahi: ignoring “%s” at %s: %s", name, host_name, error->message);
      g_clear_pointer (&sighting->resolved, beacon_lan_peer_free);
      peer_entry_update (entry);
      return;
    }
  avahi_address_snprint (addr, sizeof addr, address);
  peer->instance = g_strdup (name);
  peer->address = g_strdup (addr);
  peer->port = port;
  g_debug ("avahi: resolved “%s”: %s at %s:%u (%s)", name, peer->aor, addr, port,
           beacon_status_to_string (peer->status));
  g_clear_pointer (&sighting->resolved, beacon_lan_peer_free);
  sighting->resolved = g_steal_pointer (&peer);
  peer_entry_update (entry);
}

static void
sighting_resolve (Sighting *sighting)
{
  BeaconAvahiDiscovery *self = sighting->entry->self;

  g_return_if_fail (self->client != NULL);
  sighting->resolver = avahi_service_resolver_new (
      self->client, sighting->iface, sighting->protocol, sighting->entry->instance,
      BEACON_LAN_SERVICE_TYPE, sighting->domain, sighting->protocol, 0, resolve_cb, sighting);
  if (sighting->resolver == NULL)
    {
      g_debug ("avahi: cannot start resolving “%s”: %s", sighting->entry->instance,
               avahi_strerror (avahi_client_errno (self->client)));
      sighting->reresolve
          = beacon_avahi_timeout_add (self->context, RERESOLVE_S, reresolve_cb, sighting);
    }
}

static Sighting *
peer_entry_find (PeerEntry     *entry,
                 AvahiIfIndex   iface,
                 AvahiProtocol  protocol,
                 guint         *index)
{
  for (guint i = 0; i < entry->sightings->len; i++)
    {
      Sighting *s = g_ptr_array_index (entry->sightings, i);
      if (s->iface == iface && s->protocol == protocol)
        {
          if (index != NULL)
            *index = i;
          return s;
        }
    }
  return NULL;
}

/* Peers the new browser did not see again since the daemon came back. */
static void
sweep_stale (BeaconAvahiDiscovery *self)
{
  g_autoptr (GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  PeerEntry     *entry;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    if (entry->generation != self->generation && entry->sightings->len == 0)
      g_ptr_array_add (stale, g_strdup (entry->instance));
  for (guint i = 0; i < stale->len; i++)
    {
      entry = g_hash_table_lookup (self->peers, g_ptr_array_index (stale, i));
      if (entry != NULL)
        peer_entry_update (entry);
    }
}

void
beacon_avahi_browse_cb (AvahiServiceBrowser    *browser,
                        AvahiIfIndex            iface,
                        AvahiProtocol           protocol,
                        AvahiBrowserEvent       event,
                        const char             *name,
                        const char             *type,
                        const char             *domain,
                        AvahiLookupResultFlags  flags,
                        void                   *data)
{
  BeaconAvahiDiscovery *self = data;
  PeerEntry            *entry;
  Sighting             *sighting;
  guint                 index;

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      entry = g_hash_table_lookup (self->peers, name);
      if (entry == NULL)
        {
          entry = g_new0 (PeerEntry, 1);
          entry->self = self;
          entry->instance = g_strdup (name);
          entry->sightings = g_ptr_array_new_with_free_func ((GDestroyNotify)sighting_free);
          g_hash_table_insert (self->peers, entry->instance, entry);
        }
      entry->generation = self->generation;
      if (peer_entry_find (entry, iface, protocol, NULL) != NULL)
        return;
      g_debug ("avahi: browsed “%s” on interface %d", name, iface);
      sighting = g_new0 (Sighting, 1);
      sighting->entry = entry;
      sighting->iface = iface;
      sighting->protocol = protocol;
      sighting->domain = g_strdup (domain);
      g_ptr_array_add (entry->sightings, sighting);
      sighting_resolve (sighting);
      break;

    case AVAHI_BROWSER_REMOVE:
      entry = g_hash_table_lookup (self->peers, name);
      if (entry == NULL || peer_entry_find (entry, iface, protocol, &index) == NULL)
        return;
      g_debug ("avahi: “%s” withdrawn on interface %d", name, iface);
      g_ptr_array_remove_index (entry->sightings, index);
      peer_entry_update (entry);
      break;

    case AVAHI_BROWSER_ALL_FOR_NOW:
      sweep_stale (self);
      break;

    case AVAHI_BROWSER_FAILURE:
      beacon_avahi_report_failure (self,
                                   avahi_client_errno (avahi_service_browser_get_client (browser)),
                                   "Browsing the local network failed");
      break;

    case AVAHI_BROWSER_CACHE_EXHAUSTED:
    default:
      break;
    }
}

GHashTable *
beacon_avahi_peers_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)peer_entry_free);
}

/* The client is going away with every resolver: forget them, but keep what
 * we announced, so a reconnect can tell who is still there (sweep_stale). */
void
beacon_avahi_peers_drop_resolvers (BeaconAvahiDiscovery *self)
{
  GHashTableIter iter;
  PeerEntry     *entry;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    g_ptr_array_set_size (entry->sightings, 0);
}

/* After a rename, whoever holds our old name is a peer: resolve it afresh,
 * as its resolver may have followed our own records. */
void
beacon_avahi_peers_resolve_again (BeaconAvahiDiscovery *self,
                                  const char           *instance)
{
  PeerEntry *entry = g_hash_table_lookup (self->peers, instance);

  if (entry == NULL)
    return;
  for (guint i = 0; i < entry->sightings->len; i++)
    {
      Sighting *s = g_ptr_array_index (entry->sightings, i);
      beacon_avahi_timeout_clear (&s->reresolve);
      g_clear_pointer (&s->resolver, avahi_service_resolver_free);
      g_clear_pointer (&s->resolved, beacon_lan_peer_free);
      sighting_resolve (s);
    }
}
