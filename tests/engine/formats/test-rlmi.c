/* test-rlmi.c — RLMI (RFC 4662) parsing, building and version checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-rlmi.h"
#include "formats/beacon-xml.h"
#include "beacon-test-util.h"

static BeaconRlmi *
parse_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  BeaconRlmi *rlmi;

  data = beacon_test_load_fixture ("rlmi", name, &len);
  rlmi = beacon_rlmi_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rlmi);
  return rlmi;
}

static void
assert_fixture_error (const char *name,
                      int         code,
                      const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(BeaconRlmi) rlmi = NULL;
  gsize len = 0;

  data = beacon_test_load_fixture ("rlmi", name, &len);
  rlmi = beacon_rlmi_parse (data, len, &error);
  g_assert_null (rlmi);
  g_assert_error (error, BEACON_FORMAT_ERROR, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("%s: error “%s” does not mention “%s”", name, error->message, fragment);
}

static BeaconRlmiResource *
resource_at (const BeaconRlmi *rlmi,
             guint             i)
{
  g_assert_cmpuint (i, <, rlmi->resources->len);
  return g_ptr_array_index (rlmi->resources, i);
}

static void
assert_name (const BeaconRlmi *rlmi,
             guint             i,
             const char       *lang,
             const char       *text)
{
  const BeaconRlmiName *name;

  g_assert_cmpuint (i, <, rlmi->names->len);
  name = g_ptr_array_index (rlmi->names, i);
  g_assert_cmpstr (name->lang, ==, lang);
  g_assert_cmpstr (name->text, ==, text);
}

static void
assert_instance (const BeaconRlmiResource *resource,
                 guint                     i,
                 const char               *id,
                 BeaconRlmiState           state,
                 const char               *reason,
                 const char               *cid)
{
  const BeaconRlmiInstance *instance;

  g_assert_cmpuint (i, <, resource->instances->len);
  instance = g_ptr_array_index (resource->instances, i);
  g_assert_cmpstr (instance->id, ==, id);
  g_assert_cmpint (instance->state, ==, state);
  g_assert_cmpstr (instance->reason, ==, reason);
  g_assert_cmpstr (instance->cid, ==, cid);
}

static void
assert_resource (const BeaconRlmi *rlmi,
                 guint             i,
                 const char       *uri,
                 const char       *name,
                 guint             n_instances)
{
  const BeaconRlmiResource *resource = resource_at (rlmi, i);

  g_assert_cmpstr (resource->uri, ==, uri);
  g_assert_cmpstr (resource->name, ==, name);
  g_assert_cmpuint (resource->instances->len, ==, n_instances);
}

static void
assert_rlmi_equal (const BeaconRlmi *a,
                   const BeaconRlmi *b)
{
  g_assert_cmpstr (a->uri, ==, b->uri);
  g_assert_cmpuint (a->version, ==, b->version);
  g_assert_cmpint (a->full_state, ==, b->full_state);
  g_assert_cmpstr (a->cid, ==, b->cid);
  g_assert_cmpuint (a->names->len, ==, b->names->len);
  for (guint i = 0; i < a->names->len; i++)
    {
      const BeaconRlmiName *na = g_ptr_array_index (a->names, i);

      assert_name (b, i, na->lang, na->text);
    }
  g_assert_cmpuint (a->resources->len, ==, b->resources->len);
  for (guint i = 0; i < a->resources->len; i++)
    {
      const BeaconRlmiResource *ra = resource_at (a, i);
      const BeaconRlmiResource *rb = resource_at (b, i);

      assert_resource (b, i, ra->uri, ra->name, ra->instances->len);
      for (guint k = 0; k < ra->instances->len; k++)
        {
          const BeaconRlmiInstance *ia = g_ptr_array_index (ra->instances, k);

          assert_instance (rb, k, ia->id, ia->state, ia->reason, ia->cid);
        }
    }
}

/* Seed 2.1.2.1 M3: the first, full-state NOTIFY of A's buddy list. */
static void
test_seed_m3 (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("seed-2.1.2.1-m3.xml");

  g_assert_cmpstr (rlmi->uri, ==, "sip:A-list@ps.cintel.net.cn");
  g_assert_cmpuint (rlmi->version, ==, 1);
  g_assert_true (rlmi->full_state);
  g_assert_null (rlmi->cid);
  g_assert_cmpuint (rlmi->names->len, ==, 2);
  assert_name (rlmi, 0, "en", "Buddy List of A");
  assert_name (rlmi, 1, "de", "Liste der Freunde of A");
  g_assert_cmpuint (rlmi->resources->len, ==, 2);
  assert_resource (rlmi, 0, "sip:B@ps.cintel.net.cn", "B", 1);
  assert_instance (resource_at (rlmi, 0), 0, "juwigmtboe", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "B@ps.cintel.net.cn");
  assert_resource (rlmi, 1, "sip:C@ps.cintel.net.cn", "C", 1);
  assert_instance (resource_at (rlmi, 1), 0, "hqzsuxtfyq", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "C@ps.cintel.net.cn");
}

