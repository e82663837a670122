/* test-cpim.c — message/cpim (RFC 3862) bodies of SIP MESSAGE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-cpim.h"
#include "formats/beacon-format-error.h"
#include "formats/beacon-sip-message.h"
#include "beacon-test-util.h"

static BeaconCpim *
parse_fixture (const char  *name,
               GError     **error)
{
  gsize len;
  g_autofree char *data = beacon_test_load_fixture ("cpim", name, &len);

  return beacon_cpim_parse (data, len, error);
}

static void
test_rfc3862_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconCpim) cpim = parse_fixture ("rfc3862-example.cpim", &error);
  const char *text = "<body>\r\nHere is the text of my message.\r\n</body>\r\n";

  g_assert_no_error (error);
  g_assert_cmpstr (cpim->from, ==, "MR SANDERS <im:piglet@100akerwood.com>");
  g_assert_cmpstr (cpim->from_uri, ==, "im:piglet@100akerwood.com");
  g_assert_cmpstr (cpim->to, ==, "Depressed Donkey <im:eeyore@100akerwood.com>");
  g_assert_cmpstr (cpim->to_uri, ==, "im:eeyore@100akerwood.com");
  g_assert_cmpstr (cpim->datetime, ==, "2000-12-13T13:40:00-08:00");
  g_assert_cmpstr (cpim->subject, ==, "the weather will be fine today");
  g_assert_cmpuint (cpim->headers->len, ==, 9);
  g_assert_cmpstr (beacon_cpim_get_header (cpim, "NS"), ==, "MyFeatures <mid:MessageFeatures@id.foo.com>");
  g_assert_cmpstr (beacon_cpim_get_header (cpim, "MyFeatures.VitalMessageOption"), ==, "Confirmation-requested");
  g_assert_cmpstr (beacon_cpim_get_header (cpim, "myfeatures.wackymessageoption"), ==, "Use-silly-font");
  /* CPIM names are not SIP names: no compact forms */
  g_assert_null (beacon_cpim_get_header (cpim, "t"));
  g_assert_cmpuint (cpim->content_headers->len, ==, 2);
  g_assert_cmpstr (cpim->content_type, ==, "text/xml");
  g_assert_cmpstr (cpim->charset, ==, "utf-8");
  g_assert_cmpmem (g_bytes_get_data (cpim->body, NULL), g_bytes_get_size (cpim->body), text, strlen (text));
  g_assert_cmpstr (cpim->text, ==, text);
}

static void
test_linphone_in_sip_message (void)
{
  gsize len, body_len;
  g_autofree char *data = beacon_test_load_fixture ("sip", "linphone-message-cpim.sip", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipMessage) msg = beacon_sip_message_parse (data, len, &error);
  g_autoptr(BeaconCpim) cpim = NULL;
  g_autoptr(BeaconSipContentType) ct = NULL;
  const char *body;

  g_assert_no_error (error);
  ct = beacon_sip_message_get_content_type (msg, &error);
  g_assert_cmpstr (ct->media_type, ==, "message/cpim");
  body = g_bytes_get_data (msg->body, &body_len);
  cpim = beacon_cpim_parse (body, body_len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cpim->from_uri, ==, "sip:bob@beacon.test");
  g_assert_cmpstr (cpim->to_uri, ==, "sip:alice@beacon.test");
  g_assert_cmpstr (cpim->datetime, ==, "2024-05-01T08:30:00+08:00");
  g_assert_null (cpim->subject);
  g_assert_cmpstr (beacon_cpim_get_header (cpim, "imdn.Message-ID"), ==, "Yz7x2wQm");
  g_assert_cmpstr (beacon_cpim_get_header (cpim, "imdn.Disposition-Notification"), ==,
                   "positive-delivery, display");
  g_assert_cmpstr (cpim->content_type, ==, "text/plain");
  g_assert_cmpstr (cpim->charset, ==, "utf-8");
  g_assert_cmpstr (cpim->text, ==, "晚上一起吃饭吗? See you at 7.");
}

