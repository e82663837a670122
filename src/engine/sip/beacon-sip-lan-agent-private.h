/* beacon-sip-lan-agent-private.h — BeaconSipLanAgent's insides, shared by its files
 *
 *   beacon-sip-lan-agent.c          the GObject, start/stop, the nua callback
 *   beacon-sip-lan-notifier.c       incoming SUBSCRIBEs: our watchers and their NOTIFYs
 *   beacon-sip-lan-subscriptions.c  our SUBSCRIBEs and the NOTIFYs they bring
 *   beacon-sip-lan-messages.c       MESSAGE out and in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include "beacon-sip-lan-agent.h"

G_BEGIN_DECLS

/* What a nua handle's magic points to: each begins with its kind. */
typedef enum {
  LAN_HANDLE_WATCHER = 1,
  LAN_HANDLE_SUBSCRIPTION,
  LAN_HANDLE_MESSAGE,
} LanHandleKind;

typedef struct _LanWatcher      LanWatcher;
typedef struct _LanSubscription LanSubscription;
typedef struct _LanMessage      LanMessage;

struct _BeaconSipLanAgent
{
  GObject                 parent_instance;

  char                   *aor;
  char                   *user;
  char                   *bind_address;
  guint                   port;           /* asked for; the bound one once started */
  BeaconSipLanPolicyFunc  policy;
  gpointer                policy_data;
  BeaconSipLanAdmitFunc   admit;
  gpointer                admit_data;
  BeaconStatus            status;
  char                   *note;

  su_root_t              *root;
  GSource                *root_source;
  nua_t                  *nua;
  gboolean                nua_shut_down;
  gboolean                disposing;

  GHashTable             *watchers;       /* LanWatcher set */
  GHashTable             *subscriptions;  /* uri → LanSubscription */
  GHashTable             *ending;         /* LanSubscription set: un-SUBSCRIBE sent */
  GHashTable             *messages;       /* LanMessage set */

  GTask                  *stop_task;
  guint                   stop_timeout_id;
  guint                   goodbyes;       /* final NOTIFYs and un-SUBSCRIBEs unanswered */
};

/* beacon-sip-lan-agent.c */
/* Unbinds and destroys *@nh (no more events for its owner); clears it. */
void            beacon_sip_lan_handle_clear    (nua_handle_t      **nh);
/* sip:user@host of a URL (no port, no parameters), host lowercased. */
char           *beacon_sip_lan_url_aor         (const url_t        *url);
BeaconSubHandling beacon_sip_lan_agent_lookup  (BeaconSipLanAgent  *self,
                                                const char         *uri);
void            beacon_sip_lan_agent_emit_watcher (BeaconSipLanAgent *self,
                                                   const char        *uri,
                                                   const char        *state);
void            beacon_sip_lan_agent_emit_subscription (BeaconSipLanAgent    *self,
                                                        const char           *uri,
                                                        BeaconSipLanSubState  state,
                                                        guint                 status,
                                                        const char           *reason,
                                                        guint                 retry_after,
                                                        const sip_t          *sip);
/* A goodbye was answered or given up. */
void            beacon_sip_lan_agent_goodbye_done (BeaconSipLanAgent *self);

/* beacon-sip-lan-notifier.c */
void            beacon_sip_lan_notifier_incoming (BeaconSipLanAgent *self,
                                                  nua_handle_t      *nh,
                                                  int                status,
                                                  const sip_t       *sip,
                                                  tagi_t             tags[]);
void            beacon_sip_lan_watcher_event  (BeaconSipLanAgent *self,
                                               LanWatcher        *watcher,
                                               nua_event_t        event,
                                               int                status,
                                               const sip_t       *sip,
                                               tagi_t             tags[]);
void            beacon_sip_lan_watcher_free   (LanWatcher        *watcher);
/* Final NOTIFYs to every watcher; returns how many were sent (each one
 * calls beacon_sip_lan_agent_goodbye_done() when answered or dropped). */
guint           beacon_sip_lan_notifier_terminate_all (BeaconSipLanAgent *self);

/* beacon-sip-lan-subscriptions.c */
void            beacon_sip_lan_subscription_event (BeaconSipLanAgent *self,
                                                   LanSubscription   *sub,
                                                   nua_event_t        event,
                                                   int                status,
                                                   const sip_t       *sip,
                                                   tagi_t             tags[]);
void            beacon_sip_lan_subscription_free (LanSubscription    *sub);
/* Un-SUBSCRIBEs from everybody (stop); returns how many were sent. */
guint           beacon_sip_lan_unsubscribe_all   (BeaconSipLanAgent  *self);

/* beacon-sip-lan-agent.c: the owner's admit function for the request
 * being handled, with its network source. */
gboolean        beacon_sip_lan_agent_admit       (BeaconSipLanAgent  *self,
                                                  const char         *uri,
                                                  guint              *retry_after_s);

/* beacon-sip-lan-messages.c */
void            beacon_sip_lan_message_event     (BeaconSipLanAgent  *self,
                                                  LanMessage         *message,
                                                  nua_event_t         event,
                                                  int                 status,
                                                  const char         *phrase);
void            beacon_sip_lan_message_incoming  (BeaconSipLanAgent  *self,
                                                  nua_handle_t       *nh,
                                                  const sip_t        *sip);
void            beacon_sip_lan_message_free      (LanMessage         *message);

G_END_DECLS