/* Seed 2.1.2.1 M7, M11, M15, and the version bookkeeping across M3..M15. */
static void
test_seed_sequence (void)
{
  static const struct {
    const char *file;
    guint version;
    gboolean full;
    guint n_resources;
    const char *b_instance;
  } steps[] = {
    { "seed-2.1.2.1-m3.xml", 1, TRUE, 2, "juwigmtboe" },
    { "seed-2.1.2.1-m7.xml", 2, FALSE, 1, "juwigmtbof" },
    { "seed-2.1.2.1-m11.xml", 3, TRUE, 2, "juwigmtbog" },
    { "seed-2.1.2.1-m15.xml", 4, TRUE, 2, "juwigmtboh" },
  };
  static const char *const c_instances[] = { "hqzsuxtfyq", NULL, "hqzsuxtfyh", "hqzsuxtfyi" };
  guint last = 0;
  gboolean have_last = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(BeaconRlmi) rlmi = parse_fixture (steps[i].file);

      g_assert_cmpstr (rlmi->uri, ==, "sip:A-list@ps.cintel.net.cn");
      g_assert_cmpuint (rlmi->version, ==, steps[i].version);
      g_assert_cmpint (rlmi->full_state, ==, steps[i].full);
      g_assert_cmpuint (rlmi->names->len, ==, 2);
      assert_name (rlmi, 0, "en", "Buddy List of A");
      assert_name (rlmi, 1, "de", "Liste der Freunde of A");
      g_assert_cmpuint (rlmi->resources->len, ==, steps[i].n_resources);
      assert_resource (rlmi, 0, "sip:B@ps.cintel.net.cn", "B", 1);
      assert_instance (resource_at (rlmi, 0), 0, steps[i].b_instance, BEACON_RLMI_STATE_ACTIVE,
                       NULL, "B@ps.cintel.net.cn");
      if (c_instances[i] != NULL)
        {
          assert_resource (rlmi, 1, "sip:C@ps.cintel.net.cn", "C", 1);
          assert_instance (resource_at (rlmi, 1), 0, c_instances[i], BEACON_RLMI_STATE_ACTIVE,
                           NULL, "C@ps.cintel.net.cn");
        }

      g_assert_cmpint (beacon_rlmi_check_version (last, have_last, rlmi), ==, BEACON_RLMI_APPLY);
      last = rlmi->version;
      have_last = TRUE;
    }

  /* M7 replayed after M15 is stale; M7 after M3 was lost before M11 is a gap. */
  {
    g_autoptr(BeaconRlmi) m7 = parse_fixture ("seed-2.1.2.1-m7.xml");

    g_assert_cmpint (beacon_rlmi_check_version (4, TRUE, m7), ==, BEACON_RLMI_IGNORE_STALE);
    g_assert_cmpint (beacon_rlmi_check_version (2, TRUE, m7), ==, BEACON_RLMI_IGNORE_STALE);
    g_assert_cmpint (beacon_rlmi_check_version (0, TRUE, m7), ==, BEACON_RLMI_NEED_RESUBSCRIBE);
    g_assert_cmpint (beacon_rlmi_check_version (0, FALSE, m7), ==, BEACON_RLMI_NEED_RESUBSCRIBE);
  }
}

