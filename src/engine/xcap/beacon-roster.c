/* beacon-roster.c — friends and pres-rules on the XCAP server
 *
 * One worker ("the pump") does everything in order: a refresh (read the
 * three documents, bootstrap what is missing) when a sync was asked for or
 * before the first edit of the session, then the queued edits, oldest
 * first. It stops at the first transient error, leaving the queue as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-roster-private.h"

#include <string.h>

#include "beacon-roster-cache.h"

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconRoster, beacon_roster, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_ROSTER_STORE,
                                                      beacon_roster_store_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CACHE_DIR,
  PROP_SERVICE_URI,
  PROP_N_PENDING,
  PROP_SYNCED,
  N_PROPS
};

enum {
  CHANGED,
  EDIT_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void step (BeaconRoster *self);

void
beacon_roster_friend_free (BeaconRosterFriend *item)
{
  if (item == NULL)
    return;
  g_free (item->uri);
  g_free (item->display_name);
  g_free (item);
}

static void
queued_free (Queued *q)
{
  beacon_roster_edit_free (q->edit);
  /* Only reached at finalize, when no task can be left (tasks ref us). */
  g_clear_object (&q->task);
  g_free (q);
}

/* ---- the local copy ---- */

static void
save_queue (BeaconRoster *self)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->queue->len; i++)
    g_ptr_array_add (edits, ((Queued *) g_ptr_array_index (self->queue, i))->edit);
  if (!beacon_roster_cache_save_edits (self->cache_dir, edits, &error))
    g_warning ("Cannot save the queued friend-list changes: %s", error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

void
beacon_roster_set_doc (BeaconRoster    *self,
                       BeaconRosterDoc  doc,
                       GBytes          *data)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->docs[doc], g_bytes_unref);
  self->docs[doc] = g_bytes_ref (data);
  if (!beacon_roster_cache_save_doc (self->cache_dir, doc, data, &error))
    g_warning ("Cannot save the %s document: %s", beacon_roster_doc_auid (doc), error->message);
}

/* The friends list as the user sees it: server copy + queued edits. */
static BeaconResourceLists *
view_lists (BeaconRoster        *self,
            BeaconResourceList **buddies)
{
  BeaconResourceLists *lists = beacon_roster_docs_read_lists (self->docs[BEACON_ROSTER_DOC_LISTS], NULL);

  if (lists == NULL)
    lists = beacon_resource_lists_new ();
  *buddies = beacon_resource_lists_ensure_list (lists, BEACON_ROSTER_LIST_NAME);
  for (guint i = 0; i < self->queue->len; i++)
    beacon_roster_edit_apply_list (((Queued *) g_ptr_array_index (self->queue, i))->edit, *buddies);
  return lists;
}

static BeaconPresRules *
view_rules (BeaconRoster *self)
{
  BeaconPresRules *rules = beacon_roster_docs_read_rules (self->docs[BEACON_ROSTER_DOC_RULES], NULL);

  if (rules == NULL)
    rules = beacon_pres_rules_new_empty ();
  for (guint i = 0; i < self->queue->len; i++)
    beacon_roster_edit_apply_rules (((Queued *) g_ptr_array_index (self->queue, i))->edit, rules);
  return rules;
}

GPtrArray *
beacon_roster_dup_friends (BeaconRoster *self)
{
  g_autoptr(BeaconResourceLists) lists = NULL;
  BeaconResourceList *buddies;
  GPtrArray *friends;

  g_return_val_if_fail (BEACON_IS_ROSTER (self), NULL);

  lists = view_lists (self, &buddies);
  friends = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_roster_friend_free);
  for (guint i = 0; i < buddies->entries->len; i++)
    {
      BeaconResourceEntry *entry = g_ptr_array_index (buddies->entries, i);
      BeaconRosterFriend *item = g_new0 (BeaconRosterFriend, 1);

      item->uri = g_strdup (entry->uri);
      item->display_name = g_strdup (entry->display_name);
      g_ptr_array_add (friends, item);
    }
  return friends;
}

