/* beacon-xcap-client.c — XCAP over a libsoup 3 SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-xcap-client.h"

#include <libsoup/soup.h>
#include <string.h>

#include "formats/beacon-xcap-util.h"

#define READ_CHUNK 16384

/* What the client believes about one document. */
typedef struct {
  char *etag;  /* NULL: unknown, or the document does not exist */
} DocState;

struct _BeaconXcapClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *root;      /* without trailing '/' */
  gboolean     https;
  char        *xui;
  char        *username;
  char        *password;
  guint        timeout;
  gsize        max_uri;
  GHashTable  *docs;      /* "auid/document" → DocState */
};

G_DEFINE_FINAL_TYPE (BeaconXcapClient, beacon_xcap_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOT,
  PROP_XUI,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One request in flight: the GTask's data. */
typedef struct {
  SoupMessage  *msg;
  GBytes       *request_body;
  const char   *content_type;
  const char   *method;
  char         *doc_key;
  gboolean      whole_doc;
  char         *what;      /* "PUT resource-lists/index", for messages */
  GByteArray   *body;
  GInputStream *stream;
} Request;

static void
request_free (Request *req)
{
  g_clear_object (&req->msg);
  g_clear_pointer (&req->request_body, g_bytes_unref);
  g_clear_object (&req->stream);
  g_free (req->doc_key);
  g_free (req->what);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_free (req);
}

static void
doc_state_free (DocState *state)
{
  g_free (state->etag);
  g_free (state);
}

static DocState *
doc_state (BeaconXcapClient *self,
           const char       *key)
{
  DocState *state = g_hash_table_lookup (self->docs, key);

  if (state == NULL)
    {
      state = g_new0 (DocState, 1);
      g_hash_table_insert (self->docs, g_strdup (key), state);
    }
  return state;
}

static char *
doc_key (const char *auid,
         const char *document)
{
  return g_strconcat (auid, "/", document, NULL);
}

const char *
beacon_xcap_content_type_for_auid (const char *auid)
{
  if (g_strcmp0 (auid, "resource-lists") == 0)
    return "application/resource-lists+xml";
  if (g_strcmp0 (auid, "rls-services") == 0)
    return "application/rls-services+xml";
  if (g_strcmp0 (auid, "pres-rules") == 0 ||
      g_strcmp0 (auid, "org.openmobilealliance.pres-rules") == 0)
    return "application/auth-policy+xml";
  if (g_strcmp0 (auid, "pidf-manipulation") == 0)
    return "application/pidf+xml";
  return "application/xml";
}

static void
beacon_xcap_client_finalize (GObject *object)
{
  BeaconXcapClient *self = BEACON_XCAP_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->root);
  g_free (self->xui);
  g_free (self->username);
  g_clear_pointer (&self->password, g_free);
  g_hash_table_unref (self->docs);

  G_OBJECT_CLASS (beacon_xcap_client_parent_class)->finalize (object);
}

static void
beacon_xcap_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BeaconXcapClient *self = BEACON_XCAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_string (value, self->root);
      break;
    case PROP_XUI:
      g_value_set_string (value, self->xui);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_xcap_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BeaconXcapClient *self = BEACON_XCAP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      {
        gsize n;
        self->root = g_value_dup_string (value);
        n = self->root != NULL ? strlen (self->root) : 0;
        while (n > 0 && self->root[n - 1] == '/')
          self->root[--n] = '\0';
      }
      break;
    case PROP_XUI:
      self->xui = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      beacon_xcap_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_xcap_client_class_init (BeaconXcapClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_xcap_client_finalize;
  object_class->get_property = beacon_xcap_client_get_property;
  object_class->set_property = beacon_xcap_client_set_property;

  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_XUI] =
    g_param_spec_string ("xui", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, BEACON_XCAP_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_xcap_client_init (BeaconXcapClient *self)
{
  self->timeout = BEACON_XCAP_CLIENT_DEFAULT_TIMEOUT;
  self->max_uri = BEACON_XCAP_CLIENT_DEFAULT_MAX_URI;
  self->docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) doc_state_free);
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 "user-agent", "Beacon/" BEACON_VERSION " ",
                                                 NULL);
}

