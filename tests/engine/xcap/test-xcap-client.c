/* test-xcap-client.c — BeaconXcapClient against a local fake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "xcap/beacon-xcap-client.h"
#include "xcap-fake-server.h"

/* clang 14's LeakSanitizer crashes ("Tracer caught signal 11" in a DTLS
 * block) when glib-networking has dlopen()ed GnuTLS, which the TLS test
 * does; not tracking dynamic TLS avoids it. Read by ASan builds only. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

#define XUI "sip:alice@beacon.test"
#define RL_KEY "resource-lists/users/" XUI "/index"
#define LIST_DOC "<?xml version=\"1.0\"?>\n" \
  "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"buddies\"/></resource-lists>"

typedef struct {
  gboolean  done;
  GBytes   *bytes;
  gboolean  ok;
  char     *etag;
  GError   *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->bytes, g_bytes_unref);
  g_clear_pointer (&r->etag, g_free);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->ok = FALSE;
}

static void
on_get (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Result *r = user_data;
  r->bytes = beacon_xcap_client_get_finish (BEACON_XCAP_CLIENT (source), result, &r->etag, &r->error);
  r->ok = r->bytes != NULL;
  r->done = TRUE;
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Result *r = user_data;
  r->ok = beacon_xcap_client_put_finish (BEACON_XCAP_CLIENT (source), result, &r->etag, &r->error);
  r->done = TRUE;
}

static void
on_delete (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;
  r->ok = beacon_xcap_client_delete_finish (BEACON_XCAP_CLIENT (source), result, &r->etag, &r->error);
  r->done = TRUE;
}

static void
do_get (BeaconXcapClient *client,
        const char       *auid,
        const char       *selector,
        Result           *r)
{
  result_clear (r);
  beacon_xcap_client_get_async (client, auid, "index", selector, NULL, on_get, r);
  run_until (&r->done, 20);
}

static void
do_put (BeaconXcapClient *client,
        const char       *auid,
        const char       *selector,
        const char       *body,
        Result           *r)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  result_clear (r);
  beacon_xcap_client_put_async (client, auid, "index", selector, bytes, NULL, on_put, r);
  run_until (&r->done, 20);
}

static void
do_delete (BeaconXcapClient *client,
           const char       *auid,
           const char       *selector,
           Result           *r)
{
  result_clear (r);
  beacon_xcap_client_delete_async (client, auid, "index", selector, NULL, on_delete, r);
  run_until (&r->done, 20);
}

/* @needle in @haystack, ignoring ASCII case (%5b and %5B are the same). */
static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

static FakeRequest *
last_request (FakeXcap *fake)
{
  GPtrArray *requests = fake_xcap_requests (fake);
  g_assert_cmpuint (requests->len, >, 0);
  return g_ptr_array_index (requests, requests->len - 1);
}

static BeaconXcapClient *
new_client (const char *root)
{
  g_autoptr(GError) error = NULL;
  BeaconXcapClient *client = beacon_xcap_client_new (root, XUI, &error);

  g_assert_no_error (error);
  beacon_xcap_client_set_timeout (client, 5);
  return client;
}

