/* beacon-lan-account-private.h — BeaconLanAccount's insides, shared by its files
 *
 *   beacon-lan-account.c   the core: the GObject and its vfuncs, start and
 *                          stop, the SIP agent's watcher signals, and what
 *                          the facets ask of each other (peers, friends)
 *   beacon-lan-peers.c     discovery: the peer table, nearby people
 *   beacon-lan-watch.c     our subscriptions to friends, and what they say
 *   beacon-lan-chat.c      MESSAGE out and in
 *   beacon-lan-roster.c    add, remove, authorize, unblock
 *   beacon-lan-store.c     friends.xml and pres-rules.xml (a leaf: it calls
 *                          nothing of this folder)
 *
 * A star: the facets call the core (and the store), never each other;
 * the core calls the facets.
 *
 * The SIP side is a BeaconSipLanAgent (src/engine/sip/): the
 * presence agent answering our watchers, the subscriptions' dialogs and
 * the MESSAGE transactions. Here is what they mean to the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-lan-account.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"
#include "sip/beacon-sip-lan-agent.h"

G_BEGIN_DECLS

typedef struct _LanWatch   LanWatch;

struct _BeaconLanAccount
{
  BeaconAccount        parent_instance;

  char                *name;
  char                *config_dir;
  char                *bind_address;
  guint                port;           /* asked for; the bound one once started */
  guint                expires;        /* of our SUBSCRIBEs */
  BeaconLanDiscovery  *discovery;
  gulong               discovery_ids[4];

  BeaconSipLanAgent   *agent;          /* from the first start on */
  gulong               agent_ids[4];
  gboolean             started;

  GHashTable          *peers;          /* instance → BeaconLanPeer */
  GHashTable          *latest;         /* aor → instance announced last */
  GListStore          *nearby;         /* BeaconBuddy */
  GHashTable          *watches;        /* friend uri → LanWatch */

  BeaconResourceLists *friends;
  BeaconPresRules     *rules;
  GPtrArray           *load_errors;    /* GError, emitted at start */

  GTask               *stop_task;
};

/* beacon-lan-account.c */
void            beacon_lan_account_emit_peer (BeaconLanAccount *self,
                                              const char       *uri,
                                              const char       *name,
                                              const char       *address,
                                              gboolean          appeared);
/* Started and not stopping: the agent answers. */
gboolean        beacon_lan_account_is_running (BeaconLanAccount   *self);
/* The rules for @uri (NULL: anyone) changed: tell the watchers. */
void            beacon_lan_account_rules_changed (BeaconLanAccount *self,
                                                  const char       *uri);
/* Where @aor is announced now, or NULL. */
const BeaconLanPeer *beacon_lan_account_find_peer (BeaconLanAccount *self,
                                                   const char       *aor);
/* A friend announced at @peer: shown, and subscribed to. */
void            beacon_lan_account_friend_here (BeaconLanAccount    *self,
                                                const char          *uri,
                                                const BeaconLanPeer *peer);
/* A friend not announced any more: offline. */
void            beacon_lan_account_friend_gone (BeaconLanAccount    *self,
                                                const char          *uri);
/* A friend was added or removed: move the peer between our subscriptions
 * and the nearby list. */
void            beacon_lan_account_friend_changed (BeaconLanAccount *self,
                                                   const char       *uri,
                                                   gboolean          is_friend);
/* Unblocking @uri: our own subscription to them starts afresh, so that
 * they see us subscribe again. */
void            beacon_lan_account_friend_unblocked (BeaconLanAccount *self,
                                                     const char       *uri);

/* beacon-lan-peers.c */
void            beacon_lan_peers_connect     (BeaconLanAccount    *self);
void            beacon_lan_peers_disconnect  (BeaconLanAccount    *self);
void            beacon_lan_peers_all_offline (BeaconLanAccount    *self);
void            beacon_lan_peers_nearby_remove (BeaconLanAccount    *self,
                                                const char          *uri);
