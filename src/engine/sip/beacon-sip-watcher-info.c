/* beacon-sip-watcher-info.c — who asks to see my presence (presence.winfo)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-watcher-info.h"

#include <string.h>

#include "beacon-sip-subscription.h"
#include "formats/beacon-watcherinfo.h"

struct _BeaconSipWatcherInfo
{
  GObject                parent_instance;

  BeaconSipUa           *ua;
  BeaconSipSubscription *sub;
  BeaconWatcherSet      *watchers;
  GHashTable            *told;  /* uri → status last reported */
};

G_DEFINE_FINAL_TYPE (BeaconSipWatcherInfo, beacon_sip_watcher_info, G_TYPE_OBJECT)

enum {
  WATCHER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
beacon_sip_watcher_info_apply (BeaconSipWatcherInfo *self,
                               GBytes               *body)
{
  g_autoptr(BeaconWatcherinfo) winfo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) uris = NULL;
  gsize len;
  const char *data;

  g_return_if_fail (BEACON_IS_SIP_WATCHER_INFO (self));

  data = g_bytes_get_data (body, &len);
  if (len == 0)
    return;
  winfo = beacon_watcherinfo_parse (data, len, &error);
  if (winfo == NULL)
    {
      g_debug ("watcherinfo unreadable: %s", error->message);
      return;
    }
  if (!beacon_watcher_set_apply (self->watchers, winfo, &error))
    {
      /* A partial document after a lost one: fetch full state again. */
      g_debug ("watcherinfo: %s; refreshing", error->message);
      if (self->sub != NULL)
        beacon_sip_subscription_refresh (self->sub);
      return;
    }

  /* Every watcher whose status changed, in a stable order. */
  uris = g_list_sort (g_hash_table_get_keys (self->watchers->watchers), (GCompareFunc) strcmp);
  for (GList *l = uris; l != NULL; l = l->next)
    {
      const BeaconWatcher *watcher = beacon_watcher_set_lookup (self->watchers, l->data);
      const char *status = beacon_watcher_status_to_string (watcher->status);

      if (g_strcmp0 (g_hash_table_lookup (self->told, watcher->uri), status) == 0)
        continue;
      g_hash_table_insert (self->told, g_strdup (watcher->uri), g_strdup (status));
      g_signal_emit (self, signals[WATCHER], 0, watcher->uri, status);
    }

  /* Gone from a full state without a word (Kamailio sends no NOTIFY when
   * a watcher unsubscribes; its next full state just lacks it): the
   * subscription has ended. */
  g_list_free (g_steal_pointer (&uris));
  uris = g_list_sort (g_hash_table_get_keys (self->told), (GCompareFunc) strcmp);
  for (GList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *uri = NULL;
      gboolean was_over;

      if (beacon_watcher_set_lookup (self->watchers, l->data) != NULL)
        continue;
      uri = g_strdup (l->data);
      was_over = g_str_equal (g_hash_table_lookup (self->told, uri), "terminated");
      g_hash_table_remove (self->told, uri);
      if (!was_over)
        g_signal_emit (self, signals[WATCHER], 0, uri, "terminated");
    }
}

static void
winfo_notify (BeaconSipSubscription *sub,
              const char            *content_type,
              GBytes                *body,
              const char            *substate,
              const char            *reason,
              BeaconSipWatcherInfo  *self)
{
  beacon_sip_watcher_info_apply (self, body);
}

void
beacon_sip_watcher_info_start (BeaconSipWatcherInfo *self)
{
  g_return_if_fail (BEACON_IS_SIP_WATCHER_INFO (self));
  beacon_sip_subscription_start (self->sub);
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  beacon_sip_subscription_stop_finish (BEACON_SIP_SUBSCRIPTION (source), result, NULL);
  g_task_return_boolean (task, TRUE);
}

void
beacon_sip_watcher_info_stop_async (BeaconSipWatcherInfo *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (BEACON_IS_SIP_WATCHER_INFO (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_watcher_info_stop_async);
  beacon_sip_subscription_stop_async (self->sub, NULL, stopped, task);
}

gboolean
beacon_sip_watcher_info_stop_finish (BeaconSipWatcherInfo  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
beacon_sip_watcher_info_dispose (GObject *object)
{
  BeaconSipWatcherInfo *self = (BeaconSipWatcherInfo *) object;

  if (self->sub != NULL)
    g_signal_handlers_disconnect_by_data (self->sub, self);
  g_clear_object (&self->sub);
  g_clear_object (&self->ua);

  G_OBJECT_CLASS (beacon_sip_watcher_info_parent_class)->dispose (object);
}

static void
beacon_sip_watcher_info_finalize (GObject *object)
{
  BeaconSipWatcherInfo *self = (BeaconSipWatcherInfo *) object;

  g_clear_pointer (&self->watchers, beacon_watcher_set_free);
  g_clear_pointer (&self->told, g_hash_table_unref);

  G_OBJECT_CLASS (beacon_sip_watcher_info_parent_class)->finalize (object);
}

static void
beacon_sip_watcher_info_class_init (BeaconSipWatcherInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_watcher_info_dispose;
  object_class->finalize = beacon_sip_watcher_info_finalize;

  /* (watcher URI, status: pending, waiting, active, terminated) */
  signals[WATCHER] =
    g_signal_new ("watcher", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
beacon_sip_watcher_info_init (BeaconSipWatcherInfo *self)
{
  self->watchers = beacon_watcher_set_new ();
  self->told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

BeaconSipWatcherInfo *
beacon_sip_watcher_info_new (BeaconSipUa *ua,
                             guint        expires)
{
  BeaconSipWatcherInfo *self;

  g_return_val_if_fail (BEACON_IS_SIP_UA (ua), NULL);

  self = g_object_new (BEACON_TYPE_SIP_WATCHER_INFO, NULL);
  self->ua = g_object_ref (ua);
  self->sub = beacon_sip_subscription_new (ua, beacon_sip_ua_get_aor (ua), "presence.winfo",
                                           "application/watcherinfo+xml", FALSE, expires);
  g_signal_connect (self->sub, "notify-received", G_CALLBACK (winfo_notify), self);
  return self;
}
