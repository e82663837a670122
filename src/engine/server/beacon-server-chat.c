/* beacon-server-chat.c — the server account's MESSAGEs, out and in
 *
 * Out: text/plain under the message's id through the UA; the answer sets
 * the message's state (202: stored for an offline peer). In: a stranger
 * over the limits is refused 429, text that cannot be shown is dropped,
 * and a 200 goes out only once the history has it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-server-account-private.h"

#include <string.h>

#include "formats/beacon-message-text.h"
#include "sip/beacon-sip-error.h"

/* ---- incoming MESSAGE ----------------------------------------------------- */

void
beacon_server_chat_received (BeaconSipUa         *ua,
                             const char          *from,
                             const char          *content_type,
                             GBytes              *body,
                             const char          *dedupe_key,
                             BeaconServerAccount *self)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *text = NULL;
  guint retry_after = 0;

  /* Friends not known yet (just started): come back in a second. */
  if (!beacon_account_get_friends_known (BEACON_ACCOUNT (self)))
    {
      g_debug ("MESSAGE from %s before the lists are loaded: 503", from);
      beacon_sip_ua_refuse_message (ua, 1);
      return;
    }
  /* A stranger over the limits gets 429 before anything is parsed or
   * stored (all requests come through the proxy: the From is the source). */
  if (!beacon_account_admit_request (BEACON_ACCOUNT (self), from, NULL, &retry_after))
    {
      beacon_sip_ua_refuse_message_too_many (ua, retry_after);
      return;
    }
  text = beacon_message_text_from_server (content_type, data, len);
  if (text == NULL)
    {
      g_debug ("dropped a MESSAGE from %s: %s is not text we can show", from,
               content_type ? content_type : "no type");
      return;
    }
  /* The SIP From (which the server authenticated), not a CPIM From. Not
   * on disk: refused, so that it comes again (msilo keeps it meanwhile). */
  if (!beacon_account_receive_message (BEACON_ACCOUNT (self), from, text, dedupe_key))
    beacon_sip_ua_refuse_message (ua, 60);
}

/* ---- outgoing MESSAGE ----------------------------------------------------- */

typedef struct {
  BeaconServerAccount *self;
  char                *to;
  char                *id;
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->self);
  g_free (sending->to);
  g_free (sending->id);
  g_free (sending);
}

static void
message_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(GError) error = NULL;
  BeaconMessageState state;
  guint status = 0;

  if (beacon_sip_ua_send_message_finish (BEACON_SIP_UA (source), result, &status, &error))
    state = status == 202 ? BEACON_MESSAGE_STORED : BEACON_MESSAGE_DELIVERED;
  else if (g_error_matches (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_STOPPED))
    {
      /* No final answer: it stays in the unsent queue, and the next run
       * sends it again under the same id. */
      g_debug ("MESSAGE %s to %s left unsent: %s", sending->id, sending->to, error->message);
      sending_free (sending);
      return;
    }
  else
    {
      g_debug ("MESSAGE %s to %s: %s", sending->id, sending->to, error->message);
      state = BEACON_MESSAGE_FAILED;
    }
  beacon_account_emit_message_state (BEACON_ACCOUNT (sending->self), sending->to, sending->id,
                                     state, status);
  sending_free (sending);
}

gboolean
beacon_server_chat_send (BeaconAccount  *account,
                         const char     *uri,
                         const char     *text,
                         const char     *id,
                         GError        **error)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);
  g_autoptr(GBytes) body = NULL;
  Sending *sending;

  if (self->ua == NULL || self->stop_task != NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_NOT_CONNECTED,
                   "Connect the account before sending messages");
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "The message is not valid UTF-8 text");
      return FALSE;
    }
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->to = g_strdup (uri);
  sending->id = g_strdup (id);
  body = g_bytes_new (text, strlen (text));
  /* Under the message's id: a resend after a crash is recognised. */
  beacon_sip_ua_send_message_id_async (self->ua, uri, "text/plain;charset=UTF-8", body, id, NULL,
                                       message_sent, sending);
  return TRUE;
}
