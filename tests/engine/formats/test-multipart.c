/* test-multipart.c — multipart/related bodies as RLS NOTIFYs carry them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-multipart.h"
#include "formats/beacon-sip-message.h"
#include "beacon-test-util.h"

static char *
to_crlf (const char *data,
         gsize      *len)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < *len; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_string_append_c (out, '\r');
      g_string_append_c (out, data[i]);
    }
  *len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The multipart body of a SIP message fixture, parsed with the message's
 * own Content-Type. */
static BeaconMultipart *
parse_data (const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(BeaconSipMessage) msg = beacon_sip_message_parse (data, len, &local);
  const char *body;
  gsize body_len;

  g_assert_no_error (local);
  body = g_bytes_get_data (msg->body, &body_len);
  return beacon_multipart_parse (beacon_sip_message_get_header (msg, "Content-Type"),
                                 body, body_len, error);
}

static BeaconMultipart *
parse_fixture (const char  *dir,
               const char  *name,
               GError     **error)
{
  gsize len;
  g_autofree char *data = beacon_test_load_fixture (dir, name, &len);

  return parse_data (data, len, error);
}

static void
assert_body (const BeaconMultipartPart *part,
             const char                *prefix,
             const char                *suffix)
{
  gsize len;
  const char *data = g_bytes_get_data (part->body, &len);

  g_assert_cmpuint (len, >=, strlen (prefix) + strlen (suffix));
  g_assert_cmpmem (data, strlen (prefix), prefix, strlen (prefix));
  g_assert_cmpmem (data + len - strlen (suffix), strlen (suffix), suffix, strlen (suffix));
}

/* Every `cid="..."` in the RLMI root must name a part. Found with strstr,
 * not an XML parser: this is about the multipart layer only. */
static guint
check_rlmi_cids (const BeaconMultipart     *mp,
                 const BeaconMultipartPart *root)
{
  g_autofree char *rlmi = g_strndup (g_bytes_get_data (root->body, NULL), g_bytes_get_size (root->body));
  guint found = 0;

  for (const char *p = strstr (rlmi, "cid=\""); p != NULL; p = strstr (p + 1, "cid=\""))
    {
      g_autofree char *cid = g_strndup (p + 5, strchr (p + 5, '"') - (p + 5));
      BeaconMultipartPart *part = beacon_multipart_find_by_cid (mp, cid);
      g_assert_nonnull (part);
      g_assert_true (part != root);
      g_assert_cmpstr (part->content_type, ==, "application/pidf+xml");
      found++;
    }
  return found;
}

typedef struct {
  const char *file;
  const char *root_cid;
  guint       n_parts;
  gboolean    closed;
  const char *pidf_cids[2];
} SeedMultipart;

static const SeedMultipart seed_multiparts[] = {
  { "2.1.2.1-M3.sip", "nXYxAE@ps.cintel.net.cn", 3, TRUE, { "B@ps.cintel.net.cn", "C@ps.cintel.net.cn" } },
  /* M7 ends on an open delimiter: no closing one */
  { "2.1.2.1-M7.sip", "nXYxAF@ps.cintel.net.cn", 2, FALSE, { "B@ps.cintel.net.cn", NULL } },
  { "2.1.2.1-M11.sip", "nXYxAG@ps.cintel.net.cn", 3, TRUE, { "B@ps.cintel.net.cn", "C@ps.cintel.net.cn" } },
  { "2.1.2.1-M15.sip", "nXYxAH@ps.cintel.net.cn", 3, TRUE, { "B@ps.cintel.net.cn", "C@ps.cintel.net.cn" } },
};

