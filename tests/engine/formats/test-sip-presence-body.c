/* test-sip-presence-body.c — presence NOTIFY bodies to per-buddy updates
 *
 * Fixtures: the seed's RLS NOTIFYs (2.1.2.1 M3, M7, M11, M15) and NOTIFYs
 * captured from Kamailio 5.6 (tests/data/sip-presence/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "formats/beacon-sip-presence-body.h"

#include "formats/beacon-format-error.h"
#include "formats/beacon-multipart.h"
#include "formats/beacon-sip-message.h"

/* Content-Type and body of a raw SIP message fixture. */
static BeaconSipPresenceBody *
parse_fixture (const char  *dir,
               const char  *name,
               const char  *resource,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", dir, name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(BeaconSipMessage) msg = NULL;
  gsize len;
  const char *body;
  gsize body_len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  msg = beacon_sip_message_parse (data, len, NULL);
  g_assert_nonnull (msg);
  body = g_bytes_get_data (msg->body, &body_len);
  return beacon_sip_presence_body_parse (beacon_sip_message_get_header (msg, "Content-Type"),
                                         body, body_len, resource, error);
}

static BeaconSipPresenceUpdate *
update_for (BeaconSipPresenceBody *body,
            const char            *uri)
{
  for (guint i = 0; i < body->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = g_ptr_array_index (body->updates, i);
      if (g_strcmp0 (update->uri, uri) == 0)
        return update;
    }
  return NULL;
}

static void
test_seed_full_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body =
    parse_fixture ("seed", "2.1.2.1-M3.sip", "sip:A-list@ps.cintel.net.cn", &error);
  BeaconSipPresenceUpdate *b, *c;

  g_assert_no_error (error);
  g_assert_true (body->is_list);
  g_assert_true (body->rlmi->full_state);
  g_assert_cmpuint (body->rlmi->version, ==, 1);
  g_assert_cmpuint (body->updates->len, ==, 2);

  b = update_for (body, "sip:B@ps.cintel.net.cn");
  g_assert_nonnull (b);
  g_assert_cmpstr (b->display_name, ==, "B");
  g_assert_cmpint (b->subscription, ==, BEACON_SUBSCRIPTION_ACTIVE);
  g_assert_true (b->has_presence);
  g_assert_cmpint (b->status, ==, BEACON_STATUS_OFFLINE);

  /* Found through the damaged `<nXYxAE@ ps.cintel.net.cn >` style CIDs. */
  c = update_for (body, "sip:C@ps.cintel.net.cn");
  g_assert_nonnull (c);
  g_assert_true (c->has_presence);
  g_assert_cmpint (c->status, ==, BEACON_STATUS_ONLINE);
}

static void
test_seed_partial (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body =
    parse_fixture ("seed", "2.1.2.1-M7.sip", NULL, &error);
  BeaconSipPresenceUpdate *b;

  g_assert_no_error (error);
  g_assert_true (body->is_list);
  g_assert_false (body->rlmi->full_state);
  g_assert_cmpuint (body->rlmi->version, ==, 2);
  g_assert_cmpuint (body->updates->len, ==, 1);
  b = update_for (body, "sip:B@ps.cintel.net.cn");
  g_assert_true (b->has_presence);
  g_assert_cmpint (b->status, ==, BEACON_STATUS_ONLINE);
}

static void
test_seed_refresh_and_final (void)
{
  const char *names[] = { "2.1.2.1-M11.sip", "2.1.2.1-M15.sip" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconSipPresenceBody) body = parse_fixture ("seed", names[i], NULL, &error);

      g_assert_no_error (error);
      g_assert_true (body->rlmi->full_state);
      g_assert_cmpuint (body->rlmi->version, ==, 3 + i);
      g_assert_cmpuint (body->updates->len, ==, 2);
      g_assert_cmpint (update_for (body, "sip:B@ps.cintel.net.cn")->status, ==, BEACON_STATUS_ONLINE);
      g_assert_cmpint (update_for (body, "sip:C@ps.cintel.net.cn")->status, ==, BEACON_STATUS_ONLINE);
    }
}

static void
test_kamailio_first_notify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body =
    parse_fixture ("sip-presence", "kamailio-rls-1-full-no-instances.sip", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (body->rlmi->full_state);
  g_assert_cmpuint (body->updates->len, ==, 2);
  for (guint i = 0; i < body->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = g_ptr_array_index (body->updates, i);

      /* No instance yet: not known, so not shown reachable. */
      g_assert_cmpint (update->subscription, ==, BEACON_SUBSCRIPTION_PENDING);
      g_assert_false (update->has_presence);
    }
  g_assert_nonnull (update_for (body, "sip:bob@beacon.test"));
  g_assert_nonnull (update_for (body, "sip:carol@beacon.test"));
}

