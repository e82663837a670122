/* beacon-sip-ua.c — one SIP user agent: sofia-sip's nua on our main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-ua-private.h"

#include <string.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/url.h>

#include "formats/beacon-multipart.h"
#include "beacon-sip-backoff.h"
#include "beacon-sip-error.h"
#include "beacon-sip-incoming.h"
#include "beacon-sip-stack.h"
#include "beacon-sip-tls.h"

/* How long shutdown waits for the un-REGISTER and for nua_shutdown. */
#define UNREGISTER_TIMEOUT_MS 4000
#define SHUTDOWN_TIMEOUT_MS   5000
/* Challenges answered in a row without a success before giving up. */
#define MAX_AUTH_TRIES        2
/* While registered, an OPTIONS to the server every KEEPALIVE_MS (on every
 * transport: a CRLF keep-alive cannot tell that the server restarted and
 * forgot us, the Beacon-Server-Boot header of its answer can); no answer
 * within PROBE_TIMEOUT_MS means the server is gone. While reconnecting,
 * REGISTER is retried at most RECONNECT_MAX_MS apart, so the account is
 * back within a few seconds of the server (see tests/server). */
#define KEEPALIVE_MS          3000
#define PROBE_TIMEOUT_MS      2500
#define RECONNECT_MIN_MS      500
#define RECONNECT_MAX_MS      3000
#define SERVER_BOOT_HEADER    "Beacon-Server-Boot"

struct _BeaconSipHandle
{
  BeaconSipUa         *ua;      /* borrowed: the UA outlives its handles */
  nua_handle_t        *nh;      /* NULL once detached */
  BeaconSipEventFunc   func;
  BeaconSipDetachFunc  detach;
  gpointer             owner;
  guint                auth_tries;
};

struct _BeaconSipUa
{
  GObject              parent_instance;

  char                *aor;
  char                *user;         /* the AOR's user part (Contact user) */
  char                *auth_user;
  char                *password;
  char                *proxy;        /* normalised, or NULL */
  char                *bind_url;
  BeaconSipTransport   transport;
  char                *ca_file;      /* TLS: trusted CAs, NULL: the system's */
  GCancellable        *tls_probe;    /* TLS: the certificate check running */
  guint                register_expires;

  su_root_t           *root;
  GSource             *root_source;  /* owned by @root; attached */
  nua_t               *nua;
  GHashTable          *handles;      /* BeaconSipHandle set */

  BeaconSipHandle     *reg;
  BeaconSipBackoff     backoff;
  BeaconSipBackoff     reconnect_backoff;
  guint                retry_id;
  char                *probe_uri;     /* sip:DOMAIN, what keep-alives ask */
  BeaconSipHandle     *probe;         /* the keep-alive OPTIONS in flight */
  guint                keepalive_id;
  guint                probe_timeout_id;
  char                *server_boot;   /* the server's Beacon-Server-Boot */
  BeaconSipUaState     state;
  GError              *last_error;

  GTask               *shutdown_task;
  guint                shutdown_timeout_id;
  gboolean             nua_shut_down;
  gboolean             disposing;
  gboolean             checking;         /* a REGISTER sent because a request failed */
  guint                incoming_status;  /* the answer to the MESSAGE being handled */
  guint                incoming_retry_after;
};

G_DEFINE_FINAL_TYPE (BeaconSipUa, beacon_sip_ua, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BeaconSipTransport, beacon_sip_transport,
  G_DEFINE_ENUM_VALUE (BEACON_SIP_TRANSPORT_UDP, "udp"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_TRANSPORT_TCP, "tcp"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_TRANSPORT_TLS, "tls"))

G_DEFINE_ENUM_TYPE (BeaconSipUaState, beacon_sip_ua_state,
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_REGISTERING, "registering"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_REGISTERED, "registered"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_RETRYING, "retrying"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_STOPPING, "stopping"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_UA_RECONNECTING, "reconnecting"))

enum {
  PROP_0,
  PROP_AOR,
  PROP_STATE,
  N_PROPS
};