static void
check_seed_multipart (const SeedMultipart *c,
                      const char          *data,
                      gsize                len,
                      const char          *eol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconMultipart) mp = parse_data (data, len, &error);
  BeaconMultipartPart *root;

  g_test_message ("%s", c->file);
  g_assert_no_error (error);
  g_assert_cmpstr (mp->media_type, ==, "multipart/related");
  g_assert_cmpstr (mp->type, ==, "application/rlmi+xml");
  g_assert_cmpstr (mp->start, ==, c->root_cid);
  g_assert_cmpuint (mp->depth, ==, 1);
  g_assert_cmpuint (mp->parts->len, ==, c->n_parts);
  g_assert_cmpint (mp->closed, ==, c->closed);

  root = beacon_multipart_get_root (mp, NULL);
  g_assert_true (root == g_ptr_array_index (mp->parts, 0));
  /* `<nXYxAE@ ps.cintel.net.cn >` normalised */
  g_assert_cmpstr (root->content_id, ==, c->root_cid);
  g_assert_cmpstr (root->content_type, ==, "application/rlmi+xml");
  g_assert_cmpstr (root->charset, ==, "utf-8");
  g_assert_cmpstr (root->transfer_encoding, ==, "binary");
  assert_body (root, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "</list>");
  g_assert_cmpuint (check_rlmi_cids (mp, root), ==, c->n_parts - 1);

  for (guint i = 0; i < c->n_parts - 1; i++)
    {
      g_autofree char *bracketed = g_strdup_printf ("<%s>", c->pidf_cids[i]);
      g_autofree char *url = g_strdup_printf ("cid:%s", c->pidf_cids[i]);
      g_autofree char *entity = g_strdup_printf ("entity=\"sip:%s\"", c->pidf_cids[i]);
      BeaconMultipartPart *part = g_ptr_array_index (mp->parts, i + 1);
      g_autofree char *text = g_strndup (g_bytes_get_data (part->body, NULL), g_bytes_get_size (part->body));

      g_assert_cmpstr (part->content_id, ==, c->pidf_cids[i]);
      g_assert_true (beacon_multipart_find_by_cid (mp, bracketed) == part);
      g_assert_true (beacon_multipart_find_by_cid (mp, url) == part);
      g_assert_cmpstr (part->charset, ==, "utf-8");
      /* M11's `Content-Transfer-Encoding:binary` has no space */
      g_assert_cmpstr (part->transfer_encoding, ==, "binary");
      assert_body (part, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "</presence>");
      g_assert_nonnull (strstr (text, entity));
      g_assert_null (strstr (text, "--"));
      g_assert_nonnull (strstr (text, eol[0] == '\r' ? "?>\r\n<presence" : "?>\n<presence"));
    }
  g_assert_null (beacon_multipart_find_by_cid (mp, "D@ps.cintel.net.cn"));
}

static void
test_seed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_multiparts); i++)
    {
      gsize len;
      g_autofree char *data = beacon_test_load_fixture ("seed", seed_multiparts[i].file, &len);
      g_autofree char *crlf = NULL;

      check_seed_multipart (&seed_multiparts[i], data, len, "\n");
      crlf = to_crlf (data, &len);
      check_seed_multipart (&seed_multiparts[i], crlf, len, "\r\n");
    }
}

static void
test_kamailio (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconMultipart) initial = parse_fixture ("sip", "kamailio-rls-notify-initial.sip", &error);
  g_autoptr(BeaconMultipart) partial = NULL;
  BeaconMultipartPart *root;

  g_assert_no_error (error);
  /* the first RLS NOTIFY: fullState, no instances, only the RLMI part */
  g_assert_cmpuint (initial->parts->len, ==, 1);
  g_assert_true (initial->closed);
  root = beacon_multipart_get_root (initial, NULL);
  g_assert_cmpstr (root->content_id, ==, "1c0a7f2e93b4@beacon.test");
  g_assert_cmpstr (root->content_type, ==, "application/rlmi+xml");
  assert_body (root, "<?xml version=\"1.0\"?>\r\n<list", "</list>\r\n");
  g_assert_cmpuint (check_rlmi_cids (initial, root), ==, 0);

  partial = parse_fixture ("sip", "kamailio-rls-notify-partial.sip", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (partial->parts->len, ==, 2);
  root = beacon_multipart_get_root (partial, NULL);
  g_assert_cmpuint (check_rlmi_cids (partial, root), ==, 1);
  assert_body (beacon_multipart_find_by_cid (partial, "7e6d5c4b3a@beacon.test"),
               "<?xml", "</presence>\r\n");
}

