/* beacon-sip-core.c — the one SIP stack: root, nua, handles, authentication, shutdown
 *
 * MESSAGE out and in is the core's facet in beacon-sip-core-message.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-core-private.h"

#include <string.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tagarg.h>
#include <sofia-sip/su_uniqueid.h>
#include <sofia-sip/tport_tag.h>

#include "formats/beacon-multipart.h"
#include "beacon-sip-error.h"

/* Challenges answered in a row without a success before giving up. */
#define MAX_AUTH_TRIES 2

struct _BeaconSipHandle
{
  BeaconSipCore       *core;    /* borrowed: the core outlives its handles */
  nua_handle_t        *nh;      /* NULL once detached */
  BeaconSipEventFunc   func;
  BeaconSipDetachFunc  detach;
  gpointer             owner;
  guint                auth_tries;
};

G_DEFINE_FINAL_TYPE (BeaconSipCore, beacon_sip_core, G_TYPE_OBJECT)

enum {
  MESSAGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- process-wide sofia-sip set-up -------------------------------------- */

/* sofia-sip's su_uniqueid has a library destructor that deletes its
 * pthread key at exit even when it never made one: it then deletes key 0,
 * which is GLib's (GSlice), and the next library destructor that touches
 * GLib (GTK's GResource) aborts with "pthread_setspecific: Invalid
 * argument". Drawing one random number at load time makes sofia-sip create
 * its own key, so that destructor deletes that one. */
__attribute__ ((constructor)) static void
beacon_sip_core_claim_uniqueid_key (void)
{
  (void) su_randint (0, 1);
}

static void
free_pending (GString *pending)
{
  g_string_free (pending, TRUE);
}

/* sofia-sip logs in pieces of lines; ours go out line by line as
 * g_debug, so G_MESSAGES_DEBUG=beacon-sip shows them with the rest. It
 * logs from its own threads too (a transport error while another root's
 * thread runs): the pieces wait in a buffer per thread, else two threads
 * appending to one buffer at once overflow it (seen under ASan). */
static void sofia_logger (void       *stream,
                          char const *fmt,
                          va_list     ap) G_GNUC_PRINTF (2, 0);

static void
sofia_logger (void       *stream,
              char const *fmt,
              va_list     ap)
{
  static GPrivate key = G_PRIVATE_INIT ((GDestroyNotify) free_pending);
  GString *pending = g_private_get (&key);
  char *nl;

  if (pending == NULL)
    {
      pending = g_string_new (NULL);
      g_private_set (&key, pending);
    }
  g_string_append_vprintf (pending, fmt, ap);
  while ((nl = strchr (pending->str, '\n')) != NULL)
    {
      *nl = '\0';
      g_debug ("sofia: %s", pending->str);
      g_string_erase (pending, 0, nl - pending->str + 1);
    }
}

static void
init_once (void)
{
  static gsize done = 0;

  /* su_init() sets up sofia-sip's per-process state (clock, sockets,
   * debug); it must run once, before the first root. Its logs would go to
   * stderr unasked. */
  if (g_once_init_enter (&done))
    {
      su_init ();
      su_log_redirect (NULL, sofia_logger, NULL);
      g_once_init_leave (&done, 1);
    }
}

/* ---- helpers for this folder -------------------------------------------- */

char *
beacon_sip_url_string (const url_t *url)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  char *s, *copy;

  if (url == NULL)
    return NULL;
  s = url_as_string (home, url);
  copy = g_strdup (s);
  su_home_deinit (home);
  return copy;
}

char *
beacon_sip_url_aor (const url_t *url)
{
  g_autofree char *host = NULL;

  if (url == NULL || url->url_user == NULL || url->url_host == NULL || *url->url_user == '\0')
    return NULL;
  host = g_ascii_strdown (url->url_host, -1);
  return g_strdup_printf ("%s:%s@%s", url->url_type == url_sips ? "sips" : "sip",
                          url->url_user, host);
}

char *
beacon_sip_content_type_string (const sip_content_type_t *content_type)
{
  GString *value;

  if (content_type == NULL || content_type->c_type == NULL)
    return NULL;
  /* Composed from the parsed parts: sip_header_as_string() was seen to
   * hand back bytes it never wrote for multipart types with parameters. */
  value = g_string_new (content_type->c_type);
  for (const msg_param_t *p = content_type->c_params; p != NULL && *p != NULL; p++)
    {
      g_string_append_c (value, ';');
      g_string_append (value, *p);
    }
  return g_string_free (value, FALSE);
}