static void
test_check_version (void)
{
  static const struct {
    guint last;
    gboolean have_last;
    guint version;
    gboolean full;
    BeaconRlmiApply expected;
  } cases[] = {
    { 0, FALSE, 0, TRUE, BEACON_RLMI_APPLY },
    { 0, FALSE, 5, TRUE, BEACON_RLMI_APPLY },
    { 0, FALSE, 1, FALSE, BEACON_RLMI_NEED_RESUBSCRIBE },
    { 7, TRUE, 3, TRUE, BEACON_RLMI_APPLY },          /* full state resets */
    { 7, TRUE, 7, TRUE, BEACON_RLMI_APPLY },
    { 7, TRUE, 8, FALSE, BEACON_RLMI_APPLY },
    { 7, TRUE, 7, FALSE, BEACON_RLMI_IGNORE_STALE },
    { 7, TRUE, 2, FALSE, BEACON_RLMI_IGNORE_STALE },
    { 7, TRUE, 9, FALSE, BEACON_RLMI_NEED_RESUBSCRIBE },
    { 0, TRUE, G_MAXUINT32, FALSE, BEACON_RLMI_NEED_RESUBSCRIBE },
    { G_MAXUINT32, TRUE, 0, FALSE, BEACON_RLMI_IGNORE_STALE },
    { G_MAXUINT32 - 1, TRUE, G_MAXUINT32, FALSE, BEACON_RLMI_APPLY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_new ("sip:l@x", cases[i].version, cases[i].full);

      g_assert_cmpint (beacon_rlmi_check_version (cases[i].last, cases[i].have_last, rlmi), ==,
                       cases[i].expected);
    }
}

/* Kamailio rls: the first NOTIFY lists the resources without instances. */
static void
test_kamailio_first_notify (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("kamailio-first-notify.xml");
  static const char *const uris[] = {
    "sip:bob@example.test", "sip:carol@example.test", "sip:dave@example.test",
  };

  g_assert_cmpstr (rlmi->uri, ==, "sip:alice-list@example.test");
  g_assert_cmpuint (rlmi->version, ==, 0);
  g_assert_true (rlmi->full_state);
  g_assert_cmpuint (rlmi->names->len, ==, 0);
  g_assert_cmpuint (rlmi->resources->len, ==, G_N_ELEMENTS (uris));
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      assert_resource (rlmi, i, uris[i], NULL, 0);
      g_assert_cmpint (beacon_rlmi_resource_state (resource_at (rlmi, i)), ==,
                       BEACON_RLMI_STATE_PENDING);
    }
  g_assert_cmpint (beacon_rlmi_check_version (0, FALSE, rlmi), ==, BEACON_RLMI_APPLY);
}

static void
test_kamailio_partial (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("kamailio-partial-update.xml");

  g_assert_cmpuint (rlmi->version, ==, 1);
  g_assert_false (rlmi->full_state);
  g_assert_cmpuint (rlmi->resources->len, ==, 3);
  assert_resource (rlmi, 0, "sip:bob@example.test", NULL, 1);
  assert_instance (resource_at (rlmi, 0), 0, "Scf8UhwQ", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "1700000000.sip:bob@example.test.1804289383");
  assert_resource (rlmi, 1, "sip:carol@example.test", NULL, 1);
  assert_instance (resource_at (rlmi, 1), 0, "Scf8UhwQ", BEACON_RLMI_STATE_PENDING, NULL, NULL);
  assert_resource (rlmi, 2, "sip:dave@example.test", NULL, 1);
  assert_instance (resource_at (rlmi, 2), 0, "Scf8UhwQ", BEACON_RLMI_STATE_TERMINATED,
                   "rejected", NULL);
  g_assert_cmpint (beacon_rlmi_resource_state (resource_at (rlmi, 0)), ==,
                   BEACON_RLMI_STATE_ACTIVE);
  g_assert_cmpint (beacon_rlmi_resource_state (resource_at (rlmi, 1)), ==,
                   BEACON_RLMI_STATE_PENDING);
  g_assert_cmpint (beacon_rlmi_resource_state (resource_at (rlmi, 2)), ==,
                   BEACON_RLMI_STATE_TERMINATED);
  g_assert_cmpint (beacon_rlmi_check_version (0, TRUE, rlmi), ==, BEACON_RLMI_APPLY);
}

