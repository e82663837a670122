/* beacon-lan-chat.c — MESSAGE straight to the peer, and from it
 *
 * Outgoing: text/plain to the address discovery announced for the AOR,
 * the Call-ID made from the message id (a resend after a crash carries the
 * same one, and the peer drops the copy). 2xx → delivered, anything else →
 * failed. Incoming: text/plain or message/cpim, kept once per Call-ID and
 * CSeq; the base class drops those of blocked senders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

#include "formats/beacon-cpim.h"

typedef struct {
  LanHandleKind      kind;
  BeaconLanAccount  *self;
  nua_handle_t      *nh;
  char              *to;
  char              *id;
} LanMessage;

void
beacon_lan_chat_free (gpointer data)
{
  LanMessage *message = data;

  if (message == NULL)
    return;
  if (message->nh != NULL)
    {
      nua_handle_bind (message->nh, NULL);
      nua_handle_destroy (message->nh);
    }
  g_free (message->to);
  g_free (message->id);
  g_free (message);
}

gboolean
beacon_lan_chat_send (BeaconLanAccount  *self,
                      const char        *uri,
                      const char        *text,
                      const char        *id,
                      GError           **error)
{
  const BeaconLanPeer *peer;
  g_autofree char *target = NULL;
  g_autofree char *call_id = NULL;
  LanMessage *message;

  if (self->nua == NULL || self->stop_task != NULL)
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
  call_id = g_strdup_printf ("%s@beacon-lan", id);

  message = g_new0 (LanMessage, 1);
  message->kind = LAN_HANDLE_MESSAGE;
  message->self = self;
  message->to = g_strdup (uri);
  message->id = g_strdup (id);
  message->nh = nua_handle (self->nua, message,
                            NUTAG_URL (target),
                            SIPTAG_TO_STR (uri),
                            SIPTAG_CALL_ID_STR (call_id),
                            TAG_END ());
  g_hash_table_add (self->messages, message);
  g_debug ("MESSAGE to %s at %s", uri, target);
  nua_message (message->nh,
               NUTAG_URL (target),
               SIPTAG_CONTENT_TYPE_STR ("text/plain;charset=utf-8"),
               SIPTAG_PAYLOAD_STR (text),
               TAG_END ());
  return TRUE;
}

void
beacon_lan_chat_event (BeaconLanAccount *self,
                       gpointer          data,
                       nua_event_t       event,
                       int               status,
                       const char       *phrase)
{
  LanMessage *message = data;
  BeaconMessageState state;

  if (event != nua_r_message || status < 200)
    return;
  if (status < 300)
    state = status == 202 ? BEACON_MESSAGE_STORED : BEACON_MESSAGE_DELIVERED;
  else
    state = BEACON_MESSAGE_FAILED;
  g_debug ("MESSAGE to %s: %d %s", message->to, status, phrase ? phrase : "");
  {
    g_autofree char *to = g_strdup (message->to);
    g_autofree char *id = g_strdup (message->id);

    /* Freed first: a handler may stop the account. */
    g_hash_table_remove (self->messages, message);
    beacon_account_emit_message_state (BEACON_ACCOUNT (self), to, id, state, (guint) status);
  }
}

static char *
body_text (const sip_t *sip)
{
  const char *type = sip->sip_content_type ? sip->sip_content_type->c_type : NULL;
  const char *data = sip->sip_payload ? sip->sip_payload->pl_data : "";
  gsize len = sip->sip_payload ? sip->sip_payload->pl_len : 0;

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
beacon_lan_chat_incoming (BeaconLanAccount *self,
                          const sip_t      *sip)
{
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dedupe_key = NULL;

  if (sip == NULL || sip->sip_from == NULL)
    return;
  from = beacon_lan_url_aor (sip->sip_from->a_url);
  text = body_text (sip);
  if (from == NULL || text == NULL)
    {
      g_debug ("ignored a MESSAGE (%s)", from ? "not a chat text" : "bad From");
      return;
    }
  if (sip->sip_call_id != NULL && sip->sip_cseq != NULL)
    dedupe_key = g_strdup_printf ("%s %u", sip->sip_call_id->i_id, sip->sip_cseq->cs_seq);
  beacon_account_receive_message (BEACON_ACCOUNT (self), from, text, dedupe_key);
}