GBytes *
beacon_sip_payload_bytes (const sip_t *sip)
{
  if (sip->sip_payload == NULL)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

void
beacon_sip_respond_retry_after (nua_t        *nua,
                                nua_handle_t *nh,
                                int           status,
                                const char   *phrase,
                                guint         retry_after_s)
{
  g_autofree char *retry_after = g_strdup_printf ("%u", MAX (retry_after_s, 1));

  nua_respond (nh, status, phrase, SIPTAG_RETRY_AFTER_STR (retry_after), NUTAG_WITH_THIS (nua),
               TAG_END ());
}

char *
beacon_sip_core_request_address (BeaconSipCore *self)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  msg_t *request;
  su_addrinfo_t *info;

  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), NULL);

  request = self->nua != NULL ? nua_current_request (self->nua) : NULL;
  info = request != NULL ? msg_addrinfo (request) : NULL;
  if (info == NULL || info->ai_addr == NULL)
    return NULL;
  socket_address = g_socket_address_new_from_native (info->ai_addr, info->ai_addrlen);
  if (!G_IS_INET_SOCKET_ADDRESS (socket_address))
    return NULL;
  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address)));
}

/* ---- handles ------------------------------------------------------------ */

static BeaconSipHandle *
handle_wrap (BeaconSipCore       *self,
             BeaconSipEventFunc   func,
             BeaconSipDetachFunc  detach,
             gpointer             owner)
{
  BeaconSipHandle *handle = g_new0 (BeaconSipHandle, 1);

  handle->core = self;
  handle->func = func;
  handle->detach = detach;
  handle->owner = owner;
  g_hash_table_add (self->handles, handle);
  return handle;
}

BeaconSipHandle *
beacon_sip_core_handle_new (BeaconSipCore        *self,
                            const char           *to_uri,
                            const char           *target,
                            const char           *call_id,
                            BeaconSipEventFunc    func,
                            BeaconSipDetachFunc   detach,
                            gpointer              owner,
                            GError              **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  BeaconSipHandle *handle;
  sip_to_t *to;

  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), NULL);
  g_return_val_if_fail (to_uri != NULL, NULL);

  if (!beacon_sip_core_is_running (self))
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_STOPPED,
                   "The SIP account is not running");
      return NULL;
    }
  to = sip_to_make (home, to_uri);
  if (to == NULL || to->a_url->url_host == NULL ||
      (target != NULL && url_make (home, target) == NULL))
    {
      su_home_deinit (home);
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI,
                   "“%s” is not a valid SIP address", target ? target : to_uri);
      return NULL;
    }

  handle = handle_wrap (self, func, detach, owner);
  handle->nh = nua_handle (self->nua, handle,
                           SIPTAG_TO (to),
                           TAG_IF (target != NULL, NUTAG_URL (target)),
                           TAG_IF (call_id != NULL, SIPTAG_CALL_ID_STR (call_id)),
                           TAG_END ());
  su_home_deinit (home);
  return handle;
}

BeaconSipHandle *
beacon_sip_core_handle_adopt (BeaconSipCore       *self,
                              nua_handle_t        *nh,
                              BeaconSipEventFunc   func,
                              BeaconSipDetachFunc  detach,
                              gpointer             owner)
{
  BeaconSipHandle *handle;

  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), NULL);
  g_return_val_if_fail (nh != NULL, NULL);

  handle = handle_wrap (self, func, detach, owner);
  handle->nh = nh;
  nua_handle_bind (nh, handle);
  return handle;
}

nua_handle_t *
beacon_sip_handle_get_nh (BeaconSipHandle *handle)
{
  g_return_val_if_fail (handle != NULL, NULL);
  return handle->nh;
}

void
beacon_sip_handle_free (BeaconSipHandle *handle)
{
  if (handle == NULL)
    return;
  if (handle->nh != NULL)
    {
      /* No event is delivered for the handle after this. */
      nua_handle_bind (handle->nh, NULL);
      nua_handle_destroy (handle->nh);
      handle->nh = NULL;
      g_hash_table_remove (handle->core->handles, handle);
    }
  g_free (handle);
}

