/* test-json.c — beacon-cli's JSON writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-json.h"

static void
test_nesting (void)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "presence");
  beacon_json_int (json, "version", 3);
  beacon_json_bool (json, "fullState", TRUE);
  beacon_json_null (json, "note");
  beacon_json_begin_array (json, "resources");
  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "uri", "sip:B@x");
  beacon_json_end_object (json);
  beacon_json_string (json, NULL, "two");
  beacon_json_double (json, NULL, 0.5);
  beacon_json_end_array (json);
  beacon_json_end_object (json);

  g_assert_cmpstr (beacon_json_get_text (json), ==,
                   "{\"event\":\"presence\",\"version\":3,\"fullState\":true,\"note\":null,"
                   "\"resources\":[{\"uri\":\"sip:B@x\"},\"two\",0.5]}");
}

static void
test_escaping (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  beacon_json_escape (out, "a\"b\\c\nd\te\x01 中文");
  g_assert_cmpstr (out->str, ==, "\"a\\\"b\\\\c\\nd\\te\\u0001 中文\"");

  g_string_truncate (out, 0);
  beacon_json_escape (out, "bad \xff\xfe utf8");
  g_assert_true (g_utf8_validate (out->str, -1, NULL));
  g_assert_true (g_str_has_prefix (out->str, "\"bad "));
  g_assert_true (g_str_has_suffix (out->str, " utf8\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/json/nesting", test_nesting);
  g_test_add_func ("/cli/json/escaping", test_escaping);

  return g_test_run ();
}
