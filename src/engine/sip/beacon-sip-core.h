/* beacon-sip-core.h — the one SIP stack: sofia-sip's nua on our main loop
 *
 * A BeaconSipCore is the only nua_create of the engine. Both modes are
 * layers on one: BeaconSipUa (server mode: REGISTER, keep-alives, and the
 * publications and subscriptions of this folder) and BeaconSipLanAgent
 * (LAN mode: its own presence agent). The core owns what they share:
 *
 *   - the su_root on the thread-default GMainContext, the nua and its one
 *     callback, the bounded shutdown (also from dispose);
 *   - handles: every nua handle is a BeaconSipHandle whose events go to
 *     its owner's function, and whose owner is told when the stack goes
 *     away under it;
 *   - digest authentication with the credentials of the mode, for every
 *     request of every handle;
 *   - MESSAGE, out and in (beacon-sip-message.c): the message id
 *     conventions, the dedupe key, the answer given after the handlers
 *     stored the text (200) or refused it (429, 503);
 *   - requests outside any dialog of ours (SUBSCRIBE for the LAN
 *     notifier): given to the mode's request function, else refused.
 *
 * For src/engine/sip/ only: it speaks sofia-sip types. The rest of the
 * engine sees BeaconSipUa and BeaconSipLanAgent.
 *
 * Signals:
 *   message-received (const char *from, const char *content_type,
 *                     GBytes *body, const char *dedupe_key)
 *     an incoming MESSAGE; answered 200 when the handlers return, unless
 *     one called beacon_sip_core_refuse_message().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/url.h>

G_BEGIN_DECLS

#define BEACON_TYPE_SIP_CORE (beacon_sip_core_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipCore, beacon_sip_core, BEACON, SIP_CORE, GObject)

typedef struct _BeaconSipHandle BeaconSipHandle;

/* An event of the handle's nua handle: responses (nua_r_*) and in-dialog
 * requests (nua_i_notify, nua_i_subscribe refreshes). 401/407 answers
 * reach the owner only when authentication failed for good. */
typedef void     (*BeaconSipEventFunc)   (gpointer       owner,
                                          nua_event_t    event,
                                          int            status,
                                          const char    *phrase,
                                          const sip_t   *sip,
                                          tagi_t         tags[]);
/* The stack went away under the handle (shutdown): no event will come. */
typedef void     (*BeaconSipDetachFunc)  (gpointer       owner);
/* A request outside our dialogs (not MESSAGE: the core takes those).
 * Returns TRUE when it answered it; the function then owns @nh (keeps it
 * with beacon_sip_core_handle_adopt() or destroys it). FALSE: the core
 * refuses it (405) and destroys @nh. */
typedef gboolean (*BeaconSipRequestFunc) (gpointer       owner,
                                          nua_event_t    event,
                                          int            status,
                                          nua_handle_t  *nh,
                                          const sip_t   *sip,
                                          tagi_t         tags[]);
/* Every final response of every handle, before its owner sees it (the
 * server UA watches for 408/503 that say the server went away). */
typedef void     (*BeaconSipResponseFunc) (gpointer      owner,
                                           nua_event_t   event,
                                           int           status,
                                           const char   *phrase);
/* A From URL as the mode names senders: a full URI (server) or
 * sip:user@host (LAN); NULL when it is not a sender. */
typedef char    *(*BeaconSipFromFunc)    (const url_t   *url);

/* @from: our From (the AOR). @from_of: how senders of incoming MESSAGEs
 * are named. */
BeaconSipCore   *beacon_sip_core_new            (const char            *from,
                                                 BeaconSipFromFunc      from_of);

/* Creates the nua bound to @bind_url with the tags every mode uses
 * (user agent, MESSAGE taken by us, no INVITE, no media, no nua
 * keep-alives, tracing, the size limit) and the mode's own after them.
 * FALSE with BEACON_SIP_ERROR_TRANSPORT when it cannot bind. */
gboolean         beacon_sip_core_start          (BeaconSipCore         *self,
                                                 const char            *bind_url,
                                                 GError               **error,
                                                 tag_type_t             tag,
                                                 tag_value_t            value,
                                                 ...);
/* Started and not shutting down. */
gboolean         beacon_sip_core_is_running     (BeaconSipCore         *self);
/* NULL when not started. */
nua_t           *beacon_sip_core_get_nua        (BeaconSipCore         *self);

/* Digest credentials for every challenge (NULL password: none answered). */
void             beacon_sip_core_set_credentials (BeaconSipCore        *self,
                                                  const char           *auth_user,
                                                  const char           *password);
void             beacon_sip_core_set_request_func (BeaconSipCore       *self,
                                                   BeaconSipRequestFunc func,
                                                   gpointer             owner);
void             beacon_sip_core_set_response_func (BeaconSipCore      *self,
                                                    BeaconSipResponseFunc func,
                                                    gpointer            owner);

