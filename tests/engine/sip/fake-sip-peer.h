/* fake-sip-peer.h — a scriptable SIP peer for tests: a second sofia-sip
 * stack on loopback, in the test's own main loop
 *
 * It answers REGISTER (remembering the Contact), hands SUBSCRIBEs to the
 * test, and sends MESSAGEs. Tests of src/engine/sip/ may use sofia-sip
 * directly; the engine outside that folder never does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

G_BEGIN_DECLS

typedef struct _FakeSipPeer FakeSipPeer;

/* A SUBSCRIBE came (initial, refresh or un-SUBSCRIBE); answer with
 * nua_respond (nh, ..., NUTAG_WITH_THIS (nua), ...) and nua_notify(). */
typedef void (*FakeSipSubscribeFunc) (FakeSipPeer  *peer,
                                      nua_t        *nua,
                                      nua_handle_t *nh,
                                      const sip_t  *sip,
                                      gpointer      user_data);

FakeSipPeer *fake_sip_peer_new            (FakeSipSubscribeFunc  on_subscribe,
                                           gpointer              user_data);
/* "127.0.0.1:PORT": use as the account's proxy. */
const char  *fake_sip_peer_get_address    (FakeSipPeer          *peer);
/* The Contact of the last REGISTER, or NULL. */
const char  *fake_sip_peer_get_contact    (FakeSipPeer          *peer);
/* Sends a MESSAGE from @from to the registered contact; returns at once,
 * the final status arrives in fake_sip_peer_get_last_status(). */
void         fake_sip_peer_send_message   (FakeSipPeer          *peer,
                                           const char           *from,
                                           const char           *to,
                                           const char           *content_type,
                                           const char           *body);
int          fake_sip_peer_get_last_status (FakeSipPeer         *peer);
/* As send_message, with a given Call-ID and one extra "Name: value"
 * header (each may be NULL). */
void         fake_sip_peer_send_message_with (FakeSipPeer       *peer,
                                           const char           *from,
                                           const char           *to,
                                           const char           *content_type,
                                           const char           *body,
                                           const char           *call_id,
                                           const char           *header);
/* MESSAGEs sent to the peer are answered @status (default 200; 0: never) and
 * counted; the last one's Call-ID and Beacon-Message-ID are kept. */
void         fake_sip_peer_set_message_status (FakeSipPeer      *peer,
                                           int                   status);
guint        fake_sip_peer_get_messages_in (FakeSipPeer         *peer);
const char  *fake_sip_peer_get_last_in_call_id (FakeSipPeer     *peer);
const char  *fake_sip_peer_get_last_in_message_id (FakeSipPeer  *peer);
/* Runs the main context until @done(@data) or @ms pass; returns done. */
gboolean     fake_sip_spin_until          (gboolean            (*done) (gpointer data),
                                           gpointer              data,
                                           guint                 ms);
void         fake_sip_peer_free           (FakeSipPeer          *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeSipPeer, fake_sip_peer_free)

G_END_DECLS