static void
test_tolerance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconMultipart) pe = parse_fixture ("multipart", "preamble-epilogue.sip", &error);
  g_autoptr(BeaconMultipart) hyphen = NULL, cid = NULL, empty = NULL;
  BeaconMultipartPart *part;
  const char *second = "line one\r\n--  odd boundary is not a delimiter here\r\n";

  g_assert_no_error (error);
  g_assert_cmpstr (pe->boundary, ==, "  odd boundary");
  g_assert_cmpuint (pe->parts->len, ==, 2);
  g_assert_true (pe->closed);
  part = beacon_multipart_find_by_cid (pe, "second@x");
  g_assert_cmpstr (part->content_type, ==, "text/plain");
  g_assert_null (part->charset);
  g_assert_null (part->transfer_encoding);
  g_assert_cmpmem (g_bytes_get_data (part->body, NULL), g_bytes_get_size (part->body),
                   second, strlen (second));

  hyphen = parse_fixture ("multipart", "single-hyphen-close.sip", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hyphen->parts->len, ==, 1);
  g_assert_true (hyphen->closed);
  part = g_ptr_array_index (hyphen->parts, 0);
  g_assert_cmpstr (part->content_id, ==, "a@x");
  assert_body (part, "<?xml", "fullState=\"false\"/>");

  /* start="cid:r%40x", the root second, its Content-ID `< r@x >` */
  cid = parse_fixture ("multipart", "cid-url-start.sip", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cid->start, ==, "r@x");
  part = beacon_multipart_get_root (cid, NULL);
  g_assert_true (part == g_ptr_array_index (cid->parts, 1));
  g_assert_cmpstr (part->content_type, ==, "application/rlmi+xml");
  g_assert_cmpstr (part->charset, ==, "utf-8");
  g_assert_true (beacon_multipart_get_root (cid, "<other@x>") == g_ptr_array_index (cid->parts, 0));
  g_assert_true (beacon_multipart_get_root (cid, "nowhere@x") == g_ptr_array_index (cid->parts, 0));
  g_assert_true (beacon_multipart_find_by_cid (cid, "R@X") == part);

  empty = parse_fixture ("multipart", "empty-part.sip", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->parts->len, ==, 2);
  part = g_ptr_array_index (empty->parts, 0);
  g_assert_cmpuint (g_bytes_get_size (part->body), ==, 0);
  g_assert_null (part->content_type);
  part = g_ptr_array_index (empty->parts, 1);
  g_assert_cmpmem (g_bytes_get_data (part->body, NULL), g_bytes_get_size (part->body), "one line", 8);
}

