/* test-avahi-txt.c — the TXT record of Beacon's DNS-SD announcement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <avahi-common/malloc.h>

#include "lan/beacon-avahi-txt.h"

static char *
txt_get (AvahiStringList *txt,
         const char      *key)
{
  AvahiStringList *e = avahi_string_list_find (txt, key);
  char            *k = NULL, *v = NULL;
  char            *result;

  if (e == NULL)
    return NULL;
  g_assert_cmpint (avahi_string_list_get_pair (e, &k, &v, NULL), ==, 0);
  result = g_strdup (v);
  avahi_free (k);
  avahi_free (v);
  return result;
}

static void
test_build_parse (void)
{
  AvahiStringList *txt
      = beacon_avahi_txt_build ("sip:alice@10.0.0.1", "Alice Liddell", BEACON_STATUS_BUSY);
  g_autofree char *txtvers = txt_get (txt, "txtvers");
  g_autofree char *proto = txt_get (txt, "proto");
  g_autoptr (BeaconLanPeer) peer = g_new0 (BeaconLanPeer, 1);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (txtvers, ==, "1");
  g_assert_cmpstr (proto, ==, "1");
  /* DNS-SD: txtvers comes first. */
  g_assert_cmpint (strncmp ((char *)avahi_string_list_get_text (txt), "txtvers=", 8), ==, 0);

  g_assert_true (beacon_avahi_txt_parse (txt, peer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (peer->aor, ==, "sip:alice@10.0.0.1");
  g_assert_cmpstr (peer->display_name, ==, "Alice Liddell");
  g_assert_cmpint (peer->status, ==, BEACON_STATUS_BUSY);
  avahi_string_list_free (txt);
}

static void
test_build_no_name (void)
{
  AvahiStringList *txt = beacon_avahi_txt_build ("sip:bob@h", NULL, BEACON_STATUS_AWAY);
  g_autoptr (BeaconLanPeer) peer = g_new0 (BeaconLanPeer, 1);
  g_autofree char *status = txt_get (txt, "status");

  g_assert_null (avahi_string_list_find (txt, "name"));
  g_assert_cmpstr (status, ==, "away");
  g_assert_true (beacon_avahi_txt_parse (txt, peer, NULL));
  g_assert_null (peer->display_name);
  g_assert_cmpint (peer->status, ==, BEACON_STATUS_AWAY);
  avahi_string_list_free (txt);
}

static void
test_build_long_name (void)
{
  g_autoptr (GString) name = g_string_new (NULL);
  AvahiStringList *txt;
  g_autofree char *got = NULL;

  /* 3-byte characters, so byte 200 falls inside one. */
  for (int i = 0; i < 100; i++)
    g_string_append (name, "李");
  txt = beacon_avahi_txt_build ("sip:li@h", name->str, BEACON_STATUS_ONLINE);
  got = txt_get (txt, "name");
  g_assert_nonnull (got);
  g_assert_cmpuint (strlen (got), <=, BEACON_AVAHI_TXT_NAME_MAX);
  g_assert_cmpuint (strlen (got), ==, 198);
  g_assert_true (g_utf8_validate (got, -1, NULL));
  g_assert_true (g_str_has_prefix (name->str, got));
  avahi_string_list_free (txt);

  /* Invalid UTF-8 is repaired rather than announced. */
  txt = beacon_avahi_txt_build ("sip:x@h", "bad\xff name", BEACON_STATUS_ONLINE);
  g_clear_pointer (&got, g_free);
  got = txt_get (txt, "name");
  g_assert_true (g_utf8_validate (got, -1, NULL));
  avahi_string_list_free (txt);
}

static void
assert_rejected (AvahiStringList *txt)
{
  g_autoptr (BeaconLanPeer) peer = g_new0 (BeaconLanPeer, 1);
  g_autoptr (GError) error = NULL;

  peer->aor = g_strdup ("sip:before@h");
  peer->status = BEACON_STATUS_AWAY;
  g_assert_false (beacon_avahi_txt_parse (txt, peer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* Nothing changed. */
  g_assert_cmpstr (peer->aor, ==, "sip:before@h");
  g_assert_null (peer->display_name);
  g_assert_cmpint (peer->status, ==, BEACON_STATUS_AWAY);
  avahi_string_list_free (txt);
}

static void
test_parse_bad (void)
{
  static const guint8 nul_name[] = "name=a\0b";

  assert_rejected (avahi_string_list_new ("aor=sip:a@h", "status=online", NULL)); /* no proto */
  assert_rejected (avahi_string_list_new ("proto=2", "aor=sip:a@h", NULL));       /* wrong proto */
  assert_rejected (avahi_string_list_new ("proto=", "aor=sip:a@h", NULL));
  assert_rejected (avahi_string_list_new ("proto=1", "name=No AOR", NULL)); /* no aor */
  assert_rejected (avahi_string_list_new ("proto=1", "aor", NULL));         /* key only */
  assert_rejected (avahi_string_list_new ("proto=1", "aor=mailto:a@h", NULL));
  assert_rejected (avahi_string_list_new ("proto=1", "aor=sip:", NULL));
  assert_rejected (avahi_string_list_new ("proto=1", "aor=sip:a b@h", NULL));
  assert_rejected (
      avahi_string_list_new ("proto=1", "aor=sip:a@h", "name=\xc3\x28", NULL)); /* not UTF-8 */
  assert_rejected (avahi_string_list_add_arbitrary (
      avahi_string_list_new ("proto=1", "aor=sip:a@h", NULL), nul_name, sizeof nul_name - 1));
  assert_rejected (NULL); /* empty TXT */
}

static void
test_parse_lenient_status (void)
{
  g_autoptr (BeaconLanPeer) peer = g_new0 (BeaconLanPeer, 1);
  AvahiStringList *txt
      = avahi_string_list_new ("proto=1", "aor=SIP:a@h", "status=on-the-moon", "name=", NULL);

  peer->status = BEACON_STATUS_BUSY;
  g_assert_true (beacon_avahi_txt_parse (txt, peer, NULL));
  g_assert_cmpstr (peer->aor, ==, "SIP:a@h");
  g_assert_cmpint (peer->status, ==, BEACON_STATUS_OFFLINE);
  g_assert_null (peer->display_name);
  avahi_string_list_free (txt);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lan/avahi-txt/build-parse", test_build_parse);
  g_test_add_func ("/lan/avahi-txt/build-no-name", test_build_no_name);
  g_test_add_func ("/lan/avahi-txt/build-long-name", test_build_long_name);
  g_test_add_func ("/lan/avahi-txt/parse-bad", test_parse_bad);
  g_test_add_func ("/lan/avahi-txt/parse-lenient-status", test_parse_lenient_status);
  return g_test_run ();
}