/* The stack is going away: every handle stops, and its owner learns so. */
static void
detach_all_handles (BeaconSipCore *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* (g_hash_table_get_keys_as_ptr_array() needs GLib 2.76) */
  g_hash_table_iter_init (&iter, self->handles);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (all, key);
  g_hash_table_remove_all (self->handles);
  for (guint i = 0; i < all->len; i++)
    {
      BeaconSipHandle *handle = g_ptr_array_index (all, i);

      nua_handle_bind (handle->nh, NULL);
      nua_handle_destroy (handle->nh);
      handle->nh = NULL;
    }
  /* Owners may free their handle from detach, so only now. */
  for (guint i = 0; i < all->len; i++)
    {
      BeaconSipHandle *handle = g_ptr_array_index (all, i);

      if (handle->detach != NULL)
        handle->detach (handle->owner);
    }
}

/* ---- authentication ----------------------------------------------------- */

void
beacon_sip_core_set_credentials (BeaconSipCore *self,
                                 const char    *auth_user,
                                 const char    *password)
{
  g_return_if_fail (BEACON_IS_SIP_CORE (self));
  g_free (self->auth_user);
  g_free (self->password);
  self->auth_user = g_strdup (auth_user);
  self->password = g_strdup (password);
}

/* Answers a digest challenge with the account's credentials. FALSE when it
 * should not (no challenge found, or we already failed with them). */
static gboolean
authenticate (BeaconSipCore   *self,
              BeaconSipHandle *handle,
              const sip_t     *sip)
{
  const msg_auth_t *challenge = NULL;
  const char *realm;
  const char *stale;
  g_autofree char *quoted = NULL;
  g_autofree char *credentials = NULL;

  if (sip != NULL)
    challenge = sip->sip_www_authenticate ? sip->sip_www_authenticate
                                          : sip->sip_proxy_authenticate;
  if (challenge == NULL || self->password == NULL || self->auth_user == NULL ||
      handle->auth_tries >= MAX_AUTH_TRIES)
    return FALSE;

  /* A second challenge that is not just for a stale nonce means the server
   * refused our credentials: answering again cannot help. */
  stale = msg_params_find (challenge->au_params, "stale=");
  if (handle->auth_tries > 0 && (stale == NULL || g_ascii_strncasecmp (stale, "true", 4) != 0))
    return FALSE;

  realm = msg_params_find (challenge->au_params, "realm=");
  if (realm == NULL)
    return FALSE;
  quoted = realm[0] == '"' ? g_strdup (realm) : g_strdup_printf ("\"%s\"", realm);
  credentials = g_strdup_printf ("%s:%s:%s:%s", challenge->au_scheme, quoted,
                                 self->auth_user, self->password);
  handle->auth_tries++;
  g_debug ("answering the %s challenge of realm %s as %s (try %u)",
           challenge->au_scheme, quoted, self->auth_user, handle->auth_tries);
  nua_authenticate (handle->nh, NUTAG_AUTH (credentials), TAG_END ());
  return TRUE;
}

