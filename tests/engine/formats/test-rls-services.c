/* test-rls-services.c — RFC 4826 rls-services documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-rls-services.h"
#include "formats/beacon-xml.h"

#define KAMAILIO_LIST_URL \
  "http://127.0.0.1:5080/xcap-root/resource-lists/users/sip:alice@example.test/index" \
  "/~~/resource-lists/list%5b@name=%22buddies%22%5d"

static BeaconRlsServices *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "xcap", name, NULL);
  g_autoptr(GError) load_error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &load_error);
  g_assert_no_error (load_error);
  return beacon_rls_services_parse (data, len, error);
}

static BeaconRlsService *
service_at (BeaconRlsServices *doc,
            guint              i)
{
  g_assert_cmpuint (i, <, doc->services->len);
  return g_ptr_array_index (doc->services, i);
}

static void
assert_service_equal (BeaconRlsService *sa,
                      BeaconRlsService *sb)
{
  g_assert_cmpstr (sa->uri, ==, sb->uri);
  g_assert_cmpstr (sa->resource_list, ==, sb->resource_list);
  g_assert_true ((sa->list == NULL) == (sb->list == NULL));
  if (sa->list != NULL)
    {
      g_assert_cmpstr (sa->list->name, ==, sb->list->name);
      g_assert_cmpuint (sa->list->entries->len, ==, sb->list->entries->len);
      g_assert_cmpuint (sa->list->externals->len, ==, sb->list->externals->len);
      for (guint k = 0; k < sa->list->entries->len; k++)
        {
          BeaconResourceEntry *ea = g_ptr_array_index (sa->list->entries, k);
          BeaconResourceEntry *eb = g_ptr_array_index (sb->list->entries, k);
          g_assert_cmpstr (ea->uri, ==, eb->uri);
          g_assert_cmpstr (ea->display_name, ==, eb->display_name);
        }
    }
  g_assert_cmpuint (sa->packages->len, ==, sb->packages->len);
  for (guint k = 0; k < sa->packages->len; k++)
    g_assert_cmpstr (g_ptr_array_index (sa->packages, k), ==, g_ptr_array_index (sb->packages, k));
}

static void
assert_services_equal (BeaconRlsServices *a,
                       BeaconRlsServices *b)
{
  g_assert_cmpuint (a->services->len, ==, b->services->len);
  for (guint i = 0; i < a->services->len; i++)
    assert_service_equal (service_at (a, i), service_at (b, i));
}

static BeaconRlsServices *
rebuild (BeaconRlsServices *doc)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *xml = beacon_rls_services_build (doc, &len);
  BeaconRlsServices *again = beacon_rls_services_parse (xml, len, &error);

  g_assert_no_error (error);
  return again;
}

static void
test_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRlsServices) doc = parse_fixture ("seed-rls-services.xml", &error);
  BeaconRlsService *service;

  /* `<?xmlversion=` is repaired; the URL broken over two lines is joined. */
  g_assert_no_error (error);
  g_assert_cmpuint (doc->services->len, ==, 1);
  service = service_at (doc, 0);
  g_assert_cmpstr (service->uri, ==, "sip:A-list@ps.cintel.net.cn");
  g_assert_cmpstr (service->resource_list, ==,
                   "http://ps.cintel.net.cn/resource-lists/users/A/buddies.xml/~~/"
                   "resource-lists/list%5b@name=%22buddies%22%5d");
  g_assert_null (service->list);
  g_assert_cmpuint (service->packages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (service->packages, 0), ==, "presence");
  g_assert_true (beacon_rls_services_find_service (doc, "SIP:A-list@PS.cintel.net.cn") == service);
  g_assert_null (beacon_rls_services_find_service (doc, "sip:a-list@ps.cintel.net.cn"));
}

static void
test_kamailio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRlsServices) doc = parse_fixture ("kamailio-rls-services.xml", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (doc->services->len, ==, 1);
  g_assert_cmpstr (service_at (doc, 0)->uri, ==, "sip:alice-list@example.test");
  g_assert_cmpstr (service_at (doc, 0)->resource_list, ==, KAMAILIO_LIST_URL);
}

static void
test_rfc4826 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRlsServices) doc = parse_fixture ("rfc4826-rls-services.xml", &error);
  BeaconRlsService *friends;
  BeaconResourceEntry *entry;

  g_assert_no_error (error);
  /* The third <service> has no uri and is skipped. */
  g_assert_cmpuint (doc->services->len, ==, 2);
  g_assert_nonnull (service_at (doc, 0)->resource_list);
  friends = beacon_rls_services_find_service (doc, "sip:friends@example.com");
  g_assert_true (friends == service_at (doc, 1));
  g_assert_null (friends->resource_list);
  g_assert_nonnull (friends->list);
  g_assert_cmpstr (friends->list->name, ==, "my-friends");
  g_assert_cmpuint (friends->list->entries->len, ==, 2);
  entry = beacon_resource_list_find_entry (friends->list, "sip:sudhir@example.com");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->display_name, ==, "Sudhir");
  g_assert_cmpuint (friends->packages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (friends->packages, 1), ==, "dialog");
}

static void
test_blink (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRlsServices) doc = parse_fixture ("blink-rls-services.xml", &error);
  BeaconRlsService *service;

  g_assert_no_error (error);
  g_assert_cmpuint (doc->services->len, ==, 2);
  service = service_at (doc, 0);
  g_assert_nonnull (service->list);
  g_assert_null (service->list->name);
  g_assert_cmpuint (service->list->externals->len, ==, 1);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (service->list->externals, 0),
                                   "list%5B@name=%22oma_buddylist%22%5D"));
  g_assert_cmpstr (g_ptr_array_index (service_at (doc, 1)->packages, 0), ==, "dialog");
}

