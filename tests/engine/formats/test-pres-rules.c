/* test-pres-rules.c — RFC 4745 / RFC 5025 pres-rules documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-xml.h"

#define BOB     "sip:bob@example.test"
#define CAROL   "sip:carol@example.test"
#define MALLORY "sip:mallory@example.test"
#define EVE     "sip:eve@example.test"

static BeaconPresRules *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "xcap", name, NULL);
  g_autoptr(GError) load_error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &load_error);
  g_assert_no_error (load_error);
  return beacon_pres_rules_parse (data, len, error);
}

static BeaconPresRule *
rule_at (BeaconPresRules *rules,
         guint            i)
{
  g_assert_cmpuint (i, <, rules->rules->len);
  return g_ptr_array_index (rules->rules, i);
}

static BeaconPresRules *
rebuild (const BeaconPresRules *rules)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *xml = beacon_pres_rules_build (rules, &len);
  BeaconPresRules *again;

  g_assert_cmpuint (len, ==, strlen (xml));
  again = beacon_pres_rules_parse (xml, len, &error);
  g_assert_no_error (error);
  /* What Beacon writes, Kamailio reads. */
  g_assert_false (again->invalid_for_kamailio);
  return again;
}

static void
assert_strv (GPtrArray         *array,
             const char *const *expected)
{
  guint n = expected != NULL ? g_strv_length ((char **) expected) : 0;

  g_assert_cmpuint (array->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (array, i), ==, expected[i]);
}

static void
assert_list (BeaconPresRules   *rules,
             BeaconSubHandling  handling,
             const char *const *expected)
{
  g_autoptr(GPtrArray) uris = beacon_pres_rules_list (rules, handling);

  assert_strv (uris, expected);
}

static gboolean
str_arrays_equal (GPtrArray *a,
                  GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
assert_rules_equal (BeaconPresRules *a,
                    BeaconPresRules *b)
{
  g_assert_cmpuint (a->rules->len, ==, b->rules->len);
  for (guint i = 0; i < a->rules->len; i++)
    {
      BeaconPresRule *ra = rule_at (a, i), *rb = rule_at (b, i);

      g_assert_cmpstr (ra->id, ==, rb->id);
      g_assert_true (str_arrays_equal (ra->identities, rb->identities));
      g_assert_cmpint (ra->any_identity, ==, rb->any_identity);
      g_assert_cmpstr (ra->domain, ==, rb->domain);
      g_assert_true (str_arrays_equal (ra->except_ids, rb->except_ids));
      g_assert_true (str_arrays_equal (ra->except_domains, rb->except_domains));
      g_assert_cmpint (ra->handling, ==, rb->handling);
      g_assert_cmpint (ra->provide_all, ==, rb->provide_all);
      g_assert_cmpuint (ra->extra_conditions->len, ==, rb->extra_conditions->len);
      g_assert_cmpuint (ra->extra_actions->len, ==, rb->extra_actions->len);
      g_assert_cmpuint (ra->extra_transformations->len, ==, rb->extra_transformations->len);
    }
}

/* Kamailio's presence_xml: the FIRST rule whose <one id> equals the
 * watcher, or whose <many> domain fits (its <except id> test never matches,
 * so it is left out here). -1 when no rule matches. */
static int
kamailio_first_match (const BeaconPresRules *rules,
                      const char            *uri)
{
  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);
      const char *host = strchr (uri, '@') + 1;

      for (guint k = 0; k < rule->identities->len; k++)
        if (strcmp (g_ptr_array_index (rule->identities, k), uri) == 0)
          return rule->handling;
      if (rule->any_identity && (rule->domain == NULL || strcmp (rule->domain, host) == 0))
        return rule->handling;
    }
  return -1;
}

static void
assert_kamailio_agrees (const BeaconPresRules *rules,
                        const char            *uri)
{
  g_autoptr(BeaconPresRules) written = rebuild (rules);
  BeaconSubHandling handling;
  int expected = beacon_pres_rules_lookup_explicit (rules, uri, &handling) ? (int) handling : -1;

  g_test_message ("%s", uri);
  g_assert_cmpint (kamailio_first_match (written, uri), ==, expected);
}