static gboolean
is_response_event (nua_event_t event)
{
  switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
    {
    case nua_r_register:
    case nua_r_unregister:
    case nua_r_subscribe:
    case nua_r_unsubscribe:
    case nua_r_publish:
    case nua_r_unpublish:
    case nua_r_message:
    case nua_r_method:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- the nua callback --------------------------------------------------- */

static void shutdown_stack (BeaconSipCore *self);

/* The one nua callback of the stack, called from our main loop. */
static void
nua_callback (nua_event_t   event,
              int           status,
              char const   *phrase,
              nua_t        *nua,
              nua_magic_t  *magic,
              nua_handle_t *nh,
              nua_hmagic_t *hmagic,
              sip_t const  *sip,
              tagi_t        tags[])
{
  BeaconSipCore *self = magic;
  BeaconSipHandle *handle = hmagic;

  g_debug ("%s: %03d %s%s", nua_event_name (event), status, phrase ? phrase : "",
           handle == NULL && nh != NULL ? " (new handle)" : "");

  if (event == nua_r_shutdown)
    {
      if (status >= 200)
        {
          self->nua_shut_down = TRUE;
          if (!self->disposing)
            shutdown_stack (self);
        }
      return;
    }

  if (self->disposing)
    return;  /* only the shutdown above matters now */

  if (handle == NULL)
    {
      if (event == nua_i_message)
        {
          beacon_sip_core_message_incoming (self, nh, sip);
          nua_handle_destroy (nh);
          return;
        }
      /* A request outside our dialogs: the mode's, if it wants it. */
      if (nh != NULL && self->request_func != NULL &&
          (event == nua_i_subscribe || event == nua_i_publish || event == nua_i_register ||
           event == nua_i_invite) &&
          self->request_func (self->request_owner, event, status, nh, sip, tags))
        return;  /* it owns @nh now */
      /* Else the stack has answered it (481 to a stray NOTIFY...) or we
       * refuse it; either way the handle it made is ours to destroy. */
      if (event == nua_i_subscribe || event == nua_i_publish ||
          event == nua_i_register || event == nua_i_invite)
        nua_respond (nh, SIP_405_METHOD_NOT_ALLOWED, NUTAG_WITH_THIS (nua), TAG_END ());
      if (nh != NULL && event != nua_i_error && event != nua_r_set_params &&
          event != nua_r_get_params)
        nua_handle_destroy (nh);
      return;
    }

  if (is_response_event (event) && (status == 401 || status == 407) &&
      authenticate (self, handle, sip))
    return;
  if (is_response_event (event) && status >= 200 && status < 300)
    handle->auth_tries = 0;
  if (is_response_event (event) && status >= 200 && self->response_func != NULL)
    self->response_func (self->response_owner, event, status, phrase);

  /* The owner may free @handle in there: nothing may touch it after. */
  if (handle->func != NULL)
    handle->func (handle->owner, event, status, phrase, sip, tags);
}

/* ---- lifecycle ---------------------------------------------------------- */

gboolean
beacon_sip_core_start (BeaconSipCore  *self,
                       const char     *bind_url,
                       GError        **error,
                       tag_type_t      tag,
                       tag_value_t     value,
                       ...)
{
  ta_list ta;

  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);
  g_return_val_if_fail (bind_url != NULL, FALSE);

  if (self->root == NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      init_once ();
      self->root = su_glib_root_create (self);
      if (self->root == NULL)
        {
          g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_FAILED,
                       "Could not create the SIP event loop");
          return FALSE;
        }
      self->root_source = su_glib_root_gsource (self->root);
      g_source_attach (self->root_source, context);
    }

  self->nua_shut_down = FALSE;
  ta_start (ta, tag, value);
  self->nua = nua_create (self->root, nua_callback, self,
                          NUTAG_URL (bind_url),
                          SIPTAG_FROM_STR (self->from),
                          NUTAG_USER_AGENT ("Beacon/" BEACON_VERSION),
                          NUTAG_ENABLEINVITE (0),
                          NUTAG_ENABLEMESSAGE (1),
                          NUTAG_MEDIA_ENABLE (0),
                          /* No nua OPTIONS keep-alives or reachability
                           * checks: the server UA has its own, the LAN
                           * has no server. */
                          NUTAG_OUTBOUND ("no-options-keepalive no-validate"),
                          /* Whole messages in the debug log when tracing. */
                          TAG_IF (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG,
                                                                    G_LOG_DOMAIN),
                                  TPTAG_LOG (1)),
                          /* nta refuses bigger messages with 413; its
                           * default (2 MB) is less than a full-state RLS
                           * NOTIFY for 5,000 buddies (2.7 MB, bench/):
                           * as much as the multipart parser takes. */
                          NTATAG_MAXSIZE (BEACON_MULTIPART_MAX_SIZE + 64 * 1024),
                          ta_tags (ta));
  ta_end (ta);
  if (self->nua == NULL)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Could not open the SIP transport %s", bind_url);
      return FALSE;
    }
  return TRUE;
}

gboolean
beacon_sip_core_is_running (BeaconSipCore *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), FALSE);
  return self->nua != NULL && self->shutdown_task == NULL;
}

nua_t *
beacon_sip_core_get_nua (BeaconSipCore *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_CORE (self), NULL);
  return self->nua;
}

void
beacon_sip_core_set_request_func (BeaconSipCore        *self,
                                  BeaconSipRequestFunc  func,
                                  gpointer              owner)
{
  g_return_if_fail (BEACON_IS_SIP_CORE (self));
  self->request_func = func;
  self->request_owner = owner;
}

void
beacon_sip_core_set_response_func (BeaconSipCore         *self,
                                   BeaconSipResponseFunc  func,
                                   gpointer               owner)
{
  g_return_if_fail (BEACON_IS_SIP_CORE (self));
  self->response_func = func;
  self->response_owner = owner;
}

