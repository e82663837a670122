/* beacon-sip-buddy-presence.c — keeps the buddy list's presence current
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-buddy-presence.h"

#include "beacon-sip-error.h"
#include "formats/beacon-sip-presence-body.h"
#include "beacon-sip-subscription.h"

#define LIST_ACCEPT   "application/pidf+xml, application/rlmi+xml, multipart/related"
#define SINGLE_ACCEPT "application/pidf+xml"

struct _BeaconSipBuddyPresence
{
  GObject                parent_instance;

  BeaconSipUa           *ua;
  BeaconBuddyList       *buddies;
  char                  *list_uri;
  guint                  expires;
  gulong                 items_changed_id;

  BeaconSipSubscription *list;          /* NULL once fallen back */
  gboolean               using_list;    /* the list subscription is ours to trust */
  gboolean               have_version;  /* a full-state RLMI was applied */
  guint                  version;
  GHashTable            *list_members;  /* URIs of the last full state */
  GHashTable            *singles;       /* uri → BeaconSipSubscription */
  GHashTable            *removed;       /* URIs the user removed this session */
  gboolean               started;
  gboolean               applying;

  GTask                 *stop_task;
  guint                  stops_pending;
};

G_DEFINE_FINAL_TYPE (BeaconSipBuddyPresence, beacon_sip_buddy_presence, G_TYPE_OBJECT)

enum {
  ERROR,
  DECLINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sync_singles (BeaconSipBuddyPresence *self);

static void
emit_error (BeaconSipBuddyPresence *self,
            const char             *uri,
            const GError           *error)
{
  g_signal_emit (self, signals[ERROR], 0, uri, error);
}

/* A buddy's subscription changed; tell the user once when it is refused. */
static void
set_buddy_subscription (BeaconSipBuddyPresence *self,
                        BeaconBuddy            *buddy,
                        BeaconSubscription      subscription,
                        const char             *reason)
{
  BeaconSubscription before = beacon_buddy_get_subscription (buddy);

  beacon_buddy_set_subscription (buddy, subscription);
  if (subscription == BEACON_SUBSCRIPTION_ACTIVE)
    return;
  /* Not watching (yet): whatever we knew no longer holds. */
  if (subscription != BEACON_SUBSCRIPTION_PENDING || before != BEACON_SUBSCRIPTION_PENDING)
    beacon_buddy_set_presence (buddy, BEACON_STATUS_OFFLINE, NULL);

  if (subscription == BEACON_SUBSCRIPTION_REJECTED && before != BEACON_SUBSCRIPTION_REJECTED)
    {
      g_autoptr(GError) error = g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_FORBIDDEN,
                                             "%s does not share their presence with you",
                                             beacon_buddy_get_uri (buddy));
      emit_error (self, beacon_buddy_get_uri (buddy), error);
      /* Never seen: the request to become friends was turned down. */
      if (before == BEACON_SUBSCRIPTION_PENDING || before == BEACON_SUBSCRIPTION_NONE)
        g_signal_emit (self, signals[DECLINED], 0, beacon_buddy_get_uri (buddy));
    }
  else if (g_strcmp0 (reason, "noresource") == 0)
    {
      g_autoptr(GError) error = g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_NOT_FOUND,
                                             "%s does not exist on the server",
                                             beacon_buddy_get_uri (buddy));
      emit_error (self, beacon_buddy_get_uri (buddy), error);
    }
}

/* ---- per-buddy subscriptions (no RLS, or buddies outside the list) ------ */

