/* test-resource-lists.c — RFC 4826 resource-lists documents, XCAP URIs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-resource-lists.h"
#include "formats/beacon-xml.h"
#include "beacon-test-util.h"

static BeaconResourceLists *
parse_fixture (const char  *name,
               GError     **error)
{
  gsize len;
  g_autofree char *data = beacon_test_load_fixture ("xcap", name, &len);

  return beacon_resource_lists_parse (data, len, error);
}

static BeaconResourceEntry *
entry_at (BeaconResourceList *list,
          guint               i)
{
  g_assert_cmpuint (i, <, list->entries->len);
  return g_ptr_array_index (list->entries, i);
}

static BeaconResourceList *
list_at (GPtrArray *lists,
         guint      i)
{
  g_assert_cmpuint (i, <, lists->len);
  return g_ptr_array_index (lists, i);
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

static gboolean
lists_equal (const BeaconResourceList *a,
             const BeaconResourceList *b)
{
  if (g_strcmp0 (a->name, b->name) != 0 || g_strcmp0 (a->display_name, b->display_name) != 0 ||
      a->entries->len != b->entries->len || a->lists->len != b->lists->len ||
      !str_arrays_equal (a->externals, b->externals) ||
      !str_arrays_equal (a->entry_refs, b->entry_refs))
    return FALSE;
  for (guint i = 0; i < a->entries->len; i++)
    {
      BeaconResourceEntry *ea = g_ptr_array_index (a->entries, i);
      BeaconResourceEntry *eb = g_ptr_array_index (b->entries, i);
      if (g_strcmp0 (ea->uri, eb->uri) != 0 || g_strcmp0 (ea->display_name, eb->display_name) != 0)
        return FALSE;
    }
  for (guint i = 0; i < a->lists->len; i++)
    if (!lists_equal (g_ptr_array_index (a->lists, i), g_ptr_array_index (b->lists, i)))
      return FALSE;
  return TRUE;
}

static gboolean
docs_equal (const BeaconResourceLists *a,
            const BeaconResourceLists *b)
{
  if (a->lists->len != b->lists->len)
    return FALSE;
  for (guint i = 0; i < a->lists->len; i++)
    if (!lists_equal (g_ptr_array_index (a->lists, i), g_ptr_array_index (b->lists, i)))
      return FALSE;
  return TRUE;
}

static BeaconResourceLists *
rebuild (const BeaconResourceLists *doc)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *xml = beacon_resource_lists_build (doc, &len);
  BeaconResourceLists *again;

  g_assert_nonnull (xml);
  g_assert_cmpuint (len, ==, strlen (xml));
  again = beacon_resource_lists_parse (xml, len, &error);
  g_assert_no_error (error);
  return again;
}

static void
test_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("seed-resource-lists.xml", &error);
  BeaconResourceList *buddies;

  /* `<?xml version="1.0"encoding=` and `<entryuri=` are repaired. */
  g_assert_no_error (error);
  g_assert_cmpuint (doc->lists->len, ==, 1);
  buddies = list_at (doc->lists, 0);
  g_assert_cmpstr (buddies->name, ==, "buddies");
  g_assert_cmpuint (buddies->entries->len, ==, 1);
  g_assert_cmpstr (entry_at (buddies, 0)->uri, ==, "sip:C@ps.cintel.net.cn");
  g_assert_cmpstr (entry_at (buddies, 0)->display_name, ==, "C");
  g_assert_true (beacon_resource_lists_find_list (doc, "buddies") == buddies);
}

static void
test_seed_element_is_not_a_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("seed-entry-element.xml", &error);

  g_assert_null (doc);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT);
  g_assert_nonnull (strstr (error->message, "<entry>"));
}

static void
test_kamailio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("kamailio-resource-lists.xml", &error);
  BeaconResourceList *buddies;

  g_assert_no_error (error);
  buddies = beacon_resource_lists_find_list (doc, "buddies");
  g_assert_nonnull (buddies);
  g_assert_cmpuint (buddies->entries->len, ==, 3);
  g_assert_cmpstr (entry_at (buddies, 0)->display_name, ==, "Bob");
  g_assert_cmpstr (entry_at (buddies, 1)->uri, ==, "sip:carol@example.test");
  g_assert_cmpstr (entry_at (buddies, 1)->display_name, ==, "Carol & co");
  g_assert_cmpstr (entry_at (buddies, 2)->uri, ==, "sip:dave@example.test");
  g_assert_null (entry_at (buddies, 2)->display_name);
}

