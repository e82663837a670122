/* beacon-sip-lan-messages.c — the LAN agent's MESSAGEs, out and in
 *
 * Out: text/plain straight to the peer's endpoint, with the conventions of
 * BeaconSipUa (the message id in BEACON_SIP_MESSAGE_ID_HEADER and in the
 * Call-ID), so a resend after a crash is recognised; the final answer is a
 * "message-sent" emission. In: a "message-received" emission with the
 * dedupe key of beacon_sip_ua_dedupe_key(): the sender's message id when
 * it gave one, not the CSeq a resend changes. nua answers 200 itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include "beacon-sip-ua-private.h"
#include "beacon-sip-incoming.h"
#include "beacon-sip-stack.h"

struct _LanMessage
{
  LanHandleKind       kind;
  BeaconSipLanAgent  *self;
  nua_handle_t       *nh;
  char               *to;
  char               *id;
};

void
beacon_sip_lan_message_free (LanMessage *message)
{
  if (message == NULL)
    return;
  beacon_sip_lan_handle_clear (&message->nh);
  g_free (message->to);
  g_free (message->id);
  g_free (message);
}

void
beacon_sip_lan_agent_send_message (BeaconSipLanAgent *self,
                                   const char        *to,
                                   const char        *target,
                                   const char        *text,
                                   const char        *id)
{
  g_autofree char *call_id = NULL;
  g_autofree char *id_header = NULL;
  LanMessage *message;

  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  g_return_if_fail (beacon_sip_lan_agent_is_running (self));
  g_return_if_fail (to != NULL && target != NULL && text != NULL && id != NULL);

  /* The conventions of BeaconSipUa: a resend after a crash carries the
   * same id, and the peer drops the copy. */
  call_id = g_strconcat (BEACON_SIP_MESSAGE_CALL_ID_PREFIX, id, NULL);
  id_header = g_strdup_printf ("%s: %s", BEACON_SIP_MESSAGE_ID_HEADER, id);
  message = g_new0 (LanMessage, 1);
  message->kind = LAN_HANDLE_MESSAGE;
  message->self = self;
  message->to = g_strdup (to);
  message->id = g_strdup (id);
  message->nh = nua_handle (self->nua, message,
                            NUTAG_URL (target),
                            SIPTAG_TO_STR (to),
                            SIPTAG_CALL_ID_STR (call_id),
                            TAG_END ());
  g_hash_table_add (self->messages, message);
  g_debug ("MESSAGE to %s at %s", to, target);
  nua_message (message->nh,
               NUTAG_URL (target),
               SIPTAG_HEADER_STR (id_header),
               SIPTAG_CONTENT_TYPE_STR ("text/plain;charset=utf-8"),
               SIPTAG_PAYLOAD_STR (text),
               TAG_END ());
}

void
beacon_sip_lan_message_event (BeaconSipLanAgent *self,
                              LanMessage        *message,
                              nua_event_t        event,
                              int                status,
                              const char        *phrase)
{
  g_autofree char *to = NULL;
  g_autofree char *id = NULL;

  if (event != nua_r_message || status < 200)
    return;
  g_debug ("MESSAGE to %s: %d %s", message->to, status, phrase ? phrase : "");
  to = g_strdup (message->to);
  id = g_strdup (message->id);
  /* Freed first: a handler may stop the agent. */
  g_hash_table_remove (self->messages, message);
  g_signal_emit_by_name (self, "message-sent", to, id, (guint) status, phrase);
}

void
beacon_sip_lan_message_incoming (BeaconSipLanAgent *self,
                                 nua_handle_t      *nh,
                                 const sip_t       *sip)
{
  g_autoptr(BeaconSipIncoming) in = beacon_sip_incoming_new (sip, beacon_sip_lan_url_aor);
  guint retry_after = 0;

  if (in == NULL)
    {
      g_debug ("ignored a MESSAGE (no From, or a bad one)");
      nua_respond (nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS (self->nua), TAG_END ());
      return;
    }
  if (!beacon_sip_lan_agent_admit (self, in->from, &retry_after))
    {
      g_debug ("MESSAGE from %s: 429, retry after %u s", in->from, retry_after);
      beacon_sip_respond_retry_after (self->nua, nh, 429, "Too Many Requests", retry_after);
      return;
    }
  nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (self->nua), TAG_END ());
  g_signal_emit_by_name (self, "message-received", in->from, in->content_type, in->body,
                         in->dedupe_key);
}