static void
test_uri (void)
{
  g_autoptr(BeaconXcapClient) client = new_client ("http://127.0.0.1:5080/xcap-root/");
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = NULL;
  g_autofree char *element = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *long_uri = NULL;

  doc = beacon_xcap_client_build_uri (client, "resource-lists", "index", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (doc, ==, "http://127.0.0.1:5080/xcap-root/resource-lists/users/sip:alice@beacon.test/index");

  element = beacon_xcap_client_build_uri (client, "resource-lists", "index",
                                          "resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:bob@beacon.test\"]",
                                          &error);
  g_assert_no_error (error);
  /* Brackets and quotes encoded (either hex case), @ : = / kept. */
  g_assert_true (contains_ci (element, "http://127.0.0.1:5080/xcap-root/resource-lists/users/"
                              "sip:alice@beacon.test/index/~~/resource-lists/list%5b@name=%22buddies%22%5d"
                              "/entry%5b@uri=%22sip:bob@beacon.test%22%5d"));
  g_assert_null (strchr (element, '"'));
  g_assert_null (strchr (element, '['));

  spaced = beacon_xcap_client_build_uri (client, "resource-lists", "my doc?#",
                                         "a/b[@x=\"é %\"]", &error);
  g_assert_no_error (error);
  g_assert_true (contains_ci (spaced, "/my%20doc%3f%23/~~/a/b%5b@x=%22%c3%a9%20%25%22%5d"));

  /* Grow a selector until the client refuses it: the last one accepted
   * has a request path of exactly 255 bytes, the limit Kamailio applies. */
  for (guint n = 1; n < 400; n++)
    {
      g_autofree char *user = g_strnfill (n, 'a');
      g_autofree char *sel = g_strdup_printf ("resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:%s@b\"]", user);
      g_autofree char *url = beacon_xcap_client_build_uri (client, "resource-lists", "index", sel, &error);

      if (url == NULL)
        break;
      g_free (long_uri);
      long_uri = g_steal_pointer (&url);
    }
  g_assert_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_URI_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "255"));
  g_clear_error (&error);
  g_assert_nonnull (long_uri);
  g_assert_cmpuint (strlen (long_uri) - strlen ("http://127.0.0.1:5080"), ==, 255);

  g_assert_null (beacon_xcap_client_build_uri (client, "bad/auid", "index", NULL, &error));
  g_assert_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_invalid_root (void)
{
  const char *bad[] = { "ftp://example.org/xcap", "xcap-root", "http:///xcap-root", "", "https://h/x?q=1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (bad[i], XUI, &error);
      g_assert_null (client);
      g_assert_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_etags (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };
  FakeRequest *req;
  g_autofree char *first_etag = NULL;
  const char *sel = "resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:bob@beacon.test\"]";

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));

  /* Absent: 404 → NOT_FOUND, remembered as absent. */
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_NOT_FOUND);
  g_assert_cmpstr (last_request (fake)->path, ==, "/xcap-root/" RL_KEY);

  /* Create: If-None-Match: *, no If-Match, the AUID's content type. */
  do_put (client, "resource-lists", NULL, LIST_DOC, &r);
  g_assert_no_error (r.error);
  req = last_request (fake);
  g_assert_cmpstr (req->method, ==, "PUT");
  g_assert_cmpstr (req->if_none_match, ==, "*");
  g_assert_null (req->if_match);
  g_assert_cmpstr (req->content_type, ==, "application/resource-lists+xml");
  g_assert_cmpstr (req->body, ==, LIST_DOC);
  g_assert_cmpstr (r.etag, ==, fake_xcap_get_etag (fake, RL_KEY));
  g_assert_cmpstr (beacon_xcap_client_get_etag (client, "resource-lists", "index"), ==, r.etag);
  first_etag = g_strdup (r.etag);

  /* Overwrite: If-Match with the ETag the PUT gave. */
  do_put (client, "resource-lists", NULL, LIST_DOC, &r);
  g_assert_no_error (r.error);
  req = last_request (fake);
  g_assert_cmpstr (req->if_match, ==, first_etag);
  g_assert_null (req->if_none_match);
  g_assert_cmpstr (r.etag, !=, first_etag);

  /* Element PUT: xcap-el+xml, If-Match, encoded selector. */
  do_put (client, "resource-lists", sel,
          "<entry xmlns=\"urn:ietf:params:xml:ns:resource-lists\" uri=\"sip:bob@beacon.test\"/>", &r);
  g_assert_no_error (r.error);
  req = last_request (fake);
  g_assert_cmpstr (req->content_type, ==, "application/xcap-el+xml");
  g_assert_nonnull (req->if_match);
  g_assert_cmpstr (req->selector, ==, sel);
  g_assert_nonnull (strstr (fake_xcap_get_doc (fake, RL_KEY), "sip:bob@beacon.test"));

  /* Element GET returns the element and the document's ETag. */
  do_get (client, "resource-lists", sel, &r);
  g_assert_no_error (r.error);
  g_assert_nonnull (strstr (g_bytes_get_data (r.bytes, NULL), "uri=\"sip:bob@beacon.test\""));
  g_assert_cmpstr (r.etag, ==, fake_xcap_get_etag (fake, RL_KEY));

  /* Element DELETE with If-Match. */
  do_delete (client, "resource-lists", sel, &r);
  g_assert_no_error (r.error);
  req = last_request (fake);
  g_assert_cmpstr (req->method, ==, "DELETE");
  g_assert_cmpstr (req->if_match, !=, NULL);
  g_assert_null (strstr (fake_xcap_get_doc (fake, RL_KEY), "sip:bob@beacon.test"));

  /* A GET picks up the current ETag. */
  fake_xcap_set_doc (fake, RL_KEY, LIST_DOC);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (g_bytes_get_data (r.bytes, NULL), ==, LIST_DOC);
  g_assert_cmpstr (beacon_xcap_client_get_etag (client, "resource-lists", "index"), ==,
                   fake_xcap_get_etag (fake, RL_KEY));

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_stale_etag (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));
  fake_xcap_set_doc (fake, RL_KEY, LIST_DOC);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_no_error (r.error);

  /* Someone else writes: our ETag is stale, the PUT is refused. */
  fake_xcap_set_doc (fake, RL_KEY, LIST_DOC);
  do_put (client, "resource-lists", NULL, LIST_DOC, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT);
  g_assert_cmpuint (last_request (fake)->status, ==, 412);
  g_assert_nonnull (strstr (r.error->message, "412"));
  /* …and forgotten, so the caller re-reads. */
  g_assert_null (beacon_xcap_client_get_etag (client, "resource-lists", "index"));

  fake_xcap_fail_next (fake, "PUT", 409, 1);
  do_get (client, "resource-lists", NULL, &r);
  do_put (client, "resource-lists", NULL, LIST_DOC, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT);
  g_assert_cmpuint (last_request (fake)->status, ==, 409);

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_auth (void)
{
  const char *users[] = { "alice:s3cret", NULL };
  FakeXcap *fake = fake_xcap_new (users, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  fake_xcap_set_doc (fake, RL_KEY, LIST_DOC);
  client = new_client (fake_xcap_root (fake));

  /* No credentials: the 401 comes back at once. */
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (r.error->message, "password"));
  g_assert_cmpuint (fake_xcap_challenged (fake), ==, 1);
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 0);

  /* A wrong password: tried once, then UNAUTHORIZED (no endless retry). */
  fake_xcap_clear_requests (fake);
  beacon_xcap_client_set_credentials (client, "alice", "wrong");
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (fake_xcap_challenged (fake), ==, 2);
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 0);

  /* The right one: digest, and the document. */
  fake_xcap_clear_requests (fake);
  beacon_xcap_client_set_credentials (client, "alice", "s3cret");
  do_get (client, "resource-lists", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (g_bytes_get_data (r.bytes, NULL), ==, LIST_DOC);
  g_assert_true (g_str_has_prefix (last_request (fake)->authorization, "Digest "));
  g_assert_nonnull (strstr (last_request (fake)->authorization, "username=\"alice\""));

  /* Writes authenticate too. */
  do_put (client, "resource-lists", NULL, LIST_DOC, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (last_request (fake)->status, ==, 200);
  g_assert_true (g_str_has_prefix (last_request (fake)->authorization, "Digest "));

  /* A write that is challenged is re-sent with its body (libsoup 3.2
   * alone would re-send it empty). */
  {
    g_autoptr(BeaconXcapClient) fresh = new_client (fake_xcap_root (fake));
    const char *other = "<?xml version=\"1.0\"?><resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"/>";

    beacon_xcap_client_set_credentials (fresh, "alice", "s3cret");
    beacon_xcap_client_set_etag (fresh, "resource-lists", "index", fake_xcap_get_etag (fake, RL_KEY));
    fake_xcap_clear_requests (fake);
    do_put (fresh, "resource-lists", NULL, other, &r);
    g_assert_no_error (r.error);
    g_assert_cmpuint (fake_xcap_challenged (fake), ==, 1);
    g_assert_cmpstr (last_request (fake)->body, ==, other);
    g_assert_cmpstr (fake_xcap_get_doc (fake, RL_KEY), ==, other);
  }

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_server_error (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));

  /* The fake answers malformed XML with 500, as Kamailio does. */
  do_put (client, "resource-lists", NULL, "<resource-lists><list", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (r.error->message, "500 Internal Server Error"));

  fake_xcap_fail_next (fake, NULL, 503, 1);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (r.error->message, "503"));

  fake_xcap_fail_next (fake, NULL, 403, 1);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_FORBIDDEN);

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_redirect_not_followed (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));
  fake_xcap_redirect_to (fake, "http://127.0.0.1:1/elsewhere");
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (r.error->message, "302"));
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 1);

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_unreachable (void)
{
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", closed_port ());
  g_autoptr(BeaconXcapClient) client = new_client (root);
  Result r = { 0 };

  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (r.error->message, "127.0.0.1"));
  result_clear (&r);
}

