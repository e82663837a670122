/* beacon-cli-events.c — an account's events as JSON lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-cli"

#include "beacon-cli-events.h"

#include "beacon-enums.h"

struct _BeaconCliEvents
{
  BeaconAccount *account;
  FILE          *out;
  GHashTable    *printed;    /* uri → last presence line printed */
  GHashTable    *watched;    /* BeaconBuddy set, with our handlers */
  gboolean       was_online;
};

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : "unknown";
}

void
beacon_cli_events_print (BeaconCliEvents *events,
                         BeaconJson      *json)
{
  fputs (beacon_json_get_text (json), events->out);
  fputc ('\n', events->out);
  fflush (events->out);
}

void
beacon_cli_events_print_error (BeaconCliEvents *events,
                               const GError    *error,
                               const char      *fallback_code)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "error");
  beacon_json_string (json, "message", error->message);
  beacon_json_string (json, "code", error->domain == BEACON_ACCOUNT_ERROR
                                      ? enum_nick (BEACON_TYPE_ACCOUNT_ERROR, error->code)
                                      : fallback_code);
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

/* ---- presence ------------------------------------------------------------ */

static void
print_buddy (BeaconCliEvents *events,
             BeaconBuddy     *buddy)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();
  BeaconStatus status = beacon_buddy_get_status (buddy);
  const char *uri = beacon_buddy_get_uri (buddy);

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "presence");
  beacon_json_string (json, "uri", uri);
  /* PIDF basic as the user sees it: reachable or not. */
  beacon_json_string (json, "basic", status == BEACON_STATUS_OFFLINE ? "closed" : "open");
  beacon_json_string (json, "status", beacon_status_to_string (status));
  beacon_json_string (json, "note", beacon_buddy_get_note (buddy));
  beacon_json_string (json, "subscription",
                      enum_nick (BEACON_TYPE_SUBSCRIPTION, beacon_buddy_get_subscription (buddy)));
  beacon_json_end_object (json);

  /* A status and a note change arrive as two notifications: one line. */
  if (g_strcmp0 (g_hash_table_lookup (events->printed, uri), beacon_json_get_text (json)) == 0)
    return;
  g_hash_table_insert (events->printed, g_strdup (uri), g_strdup (beacon_json_get_text (json)));
  beacon_cli_events_print (events, json);
}

static void
buddy_notify (BeaconBuddy     *buddy,
              GParamSpec      *pspec,
              BeaconCliEvents *events)
{
  print_buddy (events, buddy);
}

static void
watch_buddy (BeaconCliEvents *events,
             BeaconBuddy     *buddy)
{
  if (g_hash_table_contains (events->watched, buddy))
    return;
  g_hash_table_add (events->watched, g_object_ref (buddy));
  g_signal_connect (buddy, "notify::status", G_CALLBACK (buddy_notify), events);
  g_signal_connect (buddy, "notify::note", G_CALLBACK (buddy_notify), events);
  g_signal_connect (buddy, "notify::subscription", G_CALLBACK (buddy_notify), events);
  print_buddy (events, buddy);
}

static void
unwatch_buddy (BeaconBuddy     *buddy,
               BeaconCliEvents *events)
{
  g_signal_handlers_disconnect_by_data (buddy, events);
  g_object_unref (buddy);
}

static void
unwatch_each (gpointer key,
              gpointer value,
              gpointer user_data)
{
  unwatch_buddy (key, user_data);
}

static void
buddies_changed (GListModel      *model,
                 guint            position,
                 guint            removed,
                 guint            added,
                 BeaconCliEvents *events)
{
  BeaconBuddyList *list = BEACON_BUDDY_LIST (model);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, events->watched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (beacon_buddy_list_lookup (list, beacon_buddy_get_uri (key)) != key)
      g_ptr_array_add (gone, key);
  for (guint i = 0; i < gone->len; i++)
    {
      BeaconBuddy *buddy = g_ptr_array_index (gone, i);

      g_hash_table_remove (events->printed, beacon_buddy_get_uri (buddy));
      g_hash_table_steal (events->watched, buddy);
      unwatch_buddy (buddy, events);
    }
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);
      watch_buddy (events, buddy);
    }
}

/* ---- account signals ------------------------------------------------------ */

