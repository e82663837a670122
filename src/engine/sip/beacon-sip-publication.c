/* beacon-sip-publication.c — one event state publication (RFC 3903)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-publication.h"

#include "beacon-backoff.h"
#include "beacon-sip-error.h"
#include "beacon-sip-ua-private.h"

/* How long remove waits for the answer to the PUBLISH with Expires: 0. */
#define REMOVE_TIMEOUT_MS 3000
/* 412s in a row before the server counts as broken (then: backoff). */
#define MAX_412_IN_A_ROW  3

typedef enum {
  REQUEST_NONE,
  REQUEST_INITIAL,  /* document, no SIP-If-Match */
  REQUEST_MODIFY,   /* document, SIP-If-Match */
  REQUEST_REFRESH,  /* no body, SIP-If-Match */
  REQUEST_REMOVE,   /* no body, SIP-If-Match, Expires: 0 */
  REQUEST_FORGET,   /* a remove behind our own back: see use_stale_etag() */
} Request;

static const char *const request_names[] = { "none", "initial", "modify", "refresh", "remove",
                                             "remove (testing: server loses our state)" };

struct _BeaconSipPublication
{
  GObject           parent_instance;

  BeaconSipUa      *ua;
  char             *event;
  char             *content_type;
  guint             expires;

  BeaconSipHandle  *handle;
  GBytes           *body;        /* the document to publish */
  char             *etag;        /* the server's entity-tag; NULL: nothing held */
  Request           in_flight;   /* one request at a time */
  gboolean          dirty;       /* @body changed while one was in flight */
  guint             fails_412;
  char             *stale_etag;  /* testing aid, see use_stale_etag() */
  BeaconBackoff  backoff;
  guint             retry_id;    /* after a failure */
  guint             refresh_id;  /* before the granted Expires runs out */

  GTask            *remove_task;
  guint             remove_timeout_id;
};

G_DEFINE_FINAL_TYPE (BeaconSipPublication, beacon_sip_publication, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PUBLISHED,
  N_PROPS
};

enum {
  PUBLISHED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void send_request (BeaconSipPublication *self,
                          Request               request);

static void
set_etag (BeaconSipPublication *self,
          const char           *etag)
{
  gboolean was = self->etag != NULL;

  g_free (self->etag);
  self->etag = g_strdup (etag);
  if (was != (self->etag != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHED]);
}

/* What to send for the current state when nothing is in flight. */
static Request
next_request (BeaconSipPublication *self,
              gboolean              refresh)
{
  if (self->etag == NULL)
    return self->body != NULL ? REQUEST_INITIAL : REQUEST_NONE;
  if (self->dirty)
    return REQUEST_MODIFY;
  return refresh ? REQUEST_REFRESH : REQUEST_NONE;
}

static gboolean
retry_cb (gpointer user_data)
{
  BeaconSipPublication *self = user_data;
  Request request;

  self->retry_id = 0;
  request = next_request (self, TRUE);
  if (request != REQUEST_NONE)
    send_request (self, request);
  return G_SOURCE_REMOVE;
}

static gboolean
refresh_cb (gpointer user_data)
{
  BeaconSipPublication *self = user_data;

  self->refresh_id = 0;
  if (self->in_flight == REQUEST_NONE && self->etag != NULL)
    send_request (self, next_request (self, TRUE));
  return G_SOURCE_REMOVE;
}

/* Refresh well before the server's deadline: 30 s early for long
 * publications, at two thirds of short ones. */
static void
schedule_refresh (BeaconSipPublication *self,
                  guint                 granted)
{
  guint delay_s = granted > 90 ? granted - 30 : MAX (granted * 2 / 3, 1);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add_seconds (delay_s, refresh_cb, self);
}

static void
finish_remove (BeaconSipPublication *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->remove_task);

