/* beacon-sip-lan-agent.h — the LAN mode's SIP endpoint, without sofia-sip in sight
 *
 * A BeaconSipLanAgent is a presence agent for one AOR on the local
 * network, with no server: it answers SUBSCRIBEs for its own presence
 * under a policy its owner gives (allow, polite-block, confirm, block),
 * keeps the watchers NOTIFYed, subscribes straight to other peers' SIP
 * endpoints and sends them MESSAGEs. BeaconLanAccount (src/engine/lan/)
 * owns one; everything protocol-level lives here.
 *
 * Signals:
 *   watcher (const char *uri, const char *state)
 *     a watcher's state for the user: "pending", "active", "terminated"
 *   subscription-state (const char *uri, BeaconSipLanSubState state,
 *                       guint status, const char *reason, guint retry_after,
 *                       const char *content_type, GBytes *body)
 *     news of our subscription to @uri: a NOTIFY (PENDING, ACTIVE with
 *     its body, TERMINATED with its reason and retry-after) or a final
 *     refusal of the SUBSCRIBE (FAILED with @status and Retry-After).
 *     After TERMINATED and FAILED there is no subscription to @uri.
 *   message-sent (const char *to, const char *id, guint status,
 *                 const char *phrase)
 *     the final answer to beacon_sip_lan_agent_send_message()
 *   message-received (const char *from, const char *content_type,
 *                     GBytes *body, const char *dedupe_key)
 *     a MESSAGE came; @dedupe_key as beacon_message_dedupe_key()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-status.h"

G_BEGIN_DECLS

typedef enum {
  BEACON_SIP_LAN_SUB_PENDING,
  BEACON_SIP_LAN_SUB_ACTIVE,
  BEACON_SIP_LAN_SUB_TERMINATED,
  BEACON_SIP_LAN_SUB_FAILED,
} BeaconSipLanSubState;

/* How a SUBSCRIBE from @uri is handled now (pres-rules). */
typedef BeaconSubHandling (*BeaconSipLanPolicyFunc) (const char *uri,
                                                     gpointer    user_data);

/* Whether to take a MESSAGE or SUBSCRIBE from @uri that came from network
 * @address; FALSE: it is answered 429 with Retry-After *@retry_after_s. */
typedef gboolean (*BeaconSipLanAdmitFunc) (const char *uri,
                                           const char *address,
                                           guint      *retry_after_s,
                                           gpointer    user_data);

#define BEACON_TYPE_SIP_LAN_AGENT (beacon_sip_lan_agent_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipLanAgent, beacon_sip_lan_agent, BEACON, SIP_LAN_AGENT, GObject)

/* @aor: ours (From, and the entity of our PIDF); @user: the user part
 * SUBSCRIBEs must be addressed to; @bind_address NULL: all; @port 0: any
 * free one. */
BeaconSipLanAgent *beacon_sip_lan_agent_new        (const char             *aor,
                                                    const char             *user,
                                                    const char             *bind_address,
                                                    guint                   port);

/* Consulted for every SUBSCRIBE and every update; without one, all are
 * refused. @user_data must outlive the agent. */
void               beacon_sip_lan_agent_set_policy (BeaconSipLanAgent      *self,
                                                    BeaconSipLanPolicyFunc  func,
                                                    gpointer                user_data);

/* Consulted for every incoming MESSAGE and SUBSCRIBE; without one, all
 * are taken. @user_data must outlive the agent. */
void               beacon_sip_lan_agent_set_admit  (BeaconSipLanAgent      *self,
                                                    BeaconSipLanAdmitFunc   func,
                                                    gpointer                user_data);

/* Opens the UDP port and starts answering. FALSE with
 * BEACON_SIP_ERROR_TRANSPORT when no port could be bound. */
gboolean           beacon_sip_lan_agent_start      (BeaconSipLanAgent      *self,
                                                    GError                **error);

/* Goodbyes (terminated NOTIFYs to the watchers, un-SUBSCRIBEs), then the
 * stack goes down; both steps bounded in time. */
void               beacon_sip_lan_agent_stop_async (BeaconSipLanAgent      *self,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean           beacon_sip_lan_agent_stop_finish (BeaconSipLanAgent     *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);

/* Started and not stopping. */
gboolean           beacon_sip_lan_agent_is_running (BeaconSipLanAgent      *self);

/* The UDP port bound (the one asked for before start). */
guint              beacon_sip_lan_agent_get_port   (BeaconSipLanAgent      *self);

/* Our presence; allowed watchers are told at once. */
void               beacon_sip_lan_agent_set_presence (BeaconSipLanAgent    *self,
                                                      BeaconStatus          status,
                                                      const char           *note);

/* The policy for @uri (NULL: everybody) may have changed: the watchers
 * concerned are told ("watcher" is emitted when @uri is given). */
void               beacon_sip_lan_agent_update_watchers (BeaconSipLanAgent *self,
                                                         const char        *uri);

/* SUBSCRIBE to @uri's presence at @target (a sip: URI with address and
 * port), asking for @expires seconds; replaces any subscription to @uri
 * (without un-SUBSCRIBE). */
void               beacon_sip_lan_agent_subscribe  (BeaconSipLanAgent      *self,
                                                    const char             *uri,
                                                    const char             *target,
                                                    guint                   expires);

/* TRUE while a subscription to @uri is up or being set up. */
gboolean           beacon_sip_lan_agent_is_subscribed (BeaconSipLanAgent   *self,
                                                       const char          *uri);

/* Ends our subscription to @uri, with an un-SUBSCRIBE when @send (the
 * answer is waited for, bounded, by stop). No signal follows. */
void               beacon_sip_lan_agent_unsubscribe (BeaconSipLanAgent     *self,
                                                     const char            *uri,
                                                     gboolean               send);

/* text/plain MESSAGE to @to at @target, for the message @id (letters,
 * digits and '-'): Call-ID and BEACON_SIP_MESSAGE_ID_HEADER made from it,
 * so a resend is recognised. "message-sent" tells the outcome. */
void               beacon_sip_lan_agent_send_message (BeaconSipLanAgent    *self,
                                                      const char           *to,
                                                      const char           *target,
                                                      const char           *text,
                                                      const char           *id);

G_END_DECLS
