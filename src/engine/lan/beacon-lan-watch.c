/* beacon-lan-watch.c — the LAN account's subscriptions to its friends
 *
 * One SUBSCRIBE dialog per friend that discovery found, sent straight to
 * the address and port it announced (the friend's AOR in To). nua
 * refreshes it before it expires; NOTIFY bodies update the BeaconBuddy. A
 * refusal (403, or terminated;reason=rejected) marks the buddy rejected
 * until the peer appears again; other failures and terminations retry
 * with a bounded backoff while the peer is still there; noresource (the
 * peer quit) waits for it to reappear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <stdlib.h>

#include <sofia-sip/su_tag_io.h>

#include "sip/beacon-sip-presence-body.h"

/* A friend who refused us is asked again at most this often, when their
 * announcement changes (they may have unblocked us). */
#define REJECTED_RETRY_S 60
#define RETRY_MIN_S    1
#define RETRY_MAX_S    30
/* An un-SUBSCRIBE whose answer does not come is forgotten after this. */
#define UNSUBSCRIBE_WAIT_S 4

struct _LanWatch
{
  LanHandleKind      kind;
  BeaconLanAccount  *self;
  char              *uri;
  char              *target;        /* sip:user@address:port */
  nua_handle_t      *nh;            /* NULL between subscriptions */
  guint              retry_id;
  guint              failures;
  gboolean           active;        /* an active NOTIFY came */
  gint64             rejected_at;   /* monotonic µs of the last refusal, or 0 */
  gboolean           ending;        /* in self->ending */
  guint              ending_id;
};

static void
destroy_handle (LanWatch *watch)
{
  if (watch->nh != NULL)
    {
      nua_handle_bind (watch->nh, NULL);
      nua_handle_destroy (watch->nh);
      watch->nh = NULL;
    }
}