  g_clear_handle_id (&self->remove_timeout_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  set_etag (self, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
  /* publish() was called meanwhile: a new publication. */
  if (self->dirty && self->remove_task == NULL && self->in_flight == REQUEST_NONE)
    send_request (self, REQUEST_INITIAL);
}

static void
request_failed (BeaconSipPublication *self,
                Request               request,
                int                   status,
                const char           *phrase,
                const sip_t          *sip)
{
  g_autoptr(GError) error = beacon_sip_error_new_for_status (status, phrase, "PUBLISH");
  guint retry_after = sip && sip->sip_retry_after ? (guint) sip->sip_retry_after->af_delta : 0;

  if (status == 412 && request != REQUEST_INITIAL && ++self->fails_412 <= MAX_412_IN_A_ROW)
    {
      /* The server no longer knows our entity-tag (it expired, or the
       * server restarted): publish the whole document anew. */
      g_debug ("PUBLISH %s: 412, the server forgot %s; initial PUBLISH",
               request_names[request], self->etag ? self->etag : "our tag");
      set_etag (self, NULL);
      if (self->body != NULL)
        send_request (self, REQUEST_INITIAL);
      return;
    }
  if (beacon_sip_status_is_transient (status) || status == 412)
    {
      guint delay = beacon_backoff_next_with_hint (&self->backoff, retry_after);

      /* A refresh or modify that timed out may or may not have been
       * applied; the entity-tag stays until the server says 412. */
      g_debug ("PUBLISH %s failed (%s); retrying in %u ms", request_names[request],
               error->message, delay);
      if (request == REQUEST_MODIFY)
        self->dirty = TRUE;
      self->retry_id = g_timeout_add (delay, retry_cb, self);
      return;
    }
  g_debug ("PUBLISH %s refused for good: %s", request_names[request], error->message);
  set_etag (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
publication_event (gpointer     owner,
                   nua_event_t  event,
                   int          status,
                   const char  *phrase,
                   const sip_t *sip,
                   tagi_t       tags[])
{
  BeaconSipPublication *self = owner;
  const char *etag = sip && sip->sip_etag ? sip->sip_etag->g_string : NULL;
  gulong granted = sip && sip->sip_expires ? sip->sip_expires->ex_delta : self->expires;
  Request request = self->in_flight;

  if (event != nua_r_method || status < 200 || request == REQUEST_NONE)
    return;
  self->in_flight = REQUEST_NONE;
  g_debug ("PUBLISH %s: %d %s, SIP-ETag %s, expires %lu", request_names[request], status, phrase,
           etag ? etag : "(none)", granted);

  if (request == REQUEST_FORGET)
    {
      /* The server dropped the publication; we go on with a tag it does
       * not know, as after a server restart. */
      g_autofree char *stale = g_steal_pointer (&self->stale_etag);

      g_clear_handle_id (&self->refresh_id, g_source_remove);
      g_free (self->etag);
      self->etag = g_strdup (stale);
      if (self->dirty && self->remove_task == NULL)
        send_request (self, REQUEST_MODIFY);
      else if (self->remove_task != NULL)
        finish_remove (self);
      return;
    }

  if (self->remove_task != NULL)
    {
      if (request != REQUEST_REMOVE && status < 300 && etag != NULL)
        {
          /* Something else was in flight when remove came: now remove. */
          set_etag (self, etag);
          send_request (self, REQUEST_REMOVE);
        }
      else
        finish_remove (self);
      return;
    }

  if (status >= 300)
    {
      request_failed (self, request, status, phrase, sip);
      return;
    }

  self->fails_412 = 0;
  beacon_backoff_reset (&self->backoff);
  /* RFC 3903: every 2xx carries the new entity-tag. */
  set_etag (self, etag != NULL ? etag : self->etag);
  if (granted == 0 || self->etag == NULL)
    {
      g_debug ("PUBLISH %s: no usable Expires or SIP-ETag in the answer", request_names[request]);
      set_etag (self, NULL);
      return;
    }
  schedule_refresh (self, (guint) granted);
  g_object_ref (self);
  g_signal_emit (self, signals[PUBLISHED], 0, self->etag, (guint) granted);
  if (self->dirty && self->in_flight == REQUEST_NONE)
    send_request (self, REQUEST_MODIFY);
  g_object_unref (self);
}

static void
publication_detached (gpointer owner)
{
  BeaconSipPublication *self = owner;

  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->in_flight = REQUEST_NONE;
  self->dirty = FALSE;
  finish_remove (self);
}

static void
send_request (BeaconSipPublication *self,
              Request               request)
{
  g_autoptr(GError) error = NULL;
  gboolean removing = request == REQUEST_REMOVE || request == REQUEST_FORGET;
  g_autofree char *expires = g_strdup_printf ("%u", removing ? 0 : self->expires);
  g_autofree char *payload = NULL;
  const char *if_match = self->etag;
  gboolean with_body = request == REQUEST_INITIAL || request == REQUEST_MODIFY;

  g_return_if_fail (self->in_flight == REQUEST_NONE);

  /* A fresh handle per request: on a used one nua would put the last
   * answer's To tag in, and the server takes it for an in-dialog request
   * (Kamailio: 404). PUBLISH creates no dialog (RFC 3903). */
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  self->handle = beacon_sip_core_handle_new (beacon_sip_ua_get_core (self->ua),
                                             beacon_sip_ua_get_aor (self->ua), NULL, NULL,
                                             publication_event, publication_detached, self,
                                             &error);
  if (self->handle == NULL)
    {
      g_debug ("cannot publish: %s", error->message);
      return;
    }
  if (with_body)
    {
      gsize len = 0;
      const char *data;

      g_return_if_fail (self->body != NULL);
      data = g_bytes_get_data (self->body, &len);
      payload = g_strndup (data, len);
      self->dirty = FALSE;
    }
  self->in_flight = request;
  g_debug ("PUBLISH %s %s%s%s", request_names[request], beacon_sip_ua_get_aor (self->ua),
           request != REQUEST_INITIAL ? ", SIP-If-Match " : "",
           request != REQUEST_INITIAL ? (if_match ? if_match : "?") : "");
  nua_method (beacon_sip_handle_get_nh (self->handle),
              NUTAG_METHOD ("PUBLISH"),
              /* No dialog, and no Contact: PUBLISH has none (RFC 3903). */
              NUTAG_DIALOG (0),
              SIPTAG_EVENT_STR (self->event),
              SIPTAG_EXPIRES_STR (expires),
              TAG_IF (request != REQUEST_INITIAL && if_match != NULL, SIPTAG_IF_MATCH_STR (if_match)),
              TAG_IF (with_body, SIPTAG_CONTENT_TYPE_STR (self->content_type)),
              TAG_IF (with_body, SIPTAG_PAYLOAD_STR (payload)),
              TAG_END ());
}

void
beacon_sip_publication_publish (BeaconSipPublication *self,
                                GBytes               *body)
{
  g_return_if_fail (BEACON_IS_SIP_PUBLICATION (self));
  g_return_if_fail (body != NULL);

  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_ref (body);
  self->dirty = TRUE;
  if (self->in_flight != REQUEST_NONE || self->remove_task != NULL || self->retry_id != 0)
    return;  /* sent when the answer comes, or by the retry */
  send_request (self, self->etag != NULL ? REQUEST_MODIFY : REQUEST_INITIAL);
}

void
beacon_sip_publication_resume (BeaconSipPublication *self,
                               GBytes               *body)
{
  g_return_if_fail (BEACON_IS_SIP_PUBLICATION (self));
  g_return_if_fail (body != NULL);

  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_ref (body);
  if (self->remove_task != NULL)
    {
      self->dirty = TRUE;  /* published when the remove is done */
      return;
    }
  /* What was in flight went to the server that is gone, or will time out
   * against it: drop it, and the retry's backoff with it. */
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  self->in_flight = REQUEST_NONE;
  self->fails_412 = 0;
  beacon_backoff_reset (&self->backoff);
  self->dirty = TRUE;
  /* With our entity-tag first (the server kept the document: no second
   * tuple next to the old one); a 412 makes it an initial PUBLISH. */
  send_request (self, self->etag != NULL ? REQUEST_MODIFY : REQUEST_INITIAL);
}

static void
remove_timeout_cb (gpointer user_data)
{
  BeaconSipPublication *self = user_data;

  self->remove_timeout_id = 0;
  g_debug ("PUBLISH remove: no answer in time");
  self->in_flight = REQUEST_NONE;
  finish_remove (self);
}

void
beacon_sip_publication_remove_async (BeaconSipPublication *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BEACON_IS_SIP_PUBLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_publication_remove_async);
  if (self->remove_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The publication is already being removed");
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->dirty = FALSE;
  self->remove_task = g_steal_pointer (&task);
  if (self->in_flight == REQUEST_NONE && self->etag == NULL)
    {
      finish_remove (self);
      return;
    }
  self->remove_timeout_id = g_timeout_add_once (REMOVE_TIMEOUT_MS, remove_timeout_cb, self);
  /* With a request in flight, its answer sends the remove. */
  if (self->in_flight == REQUEST_NONE)
    send_request (self, REQUEST_REMOVE);
}

gboolean
beacon_sip_publication_remove_finish (BeaconSipPublication  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
beacon_sip_publication_get_published (BeaconSipPublication *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_PUBLICATION (self), FALSE);
  return self->etag != NULL;
}

const char *
beacon_sip_publication_get_etag (BeaconSipPublication *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_PUBLICATION (self), NULL);
  return self->etag;
}

void
beacon_sip_publication_use_stale_etag (BeaconSipPublication *self,
                                       const char           *etag)
{
  g_return_if_fail (BEACON_IS_SIP_PUBLICATION (self));
  g_return_if_fail (etag != NULL);

  if (self->etag == NULL || self->in_flight != REQUEST_NONE || self->remove_task != NULL)
    {
      /* Nothing held (or busy): just name the unknown tag next time. */
      g_free (self->etag);
      self->etag = g_strdup (etag);
      return;
    }
  g_free (self->stale_etag);
  self->stale_etag = g_strdup (etag);
  send_request (self, REQUEST_FORGET);
}

static void
beacon_sip_publication_dispose (GObject *object)
{
  BeaconSipPublication *self = (BeaconSipPublication *) object;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->remove_timeout_id, g_source_remove);
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  g_clear_object (&self->ua);

  G_OBJECT_CLASS (beacon_sip_publication_parent_class)->dispose (object);
}

static void
beacon_sip_publication_finalize (GObject *object)
{
  BeaconSipPublication *self = (BeaconSipPublication *) object;

  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->event);
  g_free (self->content_type);
  g_free (self->etag);
  g_free (self->stale_etag);

  G_OBJECT_CLASS (beacon_sip_publication_parent_class)->finalize (object);
}

static void
beacon_sip_publication_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BeaconSipPublication *self = BEACON_SIP_PUBLICATION (object);