enum {
  MESSAGE_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void send_register (BeaconSipUa *self);
static gboolean retry_register_cb (gpointer user_data);
static void shutdown_stack (BeaconSipUa *self);
static void shutdown_timeout_cb (gpointer user_data);
static void server_lost (BeaconSipUa *self, GError *error);
static void stop_keepalive (BeaconSipUa *self);
static void start_keepalive (BeaconSipUa *self);

/* ---- helpers ------------------------------------------------------------ */

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

static void
set_state (BeaconSipUa      *self,
           BeaconSipUaState  state,
           GError           *error)  /* (transfer full) (nullable) */
{
  gboolean changed = self->state != state;

  if (error != NULL || self->last_error != NULL)
    {
      g_clear_error (&self->last_error);
      self->last_error = error;
      changed = TRUE;
    }
  self->state = state;
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- handles ------------------------------------------------------------ */

BeaconSipHandle *
beacon_sip_ua_handle_new (BeaconSipUa          *self,
                          const char           *to_uri,
                          BeaconSipEventFunc    func,
                          BeaconSipDetachFunc   detach,
                          gpointer              owner,
                          GError              **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  BeaconSipHandle *handle;
  sip_to_t *to;

  g_return_val_if_fail (BEACON_IS_SIP_UA (self), NULL);
  g_return_val_if_fail (to_uri != NULL, NULL);

  if (self->nua == NULL || self->shutdown_task != NULL)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_STOPPED,
                   "The SIP account is not running");
      return NULL;
    }
  to = sip_to_make (home, to_uri);
  if (to == NULL || to->a_url->url_host == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI,
                   "“%s” is not a valid SIP address", to_uri);
      return NULL;
    }

  handle = g_new0 (BeaconSipHandle, 1);
  handle->ua = self;
  handle->func = func;
  handle->detach = detach;
  handle->owner = owner;
  handle->nh = nua_handle (self->nua, handle, SIPTAG_TO (to), TAG_END ());
  su_home_deinit (home);
  g_hash_table_add (self->handles, handle);
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
      g_hash_table_remove (handle->ua->handles, handle);
    }
  g_free (handle);
}

/* The stack is going away: every handle stops, and its owner learns so. */
static void
detach_all_handles (BeaconSipUa *self)
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

/* Answers a digest challenge with the account's credentials. FALSE when it
 * should not (no challenge found, or we already failed with them). */
