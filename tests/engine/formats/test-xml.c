/* test-xml.c — the hardened XML reader every format parser uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-xml.h"

static xmlDoc *
parse (const char      *text,
       BeaconXmlFlags   flags,
       GError         **error)
{
  return beacon_xml_parse (text, strlen (text), flags, error);
}

static void
assert_refused_with (const char     *text,
                     BeaconXmlFlags  flags,
                     int             code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = parse (text, flags, &error);

  g_assert_null (doc);
  g_assert_error (error, BEACON_FORMAT_ERROR, code);
  g_assert_nonnull (error->message);
}

/* What is refused must be refused even where damage is tolerated. */
static void
assert_refused (const char *text,
                int         code)
{
  assert_refused_with (text, BEACON_XML_STRICT, code);
  assert_refused_with (text, BEACON_XML_TOLERANT, code);
}

static void
test_helpers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = parse ("<a xmlns='urn:x'><b id=' 7 '> hi &amp; bye </b><c/><b>2</b></a>",
                                 BEACON_XML_STRICT, &error);
  xmlNode *root, *b;
  g_autofree char *id = NULL, *text = NULL, *second = NULL, *empty = NULL;

  g_assert_no_error (error);
  root = xmlDocGetRootElement (doc);
  g_assert_true (beacon_xml_is (root, "a"));
  b = beacon_xml_child (root, "b");
  id = beacon_xml_prop (b, "id");
  g_assert_cmpstr (id, ==, "7");
  text = beacon_xml_text (b);
  g_assert_cmpstr (text, ==, "hi & bye");
  second = beacon_xml_text (beacon_xml_next (b, "b"));
  g_assert_cmpstr (second, ==, "2");
  empty = beacon_xml_child_text (root, "c");
  g_assert_null (empty);
  g_assert_null (beacon_xml_child (root, "missing"));
}

static void
test_hostile (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) many = g_string_new ("<a>");
  g_autofree char *huge = NULL;

  assert_refused ("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><a>&lol2;</a>",
                  BEACON_FORMAT_ERROR_FORBIDDEN);
  assert_refused ("<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>", BEACON_FORMAT_ERROR_FORBIDDEN);
  assert_refused ("<?xml version='1.0'?><!doctype a [<!entity x SYSTEM 'http://127.0.0.1/'>]><a>&x;</a>",
                  BEACON_FORMAT_ERROR_FORBIDDEN);
  assert_refused_with ("<a>&undefined;</a>", BEACON_XML_STRICT, BEACON_FORMAT_ERROR_MALFORMED);
  assert_refused_with ("<a><b></a>", BEACON_XML_STRICT, BEACON_FORMAT_ERROR_MALFORMED);
  assert_refused ("not xml at all", BEACON_FORMAT_ERROR_MALFORMED);
  /* Bodies are UTF-8 whatever they declare: a Latin-1 byte is an error. */
  assert_refused_with ("<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9</a>",
                       BEACON_XML_STRICT, BEACON_FORMAT_ERROR_MALFORMED);
  assert_refused_with ("<?xml version='1.0' encoding='EUC-JP'?><a>\x8e</a>",
                       BEACON_XML_STRICT, BEACON_FORMAT_ERROR_MALFORMED);
  assert_refused ("", BEACON_FORMAT_ERROR_MISSING);
  assert_refused ("   ", BEACON_FORMAT_ERROR_MALFORMED);

  for (int i = 0; i < BEACON_XML_MAX_DEPTH + 1; i++)
    g_string_append (deep, "<n>");
  for (int i = 0; i < BEACON_XML_MAX_DEPTH + 1; i++)
    g_string_append (deep, "</n>");
  assert_refused (deep->str, BEACON_FORMAT_ERROR_TOO_DEEP);

  for (int i = 0; i < BEACON_XML_MAX_NODES + 1; i++)
    g_string_append (many, "<e/>");
  g_string_append (many, "</a>");
  assert_refused (many->str, BEACON_FORMAT_ERROR_TOO_LARGE);

  huge = g_strnfill (BEACON_XML_MAX_SIZE + 1, ' ');
  memcpy (huge, "<a>", 3);
  assert_refused (huge, BEACON_FORMAT_ERROR_TOO_LARGE);
}