static void
test_rfc4826_nested (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("rfc4826-resource-lists.xml", &error);
  BeaconResourceList *friends, *close;

  g_assert_no_error (error);
  g_assert_cmpuint (doc->lists->len, ==, 1);
  friends = list_at (doc->lists, 0);
  g_assert_cmpstr (friends->name, ==, "friends");
  g_assert_null (friends->display_name);
  g_assert_cmpuint (friends->entries->len, ==, 1);
  g_assert_cmpstr (entry_at (friends, 0)->display_name, ==, "Bill Doe");
  g_assert_cmpuint (friends->entry_refs->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (friends->entry_refs, 0),
                                   "entry%5b@uri=%22sip:petri@example.com%22%5d"));

  close = beacon_resource_lists_find_list (doc, "close-friends");
  g_assert_true (close == list_at (friends->lists, 0));
  g_assert_cmpstr (close->display_name, ==, "Close Friends");
  g_assert_cmpuint (close->entries->len, ==, 2);
  g_assert_cmpstr (entry_at (close, 1)->display_name, ==, "Nancy Gross");
  g_assert_cmpuint (close->externals->len, ==, 1);
  g_assert_true (
      g_str_has_prefix (g_ptr_array_index (close->externals, 0), "http://xcap.example.org/"));
  g_assert_null (beacon_resource_lists_find_list (doc, "enemies"));
  /* find_entry looks at the list itself, not inside nested lists. */
  g_assert_null (beacon_resource_list_find_entry (friends, "sip:joe@example.com"));
  g_assert_nonnull (beacon_resource_list_find_entry (close, "sip:joe@example.com"));
}

static void
test_jitsi_prefixed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("jitsi-resource-lists.xml", &error);
  BeaconResourceList *root, *work;

  g_assert_no_error (error);
  root = beacon_resource_lists_find_list (doc, "RootGroup");
  g_assert_nonnull (root);
  /* White space and <> around the URI are not part of it. */
  g_assert_cmpuint (root->entries->len, ==, 1);
  g_assert_cmpstr (entry_at (root, 0)->uri, ==, "sip:alice@example.test");
  work = beacon_resource_lists_find_list (doc, "Work");
  g_assert_true (work == list_at (root->lists, 0));
  g_assert_cmpstr (work->display_name, ==, "Work");
  g_assert_cmpstr (entry_at (work, 0)->uri, ==, "sip:Boss@Example.TEST");
  /* Scheme and host compare without case, the user part with it. */
  g_assert_nonnull (beacon_resource_list_find_entry (work, "SIP:Boss@example.test"));
  g_assert_nonnull (beacon_resource_list_find_entry (work, " <sip:Boss@EXAMPLE.test> "));
  g_assert_null (beacon_resource_list_find_entry (work, "sip:boss@example.test"));
}

static void
test_blink (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("blink-resource-lists.xml", &error);
  BeaconResourceList *list;

  g_assert_no_error (error);
  g_assert_cmpuint (doc->lists->len, ==, 4);
  list = beacon_resource_lists_find_list (doc, "oma_buddylist");
  g_assert_cmpuint (list->entries->len, ==, 0);
  g_assert_cmpuint (list->externals->len, ==, 1);
  list = beacon_resource_lists_find_list (doc, "oma_allcontacts");
  g_assert_cmpstr (entry_at (list, 0)->display_name, ==, "Bob");
  list = beacon_resource_lists_find_list (doc, "oma_blockedcontacts");
  g_assert_cmpuint (list->entries->len + list->lists->len + list->externals->len, ==, 0);
}

static void
test_linphone_unnamed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("linphone-resource-lists.xml", &error);
  BeaconResourceList *list;

  g_assert_no_error (error);
  list = list_at (doc->lists, 0);
  g_assert_null (list->name);
  /* The <entry/> without a uri is skipped; parameters stay. */
  g_assert_cmpuint (list->entries->len, ==, 2);
  g_assert_cmpstr (entry_at (list, 1)->uri, ==, "sip:dave@example.test;user=phone");
}

static void
test_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) doc = parse_fixture ("large-resource-lists.xml", &error);
  BeaconResourceList *list;
  BeaconResourceEntry *entry;

  g_assert_no_error (error);
  list = beacon_resource_lists_find_list (doc, "buddies");
  g_assert_cmpuint (list->entries->len, ==, 4000);
  entry = beacon_resource_list_find_entry (list, "sip:u3999@example.test");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->display_name, ==, "User 3999");
}

