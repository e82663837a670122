/* beacon-sip-lan-messages.c — the LAN agent's MESSAGEs, out and in
 *
 * Both go through the core (beacon-sip-core-message.c), with its message
 * id conventions. Out: text/plain straight to the peer's endpoint; the
 * final answer is a "message-sent" emission. In: the owner's admit
 * function first (a stranger over the limits is answered 429), then a
 * "message-received" emission, answered 200 when its handlers return.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include <string.h>

struct _LanMessage
{
  BeaconSipLanAgent  *self;
  char               *to;
  char               *id;
  GCancellable       *cancellable;  /* cancelled: the agent stopped, say nothing */
};

void
beacon_sip_lan_message_free (LanMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->to);
  g_free (message->id);
  g_clear_object (&message->cancellable);
  g_free (message);
}

void
beacon_sip_lan_message_cancel (LanMessage *message)
{
  g_cancellable_cancel (message->cancellable);
}

static void
message_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LanMessage *message = user_data;
  BeaconSipLanAgent *self = message->self;
  g_autofree char *phrase = NULL;
  guint status = 0;

  beacon_sip_core_send_message_finish (BEACON_SIP_CORE (source), result, &status, &phrase, NULL);
  if (g_cancellable_is_cancelled (message->cancellable))
    {
      beacon_sip_lan_message_free (message);
      return;
    }
  g_debug ("MESSAGE to %s: %u %s", message->to, status, phrase ? phrase : "");
  g_hash_table_remove (self->messages, message);
  /* Not in the table any more: a handler may stop the agent. */
  g_signal_emit_by_name (self, "message-sent", message->to, message->id, status, phrase);
  beacon_sip_lan_message_free (message);
}

void
beacon_sip_lan_agent_send_message (BeaconSipLanAgent *self,
                                   const char        *to,
                                   const char        *target,
                                   const char        *text,
                                   const char        *id)
{
  g_autoptr(GBytes) body = NULL;
  LanMessage *message;

  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  g_return_if_fail (beacon_sip_lan_agent_is_running (self));
  g_return_if_fail (to != NULL && target != NULL && text != NULL && id != NULL);

  message = g_new0 (LanMessage, 1);
  message->self = self;
  message->to = g_strdup (to);
  message->id = g_strdup (id);
  message->cancellable = g_cancellable_new ();
  g_hash_table_add (self->messages, message);
  body = g_bytes_new (text, strlen (text));
  /* The conventions of the core: a resend after a crash carries the same
   * id, and the peer drops the copy. */
  beacon_sip_core_send_message_async (self->core, to, target, "text/plain;charset=utf-8", body,
                                      id, NULL, message_sent, message);
}

void
beacon_sip_lan_message_received (BeaconSipCore     *core,
                                 const char        *from,
                                 const char        *content_type,
                                 GBytes            *body,
                                 const char        *dedupe_key,
                                 BeaconSipLanAgent *self)
{
  guint retry_after = 0;

  if (!beacon_sip_lan_agent_admit (self, from, &retry_after))
    {
      g_debug ("MESSAGE from %s: 429, retry after %u s", from, retry_after);
      beacon_sip_core_refuse_message (core, 429, retry_after);
      return;
    }
  g_signal_emit_by_name (self, "message-received", from, content_type, body, dedupe_key);
}
