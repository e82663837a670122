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

#include "formats/beacon-cpim.h"

gboolean
beacon_lan_chat_send (BeaconLanAccount  *self,
                      const char        *uri,
                      const char        *text,
                      const char        *id,
                      GError           **error)
{
  const BeaconLanPeer *peer;
  g_autofree char *target = NULL;

  if (!beacon_lan_stack_is_running (self))
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

static char *
body_text (const char *content_type,
           GBytes     *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *type = NULL;

  if (data == NULL)
    data = "";
  if (content_type != NULL)
    type = g_strstrip (g_strndup (content_type, strcspn (content_type, ";")));
  if (type != NULL && g_ascii_strcasecmp (type, "message/cpim") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconCpim) cpim = beacon_cpim_parse (data, len, &error);

      if (cpim == NULL)
        {
          g_debug ("unreadable CPIM: %s", error->message);
          return NULL;
        }
      if (cpim->content_type != NULL && !g_str_has_prefix (cpim->content_type, "text/plain"))
        return NULL;  /* IMDN and other non-chat payloads */
      return g_strdup (cpim->text);
    }
  if (type == NULL || g_ascii_strncasecmp (type, "text/plain", strlen ("text/plain")) == 0)
    return g_utf8_make_valid (data, len);
  return NULL;
}

void
beacon_lan_chat_received (BeaconSipLanAgent *agent,
                          const char        *from,
                          const char        *content_type,
                          GBytes            *body,
                          const char        *dedupe_key,
                          BeaconLanAccount  *self)
{
  g_autofree char *text = body_text (content_type, body);

  if (text == NULL)
    {
      g_debug ("ignored a MESSAGE from %s (not a chat text)", from);
      return;
    }
  beacon_account_receive_message (BEACON_ACCOUNT (self), from, text, dedupe_key);
}