static void
test_seed_element (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("seed-pres-rule-element.xml", &error);
  BeaconPresRule *rule;
  BeaconSubHandling handling = BEACON_SUB_HANDLING_BLOCK;
  g_autofree char *xml = NULL;

  /* Undeclared cr: prefixes, <cr:id entity> without a scheme and the glued
   * `<provide-unknown-attributename=` do not sink it. */
  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  g_assert_cmpuint (rules->rules->len, ==, 1);
  rule = rule_at (rules, 0);
  g_assert_cmpstr (rule->id, ==, "1");
  assert_strv (rule->identities, (const char *[]) { "sip:A@ps.cintel.net.cn", NULL });
  g_assert_false (rule->any_identity);
  g_assert_cmpint (rule->handling, ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_false (rule->provide_all);
  g_assert_cmpuint (rule->extra_transformations->len, ==, 2);
  g_assert_nonnull (
      strstr (g_ptr_array_index (rule->extra_transformations, 1), "name=\"new:foo\""));

  g_assert_true (beacon_pres_rules_lookup_explicit (rules, "sip:A@PS.cintel.net.cn", &handling));
  g_assert_cmpint (handling, ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:a@ps.cintel.net.cn", NULL));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:a@ps.cintel.net.cn"), ==,
                   BEACON_SUB_HANDLING_CONFIRM);

  /* Written back whole, the unknown transformation survives. */
  xml = beacon_pres_rules_build (rules, NULL);
  g_assert_nonnull (
      strstr (xml, "<provide-unknown-attribute name=\"new:foo\">true</provide-unknown-attribute>"));
  g_assert_nonnull (strstr (xml, "<cr:one id=\"sip:A@ps.cintel.net.cn\"/>"));
}

static void
test_seed_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) doc = parse_fixture ("seed-pres-rules.xml", &error);
  g_autoptr(BeaconPresRules) element = parse_fixture ("seed-pres-rule-element.xml", &error);

  g_assert_no_error (error);
  assert_rules_equal (doc, element);
}

static void
test_kamailio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("kamailio-pres-rules.xml", &error);
  g_autoptr(GPtrArray) blacklist = NULL;

  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  g_assert_cmpuint (rules->rules->len, ==, 3);
  g_assert_true (beacon_pres_rules_find_rule (rules, "beacon-allow")->provide_all);
  g_assert_cmpuint (beacon_pres_rules_find_rule (rules, "beacon-allow")->extra_transformations->len,
                    ==, 0);
  g_assert_false (beacon_pres_rules_find_rule (rules, "beacon-block")->provide_all);
  g_assert_null (beacon_pres_rules_find_rule (rules, "beacon-confirm"));

  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, EVE), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, CAROL), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:stranger@example.test", NULL));
  assert_list (rules, BEACON_SUB_HANDLING_ALLOW, (const char *[]) { BOB, CAROL, NULL });
  blacklist = beacon_pres_rules_blacklist (rules);
  assert_strv (blacklist, (const char *[]) { MALLORY, EVE, NULL });
}

static void
test_rfc5025 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("rfc5025-pres-rules.xml", &error);
  BeaconPresRule *a, *b;

  g_assert_no_error (error);
  a = beacon_pres_rules_find_rule (rules, "a");
  g_assert_true (a->any_identity);
  g_assert_cmpuint (a->identities->len, ==, 0);
  g_assert_cmpstr (a->domain, ==, "example.com");
  assert_strv (a->except_ids, (const char *[]) { "sip:spammer@example.com", NULL });
  assert_strv (a->except_domains, (const char *[]) { "evil.example.com", NULL });
  g_assert_false (a->provide_all);
  g_assert_cmpuint (a->extra_transformations->len, ==, 4);
  b = beacon_pres_rules_find_rule (rules, "b");
  g_assert_cmpuint (b->extra_conditions->len, ==, 2);

  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:anyone@EXAMPLE.com"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:spammer@example.com", NULL));
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:x@evil.example.com", NULL));
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:x@example.org", NULL));
  /* Rule b has conditions Beacon cannot evaluate; rule a still covers boss. */
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:boss@example.com"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  assert_list (rules, BEACON_SUB_HANDLING_CONFIRM, NULL);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:mom@family.example"), ==,
                   BEACON_SUB_HANDLING_POLITE_BLOCK);
}