static void
single_notify (BeaconSipSubscription  *sub,
               const char             *content_type,
               GBytes                 *body,
               const char             *substate,
               const char             *reason,
               BeaconSipBuddyPresence *self)
{
  const char *uri = beacon_sip_subscription_get_uri (sub);
  BeaconBuddy *buddy = beacon_buddy_list_lookup (self->buddies, uri);
  g_autoptr(BeaconSipPresenceBody) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (buddy == NULL || g_hash_table_lookup (self->singles, uri) != sub)
    return;
  if (g_ascii_strcasecmp (substate, "terminated") == 0)
    return;  /* the subscription decides: retry, or "terminated" */
  if (g_ascii_strcasecmp (substate, "pending") == 0)
    {
      set_buddy_subscription (self, buddy, BEACON_SUBSCRIPTION_PENDING, NULL);
      return;
    }

  beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_ACTIVE);
  parsed = beacon_sip_presence_body_parse (content_type, data, len, uri, &error);
  if (parsed == NULL)
    {
      g_debug ("presence of %s unreadable: %s", uri, error->message);
      return;
    }
  if (parsed->updates->len == 0)
    {
      /* Active with an empty body: Kamailio's polite block. */
      beacon_buddy_set_presence (buddy, BEACON_STATUS_OFFLINE, NULL);
      return;
    }
  for (guint i = 0; i < parsed->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = g_ptr_array_index (parsed->updates, i);

      if (update->has_presence)
        beacon_buddy_set_presence (buddy, update->status, update->note);
    }
}

static void
single_terminated (BeaconSipSubscription  *sub,
                   const char             *reason,
                   guint                   status,
                   const GError           *error,
                   BeaconSipBuddyPresence *self)
{
  const char *uri = beacon_sip_subscription_get_uri (sub);
  BeaconBuddy *buddy = beacon_buddy_list_lookup (self->buddies, uri);

  if (buddy == NULL || g_hash_table_lookup (self->singles, uri) != sub)
    return;
  if (g_strcmp0 (reason, "rejected") == 0 || status == 403 || status == 603)
    set_buddy_subscription (self, buddy, BEACON_SUBSCRIPTION_REJECTED, reason);
  else
    {
      set_buddy_subscription (self, buddy, BEACON_SUBSCRIPTION_NONE, reason);
      if (g_strcmp0 (reason, "noresource") != 0)
        emit_error (self, uri, error);
    }
}

static void
single_stopped (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  beacon_sip_subscription_stop_finish (BEACON_SIP_SUBSCRIPTION (source), result, NULL);
}

static void
stop_single (BeaconSipBuddyPresence *self,
             const char             *uri)
{
  g_autoptr(BeaconSipSubscription) sub = NULL;
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (self->singles, uri, (gpointer *) &key, (gpointer *) &sub))
    return;
  g_signal_handlers_disconnect_by_data (sub, self);
  /* The GTask keeps @sub alive until its un-SUBSCRIBE is answered. */
  beacon_sip_subscription_stop_async (sub, NULL, single_stopped, NULL);
}

static void
ensure_single (BeaconSipBuddyPresence *self,
               const char             *uri)
{
  BeaconSipSubscription *sub;

  if (g_hash_table_contains (self->singles, uri))
    return;
  sub = beacon_sip_subscription_new (self->ua, uri, "presence", SINGLE_ACCEPT, FALSE, self->expires);
  g_hash_table_insert (self->singles, g_strdup (uri), sub);
  g_signal_connect (sub, "notify-received", G_CALLBACK (single_notify), self);
  g_signal_connect (sub, "terminated", G_CALLBACK (single_terminated), self);
  beacon_sip_subscription_start (sub);
}

gboolean
beacon_sip_buddy_presence_renew (BeaconSipBuddyPresence *self,
                                 const char             *uri)
{
  g_return_val_if_fail (BEACON_IS_SIP_BUDDY_PRESENCE (self), FALSE);

  if (!self->started || self->stop_task != NULL || !g_hash_table_contains (self->singles, uri) ||
      beacon_buddy_list_lookup (self->buddies, uri) == NULL)
    return FALSE;
  g_debug ("subscribing to %s afresh", uri);
  stop_single (self, uri);
  ensure_single (self, uri);
  return TRUE;
}

/* Which buddies need a subscription of their own: all of them without a
 * list; with one, those its last full state did not name. */
static gboolean
needs_single (BeaconSipBuddyPresence *self,
              const char             *uri)
{
  if (self->using_list)
    return self->have_version && !g_hash_table_contains (self->list_members, uri);
  return TRUE;
}