static void
connection_changed (BeaconAccount   *account,
                    GParamSpec      *pspec,
                    BeaconCliEvents *events)
{
  BeaconConnectionState state = beacon_account_get_connection_state (account);
  g_autoptr(BeaconJson) json = NULL;

  if (state == BEACON_CONNECTION_ONLINE && !events->was_online)
    {
      events->was_online = TRUE;
      json = beacon_json_new ();
      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "event", "registered");
      beacon_json_string (json, "aor", beacon_account_get_aor (account));
      beacon_json_end_object (json);
    }
  else if (state == BEACON_CONNECTION_OFFLINE && events->was_online)
    {
      events->was_online = FALSE;
      json = beacon_json_new ();
      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "event", "unregistered");
      beacon_json_string (json, "aor", beacon_account_get_aor (account));
      beacon_json_end_object (json);
    }
  else if (state == BEACON_CONNECTION_FAILED)
    /* The error event said why; "registered" again once it recovers. */
    events->was_online = FALSE;
  else if (state == BEACON_CONNECTION_RECONNECTING && events->was_online)
    {
      /* Once per loss; "registered" again once it is back. */
      const GError *error = beacon_account_get_last_error (account);

      events->was_online = FALSE;
      json = beacon_json_new ();
      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "event", "reconnecting");
      beacon_json_string (json, "aor", beacon_account_get_aor (account));
      if (error != NULL)
        beacon_json_string (json, "message", error->message);
      beacon_json_end_object (json);
    }
  if (json != NULL)
    beacon_cli_events_print (events, json);
}

static void
message_received (BeaconAccount   *account,
                  const char      *from,
                  const char      *text,
                  BeaconCliEvents *events)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "message");
  beacon_json_string (json, "from", from);
  beacon_json_string (json, "text", text);
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

static void
message_state (BeaconAccount      *account,
               const char         *to,
               const char         *id,
               BeaconMessageState  state,
               guint               code,
               BeaconCliEvents    *events)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "message-status");
  beacon_json_string (json, "to", to);
  beacon_json_string (json, "id", id);
  beacon_json_string (json, "state", enum_nick (BEACON_TYPE_MESSAGE_STATE, state));
  beacon_json_int (json, "code", code);
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

static void
watcher (BeaconAccount   *account,
         const char      *uri,
         const char      *status,
         BeaconCliEvents *events)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "watcher");
  beacon_json_string (json, "uri", uri);
  beacon_json_string (json, "status", status);
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

static void
account_error (BeaconAccount   *account,
               const GError    *error,
               BeaconCliEvents *events)
{
  beacon_cli_events_print_error (events, error, "failed");
}

/* LAN mode: a peer appeared on or vanished from the network. */
static void
peer_event (BeaconAccount   *account,
            const char      *uri,
            const char      *name,
            const char      *address,
            gboolean         appeared,
            BeaconCliEvents *events)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "peer");
  beacon_json_string (json, "uri", uri);
  beacon_json_string (json, "name", name);
  beacon_json_string (json, "address", address);
  beacon_json_string (json, "state", appeared ? "appeared" : "vanished");
  beacon_json_end_object (json);
  beacon_cli_events_print (events, json);
}

BeaconCliEvents *
beacon_cli_events_new (BeaconAccount *account,
                       FILE          *out)
{
  BeaconCliEvents *events = g_new0 (BeaconCliEvents, 1);
  GListModel *buddies = G_LIST_MODEL (beacon_account_get_buddies (account));

  events->account = g_object_ref (account);
  events->out = out;
  events->printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  events->watched = g_hash_table_new (NULL, NULL);

  g_signal_connect (account, "notify::connection-state", G_CALLBACK (connection_changed), events);
  g_signal_connect (account, "message-received", G_CALLBACK (message_received), events);
  g_signal_connect (account, "message-state", G_CALLBACK (message_state), events);
  g_signal_connect (account, "watcher", G_CALLBACK (watcher), events);
  g_signal_connect (account, "error", G_CALLBACK (account_error), events);
  /* (uri, name, address, appeared): only the LAN account has it. */
  if (g_signal_lookup ("peer", G_OBJECT_TYPE (account)) != 0)
    g_signal_connect (account, "peer", G_CALLBACK (peer_event), events);
  g_signal_connect (buddies, "items-changed", G_CALLBACK (buddies_changed), events);
  for (guint i = 0; i < g_list_model_get_n_items (buddies); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (buddies, i);
      watch_buddy (events, buddy);
    }
  return events;
}

void
beacon_cli_events_free (BeaconCliEvents *events)
{
  if (events == NULL)
    return;
  g_signal_handlers_disconnect_by_data (events->account, events);
  g_signal_handlers_disconnect_by_data (beacon_account_get_buddies (events->account), events);
  g_hash_table_foreach (events->watched, unwatch_each, events);
  g_hash_table_unref (events->watched);
  g_hash_table_unref (events->printed);
  g_object_unref (events->account);
  g_free (events);
}