static void
test_hostile (void)
{
  static const struct {
    const char *file;
    int code;
  } cases[] = {
    { "hostile-bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-xxe.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-xxe-rls.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-deep.xml", BEACON_FORMAT_ERROR_TOO_DEEP },
    { "hostile-huge.xml", BEACON_FORMAT_ERROR_TOO_LARGE },
    /* Not recovered: a shorter list written back would drop buddies. */
    { "hostile-truncated.xml", BEACON_FORMAT_ERROR_MALFORMED },
    { "hostile-not-xml.txt", BEACON_FORMAT_ERROR_MALFORMED },
    { "kamailio-rls-services.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconResourceLists) doc = parse_fixture (cases[i].file, &error);

      g_test_message ("%s", cases[i].file);
      g_assert_null (doc);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconResourceLists) doc = beacon_resource_lists_parse ("", 0, &error);
    g_assert_null (doc);
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING);
  }
}

static void
test_round_trip_built (void)
{
  g_autoptr(BeaconResourceLists) doc = beacon_resource_lists_new ();
  g_autoptr(BeaconResourceLists) again = NULL;
  BeaconResourceList *buddies = beacon_resource_lists_ensure_list (doc, "buddies");
  BeaconResourceList *nested = beacon_resource_list_new (NULL);

  buddies->display_name = g_strdup ("Buddies <&> \"all\"");
  g_assert_true (beacon_resource_list_add_entry (buddies, "sip:bob@example.test", "Bob & Co <x>"));
  g_assert_true (beacon_resource_list_add_entry (buddies, "sip:陈@example.test", "陈"));
  g_assert_true (beacon_resource_list_add_entry (buddies, "sip:nodisplay@example.test", NULL));
  g_ptr_array_add (nested->externals, g_strdup ("http://x.example/a?b=1&c=2"));
  g_ptr_array_add (nested->entry_refs, g_strdup ("resource-lists/users/sip:a@b/index"));
  g_assert_true (beacon_resource_list_add_entry (nested, "sip:deep@example.test", "Deep"));
  g_ptr_array_add (buddies->lists, nested);
  beacon_resource_lists_ensure_list (doc, "empty");
  g_assert_true (beacon_resource_lists_ensure_list (doc, "buddies") == buddies);

  again = rebuild (doc);
  g_assert_true (docs_equal (doc, again));
  g_assert_cmpuint (again->lists->len, ==, 2);
}

/* Every fixture that parses survives build → parse unchanged. */
static void
test_round_trip_fixtures (void)
{
  static const char *const files[] = {
    "seed-resource-lists.xml", "kamailio-resource-lists.xml", "rfc4826-resource-lists.xml",
    "jitsi-resource-lists.xml", "blink-resource-lists.xml", "linphone-resource-lists.xml",
    "large-resource-lists.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconResourceLists) doc = parse_fixture (files[i], &error);
      g_autoptr(BeaconResourceLists) again = NULL;

      g_test_message ("%s", files[i]);
      g_assert_no_error (error);
      again = rebuild (doc);
      g_assert_true (docs_equal (doc, again));
    }
}

static void
test_build_shape (void)
{
  g_autoptr(BeaconResourceLists) doc = beacon_resource_lists_new ();
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) parsed = NULL;
  xmlNode *root, *list, *entry;
  g_autofree char *uri = NULL;

  beacon_resource_list_add_entry (beacon_resource_lists_ensure_list (doc, "buddies"),
                                  "sip:bob@example.test", "Bob");
  xml = beacon_resource_lists_build (doc, NULL);
  g_assert_true (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  parsed = beacon_xml_parse (xml, strlen (xml), BEACON_XML_STRICT, NULL);
  root = xmlDocGetRootElement (parsed);
  g_assert_cmpstr ((const char *) root->name, ==, "resource-lists");
  g_assert_cmpstr ((const char *) root->ns->href, ==, BEACON_RESOURCE_LISTS_NS);
  g_assert_null (root->ns->prefix);
  list = beacon_xml_child (root, "list");
  entry = beacon_xml_child (list, "entry");
  g_assert_cmpstr ((const char *) entry->ns->href, ==, BEACON_RESOURCE_LISTS_NS);
  uri = beacon_xml_prop (entry, "uri");
  g_assert_cmpstr (uri, ==, "sip:bob@example.test");
}