static void
test_kamailio_partials (void)
{
  struct {
    const char   *name;
    guint         version;
    BeaconStatus  status;
    const char   *note;
  } cases[] = {
    { "kamailio-rls-2-bob-online.sip", 2, BEACON_STATUS_ONLINE, NULL },
    { "kamailio-rls-3-bob-busy-note.sip", 3, BEACON_STATUS_BUSY, "working" },
    /* after bob's un-PUBLISH: basic closed, the old <im>busy kept */
    { "kamailio-rls-4-bob-unpublished.sip", 4, BEACON_STATUS_OFFLINE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconSipPresenceBody) body =
        parse_fixture ("sip-presence", cases[i].name, NULL, &error);
      BeaconSipPresenceUpdate *bob;

      g_assert_no_error (error);
      g_assert_false (body->rlmi->full_state);
      g_assert_cmpuint (body->rlmi->version, ==, cases[i].version);
      g_assert_cmpuint (body->updates->len, ==, 1);
      bob = update_for (body, "sip:bob@beacon.test");
      g_assert_cmpint (bob->subscription, ==, BEACON_SUBSCRIPTION_ACTIVE);
      g_assert_true (bob->has_presence);
      g_assert_cmpint (bob->status, ==, cases[i].status);
      g_assert_cmpstr (bob->note, ==, cases[i].note);
    }
}

static void
test_plain_pidf (void)
{
  const char *doc =
    "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"pres:b@x\">"
    "<tuple id=\"t\"><status><basic>open</basic></status><note>lunch</note></tuple></presence>";
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body =
    beacon_sip_presence_body_parse ("application/pidf+xml;charset=UTF-8", doc, strlen (doc),
                                    "sip:b@x", &error);
  BeaconSipPresenceUpdate *update;

  g_assert_no_error (error);
  g_assert_false (body->is_list);
  g_assert_null (body->rlmi);
  g_assert_cmpuint (body->updates->len, ==, 1);
  update = g_ptr_array_index (body->updates, 0);
  /* The subscribed URI, not the pres: entity. */
  g_assert_cmpstr (update->uri, ==, "sip:b@x");
  g_assert_cmpint (update->status, ==, BEACON_STATUS_ONLINE);
  g_assert_cmpstr (update->note, ==, "lunch");
}

static void
test_empty_and_wrong (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) empty =
    beacon_sip_presence_body_parse (NULL, NULL, 0, "sip:b@x", &error);
  BeaconSipPresenceBody *wrong;

  g_assert_no_error (error);
  g_assert_cmpuint (empty->updates->len, ==, 0);

  wrong = beacon_sip_presence_body_parse ("text/html", "<p>", 3, "sip:b@x", &error);
  g_assert_null (wrong);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT);
  g_clear_error (&error);

  wrong = beacon_sip_presence_body_parse ("application/pidf+xml", "<presence", 9, "sip:b@x", &error);
  g_assert_null (wrong);
  g_assert_nonnull (error);
}

/* A multipart body built here: a broken PIDF part costs only its own
 * presence, a terminated instance says why, a nested list is flattened. */
static GBytes *
build_list (const char  *rlmi,
            GPtrArray   *extra_parts,
            char       **content_type)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_multipart_part_free);
  g_autoptr(GBytes) root = g_bytes_new (rlmi, strlen (rlmi));
  g_autoptr(GError) error = NULL;
  GBytes *built;

  g_ptr_array_add (parts, beacon_multipart_part_new ("root@x", "application/rlmi+xml", "utf-8", root));
  for (guint i = 0; extra_parts != NULL && i < extra_parts->len; i++)
    g_ptr_array_add (parts, g_ptr_array_index (extra_parts, i));
  if (extra_parts != NULL)
    g_ptr_array_set_free_func (extra_parts, NULL);
  built = beacon_multipart_build ("bOuNdArY42", "application/rlmi+xml", "root@x", parts,
                                  content_type, &error);
  g_assert_no_error (error);
  return built;
}