static gboolean
authenticate (BeaconSipUa     *self,
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
  if (challenge == NULL || self->password == NULL || handle->auth_tries >= MAX_AUTH_TRIES)
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

/* ---- incoming requests without a handle of ours ------------------------- */

static gboolean
is_message_id (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

/* A Beacon sender's message id: its own header (which msilo stores and
 * replays with the text) or, failing that, its Call-ID. */
static const char *
message_id_of (const sip_t *sip)
{
  for (const msg_unknown_t *u = sip->sip_unknown; u != NULL; u = u->un_next)
    if (u->un_name != NULL && g_ascii_strcasecmp (u->un_name, BEACON_SIP_MESSAGE_ID_HEADER) == 0 &&
        is_message_id (u->un_value))
      return u->un_value;
  if (sip->sip_call_id != NULL &&
      g_str_has_prefix (sip->sip_call_id->i_id, BEACON_SIP_MESSAGE_CALL_ID_PREFIX))
    return sip->sip_call_id->i_id + strlen (BEACON_SIP_MESSAGE_CALL_ID_PREFIX);
  return NULL;
}

char *
beacon_sip_ua_dedupe_key (const char *from,
                          const char *message_id,
                          const char *call_id,
                          guint32     cseq)
{
  /* The sender's message id survives its restarts (the resend is a new
   * transaction: same Call-ID, new CSeq) and msilo (new Call-ID); tied
   * to the authenticated From, one sender cannot hide another's text. */
  if (from != NULL && is_message_id (message_id))
    return g_strdup_printf ("id %s %s", from, message_id);
  /* Anyone else's: a retransmission the transaction layer did not absorb
   * (it came after the transaction ended, or by another route) repeats
   * both; two messages of one chat session differ in CSeq. The prefix
   * keeps a Call-ID like "id sip:bob@example.org" from forging the key of
   * one of Bob's message ids (found with fuzz-dedupe-key). */
  if (call_id != NULL && cseq != 0)
    return g_strdup_printf ("cid %s %u", call_id, cseq);
  return NULL;
}

char *
beacon_sip_message_dedupe_key (const sip_t *sip,
                               const char  *from)
{
  return beacon_sip_ua_dedupe_key (from, message_id_of (sip),
                                   sip->sip_call_id ? sip->sip_call_id->i_id : NULL,
                                   sip->sip_cseq ? sip->sip_cseq->cs_seq : 0);
}

GBytes *
beacon_sip_payload_bytes (const sip_t *sip)
{
  if (sip->sip_payload == NULL)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

static void
incoming_message (BeaconSipUa *self,
                  const sip_t *sip)
{
  g_autoptr(BeaconSipIncoming) in = beacon_sip_incoming_new (sip, beacon_sip_url_string);

  if (in == NULL)
    return;
  g_debug ("MESSAGE from %s (%s, %zu bytes)", in->from,
           in->content_type ? in->content_type : "no type", g_bytes_get_size (in->body));
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, in->from, in->content_type, in->body,
                 in->dedupe_key);
}

/* The one nua callback of the account, called from our main loop. */
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
  BeaconSipUa *self = magic;
  BeaconSipHandle *handle = hmagic;

  g_debug ("%s: %03d %s%s", nua_event_name (event), status, phrase ? phrase : "",
           handle == NULL && nh != NULL ? " (new handle)" : "");

  if (event == nua_r_shutdown)
    {
      if (status >= 200)
        {
          self->nua_shut_down = TRUE;
          shutdown_stack (self);
        }
      return;
    }

  if (self->disposing)
    return;  /* only the shutdown above matters now */

  if (event == nua_i_message)
    {
      /* Stored (or known as a retransmission) before the 200 goes out: a
       * crash before the answer makes the sender or msilo send it again. */
      self->incoming_status = 200;
      self->incoming_retry_after = 60;
      incoming_message (self, sip);
      if (self->incoming_status == 200)
        nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua), TAG_END ());
      else
        /* 429 (RFC 6585): a stranger over the limits; the proxy passes it
         * back (it stores only on 408, 480, 503). 503: not stored here,
         * msilo keeps it and tries again. */
        beacon_sip_respond_retry_after (nua, nh, self->incoming_status,
                                        self->incoming_status == 429 ? "Too Many Requests"
                                                                     : sip_503_Service_unavailable,
                                        self->incoming_retry_after);
      if (handle == NULL)
        nua_handle_destroy (nh);
      return;
    }

  if (handle == NULL)
    {
      /* A request outside our dialogs: the stack has answered it (481 to a
       * stray NOTIFY...) and made a handle we own. */
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

  /* A request timed out or could not be sent while we think we are
   * registered: over UDP nothing else tells us the server went away (or
   * lost our binding when it restarted). REGISTER again now; if that fails
   * too, the usual backoff takes over and the user is told. */
  if (is_response_event (event) && event != nua_r_register && event != nua_r_unregister &&
      (status == 408 || status == 503) && self->state == BEACON_SIP_UA_REGISTERED &&
      self->retry_id == 0 && self->shutdown_task == NULL)
    {
      g_debug ("%d %s on a request: checking the registration", status, phrase);
      self->checking = TRUE;
      self->retry_id = g_idle_add (retry_register_cb, self);
    }

  /* The owner may free @handle in there: nothing may touch it after. */
  if (handle->func != NULL)
    handle->func (handle->owner, event, status, phrase, sip, tags);
}

/* ---- REGISTER ----------------------------------------------------------- */

static gboolean
retry_register_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->retry_id = 0;
  send_register (self);
  return G_SOURCE_REMOVE;
}

static void
finish_unregister (BeaconSipUa *self)
{
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (self->shutdown_task != NULL && self->nua != NULL && !self->nua_shut_down)
    {
      detach_all_handles (self);
      g_debug ("nua_shutdown");
      self->shutdown_timeout_id =
        g_timeout_add_once (SHUTDOWN_TIMEOUT_MS, shutdown_timeout_cb, self);
      nua_shutdown (self->nua);
    }
}