/* Older Kamailio: instances without state, an empty cid. */
static void
test_kamailio_old_partial (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("kamailio-old-partial.xml");

  g_assert_cmpuint (rlmi->version, ==, 2);
  g_assert_false (rlmi->full_state);
  g_assert_cmpuint (rlmi->resources->len, ==, 2);
  assert_resource (rlmi, 0, "sip:carol@example.test", NULL, 1);
  assert_instance (resource_at (rlmi, 0), 0, "Scf8UhwQ", BEACON_RLMI_STATE_PENDING, NULL, NULL);
  assert_resource (rlmi, 1, "sip:dave@example.test", NULL, 1);
  assert_instance (resource_at (rlmi, 1), 0, "Scf8UhwQ", BEACON_RLMI_STATE_TERMINATED,
                   "sip:dave@example.test", NULL);
}

static void
test_flexisip_prefixed (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("flexisip-prefixed.xml");
  BeaconRlmiResource *jeanne;

  g_assert_cmpstr (rlmi->uri, ==, "sip:rls@sip.example.org;list=friends");
  g_assert_cmpuint (rlmi->version, ==, 12);
  g_assert_true (rlmi->full_state);
  g_assert_cmpuint (rlmi->names->len, ==, 1);
  assert_name (rlmi, 0, "fr", "Amis");
  g_assert_cmpuint (rlmi->resources->len, ==, 2);
  assert_resource (rlmi, 0, "sip:+33612345678@sip.example.org;user=phone", "Jeanne", 2);
  jeanne = resource_at (rlmi, 0);
  assert_instance (jeanne, 0, "urn:uuid:8c5e6b4a-1111-4b2f-9e0d-1c2f3a4b5c6d",
                   BEACON_RLMI_STATE_ACTIVE, NULL, "Zp3aT7X@sip.example.org");
  assert_instance (jeanne, 1, "urn:uuid:2f9a0c1e-2222-4d4e-8f60-7a8b9c0d1e2f",
                   BEACON_RLMI_STATE_TERMINATED, "timeout", "Qw8RtY2@sip.example.org");
  g_assert_cmpint (beacon_rlmi_resource_state (jeanne), ==, BEACON_RLMI_STATE_ACTIVE);
  assert_resource (rlmi, 1, "sip:marc@sip.example.org", NULL, 1);
  assert_instance (resource_at (rlmi, 1), 0, "k3j4h5", BEACON_RLMI_STATE_PENDING, NULL, NULL);
}

static void
test_whitespace_and_no_namespace (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("jitsi-whitespace.xml");

  g_assert_cmpstr (rlmi->uri, ==, "sip:buddies@jitsi.example.net");
  g_assert_cmpuint (rlmi->version, ==, 7);
  g_assert_true (rlmi->full_state);
  g_assert_cmpuint (rlmi->names->len, ==, 0);  /* the blank <name> is dropped */
  g_assert_cmpuint (rlmi->resources->len, ==, 2);
  assert_resource (rlmi, 0, "sip:lena@jitsi.example.net", NULL, 1);
  assert_instance (resource_at (rlmi, 0), 0, "a1", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "lena-part@jitsi.example.net");
  assert_resource (rlmi, 1, "sip:omar@jitsi.example.net", "Omar K.", 1);
  assert_instance (resource_at (rlmi, 1), 0, "b2", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "omar-part@jitsi.example.net");
}