static void
test_tolerated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconCpim) lf = parse_fixture ("lf-only-no-final-newline.cpim", &error);
  g_autoptr(BeaconCpim) wrapped = NULL, gb = NULL, imdn = NULL;
  g_autofree char *display = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lf->from, ==, "\"Alice\" <sip:alice@beacon.test>");
  g_assert_true (beacon_sip_header_parse_name_addr (lf->from, &display, NULL));
  g_assert_cmpstr (display, ==, "Alice");
  g_assert_cmpstr (lf->text, ==, "line 1\nline 2");

  wrapped = parse_fixture ("outer-mime-wrapper.cpim", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wrapped->headers->len, ==, 2);
  g_assert_cmpstr (wrapped->from_uri, ==, "sip:alice@beacon.test");
  g_assert_cmpstr (wrapped->text, ==, "wrapped\r\n");

  gb = parse_fixture ("gb2312.cpim", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gb->charset, ==, "gb2312");
  g_assert_cmpuint (g_bytes_get_size (gb->body), ==, 4);
  g_assert_cmpstr (gb->text, ==, "你好");

  imdn = parse_fixture ("imdn-notification.cpim", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (imdn->content_type, ==, "message/imdn+xml");
  g_assert_null (imdn->text);
  g_assert_cmpstr (beacon_sip_headers_lookup (imdn->content_headers, "content-disposition",
                                              BEACON_SIP_HEADERS_MIME_NAMES), ==, "notification");
  g_assert_cmpuint (g_bytes_get_size (imdn->body), >, 5);
  g_assert_cmpmem (g_bytes_get_data (imdn->body, NULL), 5, "<?xml", 5);
}

static void
test_hostile (void)
{
  static const struct { const char *file; int code; const char *says; } cases[] = {
    { "hostile-no-first-blank-line.cpim", BEACON_FORMAT_ERROR_MALFORMED, "message headers" },
    { "hostile-no-second-blank-line.cpim", BEACON_FORMAT_ERROR_MALFORMED, "content headers" },
    { "hostile-truncated.cpim", BEACON_FORMAT_ERROR_MALFORMED, "truncated" },
    { "hostile-not-utf8.cpim", BEACON_FORMAT_ERROR_INVALID_VALUE, "UTF-8" },
    { "hostile-no-headers.cpim", BEACON_FORMAT_ERROR_MALFORMED, "not a CPIM message" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconCpim) big = NULL;
  g_autofree char *huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BeaconCpim) cpim = parse_fixture (cases[i].file, &error);
      g_test_message ("%s: %s", cases[i].file, error != NULL ? error->message : "parsed");
      g_assert_null (cpim);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_clear_error (&error);
    }

  huge = g_malloc0 (BEACON_CPIM_MAX_SIZE + 1);
  big = beacon_cpim_parse (huge, BEACON_CPIM_MAX_SIZE + 1, &error);
  g_assert_null (big);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  {
    g_autoptr(BeaconCpim) empty = beacon_cpim_parse ("", 0, &error);
    g_assert_null (empty);
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED);
  }
}

static void
test_build (void)
{
  const char *text = "会议改到四点。\nSee you.";
  g_autoptr(GError) error = NULL;
  g_autofree char *built = beacon_cpim_build ("sip:alice@beacon.test", "\"Bob\" <sip:bob@beacon.test>",
                                              "2024-05-01T08:30:00+08:00", text, &error);
  g_autofree char *bare = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(BeaconCpim) cpim = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (built, "From: <sip:alice@beacon.test>\r\nTo: \"Bob\" <sip:bob@beacon.test>\r\n"
                                          "DateTime: 2024-05-01T08:30:00+08:00\r\n\r\n"
                                          "Content-Type: text/plain;charset=utf-8\r\n\r\n"));
  cpim = beacon_cpim_parse (built, strlen (built), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cpim->from_uri, ==, "sip:alice@beacon.test");
  g_assert_cmpstr (cpim->to_uri, ==, "sip:bob@beacon.test");
  g_assert_cmpstr (cpim->datetime, ==, "2024-05-01T08:30:00+08:00");
  g_assert_cmpstr (cpim->text, ==, text);

  bare = beacon_cpim_build ("sip:a@x", "sip:b@y", NULL, "", &error);
  g_assert_no_error (error);
  g_assert_null (strstr (bare, "DateTime"));
  g_assert_true (g_str_has_suffix (bare, "charset=utf-8\r\n\r\n"));

  bad = beacon_cpim_build ("sip:a@x\r\nSubject: injected", "sip:b@y", NULL, "hi", &error);
  g_assert_null (bad);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  bad = beacon_cpim_build ("sip:a@x", "sip:b@y", NULL, "caf\xe9", &error);
  g_assert_null (bad);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  bad = beacon_cpim_build ("", "sip:b@y", NULL, "hi", &error);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
}

static void
test_format_datetime (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2024, 5, 1, 8, 30, 0);
  g_autofree char *text = beacon_cpim_format_datetime (dt);

  g_assert_cmpstr (text, ==, "2024-05-01T08:30:00+08:00");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/cpim/rfc3862-example", test_rfc3862_example);
  g_test_add_func ("/formats/cpim/linphone-in-sip-message", test_linphone_in_sip_message);
  g_test_add_func ("/formats/cpim/tolerated", test_tolerated);
  g_test_add_func ("/formats/cpim/hostile", test_hostile);
  g_test_add_func ("/formats/cpim/build", test_build);
  g_test_add_func ("/formats/cpim/format-datetime", test_format_datetime);
  return g_test_run ();
}