static void
test_jitsi (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("jitsi-pres-rules.xml", &error);
  g_autoptr(BeaconPresRules) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (rules->rules->len, ==, 3);
  assert_strv (rule_at (rules, 0)->identities, (const char *[]){ "sip:Friend@example.test", NULL });
  g_assert_true (rule_at (rules, 0)->provide_all);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "<sip:Friend@EXAMPLE.TEST>"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:foe@example.test"), ==,
                   BEACON_SUB_HANDLING_BLOCK);
  /* An empty <cp:identity/> names nobody: it is not written back. */
  g_assert_cmpuint (rule_at (rules, 2)->identities->len, ==, 0);
  g_assert_false (rule_at (rules, 2)->any_identity);
  again = rebuild (rules);
  g_assert_cmpuint (again->rules->len, ==, 2);
  g_assert_null (beacon_pres_rules_find_rule (again, "pres_politeblocklist"));
}

static void
test_blink (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("blink-pres-rules.xml", &error);
  BeaconPresRule *granted;
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  g_assert_true (rule_at (rules, 0)->provide_all);
  granted = beacon_pres_rules_find_rule (rules, "wp_prs_grantedcontacts");
  g_assert_true (granted->any_identity);
  g_assert_cmpuint (granted->extra_conditions->len, ==, 1);
  /* Only the rule Beacon can evaluate applies. */
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, BOB, NULL));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:alice@example.test"), ==,
                   BEACON_SUB_HANDLING_ALLOW);

  /* Blocking Bob leaves the rules with unknown conditions untouched (an
   * <except> there would make Kamailio allow everybody else). */
  g_assert_true (beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_BLOCK));
  g_assert_cmpuint (granted->except_ids->len, ==, 0);
  xml = beacon_pres_rules_build (rules, NULL);
  g_assert_null (strstr (xml, "<cr:many"));
  g_assert_nonnull (strstr (xml, "ocp:external-list"));
}

static void
test_invalid_for_kamailio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("no-conditions-pres-rules.xml", &error);
  g_autoptr(BeaconPresRules) comment = NULL;
  g_autoptr(BeaconPresRules) again = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) parsed = NULL;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (rules->invalid_for_kamailio);
  /* RFC 4745: a rule without conditions matches everybody, and the most
   * permissive matching rule wins. */
  g_assert_true (beacon_pres_rules_find_rule (rules, "everyone")->any_identity);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:x@example.test"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_ALLOW);

  /* The rewrite gives every rule conditions. */
  xml = beacon_pres_rules_build (rules, NULL);
  parsed = beacon_xml_parse (xml, strlen (xml), BEACON_XML_STRICT, NULL);
  for (xmlNode *r = beacon_xml_child (xmlDocGetRootElement (parsed), "rule"); r != NULL;
       r = beacon_xml_next (r, "rule"), n++)
    g_assert_nonnull (beacon_xml_child (beacon_xml_child (r, "conditions"), "identity"));
  g_assert_cmpuint (n, ==, 2);
  again = rebuild (rules);

  comment = parse_fixture ("comment-pres-rules.xml", &error);
  g_assert_no_error (error);
  g_assert_true (comment->invalid_for_kamailio);
  /* An unknown sub-handling reads as confirm, what Kamailio does without one. */
  g_assert_cmpint (rule_at (comment, 0)->handling, ==, BEACON_SUB_HANDLING_CONFIRM);
}