static void
test_nesting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconMultipart) outer = parse_fixture ("multipart", "nested.sip", &error);
  g_autoptr(BeaconMultipart) inner = NULL;
  g_autoptr(BeaconMultipart) deep = NULL;
  g_autoptr(BeaconMultipart) level2 = NULL, level3 = NULL, level4 = NULL;
  BeaconMultipartPart *sub;

  g_assert_no_error (error);
  g_assert_cmpuint (outer->parts->len, ==, 2);
  sub = beacon_multipart_find_by_cid (outer, "sub@x");
  g_assert_true (beacon_multipart_part_is_multipart (sub));
  g_assert_false (beacon_multipart_part_is_multipart (g_ptr_array_index (outer->parts, 0)));
  inner = beacon_multipart_parse_part (outer, sub, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (inner->depth, ==, 2);
  g_assert_cmpuint (inner->parts->len, ==, 1);
  g_assert_cmpstr (((BeaconMultipartPart *) g_ptr_array_index (inner->parts, 0))->content_id, ==, "leaf@x");

  /* five levels sent; three are followed, the fourth is refused */
  deep = parse_fixture ("multipart", "deep-nesting.sip", &error);
  g_assert_no_error (error);
  level2 = beacon_multipart_parse_part (deep, g_ptr_array_index (deep->parts, 0), &error);
  g_assert_no_error (error);
  level3 = beacon_multipart_parse_part (level2, g_ptr_array_index (level2->parts, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (level3->depth, ==, BEACON_MULTIPART_MAX_DEPTH);
  g_assert_true (beacon_multipart_part_is_multipart (g_ptr_array_index (level3->parts, 0)));
  level4 = beacon_multipart_parse_part (level3, g_ptr_array_index (level3->parts, 0), &error);
  g_assert_null (level4);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_DEEP);
}

static void
test_hostile (void)
{
  static const struct { const char *dir, *file; int code; } cases[] = {
    { "sip", "hostile-missing-boundary.sip", BEACON_FORMAT_ERROR_MISSING },
    { "sip", "hostile-boundary-never-appears.sip", BEACON_FORMAT_ERROR_MALFORMED },
    { "sip", "message-text-zh.sip", BEACON_FORMAT_ERROR_WRONG_DOCUMENT },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconMultipart) truncated = NULL;
  BeaconMultipartPart *part;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BeaconMultipart) mp = parse_fixture (cases[i].dir, cases[i].file, &error);
      g_test_message ("%s", cases[i].file);
      g_assert_null (mp);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
      g_clear_error (&error);
    }

  /* cut in the middle of the second part: what is there is kept */
  truncated = parse_fixture ("sip", "hostile-truncated-mid-multipart.sip", &error);
  g_assert_no_error (error);
  g_assert_false (truncated->closed);
  g_assert_cmpuint (truncated->parts->len, ==, 2);
  part = g_ptr_array_index (truncated->parts, 1);
  g_assert_cmpstr (part->content_id, ==, "7e6d5c4b3a@beacon.test");
  assert_body (part, "<?xml", "<tuple i");

  {
    const char *no_parts = "preamble only\r\n--b--\r\n";
    g_autoptr(BeaconMultipart) mp = beacon_multipart_parse ("multipart/mixed;boundary=b", no_parts,
                                                            strlen (no_parts), &error);
    g_assert_null (mp);
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING);
    g_clear_error (&error);
  }
  {
    g_autoptr(BeaconMultipart) mp = beacon_multipart_parse ("garbage", "--b\r\n", 5, &error);
    g_assert_null (mp);
    g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MALFORMED);
    g_clear_error (&error);
  }
}

static void
test_bounds (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(BeaconMultipart) ok = NULL;
  g_autoptr(BeaconMultipart) too_many = NULL;
  g_autoptr(BeaconMultipart) too_big = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = NULL;

  for (guint i = 0; i < BEACON_MULTIPART_MAX_PARTS; i++)
    g_string_append_printf (body, "--b\r\nContent-ID: <p%u@x>\r\n\r\n%u\r\n", i, i);
  ok = beacon_multipart_parse ("multipart/mixed; boundary=b", body->str, body->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->parts->len, ==, BEACON_MULTIPART_MAX_PARTS);
  g_assert_false (ok->closed);
  g_assert_cmpmem (g_bytes_get_data (beacon_multipart_find_by_cid (ok, "p999@x")->body, NULL), 3, "999", 3);

  g_string_append (body, "--b\r\n\r\none more\r\n--b--\r\n");
  too_many = beacon_multipart_parse ("multipart/mixed; boundary=b", body->str, body->len, &error);
  g_assert_null (too_many);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  huge = g_malloc0 (BEACON_MULTIPART_MAX_SIZE + 1);
  too_big = beacon_multipart_parse ("multipart/mixed; boundary=b", huge, BEACON_MULTIPART_MAX_SIZE + 1, &error);
  g_assert_null (too_big);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
}

