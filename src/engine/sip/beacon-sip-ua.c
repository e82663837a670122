/* beacon-sip-ua.c — server mode's SIP user agent: a layer on the one core
 *
 * The UA holds the account's BeaconSipCore (the only nua of the engine),
 * starts it with the server's transport, proxy and TLS settings, and has
 * REGISTER (beacon-sip-register.c) and the publications and subscriptions
 * of this folder on it. MESSAGE goes through the core too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-ua-private.h"

#include <string.h>

#include <sofia-sip/tport_tag.h>

#include "beacon-sip-error.h"
#include "beacon-sip-tls.h"

/* How long shutdown waits for nua_shutdown. */
#define SHUTDOWN_TIMEOUT_MS 5000

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

void
beacon_sip_ua_set_state (BeaconSipUa      *self,
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

BeaconSipCore *
beacon_sip_ua_get_core (BeaconSipUa *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_UA (self), NULL);
  return self->core;
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
  gboolean started;
  url_t *aor_url;

  g_return_val_if_fail (BEACON_IS_SIP_UA (self), FALSE);
  g_return_val_if_fail (beacon_sip_core_get_nua (self->core) == NULL, FALSE);

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

  beacon_sip_core_set_credentials (self->core, self->auth_user, self->password);
  started = beacon_sip_core_start (self->core, self->bind_url, error,
                          TAG_IF (self->proxy != NULL, NUTAG_PROXY (self->proxy)),
                          /* We answer MESSAGE ourselves, after the history
                           * has it: a 200 promises the text is on disk.
                           * (The others are nua's defaults, kept.) */
                          NUTAG_APPL_METHOD ("INVITE, REGISTER, PUBLISH, SUBSCRIBE, MESSAGE"),
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
  if (!started)
    return FALSE;
  g_debug ("started %s (bind %s, proxy %s)", self->aor, self->bind_url,
           self->proxy ? self->proxy : "none");
  beacon_sip_register_start (self);
  return TRUE;
}

static void
core_shut_down (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BeaconSipUa) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  beacon_sip_core_shutdown_finish (BEACON_SIP_CORE (source), result, NULL);
  beacon_sip_ua_set_state (self, BEACON_SIP_UA_STOPPED, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

void
beacon_sip_ua_unregistered (BeaconSipUa *self)
{
  if (self->shutdown_task == NULL || !beacon_sip_core_is_running (self->core))
    return;
  /* Every other handle of the account (subscriptions, publications,
   * messages in flight) stops here. */
  beacon_sip_core_shutdown_async (self->core, SHUTDOWN_TIMEOUT_MS, NULL, core_shut_down,
                                  g_object_ref (self));
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

  if (beacon_sip_core_get_nua (self->core) == NULL)
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
  beacon_sip_register_stop (self);
}

gboolean
beacon_sip_ua_shutdown_finish (BeaconSipUa   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- MESSAGE, through the core ------------------------------------------ */

static void
message_received (BeaconSipCore *core,
                  const char    *from,
                  const char    *content_type,
                  GBytes        *body,
                  const char    *dedupe_key,
                  BeaconSipUa   *self)
{
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, from, content_type, body, dedupe_key);
}

void
beacon_sip_ua_refuse_message (BeaconSipUa *self,
                              guint        retry_after_s)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  beacon_sip_core_refuse_message (self->core, 503, retry_after_s);
}

void
beacon_sip_ua_refuse_message_too_many (BeaconSipUa *self,
                                       guint        retry_after_s)
{
  g_return_if_fail (BEACON_IS_SIP_UA (self));
  beacon_sip_core_refuse_message (self->core, 429, retry_after_s);
}

static void
message_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *status = g_task_get_task_data (task);
  GError *error = NULL;

  if (beacon_sip_core_send_message_finish (BEACON_SIP_CORE (source), result, status, NULL,
                                           &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
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
  GTask *task;

  g_return_if_fail (BEACON_IS_SIP_UA (self));
  g_return_if_fail (to != NULL && content_type != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_ua_send_message_id_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);
  beacon_sip_core_send_message_async (self->core, to, NULL, content_type, body, message_id,
                                      cancellable, message_sent, task);
}

gboolean
beacon_sip_ua_send_message_finish (BeaconSipUa   *self,
                                   GAsyncResult  *result,
                                   guint         *status,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (status != NULL)
    *status = *(guint *) g_task_get_task_data (G_TASK (result));
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

  beacon_sip_register_clear (self);
  if (self->core != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->core, self);
      beacon_sip_core_set_response_func (self->core, NULL, NULL);
    }
  /* Not shut down with shutdown_async(): the core stops the stack in its
   * dispose, bounded; the handles of the other objects are detached. */
  g_clear_object (&self->core);

  G_OBJECT_CLASS (beacon_sip_ua_parent_class)->dispose (object);
}

static void
beacon_sip_ua_finalize (GObject *object)
{
  BeaconSipUa *self = (BeaconSipUa *) object;

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
   * see beacon_message_dedupe_key()): an incoming MESSAGE. It is answered
   * 200 when the handlers return, so they store it first; 503 when one
   * called beacon_sip_ua_refuse_message() (429 for
   * beacon_sip_ua_refuse_message_too_many()). */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BYTES, G_TYPE_STRING);
}

static void
beacon_sip_ua_init (BeaconSipUa *self)
{
  self->register_expires = 600;
  beacon_sip_register_init (self);
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
  self->core = beacon_sip_core_new (aor, beacon_sip_url_string);
  g_signal_connect (self->core, "message-received", G_CALLBACK (message_received), self);
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
