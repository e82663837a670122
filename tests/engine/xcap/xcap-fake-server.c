/* xcap-fake-server.c — see xcap-fake-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "xcap-fake-server.h"

#include "xcap/beacon-roster.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#define REALM "beacon.test"

typedef struct {
  char *body;
  char *etag;
} FakeDoc;

struct _FakeXcap
{
  SoupServer *server;
  GHashTable *users;      /* user → password, NULL for no auth */
  gboolean    https;
  char       *root;
  GHashTable *docs;       /* key → FakeDoc */
  guint       etag_counter;
  GPtrArray  *requests;   /* FakeRequest */
  guint       challenged; /* 401s, not in @requests */
  char       *fail_method;
  guint       fail_status;
  guint       fail_count;
  char       *redirect;
};

static void
fake_doc_free (FakeDoc *doc)
{
  g_free (doc->body);
  g_free (doc->etag);
  g_free (doc);
}

static void
fake_request_free (FakeRequest *req)
{
  g_free (req->method);
  g_free (req->path);
  g_free (req->doc);
  g_free (req->selector);
  g_free (req->if_match);
  g_free (req->if_none_match);
  g_free (req->content_type);
  g_free (req->authorization);
  g_free (req->body);
  g_free (req);
}

static void
split_path (const char  *path,
            char       **key,
            char       **selector)
{
  const char *rest = path;
  const char *tilde;
  g_autofree char *doc = NULL;

  if (g_str_has_prefix (rest, "/xcap-root/"))
    rest += strlen ("/xcap-root/");
  tilde = strstr (rest, "/~~/");
  doc = tilde != NULL ? g_strndup (rest, tilde - rest) : g_strdup (rest);
  *key = g_uri_unescape_string (doc, NULL);
  *selector = tilde != NULL ? g_uri_unescape_string (tilde + 4, NULL) : NULL;
}

static void
on_request_finished (SoupServer        *server,
                     SoupServerMessage *msg,
                     FakeXcap          *fake)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  FakeRequest *req;
  g_autoptr(GBytes) bytes = NULL;

  /* Digest challenges are counted apart, so the request lists read as
   * what the client meant to do. */
  if (soup_server_message_get_status (msg) == 401)
    {
      fake->challenged++;
      return;
    }
  req = g_new0 (FakeRequest, 1);
  bytes = soup_message_body_flatten (body);

  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  split_path (req->path, &req->doc, &req->selector);
  req->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  req->if_none_match = g_strdup (soup_message_headers_get_one (headers, "If-None-Match"));
  req->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  req->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  req->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  req->status = soup_server_message_get_status (msg);
  g_ptr_array_add (fake->requests, req);
}

static void
set_doc (FakeXcap   *fake,
         const char *key,
         const char *body,
         gsize       len)
{
  FakeDoc *doc = g_new0 (FakeDoc, 1);

  doc->body = g_strndup (body, len);
  doc->etag = g_strdup_printf ("\"fake-%u\"", ++fake->etag_counter);
  g_hash_table_insert (fake->docs, g_strdup (key), doc);
}