BeaconXcapClient *
beacon_xcap_client_new (const char  *root,
                        const char  *xui,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(BeaconXcapClient) self = NULL;
  const char *scheme;

  g_return_val_if_fail (root != NULL, NULL);

  uri = g_uri_parse (root, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an XCAP root: it must be an http:// or https:// address "
                   "such as https://xcap.example.org/xcap-root", root);
      return NULL;
    }
  if (xui == NULL || *xui == '\0')
    {
      g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT,
                   "An XCAP user (XUI) such as sip:alice@example.org is needed");
      return NULL;
    }

  self = g_object_new (BEACON_TYPE_XCAP_CLIENT, "root", root, "xui", xui, NULL);
  self->https = g_strcmp0 (scheme, "https") == 0;
  return g_steal_pointer (&self);
}

const char *
beacon_xcap_client_get_root (BeaconXcapClient *self)
{
  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (self), NULL);
  return self->root;
}

const char *
beacon_xcap_client_get_xui (BeaconXcapClient *self)
{
  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (self), NULL);
  return self->xui;
}

void
beacon_xcap_client_set_credentials (BeaconXcapClient *self,
                                    const char       *username,
                                    const char       *password)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));

  g_free (self->username);
  g_free (self->password);
  self->username = g_strdup (username);
  self->password = g_strdup (password != NULL ? password : "");
}

void
beacon_xcap_client_set_timeout (BeaconXcapClient *self,
                                guint             seconds)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
beacon_xcap_client_get_timeout (BeaconXcapClient *self)
{
  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (self), 0);
  return self->timeout;
}

void
beacon_xcap_client_set_tls_database (BeaconXcapClient *self,
                                     GTlsDatabase     *database)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));
  g_object_set (self->session, "tls-database", database, NULL);
}

void
beacon_xcap_client_set_max_uri_length (BeaconXcapClient *self,
                                       gsize             max)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));
  self->max_uri = max;
}

static gboolean
auid_is_valid (const char *auid)
{
  if (auid == NULL || *auid == '\0')
    return FALSE;
  for (const char *p = auid; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

char *
beacon_xcap_client_build_uri (BeaconXcapClient  *self,
                              const char        *auid,
                              const char        *document,
                              const char        *selector,
                              GError           **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) parsed = NULL;
  gsize path_len;

  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (self), NULL);

  if (!auid_is_valid (auid) || document == NULL || *document == '\0' ||
      (selector != NULL && *selector == '\0'))
    {
      g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT,
                   "Invalid XCAP document “%s/%s”", auid ? auid : "", document ? document : "");
      return NULL;
    }

  url = beacon_xcap_document_url (self->root, auid, self->xui, document);
  if (selector != NULL)
    {
      g_autofree char *escaped = beacon_xcap_path_escape (selector);
      char *full = g_strconcat (url, "/~~/", escaped, NULL);
      g_free (url);
      url = full;
    }

  parsed = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (parsed == NULL)
    {
      g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid XCAP URI", url);
      return NULL;
    }
  /* What the server measures is the request line's target. */
  path_len = strlen (g_uri_get_path (parsed));
  if (g_uri_get_query (parsed) != NULL)
    path_len += 1 + strlen (g_uri_get_query (parsed));
  if (self->max_uri > 0 && path_len > self->max_uri)
    {
      g_set_error (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_URI_TOO_LONG,
                   "The XCAP request URI %s is %" G_GSIZE_FORMAT " bytes long, over the "
                   "server's limit of %" G_GSIZE_FORMAT ": use a shorter address",
                   g_uri_get_path (parsed), path_len, self->max_uri);
      return NULL;
    }
  return g_steal_pointer (&url);
}

const char *
beacon_xcap_client_get_etag (BeaconXcapClient *self,
                             const char       *auid,
                             const char       *document)
{
  g_autofree char *key = NULL;
  DocState *state;

  g_return_val_if_fail (BEACON_IS_XCAP_CLIENT (self), NULL);

  key = doc_key (auid, document);
  state = g_hash_table_lookup (self->docs, key);
  return state != NULL ? state->etag : NULL;
}