static void
test_built_list (void)
{
  const char *rlmi =
    "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:l@x\" version=\"7\" fullState=\"true\">"
    "<resource uri=\"sip:ok@x\"><instance id=\"1\" state=\"active\" cid=\"ok@x\"/></resource>"
    "<resource uri=\"sip:broken@x\"><instance id=\"2\" state=\"active\" cid=\"broken@x\"/></resource>"
    "<resource uri=\"sip:no@x\"><instance id=\"3\" state=\"terminated\" reason=\"rejected\"/></resource>"
    "<resource uri=\"sip:gone@x\"><instance id=\"4\" state=\"terminated\" reason=\"noresource\"/></resource>"
    "<resource uri=\"sip:missing@x\"><instance id=\"5\" state=\"active\" cid=\"nowhere@x\"/></resource>"
    "</list>";
  const char *ok = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><tuple id=\"a\"><status>"
                   "<basic>open</basic></status></tuple></presence>";
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GBytes) ok_body = g_bytes_new (ok, strlen (ok));
  g_autoptr(GBytes) broken_body = g_bytes_new ("<presence><tuple", 16);
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) built = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body = NULL;
  BeaconSipPresenceUpdate *update;
  gsize len;
  const char *data;

  g_ptr_array_add (extra, beacon_multipart_part_new ("ok@x", "application/pidf+xml", NULL, ok_body));
  g_ptr_array_add (extra, beacon_multipart_part_new ("broken@x", "application/pidf+xml", NULL, broken_body));
  built = build_list (rlmi, extra, &content_type);
  data = g_bytes_get_data (built, &len);
  body = beacon_sip_presence_body_parse (content_type, data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (body->updates->len, ==, 5);

  update = update_for (body, "sip:ok@x");
  g_assert_true (update->has_presence);
  g_assert_cmpint (update->status, ==, BEACON_STATUS_ONLINE);
  update = update_for (body, "sip:broken@x");
  g_assert_cmpint (update->subscription, ==, BEACON_SUBSCRIPTION_ACTIVE);
  g_assert_false (update->has_presence);
  update = update_for (body, "sip:no@x");
  g_assert_cmpint (update->subscription, ==, BEACON_SUBSCRIPTION_REJECTED);
  g_assert_cmpstr (update->reason, ==, "rejected");
  update = update_for (body, "sip:gone@x");
  g_assert_cmpint (update->subscription, ==, BEACON_SUBSCRIPTION_NONE);
  g_assert_cmpstr (update->reason, ==, "noresource");
  update = update_for (body, "sip:missing@x");
  g_assert_false (update->has_presence);
}

static void
test_nested_list (void)
{
  /* RFC 4662 section 5: a resource that is itself a list carries a
   * multipart/related part of its own. */
  const char *body_text =
    "--outer\r\n"
    "Content-ID: <root@x>\r\n"
    "Content-Type: application/rlmi+xml\r\n\r\n"
    "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:l@x\" version=\"1\" fullState=\"true\">"
    "<resource uri=\"sip:team@x\"><instance id=\"8\" state=\"active\" cid=\"team@x\"/></resource>"
    "<resource uri=\"sip:solo@x\"><instance id=\"7\" state=\"pending\"/></resource>"
    "</list>\r\n"
    "--outer\r\n"
    "Content-ID: <team@x>\r\n"
    "Content-Type: multipart/related;type=\"application/rlmi+xml\";start=\"<inner@x>\";boundary=\"inner\"\r\n\r\n"
    "--inner\r\n"
    "Content-ID: <inner@x>\r\n"
    "Content-Type: application/rlmi+xml\r\n\r\n"
    "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:team@x\" version=\"1\" fullState=\"true\">"
    "<resource uri=\"sip:deep@x\"><instance id=\"9\" state=\"active\" cid=\"deep@x\"/></resource>"
    "</list>\r\n"
    "--inner\r\n"
    "Content-ID: <deep@x>\r\n"
    "Content-Type: application/pidf+xml\r\n\r\n"
    "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><tuple id=\"a\"><status>"
    "<basic>open</basic><im>busy</im></status></tuple></presence>\r\n"
    "--inner--\r\n"
    "\r\n"
    "--outer--\r\n";
  const char *content_type =
    "multipart/related;type=\"application/rlmi+xml\";start=\"<root@x>\";boundary=\"outer\"";
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) body =
    beacon_sip_presence_body_parse (content_type, body_text, strlen (body_text), NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (body->rlmi->version, ==, 1);
  g_assert_cmpuint (body->updates->len, ==, 2);
  /* The nested list's member stands for the list resource. */
  g_assert_null (update_for (body, "sip:team@x"));
  g_assert_cmpint (update_for (body, "sip:deep@x")->status, ==, BEACON_STATUS_BUSY);
  g_assert_cmpint (update_for (body, "sip:solo@x")->subscription, ==, BEACON_SUBSCRIPTION_PENDING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/presence-body/seed-full-state", test_seed_full_state);
  g_test_add_func ("/sip/presence-body/seed-partial", test_seed_partial);
  g_test_add_func ("/sip/presence-body/seed-refresh-and-final", test_seed_refresh_and_final);
  g_test_add_func ("/sip/presence-body/kamailio-first-notify", test_kamailio_first_notify);
  g_test_add_func ("/sip/presence-body/kamailio-partials", test_kamailio_partials);
  g_test_add_func ("/sip/presence-body/plain-pidf", test_plain_pidf);
  g_test_add_func ("/sip/presence-body/empty-and-wrong", test_empty_and_wrong);
  g_test_add_func ("/sip/presence-body/built-list", test_built_list);
  g_test_add_func ("/sip/presence-body/nested-list", test_nested_list);

  return g_test_run ();
}