static void
register_event (gpointer     owner,
                nua_event_t  event,
                int          status,
                const char  *phrase,
                const sip_t *sip,
                tagi_t       tags[])
{
  BeaconSipUa *self = owner;
  gboolean was_checking;
  GError *error;
  guint delay;

  if (status < 200)
    return;

  if (event == nua_r_unregister)
    {
      g_debug ("un-REGISTER: %d %s", status, phrase);
      finish_unregister (self);
      return;
    }
  if (event != nua_r_register || self->shutdown_task != NULL)
    return;

  was_checking = self->checking;
  self->checking = FALSE;
  if (status < 300)
    {
      beacon_sip_backoff_reset (&self->backoff);
      beacon_sip_backoff_reset (&self->reconnect_backoff);
      set_state (self, BEACON_SIP_UA_REGISTERED, NULL);
      start_keepalive (self);
      return;
    }

  error = beacon_sip_error_new_for_status (status, phrase, "REGISTER");
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  if (error->code == BEACON_SIP_ERROR_AUTH_FAILED || error->code == BEACON_SIP_ERROR_FORBIDDEN)
    {
      /* Retrying cannot fix a wrong password. */
      g_debug ("REGISTER refused for good: %s", error->message);
      set_state (self, BEACON_SIP_UA_FAILED, error);
      return;
    }
  if (self->state == BEACON_SIP_UA_REGISTERED || self->state == BEACON_SIP_UA_RECONNECTING ||
      was_checking)
    {
      /* A refresh failed, the check after a failed request did, or the
       * server is still away: it may have lost
       * everything of ours, and must see us soon after it is back. */
      stop_keepalive (self);
      delay = beacon_sip_backoff_next (&self->reconnect_backoff);
      g_debug ("REGISTER failed (%s); reconnecting in %u ms", error->message, delay);
      set_state (self, BEACON_SIP_UA_RECONNECTING, error);
      self->retry_id = g_timeout_add (delay, retry_register_cb, self);
      return;
    }
  delay = beacon_sip_backoff_next_with_hint (&self->backoff,
                                             sip && sip->sip_retry_after
                                               ? (guint) sip->sip_retry_after->af_delta : 0);
  g_debug ("REGISTER failed (%s); retrying in %u ms", error->message, delay);
  set_state (self, BEACON_SIP_UA_RETRYING, error);
  self->retry_id = g_timeout_add (delay, retry_register_cb, self);
}

static void
register_detached (gpointer owner)
{
  BeaconSipUa *self = owner;

  g_clear_pointer (&self->reg, beacon_sip_handle_free);
}

/* sofia-sip refused the server's certificate, or not: see beacon-sip-tls.c. */
static void
tls_probe_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BeaconSipUa *self;
  g_autoptr(GError) error = NULL;

  if (beacon_sip_tls_probe_finish (result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error == NULL)
        g_clear_object (&BEACON_SIP_UA (user_data)->tls_probe);
      return;
    }
  self = user_data;
  g_clear_object (&self->tls_probe);
  if (self->nua == NULL || self->shutdown_task != NULL || self->state == BEACON_SIP_UA_REGISTERED)
    return;
  /* The REGISTER can only time out: stop it, and no retry can help. */
  g_debug ("%s", error->message);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  set_state (self, BEACON_SIP_UA_FAILED, g_steal_pointer (&error));
}

static void
send_register (BeaconSipUa *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = g_strdup_printf ("%u", self->register_expires);

  if (self->transport == BEACON_SIP_TRANSPORT_TLS && self->tls_probe == NULL)
    {
      self->tls_probe = g_cancellable_new ();
      beacon_sip_tls_probe_async (self->proxy, self->ca_file, self->tls_probe,
                                  tls_probe_done, self);
    }

  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  self->reg = beacon_sip_ua_handle_new (self, self->aor, register_event, register_detached,
                                        self, &error);
  if (self->reg == NULL)
    {
      set_state (self, BEACON_SIP_UA_FAILED, g_steal_pointer (&error));
      return;
    }
  if (self->state != BEACON_SIP_UA_RETRYING && self->state != BEACON_SIP_UA_RECONNECTING)
    set_state (self, BEACON_SIP_UA_REGISTERING, NULL);
  nua_register (self->reg->nh,
                NUTAG_M_USERNAME (self->user),
                SIPTAG_EXPIRES_STR (expires),
                TAG_END ());
}

/* ---- keep-alive: is the server still there, and the same one? ---------- */

static void
probe_done (BeaconSipUa *self)
{
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  g_clear_pointer (&self->probe, beacon_sip_handle_free);
}

static void
stop_keepalive (BeaconSipUa *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  probe_done (self);
}

/* The server is gone or is not the one that had our registration: say
 * so, and register again at once (then with the reconnect backoff). */