/* Every handle stops (owners' detach functions run), nua_shutdown, and
 * nua_destroy from an idle; bounded by @timeout_ms. The mode says its
 * goodbyes (un-REGISTER, final NOTIFYs) before. */
void             beacon_sip_core_shutdown_async  (BeaconSipCore        *self,
                                                  guint                 timeout_ms,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean         beacon_sip_core_shutdown_finish (BeaconSipCore        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* The network address the request being handled came from, or NULL. */
char            *beacon_sip_core_request_address (BeaconSipCore        *self);

/* ---- handles ---- */

/* A nua handle towards @to_uri owned by @owner; its Request-URI is
 * @target when given (a LAN peer's endpoint), else @to_uri. @call_id:
 * the dialog's Call-ID, NULL: nua makes one. NULL with
 * BEACON_SIP_ERROR_INVALID_URI or _STOPPED (not running). */
BeaconSipHandle *beacon_sip_core_handle_new     (BeaconSipCore         *self,
                                                 const char            *to_uri,
                                                 const char            *target,
                                                 const char            *call_id,
                                                 BeaconSipEventFunc     func,
                                                 BeaconSipDetachFunc    detach,
                                                 gpointer               owner,
                                                 GError               **error);
/* Takes the handle the stack made for an incoming request (see
 * BeaconSipRequestFunc): its later events go to @func. */
BeaconSipHandle *beacon_sip_core_handle_adopt   (BeaconSipCore         *self,
                                                 nua_handle_t          *nh,
                                                 BeaconSipEventFunc     func,
                                                 BeaconSipDetachFunc    detach,
                                                 gpointer               owner);
/* NULL once the stack went away. */
nua_handle_t    *beacon_sip_handle_get_nh       (BeaconSipHandle       *handle);
/* Destroys the nua handle (no more events) and frees @handle. May be
 * called from the handle's own event function. */
void             beacon_sip_handle_free         (BeaconSipHandle       *handle);

/* ---- MESSAGE (beacon-sip-message.c) ---- */

/* Sends a MESSAGE to @to (at @target when given), for the message
 * @message_id (see beacon_message_id_is_valid(); NULL: none): the Call-ID
 * is derived from it and it goes in a BEACON_SIP_MESSAGE_ID_HEADER, so
 * sending it again after a crash, or msilo delivering it later, is
 * recognised by the receiver. Finishes TRUE on a 2xx; FALSE with @error
 * (BEACON_SIP_ERROR). Either way *status is the final code (0 when there
 * was none, e.g. the stack stopped) and *phrase its reason phrase. */
void             beacon_sip_core_send_message_async  (BeaconSipCore        *self,
                                                      const char           *to,
                                                      const char           *target,
                                                      const char           *content_type,
                                                      GBytes               *body,
                                                      const char           *message_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean         beacon_sip_core_send_message_finish (BeaconSipCore        *self,
                                                      GAsyncResult         *result,
                                                      guint                *status,
                                                      char                **phrase,
                                                      GError              **error);
/* From a "message-received" handler: answer @status (429: a stranger over
 * the limits; 503: it could not be kept, the sender or the server's store
 * sends it again later) with Retry-After @retry_after_s. */
void             beacon_sip_core_refuse_message      (BeaconSipCore        *self,
                                                      guint                 status,
                                                      guint                 retry_after_s);

#define BEACON_SIP_MESSAGE_ID_HEADER       "Beacon-Message-ID"
#define BEACON_SIP_MESSAGE_CALL_ID_PREFIX  "beacon-msg-"

/* ---- helpers for this folder ---- */

/* The whole URL as a string, or NULL. */
char            *beacon_sip_url_string          (const url_t           *url);
/* sip:user@host of a URL (no port, no parameters), host lowercased;
 * NULL without a user part. */
char            *beacon_sip_url_aor             (const url_t           *url);
/* The whole Content-Type value, parameters included ("multipart/related;
 * type=...;boundary=..."), or NULL. */
char            *beacon_sip_content_type_string (const sip_content_type_t *content_type);
/* The body of @sip (empty when it has none). */
GBytes          *beacon_sip_payload_bytes       (const sip_t           *sip);
/* beacon_message_dedupe_key() of an incoming MESSAGE from @from (the
 * message id from its BEACON_SIP_MESSAGE_ID_HEADER or Call-ID). */
char            *beacon_sip_message_dedupe_key  (const sip_t           *sip,
                                                 const char            *from);
/* Answers the request on @nh with @status @phrase and a Retry-After of
 * @retry_after_s (at least 1): 429 to a stranger over the limits, 503
 * to what could not be kept. */
void             beacon_sip_respond_retry_after (nua_t                 *nua,
                                                 nua_handle_t          *nh,
                                                 int                    status,
                                                 const char            *phrase,
                                                 guint                  retry_after_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipHandle, beacon_sip_handle_free)

G_END_DECLS