static void
test_rejected_and_pending (void)
{
  g_autoptr(BeaconRlmi) rlmi = parse_fixture ("rfc4662-rejected.xml");

  g_assert_cmpstr (rlmi->uri, ==, "sip:adam-friends@pres.example.com");
  g_assert_cmpuint (rlmi->version, ==, 1);
  g_assert_true (rlmi->full_state);
  assert_name (rlmi, 0, "en", "Buddy List at COM");
  assert_name (rlmi, 1, "de", "Liste der Freunde an COM");
  g_assert_cmpuint (rlmi->resources->len, ==, 4);
  assert_resource (rlmi, 0, "sip:bob@example.com", "Bob Smith", 1);
  assert_instance (resource_at (rlmi, 0), 0, "juwigmtboe", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "bUZBsM@pres.example.com");
  assert_resource (rlmi, 1, "sip:dave@example.com", "Dave Jones", 1);
  assert_instance (resource_at (rlmi, 1), 0, "hqzsuxtfyq", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "ZvSvkz@pres.example.com");
  assert_resource (rlmi, 2, "sip:ed@example.net", "Ed at NET", 1);
  assert_instance (resource_at (rlmi, 2), 0, "ergh45", BEACON_RLMI_STATE_TERMINATED, "rejected",
                   NULL);
  assert_resource (rlmi, 3, "sip:fred@example.org", "Fred at ORG", 1);
  assert_instance (resource_at (rlmi, 3), 0, "cmpqweitlp", BEACON_RLMI_STATE_PENDING, NULL, NULL);
}

/* A nested list is a resource whose instance points at a part holding
 * another RLMI document; parsing that part links up by cid and uri. */
static void
test_nested_list (void)
{
  g_autoptr(BeaconRlmi) outer = parse_fixture ("nested-outer.xml");
  g_autoptr(BeaconRlmi) inner = parse_fixture ("nested-inner.xml");
  const BeaconRlmiInstance *link;

  g_assert_cmpstr (outer->uri, ==, "sip:adam@buddies.example.com");
  g_assert_cmpuint (outer->version, ==, 7);
  assert_name (outer, 0, "en", "Adam's buddies");
  g_assert_cmpuint (outer->resources->len, ==, 2);
  assert_resource (outer, 0, "sip:adam-friends@buddies.example.com", "Adam's Friends", 1);
  assert_instance (resource_at (outer, 0), 0, "fr81", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "nXYxAE@buddies.example.com");
  assert_resource (outer, 1, "sip:bob@example.com", "Bob Smith", 1);
  assert_instance (resource_at (outer, 1), 0, "bs31", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "bUZBsM@buddies.example.com");

  g_assert_cmpstr (inner->uri, ==, "sip:adam-friends@buddies.example.com");
  g_assert_cmpuint (inner->version, ==, 3);
  g_assert_true (inner->full_state);
  g_assert_cmpstr (inner->cid, ==, "nXYxAE@buddies.example.com");
  g_assert_cmpuint (inner->resources->len, ==, 1);
  assert_resource (inner, 0, "sip:ed@example.net", "Ed", 1);
  assert_instance (resource_at (inner, 0), 0, "ed1", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "K9dd2@buddies.example.com");

  link = g_ptr_array_index (resource_at (outer, 0)->instances, 0);
  g_assert_cmpstr (link->cid, ==, inner->cid);
  g_assert_cmpstr (resource_at (outer, 0)->uri, ==, inner->uri);
}

static void
test_tolerated_damage (void)
{
  g_autoptr(BeaconRlmi) unknown = parse_fixture ("unknown-state.xml");
  g_autoptr(BeaconRlmi) glued = parse_fixture ("glued-attributes.xml");
  g_autoptr(BeaconRlmi) wrong_ns = parse_fixture ("wrong-namespace.xml");

  g_assert_cmpuint (unknown->version, ==, 4);
  g_assert_false (unknown->full_state);
  assert_resource (unknown, 0, "sip:b@example.test", NULL, 1);
  assert_instance (resource_at (unknown, 0), 0, "x1", BEACON_RLMI_STATE_PENDING, NULL, NULL);

  g_assert_cmpstr (glued->uri, ==, "sip:A-list@ps.cintel.net.cn");
  g_assert_cmpuint (glued->version, ==, 5);
  g_assert_false (glued->full_state);
  assert_resource (glued, 0, "sip:B@ps.cintel.net.cn", "B", 1);
  assert_instance (resource_at (glued, 0), 0, "juwigmtboi", BEACON_RLMI_STATE_TERMINATED,
                   "deactivated", NULL);

  g_assert_cmpstr (wrong_ns->uri, ==, "sip:a-list@example.test");
  g_assert_cmpuint (wrong_ns->version, ==, 9);
  assert_resource (wrong_ns, 0, "sip:b@example.test", NULL, 1);
  assert_instance (resource_at (wrong_ns, 0), 0, "i", BEACON_RLMI_STATE_ACTIVE, NULL,
                   "b@example.test");
}

