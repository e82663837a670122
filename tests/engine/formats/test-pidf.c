/* test-pidf.c — PIDF / RPID presence documents: parsing, summary, building
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-pidf.h"
#include "beacon-test-util.h"

static BeaconPidf *
parse_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  BeaconPidf *pidf;

  data = beacon_test_load_fixture ("pidf", name, &len);
  pidf = beacon_pidf_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pidf);
  return pidf;
}

static const BeaconPidfTuple *
tuple_at (const BeaconPidf *pidf,
          guint             i)
{
  g_assert_cmpuint (i, <, pidf->tuples->len);
  return g_ptr_array_index (pidf->tuples, i);
}

static const char *
str_at (const GPtrArray *array,
        guint            i)
{
  g_assert_cmpuint (i, <, array->len);
  return g_ptr_array_index (array, i);
}

static void
assert_summary (const BeaconPidf *pidf,
                BeaconStatus      expected_status,
                const char       *expected_note)
{
  BeaconStatus status = 99;
  g_autofree char *note = NULL;

  beacon_pidf_summarize (pidf, &status, &note);
  g_assert_cmpstr (beacon_status_to_string (status), ==, beacon_status_to_string (expected_status));
  g_assert_cmpint (status, ==, expected_status);
  g_assert_cmpstr (note, ==, expected_note);
}

/* ---- BeaconStatus ----------------------------------------------------- */

static void
test_status_strings (void)
{
  static const char *const names[] = { "offline", "online", "away", "busy" };
  BeaconStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *upper = g_ascii_strup (names[i], -1);
      g_autofree char *padded = g_strdup_printf (" \t%s \n", upper);

      g_assert_cmpstr (beacon_status_to_string (i), ==, names[i]);
      status = 99;
      g_assert_true (beacon_status_from_string (padded, &status));
      g_assert_cmpint (status, ==, i);
    }
  g_assert_false (beacon_status_from_string ("appear-offline", &status));
  g_assert_false (beacon_status_from_string ("available", &status));
  g_assert_false (beacon_status_from_string ("", &status));
  g_assert_false (beacon_status_from_string (NULL, &status));
}

/* ---- the seed walkthrough --------------------------------------------- */

typedef struct {
  const char      *file;
  const char      *entity;
  const char      *tuple_id;
  BeaconPidfBasic  basic;
  const char      *im;
  const char      *contact;
  double           priority;
  BeaconStatus     status;
} SeedCase;

static const SeedCase seed_cases[] = {
  /* 2.1.2.1 M3: B not logged in, C open (contact glued to its priority) */
  { "seed-2.1.2.1-m3-b-closed.xml", "sip:B@ps.cintel.net.cn", "sg89ae",
    BEACON_PIDF_BASIC_CLOSED, "offline", NULL, -1, BEACON_STATUS_OFFLINE },
  { "seed-2.1.2.1-m3-c-damaged-contact.xml", "sip:C@ps.cintel.net.cn", "slie74",
    BEACON_PIDF_BASIC_OPEN, "online", "sip:C@ps.cintel.net.cn", 1.0, BEACON_STATUS_ONLINE },
  /* M5 PUBLISH and M7 NOTIFY: B logs in */
  { "seed-2.1.2.1-m5-b-publish-online.xml", "sip:B@ps.cintel.net.cn", "slie74",
    BEACON_PIDF_BASIC_OPEN, "online", NULL, -1, BEACON_STATUS_ONLINE },
  { "seed-2.1.2.1-m7-b-online.xml", "sip:B@ps.cintel.net.cn", "sg89af",
    BEACON_PIDF_BASIC_OPEN, "online", NULL, -1, BEACON_STATUS_ONLINE },
  /* M11 refresh and M15 final NOTIFY */
  { "seed-2.1.2.1-m11-b-online.xml", "sip:B@ps.cintel.net.cn", "sg89ag",
    BEACON_PIDF_BASIC_OPEN, "online", NULL, -1, BEACON_STATUS_ONLINE },
  { "seed-2.1.2.1-m11-c-damaged-contact.xml", "sip:C@ps.cintel.net.cn", "slie76",
    BEACON_PIDF_BASIC_OPEN, "online", "sip:C@ps.cintel.net.cn", 1.0, BEACON_STATUS_ONLINE },
  { "seed-2.1.2.1-m15-b-online.xml", "sip:B@ps.cintel.net.cn", "sg89ah",
    BEACON_PIDF_BASIC_OPEN, "online", NULL, -1, BEACON_STATUS_ONLINE },
  { "seed-2.1.2.1-m15-c-contact.xml", "sip:C@ps.cintel.net.cn", "slie77",
    BEACON_PIDF_BASIC_OPEN, "online", "sip:C@ps.cintel.net.cn", 1.0, BEACON_STATUS_ONLINE },
  /* 2.1.2.4: A publishes online, then busy (`<im>busy </im>`), then leaves */
  { "seed-2.1.2.4-m1-a-online.xml", "sip:A@ps.cintel.net.cn", "slie74",
    BEACON_PIDF_BASIC_OPEN, "online", NULL, -1, BEACON_STATUS_ONLINE },
  { "seed-2.1.2.4-m5-a-busy.xml", "sip:A@ps.cintel.net.cn", "slie74",
    BEACON_PIDF_BASIC_OPEN, "busy", NULL, -1, BEACON_STATUS_BUSY },
  { "seed-2.1.2.4-offline-notify.xml", "sip:A@ps.cintel.net.cn", "slie74",
    BEACON_PIDF_BASIC_CLOSED, "offline", NULL, -1, BEACON_STATUS_OFFLINE },
};