static void
test_editing (void)
{
  g_autoptr(BeaconResourceList) list = beacon_resource_list_new ("buddies");

  g_assert_true (beacon_resource_list_add_entry (list, "sip:bob@example.test", "Bob"));
  /* The same URI in another spelling is already there. */
  g_assert_false (beacon_resource_list_add_entry (list, "<SIP:bob@EXAMPLE.TEST>", "Bobby"));
  g_assert_true (beacon_resource_list_add_entry (list, "sip:Bob@example.test", "Other Bob"));
  g_assert_false (beacon_resource_list_add_entry (list, "  ", NULL));
  g_assert_false (beacon_resource_list_add_entry (list, NULL, NULL));
  g_assert_cmpuint (list->entries->len, ==, 2);
  g_assert_cmpstr (beacon_resource_list_find_entry (list, "sip:bob@example.test")->display_name,
                   ==, "Bob");

  g_assert_true (beacon_resource_list_remove_entry (list, " sip:bob@Example.Test "));
  g_assert_false (beacon_resource_list_remove_entry (list, "sip:bob@example.test"));
  g_assert_null (beacon_resource_list_find_entry (list, "sip:bob@example.test"));
  g_assert_cmpuint (list->entries->len, ==, 1);
  g_assert_cmpstr (entry_at (list, 0)->uri, ==, "sip:Bob@example.test");
}

static void
test_uri_equal (void)
{
  g_autofree char *n1 = beacon_xcap_uri_normalize (" <SIP:Alice@Example.COM;transport=TCP> ");
  g_autofree char *n2 = beacon_xcap_uri_normalize ("A@ps.cintel.net.cn");
  g_autofree char *n3 = beacon_xcap_uri_normalize ("tel:+1-555-0100");

  g_assert_cmpstr (n1, ==, "sip:Alice@example.com;transport=TCP");
  g_assert_cmpstr (n2, ==, "sip:A@ps.cintel.net.cn");
  g_assert_cmpstr (n3, ==, "tel:+1-555-0100");
  g_assert_null (beacon_xcap_uri_normalize (" <> "));
  g_assert_true (beacon_xcap_uri_equal ("sip:bob@EXAMPLE.test", "Sip:bob@example.TEST"));
  g_assert_false (beacon_xcap_uri_equal ("sip:bob@example.test", "sip:Bob@example.test"));
  g_assert_false (beacon_xcap_uri_equal ("sip:bob@example.test", "sips:bob@example.test"));
  g_assert_false (beacon_xcap_uri_equal (NULL, NULL));
}

static void
test_selector (void)
{
  g_autoptr(GError) error = NULL;
  char *s;

  s = beacon_xcap_entry_selector ("buddies", "sip:B@d", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==,
                   "resource-lists/list%5b@name=%22buddies%22%5d/entry%5b@uri=%22sip:B@d%22%5d");
  g_free (s);

  /* Space, %, non-ASCII encoded; `~ = : @ /` kept; a `"` switches to '. */
  s = beacon_xcap_entry_selector ("my friends 100%", "sip:陈~x=y@d/e", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "resource-lists/list%5b@name=%22my%20friends%20100%25%22%5d"
                          "/entry%5b@uri=%22sip:%e9%99%88~x=y@d/e%22%5d");
  g_free (s);
  s = beacon_xcap_entry_selector ("a\"b", "sip:x?y#z@d", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==,
                   "resource-lists/list%5b@name='a%22b'%5d/entry%5b@uri=%22sip:x%3fy%23z@d%22%5d");
  g_free (s);

  s = beacon_xcap_entry_selector ("a\"'b", "sip:x@d", 0, &error);
  g_assert_null (s);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* Kamailio caps the whole URI at 255 bytes. */
  s = beacon_xcap_entry_selector ("buddies", "sip:B@d", 74, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (s), ==, 74);
  g_free (s);
  s = beacon_xcap_entry_selector ("buddies", "sip:B@d", 73, &error);
  g_assert_null (s);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  s = beacon_xcap_list_selector ("buddies", &error);
  g_assert_cmpstr (s, ==, "resource-lists/list%5b@name=%22buddies%22%5d");
  g_free (s);
  s = beacon_xcap_document_url ("http://127.0.0.1:5080/xcap-root/", "resource-lists",
                                "sip:alice@example.test", "index");
  g_assert_cmpstr (
      s, ==, "http://127.0.0.1:5080/xcap-root/resource-lists/users/sip:alice@example.test/index");
  g_free (s);
  s = beacon_xcap_document_url ("http://h", "pres-rules", "sip:a/b c@d", "x/y");
  g_assert_cmpstr (s, ==, "http://h/pres-rules/users/sip:a%2fb%20c@d/x%2fy");
  g_free (s);
}

