/* beacon-sip-lan-subscriptions.c — the LAN agent's SUBSCRIBEs to other peers
 *
 * One BeaconSipSubscription per URI, on the agent's core, sent straight to
 * the address and port the owner gives (the peer's AOR in To), with its own
 * retries off: the owner decides when to ask again (a peer comes back
 * through discovery). nua refreshes it before it expires. Every NOTIFY and
 * every end becomes a "subscription-state" emission; an end takes the
 * subscription out first, so the owner may subscribe again from its
 * handler. An ended subscription whose un-SUBSCRIBE went out waits for the
 * answer in self->ending, bounded, and counts as a goodbye of stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-lan-agent-private.h"

#include "beacon-sip-subscription.h"

struct _LanSubscription
{
  BeaconSipLanAgent      *self;
  char                   *uri;
  BeaconSipSubscription  *sub;
  gboolean                ending;        /* in self->ending */
};

void
beacon_sip_lan_subscription_free (LanSubscription *sub)
{
  if (sub == NULL)
    return;
  if (sub->sub != NULL)
    g_signal_handlers_disconnect_by_data (sub->sub, sub);
  g_clear_object (&sub->sub);
  if (sub->ending)
    beacon_sip_lan_agent_goodbye_done (sub->self);
  g_free (sub->uri);
  g_free (sub);
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
                                          NULL, NULL);
}

static void
on_notify (BeaconSipSubscription *subscription,
           const char            *content_type,
           GBytes                *body,
           const char            *substate,
           const char            *reason,
           LanSubscription       *sub)
{
  if (sub->ending || g_ascii_strcasecmp (substate, "terminated") == 0)
    return;  /* the end comes as "terminated" */
  if (g_ascii_strcasecmp (substate, "pending") == 0)
    beacon_sip_lan_agent_emit_subscription (sub->self, sub->uri, BEACON_SIP_LAN_SUB_PENDING,
                                            0, NULL, 0, NULL, NULL);
  else
    beacon_sip_lan_agent_emit_subscription (sub->self, sub->uri, BEACON_SIP_LAN_SUB_ACTIVE,
                                            0, NULL, 0,
                                            g_bytes_get_size (body) > 0 ? content_type : NULL,
                                            g_bytes_get_size (body) > 0 ? body : NULL);
}

static void
on_terminated (BeaconSipSubscription *subscription,
               const char            *reason,
               guint                  status,
               const GError          *error,
               LanSubscription       *sub)
{
  guint retry_after = beacon_sip_subscription_get_retry_after (subscription);

  if (sub->ending)
    return;
  if (status >= 300)
    {
      g_debug ("SUBSCRIBE to %s: %u", sub->uri, status);
      finish (sub, BEACON_SIP_LAN_SUB_FAILED, status, NULL, retry_after);
      return;
    }
  g_debug ("subscription to %s terminated (%s)", sub->uri, reason ? reason : "no reason");
  finish (sub, BEACON_SIP_LAN_SUB_TERMINATED, 0, reason, retry_after);
}

void
beacon_sip_lan_agent_subscribe (BeaconSipLanAgent *self,
                                const char        *uri,
                                const char        *target,
                                guint              expires)
{
  LanSubscription *sub;

  g_return_if_fail (BEACON_IS_SIP_LAN_AGENT (self));
  g_return_if_fail (uri != NULL && target != NULL);

  if (!beacon_sip_lan_agent_is_running (self))
    return;
  sub = g_new0 (LanSubscription, 1);
  sub->self = self;
  sub->uri = g_strdup (uri);
  sub->sub = beacon_sip_subscription_new_on_core (self->core, uri, target, "presence",
                                                  "application/pidf+xml", FALSE, expires);
  beacon_sip_subscription_set_retry (sub->sub, FALSE);
  g_signal_connect (sub->sub, "notify-received", G_CALLBACK (on_notify), sub);
  g_signal_connect (sub->sub, "terminated", G_CALLBACK (on_terminated), sub);
  /* Replaces (and frees) any running one. */
  g_hash_table_replace (self->subscriptions, sub->uri, sub);
  g_debug ("%s: SUBSCRIBE %s at %s", self->aor, uri, target);
  beacon_sip_subscription_start (sub->sub);
}

gboolean
beacon_sip_lan_agent_is_subscribed (BeaconSipLanAgent *self,
                                    const char        *uri)
{
  g_return_val_if_fail (BEACON_IS_SIP_LAN_AGENT (self), FALSE);
  return g_hash_table_contains (self->subscriptions, uri);
}

typedef struct {
  BeaconSipLanAgent *self;
  LanSubscription   *sub;   /* compared, not read: it may be gone */
} Ending;

static void
unsubscribed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Ending *ending = user_data;
  BeaconSipLanAgent *self = ending->self;

  beacon_sip_subscription_stop_finish (BEACON_SIP_SUBSCRIPTION (source), result, NULL);
  if (self->ending != NULL && g_hash_table_contains (self->ending, ending->sub))
    g_hash_table_remove (self->ending, ending->sub);
  g_object_unref (self);
  g_free (ending);
}

/* Moves @sub out of the table; with @send, the un-SUBSCRIBE goes out and
 * it lives until answered (the subscription bounds the wait). Returns TRUE
 * when one was sent. */
static gboolean
end_subscription (BeaconSipLanAgent *self,
                  LanSubscription   *sub,
                  gboolean           send)
{
  Ending *ending;

  g_hash_table_steal (self->subscriptions, sub->uri);
  if (!send || !beacon_sip_core_is_running (self->core))
    {
      beacon_sip_lan_subscription_free (sub);
      return FALSE;
    }
  sub->ending = TRUE;
  g_hash_table_add (self->ending, sub);
  ending = g_new0 (Ending, 1);
  ending->self = g_object_ref (self);
  ending->sub = sub;
  beacon_sip_subscription_stop_async (sub->sub, NULL, unsubscribed, ending);
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
