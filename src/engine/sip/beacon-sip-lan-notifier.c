/* beacon-sip-lan-notifier.c — the LAN agent as a presence agent: our watchers
 *
 * Every SUBSCRIBE for our presence gets an answer from the owner's policy
 * (pres-rules.xml): block → 403; allow → 200 and our PIDF; polite-block →
 * 200 and a closed PIDF; no rule (confirm) → 202, a pending NOTIFY and a
 * "watcher" emission (pending) the user answers. A rule or
 * status change re-notifies the watchers it concerns. Each watcher's own
 * expiry timer ends subscriptions the subscriber stopped refreshing, and
 * stop() terminates them all (reason noresource).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include <sofia-sip/su_tag_io.h>

#include "formats/beacon-pidf.h"

/* Longest subscription we grant, and how long past its expiry we wait
 * before ending it ourselves. */
#define MAX_EXPIRES        3600
#define EXPIRY_GRACE_S     5
/* A terminated watcher whose last NOTIFY got no answer is dropped anyway. */
#define FINAL_NOTIFY_WAIT_S 5

struct _LanWatcher
{
  BeaconSipLanAgent *self;
  BeaconSipHandle   *handle;
  char              *uri;
  BeaconSubHandling  notified;     /* what the last NOTIFY said */
  gboolean           has_notified;
  gboolean           terminating;  /* the terminated NOTIFY went out */
  gboolean           final;        /* ... as part of stop() */
  guint              timer_id;     /* expiry, then the final wait */
};

void
beacon_sip_lan_watcher_free (LanWatcher *watcher)
{
  if (watcher == NULL)
    return;
  g_clear_handle_id (&watcher->timer_id, g_source_remove);
  g_clear_pointer (&watcher->handle, beacon_sip_handle_free);
  if (watcher->final)
    beacon_sip_lan_agent_goodbye_done (watcher->self);
  g_free (watcher->uri);
  g_free (watcher);
}

static void
drop_watcher (LanWatcher *watcher)
{
  BeaconSipLanAgent *self = watcher->self;
  g_autofree char *uri = g_strdup (watcher->uri);
  gboolean was_final = watcher->final;

  g_debug ("%s: watcher %s gone", self->aor, uri);
  /* Frees it (and counts a final NOTIFY done). */
  g_hash_table_remove (self->watchers, watcher);
  if (!was_final && !self->disposing)
    beacon_sip_lan_agent_emit_watcher (self, uri, "terminated");
}

static void
final_wait_cb (gpointer user_data)
{
  LanWatcher *watcher = user_data;

  watcher->timer_id = 0;
  drop_watcher (watcher);
}

static void
terminate_watcher (LanWatcher *watcher,
                   const char *reason)
{
  g_autofree char *state = g_strdup_printf ("terminated;reason=%s", reason);

  if (watcher->terminating)
    return;
  watcher->terminating = TRUE;
  g_clear_handle_id (&watcher->timer_id, g_source_remove);
  nua_notify (beacon_sip_handle_get_nh (watcher->handle),
              SIPTAG_EVENT_STR ("presence"),
              NUTAG_SUBSTATE (nua_substate_terminated),
              SIPTAG_SUBSCRIPTION_STATE_STR (state),
              TAG_END ());
  watcher->timer_id = g_timeout_add_once ((FINAL_NOTIFY_WAIT_S) * 1000, final_wait_cb, watcher);
}

static void
expired_cb (gpointer user_data)
{
  LanWatcher *watcher = user_data;

  watcher->timer_id = 0;
  g_debug ("subscription of %s expired", watcher->uri);
  terminate_watcher (watcher, "timeout");
}

static void
arm_expiry (LanWatcher *watcher,
            guint       expires)
{
  g_clear_handle_id (&watcher->timer_id, g_source_remove);
  watcher->timer_id = g_timeout_add_once ((expires + EXPIRY_GRACE_S) * 1000, expired_cb, watcher);
}

static void
notify_presence (LanWatcher   *watcher,
                 BeaconStatus  status,
                 const char   *note)
{
  g_autofree char *pidf = beacon_pidf_build (watcher->self->aor, status, note,
                                             NULL, NULL);

  nua_notify (beacon_sip_handle_get_nh (watcher->handle),
              SIPTAG_EVENT_STR ("presence"),
              NUTAG_SUBSTATE (nua_substate_active),
              SIPTAG_CONTENT_TYPE_STR ("application/pidf+xml"),
              SIPTAG_PAYLOAD_STR (pidf),
              TAG_END ());
}

/* TRUE when another live watcher of the same URI was already told
 * "pending": the user is being asked about it already. */