static void
test_entry_element (void)
{
  g_autofree char *body
      = beacon_resource_entry_build_element (" <sip:bob@example.test> ", "Bob & <Co>");
  g_autoptr(xmlDoc) parsed = NULL;
  xmlNode *entry;
  g_autofree char *display = NULL;
  g_autofree char *uri = NULL;

  g_assert_false (g_str_has_prefix (body, "<?xml"));
  parsed = beacon_xml_parse (body, strlen (body), BEACON_XML_STRICT, NULL);
  g_assert_nonnull (parsed);
  entry = xmlDocGetRootElement (parsed);
  g_assert_cmpstr ((const char *) entry->name, ==, "entry");
  g_assert_cmpstr ((const char *) entry->ns->href, ==, BEACON_RESOURCE_LISTS_NS);
  uri = beacon_xml_prop (entry, "uri");
  g_assert_cmpstr (uri, ==, "sip:bob@example.test");
  display = beacon_xml_child_text (entry, "display-name");
  g_assert_cmpstr (display, ==, "Bob & <Co>");
  g_free (g_steal_pointer (&body));

  body = beacon_resource_entry_build_element ("sip:carol@example.test", NULL);
  g_assert_cmpstr (
      body, ==, "<entry xmlns=\"" BEACON_RESOURCE_LISTS_NS "\" uri=\"sip:carol@example.test\"/>");
}

static void
test_repair (void)
{
  static const char *const cases[][2] = {
    { "<?xmlversion=\"1.0\" encoding=\"UTF-8\"?><a/>",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>" },
    { "<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>" },
    { "<entryuri=\"sip:C@d\">", "<entry uri=\"sip:C@d\">" },
    { "<provide-unknown-attributename=\"new:foo\">true</provide-unknown-attribute>",
      "<provide-unknown-attribute name=\"new:foo\">true</provide-unknown-attribute>" },
    { "<w resource=\"x\"package=\"presence\">", "<w resource=\"x\" package=\"presence\">" },
    /* Text, comments and well-formed tags are left alone. */
    { "<a b='1' c=\"2\">x=\"y\"z<!-- <q\"r=> --></a>",
      "<a b='1' c=\"2\">x=\"y\"z<!-- <q\"r=> --></a>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = 0;
      g_autofree char *out = beacon_xcap_repair (cases[i][0], strlen (cases[i][0]), &len);

      g_assert_cmpstr (out, ==, cases[i][1]);
      g_assert_cmpuint (len, ==, strlen (out));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xcap/resource-lists/seed", test_seed);
  g_test_add_func ("/xcap/resource-lists/seed-element", test_seed_element_is_not_a_document);
  g_test_add_func ("/xcap/resource-lists/kamailio", test_kamailio);
  g_test_add_func ("/xcap/resource-lists/rfc4826-nested", test_rfc4826_nested);
  g_test_add_func ("/xcap/resource-lists/jitsi-prefixed", test_jitsi_prefixed);
  g_test_add_func ("/xcap/resource-lists/blink", test_blink);
  g_test_add_func ("/xcap/resource-lists/linphone-unnamed", test_linphone_unnamed);
  g_test_add_func ("/xcap/resource-lists/large", test_large);
  g_test_add_func ("/xcap/resource-lists/hostile", test_hostile);
  g_test_add_func ("/xcap/resource-lists/round-trip-built", test_round_trip_built);
  g_test_add_func ("/xcap/resource-lists/round-trip-fixtures", test_round_trip_fixtures);
  g_test_add_func ("/xcap/resource-lists/build-shape", test_build_shape);
  g_test_add_func ("/xcap/resource-lists/editing", test_editing);
  g_test_add_func ("/xcap/uri-equal", test_uri_equal);
  g_test_add_func ("/xcap/selector", test_selector);
  g_test_add_func ("/xcap/resource-lists/entry-element", test_entry_element);
  g_test_add_func ("/xcap/repair", test_repair);

  return g_test_run ();
}
