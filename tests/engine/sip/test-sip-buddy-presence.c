/* test-sip-buddy-presence.c — RLS notifications applied to the buddy list
 *
 * Most tests never start the object, so no SIP goes out: the list NOTIFYs
 * are fed in as if they had arrived (seed 2.1.2.1 and Kamailio captures).
 * The last one runs against a fake RLS on loopback: a lost notification
 * (a gap in the RLMI versions) brings a new subscription, since Kamailio
 * sends the full state for an initial SUBSCRIBE only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fake-sip-peer.h"
#include "beacon-buddy-list.h"
#include "formats/beacon-sip-message.h"
#include "sip/beacon-sip-buddy-presence.h"
#include "sip/beacon-sip-ua.h"

typedef struct {
  BeaconSipUa            *ua;
  BeaconBuddyList        *buddies;
  BeaconSipBuddyPresence *presence;
  guint                   errors;
} Fixture;

static void
count_error (BeaconSipBuddyPresence *presence,
             const char             *uri,
             const GError           *error,
             Fixture                *fixture)
{
  fixture->errors++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  list_uri)
{
  fixture->ua = beacon_sip_ua_new ("sip:A@ps.cintel.net.cn", NULL, "secret", NULL,
                                   BEACON_SIP_TRANSPORT_UDP, NULL);
  fixture->buddies = beacon_buddy_list_new ();
  fixture->presence = beacon_sip_buddy_presence_new (fixture->ua, fixture->buddies, list_uri, 3600);
  g_signal_connect (fixture->presence, "error", G_CALLBACK (count_error), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  list_uri)
{
  g_clear_object (&fixture->presence);
  g_clear_object (&fixture->buddies);
  g_clear_object (&fixture->ua);
}

/* Feeds the NOTIFY in @dir/@name, its body edited by replacing @from
 * with @to when given. */
static void
feed (Fixture    *fixture,
      const char *dir,
      const char *name,
      const char *from,
      const char *to)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(BeaconSipMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  msg = beacon_sip_message_parse (data, len, NULL);
  g_assert_nonnull (msg);
  if (from != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (msg->body, NULL), g_bytes_get_size (msg->body));
      g_auto(GStrv) pieces = g_strsplit (text, from, -1);
      char *joined;

      g_assert_cmpuint (g_strv_length (pieces), >, 1);
      joined = g_strjoinv (to, pieces);
      body = g_bytes_new_take (joined, strlen (joined));
    }
  else
    body = g_bytes_ref (msg->body);
  beacon_sip_buddy_presence_apply_list_notify (fixture->presence,
                                               beacon_sip_message_get_header (msg, "Content-Type"),
                                               body);
}

static BeaconBuddy *
buddy (Fixture    *fixture,
       const char *uri)
{
  return beacon_buddy_list_lookup (fixture->buddies, uri);
}

#define B "sip:B@ps.cintel.net.cn"
#define C "sip:C@ps.cintel.net.cn"

