/* test-sip-subscription.c — what a subscription does when the notifier ends it
 *
 * A fake notifier (a second sofia-sip nua on loopback, in this process and
 * main loop) answers SUBSCRIBEs and ends them with each RFC 6665 reason;
 * the test checks that BeaconSipSubscription subscribes again at once
 * (deactivated, timeout), after Retry-After (probation, giveup), or gives
 * up (rejected, noresource, a final 489) and retries transient failures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fake-sip-peer.h"
#include "sip/beacon-sip-subscription.h"
#include "sip/beacon-sip-ua.h"

/* What the notifier does with the n-th SUBSCRIBE (1-based); the last
 * entry repeats. A number alone answers with that failure status. */
typedef struct {
  const char *const *script;
  guint              subscribes;    /* initial ones, not refreshes or un-SUBSCRIBEs */
  gint64             times[8];      /* when each came, monotonic µs */
  guint              unsubscribes;
} Notifier;

typedef struct {
  FakeSipPeer           *peer;
  Notifier               notifier;
  BeaconSipUa           *ua;
  BeaconSipSubscription *sub;
  guint                  notifies;
  char                  *terminated_reason;
  guint                  terminated_status;
  gboolean               terminated;
} Fixture;

static void
notifier_subscribe (FakeSipPeer  *peer,
                    nua_t        *nua,
                    nua_handle_t *nh,
                    const sip_t  *sip,
                    gpointer      user_data)
{
  Notifier *notifier = user_data;

  if (sip->sip_expires != NULL && sip->sip_expires->ex_delta == 0)
    {
      notifier->unsubscribes++;
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), SIPTAG_EXPIRES_STR ("0"), TAG_END ());
      nua_notify (nh, SIPTAG_SUBSCRIPTION_STATE_STR ("terminated;reason=timeout"),
                  SIPTAG_EVENT_STR ("presence"), TAG_END ());
      return;
    }
  if (sip->sip_to->a_tag != NULL)
    {
      /* An in-dialog refresh. */
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), SIPTAG_EXPIRES_STR ("60"), TAG_END ());
      return;
    }

  {
    guint n = notifier->subscribes++;
    guint last = g_strv_length ((char **) notifier->script) - 1;
    const char *step = notifier->script[MIN (n, last)];
    guint64 code = 0;

    if (n < G_N_ELEMENTS (notifier->times))
      notifier->times[n] = g_get_monotonic_time ();
    if (g_ascii_string_to_unsigned (step, 10, 300, 699, &code, NULL))
      {
        nua_respond (nh, (int) code, "Scripted failure", NUTAG_WITH_THIS (nua),
                     TAG_IF (code == 503, SIPTAG_RETRY_AFTER_STR ("1")), TAG_END ());
        return;
      }
    nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), SIPTAG_EXPIRES_STR ("60"), TAG_END ());
    nua_notify (nh, SIPTAG_SUBSCRIPTION_STATE_STR (step),
                SIPTAG_EVENT_STR ("presence"),
                SIPTAG_CONTENT_TYPE_STR ("application/pidf+xml"),
                SIPTAG_PAYLOAD_STR ("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"/>"),
                TAG_END ());
  }
}

static void
on_notify (BeaconSipSubscription *sub,
           const char            *content_type,
           GBytes                *body,
           const char            *substate,
           const char            *reason,
           Fixture               *fixture)
{
  fixture->notifies++;
}

static void
on_terminated (BeaconSipSubscription *sub,
               const char            *reason,
               guint                  status,
               const GError          *error,
               Fixture               *fixture)
{
  fixture->terminated = TRUE;
  fixture->terminated_status = status;
  g_free (fixture->terminated_reason);
  fixture->terminated_reason = g_strdup (reason);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  script)
{
  g_autoptr(GError) error = NULL;

  fixture->notifier.script = script;
  fixture->peer = fake_sip_peer_new (notifier_subscribe, &fixture->notifier);
  fixture->ua = beacon_sip_ua_new ("sip:alice@fake.test", NULL, "pw",
                                   fake_sip_peer_get_address (fixture->peer),
                                   BEACON_SIP_TRANSPORT_UDP, "127.0.0.1");
  g_assert_true (beacon_sip_ua_start (fixture->ua, &error));
  g_assert_no_error (error);
  fixture->sub = beacon_sip_subscription_new (fixture->ua, "sip:bob@fake.test", "presence",
                                              "application/pidf+xml", FALSE, 60);
  g_signal_connect (fixture->sub, "notify-received", G_CALLBACK (on_notify), fixture);
  g_signal_connect (fixture->sub, "terminated", G_CALLBACK (on_terminated), fixture);
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
spin_until (Fixture  *fixture,
            gboolean (*done) (Fixture *),
            guint     ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!done (fixture) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return done (fixture);
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  script)
{
  gboolean done = FALSE;
  gint64 end;

  beacon_sip_subscription_stop_async (fixture->sub, NULL, stopped, &done);
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&fixture->sub);
  done = FALSE;
  beacon_sip_ua_shutdown_async (fixture->ua, NULL, stopped, &done);
  end = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
  g_clear_object (&fixture->ua);
  g_clear_pointer (&fixture->peer, fake_sip_peer_free);
  g_free (fixture->terminated_reason);
}

