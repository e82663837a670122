/* beacon-lan-chat.c — MESSAGE straight to the peer, and from it
 *
 * Outgoing: text/plain to the address discovery announced for the AOR,
 * sent by the SIP agent with the message id in a Beacon-Message-ID header
 * and the Call-ID (the server mode's conventions). 2xx → delivered,
 * anything else → failed. Incoming: text/plain or message/cpim, kept once
 * per the agent's dedupe key: the sender's message id when it has one, so
 * a resend after a crash (a new transaction, a new CSeq) is dropped; the
 * base class drops those of blocked senders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

#include "formats/beacon-message-text.h"

gboolean
beacon_lan_chat_send (BeaconLanAccount  *self,
                      const char        *uri,
                      const char        *text,
                      const char        *id,
                      GError           **error)
{
  const BeaconLanPeer *peer;
  g_autofree char *target = NULL;

  if (!beacon_lan_account_is_running (self))
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED,
                   "The LAN account is not running");
      return FALSE;
    }
  peer = beacon_lan_account_find_peer (self, uri);
  if (peer == NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_UNREACHABLE,
                   "%s is not on the local network now", uri);
      return FALSE;
    }
  target = beacon_lan_peer_target (peer, uri);
  beacon_sip_lan_agent_send_message (self->agent, uri, target, text, id);
  return TRUE;
}

void
beacon_lan_chat_sent (BeaconSipLanAgent *agent,
                      const char        *to,
                      const char        *id,
                      guint              status,
                      const char        *phrase,
                      BeaconLanAccount  *self)
{
  BeaconMessageState state;

  if (status < 300)
    state = status == 202 ? BEACON_MESSAGE_STORED : BEACON_MESSAGE_DELIVERED;
  else
    state = BEACON_MESSAGE_FAILED;
  beacon_account_emit_message_state (BEACON_ACCOUNT (self), to, id, state, status);
}

void
beacon_lan_chat_received (BeaconSipLanAgent *agent,
                          const char        *from,
                          const char        *content_type,
                          GBytes            *body,
                          const char        *dedupe_key,
                          BeaconLanAccount  *self)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = beacon_message_text_from_lan_peer (content_type, data, len);

  if (text == NULL)
    {
      g_debug ("ignored a MESSAGE from %s (not a chat text)", from);
      return;
    }
  beacon_account_receive_message (BEACON_ACCOUNT (self), from, text, dedupe_key);
}