static void
test_seed (gconstpointer data)
{
  const SeedCase *c = data;
  g_autoptr(BeaconPidf) pidf = parse_fixture (c->file);
  const BeaconPidfTuple *tuple;

  g_assert_cmpstr (pidf->entity, ==, c->entity);
  g_assert_cmpuint (pidf->tuples->len, ==, 1);
  tuple = tuple_at (pidf, 0);
  g_assert_cmpstr (tuple->id, ==, c->tuple_id);
  g_assert_cmpint (tuple->basic, ==, c->basic);
  g_assert_cmpstr (tuple->im, ==, c->im);
  g_assert_cmpstr (tuple->contact, ==, c->contact);
  g_assert_cmpfloat_with_epsilon (tuple->priority, c->priority, 1e-9);
  g_assert_cmpuint (tuple->notes->len, ==, 0);
  g_assert_null (tuple->extended);
  g_assert_cmpuint (pidf->activities->len, ==, 0);
  g_assert_null (pidf->person_note);
  assert_summary (pidf, c->status, NULL);
}

/* ---- other peers ------------------------------------------------------ */

static void
test_linphone (void)
{
  g_autoptr(BeaconPidf) away = parse_fixture ("linphone-away.xml");
  g_autoptr(BeaconPidf) phone = parse_fixture ("linphone-on-the-phone.xml");
  g_autoptr(BeaconPidf) online = parse_fixture ("linphone-online.xml");
  g_autoptr(BeaconPidf) offline = parse_fixture ("linphone-offline.xml");
  const BeaconPidfTuple *tuple = tuple_at (away, 0);

  g_assert_cmpstr (away->entity, ==, "sip:bob@sip.example.org");
  g_assert_cmpstr (tuple->id, ==, "qmdyeq");
  g_assert_cmpint (tuple->basic, ==, BEACON_PIDF_BASIC_OPEN);
  g_assert_null (tuple->im);
  g_assert_cmpstr (tuple->contact, ==, "sip:bob@192.0.2.10:5060;transport=udp");
  g_assert_cmpfloat_with_epsilon (tuple->priority, 0.8, 1e-9);
  g_assert_cmpstr (tuple->timestamp, ==, "2024-03-01T09:15:02Z");
  g_assert_cmpuint (away->activities->len, ==, 1);
  g_assert_cmpstr (str_at (away->activities, 0), ==, "away");
  g_assert_cmpstr (away->person_note, ==, "Back in 10 minutes");
  assert_summary (away, BEACON_STATUS_AWAY, "Back in 10 minutes");

  /* The activity's own <rpid:note> is the note, not an activity. */
  g_assert_cmpuint (phone->activities->len, ==, 1);
  g_assert_cmpstr (str_at (phone->activities, 0), ==, "on-the-phone");
  assert_summary (phone, BEACON_STATUS_BUSY, "In a call with Alice");

  assert_summary (online, BEACON_STATUS_ONLINE, NULL);
  g_assert_cmpint (tuple_at (offline, 0)->basic, ==, BEACON_PIDF_BASIC_CLOSED);
  assert_summary (offline, BEACON_STATUS_OFFLINE, NULL);
}

