/* beacon-sip-lan-subscriptions.c — the LAN agent's SUBSCRIBEs to other peers
 *
 * One SUBSCRIBE dialog per URI, sent straight to the address and port the
 * owner gives (the peer's AOR in To). nua refreshes it before it expires.
 * Every NOTIFY and every final refusal becomes a "subscription-state"
 * emission; a terminated NOTIFY or a refusal ends the dialog first, so
 * the owner may subscribe again from its handler. An ended subscription
 * whose un-SUBSCRIBE went out waits for the answer in self->ending,
 * bounded, and counts as a goodbye of stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include <stdlib.h>

#include <sofia-sip/su_tag_io.h>

/* An un-SUBSCRIBE whose answer does not come is forgotten after this. */
#define UNSUBSCRIBE_WAIT_S 4

struct _LanSubscription
{
  BeaconSipLanAgent  *self;
  char               *uri;
  BeaconSipHandle    *handle;
  gboolean            ending;        /* in self->ending */
  guint               ending_id;
};

static void subscription_event    (gpointer     owner,
                                   nua_event_t  event,
                                   int          status,
                                   const char  *phrase,
                                   const sip_t *sip,
                                   tagi_t       tags[]);

/* The stack went away (stop, after the goodbyes): the agent frees it. */
static void
subscription_detached (gpointer owner)
{
}

void
beacon_sip_lan_subscription_free (LanSubscription *sub)
{
  if (sub == NULL)
    return;
  g_clear_handle_id (&sub->ending_id, g_source_remove);
  g_clear_pointer (&sub->handle, beacon_sip_handle_free);
  if (sub->ending)
    beacon_sip_lan_agent_goodbye_done (sub->self);
  g_free (sub->uri);
  g_free (sub);
}

void
beacon_sip_lan_agent_subscribe (BeaconSipLanAgent *self,
                                const char        *uri,
                                const char        *target,
                                guint              expires)
{
  g_autofree char *expires_str = g_strdup_printf ("%u", expires);
  g_autoptr(GError) error = NULL;
  LanSubscription *sub;

  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  g_return_if_fail (uri != NULL && target != NULL);

  if (!beacon_sip_lan_agent_is_running (self))
    return;
  sub = g_new0 (LanSubscription, 1);
  sub->self = self;
  sub->uri = g_strdup (uri);
  sub->handle = beacon_sip_core_handle_new (self->core, uri, target, NULL, subscription_event,
                                            subscription_detached, sub, &error);
  if (sub->handle == NULL)
    {
      g_debug ("cannot SUBSCRIBE to %s at %s: %s", uri, target, error->message);
      beacon_sip_lan_subscription_free (sub);
      return;
    }
  /* Replaces (and frees) any running one. */
  g_hash_table_replace (self->subscriptions, sub->uri, sub);
  g_debug ("%s: SUBSCRIBE %s at %s", self->aor, uri, target);
  nua_subscribe (beacon_sip_handle_get_nh (sub->handle),
                 NUTAG_URL (target),
                 SIPTAG_EVENT_STR ("presence"),
                 SIPTAG_ACCEPT_STR ("application/pidf+xml"),
                 SIPTAG_EXPIRES_STR (expires_str),
                 TAG_END ());
}

gboolean
beacon_sip_lan_agent_is_subscribed (BeaconSipLanAgent *self,
                                    const char        *uri)
{
  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  return g_hash_table_contains (self->subscriptions, uri);
}

static void
ending_timeout_cb (gpointer user_data)
{
  LanSubscription *sub = user_data;

  sub->ending_id = 0;
  g_hash_table_remove (sub->self->ending, sub);
}

/* Moves @sub out of the table; with @send, the un-SUBSCRIBE goes out and
 * it lives until answered. Returns TRUE when one was sent. */
