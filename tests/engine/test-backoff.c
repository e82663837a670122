/* test-backoff.c — retry delays and SIP status classification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-backoff.h"
#include "sip/beacon-sip-error.h"

static void
test_doubling_and_cap (void)
{
  BeaconBackoff backoff;
  const guint expected[] = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };

  beacon_backoff_init (&backoff, BEACON_BACKOFF_MIN_MS, BEACON_BACKOFF_MAX_MS);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (beacon_backoff_next (&backoff), ==, expected[i]);
  g_assert_cmpuint (backoff.failures, ==, G_N_ELEMENTS (expected));

  beacon_backoff_reset (&backoff);
  g_assert_cmpuint (backoff.failures, ==, 0);
  g_assert_cmpuint (beacon_backoff_next (&backoff), ==, 1000);
}

static void
test_odd_bounds (void)
{
  BeaconBackoff backoff;

  /* A maximum that is not a power-of-two multiple is still reached. */
  beacon_backoff_init (&backoff, 300, 1000);
  g_assert_cmpuint (beacon_backoff_next (&backoff), ==, 300);
  g_assert_cmpuint (beacon_backoff_next (&backoff), ==, 600);
  g_assert_cmpuint (beacon_backoff_next (&backoff), ==, 1000);
  g_assert_cmpuint (beacon_backoff_next (&backoff), ==, 1000);
}

static void
test_retry_after_hint (void)
{
  BeaconBackoff backoff;

  beacon_backoff_init (&backoff, BEACON_BACKOFF_MIN_MS, BEACON_BACKOFF_MAX_MS);
  g_assert_cmpuint (beacon_backoff_next_with_hint (&backoff, 5), ==, 5000);
  /* Capped: a server asking for an hour does not park us that long. */
  g_assert_cmpuint (beacon_backoff_next_with_hint (&backoff, 3600), ==, 60000);
  /* No hint: the backoff sequence went on meanwhile. */
  g_assert_cmpuint (beacon_backoff_next_with_hint (&backoff, 0), ==, 4000);
}

static void
test_status_classes (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (beacon_sip_error_code_for_status (401), ==, BEACON_SIP_ERROR_AUTH_FAILED);
  g_assert_cmpint (beacon_sip_error_code_for_status (407), ==, BEACON_SIP_ERROR_AUTH_FAILED);
  g_assert_cmpint (beacon_sip_error_code_for_status (403), ==, BEACON_SIP_ERROR_FORBIDDEN);
  g_assert_cmpint (beacon_sip_error_code_for_status (404), ==, BEACON_SIP_ERROR_NOT_FOUND);
  g_assert_cmpint (beacon_sip_error_code_for_status (489), ==, BEACON_SIP_ERROR_UNSUPPORTED);
  g_assert_cmpint (beacon_sip_error_code_for_status (408), ==, BEACON_SIP_ERROR_TIMEOUT);
  g_assert_cmpint (beacon_sip_error_code_for_status (503), ==, BEACON_SIP_ERROR_SERVER);
  g_assert_cmpint (beacon_sip_error_code_for_status (903), ==, BEACON_SIP_ERROR_TRANSPORT);
  g_assert_cmpint (beacon_sip_error_code_for_status (904), ==, BEACON_SIP_ERROR_AUTH_FAILED);
  g_assert_cmpint (beacon_sip_error_code_for_status (488), ==, BEACON_SIP_ERROR_REJECTED);

  g_assert_true (beacon_sip_status_is_transient (408));
  g_assert_true (beacon_sip_status_is_transient (500));
  g_assert_true (beacon_sip_status_is_transient (503));
  g_assert_true (beacon_sip_status_is_transient (900));
  g_assert_false (beacon_sip_status_is_transient (904));
  g_assert_false (beacon_sip_status_is_transient (501));
  g_assert_false (beacon_sip_status_is_transient (403));
  g_assert_false (beacon_sip_status_is_transient (489));
  g_assert_false (beacon_sip_status_is_transient (603));

  error = beacon_sip_error_new_for_status (404, "Not Found", "SUBSCRIBE to sip:x@y");
  g_assert_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "404 Not Found"));
  g_assert_nonnull (strstr (error->message, "sip:x@y"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/backoff/doubling-and-cap", test_doubling_and_cap);
  g_test_add_func ("/sip/backoff/odd-bounds", test_odd_bounds);
  g_test_add_func ("/sip/backoff/retry-after-hint", test_retry_after_hint);
  g_test_add_func ("/sip/error/status-classes", test_status_classes);

  return g_test_run ();
}