static void
test_jitsi (void)
{
  g_autoptr(BeaconPidf) away = parse_fixture ("jitsi-away.xml");
  g_autoptr(BeaconPidf) phone = parse_fixture ("jitsi-on-the-phone.xml");

  /* Person before tuple, an unknown <rpid:status-icon>, status name as the
   * tuple note. */
  g_assert_cmpuint (away->tuples->len, ==, 1);
  g_assert_cmpstr (tuple_at (away, 0)->id, ==, "t6481503");
  g_assert_cmpstr (tuple_at (away, 0)->contact, ==, "sip:carol@example.com");
  g_assert_cmpuint (away->activities->len, ==, 1);
  assert_summary (away, BEACON_STATUS_AWAY, "Away");
  assert_summary (phone, BEACON_STATUS_BUSY, "On the phone");
}

static void
test_blink (void)
{
  g_autoptr(BeaconPidf) busy = parse_fixture ("blink-busy.xml");
  g_autoptr(BeaconPidf) xa = parse_fixture ("blink-extended-away.xml");
  const BeaconPidfTuple *tuple = tuple_at (busy, 0);

  g_assert_cmpstr (tuple->extended, ==, "busy");
  g_assert_cmpstr (tuple->contact, ==, "sip:alice@192.0.2.20:54321;transport=tls");
  g_assert_cmpstr (tuple->timestamp, ==, "2024-03-01T10:00:00.000+01:00");
  /* The <dm:device> note is the device's name, not the person's note. */
  g_assert_cmpstr (busy->person_note, ==, "Writing a report");
  assert_summary (busy, BEACON_STATUS_BUSY, "Writing a report");

  g_assert_cmpstr (tuple_at (xa, 0)->extended, ==, "extended-away");
  g_assert_cmpuint (xa->activities->len, ==, 0);
  assert_summary (xa, BEACON_STATUS_AWAY, NULL);
}

static void
test_rfc3863 (void)
{
  g_autoptr(BeaconPidf) pidf = parse_fixture ("rfc3863-im-namespace.xml");
  const BeaconPidfTuple *tuple = tuple_at (pidf, 0);

  g_assert_cmpstr (pidf->entity, ==, "pres:someone@example.com");
  g_assert_cmpstr (tuple->im, ==, "busy");
  g_assert_cmpuint (tuple->notes->len, ==, 2);
  g_assert_cmpstr (str_at (tuple->notes, 0), ==, "Don't Disturb Please!");
  g_assert_cmpstr (str_at (tuple->notes, 1), ==, "Ne dérangez pas, s'il vous plaît");
  g_assert_cmpstr (tuple->timestamp, ==, "2001-10-27T16:49:29Z");
  g_assert_cmpuint (pidf->notes->len, ==, 1);
  g_assert_cmpstr (str_at (pidf->notes, 0), ==, "Always reachable");
  assert_summary (pidf, BEACON_STATUS_BUSY, "Don't Disturb Please!");
}

static void
test_kamailio (void)
{
  g_autoptr(BeaconPidf) merged = parse_fixture ("kamailio-aggregated.xml");
  g_autoptr(BeaconPidf) dummy = parse_fixture ("kamailio-dummy.xml");
  g_autoptr(BeaconPidf) expired = parse_fixture ("kamailio-offline-body.xml");

  /* Two publications merged: activities of both persons, first person's
   * note. Linphone's tuple has the higher priority and no <im>, so the
   * persons' activities decide, and busy beats away. */
  g_assert_cmpuint (merged->tuples->len, ==, 2);
  g_assert_cmpuint (merged->activities->len, ==, 2);
  g_assert_cmpstr (str_at (merged->activities, 0), ==, "busy");
  g_assert_cmpstr (str_at (merged->activities, 1), ==, "away");
  g_assert_cmpstr (merged->person_note, ==, "Compiling");
  assert_summary (merged, BEACON_STATUS_BUSY, "Compiling");

  /* force_dummy_presence: entity is the bare user, empty <activities/>. */
  g_assert_cmpstr (dummy->entity, ==, "grace");
  g_assert_cmpuint (dummy->activities->len, ==, 0);
  assert_summary (dummy, BEACON_STATUS_ONLINE, "Available");

  /* An expired publication: <basic> closed wins over the kept <im>. */
  g_assert_cmpstr (tuple_at (expired, 0)->im, ==, "busy");
  assert_summary (expired, BEACON_STATUS_OFFLINE, NULL);
}

