/* beacon-lan-watch.c — the LAN account's subscriptions to its friends
 *
 * One subscription per friend that discovery found, sent by the SIP agent
 * straight to the address and port it announced. NOTIFY bodies update the
 * BeaconBuddy. A refusal (403, or terminated;reason=rejected) marks the
 * buddy rejected until the peer appears again; other failures and
 * terminations retry with a bounded backoff while the peer is still
 * there; noresource (the peer quit) waits for it to reappear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <string.h>

#include "formats/beacon-sip-presence-body.h"

/* A friend who refused us is asked again at most this often, when their
 * announcement changes (they may have unblocked us). */
#define REJECTED_RETRY_S 60
#define RETRY_MIN_S    1
#define RETRY_MAX_S    30

struct _LanWatch
{
  BeaconLanAccount  *self;
  char              *uri;
  char              *target;        /* sip:user@address:port */
  guint              retry_id;
  guint              failures;
  gboolean           active;        /* an active NOTIFY came */
  gint64             rejected_at;   /* monotonic µs of the last refusal, or 0 */
};

/* The agent's dialog for @watch is up or being set up. */
static gboolean
subscribed (LanWatch *watch)
{
  return beacon_sip_lan_agent_is_subscribed (watch->self->agent, watch->uri);
}

void
beacon_lan_watch_free (LanWatch *watch)
{
  if (watch == NULL)
    return;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  g_free (watch->uri);
  g_free (watch->target);
  g_free (watch);
}

static BeaconBuddy *
watch_buddy (LanWatch *watch)
{
  return beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (watch->self)),
                                   watch->uri);
}

static void
set_buddy (LanWatch           *watch,
           BeaconSubscription  subscription,
           gboolean            offline)
{
  BeaconBuddy *buddy = watch_buddy (watch);

  if (buddy == NULL)
    return;
  /* One change for those who watch the buddy, not two. */
  g_object_freeze_notify (G_OBJECT (buddy));
  if (offline)
    beacon_buddy_set_presence (buddy, BEACON_STATUS_OFFLINE, NULL);
  beacon_buddy_set_subscription (buddy, subscription);
  g_object_thaw_notify (G_OBJECT (buddy));
}

gboolean
beacon_lan_watch_is_active (BeaconLanAccount *self,
                            const char       *uri)
{
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);

  /* A refusal is an answer too: the announcement does not overrule it. */
  return watch != NULL && ((watch->active && subscribed (watch)) || watch->rejected_at != 0);
}

static void
set_rejected (LanWatch *watch)
{
  watch->rejected_at = g_get_monotonic_time ();
  set_buddy (watch, BEACON_SUBSCRIPTION_REJECTED, TRUE);
}

static void
subscribe (LanWatch *watch)
{
  BeaconLanAccount *self = watch->self;
  BeaconBuddy *buddy = watch_buddy (watch);

  watch->active = FALSE;
  watch->rejected_at = 0;
  beacon_sip_lan_agent_subscribe (self->agent, watch->uri, watch->target, self->expires);
  if (buddy != NULL && beacon_buddy_get_subscription (buddy) != BEACON_SUBSCRIPTION_ACTIVE)
    beacon_buddy_set_subscription (buddy, BEACON_SUBSCRIPTION_PENDING);
}

static gboolean
retry_cb (gpointer user_data)
{
  LanWatch *watch = user_data;

  watch->retry_id = 0;
  if (beacon_lan_account_find_peer (watch->self, watch->uri) != NULL)
    subscribe (watch);
  return G_SOURCE_REMOVE;
}

/* Again later, while the peer is there. */
static void
schedule_retry (LanWatch *watch,
                guint     hint_s)
{
  guint delay = MIN (RETRY_MIN_S << MIN (watch->failures, 5), RETRY_MAX_S);

  if (hint_s > 0)
    delay = CLAMP (hint_s, RETRY_MIN_S, RETRY_MAX_S);
  watch->failures++;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  g_debug ("subscription to %s again in %u s", watch->uri, delay);
  watch->retry_id = g_timeout_add_seconds (delay, retry_cb, watch);
}

void
beacon_lan_watch_start (BeaconLanAccount    *self,
                        const char          *uri,
                        const BeaconLanPeer *peer)
{
  g_autofree char *target = beacon_lan_peer_target (peer, uri);
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);

  if (!beacon_lan_account_is_running (self))
    return;
  if (watch != NULL && subscribed (watch) && g_strcmp0 (watch->target, target) == 0)
    return;  /* running, same place */
  if (watch != NULL && watch->rejected_at != 0 && g_strcmp0 (watch->target, target) == 0 &&
      g_get_monotonic_time () - watch->rejected_at < REJECTED_RETRY_S * G_USEC_PER_SEC)
    return;  /* refused a moment ago */
  if (watch == NULL)
    {
      watch = g_new0 (LanWatch, 1);
      watch->self = self;
      watch->uri = g_strdup (uri);
      g_hash_table_insert (self->watches, watch->uri, watch);
    }
  g_free (watch->target);
  watch->target = g_steal_pointer (&target);
  watch->failures = 0;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  subscribe (watch);
}