static void
server_lost (BeaconSipUa *self,
             GError      *error)  /* (transfer full) */
{
  if (self->state != BEACON_SIP_UA_REGISTERED || self->shutdown_task != NULL)
    {
      g_error_free (error);
      return;
    }
  g_debug ("server lost: %s", error->message);
  stop_keepalive (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  beacon_sip_backoff_reset (&self->reconnect_backoff);
  set_state (self, BEACON_SIP_UA_RECONNECTING, error);
  send_register (self);
}

static const char *
server_boot_of (const sip_t *sip)
{
  for (const msg_unknown_t *u = sip ? sip->sip_unknown : NULL; u != NULL; u = u->un_next)
    if (u->un_name != NULL && g_ascii_strcasecmp (u->un_name, SERVER_BOOT_HEADER) == 0)
      return u->un_value;
  return NULL;
}

static void
probe_event (gpointer     owner,
             nua_event_t  event,
             int          status,
             const char  *phrase,
             const sip_t *sip,
             tagi_t       tags[])
{
  BeaconSipUa *self = owner;
  const char *boot;

  if (event != nua_r_options || status < 200)
    return;
  probe_done (self);
  /* No answer (sofia-sip's 408, 503 for a transport error, 9xx), or a
   * server that cannot serve us now. */
  if (status == 408 || status == 503 || status >= 900)
    {
      server_lost (self, beacon_sip_error_new_for_status (status, phrase, "Keep-alive"));
      return;
    }
  /* Any answer: the server is there. Is it the one we registered with? */
  boot = server_boot_of (sip);
  if (boot == NULL)
    return;
  if (self->server_boot != NULL && !g_str_equal (self->server_boot, boot))
    {
      g_free (self->server_boot);
      self->server_boot = g_strdup (boot);
      server_lost (self, g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_SERVER,
                                      "The server restarted (boot %s)", boot));
      return;
    }
  if (self->server_boot == NULL)
    self->server_boot = g_strdup (boot);
}

static void
probe_detached (gpointer owner)
{
  BeaconSipUa *self = owner;

  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  g_clear_pointer (&self->probe, beacon_sip_handle_free);
}

static void
probe_timeout_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->probe_timeout_id = 0;
  probe_done (self);
  server_lost (self, g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_TIMEOUT,
                                  "The server did not answer a keep-alive within %u ms",
                                  PROBE_TIMEOUT_MS));
}

static gboolean
keepalive_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  if (self->state != BEACON_SIP_UA_REGISTERED || self->probe != NULL || self->probe_uri == NULL)
    return G_SOURCE_CONTINUE;
  self->probe = beacon_sip_ua_handle_new (self, self->probe_uri, probe_event, probe_detached,
                                          self, NULL);
  if (self->probe == NULL)
    return G_SOURCE_CONTINUE;
  self->probe_timeout_id = g_timeout_add_once (PROBE_TIMEOUT_MS, probe_timeout_cb, self);
  nua_options (self->probe->nh, TAG_END ());
  return G_SOURCE_CONTINUE;
}

static void
start_keepalive (BeaconSipUa *self)
{
  if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add (KEEPALIVE_MS, keepalive_cb, self);
}

/* ---- lifecycle ---------------------------------------------------------- */

static char *
normalise_proxy (const char         *proxy,
                 BeaconSipTransport  transport)
{
  g_autofree char *uri = NULL;

  if (proxy == NULL || *proxy == '\0')
    return NULL;
  uri = g_str_has_prefix (proxy, "sip:") || g_str_has_prefix (proxy, "sips:")
          ? g_strdup (proxy) : g_strconcat ("sip:", proxy, NULL);
  /* Without it sofia-sip would pick UDP towards the proxy. */
  if (transport == BEACON_SIP_TRANSPORT_TCP && strstr (uri, "transport=") == NULL)
    return g_strconcat (uri, ";transport=tcp", NULL);
  if (transport == BEACON_SIP_TRANSPORT_TLS && strstr (uri, "transport=") == NULL &&
      !g_str_has_prefix (uri, "sips:"))
    return g_strconcat (uri, ";transport=tls", NULL);
  return g_steal_pointer (&uri);
}