static gboolean two_subscribes (Fixture *f) { return f->notifier.subscribes >= 2; }
static gboolean active_again (Fixture *f)
{
  return f->notifier.subscribes >= 2 &&
         beacon_sip_subscription_get_state (f->sub) == BEACON_SIP_SUBSCRIPTION_ACTIVE;
}
static gboolean ended (Fixture *f) { return f->terminated; }

static gint64
gap_ms (Fixture *fixture)
{
  return (fixture->notifier.times[1] - fixture->notifier.times[0]) / 1000;
}

/* deactivated, timeout: a new subscription at once. */
static void
test_resubscribe_at_once (Fixture       *fixture,
                          gconstpointer  script)
{
  beacon_sip_subscription_start (fixture->sub);
  g_assert_true (spin_until (fixture, active_again, 5000));
  g_assert_cmpint (gap_ms (fixture), <, 900);
  g_assert_false (fixture->terminated);
  g_assert_cmpuint (fixture->notifies, >=, 2);
}

/* probation, giveup with retry-after=2: not before the server said. */
static void
test_resubscribe_later (Fixture       *fixture,
                        gconstpointer  script)
{
  beacon_sip_subscription_start (fixture->sub);
  spin (1000);
  g_assert_cmpuint (fixture->notifier.subscribes, ==, 1);
  g_assert_cmpint (beacon_sip_subscription_get_state (fixture->sub), ==,
                   BEACON_SIP_SUBSCRIPTION_RETRYING);
  g_assert_true (spin_until (fixture, active_again, 8000));
  g_assert_cmpint (gap_ms (fixture), >=, 1900);
  g_assert_false (fixture->terminated);
}

/* rejected, noresource: given up, and said so; no new SUBSCRIBE. */
static void
test_give_up (Fixture       *fixture,
              gconstpointer  script)
{
  const char *const *steps = script;

  beacon_sip_subscription_start (fixture->sub);
  g_assert_true (spin_until (fixture, ended, 5000));
  g_assert_cmpint (beacon_sip_subscription_get_state (fixture->sub), ==,
                   BEACON_SIP_SUBSCRIPTION_TERMINATED);
  if (g_ascii_isdigit (steps[0][0]))
    {
      g_assert_cmpuint (fixture->terminated_status, ==, atoi (steps[0]));
      g_assert_null (fixture->terminated_reason);
    }
  else
    g_assert_nonnull (strstr (steps[0], fixture->terminated_reason));
  spin (1500);
  g_assert_cmpuint (fixture->notifier.subscribes, ==, 1);
}

/* 503 with Retry-After: 1 (sofia-sip waits itself), or 500 (our backoff),
 * then success. */
static void
test_transient_failure (Fixture       *fixture,
                        gconstpointer  script)
{
  beacon_sip_subscription_start (fixture->sub);
  g_assert_true (spin_until (fixture, two_subscribes, 6000));
  g_assert_cmpint (gap_ms (fixture), >=, 900);
  g_assert_true (spin_until (fixture, active_again, 3000));
  g_assert_false (fixture->terminated);
}

static const char *const deactivated[] = { "terminated;reason=deactivated", "active;expires=60", NULL };
static const char *const timeout[] = { "terminated;reason=timeout", "active;expires=60", NULL };
static const char *const probation[] = { "terminated;reason=probation;retry-after=2", "active;expires=60", NULL };
static const char *const giveup[] = { "terminated;reason=giveup;retry-after=2", "active;expires=60", NULL };
static const char *const rejected[] = { "terminated;reason=rejected", NULL };
static const char *const noresource[] = { "terminated;reason=noresource", NULL };
static const char *const bad_event[] = { "489", NULL };
static const char *const unavailable[] = { "503", "active;expires=60", NULL };
static const char *const server_error[] = { "500", "active;expires=60", NULL };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, script, func) \
  g_test_add ("/sip/subscription/" path, Fixture, script, fixture_set_up, func, fixture_tear_down)
  ADD ("deactivated", deactivated, test_resubscribe_at_once);
  ADD ("timeout", timeout, test_resubscribe_at_once);
  ADD ("probation", probation, test_resubscribe_later);
  ADD ("giveup", giveup, test_resubscribe_later);
  ADD ("rejected", rejected, test_give_up);
  ADD ("noresource", noresource, test_give_up);
  ADD ("489-bad-event", bad_event, test_give_up);
  ADD ("503-retry-after", unavailable, test_transient_failure);
  /* no Retry-After: our own backoff (1 s first) */
  ADD ("500-backoff", server_error, test_transient_failure);
#undef ADD

  return g_test_run ();
}