void
beacon_lan_watch_free (LanWatch *watch)
{
  if (watch == NULL)
    return;
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  g_clear_handle_id (&watch->ending_id, g_source_remove);
  destroy_handle (watch);
  if (watch->ending)
    beacon_lan_account_final_notify_done (watch->self);
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
  return watch != NULL && ((watch->nh != NULL && watch->active) || watch->rejected_at != 0);
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
  g_autofree char *expires = g_strdup_printf ("%u", self->expires);
  BeaconBuddy *buddy = watch_buddy (watch);

  destroy_handle (watch);
  watch->active = FALSE;
  watch->rejected_at = 0;
  watch->nh = nua_handle (self->nua, watch,
                          NUTAG_URL (watch->target),
                          SIPTAG_TO_STR (watch->uri),
                          TAG_END ());
  g_debug ("%s: SUBSCRIBE %s at %s", beacon_account_get_aor (BEACON_ACCOUNT (self)),
           watch->uri, watch->target);
  nua_subscribe (watch->nh,
                 NUTAG_URL (watch->target),
                 SIPTAG_EVENT_STR ("presence"),
                 SIPTAG_ACCEPT_STR ("application/pidf+xml"),
                 SIPTAG_EXPIRES_STR (expires),
                 TAG_END ());
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

  if (self->nua == NULL || self->stop_task != NULL)
    return;
  if (watch != NULL && watch->nh != NULL && g_strcmp0 (watch->target, target) == 0)
    return;  /* running, same place */
  if (watch != NULL && watch->rejected_at != 0 && g_strcmp0 (watch->target, target) == 0 &&
      g_get_monotonic_time () - watch->rejected_at < REJECTED_RETRY_S * G_USEC_PER_SEC)
    return;  /* refused a moment ago */
  if (watch == NULL)
    {
      watch = g_new0 (LanWatch, 1);
      watch->kind = LAN_HANDLE_WATCH;
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

static void
ending_timeout_cb (gpointer user_data)
{
  LanWatch *watch = user_data;

  watch->ending_id = 0;
  g_hash_table_remove (watch->self->ending, watch);
}

/* Moves @watch out of the table; with @unsubscribe, the un-SUBSCRIBE goes
 * out and it lives until answered. Returns TRUE when one was sent. */
static gboolean
end_watch (BeaconLanAccount *self,
           LanWatch         *watch,
           gboolean          unsubscribe)
{
  g_hash_table_steal (self->watches, watch->uri);
  g_clear_handle_id (&watch->retry_id, g_source_remove);
  if (!unsubscribe || watch->nh == NULL)
    {
      beacon_lan_watch_free (watch);
      return FALSE;
    }
  watch->ending = TRUE;
  g_hash_table_add (self->ending, watch);
  nua_unsubscribe (watch->nh, TAG_END ());
  watch->ending_id = g_timeout_add_once ((UNSUBSCRIBE_WAIT_S) * 1000, ending_timeout_cb, watch);
  return TRUE;
}

void
beacon_lan_watch_stop (BeaconLanAccount *self,
                       const char       *uri,
                       gboolean          unsubscribe)
{
  LanWatch *watch = g_hash_table_lookup (self->watches, uri);

  if (watch != NULL)
    {
      /* Not a goodbye of stop(): nothing waits for it. */
      if (end_watch (self, watch, unsubscribe))
        self->goodbyes++;
    }
}

guint
beacon_lan_watch_stop_all (BeaconLanAccount *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint sent = 0;

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);
  for (guint i = 0; i < all->len; i++)
    if (end_watch (self, all->pdata[i], TRUE))
      sent++;
  return sent;
}

static void
apply_notify (LanWatch    *watch,
              const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body = NULL;
  g_autofree char *content_type = NULL;
  BeaconBuddy *buddy = watch_buddy (watch);

  if (buddy == NULL || sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return;
  if (sip->sip_content_type != NULL && sip->sip_content_type->c_type != NULL)
    content_type = g_strdup (sip->sip_content_type->c_type);
  body = beacon_sip_presence_body_parse (content_type, sip->sip_payload->pl_data,
                                         sip->sip_payload->pl_len, watch->uri, &error);
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

static void
notify_received (LanWatch    *watch,
                 const sip_t *sip,
                 int          substate)
{
  const sip_subscription_state_t *ss = sip ? sip->sip_subscription_state : NULL;
  const char *reason = ss ? ss->ss_reason : NULL;

  if (substate < 0 && ss != NULL && ss->ss_substate != NULL)
    {
      if (g_ascii_strcasecmp (ss->ss_substate, "terminated") == 0)
        substate = nua_substate_terminated;
      else if (g_ascii_strcasecmp (ss->ss_substate, "pending") == 0)
        substate = nua_substate_pending;
      else
        substate = nua_substate_active;
    }

  switch (substate)
    {
    case nua_substate_pending:
    case nua_substate_embryonic:
      set_buddy (watch, BEACON_SUBSCRIPTION_PENDING, FALSE);
      break;

    case nua_substate_terminated:
      g_debug ("subscription to %s terminated (%s)", watch->uri, reason ? reason : "no reason");
      destroy_handle (watch);
      watch->active = FALSE;
      if (g_strcmp0 (reason, "rejected") == 0)
        set_rejected (watch);
      else
        {
          set_buddy (watch, BEACON_SUBSCRIPTION_NONE, TRUE);
          /* noresource: the peer left; it comes back through discovery. */
          if (g_strcmp0 (reason, "noresource") != 0)
            schedule_retry (watch, ss && ss->ss_retry_after ? atoi (ss->ss_retry_after) : 0);
        }
      break;

    default:
      watch->active = TRUE;
      watch->failures = 0;
      {
        BeaconBuddy *buddy = watch_buddy (watch);

        if (buddy != NULL)
          g_object_freeze_notify (G_OBJECT (buddy));
        apply_notify (watch, sip);
        set_buddy (watch, BEACON_SUBSCRIPTION_ACTIVE, FALSE);
        if (buddy != NULL)
          g_object_thaw_notify (G_OBJECT (buddy));
      }
      break;
    }
}

void
beacon_lan_watch_event (BeaconLanAccount *self,
                        LanWatch         *watch,
                        nua_event_t       event,
                        int               status,
                        const sip_t      *sip,
                        tagi_t            tags[])
{
  int substate = -1;

  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());

  if (watch->ending)
    {
      /* Only the answer to our un-SUBSCRIBE matters now. */
      if ((event == nua_r_unsubscribe || event == nua_r_subscribe) && status >= 200)
        g_hash_table_remove (self->ending, watch);
      else if (event == nua_i_notify && substate == nua_substate_terminated)
        g_hash_table_remove (self->ending, watch);
      return;
    }

  switch (event)
    {
    case nua_r_subscribe:
      if (status < 200)
        break;
      if (status < 300)
        break;  /* the NOTIFY says the rest */
      g_debug ("SUBSCRIBE to %s: %d", watch->uri, status);
      destroy_handle (watch);
      watch->active = FALSE;
      if (status == 403 || status == 603)
        set_rejected (watch);
      else
        {
          set_buddy (watch, BEACON_SUBSCRIPTION_NONE, TRUE);
          schedule_retry (watch, sip && sip->sip_retry_after
                                   ? (guint) sip->sip_retry_after->af_delta : 0);
        }
      break;

    case nua_i_notify:
      notify_received (watch, sip, substate);
      break;

    default:
      break;
    }
}
