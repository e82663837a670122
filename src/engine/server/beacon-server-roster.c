/* beacon-server-roster.c — the server account's list edits and authorisations
 *
 * Through the roster store (XCAP: resource-lists, rls-services,
 * pres-rules); the local blacklist follows at once so that a blocked
 * stranger's messages are dropped even before the server has the rule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-server-account-private.h"

/* ---- list edits and authorisation ------------------------------------------ */

/* An edit the store could not make is told; a cancelled one (the account
 * stopped) is not. */
static void
edit_done (BeaconServerAccount *self,
           gboolean             done,
           GError              *error)
{
  if (!done && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    beacon_account_emit_error (BEACON_ACCOUNT (self), error);
}

static void
store_add_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;
  g_autoptr(GError) error = NULL;

  edit_done (self, beacon_roster_store_add_finish (BEACON_ROSTER_STORE (source), result, &error),
             error);
}

static void
store_remove_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;
  g_autoptr(GError) error = NULL;

  edit_done (self, beacon_roster_store_remove_finish (BEACON_ROSTER_STORE (source), result, &error),
             error);
}

static void
store_handling_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BeaconServerAccount) self = user_data;
  g_autoptr(GError) error = NULL;

  edit_done (self, beacon_roster_store_set_handling_finish (BEACON_ROSTER_STORE (source), result,
                                                            &error),
             error);
}

typedef struct {
  BeaconServerAccount *self;
  char                *uri;
} Unblocking;

static void
unblock_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Unblocking *unblocking = user_data;
  BeaconServerAccount *self = unblocking->self;
  g_autoptr(GError) error = NULL;

  if (!beacon_roster_store_set_handling_finish (BEACON_ROSTER_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        beacon_account_emit_error (BEACON_ACCOUNT (self), error);
    }
  /* The rules allow them again, but their refused subscription is gone
   * and they will not ask on their own: our subscription to them,
   * renewed, shows them a watcher (us) again (watcher_changed on their
   * side subscribes anew). */
  else if (self->presence != NULL)
    beacon_sip_buddy_presence_renew (self->presence, unblocking->uri);
  g_object_unref (self);
  g_free (unblocking->uri);
  g_free (unblocking);
}

gboolean
beacon_server_roster_add_buddy (BeaconAccount  *account,
                                const char     *uri,
                                const char     *display_name,
                                GError        **error)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);

  /* Locally at once (subscribed on its own if the list lacks it); on the
   * server's list through the store, which makes RLS watch it. */
  beacon_buddy_list_add (beacon_account_get_buddies (account), uri, display_name);
  if (self->store != NULL)
    beacon_roster_store_add_async (self->store, uri, display_name, self->cancellable,
                                   store_add_done, g_object_ref (self));
  return TRUE;
}

gboolean
beacon_server_roster_remove_buddy (BeaconAccount  *account,
                                   const char     *uri,
                                   GError        **error)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);

  beacon_buddy_list_remove (beacon_account_get_buddies (account), uri);
  if (self->store != NULL)
    beacon_roster_store_remove_async (self->store, uri, self->cancellable,
                                      store_remove_done, g_object_ref (self));
  return TRUE;
}

static void
set_blocked (BeaconServerAccount *self,
             const char          *uri,
             gboolean             blocked)
{
  BeaconAccount *account = BEACON_ACCOUNT (self);
  GListModel *model = beacon_account_get_blocked (account);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);

      if (g_ascii_strcasecmp (beacon_buddy_get_uri (buddy), uri) != 0)
        g_ptr_array_add (uris, g_strdup (beacon_buddy_get_uri (buddy)));
    }
  if (blocked)
    g_ptr_array_add (uris, g_strdup (uri));
  g_ptr_array_add (uris, NULL);
  beacon_account_set_blocked (account, (const char *const *) uris->pdata);
}

static gboolean
set_handling (BeaconServerAccount  *self,
              const char           *uri,
              BeaconSubHandling     handling,
              GError              **error)
{
  set_blocked (self, uri, handling == BEACON_SUB_HANDLING_BLOCK ||
                          handling == BEACON_SUB_HANDLING_POLITE_BLOCK);
  if (self->store == NULL)
    {
      /* Blocking still drops their messages here; allowing needs the
       * server's rules. */
      if (handling == BEACON_SUB_HANDLING_ALLOW)
        {
          g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                       "The account has no XCAP server to store the authorisation in");
          return FALSE;
        }
      return TRUE;
    }
  beacon_roster_store_set_handling_async (self->store, uri, handling, self->cancellable,
                                          store_handling_done, g_object_ref (self));
  return TRUE;
}

gboolean
beacon_server_roster_authorize (BeaconAccount        *account,
                                const char           *uri,
                                BeaconAuthorization   answer,
                                GError              **error)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);

  switch (answer)
    {
    case BEACON_AUTHORIZE_ALLOW_AND_ADD:
      if (!set_handling (self, uri, BEACON_SUB_HANDLING_ALLOW, error))
        return FALSE;
      return beacon_server_roster_add_buddy (account, uri, NULL, error);
    case BEACON_AUTHORIZE_BLOCK:
      return set_handling (self, uri, BEACON_SUB_HANDLING_BLOCK, error);
    case BEACON_AUTHORIZE_POLITE_BLOCK:
      return set_handling (self, uri, BEACON_SUB_HANDLING_POLITE_BLOCK, error);
    case BEACON_AUTHORIZE_ALLOW:
    default:
      return set_handling (self, uri, BEACON_SUB_HANDLING_ALLOW, error);
    }
}

gboolean
beacon_server_roster_unblock (BeaconAccount  *account,
                              const char     *uri,
                              GError        **error)
{
  BeaconServerAccount *self = BEACON_SERVER_ACCOUNT (account);
  Unblocking *unblocking;

  /* Anybody but a friend goes back to "ask me", as in LAN mode. */
  if (beacon_buddy_list_lookup (beacon_account_get_buddies (account), uri) == NULL ||
      self->store == NULL)
    return set_handling (self, uri, BEACON_SUB_HANDLING_CONFIRM, error);
  /* A friend to allowed, and told so (unblock_done). */
  set_blocked (self, uri, FALSE);
  unblocking = g_new0 (Unblocking, 1);
  unblocking->self = g_object_ref (self);
  unblocking->uri = g_strdup (uri);
  beacon_roster_store_set_handling_async (self->store, uri, BEACON_SUB_HANDLING_ALLOW,
                                          self->cancellable, unblock_done, unblocking);
  return TRUE;
}
