/* beacon-lan-account-private.h — BeaconLanAccount's insides, shared by its files
 *
 *   beacon-lan-account.c   the GObject and its vfuncs
 *   beacon-lan-stack.c     start and stop, the nua callback
 *   beacon-lan-peers.c     discovery: peers, nearby, friends' subscriptions
 *   beacon-lan-notifier.c  incoming SUBSCRIBEs: our watchers and their NOTIFYs
 *   beacon-lan-watch.c     our SUBSCRIBEs to friends and the NOTIFYs they send
 *   beacon-lan-chat.c      MESSAGE out and in
 *   beacon-lan-roster.c    add, remove, authorize, unblock
 *   beacon-lan-store.c     friends.xml and pres-rules.xml
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_glib.h>

#include "beacon-lan-account.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"

G_BEGIN_DECLS

/* What a nua handle's magic points to: each begins with its kind. */
typedef enum {
  LAN_HANDLE_WATCHER = 1,
  LAN_HANDLE_WATCH,
  LAN_HANDLE_MESSAGE,
} LanHandleKind;

typedef struct _LanWatcher LanWatcher;
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

  su_root_t           *root;
  GSource             *root_source;
  nua_t               *nua;
  gboolean             nua_shut_down;
  gboolean             disposing;
  gboolean             started;

  GHashTable          *peers;          /* instance → BeaconLanPeer */
  GHashTable          *latest;         /* aor → instance announced last */
  GListStore          *nearby;         /* BeaconBuddy */
  GHashTable          *watchers;       /* LanWatcher set */
  GHashTable          *watches;        /* friend uri → LanWatch */
  GHashTable          *ending;         /* LanWatch set: un-SUBSCRIBE sent */
  GHashTable          *messages;       /* LanMessage set */

  BeaconResourceLists *friends;
  BeaconPresRules     *rules;
  GPtrArray           *load_errors;    /* GError, emitted at start */

  GTask               *stop_task;
  guint                stop_timeout_id;
  guint                goodbyes;       /* final NOTIFYs and un-SUBSCRIBEs unanswered */
};

/* beacon-lan-account.c */
void            beacon_lan_account_emit_peer (BeaconLanAccount *self,
                                              const char       *uri,
                                              const char       *name,
                                              const char       *address,
                                              gboolean          appeared);

/* beacon-lan-stack.c */
void            beacon_lan_stack_start       (BeaconAccount       *account);
void            beacon_lan_stack_stop_async  (BeaconAccount       *account,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        beacon_lan_stack_stop_finish (BeaconAccount       *account,
                                              GAsyncResult        *result,
                                              GError             **error);
void            beacon_lan_stack_destroy     (BeaconLanAccount    *self);
/* A goodbye of stop() was answered or given up. */
void            beacon_lan_account_final_notify_done (BeaconLanAccount *self);

/* beacon-lan-peers.c */
void            beacon_lan_peers_connect     (BeaconLanAccount    *self);
void            beacon_lan_peers_disconnect  (BeaconLanAccount    *self);
void            beacon_lan_peers_all_offline (BeaconLanAccount    *self);
char           *beacon_lan_url_aor          (const url_t        *url);
const BeaconLanPeer *beacon_lan_account_find_peer (BeaconLanAccount *self,
                                                   const char       *aor);
char           *beacon_lan_peer_target      (const BeaconLanPeer *peer,
                                             const char          *aor);

/* beacon-lan-notifier.c */
void            beacon_lan_notifier_incoming (BeaconLanAccount *self,
                                              nua_handle_t     *nh,
                                              int               status,
                                              const sip_t      *sip,
                                              tagi_t            tags[]);
void            beacon_lan_watcher_event     (BeaconLanAccount *self,
                                              LanWatcher       *watcher,
                                              nua_event_t       event,
                                              int               status,
                                              const sip_t      *sip,
                                              tagi_t            tags[]);
void            beacon_lan_watcher_free      (LanWatcher       *watcher);
/* Our status or a rule changed: tell every watcher (of @uri, or all). */
void            beacon_lan_notifier_update   (BeaconLanAccount *self,
                                              const char       *uri);
/* Final NOTIFYs to every watcher; returns how many were sent (each one
 * calls beacon_lan_account_final_notify_done() when answered or dropped). */
guint           beacon_lan_notifier_terminate_all (BeaconLanAccount *self);

/* beacon-lan-watch.c */
void            beacon_lan_watch_start       (BeaconLanAccount    *self,
                                              const char          *uri,
                                              const BeaconLanPeer *peer);
void            beacon_lan_watch_stop        (BeaconLanAccount    *self,
                                              const char          *uri,
                                              gboolean             unsubscribe);
/* Un-SUBSCRIBEs from everybody (stop); returns how many were sent. */
guint           beacon_lan_watch_stop_all    (BeaconLanAccount    *self);
void            beacon_lan_watch_event       (BeaconLanAccount    *self,
                                              LanWatch            *watch,
                                              nua_event_t          event,
                                              int                  status,
                                              const sip_t         *sip,
                                              tagi_t               tags[]);
void            beacon_lan_watch_free        (LanWatch            *watch);
/* TRUE when the friend's own answer (presence, or a refusal) is known:
 * then their announcement's status is not shown. */
gboolean        beacon_lan_watch_is_active   (BeaconLanAccount    *self,
                                              const char          *uri);

/* beacon-lan-chat.c */
gboolean        beacon_lan_chat_send         (BeaconLanAccount *self,
                                              const char       *uri,
                                              const char       *text,
                                              const char       *id,
                                              GError          **error);
void            beacon_lan_chat_event        (BeaconLanAccount *self,
                                              gpointer          message,
                                              nua_event_t       event,
                                              int               status,
                                              const char       *phrase);
void            beacon_lan_chat_incoming     (BeaconLanAccount *self,
                                              const sip_t      *sip);
void            beacon_lan_chat_free         (gpointer          message);

/* beacon-lan-roster.c: the vfuncs that edit the lists */
gboolean        beacon_lan_roster_add        (BeaconLanAccount    *self,
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
/* A friend was added or removed: move the peer between the buddy list's
 * subscriptions and the nearby list (beacon-lan-account.c). */
void            beacon_lan_account_friend_changed (BeaconLanAccount *self,
                                                   const char       *uri,
                                                   gboolean          is_friend);

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