/* ---- precedence ------------------------------------------------------- */

static void
test_multi_tuple (void)
{
  g_autoptr(BeaconPidf) priority = parse_fixture ("multi-tuple-priority.xml");
  g_autoptr(BeaconPidf) tie = parse_fixture ("multi-tuple-tie.xml");
  g_autoptr(BeaconPidf) online = parse_fixture ("multi-tuple-online-wins.xml");

  /* The open tuple with the highest priority; the closed one with 1.0 does
   * not count. */
  g_assert_cmpuint (priority->tuples->len, ==, 3);
  assert_summary (priority, BEACON_STATUS_AWAY, "Phone in my pocket");
  /* No priorities: busy is more reachable than away; closed is ignored. */
  assert_summary (tie, BEACON_STATUS_BUSY, "in a meeting");
  /* Equal priorities ("0.5" and "0.50"): online wins, <im> case ignored. */
  assert_summary (online, BEACON_STATUS_ONLINE, NULL);
}

static void
test_appear_offline (void)
{
  g_autoptr(BeaconPidf) pidf = parse_fixture ("appear-offline.xml");

  g_assert_cmpint (tuple_at (pidf, 0)->basic, ==, BEACON_PIDF_BASIC_OPEN);
  assert_summary (pidf, BEACON_STATUS_OFFLINE, "invisible");
}

static void
test_rpid_in_tuple (void)
{
  g_autoptr(BeaconPidf) pidf = parse_fixture ("rpid-in-tuple-status.xml");
  const BeaconPidfTuple *tuple = tuple_at (pidf, 0);

  /* The tuple's own activity (meeting) comes before the person's. */
  g_assert_cmpuint (tuple->activities->len, ==, 1);
  g_assert_cmpstr (str_at (tuple->activities, 0), ==, "meeting");
  g_assert_cmpstr (str_at (pidf->activities, 0), ==, "vacation");
  assert_summary (pidf, BEACON_STATUS_BUSY, NULL);
}

static void
test_bad_values (void)
{
  g_autoptr(BeaconPidf) pidf = parse_fixture ("no-entity-bad-values.xml");
  g_autoptr(BeaconPidf) none = parse_fixture ("no-tuples.xml");

  g_assert_null (pidf->entity);
  g_assert_cmpuint (pidf->tuples->len, ==, 3);
  g_assert_cmpstr (tuple_at (pidf, 0)->id, ==, "m1&1");  /* escaped "&" kept as is */
  /* "maybe" is ignored, the (trimmed) <im> still names a status. */
  g_assert_cmpint (tuple_at (pidf, 0)->basic, ==, BEACON_PIDF_BASIC_UNKNOWN);
  g_assert_cmpstr (tuple_at (pidf, 0)->im, ==, "Away");
  g_assert_cmpfloat (tuple_at (pidf, 0)->priority, ==, -1);
  g_assert_cmpint (tuple_at (pidf, 1)->basic, ==, BEACON_PIDF_BASIC_OPEN);
  g_assert_cmpfloat (tuple_at (pidf, 1)->priority, ==, -1);  /* 1.5 */
  g_assert_cmpint (tuple_at (pidf, 2)->basic, ==, BEACON_PIDF_BASIC_UNKNOWN);
  g_assert_cmpfloat_with_epsilon (tuple_at (pidf, 2)->priority, 0.2, 1e-9);
  /* m1 (away) and m2 (open, online) count, m3 (offline, no basic) does
   * not, though it has the only priority. */
  assert_summary (pidf, BEACON_STATUS_ONLINE, NULL);

  g_assert_cmpuint (none->tuples->len, ==, 0);
  assert_summary (none, BEACON_STATUS_OFFLINE, "gone fishing");
}