static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("large-pres-rules.xml", &error);
  g_autoptr(GPtrArray) allowed = NULL;

  g_assert_no_error (error);
  /* 5001 <cr:one>, one of them the first watcher spelled differently. */
  g_assert_cmpuint (rule_at (rules, 0)->identities->len, ==, 5000);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:w4999@example.test"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_true (
      beacon_pres_rules_set_handling (rules, "sip:w0@example.test", BEACON_SUB_HANDLING_BLOCK));
  allowed = beacon_pres_rules_list (rules, BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpuint (allowed->len, ==, 4999);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:w0@example.test"), ==,
                   BEACON_SUB_HANDLING_BLOCK);
}

static void
test_hostile (void)
{
  static const struct {
    const char *file;
    int code;
  } cases[] = {
    { "hostile-xxe.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-deep.xml", BEACON_FORMAT_ERROR_TOO_DEEP },
    { "hostile-huge-pres-rules.xml", BEACON_FORMAT_ERROR_TOO_LARGE },
    /* Recovering would write back fewer rules. */
    { "hostile-truncated-pres-rules.xml", BEACON_FORMAT_ERROR_MALFORMED },
    { "hostile-not-xml.txt", BEACON_FORMAT_ERROR_MALFORMED },
    { "kamailio-resource-lists.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconPresRules) rules = parse_fixture (cases[i].file, &error);

      g_test_message ("%s", cases[i].file);
      g_assert_null (rules);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
    }
}

static void
test_build_shape (void)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();
  g_autofree char *empty = beacon_pres_rules_build (rules, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) parsed = NULL;
  xmlNode *root, *rule, *one, *sub, *tr;
  g_autofree char *id = NULL;
  g_autofree char *value = NULL;

  /* An empty rule set is still a valid whole document. */
  g_assert_nonnull (strstr (empty, "<cr:ruleset xmlns:cr=\"" BEACON_COMMON_POLICY_NS "\""));

  beacon_pres_rules_set_handling (rules, "<sip:Bob@Example.TEST>", BEACON_SUB_HANDLING_ALLOW);
  xml = beacon_pres_rules_build (rules, NULL);
  parsed = beacon_xml_parse (xml, strlen (xml), BEACON_XML_STRICT, NULL);
  root = xmlDocGetRootElement (parsed);
  g_assert_cmpstr ((const char *) root->name, ==, "ruleset");
  g_assert_cmpstr ((const char *) root->ns->href, ==, BEACON_COMMON_POLICY_NS);
  g_assert_cmpstr ((const char *) root->ns->prefix, ==, "cr");
  rule = beacon_xml_child (root, "rule");
  id = beacon_xml_prop (rule, "id");
  g_assert_cmpstr (id, ==, "beacon-allow");
  one = beacon_xml_child (beacon_xml_child (beacon_xml_child (rule, "conditions"), "identity"),
                          "one");
  value = beacon_xml_prop (one, "id");
  g_assert_cmpstr (value, ==, "sip:Bob@example.test");
  g_assert_cmpstr ((const char *) one->ns->href, ==, BEACON_COMMON_POLICY_NS);
  sub = beacon_xml_child (beacon_xml_child (rule, "actions"), "sub-handling");
  g_assert_cmpstr ((const char *) sub->ns->href, ==, BEACON_PRES_RULES_NS);
  g_clear_pointer (&value, g_free);
  value = beacon_xml_text (sub);
  g_assert_cmpstr (value, ==, "allow");
  /* Kamailio's presence_xml shows everything to allowed watchers. */
  tr = beacon_xml_child (rule, "transformations");
  g_assert_nonnull (beacon_xml_child (beacon_xml_child (tr, "provide-services"), "all-services"));
  g_assert_nonnull (beacon_xml_child (beacon_xml_child (tr, "provide-persons"), "all-persons"));
  g_assert_nonnull (beacon_xml_child (beacon_xml_child (tr, "provide-devices"), "all-devices"));
  g_assert_nonnull (beacon_xml_child (tr, "provide-all-attributes"));
  g_assert_cmpstr ((const char *) beacon_xml_child (tr, "provide-all-attributes")->ns->href, ==,
                   BEACON_PRES_RULES_NS);
}