char **
beacon_roster_dup_blocked (BeaconRoster *self)
{
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autoptr(GPtrArray) blocked = NULL;

  g_return_val_if_fail (BEACON_IS_ROSTER (self), NULL);

  rules = view_rules (self);
  blocked = beacon_pres_rules_blacklist (rules);
  g_ptr_array_set_free_func (blocked, NULL);
  g_ptr_array_add (blocked, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&blocked), FALSE);
}

gboolean
beacon_roster_lookup_handling (BeaconRoster      *self,
                               const char        *uri,
                               BeaconSubHandling *out)
{
  g_autoptr(BeaconPresRules) rules = NULL;
  BeaconSubHandling handling;

  g_return_val_if_fail (BEACON_IS_ROSTER (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  rules = view_rules (self);
  if (!beacon_pres_rules_lookup_explicit (rules, uri, &handling))
    return FALSE;
  if (out != NULL)
    *out = handling;
  return TRUE;
}

guint
beacon_roster_get_n_pending (BeaconRoster *self)
{
  g_return_val_if_fail (BEACON_IS_ROSTER (self), 0);
  return self->queue->len;
}

const GError *
beacon_roster_get_cache_error (BeaconRoster *self)
{
  g_return_val_if_fail (BEACON_IS_ROSTER (self), NULL);
  return self->cache_error;
}

gboolean
beacon_roster_has_local_copy (BeaconRoster *self)
{
  return self->docs[BEACON_ROSTER_DOC_LISTS] != NULL || self->queue->len > 0;
}

gboolean
beacon_roster_get_synced (BeaconRoster *self)
{
  g_return_val_if_fail (BEACON_IS_ROSTER (self), FALSE);
  return self->fresh;
}

BeaconXcapClient *
beacon_roster_get_client (BeaconRoster *self)
{
  g_return_val_if_fail (BEACON_IS_ROSTER (self), NULL);
  return self->client;
}

const char *
beacon_roster_get_service_uri (BeaconRoster *self)
{
  g_return_val_if_fail (BEACON_IS_ROSTER (self), NULL);
  return self->service_uri;
}

/* ---- the pump ---- */

/* A transient failure: everything stays queued; every waiter hears it. */
static void
fail_all (BeaconRoster *self,
          const GError *error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  g_debug ("roster stopped: %s", error->message);
  self->running = FALSE;
  self->want_refresh = FALSE;
  for (guint i = 0; i < self->queue->len; i++)
    {
      Queued *q = g_ptr_array_index (self->queue, i);
      if (q->task != NULL)
        g_ptr_array_add (tasks, g_steal_pointer (&q->task));
    }
  g_ptr_array_extend_and_steal (tasks, g_steal_pointer (&self->sync_waiters));
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  /* Callbacks may queue more work: the state is consistent by now. */
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), g_error_copy (error));
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BeaconRoster *self = BEACON_ROSTER (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_all (self, error);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }
  if (!self->fresh)
    {
      self->fresh = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
    }
  g_signal_emit (self, signals[CHANGED], 0);
  step (self);
}

static void
on_edit_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BeaconRoster *self = BEACON_ROSTER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) waiter = NULL;
  Queued *head = g_ptr_array_index (self->queue, 0);
  g_autofree char *uri = g_strdup (head->edit->uri);

  if (!g_task_propagate_boolean (G_TASK (result), &error) && beacon_xcap_error_is_transient (error))
    {
      fail_all (self, error);
      return;
    }

  /* Done, or refused for good: either way it leaves the queue. */
  waiter = g_steal_pointer (&head->task);
  g_ptr_array_remove_index (self->queue, 0);
  save_queue (self);
  g_signal_emit (self, signals[CHANGED], 0);

  if (waiter != NULL && error != NULL)
    g_task_return_error (waiter, g_steal_pointer (&error));
  else if (waiter != NULL)
    g_task_return_boolean (waiter, TRUE);
  else if (error != NULL)
    g_signal_emit (self, signals[EDIT_FAILED], 0, uri, error);

  step (self);
}