static void
test_seed_sequence (Fixture       *fixture,
                    gconstpointer  data)
{
  /* M3: full state names the roster; buddies come from the server list. */
  feed (fixture, "seed", "2.1.2.1-M3.sip", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->buddies)), ==, 2);
  g_assert_cmpstr (beacon_buddy_get_display_name (buddy (fixture, B)), ==, "B");
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_OFFLINE);
  g_assert_cmpint (beacon_buddy_get_subscription (buddy (fixture, B)), ==, BEACON_SUBSCRIPTION_ACTIVE);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, C)), ==, BEACON_STATUS_ONLINE);
  g_assert_true (beacon_sip_buddy_presence_get_using_list (fixture->presence));

  /* M7: partial, version 2: only B changes. */
  feed (fixture, "seed", "2.1.2.1-M7.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_ONLINE);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, C)), ==, BEACON_STATUS_ONLINE);

  /* The same version again (a retransmission) is ignored. */
  beacon_buddy_set_presence (buddy (fixture, B), BEACON_STATUS_AWAY, "marker");
  feed (fixture, "seed", "2.1.2.1-M7.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_AWAY);

  /* A gap (version 5 after 2): not merged; a refresh would fetch full state. */
  feed (fixture, "seed", "2.1.2.1-M7.sip", "version=\"2\"", "version=\"5\"");
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_AWAY);

  /* M11: full state again (the refresh), whatever the counter. */
  feed (fixture, "seed", "2.1.2.1-M11.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_ONLINE);
  g_assert_null (beacon_buddy_get_note (buddy (fixture, B)));

  /* The user removed C here; the next full state must not bring it back. */
  g_assert_true (beacon_buddy_list_remove (fixture->buddies, C));
  feed (fixture, "seed", "2.1.2.1-M15.sip", NULL, NULL);
  g_assert_null (buddy (fixture, C));
  g_assert_nonnull (buddy (fixture, B));
  g_assert_cmpuint (fixture->errors, ==, 0);
}

static void
test_full_state_drops_others (Fixture       *fixture,
                              gconstpointer  data)
{
  BeaconBuddy *other = beacon_buddy_list_add (fixture->buddies, "sip:D@ps.cintel.net.cn", NULL);

  beacon_buddy_set_presence (other, BEACON_STATUS_ONLINE, "stale");
  beacon_buddy_set_subscription (other, BEACON_SUBSCRIPTION_ACTIVE);
  feed (fixture, "seed", "2.1.2.1-M3.sip", NULL, NULL);

  /* Not in the list's full state: nothing vouches for it any more. */
  g_assert_cmpint (beacon_buddy_get_status (other), ==, BEACON_STATUS_OFFLINE);
  g_assert_null (beacon_buddy_get_note (other));
  g_assert_cmpint (beacon_buddy_get_subscription (other), ==, BEACON_SUBSCRIPTION_NONE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->buddies)), ==, 3);
}

static void
test_kamailio_sequence (Fixture       *fixture,
                        gconstpointer  data)
{
  BeaconBuddy *bob;

  /* Kamailio's first NOTIFY: full state, no instances yet. */
  feed (fixture, "sip-presence", "kamailio-rls-1-full-no-instances.sip", NULL, NULL);
  bob = buddy (fixture, "sip:bob@beacon.test");
  g_assert_nonnull (bob);
  g_assert_nonnull (buddy (fixture, "sip:carol@beacon.test"));
  g_assert_cmpint (beacon_buddy_get_subscription (bob), ==, BEACON_SUBSCRIPTION_PENDING);
  g_assert_cmpint (beacon_buddy_get_status (bob), ==, BEACON_STATUS_OFFLINE);

  feed (fixture, "sip-presence", "kamailio-rls-2-bob-online.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_subscription (bob), ==, BEACON_SUBSCRIPTION_ACTIVE);
  g_assert_cmpint (beacon_buddy_get_status (bob), ==, BEACON_STATUS_ONLINE);

  feed (fixture, "sip-presence", "kamailio-rls-3-bob-busy-note.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_status (bob), ==, BEACON_STATUS_BUSY);
  g_assert_cmpstr (beacon_buddy_get_note (bob), ==, "working");

  feed (fixture, "sip-presence", "kamailio-rls-4-bob-unpublished.sip", NULL, NULL);
  g_assert_cmpint (beacon_buddy_get_status (bob), ==, BEACON_STATUS_OFFLINE);
  /* carol never got an instance: still waiting */
  g_assert_cmpint (beacon_buddy_get_subscription (buddy (fixture, "sip:carol@beacon.test")), ==,
                   BEACON_SUBSCRIPTION_PENDING);
}

static void
test_partial_before_full (Fixture       *fixture,
                          gconstpointer  data)
{
  /* Nothing to merge a partial state into: dropped (and a refresh asked). */
  feed (fixture, "sip-presence", "kamailio-rls-2-bob-online.sip", NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->buddies)), ==, 0);
}

static void
test_rejected_instance (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Kamailio's partial form with a terminated;rejected instance. */
  feed (fixture, "sip-presence", "kamailio-rls-1-full-no-instances.sip", NULL, NULL);
  feed (fixture, "sip-presence", "kamailio-rls-2-bob-online.sip",
        "state=\"active\"", "state=\"terminated\" reason=\"rejected\"");
  g_assert_cmpint (beacon_buddy_get_subscription (buddy (fixture, "sip:bob@beacon.test")), ==,
                   BEACON_SUBSCRIPTION_REJECTED);
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, "sip:bob@beacon.test")), ==,
                   BEACON_STATUS_OFFLINE);
  /* The user is told once. */
  g_assert_cmpuint (fixture->errors, ==, 1);
}