/* ---- damage ----------------------------------------------------------- */

static void
test_damage (void)
{
  g_autoptr(BeaconPidf) glued = parse_fixture ("glued-attributes.xml");
  g_autoptr(BeaconPidf) amp = parse_fixture ("unescaped-ampersand.xml");
  g_autoptr(BeaconPidf) mismatched = parse_fixture ("damaged-mismatched-tag.xml");
  g_autoptr(BeaconPidf) crlf = parse_fixture ("leading-crlf.xml");
  g_autoptr(BeaconPidf) prefixed = parse_fixture ("prefixed.xml");
  g_autoptr(BeaconPidf) chinese = parse_fixture ("chinese-note.xml");
  g_autoptr(BeaconPidf) bad_utf8 = parse_fixture ("damaged-invalid-utf8.xml");

  g_assert_cmpstr (glued->entity, ==, "sip:lou@example.com");
  g_assert_cmpstr (tuple_at (glued, 0)->id, ==, "g1");
  g_assert_cmpstr (tuple_at (glued, 0)->contact, ==, "sip:lou@192.0.2.50");
  g_assert_cmpfloat_with_epsilon (tuple_at (glued, 0)->priority, 0.7, 1e-9);
  assert_summary (glued, BEACON_STATUS_AWAY, "out for lunch");

  g_assert_cmpstr (amp->entity, ==, "sip:ken@example.com;x=1&y=2");
  assert_summary (amp, BEACON_STATUS_ONLINE, "Tom & Jerry");

  /* </Basic>: not well-formed but complete, read in recovery mode. */
  g_assert_cmpstr (tuple_at (mismatched, 0)->contact, ==, "sip:nina@192.0.2.70");
  assert_summary (mismatched, BEACON_STATUS_AWAY, "brb");

  assert_summary (crlf, BEACON_STATUS_AWAY, NULL);
  g_assert_cmpstr (tuple_at (prefixed, 0)->contact, ==, "sip:mallory@192.0.2.60");
  assert_summary (prefixed, BEACON_STATUS_AWAY, "tuple note");
  assert_summary (chinese, BEACON_STATUS_BUSY, "开会中,请勿打扰 <会议室> & \"三楼\"");

  /* Bytes that are not UTF-8 (read in recovery mode, found by fuzzing)
   * never reach the caller: each becomes U+FFFD. */
  g_assert_true (g_utf8_validate (tuple_at (bad_utf8, 0)->contact, -1, NULL));
  g_assert_true (g_str_has_prefix (tuple_at (bad_utf8, 0)->contact, "sip:bob@192.0.2.10:5\xef\xbf\xbd"));
  assert_summary (bad_utf8, BEACON_STATUS_AWAY, "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_body_is_empty (void)
{
  g_assert_true (beacon_pidf_body_is_empty (NULL, 0));
  g_assert_true (beacon_pidf_body_is_empty ("", 0));
  g_assert_true (beacon_pidf_body_is_empty (" \r\n\t", 4));
  g_assert_false (beacon_pidf_body_is_empty (" <", 2));
  g_assert_true (beacon_pidf_body_is_empty (" <", 1));  /* only @len counts */
}

/* ---- hostile input ---------------------------------------------------- */

typedef struct {
  const char *file;
  int         code;
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "hostile-bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
  { "hostile-external-entity.xml", BEACON_FORMAT_ERROR_FORBIDDEN },
  { "hostile-deep-nesting.xml", BEACON_FORMAT_ERROR_TOO_DEEP },
  { "hostile-truncated.xml", BEACON_FORMAT_ERROR_MALFORMED },
  { "hostile-wrong-root.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT },
  { "hostile-not-xml.txt", BEACON_FORMAT_ERROR_MALFORMED },
  { "hostile-empty.xml", BEACON_FORMAT_ERROR_MISSING },
  { "hostile-whitespace.xml", BEACON_FORMAT_ERROR_MISSING },
};

static void
assert_refused (const char *data,
                gsize       len,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconPidf) pidf = beacon_pidf_parse (data, len, &error);

  g_assert_null (pidf);
  g_assert_error (error, BEACON_FORMAT_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_hostile (gconstpointer data)
{
  const HostileCase *c = data;
  g_autofree char *body = NULL;
  gsize len = 0;

  body = beacon_test_load_fixture ("pidf", c->file, &len);
  assert_refused (body, len, c->code);
}

static void
test_hostile_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  BeaconPidf *pidf;

  data = beacon_test_load_fixture ("pidf", "hostile-wrong-root.xml", &len);
  pidf = beacon_pidf_parse (data, len, &error);
  g_assert_null (pidf);
  g_assert_nonnull (strstr (error->message, "<presence>"));
  g_assert_nonnull (strstr (error->message, "<watcherinfo>"));
}

/* A NUL byte is not an XML character: the document is refused (it used
 * to be read up to the NUL, its note cut short), wherever the NUL is,
 * strict or in recovery mode (a complete document), like other damage. */
static void
test_nul_byte (void)
{
  static const char doc[] =
    "<?xml version=\"1.0\"?>\n<presence xmlns=\"" BEACON_PIDF_NAMESPACE
    "\" entity=\"sip:eve@example.test\"><tuple id=\"t1\"><status><basic>open</basic>"
    "</status><note>back at five</note></tuple></presence>\n";
  const gsize len = sizeof doc - 1;
  const char *note = strstr (doc, "five");
  const gsize at[] = { 0, 1, (gsize) (note - doc), (gsize) (note - doc) + 4, len - 2, len - 1 };
  g_autoptr(BeaconPidf) whole = beacon_pidf_parse (doc, len, NULL);

  g_assert_nonnull (whole);
  assert_summary (whole, BEACON_STATUS_ONLINE, "back at five");
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_autofree char *copy = g_memdup2 (doc, len);

      copy[at[i]] = '\0';
      assert_refused (copy, len, BEACON_FORMAT_ERROR_MALFORMED);
    }
  /* Inserted rather than replacing a byte: "back at \0five". */
  {
    g_autoptr(GString) s = g_string_new_len (doc, len);

    g_string_insert_len (s, note - doc, "\0", 1);
    assert_refused (s->str, s->len, BEACON_FORMAT_ERROR_MALFORMED);
  }
}

static void
test_huge (void)
{
  GString *s = g_string_new ("<?xml version=\"1.0\"?>\n<presence xmlns=\"" BEACON_PIDF_NAMESPACE
                             "\" entity=\"sip:eve@example.test\">\n");
  g_autofree char *data = NULL;
  gsize len;

  /* 2 MB of tuples: over the size bound. */
  for (guint i = 0; s->len < 2 * 1024 * 1024; i++)
    g_string_append_printf (s, "<tuple id=\"t%u\"><status><basic>open</basic></status>"
                               "<note>padding padding padding padding</note></tuple>\n", i);
  g_string_append (s, "</presence>\n");
  len = s->len;
  data = g_string_free (s, FALSE);
  assert_refused (data, len, BEACON_FORMAT_ERROR_TOO_LARGE);

  /* Under the size bound but over the element bound. */
  s = g_string_new ("<presence entity=\"sip:eve@example.test\">");
  for (guint i = 0; i < 25000; i++)
    g_string_append (s, "<note/>");
  g_string_append (s, "</presence>");
  len = s->len;
  g_free (data);
  data = g_string_free (s, FALSE);
  assert_refused (data, len, BEACON_FORMAT_ERROR_TOO_LARGE);
}

/* Every cut before the closing </presence> is refused, never read as a
 * shorter document; cuts after it only lose white space. */
static void
test_truncated_everywhere (void)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  const char *end_tag;
  gsize complete;

  data = beacon_test_load_fixture ("pidf", "linphone-away.xml", &len);
  end_tag = strstr (data, "</presence>");
  g_assert_nonnull (end_tag);
  complete = (gsize) (end_tag - data) + strlen ("</presence>");
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconPidf) pidf = beacon_pidf_parse (data, cut, &error);

      if (cut < complete)
        {
          g_assert_null (pidf);
          g_assert_nonnull (error);
        }
      else
        {
          g_assert_no_error (error);
          assert_summary (pidf, BEACON_STATUS_AWAY, "Back in 10 minutes");
        }
    }
}