/* Last step of shutdown: nua_shutdown finished (or timed out). */
static gboolean
destroy_nua_cb (gpointer user_data)
{
  BeaconSipCore *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  /* Never from inside the nua callback: hence this idle. */
  g_clear_pointer (&self->nua, nua_destroy);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
shutdown_stack (BeaconSipCore *self)
{
  if (self->shutdown_task == NULL || self->nua == NULL || self->destroying)
    return;
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (!self->nua_shut_down)
    g_debug ("nua_shutdown did not finish in time");
  self->nua_shut_down = TRUE;
  self->destroying = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_nua_cb, g_object_ref (self), g_object_unref);
}

static void
shutdown_timeout_cb (gpointer user_data)
{
  BeaconSipCore *self = user_data;

  self->shutdown_timeout_id = 0;
  shutdown_stack (self);
}

void
beacon_sip_core_shutdown_async (BeaconSipCore       *self,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BEACON_IS_SIP_CORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_core_shutdown_async);
  if (self->nua == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->shutdown_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The SIP stack is already stopping");
      return;
    }
  self->shutdown_task = g_steal_pointer (&task);
  self->destroying = FALSE;
  detach_all_handles (self);
  if (self->nua_shut_down)
    {
      shutdown_stack (self);
      return;
    }
  g_debug ("nua_shutdown");
  self->shutdown_timeout_id = g_timeout_add_once (timeout_ms, shutdown_timeout_cb, self);
  nua_shutdown (self->nua);
}

gboolean
beacon_sip_core_shutdown_finish (BeaconSipCore  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------ */

static void
beacon_sip_core_dispose (GObject *object)
{
  BeaconSipCore *self = (BeaconSipCore *) object;

  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (self->nua != NULL)
    {
      /* Not shut down with shutdown_async(): stop the stack here, bounded. */
      gint64 end = g_get_monotonic_time () + (gint64) BEACON_SIP_CORE_DISPOSE_TIMEOUT_MS * 1000;

      self->disposing = TRUE;
      detach_all_handles (self);
      if (!self->nua_shut_down)
        nua_shutdown (self->nua);
      while (!self->nua_shut_down && g_get_monotonic_time () < end)
        su_root_step (self->root, 100);
      if (self->nua_shut_down)
        nua_destroy (self->nua);
      else
        /* nua_destroy() refuses a stack that did not shut down. */
        g_warning ("the SIP stack of %s did not shut down; leaking it", self->from);
      self->nua = NULL;
    }
  if (self->root != NULL)
    {
      g_source_destroy (self->root_source);
      su_root_destroy (self->root);
      self->root = NULL;
      self->root_source = NULL;
    }

  G_OBJECT_CLASS (beacon_sip_core_parent_class)->dispose (object);
}

static void
beacon_sip_core_finalize (GObject *object)
{
  BeaconSipCore *self = (BeaconSipCore *) object;

  g_clear_pointer (&self->handles, g_hash_table_unref);
  g_free (self->from);
  g_free (self->auth_user);
  g_free (self->password);

  G_OBJECT_CLASS (beacon_sip_core_parent_class)->finalize (object);
}

static void
beacon_sip_core_class_init (BeaconSipCoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_core_dispose;
  object_class->finalize = beacon_sip_core_finalize;

  /* (from, full Content-Type value or NULL, body, dedupe key or NULL, see
   * beacon_message_dedupe_key()): answered when the handlers return. */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BYTES, G_TYPE_STRING);
}

static void
beacon_sip_core_init (BeaconSipCore *self)
{
  self->handles = g_hash_table_new (NULL, NULL);
}

BeaconSipCore *
beacon_sip_core_new (const char        *from,
                     BeaconSipFromFunc  from_of)
{
  BeaconSipCore *self;

  g_return_val_if_fail (from != NULL && from_of != NULL, NULL);

  self = g_object_new (BEACON_TYPE_SIP_CORE, NULL);
  self->from = g_strdup (from);
  self->from_of = from_of;
  return self;
}

void
beacon_sip_core_emit_message_received (BeaconSipCore *self,
                                       const char    *from,
                                       const char    *content_type,
                                       GBytes        *body,
                                       const char    *dedupe_key)
{
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, from, content_type, body, dedupe_key);
}