static void
test_plain_pidf_falls_back (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *doc = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><tuple id=\"t\"><status>"
                    "<basic>open</basic></status></tuple></presence>";
  g_autoptr(GBytes) body = g_bytes_new (doc, strlen (doc));

  beacon_buddy_list_add (fixture->buddies, B, NULL);
  beacon_sip_buddy_presence_apply_list_notify (fixture->presence, "application/pidf+xml", body);
  /* The server took the list URI for a user: no list. */
  g_assert_false (beacon_sip_buddy_presence_get_using_list (fixture->presence));
  g_assert_cmpint (beacon_buddy_get_status (buddy (fixture, B)), ==, BEACON_STATUS_OFFLINE);
}

/* ---- against a fake RLS ------------------------------------------------- */

typedef struct {
  guint         initial;        /* initial SUBSCRIBEs */
  guint         refreshes;
  guint         unsubscribes;
  nua_handle_t *first;          /* the first dialog, kept to notify on */
} Rls;

#define BOUNDARY "b0und4ry"

/* An RLMI NOTIFY body: bob with @basic, version @version. */
static char *
rlmi_body (guint       version,
           gboolean    full,
           const char *basic)
{
  return g_strdup_printf (
    "--" BOUNDARY "\r\nContent-Type: application/rlmi+xml\r\nContent-ID: <list>\r\n\r\n"
    "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:alice-list@fake.test\" version=\"%u\" "
    "fullState=\"%s\"><resource uri=\"sip:bob@fake.test\"><instance id=\"i1\" state=\"active\" "
    "cid=\"bob\"/></resource></list>\r\n"
    "--" BOUNDARY "\r\nContent-Type: application/pidf+xml\r\nContent-ID: <bob>\r\n\r\n"
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:bob@fake.test\"><tuple id=\"t\">"
    "<status><basic>%s</basic></status></tuple></presence>\r\n--" BOUNDARY "--\r\n",
    version, full ? "true" : "false", basic);
}

static void
rls_notify (nua_handle_t *nh,
            guint         version,
            gboolean      full,
            const char   *basic)
{
  g_autofree char *body = rlmi_body (version, full, basic);

  nua_notify (nh, SIPTAG_SUBSCRIPTION_STATE_STR ("active;expires=60"),
              SIPTAG_EVENT_STR ("presence"), SIPTAG_REQUIRE_STR ("eventlist"),
              SIPTAG_CONTENT_TYPE_STR ("multipart/related;type=\"application/rlmi+xml\";"
                                       "start=\"<list>\";boundary=\"" BOUNDARY "\""),
              SIPTAG_PAYLOAD_STR (body), TAG_END ());
}

static void
rls_subscribe (FakeSipPeer  *peer,
               nua_t        *nua,
               nua_handle_t *nh,
               const sip_t  *sip,
               gpointer      user_data)
{
  Rls *rls = user_data;

  if (sip->sip_expires != NULL && sip->sip_expires->ex_delta == 0)
    {
      rls->unsubscribes++;
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), SIPTAG_EXPIRES_STR ("0"), TAG_END ());
      nua_notify (nh, SIPTAG_SUBSCRIPTION_STATE_STR ("terminated;reason=timeout"),
                  SIPTAG_EVENT_STR ("presence"), TAG_END ());
      return;
    }
  nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), SIPTAG_EXPIRES_STR ("60"),
               SIPTAG_REQUIRE_STR ("eventlist"), TAG_END ());
  if (sip->sip_to->a_tag != NULL)
    {
      rls->refreshes++;  /* as Kamailio: no full state for a refresh */
      return;
    }
  /* Initial: the full state, bob as the n-th dialog knows him. */
  rls_notify (nh, 0, TRUE, rls->initial++ == 0 ? "closed" : "open");
  if (rls->first == NULL)
    rls->first = nua_handle_ref (nh);
}

typedef struct {
  BeaconBuddyList *buddies;
  Rls             *rls;
} LiveState;

static gboolean
bob_is (gpointer     data,
        BeaconStatus status)
{
  LiveState *state = data;
  BeaconBuddy *bob = beacon_buddy_list_lookup (state->buddies, "sip:bob@fake.test");

  return bob != NULL && beacon_buddy_get_status (bob) == status;
}