void
beacon_xcap_client_set_etag (BeaconXcapClient *self,
                             const char       *auid,
                             const char       *document,
                             const char       *etag)
{
  g_autofree char *key = NULL;
  DocState *state;

  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));

  key = doc_key (auid, document);
  state = doc_state (self, key);
  g_free (state->etag);
  state->etag = g_strdup (etag);
}

/* ---- requests ---- */

static GError *
transport_error (const GError *error,
                 const char   *what,
                 const char   *root)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_TLS,
                        "XCAP %s: secure connection to %s failed (%s): check the "
                        "server's certificate; Beacon never falls back to plain http",
                        what, root, error->message);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT,
                        "XCAP %s: the server at %s sent an unreadable answer (%s)",
                        what, root, error->message);
  return g_error_new (BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE,
                      "XCAP %s: cannot reach %s (%s): check the address and the network",
                      what, root, error->message);
}

static gboolean
on_authenticate (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 gpointer     user_data)
{
  BeaconXcapClient *self = user_data;

  /* Retrying means the server refused these credentials: the 401 goes
   * back to the caller rather than asking again and again. */
  if (retrying || self->username == NULL)
    return FALSE;
  if (!self->https && g_ascii_strcasecmp (soup_auth_get_scheme_name (auth), "Basic") == 0)
    {
      g_debug ("refusing to send the password in clear (Basic over http)");
      return FALSE;
    }
  soup_auth_authenticate (auth, self->username, self->password);
  return TRUE;
}

/* libsoup 3.2 drops the request body when it re-sends a message (after a
 * digest challenge, a stale nonce…): the PUT would then go out empty and
 * Kamailio answers 500. So the body is set again on every restart. */
static void
on_restarted (SoupMessage *msg,
              Request     *req)
{
  if (req->request_body != NULL)
    soup_message_set_request_body_from_bytes (msg, req->content_type, req->request_body);
}

static void
finish_request (GTask *task)
{
  BeaconXcapClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  DocState *state = doc_state (self, req->doc_key);

  g_debug ("%s → %u %s (ETag %s, %u bytes)", req->what, status,
           soup_message_get_reason_phrase (req->msg), etag ? etag : "none", req->body->len);

  if (status >= 200 && status < 300)
    {
      gboolean gone = strcmp (req->method, SOUP_METHOD_DELETE) == 0 && req->whole_doc;
      gsize len = req->body->len;

      g_free (state->etag);
      state->etag = gone ? NULL : g_strdup (etag);

      /* A NUL after the data (not counted) lets callers read it as text. */
      g_byte_array_append (req->body, (const guint8 *) "", 1);
      g_task_return_pointer (task,
                             g_bytes_new_take (g_byte_array_free (g_steal_pointer (&req->body), FALSE), len),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* 404: no document; 412: our copy is stale, the caller re-reads. */
  if ((status == 404 && req->whole_doc) || status == 412)
    g_clear_pointer (&state->etag, g_free);
  g_task_return_error (task, beacon_xcap_error_new_for_status (status,
                                                               soup_message_get_reason_phrase (req->msg),
                                                               req->what));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconXcapClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, transport_error (error, req->what, self->root));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      finish_request (task);
      return;
    }
  if (req->body->len + g_bytes_get_size (chunk) > BEACON_XCAP_CLIENT_MAX_BODY)
    {
      g_task_return_new_error (task, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT,
                               "XCAP %s: the server's answer is larger than %d bytes",
                               req->what, BEACON_XCAP_CLIENT_MAX_BODY);
      return;
    }
  g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  /* The cancellable first: argument order is unspecified, and the task
   * is stolen in the same call. */
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, on_read, g_steal_pointer (&task));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconXcapClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      g_debug ("%s failed: %s", req->what, error->message);
      g_task_return_error (task, transport_error (error, req->what, self->root));
      return;
    }
  /* The cancellable first: argument order is unspecified, and the task
   * is stolen in the same call. */
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable, on_read, g_steal_pointer (&task));
}

