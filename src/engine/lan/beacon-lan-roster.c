/* beacon-lan-roster.c — the LAN account's list edits: friends and rules
 *
 * A friend is an entry of friends.xml and is allowed in pres-rules.xml
 * (friends see each other). Every edit is saved at once; when a file
 * cannot be written the edit is undone in memory and the error returned,
 * so what the account shows is what is on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

/* The documents as they were, to undo an edit that could not be saved. */
typedef struct {
  char  *friends;
  gsize  friends_len;
  char  *rules;
  gsize  rules_len;
} Snapshot;

static void
snapshot_take (BeaconLanAccount *self,
               Snapshot         *snapshot)
{
  snapshot->friends = beacon_resource_lists_build (self->friends, &snapshot->friends_len);
  snapshot->rules = beacon_pres_rules_build (self->rules, &snapshot->rules_len);
}

static void
snapshot_restore (BeaconLanAccount *self,
                  Snapshot         *snapshot)
{
  BeaconResourceLists *friends = beacon_resource_lists_parse (snapshot->friends,
                                                              snapshot->friends_len, NULL);
  BeaconPresRules *rules = beacon_pres_rules_parse (snapshot->rules, snapshot->rules_len, NULL);

  /* They were built by us a moment ago: they parse. */
  if (friends != NULL)
    {
      beacon_resource_lists_free (self->friends);
      self->friends = friends;
    }
  if (rules != NULL)
    {
      beacon_pres_rules_free (self->rules);
      self->rules = rules;
    }
}

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->friends, g_free);
  g_clear_pointer (&snapshot->rules, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

static gboolean
save_both (BeaconLanAccount  *self,
           Snapshot          *snapshot,
           gboolean           friends_changed,
           gboolean           rules_changed,
           GError           **error)
{
  if ((friends_changed && !beacon_lan_store_save_friends (self, error)) ||
      (rules_changed && !beacon_lan_store_save_rules (self, error)))
    {
      snapshot_restore (self, snapshot);
      /* The friends file may already hold the edit: put it back too. */
      if (friends_changed && rules_changed)
        beacon_lan_store_save_friends (self, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_friend (BeaconLanAccount *self,
           const char       *uri)
{
  return beacon_resource_list_find_entry (beacon_lan_store_friend_list (self), uri) != NULL;
}

/* The display name @uri announces nearby, or NULL. */
static char *
nearby_name (BeaconLanAccount *self,
             const char       *uri)
{
  GListModel *nearby = beacon_lan_account_get_nearby (self);

  for (guint i = 0; i < g_list_model_get_n_items (nearby); i++)
    {
      g_autoptr(BeaconBuddy) peer = g_list_model_get_item (nearby, i);
      const char *name = beacon_buddy_get_display_name (peer);

      if (g_ascii_strcasecmp (beacon_buddy_get_uri (peer), uri) == 0)
        return g_strcmp0 (name, beacon_buddy_get_uri (peer)) != 0 ? g_strdup (name) : NULL;
    }
  return NULL;
}

gboolean
beacon_lan_roster_add (BeaconLanAccount  *self,
                       const char        *uri,
                       const char        *display_name,
                       GError           **error)
{
  g_auto(Snapshot) snapshot = { 0 };
  BeaconResourceList *list;
  BeaconResourceEntry *entry;
  BeaconBuddy *buddy;
  gboolean friends_changed = FALSE;
  gboolean rules_changed;

  if (display_name != NULL && *display_name == '\0')
    display_name = NULL;
  snapshot_take (self, &snapshot);
  list = beacon_lan_store_friend_list (self);
  entry = beacon_resource_list_find_entry (list, uri);
  if (entry == NULL)
    friends_changed = beacon_resource_list_add_entry (list, uri, display_name);
  else if (display_name != NULL && g_strcmp0 (entry->display_name, display_name) != 0)
    {
      g_free (entry->display_name);
      entry->display_name = g_strdup (display_name);
      friends_changed = TRUE;
    }
  rules_changed = beacon_pres_rules_set_handling (self->rules, uri, BEACON_SUB_HANDLING_ALLOW);
  if (!save_both (self, &snapshot, friends_changed, rules_changed, error))
    return FALSE;

  buddy = beacon_buddy_list_add (beacon_account_get_buddies (BEACON_ACCOUNT (self)), uri,
                                 display_name);
  if (display_name != NULL)
    beacon_buddy_set_display_name (buddy, display_name);
  beacon_lan_store_sync_blocked (self);
  beacon_lan_account_friend_changed (self, uri, TRUE);
  if (rules_changed)
    beacon_lan_account_rules_changed (self, uri);
  return TRUE;
}

/* Only the name: unlike add, the rules stay (a blocked friend stays
 * blocked). */
gboolean
beacon_lan_roster_rename (BeaconLanAccount  *self,
                          const char        *uri,
                          const char        *display_name,
                          GError           **error)
{
  g_auto(Snapshot) snapshot = { 0 };
  BeaconResourceEntry *entry;
  BeaconBuddy *buddy;

  snapshot_take (self, &snapshot);
  entry = beacon_resource_list_find_entry (beacon_lan_store_friend_list (self), uri);
  if (entry == NULL)
    {
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "%s is not on the friends list", uri);
      return FALSE;
    }
  if (g_strcmp0 (entry->display_name, display_name) == 0)
    return TRUE;
  g_free (entry->display_name);
  entry->display_name = g_strdup (display_name);
  if (!save_both (self, &snapshot, TRUE, FALSE, error))
    return FALSE;
  buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (self)), uri);
  if (buddy != NULL)
    beacon_buddy_set_display_name (buddy, display_name);
  return TRUE;
}

gboolean
beacon_lan_roster_remove (BeaconLanAccount  *self,
                          const char        *uri,
                          GError           **error)
{
  g_auto(Snapshot) snapshot = { 0 };
  gboolean friends_changed;

  snapshot_take (self, &snapshot);
  friends_changed = beacon_resource_list_remove_entry (beacon_lan_store_friend_list (self), uri);
  if (!save_both (self, &snapshot, friends_changed, FALSE, error))
    return FALSE;
  /* The rules stay: a former friend may still see us until unblock or a
   * rule says otherwise, as in server mode. */
  if (beacon_buddy_list_remove (beacon_account_get_buddies (BEACON_ACCOUNT (self)), uri))
    beacon_lan_account_friend_changed (self, uri, FALSE);
  return TRUE;
}

gboolean
beacon_lan_roster_authorize (BeaconLanAccount     *self,
                             const char           *uri,
                             BeaconAuthorization   answer,
                             GError              **error)
{
  g_auto(Snapshot) snapshot = { 0 };
  BeaconSubHandling handling;
  gboolean rules_changed;

  switch (answer)
    {
    case BEACON_AUTHORIZE_ALLOW_AND_ADD:
      {
        /* The name the peer announces (TXT), as "Add" from Nearby keeps it. */
        g_autofree char *name = nearby_name (self, uri);

        return beacon_lan_roster_add (self, uri, name, error);
      }
    case BEACON_AUTHORIZE_ALLOW:
      handling = BEACON_SUB_HANDLING_ALLOW;
      break;
    case BEACON_AUTHORIZE_BLOCK:
      handling = BEACON_SUB_HANDLING_BLOCK;
      break;
    case BEACON_AUTHORIZE_POLITE_BLOCK:
      handling = BEACON_SUB_HANDLING_POLITE_BLOCK;
      break;
    default:
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "Unknown authorisation answer %d", (int) answer);
      return FALSE;
    }
  snapshot_take (self, &snapshot);
  rules_changed = beacon_pres_rules_set_handling (self->rules, uri, handling);
  if (!save_both (self, &snapshot, FALSE, rules_changed, error))
    return FALSE;
  beacon_lan_store_sync_blocked (self);
  beacon_lan_account_rules_changed (self, uri);
  return TRUE;
}

gboolean
beacon_lan_roster_unblock (BeaconLanAccount  *self,
                           const char        *uri,
                           GError           **error)
{
  g_auto(Snapshot) snapshot = { 0 };
  gboolean rules_changed;

  snapshot_take (self, &snapshot);
  /* A friend goes back to allowed, anybody else to "ask me". */
  if (is_friend (self, uri))
    rules_changed = beacon_pres_rules_set_handling (self->rules, uri, BEACON_SUB_HANDLING_ALLOW);
  else
    rules_changed = beacon_pres_rules_remove (self->rules, uri);
  if (!save_both (self, &snapshot, FALSE, rules_changed, error))
    return FALSE;
  beacon_lan_store_sync_blocked (self);
  beacon_lan_account_rules_changed (self, uri);
  /* Their subscription to us ended with "rejected" and they do not ask
   * again on their own: our subscription to them, renewed, tells them
   * (beacon_lan_watch_heard_from on their side). */
  beacon_lan_account_friend_unblocked (self, uri);
  return TRUE;
}
