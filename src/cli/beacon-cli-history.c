/* beacon-cli-history.c — the account's chat history for `beacon-cli run`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-cli"

#include "beacon-cli-history.h"

#include "beacon-chat-message.h"

/* Bound on one listing: more than any test or chat needs at once. */
#define HISTORY_MAX 100000

BeaconHistory *
beacon_cli_history_open (const char  *data_dir,
                         GError     **recovered,
                         GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "history.sqlite", NULL);

  return beacon_history_open (path, recovered, error);
}

static const char *
state_name (BeaconMessageState state)
{
  switch (state)
    {
    case BEACON_MESSAGE_SENDING:
      return "sending";
    case BEACON_MESSAGE_DELIVERED:
      return "delivered";
    case BEACON_MESSAGE_STORED:
      return "stored";
    case BEACON_MESSAGE_FAILED:
    default:
      return "failed";
    }
}

static void
print_message (BeaconCliEvents   *events,
               BeaconChatMessage *message,
               const char        *peer)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();
  gboolean outgoing = beacon_chat_message_get_outgoing (message);

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "history");
  beacon_json_string (json, "peer", peer);
  beacon_json_string (json, "direction", outgoing ? "out" : "in");
  beacon_json_string (json, "id", beacon_chat_message_get_id (message));
  beacon_json_string (json, "text", beacon_chat_message_get_text (message));
  beacon_json_string (json, "state", state_name (beacon_chat_message_get_state (message)));
  beacon_json_int (json, "code", beacon_chat_message_get_code (message));
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

gboolean
beacon_cli_history_print (BeaconCliEvents  *events,
                          BeaconHistory    *history,
                          const char       *aor,
                          const char       *peer,
                          GError          **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(BeaconJson) json = beacon_json_new ();

  if (peer != NULL)
    /* One conversation, oldest first. */
    messages = beacon_history_load (history, aor, peer, NULL, HISTORY_MAX, error);
  else
    {
      /* Every conversation: a search matching everything, newest first. */
      messages = beacon_history_search (history, aor, "", HISTORY_MAX, error);
      if (messages != NULL)
        for (guint i = 0; i < messages->len / 2; i++)
          {
            gpointer t = messages->pdata[i];

            messages->pdata[i] = messages->pdata[messages->len - 1 - i];
            messages->pdata[messages->len - 1 - i] = t;
          }
    }
  if (messages == NULL)
    return FALSE;

  for (guint i = 0; i < messages->len; i++)
    {
      BeaconChatMessage *message = messages->pdata[i];
      const char *of = beacon_history_peer_of (message);

      print_message (events, message, of != NULL ? of : peer);
    }
  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "history-end");
  beacon_json_int (json, "count", messages->len);
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
  return TRUE;
}