  switch (prop_id)
    {
    case PROP_PUBLISHED:
      g_value_set_boolean (value, self->etag != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_sip_publication_class_init (BeaconSipPublicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_publication_dispose;
  object_class->finalize = beacon_sip_publication_finalize;
  object_class->get_property = beacon_sip_publication_get_property;

  properties[PROP_PUBLISHED] =
    g_param_spec_boolean ("published", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (SIP-ETag, granted expires in seconds): every 2xx, refreshes too. */
  signals[PUBLISHED] =
    g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  /* (GError): refused for good (not retried). */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
beacon_sip_publication_init (BeaconSipPublication *self)
{
  beacon_backoff_init (&self->backoff, BEACON_BACKOFF_MIN_MS, BEACON_BACKOFF_MAX_MS);
}

BeaconSipPublication *
beacon_sip_publication_new (BeaconSipUa *ua,
                            const char  *event,
                            const char  *content_type,
                            guint        expires)
{
  BeaconSipPublication *self;

  g_return_val_if_fail (BEACON_IS_SIP_UA (ua), NULL);
  g_return_val_if_fail (event != NULL && content_type != NULL, NULL);

  self = g_object_new (BEACON_TYPE_SIP_PUBLICATION, NULL);
  self->ua = g_object_ref (ua);
  self->event = g_strdup (event);
  self->content_type = g_strdup (content_type);
  self->expires = expires > 0 ? expires : 3600;
  return self;
}