static void
sync_singles (BeaconSipBuddyPresence *self)
{
  GListModel *model = G_LIST_MODEL (self->buddies);
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  if (!self->started || self->stop_task != NULL || self->applying)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);
      const char *uri = beacon_buddy_get_uri (buddy);

      if (needs_single (self, uri))
        ensure_single (self, uri);
    }
  g_hash_table_iter_init (&iter, self->singles);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (beacon_buddy_list_lookup (self->buddies, key) == NULL || !needs_single (self, key))
      g_ptr_array_add (drop, g_strdup (key));
  for (guint i = 0; i < drop->len; i++)
    stop_single (self, g_ptr_array_index (drop, i));
}

static void
buddies_changed (GListModel             *model,
                 guint                   position,
                 guint                   removed,
                 guint                   added,
                 BeaconSipBuddyPresence *self)
{
  GHashTableIter iter;
  gpointer key;

  /* Remember what the user removed, so a stale list does not bring it back.
   * Only a removal can (and the list's own additions while applying are
   * none): checking every member on each addition made applying a big
   * list quadratic. */
  if (removed > 0 && !self->applying)
    {
      g_hash_table_iter_init (&iter, self->list_members);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (beacon_buddy_list_lookup (self->buddies, key) == NULL)
          g_hash_table_add (self->removed, g_strdup (key));
    }
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);
      g_hash_table_remove (self->removed, beacon_buddy_get_uri (buddy));
    }
  sync_singles (self);
}

/* ---- the resource list subscription ------------------------------------- */

static void
list_stopped (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  beacon_sip_subscription_stop_finish (BEACON_SIP_SUBSCRIPTION (source), result, NULL);
}

/* Lets go of the list subscription, ending it at the server unless it
 * has ended already; FALSE when there was none. */
static gboolean
drop_list (BeaconSipBuddyPresence *self)
{
  g_autoptr(BeaconSipSubscription) list = g_steal_pointer (&self->list);

  if (list == NULL)
    return FALSE;
  g_signal_handlers_disconnect_by_data (list, self);
  if (beacon_sip_subscription_get_state (list) != BEACON_SIP_SUBSCRIPTION_TERMINATED)
    beacon_sip_subscription_stop_async (list, NULL, list_stopped, NULL);
  return TRUE;
}

static void
fall_back (BeaconSipBuddyPresence *self,
           const char             *why)
{
  if (!drop_list (self) && !self->using_list)
    return;
  g_debug ("no resource list server for %s (%s): one subscription per buddy",
           self->list_uri, why);
  self->using_list = FALSE;
  sync_singles (self);
}

static void resubscribe_list (BeaconSipBuddyPresence *self);

static void
apply_updates (BeaconSipBuddyPresence *self,
               BeaconSipPresenceBody  *parsed)
{
  gboolean full = parsed->rlmi->full_state;

  self->applying = TRUE;
  if (full)
    g_hash_table_remove_all (self->list_members);

  for (guint i = 0; i < parsed->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = g_ptr_array_index (parsed->updates, i);
      BeaconBuddy *buddy = beacon_buddy_list_lookup (self->buddies, update->uri);

      g_hash_table_add (self->list_members, g_strdup (update->uri));
      if (buddy == NULL)
        {
          /* The server's list is the roster: take what it names, unless
           * the user just removed it here. */
          if (g_hash_table_contains (self->removed, update->uri))
            continue;
          buddy = beacon_buddy_list_add (self->buddies, update->uri, update->display_name);
        }
      set_buddy_subscription (self, buddy, update->subscription, update->reason);
      if (update->has_presence)
        beacon_buddy_set_presence (buddy, update->status, update->note);
    }

  if (full)
    {
      GListModel *model = G_LIST_MODEL (self->buddies);

      /* Full state: the list does not watch the others for us. */
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);
          const char *uri = beacon_buddy_get_uri (buddy);

          if (!g_hash_table_contains (self->list_members, uri) &&
              !g_hash_table_contains (self->singles, uri))
            set_buddy_subscription (self, buddy, BEACON_SUBSCRIPTION_NONE, NULL);
        }
    }
  self->applying = FALSE;
  sync_singles (self);
}

