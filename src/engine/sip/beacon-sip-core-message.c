/* beacon-sip-core-message.c — the core's MESSAGEs, out and in, for both modes
 *
 * Out: the message id in BEACON_SIP_MESSAGE_ID_HEADER and in the Call-ID,
 * so a resend after a crash is recognised; to the server (Request-URI the
 * To) or straight to a LAN peer's endpoint. In: "message-received" with
 * the dedupe key of beacon_message_dedupe_key() (the sender's message id
 * when it gave one, not the CSeq a resend changes), answered only when
 * the handlers return: a 200 promises the text is on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-core-private.h"

#include <string.h>

#include "formats/beacon-message-id.h"
#include "beacon-sip-error.h"
#include "beacon-sip-incoming.h"

/* ---- in ----------------------------------------------------------------- */

/* A Beacon sender's message id: its own header (which msilo stores and
 * replays with the text) or, failing that, its Call-ID. */
static const char *
message_id_of (const sip_t *sip)
{
  for (const msg_unknown_t *u = sip->sip_unknown; u != NULL; u = u->un_next)
    if (u->un_name != NULL && g_ascii_strcasecmp (u->un_name, BEACON_SIP_MESSAGE_ID_HEADER) == 0 &&
        beacon_message_id_is_valid (u->un_value))
      return u->un_value;
  if (sip->sip_call_id != NULL &&
      g_str_has_prefix (sip->sip_call_id->i_id, BEACON_SIP_MESSAGE_CALL_ID_PREFIX))
    return sip->sip_call_id->i_id + strlen (BEACON_SIP_MESSAGE_CALL_ID_PREFIX);
  return NULL;
}

char *
beacon_sip_message_dedupe_key (const sip_t *sip,
                               const char  *from)
{
  return beacon_message_dedupe_key (from, message_id_of (sip),
                                    sip->sip_call_id ? sip->sip_call_id->i_id : NULL,
                                    sip->sip_cseq ? sip->sip_cseq->cs_seq : 0);
}

void
beacon_sip_core_refuse_message (BeaconSipCore *self,
                                guint          status,
                                guint          retry_after_s)
{
  g_return_if_fail (BEACON_IS_SIP_CORE (self));
  g_return_if_fail (status == 429 || status == 503);
  self->incoming_status = status;
  self->incoming_retry_after = MAX (retry_after_s, 1);
}

void
beacon_sip_core_message_incoming (BeaconSipCore *self,
                                  nua_handle_t  *nh,
                                  const sip_t   *sip)
{
  g_autoptr(BeaconSipIncoming) in = beacon_sip_incoming_new (sip, self->from_of);

  if (in == NULL)
    {
      g_debug ("refused a MESSAGE (no From, or a bad one)");
      nua_respond (nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS (self->nua), TAG_END ());
      return;
    }
  g_debug ("MESSAGE from %s (%s, %zu bytes)", in->from,
           in->content_type ? in->content_type : "no type", g_bytes_get_size (in->body));
  /* Stored (or known as a retransmission) before the 200 goes out: a
   * crash before the answer makes the sender or msilo send it again. */
  self->incoming_status = 200;
  self->incoming_retry_after = 60;
  beacon_sip_core_emit_message_received (self, in->from, in->content_type, in->body,
                                         in->dedupe_key);
  if (self->incoming_status == 200)
    nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (self->nua), TAG_END ());
  else
    /* 429 (RFC 6585): a stranger over the limits; a proxy passes it back
     * (msilo stores only on 408, 480, 503). 503: not stored here, the
     * sender or msilo keeps it and tries again. */
    beacon_sip_respond_retry_after (self->nua, nh, self->incoming_status,
                                    self->incoming_status == 429 ? "Too Many Requests"
                                                                 : sip_503_Service_unavailable,
                                    self->incoming_retry_after);
}

/* ---- out ---------------------------------------------------------------- */

typedef struct {
  BeaconSipHandle *handle;
  guint            status;
  char            *phrase;
} SendMessage;

static void
send_message_free (SendMessage *data)
{
  g_clear_pointer (&data->handle, beacon_sip_handle_free);
  g_free (data->phrase);
  g_free (data);
}

static void
message_event (gpointer     owner,
               nua_event_t  event,
               int          status,
               const char  *phrase,
               const sip_t *sip,
               tagi_t       tags[])
{
  GTask *task = owner;  /* the handle's reference */
  SendMessage *data = g_task_get_task_data (task);

  if (event != nua_r_message || status < 200)
    return;
  data->status = status;
  data->phrase = g_strdup (phrase);
  if (status < 300)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, beacon_sip_error_new_for_status (status, phrase, "MESSAGE"));
  /* Frees the handle (we are inside its event) and the task. */
  g_object_unref (task);
}

static void
message_detached (gpointer owner)
{
  GTask *task = owner;

  g_task_return_new_error (task, BEACON_SIP_ERROR, BEACON_SIP_ERROR_STOPPED,
                           "The SIP account stopped before the message was answered");
  g_object_unref (task);
}

void
beacon_sip_core_send_message_async (BeaconSipCore       *self,
                                    const char          *to,
                                    const char          *target,
                                    const char          *content_type,
                                    GBytes              *body,
                                    const char          *message_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *id_header = NULL;
  g_autofree char *payload = NULL;
  GError *error = NULL;
  SendMessage *data;
  const char *bytes;
  gsize len;

  g_return_if_fail (BEACON_IS_SIP_CORE (self));
  g_return_if_fail (to != NULL && content_type != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_core_send_message_async);
  data = g_new0 (SendMessage, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) send_message_free);

  if (message_id != NULL)
    {
      call_id = g_strconcat (BEACON_SIP_MESSAGE_CALL_ID_PREFIX, message_id, NULL);
      id_header = g_strdup_printf ("%s: %s", BEACON_SIP_MESSAGE_ID_HEADER, message_id);
    }
  /* The handle holds a task reference until the answer or detach. */
  data->handle = beacon_sip_core_handle_new (self, to, target, call_id, message_event,
                                             message_detached, task, &error);
  if (data->handle == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_ref (task);
  /* Text bodies only (text/plain, message/cpim): NUL-terminated for nua. */
  bytes = g_bytes_get_data (body, &len);
  payload = g_strndup (bytes, len);
  g_debug ("MESSAGE to %s%s%s", to, target ? " at " : "", target ? target : "");
  nua_message (beacon_sip_handle_get_nh (data->handle),
               TAG_IF (target != NULL, NUTAG_URL (target)),
               TAG_IF (id_header != NULL, SIPTAG_HEADER_STR (id_header)),
               SIPTAG_CONTENT_TYPE_STR (content_type),
               SIPTAG_PAYLOAD_STR (payload),
               TAG_END ());
}

gboolean
beacon_sip_core_send_message_finish (BeaconSipCore  *self,
                                     GAsyncResult   *result,
                                     guint          *status,
                                     char          **phrase,
                                     GError        **error)
{
  SendMessage *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->status;
  if (phrase != NULL)
    *phrase = g_strdup (data->phrase);
  return g_task_propagate_boolean (G_TASK (result), error);
}