static gboolean
end_subscription (BeaconSipLanAgent *self,
                  LanSubscription   *sub,
                  gboolean           send)
{
  g_hash_table_steal (self->subscriptions, sub->uri);
  if (!send || !beacon_sip_core_is_running (self->core))
    {
      beacon_sip_lan_subscription_free (sub);
      return FALSE;
    }
  sub->ending = TRUE;
  g_hash_table_add (self->ending, sub);
  nua_unsubscribe (beacon_sip_handle_get_nh (sub->handle), TAG_END ());
  sub->ending_id = g_timeout_add_once ((UNSUBSCRIBE_WAIT_S) * 1000, ending_timeout_cb, sub);
  return TRUE;
}

void
beacon_sip_lan_agent_unsubscribe (BeaconSipLanAgent *self,
                                  const char        *uri,
                                  gboolean           send)
{
  LanSubscription *sub;

  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));

  sub = g_hash_table_lookup (self->subscriptions, uri);
  /* Not a goodbye of stop(), but stop() waits for it too when it comes. */
  if (sub != NULL && end_subscription (self, sub, send))
    self->goodbyes++;
}

guint
beacon_sip_lan_unsubscribe_all (BeaconSipLanAgent *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint sent = 0;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);
  for (guint i = 0; i < all->len; i++)
    if (end_subscription (self, all->pdata[i], TRUE))
      sent++;
  return sent;
}

/* The dialog is over: the owner hears of it with nothing left running. */
static void
finish (LanSubscription      *sub,
        BeaconSipLanSubState  state,
        guint                 status,
        const char           *reason,
        guint                 retry_after)
{
  BeaconSipLanAgent *self = sub->self;
  g_autofree char *uri = g_strdup (sub->uri);
  g_autofree char *reason_copy = g_strdup (reason);

  g_hash_table_remove (self->subscriptions, uri);
  beacon_sip_lan_agent_emit_subscription (self, uri, state, status, reason_copy, retry_after,
                                          NULL);
}

static void
notify_received (LanSubscription *sub,
                 const sip_t     *sip,
                 int              substate)
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
      beacon_sip_lan_agent_emit_subscription (sub->self, sub->uri, BEACON_SIP_LAN_SUB_PENDING,
                                              0, NULL, 0, NULL);
      break;

    case nua_substate_terminated:
      g_debug ("subscription to %s terminated (%s)", sub->uri, reason ? reason : "no reason");
      finish (sub, BEACON_SIP_LAN_SUB_TERMINATED, 0, reason,
              ss && ss->ss_retry_after ? (guint) atoi (ss->ss_retry_after) : 0);
      break;

    default:
      beacon_sip_lan_agent_emit_subscription (sub->self, sub->uri, BEACON_SIP_LAN_SUB_ACTIVE,
                                              0, NULL, 0, sip);
      break;
    }
}

static void
subscription_event (gpointer     owner,
                    nua_event_t  event,
                    int          status,
                    const char  *phrase,
                    const sip_t *sip,
                    tagi_t       tags[])
{
  LanSubscription *sub = owner;
  BeaconSipLanAgent *self = sub->self;
  int substate = -1;

  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());

  if (sub->ending)
    {
      /* Only the answer to our un-SUBSCRIBE matters now. */
      if ((event == nua_r_unsubscribe || event == nua_r_subscribe) && status >= 200)
        g_hash_table_remove (self->ending, sub);
      else if (event == nua_i_notify && substate == nua_substate_terminated)
        g_hash_table_remove (self->ending, sub);
      return;
    }

  switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
    {
    case nua_r_subscribe:
      if (status < 300)
        break;  /* the NOTIFY says the rest */
      g_debug ("SUBSCRIBE to %s: %d", sub->uri, status);
      finish (sub, BEACON_SIP_LAN_SUB_FAILED, (guint) status, NULL,
              sip && sip->sip_retry_after ? (guint) sip->sip_retry_after->af_delta : 0);
      break;

    case nua_i_notify:
      notify_received (sub, sip, substate);
      break;

    default:
      break;
    }
}