static void
start_request (BeaconXcapClient    *self,
               const char          *method,
               const char          *auid,
               const char          *document,
               const char          *selector,
               GBytes              *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;
  Request *req;
  DocState *state;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  url = beacon_xcap_client_build_uri (self, auid, document, selector, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  req = g_new0 (Request, 1);
  req->method = method;
  req->doc_key = doc_key (auid, document);
  req->whole_doc = selector == NULL;
  req->what = g_strdup_printf ("%s %s/%s%s%s", method, auid, document,
                               selector ? "/~~/" : "", selector ? selector : "");
  req->body = g_byte_array_new ();
  req->msg = soup_message_new_from_uri (method, uri);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  /* A redirect could lead from https to http, or elsewhere: never follow. */
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect_object (req->msg, "authenticate", G_CALLBACK (on_authenticate), self, 0);

  headers = soup_message_get_request_headers (req->msg);
  state = doc_state (self, req->doc_key);
  if (strcmp (method, SOUP_METHOD_GET) != 0)
    {
      if (state->etag != NULL)
        soup_message_headers_replace (headers, "If-Match", state->etag);
      else if (req->whole_doc && strcmp (method, SOUP_METHOD_PUT) == 0)
        soup_message_headers_replace (headers, "If-None-Match", "*");
    }
  if (body != NULL)
    {
      req->request_body = g_bytes_ref (body);
      req->content_type = selector != NULL ? "application/xcap-el+xml"
                                           : beacon_xcap_content_type_for_auid (auid);
      soup_message_set_request_body_from_bytes (req->msg, req->content_type, body);
      g_signal_connect (req->msg, "restarted", G_CALLBACK (on_restarted), req);
    }

  g_debug ("%s (%s)", req->what,
           soup_message_headers_get_one (headers, "If-Match") ? "If-Match" :
           soup_message_headers_get_one (headers, "If-None-Match") ? "If-None-Match: *" :
           "unconditional");
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, cancellable,
                           on_sent, g_steal_pointer (&task));
}

void
beacon_xcap_client_get_async (BeaconXcapClient    *self,
                              const char          *auid,
                              const char          *document,
                              const char          *selector,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));

  start_request (self, SOUP_METHOD_GET, auid, document, selector, NULL,
                 cancellable, callback, user_data, beacon_xcap_client_get_async);
}

static GBytes *
finish_any (BeaconXcapClient  *self,
            GAsyncResult      *result,
            gpointer           source_tag,
            char             **etag,
            GError           **error)
{
  GTask *task = G_TASK (result);
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == source_tag, NULL);

  bytes = g_task_propagate_pointer (task, error);
  if (etag != NULL)
    {
      Request *req = g_task_get_task_data (task);
      const char *value = NULL;

      if (bytes != NULL && req != NULL && req->msg != NULL)
        value = soup_message_headers_get_one (soup_message_get_response_headers (req->msg),
                                              "ETag");
      *etag = g_strdup (value);
    }
  return bytes;
}

GBytes *
beacon_xcap_client_get_finish (BeaconXcapClient  *self,
                               GAsyncResult      *result,
                               char             **etag,
                               GError           **error)
{
  return finish_any (self, result, beacon_xcap_client_get_async, etag, error);
}

void
beacon_xcap_client_put_async (BeaconXcapClient    *self,
                              const char          *auid,
                              const char          *document,
                              const char          *selector,
                              GBytes              *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));
  g_return_if_fail (body != NULL);

  start_request (self, SOUP_METHOD_PUT, auid, document, selector, body,
                 cancellable, callback, user_data, beacon_xcap_client_put_async);
}

gboolean
beacon_xcap_client_put_finish (BeaconXcapClient  *self,
                               GAsyncResult      *result,
                               char             **etag,
                               GError           **error)
{
  g_autoptr(GBytes) bytes = finish_any (self, result, beacon_xcap_client_put_async, etag, error);
  return bytes != NULL;
}

void
beacon_xcap_client_delete_async (BeaconXcapClient    *self,
                                 const char          *auid,
                                 const char          *document,
                                 const char          *selector,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BEACON_IS_XCAP_CLIENT (self));

  start_request (self, SOUP_METHOD_DELETE, auid, document, selector, NULL,
                 cancellable, callback, user_data, beacon_xcap_client_delete_async);
}

gboolean
beacon_xcap_client_delete_finish (BeaconXcapClient  *self,
                                  GAsyncResult      *result,
                                  char             **etag,
                                  GError           **error)
{
  g_autoptr(GBytes) bytes = finish_any (self, result, beacon_xcap_client_delete_async, etag, error);
  return bytes != NULL;
}