static gboolean bob_offline (gpointer data) { return bob_is (data, BEACON_STATUS_OFFLINE) &&
                                                     ((LiveState *) data)->rls->initial == 1; }
static gboolean bob_online (gpointer data) { return bob_is (data, BEACON_STATUS_ONLINE); }
static gboolean old_dialog_ended (gpointer data) { return ((LiveState *) data)->rls->unsubscribes >= 1; }

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean is_true (gpointer data) { return *(gboolean *) data; }

static void
test_lost_notify_resubscribes (void)
{
  Rls rls = { 0 };
  g_autoptr(FakeSipPeer) peer = fake_sip_peer_new (rls_subscribe, &rls);
  g_autoptr(BeaconSipUa) ua = NULL;
  g_autoptr(BeaconBuddyList) buddies = beacon_buddy_list_new ();
  g_autoptr(BeaconSipBuddyPresence) presence = NULL;
  g_autoptr(GError) error = NULL;
  LiveState state = { buddies, &rls };
  gboolean done = FALSE;

  ua = beacon_sip_ua_new ("sip:alice@fake.test", NULL, "pw", fake_sip_peer_get_address (peer),
                          BEACON_SIP_TRANSPORT_UDP, "127.0.0.1");
  g_assert_true (beacon_sip_ua_start (ua, &error));
  g_assert_no_error (error);
  beacon_buddy_list_add (buddies, "sip:bob@fake.test", NULL);
  presence = beacon_sip_buddy_presence_new (ua, buddies, "sip:alice-list@fake.test", 60);
  beacon_sip_buddy_presence_start (presence);

  /* Version 0, full state: bob offline. */
  g_assert_true (fake_sip_spin_until (bob_offline, &state, 5000));
  g_assert_true (beacon_sip_buddy_presence_get_using_list (presence));

  /* Version 1 never arrives; version 2 (partial) does: it is not applied
   * on top of a state with a hole in it, and a new subscription brings
   * the full state (bob online) while the old dialog is ended. */
  rls_notify (rls.first, 2, FALSE, "open");
  g_assert_true (fake_sip_spin_until (bob_online, &state, 5000));
  g_assert_cmpuint (rls.initial, ==, 2);
  g_assert_true (fake_sip_spin_until (old_dialog_ended, &state, 5000));
  g_assert_cmpuint (rls.refreshes, ==, 0);
  g_assert_true (beacon_sip_buddy_presence_get_using_list (presence));

  beacon_sip_buddy_presence_stop_async (presence, NULL, done_cb, &done);
  g_assert_true (fake_sip_spin_until (is_true, &done, 10000));
  done = FALSE;
  beacon_sip_ua_shutdown_async (ua, NULL, done_cb, &done);
  g_assert_true (fake_sip_spin_until (is_true, &done, 15000));
  nua_handle_unref (rls.first);
}

int
main (int   argc,
      char *argv[])
{
  const char *list = "sip:A-list@ps.cintel.net.cn";

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sip/buddy-presence/seed-sequence", Fixture, list,
              fixture_set_up, test_seed_sequence, fixture_tear_down);
  g_test_add ("/sip/buddy-presence/full-state-drops-others", Fixture, list,
              fixture_set_up, test_full_state_drops_others, fixture_tear_down);
  g_test_add ("/sip/buddy-presence/kamailio-sequence", Fixture, "sip:alice-list@beacon.test",
              fixture_set_up, test_kamailio_sequence, fixture_tear_down);
  g_test_add ("/sip/buddy-presence/partial-before-full", Fixture, "sip:alice-list@beacon.test",
              fixture_set_up, test_partial_before_full, fixture_tear_down);
  g_test_add ("/sip/buddy-presence/rejected-instance", Fixture, "sip:alice-list@beacon.test",
              fixture_set_up, test_rejected_instance, fixture_tear_down);
  g_test_add ("/sip/buddy-presence/plain-pidf-falls-back", Fixture, list,
              fixture_set_up, test_plain_pidf_falls_back, fixture_tear_down);

  g_test_add_func ("/sip/buddy-presence/lost-notify-resubscribes", test_lost_notify_resubscribes);
  return g_test_run ();
}