static xmlDoc *
parse (const char *data,
       gsize       len)
{
  return xmlReadMemory (data, (int) len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static char *
dump_doc (xmlDoc *xdoc)
{
  xmlChar *out = NULL;
  int len = 0;
  char *copy;

  xmlDocDumpMemory (xdoc, &out, &len);
  copy = g_strndup ((char *) out, len);
  xmlFree (out);
  return copy;
}

static xmlNode *
child_with (xmlNode    *parent,
            const char *name,
            const char *attribute,
            const char *value)
{
  for (xmlNode *n = parent != NULL ? parent->children : NULL; n != NULL; n = n->next)
    {
      xmlChar *v;
      gboolean match;

      if (n->type != XML_ELEMENT_NODE || strcmp ((char *) n->name, name) != 0)
        continue;
      v = xmlGetProp (n, (xmlChar *) attribute);
      match = v != NULL && strcmp ((char *) v, value) == 0;
      xmlFree (v);
      if (match)
        return n;
    }
  return NULL;
}

/* Element operations on `resource-lists/list[@name="N"](/entry[@uri="U"])`,
 * the only selectors the roster writes. Returns the status. */
static guint
element_op (FakeXcap          *fake,
            SoupServerMessage *msg,
            const char        *method,
            const char        *key,
            const char        *selector,
            const char        *body,
            gsize              body_len)
{
  g_autoptr(GRegex) regex = g_regex_new ("^resource-lists/list\\[@name=\"([^\"]*)\"\\]"
                                         "(?:/entry\\[@uri=([\"'])(.*)\\2\\])?$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *list_name = NULL;
  g_autofree char *uri = NULL;
  FakeDoc *doc = g_hash_table_lookup (fake->docs, key);
  xmlDoc *xdoc;
  xmlNode *list, *target;
  guint status = 200;

  if (doc == NULL || !g_regex_match (regex, selector, 0, &match))
    return strcmp (method, "GET") == 0 ? 404 : 500;
  list_name = g_match_info_fetch (match, 1);
  uri = g_match_info_fetch (match, 3);

  xdoc = parse (doc->body, strlen (doc->body));
  list = child_with (xmlDocGetRootElement (xdoc), "list", "name", list_name);
  target = uri != NULL && *uri != '\0' ? child_with (list, "entry", "uri", uri) : list;

  if (strcmp (method, "GET") == 0)
    {
      if (target == NULL)
        status = 404;
      else
        {
          xmlBufferPtr buffer = xmlBufferCreate ();
          xmlNodeDump (buffer, xdoc, target, 0, 0);
          soup_server_message_set_response (msg, "application/xcap-el+xml", SOUP_MEMORY_COPY,
                                            (char *) xmlBufferContent (buffer),
                                            xmlBufferLength (buffer));
          xmlBufferFree (buffer);
        }
    }
  else if (strcmp (method, "DELETE") == 0)
    {
      if (target == NULL || target == list)
        status = 500;
      else
        {
          xmlUnlinkNode (target);
          xmlFreeNode (target);
        }
    }
  else
    {
      xmlDoc *element = parse (body, body_len);
      xmlNode *root = element != NULL ? xmlDocGetRootElement (element) : NULL;

      if (root == NULL || list == NULL || uri == NULL || *uri == '\0')
        status = 500;
      else
        {
          xmlNode *copy = xmlDocCopyNode (root, xdoc, 1);
          if (target != NULL)
            {
              xmlReplaceNode (target, copy);
              xmlFreeNode (target);
            }
          else
            xmlAddChild (list, copy);
        }
      g_clear_pointer (&element, xmlFreeDoc);
    }

  if (status == 200 && strcmp (method, "GET") != 0)
    {
      g_autofree char *text = dump_doc (xdoc);
      set_doc (fake, key, text, strlen (text));
    }
  xmlFreeDoc (xdoc);
  return status;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *unused_path,
         GHashTable        *query,
         gpointer           user_data)
{
  FakeXcap *fake = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *if_match = soup_message_headers_get_one (headers, "If-Match");
  const char *if_none = soup_message_headers_get_one (headers, "If-None-Match");
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *key = NULL;
  g_autofree char *selector = NULL;
  FakeDoc *doc;
  guint status = 200;

  if (fake->redirect != NULL)
    {
      soup_server_message_set_redirect (msg, 302, fake->redirect);
      return;
    }
  if (fake->fail_count > 0 && (fake->fail_method == NULL || strcmp (fake->fail_method, method) == 0))
    {
      fake->fail_count--;
      soup_server_message_set_status (msg, fake->fail_status, NULL);
      return;
    }
  if (!g_str_has_prefix (path, "/xcap-root/"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  split_path (path, &key, &selector);
  doc = g_hash_table_lookup (fake->docs, key);

  if (strcmp (method, "GET") != 0)
    {
      if ((if_match != NULL && (doc == NULL || strcmp (if_match, doc->etag) != 0)) ||
          (if_none != NULL && doc != NULL && (strcmp (if_none, "*") == 0 || strcmp (if_none, doc->etag) == 0)))
        {
          soup_server_message_set_status (msg, 412, NULL);
          return;
        }
    }

  if (selector != NULL)
    status = element_op (fake, msg, method, key, selector,
                         g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  else if (strcmp (method, "GET") == 0)
    {
      if (doc == NULL)
        status = 404;
      else
        soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY,
                                          doc->body, strlen (doc->body));
    }
  else if (strcmp (method, "PUT") == 0)
    {
      xmlDoc *xdoc = parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      if (xdoc == NULL)
        status = 500;  /* Kamailio: malformed XML is 500, not 409 */
      else
        set_doc (fake, key, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_clear_pointer (&xdoc, xmlFreeDoc);
    }
  else if (strcmp (method, "DELETE") == 0)
    {
      if (doc == NULL)
        status = 500;  /* Kamailio again */
      else
        g_hash_table_remove (fake->docs, key);
    }
  else
    status = 405;

  soup_server_message_set_status (msg, status, NULL);
  doc = g_hash_table_lookup (fake->docs, key);
  if (status == 200 && doc != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", doc->etag);
}

static char *
digest_lookup (SoupAuthDomain    *domain,
               SoupServerMessage *msg,
               const char        *username,
               gpointer           user_data)
{
  FakeXcap *fake = user_data;
  const char *password = g_hash_table_lookup (fake->users, username);

  return password != NULL ? soup_auth_domain_digest_encode_password (username, REALM, password) : NULL;
}

FakeXcap *
fake_xcap_new (const char *const *digest_users,
               GTlsCertificate   *tls)
{
  FakeXcap *fake = g_new0 (FakeXcap, 1);

  fake->server = soup_server_new ("tls-certificate", tls, NULL);
  fake->https = tls != NULL;
  fake->docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fake_doc_free);
  fake->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_request_free);
  soup_server_add_handler (fake->server, NULL, handler, fake, NULL);
  g_signal_connect (fake->server, "request-finished", G_CALLBACK (on_request_finished), fake);

  if (digest_users != NULL)
    {
      g_autoptr(SoupAuthDomain) domain = soup_auth_domain_digest_new ("realm", REALM, NULL);

      fake->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; digest_users[i] != NULL; i++)
        {
          const char *colon = strchr (digest_users[i], ':');
          g_hash_table_insert (fake->users, g_strndup (digest_users[i], colon - digest_users[i]),
                               g_strdup (colon + 1));
        }
      soup_auth_domain_digest_set_auth_callback (domain, digest_lookup, fake, NULL);
      soup_auth_domain_add_path (domain, "/");
      soup_server_add_auth_domain (fake->server, domain);
    }
  return fake;
}

void
fake_xcap_free (FakeXcap *fake)
{
  if (fake == NULL)
    return;
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_clear_pointer (&fake->users, g_hash_table_unref);
  g_hash_table_unref (fake->docs);
  g_ptr_array_unref (fake->requests);
  g_free (fake->root);
  g_free (fake->fail_method);
  g_free (fake->redirect);
  g_free (fake);
}

guint
fake_xcap_listen (FakeXcap *fake,
                  guint     port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint bound;

  soup_server_listen (fake->server, address, fake->https ? SOUP_SERVER_LISTEN_HTTPS : 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);
  bound = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_free (fake->root);
  fake->root = g_strdup_printf ("%s://127.0.0.1:%u/xcap-root", fake->https ? "https" : "http", bound);
  return bound;
}

const char *
fake_xcap_root (FakeXcap *fake)
{
  return fake->root;
}

void
fake_xcap_set_doc (FakeXcap   *fake,
                   const char *key,
                   const char *body)
{
  if (body == NULL)
    g_hash_table_remove (fake->docs, key);
  else
    set_doc (fake, key, body, strlen (body));
}

const char *
fake_xcap_get_doc (FakeXcap   *fake,
                   const char *key)
{
  FakeDoc *doc = g_hash_table_lookup (fake->docs, key);
  return doc != NULL ? doc->body : NULL;
}

const char *
fake_xcap_get_etag (FakeXcap   *fake,
                    const char *key)
{
  FakeDoc *doc = g_hash_table_lookup (fake->docs, key);
  return doc != NULL ? doc->etag : NULL;
}

void
fake_xcap_fail_next (FakeXcap   *fake,
                     const char *method,
                     guint       status,
                     guint       count)
{
  g_free (fake->fail_method);
  fake->fail_method = g_strdup (method);
  fake->fail_status = status;
  fake->fail_count = count;
}

void
fake_xcap_redirect_to (FakeXcap   *fake,
                       const char *location)
{
  g_free (fake->redirect);
  fake->redirect = g_strdup (location);
}

GPtrArray *
fake_xcap_requests (FakeXcap *fake)
{
  return fake->requests;
}

void
fake_xcap_clear_requests (FakeXcap *fake)
{
  g_ptr_array_set_size (fake->requests, 0);
  fake->challenged = 0;
}

guint
fake_xcap_challenged (FakeXcap *fake)
{
  return fake->challenged;
}

guint
fake_xcap_count (FakeXcap   *fake,
                 const char *method)
{
  guint n = 0;

  for (guint i = 0; i < fake->requests->len; i++)
    {
      FakeRequest *req = g_ptr_array_index (fake->requests, i);
      if (method == NULL || strcmp (req->method, method) == 0)
        n++;
    }
  return n;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
run_until (const gboolean *flag,
           guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_deadline, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (timed_out)
    g_error ("timed out after %u s waiting for an asynchronous result", seconds);
}

guint
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_socket_close (socket, NULL);
  return port;
}

void
xcap_result_reset (XcapResult *r)
{
  g_clear_error (&r->error);
  g_clear_pointer (&r->bytes, g_bytes_unref);
  r->done = FALSE;
  r->ok = FALSE;
}

void
xcap_result_on_sync (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  XcapResult *r = user_data;

  r->ok = beacon_roster_sync_finish (BEACON_ROSTER (source), result, &r->error);
  r->done = TRUE;
}

void
xcap_result_on_edit (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  XcapResult *r = user_data;

  r->ok = beacon_roster_edit_finish (BEACON_ROSTER (source), result, &r->error);
  r->done = TRUE;
}