void
beacon_sip_buddy_presence_apply_list_notify (BeaconSipBuddyPresence *self,
                                             const char             *content_type,
                                             GBytes                 *body)
{
  g_autoptr(BeaconSipPresenceBody) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_return_if_fail (BEACON_IS_SIP_BUDDY_PRESENCE (self));
  g_return_if_fail (body != NULL);

  data = g_bytes_get_data (body, &len);
  if (len == 0)
    return;  /* pending list subscription, nothing to say yet */
  parsed = beacon_sip_presence_body_parse (content_type, data, len, self->list_uri, &error);
  if (parsed == NULL)
    {
      g_debug ("list NOTIFY unreadable: %s", error->message);
      return;
    }
  if (!parsed->is_list)
    {
      /* A plain presence document: the server took the list URI for a user. */
      fall_back (self, "plain PIDF notification");
      return;
    }

  switch (beacon_rlmi_check_version (self->version, self->have_version, parsed->rlmi))
    {
    case BEACON_RLMI_IGNORE_STALE:
      g_debug ("RLMI version %u is stale (have %u): ignored", parsed->rlmi->version, self->version);
      return;
    case BEACON_RLMI_NEED_RESUBSCRIBE:
      g_debug ("RLMI version %u after %u: a notification was lost, subscribing afresh",
               parsed->rlmi->version, self->version);
      resubscribe_list (self);
      return;
    case BEACON_RLMI_APPLY:
    default:
      break;
    }
  self->version = parsed->rlmi->version;
  self->have_version = TRUE;
  self->using_list = TRUE;
  apply_updates (self, parsed);
}

static void
list_accepted (BeaconSipSubscription  *sub,
               guint                   status,
               gboolean                eventlist,
               BeaconSipBuddyPresence *self)
{
  if (!eventlist)
    fall_back (self, "no Require: eventlist in the answer");
}

static void
list_notify (BeaconSipSubscription  *sub,
             const char             *content_type,
             GBytes                 *body,
             const char             *substate,
             const char             *reason,
             BeaconSipBuddyPresence *self)
{
  /* A new dialog (after a retry) starts counting versions again; its
   * first NOTIFY is full state, which check_version always applies. */
  beacon_sip_buddy_presence_apply_list_notify (self, content_type, body);
}

static void
list_terminated (BeaconSipSubscription  *sub,
                 const char             *reason,
                 guint                   status,
                 const GError           *error,
                 BeaconSipBuddyPresence *self)
{
  if (error != NULL && error->domain == BEACON_SIP_ERROR &&
      error->code == BEACON_SIP_ERROR_AUTH_FAILED)
    emit_error (self, self->list_uri, error);
  fall_back (self, error ? error->message : reason);
}

static void
start_list (BeaconSipBuddyPresence *self)
{
  self->using_list = TRUE;
  self->list = beacon_sip_subscription_new (self->ua, self->list_uri, "presence", LIST_ACCEPT,
                                            TRUE, self->expires);
  g_signal_connect (self->list, "accepted", G_CALLBACK (list_accepted), self);
  g_signal_connect (self->list, "notify-received", G_CALLBACK (list_notify), self);
  g_signal_connect (self->list, "terminated", G_CALLBACK (list_terminated), self);
  beacon_sip_subscription_start (self->list);
}

/* A notification was lost: only a new subscription brings the full state
 * back (Kamailio's RLS sends it for an initial SUBSCRIBE only, not for a
 * refresh). The old dialog is ended; what the buddies show stays until
 * the new full state replaces it. */
static void
resubscribe_list (BeaconSipBuddyPresence *self)
{
  if (!drop_list (self))
    return;
  self->have_version = FALSE;
  self->version = 0;
  start_list (self);
}

/* ---- lifecycle ---------------------------------------------------------- */