static void
step (BeaconRoster *self)
{
  if (self->want_refresh || (!self->fresh && self->queue->len > 0))
    {
      self->want_refresh = FALSE;
      beacon_roster_refresh_async (self, on_refreshed, NULL);
      return;
    }
  if (self->queue->len > 0)
    {
      Queued *head = g_ptr_array_index (self->queue, 0);
      beacon_roster_run_edit_async (self, head->edit, on_edit_done, NULL);
      return;
    }

  self->running = FALSE;
  {
    g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->sync_waiters);

    self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = 0; i < waiters->len; i++)
      g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
  }
}

static void
pump (BeaconRoster *self)
{
  if (self->running)
    return;
  self->running = TRUE;
  step (self);
}

void
beacon_roster_sync_async (BeaconRoster        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BEACON_IS_ROSTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_roster_sync_async);
  g_ptr_array_add (self->sync_waiters, task);
  self->want_refresh = TRUE;
  pump (self);
}

gboolean
beacon_roster_sync_finish (BeaconRoster  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
queue_edit (BeaconRoster        *self,
            BeaconRosterEdit    *edit,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  Queued *q = g_new0 (Queued, 1);

  q->edit = edit;
  q->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (q->task, queue_edit);
  g_ptr_array_add (self->queue, q);
  save_queue (self);
  g_signal_emit (self, signals[CHANGED], 0);
  pump (self);
}

static gboolean
uri_is_usable (const char *uri)
{
  if (uri == NULL || *uri == '\0')
    return FALSE;
  for (const char *p = uri; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return g_utf8_validate (uri, -1, NULL);
}

void
beacon_roster_add_async (BeaconRoster        *self,
                         const char          *uri,
                         const char          *display_name,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_ROSTER (self));
  g_return_if_fail (uri_is_usable (uri));

  queue_edit (self, beacon_roster_edit_new (BEACON_ROSTER_EDIT_ADD, uri, display_name, 0),
              cancellable, callback, user_data);
}

void
beacon_roster_remove_async (BeaconRoster        *self,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_ROSTER (self));
  g_return_if_fail (uri_is_usable (uri));

  queue_edit (self, beacon_roster_edit_new (BEACON_ROSTER_EDIT_REMOVE, uri, NULL, 0),
              cancellable, callback, user_data);
}

void
beacon_roster_authorize_async (BeaconRoster        *self,
                               const char          *uri,
                               BeaconAuthorization  answer,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_ROSTER (self));
  g_return_if_fail (uri_is_usable (uri));
  g_return_if_fail (answer <= BEACON_AUTHORIZE_POLITE_BLOCK);

  queue_edit (self, beacon_roster_edit_new (BEACON_ROSTER_EDIT_AUTHORIZE, uri, NULL, answer),
              cancellable, callback, user_data);
}

void
beacon_roster_unblock_async (BeaconRoster        *self,
                             const char          *uri,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_ROSTER (self));
  g_return_if_fail (uri_is_usable (uri));

  queue_edit (self, beacon_roster_edit_new (BEACON_ROSTER_EDIT_UNBLOCK, uri, NULL, 0),
              cancellable, callback, user_data);
}