static void
test_normalize_cid (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "<nXYxAE@ ps.cintel.net.cn >", "nXYxAE@ps.cintel.net.cn" },
    { "nXYxAE@ps.cintel.net.cn", "nXYxAE@ps.cintel.net.cn" },
    { "cid:foo%40bar", "foo@bar" },
    { "<cid:a@b>", "a@b" },
    { "CID:<a@b>", "a@b" },
    { " < \t>", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = beacon_multipart_normalize_cid (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  g_assert_null (beacon_multipart_normalize_cid (NULL));
}

static void
test_build (void)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_multipart_part_free);
  g_autoptr(GBytes) rlmi = g_bytes_new_static ("<list/>", 7);
  g_autoptr(GBytes) pidf = g_bytes_new_static ("<presence>\r\n</presence>\r\n", 25);
  g_autoptr(GBytes) built = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(BeaconMultipart) mp = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  BeaconMultipartPart *part;

  g_ptr_array_add (parts, beacon_multipart_part_new ("<root@x>", "application/rlmi+xml", "UTF-8", rlmi));
  g_ptr_array_add (parts, beacon_multipart_part_new ("bob@x", "application/pidf+xml", NULL, pidf));
  g_ptr_array_add (parts, beacon_multipart_part_new (NULL, NULL, NULL, NULL));
  built = beacon_multipart_build ("bNd-1", "application/rlmi+xml", "root@x", parts, &content_type, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==,
                   "multipart/related;type=\"application/rlmi+xml\";start=\"<root@x>\";boundary=\"bNd-1\"");
  g_assert_cmpmem ((const char *) g_bytes_get_data (built, NULL) + g_bytes_get_size (built) - 11, 11,
                   "--bNd-1--\r\n", 11);

  mp = beacon_multipart_parse (content_type, g_bytes_get_data (built, NULL), g_bytes_get_size (built), &error);
  g_assert_no_error (error);
  g_assert_true (mp->closed);
  g_assert_cmpuint (mp->parts->len, ==, 3);
  part = beacon_multipart_get_root (mp, NULL);
  g_assert_cmpstr (part->content_id, ==, "root@x");
  g_assert_cmpstr (part->charset, ==, "utf-8");
  g_assert_true (g_bytes_equal (part->body, rlmi));
  part = beacon_multipart_find_by_cid (mp, "bob@x");
  g_assert_true (g_bytes_equal (part->body, pidf));
  g_assert_cmpstr (part->transfer_encoding, ==, "binary");
  g_assert_cmpuint (g_bytes_get_size (((BeaconMultipartPart *) g_ptr_array_index (mp->parts, 2))->body), ==, 0);

  /* the boundary must not occur in a part */
  {
    g_autoptr(GBytes) clash = g_bytes_new_static ("a\r\n--sep\r\nb", 12);
    g_ptr_array_add (parts, beacon_multipart_part_new ("clash@x", "text/plain", NULL, clash));
  }
  bad = beacon_multipart_build ("sep", NULL, NULL, parts, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  bad = beacon_multipart_build ("bad\"boundary", NULL, NULL, parts, NULL, &error);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  bad = beacon_multipart_build ("ok", NULL, "in\r\njected", parts, NULL, &error);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_ptr_array_set_size (parts, 0);
  bad = beacon_multipart_build ("ok", NULL, NULL, parts, NULL, &error);
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/multipart/seed", test_seed);
  g_test_add_func ("/formats/multipart/kamailio", test_kamailio);
  g_test_add_func ("/formats/multipart/tolerance", test_tolerance);
  g_test_add_func ("/formats/multipart/nesting", test_nesting);
  g_test_add_func ("/formats/multipart/hostile", test_hostile);
  g_test_add_func ("/formats/multipart/bounds", test_bounds);
  g_test_add_func ("/formats/multipart/normalize-cid", test_normalize_cid);
  g_test_add_func ("/formats/multipart/build", test_build);
  return g_test_run ();
}