void
beacon_lan_watch_renew (BeaconLanAccount *self,
                        const char       *uri)
{
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);
  const BeaconLanPeer *peer = beacon_lan_account_find_peer (self, uri);

  if (watch == NULL || peer == NULL || !beacon_lan_account_is_running (self))
    return;
  /* A new dialog, which the peer's notifier reports as a new watcher. */
  beacon_sip_lan_agent_unsubscribe (self->agent, watch->uri, TRUE);
  watch->failures = 0;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  subscribe (watch);
}

void
beacon_lan_watch_heard_from (BeaconLanAccount *self,
                             const char       *uri)
{
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);

  if (watch == NULL || watch->rejected_at == 0 ||
      beacon_lan_account_find_peer (self, uri) == NULL || !beacon_lan_account_is_running (self))
    return;
  g_debug ("%s, who refused us, subscribed to us: asking again", uri);
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  subscribe (watch);
}

void
beacon_lan_watch_stop (BeaconLanAccount *self,
                       const char       *uri,
                       gboolean          unsubscribe)
{
  g_autofree char *key = g_strdup (uri);

  if (g_hash_table_remove (self->watches, key) && self->agent != NULL)
    beacon_sip_lan_agent_unsubscribe (self->agent, key, unsubscribe);
}

void
beacon_lan_watch_drop_all (BeaconLanAccount *self)
{
  g_hash_table_remove_all (self->watches);
}

static void
apply_notify (LanWatch   *watch,
              const char *content_type,
              GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body = NULL;
  g_autofree char *type = NULL;
  BeaconBuddy *buddy = watch_buddy (watch);
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (buddy == NULL || len == 0)
    return;
  /* The media type alone, as the parser wants it. */
  if (content_type != NULL)
    type = g_strstrip (g_strndup (content_type, strcspn (content_type, ";")));
  body = beacon_sip_presence_body_parse (type, data, len, watch->uri, &error);
  if (body == NULL)
    {
      g_autoptr(GError) report =
        g_error_new (BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_BAD_PEER_DATA,
                     "%s sent presence that cannot be read: %s", watch->uri, error->message);
      beacon_account_emit_error (BEACON_ACCOUNT (watch->self), report);
      return;
    }
  for (guint i = 0; i < body->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = body->updates->pdata[i];

      if (update->has_presence)
        {
          beacon_buddy_set_presence (buddy, update->status, update->note);
          break;
        }
    }
}

void
beacon_lan_watch_state (BeaconSipLanAgent    *agent,
                        const char           *uri,
                        BeaconSipLanSubState  state,
                        guint                 status,
                        const char           *reason,
                        guint                 retry_after,
                        const char           *content_type,
                        GBytes               *body,
                        BeaconLanAccount     *self)
{
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);
  BeaconBuddy *buddy;

  if (watch == NULL)
    return;
  switch (state)
    {
    case BEACON_SIP_LAN_SUB_PENDING:
      set_buddy (watch, BEACON_SUBSCRIPTION_PENDING, FALSE);
      break;

    case BEACON_SIP_LAN_SUB_FAILED:
      watch->active = FALSE;
      if (status == 403 || status == 603)
        set_rejected (watch);
      else
        {
          set_buddy (watch, BEACON_SUBSCRIPTION_NONE, TRUE);
          schedule_retry (watch, retry_after);
        }
      break;

    case BEACON_SIP_LAN_SUB_TERMINATED:
      watch->active = FALSE;
      if (g_strcmp0 (reason, "rejected") == 0)
        set_rejected (watch);
      else
        {
          set_buddy (watch, BEACON_SUBSCRIPTION_NONE, TRUE);
          /* noresource: the peer left; it comes back through discovery. */
          if (g_strcmp0 (reason, "noresource") != 0)
            schedule_retry (watch, retry_after);
        }
      break;

    case BEACON_SIP_LAN_SUB_ACTIVE:
    default:
      watch->active = TRUE;
      watch->failures = 0;
      buddy = watch_buddy (watch);
      if (buddy != NULL)
        g_object_freeze_notify (G_OBJECT (buddy));
      apply_notify (watch, content_type, body);
      set_buddy (watch, BEACON_SUBSCRIPTION_ACTIVE, FALSE);
      if (buddy != NULL)
        g_object_thaw_notify (G_OBJECT (buddy));
      break;
    }
}