gboolean
beacon_roster_edit_finish (BeaconRoster  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == queue_edit, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

BeaconRoster *
beacon_roster_new_for_account (const char  *xcap_root,
                               const char  *aor,
                               const char  *auth_user,
                               const char  *password,
                               const char  *data_dir,
                               const char  *service_uri,
                               GError     **error)
{
  g_autoptr(BeaconXcapClient) client = NULL;
  g_autofree char *user = NULL;
  g_autofree char *cache_dir = NULL;

  g_return_val_if_fail (aor != NULL, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  client = beacon_xcap_client_new (xcap_root, aor, error);
  if (client == NULL)
    return NULL;
  if (auth_user == NULL)
    {
      const char *start = g_str_has_prefix (aor, "sip:") ? aor + 4 : aor;

      user = g_strndup (start, strcspn (start, "@"));
    }
  beacon_xcap_client_set_credentials (client, auth_user != NULL ? auth_user : user,
                                      password != NULL ? password : "");
  cache_dir = g_build_filename (data_dir, "roster", NULL);
  return beacon_roster_new (client, cache_dir, service_uri);
}

BeaconRoster *
beacon_roster_new (BeaconXcapClient *client,
                   const char       *cache_dir,
                   const char       *service_uri)
{
  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (client), NULL);
  g_return_val_if_fail (cache_dir != NULL, NULL);

  return g_object_new (BEACON_TYPE_ROSTER,
                       "client", client,
                       "cache-dir", cache_dir,
                       "service-uri", service_uri,
                       NULL);
}

static void
beacon_roster_constructed (GObject *object)
{
  BeaconRoster *self = BEACON_ROSTER (object);
  const char *root = beacon_xcap_client_get_root (self->client);
  const char *xui = beacon_xcap_client_get_xui (self->client);
  g_autoptr(BeaconRosterCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (beacon_roster_parent_class)->constructed (object);

  if (self->service_uri == NULL)
    self->service_uri = beacon_roster_default_service_uri (xui);

  /* The last good copy, so the list shows before the server answers. */
  cache = beacon_roster_cache_load (self->cache_dir, root, xui);
  self->cache_error = g_steal_pointer (&cache->damaged);
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    self->docs[i] = g_steal_pointer (&cache->docs[i]);
  while (cache->edits->len > 0)
    {
      Queued *q = g_new0 (Queued, 1);
      q->edit = g_ptr_array_steal_index (cache->edits, 0);
      g_ptr_array_add (self->queue, q);
    }
  if (!beacon_roster_cache_save_account (self->cache_dir, root, xui, &error))
    g_warning ("Cannot use the roster cache: %s", error->message);
}

static void
beacon_roster_dispose (GObject *object)
{
  BeaconRoster *self = BEACON_ROSTER (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (beacon_roster_parent_class)->dispose (object);
}

static void
beacon_roster_finalize (GObject *object)
{
  BeaconRoster *self = BEACON_ROSTER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_free (self->cache_dir);
  g_free (self->service_uri);
  for (guint i = 0; i < BEACON_ROSTER_N_DOCS; i++)
    g_clear_pointer (&self->docs[i], g_bytes_unref);
  g_ptr_array_unref (self->queue);
  g_ptr_array_unref (self->sync_waiters);
  g_clear_error (&self->cache_error);

  G_OBJECT_CLASS (beacon_roster_parent_class)->finalize (object);
}

static void
beacon_roster_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BeaconRoster *self = BEACON_ROSTER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CACHE_DIR:
      g_value_set_string (value, self->cache_dir);
      break;
    case PROP_SERVICE_URI:
      g_value_set_string (value, self->service_uri);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->queue->len);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, self->fresh);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_roster_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BeaconRoster *self = BEACON_ROSTER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CACHE_DIR:
      self->cache_dir = g_value_dup_string (value);
      break;
    case PROP_SERVICE_URI:
      self->service_uri = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_roster_class_init (BeaconRosterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = beacon_roster_constructed;
  object_class->dispose = beacon_roster_dispose;
  object_class->finalize = beacon_roster_finalize;
  object_class->get_property = beacon_roster_get_property;
  object_class->set_property = beacon_roster_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BEACON_TYPE_XCAP_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_URI] =
    g_param_spec_string ("service-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCED] =
    g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The friends or the blacklist (may have) changed: read the getters. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A queued edit that no caller waits for any more was refused. */
  signals[EDIT_FAILED] =
    g_signal_new ("edit-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
beacon_roster_init (BeaconRoster *self)
{
  self->cancellable = g_cancellable_new ();
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) queued_free);
  self->sync_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}