gboolean
beacon_sip_ua_start (BeaconSipUa  *self,
                     GError      **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *tls_dir = NULL;
  url_t *aor_url;

  g_return_val_if_fail (BEACON_IS_SIP_UA (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);

  aor_url = url_make (home, self->aor);
  if (aor_url == NULL || aor_url->url_user == NULL || aor_url->url_host == NULL ||
      (aor_url->url_type != url_sip && aor_url->url_type != url_sips))
    {
      su_home_deinit (home);
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI,
                   "“%s” is not a SIP address like sip:name@example.org", self->aor);
      return FALSE;
    }
  g_free (self->user);
  self->user = g_strdup (aor_url->url_user);
  g_free (self->probe_uri);
  self->probe_uri = g_strdup_printf ("sip:%s", aor_url->url_host);
  if (self->auth_user == NULL)
    self->auth_user = g_strdup (self->user);
  if (self->proxy != NULL && url_make (home, self->proxy) == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI,
                   "“%s” is not a valid proxy address", self->proxy);
      return FALSE;
    }
  if (self->transport == BEACON_SIP_TRANSPORT_TLS &&
      !beacon_sip_tls_check_proxy (&self->proxy, aor_url->url_host, error))
    {
      su_home_deinit (home);
      return FALSE;
    }
  su_home_deinit (home);
  if (self->transport == BEACON_SIP_TRANSPORT_TLS)
    {
      beacon_sip_tls_init_once ();
      tls_dir = beacon_sip_tls_make_certificate_dir (self->ca_file, error);
      if (tls_dir == NULL)
        return FALSE;
    }

  if (self->root == NULL)
    {
      /* Shared with the LAN agent: beacon-sip-stack.c. */
      self->root = beacon_sip_root_new (self, &self->root_source, BEACON_SIP_ERROR,
                                        BEACON_SIP_ERROR_FAILED, error);
      if (self->root == NULL)
        return FALSE;
    }

  self->nua_shut_down = FALSE;
  self->nua = nua_create (self->root, nua_callback, self,
                          NUTAG_URL (self->bind_url),
                          TAG_IF (self->proxy != NULL, NUTAG_PROXY (self->proxy)),
                          SIPTAG_FROM_STR (self->aor),
                          NUTAG_USER_AGENT ("Beacon/" BEACON_VERSION),
                          NUTAG_ENABLEINVITE (0),
                          NUTAG_ENABLEMESSAGE (1),
                          /* We answer MESSAGE ourselves, after the history
                           * has it: a 200 promises the text is on disk.
                           * (The others are nua's defaults, kept.) */
                          NUTAG_APPL_METHOD ("INVITE, REGISTER, PUBLISH, SUBSCRIBE, MESSAGE"),
                          NUTAG_MEDIA_ENABLE (0),
                          /* No OPTIONS keepalives or reachability checks:
                           * registration refreshes keep the binding. */
                          NUTAG_OUTBOUND ("no-options-keepalive no-validate"),
                          /* Whole messages in the debug log when tracing. */
                          TAG_IF (beacon_sip_tracing (G_LOG_DOMAIN), TPTAG_LOG (1)),
                          /* nta refuses bigger messages with 413; its
                           * default (2 MB) is less than a full-state RLS
                           * NOTIFY for 5,000 buddies (2.7 MB, bench/):
                           * as much as the multipart parser takes. */
                          NTATAG_MAXSIZE (BEACON_MULTIPART_MAX_SIZE + 64 * 1024),
                          /* TLS: see beacon-sip-tls.c. */
                          TAG_IF (tls_dir != NULL, NUTAG_CERTIFICATE_DIR (tls_dir)),
                          TAG_IF (tls_dir != NULL, TPTAG_TLS_VERSION (0)),
                          TAG_IF (tls_dir != NULL,
                                  TPTAG_TLS_VERIFY_POLICY (TPTLS_VERIFY_SUBJECTS_OUT)),
                          TAG_IF (tls_dir != NULL, TPTAG_TLS_VERIFY_DEPTH (BEACON_SIP_TLS_DEPTH)),
                          TAG_IF (tls_dir != NULL, TPTAG_TLS_VERIFY_DATE (1)),
                          TAG_END ());
  /* The CAs are loaded when the transport is bound. */
  if (tls_dir != NULL)
    beacon_sip_tls_remove_certificate_dir (tls_dir);
  if (self->nua == NULL)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Could not open the SIP transport %s", self->bind_url);
      return FALSE;
    }
  g_debug ("started %s (bind %s, proxy %s)", self->aor, self->bind_url,
           self->proxy ? self->proxy : "none");
  beacon_sip_backoff_reset (&self->backoff);
  send_register (self);
  return TRUE;
}

/* Last step of shutdown: nua_shutdown finished (or timed out). */
static gboolean
destroy_nua_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  /* Never from inside the nua callback: hence this idle. */
  g_clear_pointer (&self->nua, nua_destroy);
  set_state (self, BEACON_SIP_UA_STOPPED, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
shutdown_stack (BeaconSipUa *self)
{
  if (self->shutdown_task == NULL)
    return;
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (!self->nua_shut_down)
    g_debug ("nua_shutdown did not finish in time");
  self->nua_shut_down = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_nua_cb, g_object_ref (self), g_object_unref);
}

static void
shutdown_timeout_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->shutdown_timeout_id = 0;
  shutdown_stack (self);
}

static void
unregister_timeout_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->shutdown_timeout_id = 0;
  g_debug ("no answer to the un-REGISTER in time");
  finish_unregister (self);
}

