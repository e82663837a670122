/* beacon-sip-ua.h — server mode's SIP user agent
 *
 * A BeaconSipUa is one server account's SIP endpoint, a layer on the
 * engine's one SIP core (beacon-sip-core.h): it binds the transport, keeps
 * the REGISTER alive (refreshes, and retries with backoff after errors),
 * has the core answer digest challenges for every request of the account,
 * sends and receives MESSAGEs and carries the subscriptions and
 * publications of BeaconSipSubscription and BeaconSipPublication.
 * sofia-sip types never leave src/engine/sip/: the rest of the engine
 * sees this GObject.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BEACON_SIP_TRANSPORT_UDP,
  BEACON_SIP_TRANSPORT_TCP,
  BEACON_SIP_TRANSPORT_TLS,   /* only TLS, the server's certificate checked */
} BeaconSipTransport;

typedef enum {
  BEACON_SIP_UA_STOPPED,      /* not started, or shut down */
  BEACON_SIP_UA_REGISTERING,  /* first REGISTER on its way */
  BEACON_SIP_UA_REGISTERED,   /* registered; nua refreshes it */
  BEACON_SIP_UA_RETRYING,     /* REGISTER failed; a retry is scheduled */
  BEACON_SIP_UA_FAILED,       /* gave up: wrong password or forbidden */
  BEACON_SIP_UA_STOPPING,     /* un-REGISTER and shutdown in progress */
  BEACON_SIP_UA_RECONNECTING, /* was registered, lost the server (no answer
                               * to keep-alives, a failed refresh, or it
                               * restarted): registering again, bounded
                               * backoff; everything else must start anew */
} BeaconSipUaState;

#define BEACON_TYPE_SIP_TRANSPORT (beacon_sip_transport_get_type ())
#define BEACON_TYPE_SIP_UA_STATE  (beacon_sip_ua_state_get_type ())
GType beacon_sip_transport_get_type (void);
GType beacon_sip_ua_state_get_type  (void);

#define BEACON_TYPE_SIP_UA (beacon_sip_ua_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipUa, beacon_sip_ua, BEACON, SIP_UA, GObject)

/* @aor: sip:user@domain. @auth_user: digest user name (NULL: the AOR's user
 * part). @proxy: outbound proxy URI or host[:port] (NULL: none, the domain
 * is resolved). @bind_address: local IP to bind (NULL or "*": all). */
BeaconSipUa      *beacon_sip_ua_new              (const char          *aor,
                                                  const char          *auth_user,
                                                  const char          *password,
                                                  const char          *proxy,
                                                  BeaconSipTransport   transport,
                                                  const char          *bind_address);

const char       *beacon_sip_ua_get_aor          (BeaconSipUa         *self);
BeaconSipUaState  beacon_sip_ua_get_state        (BeaconSipUa         *self);
/* Why the last REGISTER failed (BEACON_SIP_ERROR), or NULL. */
const GError     *beacon_sip_ua_get_last_error   (BeaconSipUa         *self);
/* TLS only: the PEM file of the certificate authorities trusted for the
 * server's certificate (NULL: the system's, BEACON_SIP_SYSTEM_CA_FILE).
 * Set before start. */
void              beacon_sip_ua_set_ca_file      (BeaconSipUa         *self,
                                                  const char          *ca_file);
#define BEACON_SIP_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
/* Seconds asked for in REGISTER (default 600); set before start. */
void              beacon_sip_ua_set_register_expires (BeaconSipUa    *self,
                                                  guint                seconds);

/* Creates the stack on the thread-default main context and sends the first
 * REGISTER. Fails with BEACON_SIP_ERROR_TRANSPORT when it cannot bind,
 * BEACON_SIP_ERROR_INVALID_URI for a bad AOR or proxy. */
gboolean          beacon_sip_ua_start            (BeaconSipUa         *self,
                                                  GError             **error);

/* Un-REGISTERs (bounded wait), then shuts the stack down; every handle of
 * the account stops. Subscriptions and publications should be stopped
 * first so their last requests still go out. */
void              beacon_sip_ua_shutdown_async   (BeaconSipUa         *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          beacon_sip_ua_shutdown_finish  (BeaconSipUa         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Sends a MESSAGE to @to, for the message @message_id (letters, digits
 * and '-', at most 64; NULL: none): the Call-ID is derived from it and it
 * goes in a Beacon-Message-ID header, so sending it again after a crash,
 * or msilo delivering it later, is recognised by the receiver.
 * Finishes TRUE on a 2xx (*status: 200, 202...); FALSE with @error
 * (BEACON_SIP_ERROR) and *status the final code (0 when there was none,
 * e.g. the account stopped). */
void              beacon_sip_ua_send_message_id_async (BeaconSipUa         *self,
                                                       const char          *to,
                                                       const char          *content_type,
                                                       GBytes              *body,
                                                       const char          *message_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          beacon_sip_ua_send_message_finish (BeaconSipUa         *self,
                                                     GAsyncResult        *result,
                                                     guint               *status,
                                                     GError             **error);

/* From a "message-received" handler: the MESSAGE could not be kept (or
 * not yet), answer 503 with Retry-After @retry_after_s instead of 200 so
 * that the sender, or the server's store, keeps it and sends it again. */
void              beacon_sip_ua_refuse_message      (BeaconSipUa         *self,
                                                     guint                retry_after_s);
/* From a "message-received" handler: a stranger over the limits, answer
 * 429 Too Many Requests with Retry-After @retry_after_s. */
void              beacon_sip_ua_refuse_message_too_many (BeaconSipUa     *self,
                                                         guint            retry_after_s);

G_END_DECLS