static void
test_allow_then_block (void)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();
  g_autoptr(BeaconPresRules) written = NULL;

  g_assert_true (beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_ALLOW));
  g_assert_false (
      beacon_pres_rules_set_handling (rules, "SIP:bob@EXAMPLE.test", BEACON_SUB_HANDLING_ALLOW));
  g_assert_true (beacon_pres_rules_set_handling (rules, CAROL, BEACON_SUB_HANDLING_ALLOW));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, BOB), ==, BEACON_SUB_HANDLING_ALLOW);

  /* Blocking moves Bob: he is only in the block rule. */
  g_assert_true (beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_BLOCK));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, BOB), ==, BEACON_SUB_HANDLING_BLOCK);
  assert_list (rules, BEACON_SUB_HANDLING_ALLOW, (const char *[]) { CAROL, NULL });
  assert_list (rules, BEACON_SUB_HANDLING_BLOCK, (const char *[]) { BOB, NULL });
  /* Rules are ordered for Kamailio's first match: block first. */
  g_assert_cmpstr (rule_at (rules, 0)->id, ==, "beacon-block");
  g_assert_cmpstr (rule_at (rules, 1)->id, ==, "beacon-allow");
  written = rebuild (rules);
  assert_rules_equal (rules, written);
  g_assert_cmpint (beacon_pres_rules_lookup (written, BOB), ==, BEACON_SUB_HANDLING_BLOCK);

  /* Unblocking removes him everywhere; the emptied block rule goes. */
  g_assert_true (beacon_pres_rules_remove (rules, BOB));
  g_assert_false (beacon_pres_rules_remove (rules, BOB));
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, BOB, NULL));
  g_assert_null (beacon_pres_rules_find_rule (rules, "beacon-block"));
  g_assert_cmpuint (rules->rules->len, ==, 1);

  g_assert_true (beacon_pres_rules_remove (rules, CAROL));
  g_assert_cmpuint (rules->rules->len, ==, 0);
  g_assert_false (beacon_pres_rules_set_handling (rules, "  ", BEACON_SUB_HANDLING_ALLOW));
}

static void
test_blacklist (void)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();
  g_autoptr(GPtrArray) blacklist = NULL;

  beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_ALLOW);
  beacon_pres_rules_set_handling (rules, EVE, BEACON_SUB_HANDLING_POLITE_BLOCK);
  beacon_pres_rules_set_handling (rules, MALLORY, BEACON_SUB_HANDLING_BLOCK);
  beacon_pres_rules_set_handling (rules, CAROL, BEACON_SUB_HANDLING_CONFIRM);
  blacklist = beacon_pres_rules_blacklist (rules);
  assert_strv (blacklist, (const char *[]) { MALLORY, EVE, NULL });
  g_assert_cmpstr (rule_at (rules, 0)->id, ==, "beacon-block");
  g_assert_cmpstr (rule_at (rules, 1)->id, ==, "beacon-confirm");
  g_assert_cmpstr (rule_at (rules, 2)->id, ==, "beacon-polite-block");
  g_assert_cmpstr (rule_at (rules, 3)->id, ==, "beacon-allow");
  g_assert_cmpint (beacon_pres_rules_lookup (rules, CAROL), ==, BEACON_SUB_HANDLING_CONFIRM);
  g_assert_true (beacon_pres_rules_lookup_explicit (rules, CAROL, NULL));
  for (const char *const *u = (const char *[]){ BOB, CAROL, EVE, MALLORY, "sip:x@y", NULL }; *u;
       u++)
    assert_kamailio_agrees (rules, *u);
}