void
beacon_sip_ua_shutdown_async (BeaconSipUa         *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BEACON_IS_SIP_UA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_ua_shutdown_async);

  if (self->nua == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->shutdown_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The SIP account is already stopping");
      return;
    }
  self->shutdown_task = g_steal_pointer (&task);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  stop_keepalive (self);

  if (self->reg != NULL && self->state == BEACON_SIP_UA_REGISTERED)
    {
      set_state (self, BEACON_SIP_UA_STOPPING, NULL);
      g_debug ("un-REGISTER");
      self->shutdown_timeout_id =
        g_timeout_add_once (UNREGISTER_TIMEOUT_MS, unregister_timeout_cb, self);
      nua_unregister (self->reg->nh, TAG_END ());
    }
  else
    {
      set_state (self, BEACON_SIP_UA_STOPPING, NULL);
      finish_unregister (self);
    }
}

gboolean
beacon_sip_ua_shutdown_finish (BeaconSipUa   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- MESSAGE ------------------------------------------------------------ */

typedef struct {
  BeaconSipHandle *handle;
  guint            status;
} SendMessage;

static void
send_message_free (SendMessage *data)
{
  g_clear_pointer (&data->handle, beacon_sip_handle_free);
  g_free (data);
}

static void
message_event (gpointer     owner,
               nua_event_t  event,
               int          status,
               const char  *phrase,
               const sip_t *sip,
               tagi_t       tags[])
{
  GTask *task = owner;  /* the handle's reference */
  SendMessage *data = g_task_get_task_data (task);

  if (event != nua_r_message || status < 200)
    return;
  data->status = status;
  if (status < 300)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, beacon_sip_error_new_for_status (status, phrase, "MESSAGE"));
  /* Frees the handle (we are inside its event) and the task. */
  g_object_unref (task);
}

static void
message_detached (gpointer owner)
{
  GTask *task = owner;

  g_task_return_new_error (task, BEACON_SIP_ERROR, BEACON_SIP_ERROR_STOPPED,
                           "The SIP account stopped before the message was answered");
  g_object_unref (task);
}

void
beacon_sip_ua_refuse_message (BeaconSipUa *self)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  self->incoming_status = 503;
}

void
beacon_sip_ua_refuse_message_too_many (BeaconSipUa *self,
                                       guint        retry_after_s)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  self->incoming_status = 429;
  self->incoming_retry_after = MAX (retry_after_s, 1);
}

void
beacon_sip_ua_send_message_id_async (BeaconSipUa         *self,
                                     const char          *to,
                                     const char          *content_type,
                                     GBytes              *body,
                                     const char          *message_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *id_header = NULL;
  GError *error = NULL;
  SendMessage *data;
  g_autofree char *payload = NULL;
  gsize len;
  const char *bytes;

  g_return_if_fail (BEACON_IS_SIP_UA (self));
  g_return_if_fail (to != NULL && content_type != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_ua_send_message_id_async);
  data = g_new0 (SendMessage, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) send_message_free);

  /* The handle holds a task reference until the answer or detach. */
  data->handle = beacon_sip_ua_handle_new (self, to, message_event, message_detached,
                                           task, &error);
  if (data->handle == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_ref (task);
  /* Text bodies only (text/plain, message/cpim): NUL-terminated for nua. */
  bytes = g_bytes_get_data (body, &len);
  payload = g_strndup (bytes, len);
  if (message_id != NULL)
    {
      call_id = g_strconcat (BEACON_SIP_MESSAGE_CALL_ID_PREFIX, message_id, NULL);
      id_header = g_strdup_printf ("%s: %s", BEACON_SIP_MESSAGE_ID_HEADER, message_id);
    }
  nua_message (data->handle->nh,
               TAG_IF (call_id != NULL, SIPTAG_CALL_ID_STR (call_id)),
               TAG_IF (id_header != NULL, SIPTAG_HEADER_STR (id_header)),
               SIPTAG_CONTENT_TYPE_STR (content_type),
               SIPTAG_PAYLOAD_STR (payload),
               TAG_END ());
}

gboolean
beacon_sip_ua_send_message_finish (BeaconSipUa   *self,
                                   GAsyncResult  *result,
                                   guint         *status,
                                   GError       **error)
{
  SendMessage *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->status;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------ */

const char *
beacon_sip_ua_get_aor (BeaconSipUa *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_UA (self), NULL);
  return self->aor;
}

BeaconSipUaState
beacon_sip_ua_get_state (BeaconSipUa *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_UA (self), BEACON_SIP_UA_STOPPED);
  return self->state;
}

const GError *
beacon_sip_ua_get_last_error (BeaconSipUa *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_UA (self), NULL);
  return self->last_error;
}