/* A server that accepts connections and never answers. */
static GSocket *
silent_server (guint *port)
{
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, NULL);

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  local = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return socket;
}

static void
test_timeout (void)
{
  guint port;
  g_autoptr(GSocket) socket = silent_server (&port);

  g_assert_true (G_IS_SOCKET (socket));
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", port);
  g_autoptr(BeaconXcapClient) client = new_client (root);
  Result r = { 0 };
  gint64 start = g_get_monotonic_time ();

  beacon_xcap_client_set_timeout (client, 1);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  result_clear (&r);
}

static void
test_cancel (void)
{
  guint port;
  g_autoptr(GSocket) socket = silent_server (&port);

  g_assert_true (G_IS_SOCKET (socket));
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", port);
  g_autoptr(BeaconXcapClient) client = new_client (root);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  beacon_xcap_client_get_async (client, "resource-lists", "index", NULL, cancellable, on_get, &r);
  g_timeout_add_once (100, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  run_until (&r.done, 10);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&r);
}

static void
test_too_long_not_sent (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  g_autofree char *selector = NULL;
  g_autofree char *user = g_strnfill (300, 'x');
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));
  selector = g_strdup_printf ("resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:%s@beacon.test\"]", user);
  do_put (client, "resource-lists", selector, "<entry/>", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_URI_TOO_LONG);
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 0);

  /* With the limit lifted the request goes out. */
  beacon_xcap_client_set_max_uri_length (client, 0);
  do_get (client, "resource-lists", selector, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_NOT_FOUND);
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 1);

  result_clear (&r);
  fake_xcap_free (fake);
}