static void
test_hostile (void)
{
  static const struct {
    const char *file;
    int code;
  } cases[] = {
    { "hostile-xxe-rls.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
    { "hostile-deep.xml", BEACON_FORMAT_ERROR_TOO_DEEP },
    { "hostile-huge.xml", BEACON_FORMAT_ERROR_TOO_LARGE },
    { "hostile-truncated-rls-services.xml", BEACON_FORMAT_ERROR_MALFORMED },
    { "hostile-not-xml.txt", BEACON_FORMAT_ERROR_MALFORMED },
    { "kamailio-resource-lists.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconRlsServices) doc = parse_fixture (cases[i].file, &error);

      g_test_message ("%s", cases[i].file);
      g_assert_null (doc);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
    }
}

static void
test_build_single (void)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *xml = beacon_rls_services_build_single ("sip:alice-list@example.test",
                                                           KAMAILIO_LIST_URL, &len);
  g_autoptr(BeaconRlsServices) doc = NULL;
  g_autoptr(xmlDoc) parsed = NULL;
  xmlNode *root, *service;
  BeaconRlsService *only;

  g_assert_cmpuint (len, ==, strlen (xml));
  doc = beacon_rls_services_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc->services->len, ==, 1);
  only = service_at (doc, 0);
  g_assert_cmpstr (only->uri, ==, "sip:alice-list@example.test");
  g_assert_cmpstr (only->resource_list, ==, KAMAILIO_LIST_URL);
  g_assert_cmpuint (only->packages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (only->packages, 0), ==, "presence");

  /* The namespaces the RFC (and Kamailio's rls) expect. */
  parsed = beacon_xml_parse (xml, len, BEACON_XML_STRICT, NULL);
  root = xmlDocGetRootElement (parsed);
  g_assert_cmpstr ((const char *) root->ns->href, ==, BEACON_RLS_SERVICES_NS);
  g_assert_null (root->ns->prefix);
  g_assert_nonnull (xmlSearchNs (parsed, root, (const xmlChar *) "rl"));
  service = beacon_xml_child (root, "service");
  g_assert_cmpstr ((const char *) beacon_xml_child (service, "resource-list")->ns->href, ==,
                   BEACON_RLS_SERVICES_NS);
  g_assert_nonnull (beacon_xml_child (beacon_xml_child (service, "packages"), "package"));
}

static void
test_build_single_squeezes_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = beacon_rls_services_build_single (
      "sip:a-list@d", " http://h/resource-lists/users/sip:a@d/index/~~/\n  resource-lists/list ",
      NULL);
  g_autoptr(BeaconRlsServices) doc = beacon_rls_services_parse (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (service_at (doc, 0)->resource_list, ==,
                   "http://h/resource-lists/users/sip:a@d/index/~~/resource-lists/list");
}

static void
test_list_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = beacon_rls_services_list_url ("http://127.0.0.1:5080/xcap-root",
                                                       "sip:alice@example.test", "index",
                                                       "buddies", &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, KAMAILIO_LIST_URL);
  bad = beacon_rls_services_list_url ("http://h", "sip:a@d", "index", "\"'", &error);
  g_assert_null (bad);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
}

static void
test_round_trip (void)
{
  static const char *const files[] = {
    "seed-rls-services.xml", "kamailio-rls-services.xml", "rfc4826-rls-services.xml",
    "blink-rls-services.xml",
  };
  g_autoptr(BeaconRlsServices) built = beacon_rls_services_new ();
  g_autoptr(BeaconRlsServices) again = NULL;
  BeaconRlsService *inline_service = beacon_rls_service_new ("sip:team@example.test");
  BeaconRlsService *bare = beacon_rls_service_new ("sip:bare@example.test");

  inline_service->list = beacon_resource_list_new ("team");
  beacon_resource_list_add_entry (inline_service->list, "sip:bob@example.test", "Bob <&>");
  g_ptr_array_add (inline_service->packages, g_strdup ("presence"));
  g_ptr_array_add (built->services, inline_service);
  g_ptr_array_add (built->services, bare);
  again = rebuild (built);
  g_assert_cmpuint (again->services->len, ==, 2);
  assert_service_equal (service_at (built, 0), service_at (again, 0));
  g_assert_cmpstr (service_at (again, 1)->uri, ==, "sip:bare@example.test");
  /* A service with neither gets an empty inline list, which the schema allows. */
  g_assert_nonnull (service_at (again, 1)->list);
  g_assert_cmpuint (service_at (again, 1)->list->entries->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconRlsServices) doc = parse_fixture (files[i], &error);
      g_autoptr(BeaconRlsServices) copy = NULL;

      g_test_message ("%s", files[i]);
      g_assert_no_error (error);
      copy = rebuild (doc);
      assert_services_equal (doc, copy);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xcap/rls-services/seed", test_seed);
  g_test_add_func ("/xcap/rls-services/kamailio", test_kamailio);
  g_test_add_func ("/xcap/rls-services/rfc4826", test_rfc4826);
  g_test_add_func ("/xcap/rls-services/blink", test_blink);
  g_test_add_func ("/xcap/rls-services/hostile", test_hostile);
  g_test_add_func ("/xcap/rls-services/build-single", test_build_single);
  g_test_add_func ("/xcap/rls-services/build-single-squeezes-url", test_build_single_squeezes_url);
  g_test_add_func ("/xcap/rls-services/list-url", test_list_url);
  g_test_add_func ("/xcap/rls-services/round-trip", test_round_trip);

  return g_test_run ();
}
