/* test-sip-tls.c — what SIP over TLS checks before sofia-sip binds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "sip/beacon-sip-error.h"
#include "sip/beacon-sip-tls.h"
#include "sip/beacon-sip-ua.h"

static void
test_proxy_only_tls (void)
{
  const char *good[] = { "sip:192.0.2.1:5061;transport=tls", "sips:proxy.example.org",
                         "sips:proxy.example.org:5061;transport=tcp",
                         "sip:proxy.example.org;TRANSPORT=TLS" };
  const char *bad[] = { "sip:192.0.2.1;transport=udp", "sip:192.0.2.1:5060;transport=tcp",
                        "sip:192.0.2.1:5060", "not a uri" };
  char *proxy = NULL;

  /* No proxy: the domain, over TLS (never looked up as UDP). */
  g_assert_true (beacon_sip_tls_check_proxy (&proxy, "example.org", NULL));
  g_assert_cmpstr (proxy, ==, "sip:example.org;transport=tls");
  g_clear_pointer (&proxy, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      proxy = g_strdup (good[i]);
      g_assert_true (beacon_sip_tls_check_proxy (&proxy, "example.org", &error));
      g_assert_no_error (error);
      g_assert_cmpstr (proxy, ==, good[i]);
      g_clear_pointer (&proxy, g_free);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      proxy = g_strdup (bad[i]);
      g_assert_false (beacon_sip_tls_check_proxy (&proxy, "example.org", &error));
      g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI);
      g_assert_nonnull (strstr (error->message, "TLS"));
      /* Unchanged. */
      g_assert_cmpstr (proxy, ==, bad[i]);
      g_clear_pointer (&proxy, g_free);
    }
}

static void
test_certificate_dir (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-tls-test-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (tmp, "missing.pem", NULL);
  g_autofree char *empty = g_build_filename (tmp, "empty.pem", NULL);
  g_autofree char *ca = g_build_filename (tmp, "ca.pem", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (beacon_sip_tls_make_certificate_dir (missing, &error));
  g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "not a certificate\n", -1, NULL));
  g_assert_null (beacon_sip_tls_make_certificate_dir (empty, &error));
  g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (error->message, "no PEM certificate"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (ca, "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                          "-----END CERTIFICATE-----\n", -1, NULL));
  dir = beacon_sip_tls_make_certificate_dir (ca, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dir);
  /* sofia-sip reads DIR/cafile.pem: it is the given file, nothing else. */
  link = g_build_filename (dir, "cafile.pem", NULL);
  target = g_file_read_link (link, NULL);
  g_assert_cmpstr (target, ==, ca);
  beacon_sip_tls_remove_certificate_dir (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  g_unlink (ca);
  g_unlink (empty);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

/* Bad TLS settings: start fails with a clear error, nothing is bound. */
static void
test_ua_refuses_bad_settings (void)
{
  g_autoptr(BeaconSipUa) ua = NULL;
  g_autoptr(GError) error = NULL;

  ua = beacon_sip_ua_new ("sip:alice@example.org", NULL, "secret", "127.0.0.1:5061",
                          BEACON_SIP_TRANSPORT_TLS, "127.0.0.1");
  beacon_sip_ua_set_ca_file (ua, "/nonexistent/ca.pem");
  g_assert_false (beacon_sip_ua_start (ua, &error));
  g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT);
  g_assert_cmpint (beacon_sip_ua_get_state (ua), ==, BEACON_SIP_UA_STOPPED);
  g_clear_object (&ua);
  g_clear_error (&error);

  /* A proxy that asks for UDP: no silent downgrade. */
  ua = beacon_sip_ua_new ("sip:alice@example.org", NULL, "secret",
                          "sip:127.0.0.1:5060;transport=udp", BEACON_SIP_TRANSPORT_TLS,
                          "127.0.0.1");
  g_assert_false (beacon_sip_ua_start (ua, &error));
  g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI);
  g_assert_cmpint (beacon_sip_ua_get_state (ua), ==, BEACON_SIP_UA_STOPPED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/tls/proxy-only-tls", test_proxy_only_tls);
  g_test_add_func ("/sip/tls/certificate-dir", test_certificate_dir);
  g_test_add_func ("/sip/tls/ua-refuses-bad-settings", test_ua_refuses_bad_settings);
  return g_test_run ();
}