static void
test_big_body (void)
{
  FakeXcap *fake = fake_xcap_new (NULL, NULL);
  g_autoptr(BeaconXcapClient) client = NULL;
  g_autofree char *huge = g_strnfill (BEACON_XCAP_CLIENT_MAX_BODY + 10, ' ');
  Result r = { 0 };

  fake_xcap_listen (fake, 0);
  client = new_client (fake_xcap_root (fake));
  fake_xcap_set_doc (fake, RL_KEY, huge);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT);

  result_clear (&r);
  fake_xcap_free (fake);
}

static GTlsCertificate *
test_certificate (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "engine", "xcap", "test-server.pem", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return cert;
}

static void
test_tls (void)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GTlsDatabase) trusted = NULL;
  g_autoptr(BeaconXcapClient) client = NULL;
  g_autoptr(BeaconXcapClient) plain = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "engine", "xcap", "test-server.pem", NULL);
  g_autofree char *http_root = NULL;
  g_autoptr(GError) error = NULL;
  FakeXcap *fake;
  Result r = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      /* A missing dependency fails the run (install-deps.sh installs it):
       * a skip here would leave the rest of this program "OK". */
      g_test_fail_printf ("no TLS backend (glib-networking is not installed)");
      return;
    }
  cert = test_certificate ();
  fake = fake_xcap_new (NULL, cert);
  fake_xcap_listen (fake, 0);
  fake_xcap_set_doc (fake, RL_KEY, LIST_DOC);
  g_assert_true (g_str_has_prefix (fake_xcap_root (fake), "https://"));

  /* A certificate nobody vouches for: a TLS error, and no request at all
   * over http in its place. */
  client = new_client (fake_xcap_root (fake));
  do_get (client, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_TLS);
  g_assert_nonnull (strstr (r.error->message, "certificate"));
  g_assert_cmpuint (fake_xcap_count (fake, NULL), ==, 0);

  /* Trusted (as a pinned CA would be): the document comes over https. */
  trusted = g_tls_file_database_new (path, &error);
  g_assert_no_error (error);
  beacon_xcap_client_set_tls_database (client, trusted);
  do_get (client, "resource-lists", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (g_bytes_get_data (r.bytes, NULL), ==, LIST_DOC);

  /* Plain http to the TLS port fails; it is not upgraded or retried. */
  http_root = g_strdup_printf ("http://%s", fake_xcap_root (fake) + strlen ("https://"));
  plain = new_client (http_root);
  do_get (plain, "resource-lists", NULL, &r);
  g_assert_nonnull (r.error);
  g_assert_true (r.error->domain == BEACON_XCAP_ERROR);

  result_clear (&r);
  fake_xcap_free (fake);
}