/* A foreign document with the same watcher in two rules ends with one. */
static void
test_move_out_of_foreign_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPresRules) rules = parse_fixture ("kamailio-pres-rules.xml", &error);

  g_assert_no_error (error);
  /* Make Mallory appear in the allow rule too, as another client might. */
  g_ptr_array_add (beacon_pres_rules_find_rule (rules, "beacon-allow")->identities,
                   g_strdup (MALLORY));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_true (beacon_pres_rules_set_handling (rules, MALLORY, BEACON_SUB_HANDLING_BLOCK));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_BLOCK);
  assert_list (rules, BEACON_SUB_HANDLING_ALLOW, (const char *[]) { BOB, CAROL, NULL });

  g_assert_true (beacon_pres_rules_set_handling (rules, EVE, BEACON_SUB_HANDLING_ALLOW));
  g_assert_null (beacon_pres_rules_find_rule (rules, "beacon-polite-block"));
  assert_list (rules, BEACON_SUB_HANDLING_ALLOW, (const char *[]) { BOB, CAROL, EVE, NULL });
}

static void
test_default_rule (void)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();
  BeaconPresRule *def;

  beacon_pres_rules_set_handling (rules, MALLORY, BEACON_SUB_HANDLING_BLOCK);
  beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_ALLOW);
  g_assert_true (beacon_pres_rules_set_default (rules, BEACON_SUB_HANDLING_ALLOW));
  g_assert_false (beacon_pres_rules_set_default (rules, BEACON_SUB_HANDLING_ALLOW));
  def = beacon_pres_rules_find_rule (rules, "beacon-default");
  g_assert_true (def->any_identity);
  g_assert_true (def->provide_all);
  /* The blocked watcher is excepted, so the RFC's "highest wins" keeps him
   * blocked; the <many> rule comes last for Kamailio's "first wins". */
  assert_strv (def->except_ids, (const char *[]) { MALLORY, NULL });
  g_assert_true (rule_at (rules, rules->rules->len - 1) == def);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:stranger@else.where"), ==,
                   BEACON_SUB_HANDLING_ALLOW);

  /* Newly blocked and polite-blocked watchers are excepted too. */
  g_assert_true (beacon_pres_rules_set_handling (rules, EVE, BEACON_SUB_HANDLING_POLITE_BLOCK));
  assert_strv (def->except_ids, (const char *[]) { MALLORY, EVE, NULL });
  g_assert_cmpint (beacon_pres_rules_lookup (rules, EVE), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  /* Allowing him drops the exception he no longer needs. */
  g_assert_true (beacon_pres_rules_set_handling (rules, MALLORY, BEACON_SUB_HANDLING_ALLOW));
  assert_strv (def->except_ids, (const char *[]) { EVE, NULL });
  for (const char *const *u = (const char *[]) { BOB, EVE, MALLORY, "sip:x@y", NULL }; *u; u++)
    assert_kamailio_agrees (rules, *u);

  /* A polite-block default keeps confirm-level watchers excepted only. */
  beacon_pres_rules_set_handling (rules, CAROL, BEACON_SUB_HANDLING_CONFIRM);
  g_assert_true (beacon_pres_rules_set_default (rules, BEACON_SUB_HANDLING_POLITE_BLOCK));
  def = beacon_pres_rules_find_rule (rules, "beacon-default");
  assert_strv (def->except_ids, (const char *[]) { CAROL, NULL });
  g_assert_false (def->provide_all);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:x@y"), ==,
                   BEACON_SUB_HANDLING_POLITE_BLOCK);

  /* Unblocking a watcher hands him to the default. */
  g_assert_true (beacon_pres_rules_remove (rules, CAROL));
  g_assert_cmpuint (def->except_ids->len, ==, 0);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, CAROL), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);

  /* Confirm is the server's own default: no rule for it. */
  g_assert_true (beacon_pres_rules_set_default (rules, BEACON_SUB_HANDLING_CONFIRM));
  g_assert_false (beacon_pres_rules_set_default (rules, BEACON_SUB_HANDLING_CONFIRM));
  g_assert_null (beacon_pres_rules_find_rule (rules, "beacon-default"));
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:x@y", NULL));
}