static void
test_tolerant (void)
{
  const char *damaged = "<presence><tuple><status><basic>open</basic></status>"
                        "<contactpriority=\"1.0\">sip:C@x</contact></tuple></presence>";
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) strict = parse (damaged, BEACON_XML_STRICT, &error);
  g_autoptr(xmlDoc) tolerant = NULL;
  g_autofree char *basic = NULL;

  g_assert_null (strict);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED);
  g_clear_error (&error);

  tolerant = parse (damaged, BEACON_XML_TOLERANT, &error);
  g_assert_no_error (error);
  basic = beacon_xml_child_text (beacon_xml_child (beacon_xml_child (xmlDocGetRootElement (tolerant),
                                                                     "tuple"),
                                                   "status"),
                                 "basic");
  g_assert_cmpstr (basic, ==, "open");
}

/* One repair for every format: what each peer's damage comes out as. */
static void
check_repair (const char           *in,
              BeaconXmlRepairFlags  flags,
              const char *const    *elements,
              const char           *expected)
{
  gsize len = 0;
  g_autofree char *out = beacon_xml_repair (in, strlen (in), flags, elements, &len);

  g_assert_cmpmem (out, len, expected, strlen (expected));
}

static void
test_repair (void)
{
  static const char *const pidf[] = { "contact", "tuple", NULL };
  const char *fine = "<?xml version=\"1.0\"?><a x=\"1\" y='2'><!--a=\"1\"b--><![CDATA[<b c=\"d\"e>]]>t&amp;u</a>";

  /* A well-formed document is untouched, whatever the flags. */
  check_repair (fine, BEACON_XML_REPAIR_GLUE, NULL, fine);
  check_repair (fine, BEACON_XML_REPAIR_AMPERSANDS, pidf, fine);
  /* Leading white space goes (it may not precede the declaration). */
  check_repair ("\r\n<a/>", BEACON_XML_REPAIR_GLUE, NULL, "<a/>");
  /* The seed's damage. */
  check_repair ("<?xmlversion=\"1.0\"?><list uri=\"sip:x\"version=\"1\"/>", BEACON_XML_REPAIR_GLUE,
                NULL, "<?xml version=\"1.0\"?><list uri=\"sip:x\" version=\"1\"/>");
  check_repair ("<contactpriority=\"1.0\">sip:a</contact>", BEACON_XML_REPAIR_GLUE, pidf,
                "<contact priority=\"1.0\">sip:a</contact>");
  check_repair ("<dm:tupleid=\"t\"/>", BEACON_XML_REPAIR_GLUE, pidf, "<dm:tuple id=\"t\"/>");
  /* Glued names are split only for the elements given. */
  check_repair ("<contactpriority=\"1.0\"/>", BEACON_XML_REPAIR_GLUE, NULL,
                "<contactpriority=\"1.0\"/>");
  /* Bare ampersands only when asked; references are left alone. */
  check_repair ("<n a=\"x&y\">a & b &lt; &#38; &#x26;</n>", BEACON_XML_REPAIR_GLUE, NULL,
                "<n a=\"x&y\">a & b &lt; &#38; &#x26;</n>");
  check_repair ("<n a=\"x&y\">a & b &lt; &#38; &#x26;</n>", BEACON_XML_REPAIR_AMPERSANDS, NULL,
                "<n a=\"x&amp;y\">a &amp; b &lt; &#38; &#x26;</n>");
  /* Truncated anywhere: no overread, what there is comes out. */
  check_repair ("<a b=\"c", BEACON_XML_REPAIR_AMPERSANDS, pidf, "<a b=\"c");
  check_repair ("<!--", BEACON_XML_REPAIR_GLUE, NULL, "<!--");
  check_repair ("&#x", BEACON_XML_REPAIR_AMPERSANDS, NULL, "&amp;#x");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/formats/xml/helpers", test_helpers);
  g_test_add_func ("/formats/xml/hostile", test_hostile);
  g_test_add_func ("/formats/xml/tolerant", test_tolerant);
  g_test_add_func ("/formats/xml/repair", test_repair);

  return g_test_run ();
}