/* ---- building --------------------------------------------------------- */

static BeaconPidf *
build_and_parse (const char    *entity,
                 BeaconStatus   status,
                 const char    *note,
                 const char    *contact,
                 char         **xml_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  gsize len = 0;
  BeaconPidf *pidf;

  xml = beacon_pidf_build (entity, status, note, contact, &len);
  g_assert_nonnull (xml);
  g_assert_cmpuint (len, ==, strlen (xml));
  g_assert_true (g_utf8_validate (xml, len, NULL));
  pidf = beacon_pidf_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pidf);
  if (xml_out != NULL)
    *xml_out = g_steal_pointer (&xml);
  return pidf;
}

static void
test_round_trip (void)
{
  static const char *const notes[] = {
    NULL, "lunch", "<&\"'> & &amp; ]]> <!-- x -->", "开会中,请勿打扰", "日本語 ünïcödé 😀 <b>",
  };
  static const char *const contacts[] = { NULL, "sip:A@a.cintel.net.cn;transport=tcp" };

  for (BeaconStatus status = BEACON_STATUS_OFFLINE; status <= BEACON_STATUS_BUSY; status++)
    for (guint n = 0; n < G_N_ELEMENTS (notes); n++)
      for (guint c = 0; c < G_N_ELEMENTS (contacts); c++)
        {
          g_autofree char *xml = NULL;
          g_autoptr(BeaconPidf) pidf =
            build_and_parse ("sip:A@ps.cintel.net.cn", status, notes[n], contacts[c], &xml);
          const BeaconPidfTuple *tuple;

          g_assert_cmpstr (pidf->entity, ==, "sip:A@ps.cintel.net.cn");
          g_assert_cmpuint (pidf->tuples->len, ==, 1);
          tuple = tuple_at (pidf, 0);
          g_assert_cmpint (tuple->basic, ==, status == BEACON_STATUS_OFFLINE
                                               ? BEACON_PIDF_BASIC_CLOSED
                                               : BEACON_PIDF_BASIC_OPEN);
          g_assert_cmpstr (tuple->im, ==, beacon_status_to_string (status));
          g_assert_cmpstr (tuple->contact, ==, contacts[c]);
          g_assert_null (tuple->timestamp);
          g_assert_true (g_str_has_prefix (tuple->id, "t"));
          if (status == BEACON_STATUS_BUSY || status == BEACON_STATUS_AWAY)
            {
              g_assert_cmpuint (pidf->activities->len, ==, 1);
              g_assert_cmpstr (str_at (pidf->activities, 0), ==, beacon_status_to_string (status));
            }
          else
            g_assert_cmpuint (pidf->activities->len, ==, 0);
          g_assert_cmpstr (pidf->person_note, ==, notes[n]);
          g_assert_cmpuint (tuple->notes->len, ==, notes[n] != NULL);
          assert_summary (pidf, status, notes[n]);
          /* The RPID part alone says the same (what Linphone reads). */
          if (status != BEACON_STATUS_OFFLINE)
            {
              g_clear_pointer (&((BeaconPidfTuple *) tuple)->im, g_free);
              assert_summary (pidf, status, notes[n]);
            }
        }
}