/* RFC 4745 combining: the highest sub-handling of all matching rules,
 * whatever their order. */
static void
test_rfc_combining (void)
{
  static const BeaconSubHandling orders[][3] = {
    { BEACON_SUB_HANDLING_ALLOW, BEACON_SUB_HANDLING_BLOCK, BEACON_SUB_HANDLING_CONFIRM },
    { BEACON_SUB_HANDLING_BLOCK, BEACON_SUB_HANDLING_ALLOW, BEACON_SUB_HANDLING_CONFIRM },
    { BEACON_SUB_HANDLING_CONFIRM, BEACON_SUB_HANDLING_POLITE_BLOCK, BEACON_SUB_HANDLING_BLOCK },
  };
  static const BeaconSubHandling expected[] = {
    BEACON_SUB_HANDLING_ALLOW, BEACON_SUB_HANDLING_ALLOW, BEACON_SUB_HANDLING_POLITE_BLOCK,
  };

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();

      for (guint k = 0; k < 3; k++)
        {
          g_autofree char *id = g_strdup_printf ("r%u", k);
          BeaconPresRule *rule = beacon_pres_rule_new (id, orders[i][k]);

          g_ptr_array_add (rule->identities, g_strdup (BOB));
          g_ptr_array_add (rules->rules, rule);
        }
      g_assert_cmpint (beacon_pres_rules_lookup (rules, BOB), ==, expected[i]);
    }
}

static void
test_id_collision (void)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_new_empty ();
  BeaconPresRule *foreign = beacon_pres_rule_new ("beacon-allow", BEACON_SUB_HANDLING_BLOCK);

  g_ptr_array_add (foreign->identities, g_strdup (MALLORY));
  g_ptr_array_add (rules->rules, foreign);
  g_assert_true (beacon_pres_rules_set_handling (rules, BOB, BEACON_SUB_HANDLING_ALLOW));
  g_assert_nonnull (beacon_pres_rules_find_rule (rules, "beacon-allow-2"));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, BOB), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, MALLORY), ==, BEACON_SUB_HANDLING_BLOCK);
}

static void
test_round_trip_fixtures (void)
{
  static const char *const files[] = {
    "seed-pres-rule-element.xml", "seed-pres-rules.xml", "kamailio-pres-rules.xml",
    "rfc5025-pres-rules.xml", "blink-pres-rules.xml", "no-conditions-pres-rules.xml",
    "comment-pres-rules.xml", "large-pres-rules.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconPresRules) rules = parse_fixture (files[i], &error);
      g_autoptr(BeaconPresRules) again = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;

      g_test_message ("%s", files[i]);
      g_assert_no_error (error);
      again = rebuild (rules);
      assert_rules_equal (rules, again);
      /* Building is stable: what was written reads and writes the same. */
      first = beacon_pres_rules_build (rules, NULL);
      second = beacon_pres_rules_build (again, NULL);
      g_assert_cmpstr (first, ==, second);
    }
}