static gboolean
already_asked (LanWatcher *watcher)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, watcher->self->watchers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LanWatcher *other = key;

      if (other != watcher && !other->terminating && other->has_notified &&
          other->notified == BEACON_SUB_HANDLING_CONFIRM &&
          g_ascii_strcasecmp (other->uri, watcher->uri) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Tells @watcher what the rules now say. */
static void
notify_watcher (LanWatcher *watcher,
                gboolean    announce)
{
  BeaconSipLanAgent *self = watcher->self;
  BeaconSubHandling handling = beacon_sip_lan_agent_lookup (self, watcher->uri);
  gboolean changed = !watcher->has_notified || watcher->notified != handling;
  gboolean asked = handling == BEACON_SUB_HANDLING_CONFIRM && already_asked (watcher);

  if (watcher->terminating)
    return;
  /* Only allowed watchers learn of status changes; the others are told
   * once what they get. */
  if (!changed && handling != BEACON_SUB_HANDLING_ALLOW)
    return;
  watcher->notified = handling;
  watcher->has_notified = TRUE;
  switch (handling)
    {
    case BEACON_SUB_HANDLING_BLOCK:
      terminate_watcher (watcher, "rejected");
      if (changed && announce)
        beacon_sip_lan_agent_emit_watcher (self, watcher->uri, "terminated");
      break;
    case BEACON_SUB_HANDLING_CONFIRM:
      nua_notify (beacon_sip_handle_get_nh (watcher->handle),
                  SIPTAG_EVENT_STR ("presence"),
                  NUTAG_SUBSTATE (nua_substate_pending),
                  TAG_END ());
      if (changed && announce && !asked)
        beacon_sip_lan_agent_emit_watcher (self, watcher->uri, "pending");
      break;
    case BEACON_SUB_HANDLING_POLITE_BLOCK:
      /* Indistinguishable from a friend who appears offline. */
      notify_presence (watcher, BEACON_STATUS_OFFLINE, NULL);
      break;
    case BEACON_SUB_HANDLING_ALLOW:
    default:
      notify_presence (watcher, self->status, self->note);
      if (changed && announce)
        beacon_sip_lan_agent_emit_watcher (self, watcher->uri, "active");
      break;
    }
}

void
beacon_sip_lan_agent_update_watchers (BeaconSipLanAgent *self,
                                      const char        *uri)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* notify_watcher() may not free, but collect first all the same. */
  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (all, key);
  for (guint i = 0; i < all->len; i++)
    {
      LanWatcher *watcher = all->pdata[i];

      if (uri == NULL || g_ascii_strcasecmp (uri, watcher->uri) == 0)
        notify_watcher (watcher, uri != NULL);
    }
}

guint
beacon_sip_lan_notifier_terminate_all (BeaconSipLanAgent *self)
{
  GHashTableIter iter;
  gpointer key;
  guint sent = 0;

  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LanWatcher *watcher = key;

      if (watcher->terminating || watcher->final)
        continue;
      watcher->final = TRUE;
      terminate_watcher (watcher, "noresource");
      sent++;
    }
  return sent;
}

static guint
granted_expires (const sip_t *sip)
{
  guint expires = sip->sip_expires != NULL ? (guint) sip->sip_expires->ex_delta : MAX_EXPIRES;

  return MIN (expires, MAX_EXPIRES);
}

static void watcher_event    (gpointer     owner,
                              nua_event_t  event,
                              int          status,
                              const char  *phrase,
                              const sip_t *sip,
                              tagi_t       tags[]);
static void watcher_detached (gpointer     owner);