void            beacon_lan_peers_nearby_update (BeaconLanAccount    *self,
                                                const BeaconLanPeer *peer);

/* beacon-lan-watch.c */
void            beacon_lan_watch_start       (BeaconLanAccount    *self,
                                              const char          *uri,
                                              const BeaconLanPeer *peer);
void            beacon_lan_watch_stop        (BeaconLanAccount    *self,
                                              const char          *uri,
                                              gboolean             unsubscribe);
/* Forgets every subscription (stop: the agent says the goodbyes). */
void            beacon_lan_watch_drop_all    (BeaconLanAccount    *self);
void            beacon_lan_watch_free        (LanWatch            *watch);
/* The agent's "subscription-state" handler. */
void            beacon_lan_watch_state       (BeaconSipLanAgent   *agent,
                                              const char          *uri,
                                              BeaconSipLanSubState state,
                                              guint                status,
                                              const char          *reason,
                                              guint                retry_after,
                                              const char          *content_type,
                                              GBytes              *body,
                                              BeaconLanAccount    *self);
/* TRUE when the friend's own answer (presence, or a refusal) is known:
 * then their announcement's status is not shown. */
/* Our subscription to @uri starts afresh (see beacon_lan_watch_heard_from). */
void            beacon_lan_watch_renew       (BeaconLanAccount    *self,
                                              const char          *uri);
/* @uri subscribed to us: if they refused us before, they may have
 * unblocked us, so they are asked again now rather than on their next
 * announcement. */
void            beacon_lan_watch_heard_from  (BeaconLanAccount    *self,
                                              const char          *uri);
gboolean        beacon_lan_watch_is_active   (BeaconLanAccount    *self,
                                              const char          *uri);

/* beacon-lan-chat.c */
gboolean        beacon_lan_chat_send         (BeaconLanAccount *self,
                                              const char       *uri,
                                              const char       *text,
                                              const char       *id,
                                              GError          **error);
void            beacon_lan_chat_sent         (BeaconSipLanAgent *agent,
                                              const char        *to,
                                              const char        *id,
                                              guint              status,
                                              const char        *phrase,
                                              BeaconLanAccount  *self);
void            beacon_lan_chat_received     (BeaconSipLanAgent *agent,
                                              const char        *from,
                                              const char        *content_type,
                                              GBytes            *body,
                                              const char        *dedupe_key,
                                              BeaconLanAccount  *self);

/* beacon-lan-roster.c: the vfuncs that edit the lists */
gboolean        beacon_lan_roster_add        (BeaconLanAccount    *self,
                                              const char          *uri,
                                              const char          *display_name,
                                              GError             **error);
gboolean        beacon_lan_roster_rename     (BeaconLanAccount    *self,
                                              const char          *uri,
                                              const char          *display_name,
                                              GError             **error);
gboolean        beacon_lan_roster_remove     (BeaconLanAccount    *self,
                                              const char          *uri,
                                              GError             **error);
gboolean        beacon_lan_roster_authorize  (BeaconLanAccount    *self,
                                              const char          *uri,
                                              BeaconAuthorization  answer,
                                              GError             **error);
gboolean        beacon_lan_roster_unblock    (BeaconLanAccount    *self,
                                              const char          *uri,
                                              GError             **error);

/* beacon-lan-store.c */
void            beacon_lan_store_load        (BeaconLanAccount *self);
gboolean        beacon_lan_store_save_friends (BeaconLanAccount *self,
                                               GError          **error);
gboolean        beacon_lan_store_save_rules  (BeaconLanAccount *self,
                                              GError          **error);
BeaconResourceList *beacon_lan_store_friend_list (BeaconLanAccount *self);
/* Updates the base class's blacklist from the rules. */
void            beacon_lan_store_sync_blocked (BeaconLanAccount *self);

G_END_DECLS