static void
test_sub_handling_strings (void)
{
  BeaconSubHandling h = BEACON_SUB_HANDLING_ALLOW;

  g_assert_true (BEACON_SUB_HANDLING_BLOCK < BEACON_SUB_HANDLING_CONFIRM);
  g_assert_true (BEACON_SUB_HANDLING_CONFIRM < BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_assert_true (BEACON_SUB_HANDLING_POLITE_BLOCK < BEACON_SUB_HANDLING_ALLOW);
  g_assert_true (beacon_sub_handling_from_string (" polite-block\n", &h));
  g_assert_cmpint (h, ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_assert_cmpstr (beacon_sub_handling_to_string (h), ==, "polite-block");
  g_assert_false (beacon_sub_handling_from_string ("politeblock", &h));
  g_assert_false (beacon_sub_handling_from_string (NULL, &h));
  g_assert_cmpint (h, ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
}

/* A watcher named three times in one rule is kept once (the third name
 * read freed memory: fuzz-xcap, tests/data/xcap/fuzz-crash-dedup-three-names.xml). */
static void
test_identity_named_thrice (void)
{
  const char *xml =
    "<cr:ruleset xmlns:cr='urn:ietf:params:xml:ns:common-policy'"
    " xmlns:pr='urn:ietf:params:xml:ns:pres-rules'>"
    "<cr:rule id='r'><cr:conditions><cr:identity>"
    "<cr:one id='sip:a@x.test'/><cr:one id='sip:a@x.test'/><cr:one id='sip:b@x.test'/>"
    "<cr:one id='sip:a@x.test'/><cr:one id='sip:b@x.test'/>"
    "</cr:identity></cr:conditions>"
    "<cr:actions><pr:sub-handling>block</pr:sub-handling></cr:actions></cr:rule></cr:ruleset>";
  g_autoptr(GError) error = NULL;
  BeaconPresRules *rules = beacon_pres_rules_parse (xml, strlen (xml), &error);
  BeaconPresRule *rule;

  g_assert_no_error (error);
  rule = g_ptr_array_index (rules->rules, 0);
  g_assert_cmpuint (rule->identities->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (rule->identities, 0), ==, "sip:a@x.test");
  g_assert_cmpstr (g_ptr_array_index (rule->identities, 1), ==, "sip:b@x.test");
  beacon_pres_rules_free (rules);
}

/* The user's answer and the rule it writes: the one mapping. */
static void
test_authorization_to_handling (void)
{
  g_assert_cmpint (beacon_authorization_to_handling (BEACON_AUTHORIZE_ALLOW), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_authorization_to_handling (BEACON_AUTHORIZE_ALLOW_AND_ADD), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_authorization_to_handling (BEACON_AUTHORIZE_BLOCK), ==,
                   BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_authorization_to_handling (BEACON_AUTHORIZE_POLITE_BLOCK), ==,
                   BEACON_SUB_HANDLING_POLITE_BLOCK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xcap/pres-rules/seed-element", test_seed_element);
  g_test_add_func ("/xcap/pres-rules/seed-document", test_seed_document);
  g_test_add_func ("/xcap/pres-rules/kamailio", test_kamailio);
  g_test_add_func ("/xcap/pres-rules/rfc5025", test_rfc5025);
  g_test_add_func ("/xcap/pres-rules/jitsi", test_jitsi);
  g_test_add_func ("/xcap/pres-rules/blink", test_blink);
  g_test_add_func ("/xcap/pres-rules/invalid-for-kamailio", test_invalid_for_kamailio);
  g_test_add_func ("/xcap/pres-rules/large", test_large);
  g_test_add_func ("/xcap/pres-rules/hostile", test_hostile);
  g_test_add_func ("/xcap/pres-rules/build-shape", test_build_shape);
  g_test_add_func ("/xcap/pres-rules/allow-then-block", test_allow_then_block);
  g_test_add_func ("/xcap/pres-rules/blacklist", test_blacklist);
  g_test_add_func ("/xcap/pres-rules/move-out-of-foreign-rules", test_move_out_of_foreign_rules);
  g_test_add_func ("/xcap/pres-rules/default-rule", test_default_rule);
  g_test_add_func ("/xcap/pres-rules/rfc-combining", test_rfc_combining);
  g_test_add_func ("/xcap/pres-rules/id-collision", test_id_collision);
  g_test_add_func ("/xcap/pres-rules/round-trip-fixtures", test_round_trip_fixtures);
  g_test_add_func ("/xcap/pres-rules/sub-handling-strings", test_sub_handling_strings);
  g_test_add_func ("/xcap/pres-rules/authorization-to-handling", test_authorization_to_handling);
  g_test_add_func ("/xcap/pres-rules/identity-named-thrice", test_identity_named_thrice);

  return g_test_run ();
}