/* Multipart bodies often keep a CRLF before the XML declaration; glue
 * repair must not touch comments, CDATA or text. */
static void
test_repair_leaves_content_alone (void)
{
  static const char doc[] =
    "\r\n\r\n<?xml version=\"1.0\"?>\n"
    "<!-- a=\"1\"b=\"2\" -->"
    "<list uri=\"sip:l@x\"version=\"3\" fullState='false'cid=\"&lt;L@x&gt;\">"
    "<name xml:lang=\"en\"><![CDATA[q=\"1\"r & s]]> \"t\"u</name>"
    "<resource uri=\"sip:r@x\"><name>x=\"y\"z</name></resource></list>";
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_parse (doc, strlen (doc), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rlmi->uri, ==, "sip:l@x");
  g_assert_cmpuint (rlmi->version, ==, 3);
  g_assert_false (rlmi->full_state);
  g_assert_cmpstr (rlmi->cid, ==, "L@x");
  assert_name (rlmi, 0, "en", "q=\"1\"r & s \"t\"u");
  assert_resource (rlmi, 0, "sip:r@x", "x=\"y\"z", 0);
}

static void
test_errors (void)
{
  static const struct {
    const char *file;
    int code;
    const char *fragment;
  } cases[] = {
    { "wrong-root.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT, "<presence>" },
    { "missing-version.xml", BEACON_FORMAT_ERROR_MISSING, "version" },
    { "missing-uri.xml", BEACON_FORMAT_ERROR_MISSING, "uri" },
    { "missing-fullstate.xml", BEACON_FORMAT_ERROR_MISSING, "fullState" },
    { "version-negative.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "version “-1”" },
    { "version-abc.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "version “abc”" },
    { "version-overflow.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "4294967296" },
    { "fullstate-bad.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "fullState “maybe”" },
    { "resource-no-uri.xml", BEACON_FORMAT_ERROR_MISSING, "<resource> has no uri" },
    { "instance-no-id.xml", BEACON_FORMAT_ERROR_MISSING, "sip:b@example.test has no id" },
    { "truncated.xml", BEACON_FORMAT_ERROR_MALFORMED, NULL },
    { "bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN, NULL },
    { "external-entity.xml", BEACON_FORMAT_ERROR_FORBIDDEN, NULL },
    { "deep-nesting.xml", BEACON_FORMAT_ERROR_TOO_DEEP, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_fixture_error (cases[i].file, cases[i].code, cases[i].fragment);

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (beacon_rlmi_parse ("", 0, &error));
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING);
  }
}

static char *
many_resources (guint     n,
                gboolean  with_instances,
                gsize    *len)
{
  GString *s = g_string_new ("<?xml version=\"1.0\"?>\n<list xmlns=\"" BEACON_RLMI_NAMESPACE
                             "\" uri=\"sip:big@x\" version=\"1\" fullState=\"true\">\n");

  for (guint i = 0; i < n; i++)
    {
      if (with_instances)
        g_string_append_printf (s, "<resource uri=\"sip:u%u@x\">"
                                "<instance id=\"i\" state=\"active\"/></resource>\n", i);
      else
        g_string_append_printf (s, "<resource uri=\"sip:u%u@x\"/>\n", i);
    }
  g_string_append (s, "</list>\n");
  *len = s->len;
  return g_string_free (s, FALSE);
}

static void
test_limits (void)
{
  gsize len = 0;

  {
    g_autofree char *doc = many_resources (BEACON_RLMI_MAX_RESOURCES, FALSE, &len);
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_parse (doc, len, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rlmi->resources->len, ==, BEACON_RLMI_MAX_RESOURCES);
    assert_resource (rlmi, BEACON_RLMI_MAX_RESOURCES - 1, "sip:u9999@x", NULL, 0);
  }
  {
    g_autofree char *doc = many_resources (BEACON_RLMI_MAX_RESOURCES + 1, FALSE, &len);
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_parse (doc, len, &error);

    g_assert_null (rlmi);
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "10000 resources"));
  }
  {
    /* 20000 resources are over the XML element bound before our own. */
    g_autofree char *doc = many_resources (20000, FALSE, &len);
    g_autoptr(GError) error = NULL;

    g_assert_null (beacon_rlmi_parse (doc, len, &error));
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  }
  {
    g_autofree char *doc = many_resources (30000, TRUE, &len);
    g_autoptr(GError) error = NULL;

    g_assert_cmpuint (len, >, BEACON_XML_MAX_SIZE);
    g_assert_null (beacon_rlmi_parse (doc, len, &error));
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  }
}

static void
test_normalize_cid (void)
{
  static const struct {
    const char *raw;
    const char *expected;
  } cases[] = {
    { "B@ps.cintel.net.cn", "B@ps.cintel.net.cn" },
    { "<nXYxAE@ ps.cintel.net.cn >", "nXYxAE@ps.cintel.net.cn" },
    { "  <nXYxAG@ps.cintel.net.cn >\t", "nXYxAG@ps.cintel.net.cn" },
    { "cid:foo@bar", "foo@bar" },
    { "CID:foo@bar", "foo@bar" },
    { "<cid:foo@bar>", "foo@bar" },
    { "cid:<foo@bar>", "foo@bar" },
    { "cid:cid:x", "x" },
    { "<<x>>", "x" },
    { "a<b>", "a<b>" },
    { "<", "<" },
    { "<>", NULL },
    { "cid:", NULL },
    { "   ", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cid = beacon_rlmi_normalize_cid (cases[i].raw);
      g_autofree char *again = beacon_rlmi_normalize_cid (cid);

      g_assert_cmpstr (cid, ==, cases[i].expected);
      g_assert_cmpstr (again, ==, cid);
    }
}

static void
test_resource_state (void)
{
  g_autoptr(BeaconRlmiResource) r = beacon_rlmi_resource_new ("sip:r@x", NULL);

  g_assert_cmpint (beacon_rlmi_resource_state (r), ==, BEACON_RLMI_STATE_PENDING);
  g_ptr_array_add (r->instances, beacon_rlmi_instance_new ("1", BEACON_RLMI_STATE_TERMINATED,
                                                           "timeout", NULL));
  g_assert_cmpint (beacon_rlmi_resource_state (r), ==, BEACON_RLMI_STATE_TERMINATED);
  g_ptr_array_add (r->instances, beacon_rlmi_instance_new ("2", BEACON_RLMI_STATE_PENDING,
                                                           NULL, NULL));
  g_assert_cmpint (beacon_rlmi_resource_state (r), ==, BEACON_RLMI_STATE_PENDING);
  g_ptr_array_add (r->instances, beacon_rlmi_instance_new ("3", BEACON_RLMI_STATE_ACTIVE,
                                                           NULL, "c@x"));
  g_assert_cmpint (beacon_rlmi_resource_state (r), ==, BEACON_RLMI_STATE_ACTIVE);
}

/* Every readable fixture survives parse → build → parse unchanged. */
static void
test_round_trip_fixtures (void)
{
  static const char *const files[] = {
    "seed-2.1.2.1-m3.xml", "seed-2.1.2.1-m7.xml", "seed-2.1.2.1-m11.xml",
    "seed-2.1.2.1-m15.xml", "kamailio-first-notify.xml", "kamailio-partial-update.xml",
    "kamailio-old-partial.xml", "flexisip-prefixed.xml", "jitsi-whitespace.xml",
    "rfc4662-rejected.xml", "nested-outer.xml", "nested-inner.xml", "unknown-state.xml",
    "glued-attributes.xml", "wrong-namespace.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(BeaconRlmi) first = parse_fixture (files[i]);
      g_autoptr(BeaconRlmi) second = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = NULL;
      gsize len = 0;

      xml = beacon_rlmi_build (first, &len);
      g_assert_nonnull (xml);
      g_assert_cmpuint (len, ==, strlen (xml));
      g_assert_nonnull (strstr (xml, "xmlns=\"" BEACON_RLMI_NAMESPACE "\""));
      second = beacon_rlmi_parse (xml, len, &error);
      g_assert_no_error (error);
      assert_rlmi_equal (first, second);
    }
}

static void
test_build (void)
{
  g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_new ("sip:a&b-list@x", 42, FALSE);
  g_autoptr(BeaconRlmi) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  BeaconRlmiResource *r;
  gsize len = 0;

  g_ptr_array_add (rlmi->names, beacon_rlmi_name_new ("zh", "A 的好友 <&> \"quoted\""));
  g_ptr_array_add (rlmi->names, beacon_rlmi_name_new (NULL, "no language"));
  r = beacon_rlmi_resource_new ("sip:b@x;p=\"1\"", "B & co");
  g_ptr_array_add (r->instances, beacon_rlmi_instance_new ("i1", BEACON_RLMI_STATE_TERMINATED,
                                                           "giveup", NULL));
  g_ptr_array_add (r->instances, beacon_rlmi_instance_new ("i2", BEACON_RLMI_STATE_ACTIVE,
                                                           NULL, "b.part@x"));
  g_ptr_array_add (rlmi->resources, r);
  g_ptr_array_add (rlmi->resources, beacon_rlmi_resource_new ("sip:c@x", NULL));

  xml = beacon_rlmi_build (rlmi, &len);
  g_assert_nonnull (strstr (xml, "version=\"42\""));
  g_assert_nonnull (strstr (xml, "fullState=\"false\""));
  g_assert_nonnull (strstr (xml, "xml:lang=\"zh\""));
  back = beacon_rlmi_parse (xml, len, &error);
  g_assert_no_error (error);
  assert_rlmi_equal (rlmi, back);
  assert_name (back, 0, "zh", "A 的好友 <&> \"quoted\"");
  assert_resource (back, 0, "sip:b@x;p=\"1\"", "B & co", 2);
  assert_instance (resource_at (back, 0), 1, "i2", BEACON_RLMI_STATE_ACTIVE, NULL, "b.part@x");
  assert_resource (back, 1, "sip:c@x", NULL, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rlmi/seed/m3", test_seed_m3);
  g_test_add_func ("/rlmi/seed/sequence", test_seed_sequence);
  g_test_add_func ("/rlmi/check-version", test_check_version);
  g_test_add_func ("/rlmi/kamailio/first-notify", test_kamailio_first_notify);
  g_test_add_func ("/rlmi/kamailio/partial", test_kamailio_partial);
  g_test_add_func ("/rlmi/kamailio/old-partial", test_kamailio_old_partial);
  g_test_add_func ("/rlmi/flexisip-prefixed", test_flexisip_prefixed);
  g_test_add_func ("/rlmi/whitespace-no-namespace", test_whitespace_and_no_namespace);
  g_test_add_func ("/rlmi/rejected-pending", test_rejected_and_pending);
  g_test_add_func ("/rlmi/nested-list", test_nested_list);
  g_test_add_func ("/rlmi/tolerated-damage", test_tolerated_damage);
  g_test_add_func ("/rlmi/repair-leaves-content", test_repair_leaves_content_alone);
  g_test_add_func ("/rlmi/errors", test_errors);
  g_test_add_func ("/rlmi/limits", test_limits);
  g_test_add_func ("/rlmi/normalize-cid", test_normalize_cid);
  g_test_add_func ("/rlmi/resource-state", test_resource_state);
  g_test_add_func ("/rlmi/round-trip", test_round_trip_fixtures);
  g_test_add_func ("/rlmi/build", test_build);

  return g_test_run ();
}