static void
test_build_shape (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *other = NULL;
  gsize len_a, len_b;
  g_autoptr(BeaconPidf) pa = NULL;
  g_autoptr(BeaconPidf) po = NULL;

  /* Deterministic: same arguments, same bytes. */
  a = beacon_pidf_build ("sip:A@ps.cintel.net.cn", BEACON_STATUS_AWAY, "x", "sip:A@h1", &len_a);
  b = beacon_pidf_build ("sip:A@ps.cintel.net.cn", BEACON_STATUS_AWAY, "x", "sip:A@h1", &len_b);
  g_assert_cmpmem (a, len_a, b, len_b);
  g_assert_true (g_str_has_prefix (a, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  g_assert_nonnull (strstr (a, "xmlns=\"" BEACON_PIDF_NAMESPACE "\""));
  g_assert_nonnull (strstr (a, "xmlns:im=\"" BEACON_PIDF_IM_NAMESPACE "\""));
  g_assert_nonnull (strstr (a, "<im:im>away</im:im>"));
  g_assert_nonnull (strstr (a, "<rpid:away/>"));
  g_assert_nonnull (strstr (a, "<dm:person id=\"p"));
  g_assert_null (strstr (a, "timestamp"));
  /* RFC 3863 order inside the tuple. */
  g_assert_true (strstr (a, "</status>") < strstr (a, "<contact>"));
  g_assert_true (strstr (a, "<contact>") < strstr (a, "<note>"));
  g_assert_true (strstr (a, "</tuple>") < strstr (a, "<dm:person"));

  /* Another device of the same presentity gets other ids. */
  other = beacon_pidf_build ("sip:A@ps.cintel.net.cn", BEACON_STATUS_AWAY, "x", "sip:A@h2", NULL);
  pa = beacon_pidf_parse (a, len_a, NULL);
  po = beacon_pidf_parse (other, strlen (other), NULL);
  g_assert_nonnull (pa);
  g_assert_nonnull (po);
  g_assert_cmpstr (tuple_at (pa, 0)->id, !=, tuple_at (po, 0)->id);
}

static void
test_build_sanitizes (void)
{
  g_autoptr(BeaconPidf) controls = NULL;
  g_autoptr(BeaconPidf) blank = NULL;
  g_autoptr(BeaconPidf) invalid = NULL;
  g_autofree char *xml = NULL;

  /* Control characters cannot be carried by XML 1.0: dropped. */
  controls = build_and_parse ("sip:A@x", BEACON_STATUS_BUSY, "\x01" "a\x1b[0mb\x7f", NULL, NULL);
  assert_summary (controls, BEACON_STATUS_BUSY, "a[0mb\x7f");

  /* A blank note is no note: no <note>, no <dm:note>, no empty person. */
  blank = build_and_parse ("sip:A@x", BEACON_STATUS_ONLINE, " \t\n ", NULL, &xml);
  g_assert_null (strstr (xml, "note"));
  g_assert_null (strstr (xml, "person"));
  assert_summary (blank, BEACON_STATUS_ONLINE, NULL);

  /* Invalid UTF-8 is replaced, not passed on. */
  invalid = build_and_parse ("sip:A@x", BEACON_STATUS_AWAY, "caf\xe9 ok", NULL, NULL);
  assert_summary (invalid, BEACON_STATUS_AWAY, "caf\xef\xbf\xbd ok");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pidf/status-strings", test_status_strings);
  for (guint i = 0; i < G_N_ELEMENTS (seed_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pidf/seed/%s", seed_cases[i].file);
      g_test_add_data_func (path, &seed_cases[i], test_seed);
    }
  g_test_add_func ("/pidf/linphone", test_linphone);
  g_test_add_func ("/pidf/jitsi", test_jitsi);
  g_test_add_func ("/pidf/blink", test_blink);
  g_test_add_func ("/pidf/rfc3863", test_rfc3863);
  g_test_add_func ("/pidf/kamailio", test_kamailio);
  g_test_add_func ("/pidf/summary/multi-tuple", test_multi_tuple);
  g_test_add_func ("/pidf/summary/appear-offline", test_appear_offline);
  g_test_add_func ("/pidf/summary/rpid-in-tuple", test_rpid_in_tuple);
  g_test_add_func ("/pidf/summary/bad-values", test_bad_values);
  g_test_add_func ("/pidf/damage", test_damage);
  g_test_add_func ("/pidf/body-is-empty", test_body_is_empty);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pidf/hostile/%s", hostile_cases[i].file);
      g_test_add_data_func (path, &hostile_cases[i], test_hostile);
    }
  g_test_add_func ("/pidf/hostile/messages", test_hostile_messages);
  g_test_add_func ("/pidf/hostile/huge", test_huge);
  g_test_add_func ("/pidf/hostile/nul-byte", test_nul_byte);
  g_test_add_func ("/pidf/hostile/truncated-everywhere", test_truncated_everywhere);
  g_test_add_func ("/pidf/build/round-trip", test_round_trip);
  g_test_add_func ("/pidf/build/shape", test_build_shape);
  g_test_add_func ("/pidf/build/sanitizes", test_build_sanitizes);

  return g_test_run ();
}
