/* beacon-sip-lan-agent-private.h — BeaconSipLanAgent's insides, shared by its facets
 *
 *   beacon-sip-lan-agent.c          the GObject on its core, start/stop, policy
 *   beacon-sip-lan-notifier.c       incoming SUBSCRIBEs: our watchers and their NOTIFYs
 *   beacon-sip-lan-subscriptions.c  our SUBSCRIBEs and the NOTIFYs they bring
 *   beacon-sip-lan-messages.c       MESSAGE out and in
 *
 * The facets call the core file (beacon-sip-lan-agent.c) and the SIP
 * core, never each other; sofia-sip's events reach them through the
 * handles they own (beacon-sip-core.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-sip-core.h"
#include "beacon-sip-lan-agent.h"

G_BEGIN_DECLS

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

  BeaconSipCore          *core;
  gboolean                disposing;

  GHashTable             *watchers;       /* LanWatcher set */
  GHashTable             *subscriptions;  /* uri → LanSubscription */
  GHashTable             *ending;         /* LanSubscription set: un-SUBSCRIBE sent */
  GHashTable             *messages;       /* LanMessage set: in flight */

  GTask                  *stop_task;
  guint                   stop_timeout_id;
  guint                   goodbyes;       /* final NOTIFYs and un-SUBSCRIBEs unanswered */
};

/* beacon-sip-lan-agent.c */
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
                                                        const char           *content_type,
                                                        GBytes               *body);
/* A goodbye was answered or given up. */
void            beacon_sip_lan_agent_goodbye_done (BeaconSipLanAgent *self);
/* The owner's admit function for the request being handled, with its
 * network source. */
gboolean        beacon_sip_lan_agent_admit       (BeaconSipLanAgent  *self,
                                                  const char         *uri,
                                                  guint              *retry_after_s);

/* beacon-sip-lan-notifier.c */
/* The core's request function: an incoming SUBSCRIBE (BeaconSipRequestFunc). */
gboolean        beacon_sip_lan_notifier_incoming (gpointer           owner,
                                                  nua_event_t        event,
                                                  int                status,
                                                  nua_handle_t      *nh,
                                                  const sip_t       *sip,
                                                  tagi_t             tags[]);
void            beacon_sip_lan_watcher_free   (LanWatcher        *watcher);
/* Final NOTIFYs to every watcher; returns how many were sent (each one
 * calls beacon_sip_lan_agent_goodbye_done() when answered or dropped). */
guint           beacon_sip_lan_notifier_terminate_all (BeaconSipLanAgent *self);

/* beacon-sip-lan-subscriptions.c */
void            beacon_sip_lan_subscription_free (LanSubscription    *sub);
/* Un-SUBSCRIBEs from everybody (stop); returns how many were sent. */
guint           beacon_sip_lan_unsubscribe_all   (BeaconSipLanAgent  *self);

/* beacon-sip-lan-messages.c */
/* The core's "message-received" handler. */
void            beacon_sip_lan_message_received  (BeaconSipCore      *core,
                                                  const char         *from,
                                                  const char         *content_type,
                                                  GBytes             *body,
                                                  const char         *dedupe_key,
                                                  BeaconSipLanAgent  *self);
/* The agent stopped: the message's answer, when it comes, is not told. */
void            beacon_sip_lan_message_cancel    (LanMessage         *message);
void            beacon_sip_lan_message_free      (LanMessage         *message);

G_END_DECLS