void
beacon_sip_ua_set_register_expires (BeaconSipUa *self,
                                    guint        seconds)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  self->register_expires = MAX (seconds, 60);
}

static void
beacon_sip_ua_dispose (GObject *object)
{
  BeaconSipUa *self = (BeaconSipUa *) object;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  /* Its callback must not see us any more. */
  if (self->tls_probe != NULL)
    g_cancellable_cancel (self->tls_probe);
  g_clear_object (&self->tls_probe);
  if (self->nua != NULL)
    {
      /* Not shut down with shutdown_async(): stop the stack here, bounded. */
      self->disposing = TRUE;
      detach_all_handles (self);
      g_clear_pointer (&self->reg, beacon_sip_handle_free);
      g_clear_pointer (&self->probe, beacon_sip_handle_free);
      beacon_sip_nua_destroy_bounded (&self->nua, self->root, &self->nua_shut_down,
                                      SHUTDOWN_TIMEOUT_MS, self->aor);
    }
  beacon_sip_root_clear (&self->root, &self->root_source);

  G_OBJECT_CLASS (beacon_sip_ua_parent_class)->dispose (object);
}

static void
beacon_sip_ua_finalize (GObject *object)
{
  BeaconSipUa *self = (BeaconSipUa *) object;

  g_clear_pointer (&self->handles, g_hash_table_unref);
  g_clear_error (&self->last_error);
  g_free (self->aor);
  g_free (self->user);
  g_free (self->auth_user);
  g_free (self->password);
  g_free (self->proxy);
  g_free (self->bind_url);
  g_free (self->ca_file);
  g_free (self->probe_uri);
  g_free (self->server_boot);

  G_OBJECT_CLASS (beacon_sip_ua_parent_class)->finalize (object);
}

static void
beacon_sip_ua_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BeaconSipUa *self = BEACON_SIP_UA (object);

  switch (prop_id)
    {
    case PROP_AOR:
      g_value_set_string (value, self->aor);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_sip_ua_class_init (BeaconSipUaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_ua_dispose;
  object_class->finalize = beacon_sip_ua_finalize;
  object_class->get_property = beacon_sip_ua_get_property;

  properties[PROP_AOR] =
    g_param_spec_string ("aor", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEACON_TYPE_SIP_UA_STATE, BEACON_SIP_UA_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (from URI, full Content-Type value or NULL, body, dedupe key or NULL,
   * see beacon_sip_ua_dedupe_key()): an incoming MESSAGE. It is answered
   * 200 when the handlers return, so they store it first; 503 when one
   * called beacon_sip_ua_refuse_message(). */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BYTES, G_TYPE_STRING);
}

static void
beacon_sip_ua_init (BeaconSipUa *self)
{
  self->handles = g_hash_table_new (NULL, NULL);
  self->register_expires = 600;
  beacon_sip_backoff_init (&self->backoff, BEACON_SIP_BACKOFF_MIN_MS, BEACON_SIP_BACKOFF_MAX_MS);
  beacon_sip_backoff_init (&self->reconnect_backoff, RECONNECT_MIN_MS, RECONNECT_MAX_MS);
}

BeaconSipUa *
beacon_sip_ua_new (const char         *aor,
                   const char         *auth_user,
                   const char         *password,
                   const char         *proxy,
                   BeaconSipTransport  transport,
                   const char         *bind_address)
{
  BeaconSipUa *self;
  const char *host;

  g_return_val_if_fail (aor != NULL, NULL);

  self = g_object_new (BEACON_TYPE_SIP_UA, NULL);
  self->aor = g_strdup (aor);
  self->auth_user = auth_user && *auth_user ? g_strdup (auth_user) : NULL;
  self->password = g_strdup (password);
  self->transport = transport;
  self->proxy = normalise_proxy (proxy, transport);
  host = bind_address && *bind_address ? bind_address : "*";
  /* Bound to that one transport: nothing can go out over another. (nta
   * binds TLS for a sips: URL only.) */
  if (transport == BEACON_SIP_TRANSPORT_TLS)
    self->bind_url = g_strdup_printf ("sips:%s:*", host);
  else
    self->bind_url = g_strdup_printf ("sip:%s:*;transport=%s", host,
                                      transport == BEACON_SIP_TRANSPORT_TCP ? "tcp" : "udp");
  return self;
}

void
beacon_sip_ua_set_ca_file (BeaconSipUa *self,
                           const char  *ca_file)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  g_free (self->ca_file);
  self->ca_file = ca_file && *ca_file ? g_strdup (ca_file) : NULL;
}