/* What goes on the wire (SoupServer decodes paths, so a raw socket in a
 * thread reads the request line). */
typedef struct {
  GSocket *socket;
  char    *request_line;
} Wire;

static gpointer
wire_thread (gpointer data)
{
  Wire *wire = data;
  g_autoptr(GSocket) conn = g_socket_accept (wire->socket, NULL, NULL);
  g_autoptr(GString) seen = g_string_new (NULL);
  char buf[1024];
  const char *reply = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  g_assert_nonnull (conn);
  g_socket_set_timeout (conn, 10);
  while (strstr (seen->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (seen, buf, n);
    }
  wire->request_line = g_strndup (seen->str, strcspn (seen->str, "\r"));
  g_socket_send (conn, reply, strlen (reply), NULL, NULL);
  g_socket_close (conn, NULL);
  return NULL;
}

static void
test_wire_encoding (void)
{
  guint port;
  Wire wire = { 0 };
  g_autoptr(GSocket) socket = silent_server (&port);
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", port);
  g_autoptr(BeaconXcapClient) client = new_client (root);
  GThread *thread;
  Result r = { 0 };

  wire.socket = socket;
  thread = g_thread_new ("wire", wire_thread, &wire);
  do_get (client, "resource-lists",
          "resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:bob@beacon.test\"]", &r);
  g_thread_join (thread);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_NOT_FOUND);
  g_assert_true (contains_ci (wire.request_line,
                              "GET /xcap-root/resource-lists/users/sip:alice@beacon.test/index"
                              "/~~/resource-lists/list%5b@name=%22buddies%22%5d"
                              "/entry%5b@uri=%22sip:bob@beacon.test%22%5d HTTP/1.1"));
  g_free (wire.request_line);
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/xcap/client/uri", test_uri);
  g_test_add_func ("/xcap/client/invalid-root", test_invalid_root);
  g_test_add_func ("/xcap/client/wire-encoding", test_wire_encoding);
  g_test_add_func ("/xcap/client/etags", test_etags);
  g_test_add_func ("/xcap/client/stale-etag", test_stale_etag);
  g_test_add_func ("/xcap/client/auth", test_auth);
  g_test_add_func ("/xcap/client/server-error", test_server_error);
  g_test_add_func ("/xcap/client/redirect", test_redirect_not_followed);
  g_test_add_func ("/xcap/client/unreachable", test_unreachable);
  g_test_add_func ("/xcap/client/timeout", test_timeout);
  g_test_add_func ("/xcap/client/cancel", test_cancel);
  g_test_add_func ("/xcap/client/uri-too-long", test_too_long_not_sent);
  g_test_add_func ("/xcap/client/big-body", test_big_body);
  g_test_add_func ("/xcap/client/tls", test_tls);

  return g_test_run ();
}
