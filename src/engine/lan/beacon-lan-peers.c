/* beacon-lan-peers.c — what discovery says, turned into buddies and nearby peers
 *
 * A friend announced on the network gets a subscription (and, until it
 * says more, the status of the announcement); a peer that is not a friend
 * is listed in "nearby". Every arrival and departure is a "peer" emission.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

/* The account stopped: nobody's presence is known any more. */
void
beacon_lan_peers_all_offline (BeaconLanAccount *self)
{
  GListModel *buddies = G_LIST_MODEL (beacon_account_get_buddies (BEACON_ACCOUNT (self)));

  for (guint i = 0; i < g_list_model_get_n_items (buddies); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (buddies, i);

      g_object_freeze_notify (G_OBJECT (buddy));
      beacon_buddy_set_presence (buddy, BEACON_STATUS_OFFLINE, NULL);
      beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_NONE);
      g_object_thaw_notify (G_OBJECT (buddy));
    }
}

/* ---- nearby peers --------------------------------------------------------- */

static gboolean
nearby_find (BeaconLanAccount *self,
             const char       *uri,
             guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->nearby));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (G_LIST_MODEL (self->nearby), i);

      if (g_ascii_strcasecmp (beacon_buddy_get_uri (buddy), uri) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
beacon_lan_peers_nearby_remove (BeaconLanAccount *self,
                                const char       *uri)
{
  guint position;

  if (nearby_find (self, uri, &position))
    g_list_store_remove (self->nearby, position);
}

void
beacon_lan_peers_nearby_update (BeaconLanAccount    *self,
                                const BeaconLanPeer *peer)
{
  g_autoptr(BeaconBuddy) buddy = NULL;
  guint position;

  if (nearby_find (self, peer->aor, &position))
    buddy = g_list_model_get_item (G_LIST_MODEL (self->nearby), position);
  else
    {
      buddy = beacon_buddy_new (peer->aor, peer->display_name);
      g_list_store_append (self->nearby, buddy);
    }
  if (peer->display_name != NULL)
    beacon_buddy_set_display_name (buddy, peer->display_name);
  beacon_buddy_set_presence (buddy, peer->status, NULL);
}

/* ---- discovery ------------------------------------------------------------ */

static void
peer_appeared (BeaconLanDiscovery  *discovery,
               const BeaconLanPeer *announced,
               BeaconLanAccount    *self)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);
  g_autoptr(BeaconLanPeer) peer = NULL;
  const BeaconLanPeer *old;
  g_autofree char *uri = NULL;
  BeaconBuddy *buddy;
  gboolean moved;

  if (announced->instance == NULL || announced->address == NULL || announced->port == 0)
    return;
  uri = announced->aor ? beacon_account_normalize_uri (announced->aor, NULL) : NULL;
  if (uri == NULL)
    {
      g_debug ("peer %s announces no usable AOR", announced->instance);
      return;
    }
  if (g_ascii_strcasecmp (uri, beacon_account_get_aor (account)) == 0)
    return;

  peer = beacon_lan_peer_copy (announced);
  g_free (peer->aor);
  peer->aor = g_strdup (uri);
  old = g_hash_table_lookup (self->peers, peer->instance);
  moved = old == NULL || g_strcmp0 (old->address, peer->address) != 0 || old->port != peer->port ||
          g_strcmp0 (old->aor, peer->aor) != 0;
  g_hash_table_insert (self->peers, g_strdup (peer->instance), beacon_lan_peer_copy (peer));
  g_hash_table_insert (self->latest, g_strdup (peer->aor), g_strdup (peer->instance));
  if (moved)
    beacon_lan_account_emit_peer (self, peer->aor, peer->display_name, peer->address, TRUE);

  buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account), uri);
  if (buddy == NULL)
    {
      beacon_lan_peers_nearby_update (self, peer);
      return;
    }
  if (beacon_buddy_get_display_name (buddy) == NULL && peer->display_name != NULL)
    beacon_buddy_set_display_name (buddy, peer->display_name);
  beacon_lan_account_friend_here (self, uri, peer);
}

static void
peer_vanished (BeaconLanDiscovery *discovery,
               const char         *instance,
               BeaconLanAccount   *self)
{
  g_autoptr(BeaconLanPeer) peer = NULL;
  g_autofree char *key = NULL;
  const BeaconLanPeer *other;

  if (!g_hash_table_steal_extended (self->peers, instance, (gpointer *) &key, (gpointer *) &peer))
    return;
  if (g_strcmp0 (g_hash_table_lookup (self->latest, peer->aor), instance) == 0)
    g_hash_table_remove (self->latest, peer->aor);
  other = beacon_lan_account_find_peer (self, peer->aor);
  if (other == NULL)
    beacon_lan_account_emit_peer (self, peer->aor, peer->display_name, peer->address, FALSE);
  else
    {
      /* Still announced under another name (a rename): follow it. */
      BeaconLanPeer *copy = beacon_lan_peer_copy (other);

      peer_appeared (discovery, copy, self);
      beacon_lan_peer_free (copy);
      return;
    }
  beacon_lan_peers_nearby_remove (self, peer->aor);
  if (beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (self)), peer->aor))
    beacon_lan_account_friend_gone (self, peer->aor);
}

static void
discovery_renamed (BeaconLanDiscovery *discovery,
                   const char         *instance,
                   BeaconLanAccount   *self)
{
  g_debug ("announced as “%s” now", instance);
}

static void
discovery_failed (BeaconLanDiscovery *discovery,
                  const GError       *error,
                  BeaconLanAccount   *self)
{
  g_autoptr(GError) report =
    g_error_new (BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_UNREACHABLE,
                 "Finding people on the local network failed: %s", error->message);

  beacon_account_emit_error (BEACON_ACCOUNT (self), report);
}

void
beacon_lan_peers_connect (BeaconLanAccount *self)
{
  self->discovery_ids[0] = g_signal_connect (self->discovery, "peer-appeared",
                                             G_CALLBACK (peer_appeared), self);
  self->discovery_ids[1] = g_signal_connect (self->discovery, "peer-vanished",
                                             G_CALLBACK (peer_vanished), self);
  self->discovery_ids[2] = g_signal_connect (self->discovery, "renamed",
                                             G_CALLBACK (discovery_renamed), self);
  self->discovery_ids[3] = g_signal_connect (self->discovery, "failed",
                                             G_CALLBACK (discovery_failed), self);
}

void
beacon_lan_peers_disconnect (BeaconLanAccount *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->discovery_ids); i++)
    g_clear_signal_handler (&self->discovery_ids[i], self->discovery);
}