void
beacon_sip_buddy_presence_start (BeaconSipBuddyPresence *self)
{
  g_return_if_fail (BEACON_IS_SIP_BUDDY_PRESENCE (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (self->list_uri == NULL)
    {
      sync_singles (self);
      return;
    }
  start_list (self);
}

gboolean
beacon_sip_buddy_presence_get_using_list (BeaconSipBuddyPresence *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_BUDDY_PRESENCE (self), FALSE);
  return self->using_list;
}

static void
one_stopped (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BeaconSipBuddyPresence) self = user_data;

  beacon_sip_subscription_stop_finish (BEACON_SIP_SUBSCRIPTION (source), result, NULL);
  if (--self->stops_pending == 0 && self->stop_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);
      g_task_return_boolean (task, TRUE);
    }
}

void
beacon_sip_buddy_presence_stop_async (BeaconSipBuddyPresence *self,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) subs = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (BEACON_IS_SIP_BUDDY_PRESENCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_buddy_presence_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "Already stopping");
      return;
    }

  if (self->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list, self);
      g_ptr_array_add (subs, g_steal_pointer (&self->list));
    }
  g_hash_table_iter_init (&iter, self->singles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_signal_handlers_disconnect_by_data (value, self);
      g_ptr_array_add (subs, g_object_ref (value));
    }
  g_hash_table_remove_all (self->singles);
  self->started = FALSE;

  if (subs->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  self->stops_pending = subs->len;
  for (guint i = 0; i < subs->len; i++)
    beacon_sip_subscription_stop_async (g_ptr_array_index (subs, i), NULL, one_stopped,
                                        g_object_ref (self));
}

gboolean
beacon_sip_buddy_presence_stop_finish (BeaconSipBuddyPresence  *self,
                                       GAsyncResult            *result,
                                       GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
beacon_sip_buddy_presence_dispose (GObject *object)
{
  BeaconSipBuddyPresence *self = (BeaconSipBuddyPresence *) object;

  if (self->buddies != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->buddies);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  if (self->singles != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->singles);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_signal_handlers_disconnect_by_data (value, self);
      g_hash_table_remove_all (self->singles);
    }
  g_clear_object (&self->buddies);
  g_clear_object (&self->ua);

  G_OBJECT_CLASS (beacon_sip_buddy_presence_parent_class)->dispose (object);
}

static void
beacon_sip_buddy_presence_finalize (GObject *object)
{
  BeaconSipBuddyPresence *self = (BeaconSipBuddyPresence *) object;

  g_clear_pointer (&self->list_members, g_hash_table_unref);
  g_clear_pointer (&self->singles, g_hash_table_unref);
  g_clear_pointer (&self->removed, g_hash_table_unref);
  g_free (self->list_uri);

  G_OBJECT_CLASS (beacon_sip_buddy_presence_parent_class)->finalize (object);
}

static void
beacon_sip_buddy_presence_class_init (BeaconSipBuddyPresenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_buddy_presence_dispose;
  object_class->finalize = beacon_sip_buddy_presence_finalize;

  /* (uri, GError): a buddy refused us, does not exist, or the list
   * subscription failed for a reason the user should fix. */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  /* (uri): a friend request was refused before it was ever accepted (the
   * "error" signal has told the user already). */
  signals[DECLINED] =
    g_signal_new ("declined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
beacon_sip_buddy_presence_init (BeaconSipBuddyPresence *self)
{
  self->list_members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->singles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

BeaconSipBuddyPresence *
beacon_sip_buddy_presence_new (BeaconSipUa     *ua,
                               BeaconBuddyList *buddies,
                               const char      *list_uri,
                               guint            expires)
{
  BeaconSipBuddyPresence *self;

  g_return_val_if_fail (BEACON_IS_SIP_UA (ua), NULL);
  g_return_val_if_fail (BEACON_IS_BUDDY_LIST (buddies), NULL);

  self = g_object_new (BEACON_TYPE_SIP_BUDDY_PRESENCE, NULL);
  self->ua = g_object_ref (ua);
  self->buddies = g_object_ref (buddies);
  self->list_uri = g_strdup (list_uri);
  self->expires = expires > 0 ? expires : 3600;
  self->items_changed_id = g_signal_connect (buddies, "items-changed",
                                             G_CALLBACK (buddies_changed), self);
  return self;
}