gboolean
beacon_sip_lan_notifier_incoming (gpointer      owner,
                                  nua_event_t   event,
                                  int           status,
                                  nua_handle_t *nh,
                                  const sip_t  *sip,
                                  tagi_t        tags[])
{
  BeaconSipLanAgent *self = owner;
  nua_t *nua = beacon_sip_core_get_nua (self->core);
  g_autofree char *from = NULL;
  g_autofree char *expires_str = NULL;
  BeaconSubHandling handling;
  LanWatcher *watcher;
  guint expires;

  if (event != nua_i_subscribe)
    return FALSE;  /* the core refuses it */
  if (sip == NULL || sip->sip_from == NULL || status >= 200)
    {
      /* Already answered by the stack (bad event...). */
      nua_handle_destroy (nh);
      return TRUE;
    }
  if (sip->sip_event == NULL || g_strcmp0 (sip->sip_event->o_type, "presence") != 0)
    {
      nua_respond (nh, SIP_489_BAD_EVENT, SIPTAG_ALLOW_EVENTS_STR ("presence"),
                   NUTAG_WITH_THIS (nua), TAG_END ());
      nua_handle_destroy (nh);
      return TRUE;
    }
  if (sip->sip_request == NULL || sip->sip_request->rq_url->url_user == NULL ||
      g_strcmp0 (sip->sip_request->rq_url->url_user, self->user) != 0)
    {
      nua_respond (nh, SIP_404_NOT_FOUND, NUTAG_WITH_THIS (nua), TAG_END ());
      nua_handle_destroy (nh);
      return TRUE;
    }
  if (self->stop_task != NULL)
    {
      /* Leaving: come back when we are announced again. */
      nua_respond (nh, SIP_480_TEMPORARILY_UNAVAILABLE, NUTAG_WITH_THIS (nua), TAG_END ());
      nua_handle_destroy (nh);
      return TRUE;
    }
  from = beacon_sip_url_aor (sip->sip_from->a_url);
  handling = from ? beacon_sip_lan_agent_lookup (self, from) : BEACON_SUB_HANDLING_BLOCK;
  if (handling == BEACON_SUB_HANDLING_BLOCK)
    {
      g_debug ("refusing the SUBSCRIBE of %s", from ? from : "(bad From)");
      nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS (nua), TAG_END ());
      nua_handle_destroy (nh);
      return TRUE;
    }

  /* A stranger asking too often, or too many strangers at once: 429. */
  {
    guint retry_after = 0;

    if (!beacon_sip_lan_agent_admit (self, from, &retry_after))
      {
        beacon_sip_respond_retry_after (nua, nh, 429, "Too Many Requests", retry_after);
        nua_handle_destroy (nh);
        return TRUE;
      }
  }

  expires = granted_expires (sip);
  expires_str = g_strdup_printf ("%u", expires);
  watcher = g_new0 (LanWatcher, 1);
  watcher->self = self;
  watcher->handle = beacon_sip_core_handle_adopt (self->core, nh, watcher_event,
                                                  watcher_detached, watcher);
  watcher->uri = g_steal_pointer (&from);
  g_hash_table_add (self->watchers, watcher);
  g_debug ("%s: SUBSCRIBE from %s for %u s (%s)", self->aor,
           watcher->uri, expires, beacon_sub_handling_to_string (handling));

  if (handling == BEACON_SUB_HANDLING_CONFIRM)
    nua_respond (nh, SIP_202_ACCEPTED, SIPTAG_EXPIRES_STR (expires_str),
                 NUTAG_WITH_THIS (nua), TAG_END ());
  else
    nua_respond (nh, SIP_200_OK, SIPTAG_EXPIRES_STR (expires_str),
                 NUTAG_WITH_THIS (nua), TAG_END ());
  if (expires == 0)
    {
      /* A fetch: one NOTIFY with the state, and done. */
      terminate_watcher (watcher, "timeout");
      return TRUE;
    }
  arm_expiry (watcher, expires);
  notify_watcher (watcher, TRUE);
  return TRUE;
}

static void
watcher_event (gpointer     owner,
               nua_event_t  event,
               int          status,
               const char  *phrase,
               const sip_t *sip,
               tagi_t       tags[])
{
  LanWatcher *watcher = owner;
  nua_t *nua = beacon_sip_core_get_nua (watcher->self->core);
  int substate = -1;

  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());

  switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
    {
    case nua_i_subscribe:
      {
        gboolean ending = substate == nua_substate_terminated ||
                          (sip != NULL && sip->sip_expires != NULL &&
                           sip->sip_expires->ex_delta == 0);
        guint expires = sip != NULL ? granted_expires (sip) : 0;

        if (status < 200)
          {
            g_autofree char *expires_str = g_strdup_printf ("%u", ending ? 0 : expires);

            nua_respond (beacon_sip_handle_get_nh (watcher->handle),
                         watcher->notified == BEACON_SUB_HANDLING_CONFIRM
                           ? 202 : 200,
                         watcher->notified == BEACON_SUB_HANDLING_CONFIRM
                           ? "Accepted" : "OK",
                         SIPTAG_EXPIRES_STR (expires_str),
                         NUTAG_WITH_THIS (nua), TAG_END ());
          }
        if (ending)
          {
            /* The subscriber left: the stack sends the last NOTIFY. */
            g_debug ("%s unsubscribed", watcher->uri);
            watcher->terminating = TRUE;
            g_clear_handle_id (&watcher->timer_id, g_source_remove);
            watcher->timer_id = g_timeout_add_once ((FINAL_NOTIFY_WAIT_S) * 1000, final_wait_cb,
                                                            watcher);
          }
        else if (!watcher->terminating)
          {
            g_debug ("%s refreshed for %u s", watcher->uri, expires);
            arm_expiry (watcher, expires);
          }
      }
      break;

    case nua_r_notify:
      if (status < 200)
        break;
      /* Several NOTIFYs may be queued: only the answer to the last one
       * (terminated), or a failure, ends the watcher. */
      if (substate == nua_substate_terminated ||
          (substate == -1 && watcher->terminating) ||
          status == 481 || status == 408 || status >= 500)
        drop_watcher (watcher);
      break;

    default:
      break;
    }
}

/* The stack went away (stop, after the goodbyes): the agent frees it. */
static void
watcher_detached (gpointer owner)
{
}
