/* beacon-sip-subscription.c — one SUBSCRIBE dialog that keeps itself alive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-subscription.h"

#include <stdlib.h>

#include <sofia-sip/sip_util.h>

#include "beacon-backoff.h"
#include "beacon-sip-core.h"
#include "beacon-sip-error.h"
#include "beacon-sip-ua-private.h"

/* How long stop waits for the answer to the un-SUBSCRIBE, and then for
 * the notifier's final NOTIFY. */
#define STOP_TIMEOUT_MS      3000
#define FINAL_NOTIFY_WAIT_MS 1000

struct _BeaconSipSubscription
{
  GObject                     parent_instance;

  BeaconSipCore              *core;
  GObject                    *layer;             /* the UA, kept alive; NULL on the LAN */
  char                       *uri;
  char                       *target;            /* Request-URI when not @uri (a LAN peer) */
  gboolean                    retry;             /* FALSE: every end is "terminated" */
  guint                       retry_after;       /* of the last end, in seconds */
  char                       *event;
  char                       *accept;
  gboolean                    eventlist;
  guint                       expires;

  BeaconSipHandle            *handle;
  BeaconSipSubscriptionState  state;
  gboolean                    running;           /* started and not stopped */
  gboolean                    server_eventlist;
  BeaconBackoff               backoff;
  guint                       retry_id;

  GTask                      *stop_task;
  guint                       stop_timeout_id;
};

G_DEFINE_FINAL_TYPE (BeaconSipSubscription, beacon_sip_subscription, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BeaconSipSubscriptionState, beacon_sip_subscription_state,
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_SUBSCRIBING, "subscribing"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_RETRYING, "retrying"),
  G_DEFINE_ENUM_VALUE (BEACON_SIP_SUBSCRIPTION_TERMINATED, "terminated"))

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  ACCEPTED,
  NOTIFY,
  TERMINATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void send_subscribe (BeaconSipSubscription *self);
static void stop_timeout_cb (gpointer user_data);

static void
set_state (BeaconSipSubscription      *self,
           BeaconSipSubscriptionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
finish_stop (BeaconSipSubscription *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  set_state (self, BEACON_SIP_SUBSCRIPTION_IDLE);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

/* Ended for good: the owner decides what to tell the user. */
static void
terminate (BeaconSipSubscription *self,
           const char            *reason,
           int                    status,
           const char            *phrase,
           guint                  retry_after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = g_strdup_printf ("SUBSCRIBE to %s (%s)", self->uri, self->event);

  if (status >= 300)
    error = beacon_sip_error_new_for_status (status, phrase, what);
  else if (g_strcmp0 (reason, "rejected") == 0)
    error = g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_FORBIDDEN,
                         "%s was refused", what);
  else if (g_strcmp0 (reason, "noresource") == 0)
    error = g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_NOT_FOUND,
                         "%s: no such resource", what);
  else
    error = g_error_new (BEACON_SIP_ERROR, BEACON_SIP_ERROR_REJECTED,
                         "%s ended: %s", what, reason ? reason : "no reason given");

  g_debug ("%s: %s (%s)", self->uri, self->retry ? "giving up" : "ended", error->message);
  self->retry_after = retry_after;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  set_state (self, BEACON_SIP_SUBSCRIPTION_TERMINATED);
  g_signal_emit (self, signals[TERMINATED], 0, reason, (guint) MAX (status, 0), error);
}

static gboolean
retry_cb (gpointer user_data)
{
  BeaconSipSubscription *self = user_data;

  self->retry_id = 0;
  send_subscribe (self);
  return G_SOURCE_REMOVE;
}

/* Drops the dialog and subscribes anew after @delay_ms (or, when the owner
 * retries itself, ends it: @reason, @status and @retry_after_s tell why). */
static void
schedule_retry_or_end (BeaconSipSubscription *self,
                       guint                  delay_ms,
                       const char            *reason,
                       int                    status,
                       const char            *phrase,
                       guint                  retry_after_s)
{
  if (!self->retry)
    {
      terminate (self, reason, status, phrase, retry_after_s);
      return;
    }
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_state (self, BEACON_SIP_SUBSCRIPTION_RETRYING);
  g_debug ("%s (%s): subscribing again in %u ms", self->uri, self->event, delay_ms);
  self->retry_id = g_timeout_add (delay_ms, retry_cb, self);
}

/* "Resubscribe at once" — but a server that ends every new subscription at
 * once must not get a SUBSCRIBE storm: only the first retry is immediate. */
static void
retry_now (BeaconSipSubscription *self,
           const char            *reason,
           int                    status,
           const char            *phrase)
{
  guint delay = self->backoff.failures == 0 || !self->retry
                  ? 0 : beacon_backoff_next (&self->backoff);

  if (delay == 0)
    self->backoff.failures++;
  schedule_retry_or_end (self, delay, reason, status, phrase, 0);
}

static guint
parse_seconds (const char *value)
{
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &n, NULL))
    return 0;
  return (guint) n;
}

static void
request_failed (BeaconSipSubscription *self,
                int                    status,
                const char            *phrase,
                const sip_t           *sip)
{
  guint retry_after = sip && sip->sip_retry_after ? (guint) sip->sip_retry_after->af_delta : 0;

  if (status == 481)
    retry_now (self, NULL, status, phrase);  /* the server lost the dialog: a new one */
  else if (beacon_sip_status_is_transient (status) || status == 423)
    schedule_retry_or_end (self, beacon_backoff_next_with_hint (&self->backoff, retry_after),
                           NULL, status, phrase, retry_after);
  else
    terminate (self, NULL, status, phrase, retry_after);
}

static void
handle_notify (BeaconSipSubscription *self,
               int                    status,
               const char            *phrase,
               const sip_t           *sip)
{
  const sip_subscription_state_t *ss;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *substate;
  const char *reason;

  if (sip == NULL)
    {
      /* sofia-sip's own report: a refresh failed, or no NOTIFY came. */
      g_debug ("%s: subscription lost (%d %s)", self->uri, status, phrase);
      if (self->running)
        schedule_retry_or_end (self, beacon_backoff_next (&self->backoff), NULL, 0, NULL, 0);
      else
        finish_stop (self);
      return;
    }

  ss = sip->sip_subscription_state;
  substate = ss && ss->ss_substate ? ss->ss_substate : "active";
  reason = ss ? ss->ss_reason : NULL;
  if (sip->sip_require != NULL && sip_has_feature (sip->sip_require, "eventlist"))
    self->server_eventlist = TRUE;

  content_type = beacon_sip_content_type_string (sip->sip_content_type);
  body = sip->sip_payload ? g_bytes_new (sip->sip_payload->pl_data, sip->sip_payload->pl_len)
                          : g_bytes_new (NULL, 0);
  g_debug ("NOTIFY %s (%s): %s%s%s, %s, %zu bytes", self->uri, self->event, substate,
           reason ? ";reason=" : "", reason ? reason : "",
           content_type ? content_type : "no body", g_bytes_get_size (body));
  if (g_bytes_get_size (body) > 0)
    g_debug ("%.*s", (int) MIN (g_bytes_get_size (body), 8192),
             (const char *) g_bytes_get_data (body, NULL));

  /* Keep ourselves alive: a handler may drop its last reference. */
  g_object_ref (self);
  g_signal_emit (self, signals[NOTIFY], 0, content_type, body, substate, reason);

  if (!self->running)
    {
      if (g_ascii_strcasecmp (substate, "terminated") == 0)
        finish_stop (self);
    }
  else if (g_ascii_strcasecmp (substate, "active") == 0)
    {
      beacon_backoff_reset (&self->backoff);
      set_state (self, BEACON_SIP_SUBSCRIPTION_ACTIVE);
    }
  else if (g_ascii_strcasecmp (substate, "pending") == 0)
    {
      beacon_backoff_reset (&self->backoff);
      set_state (self, BEACON_SIP_SUBSCRIPTION_PENDING);
    }
  else if (g_ascii_strcasecmp (substate, "terminated") == 0)
    {
      guint retry_after = parse_seconds (ss ? ss->ss_retry_after : NULL);

      if (reason != NULL && (g_ascii_strcasecmp (reason, "deactivated") == 0 ||
                             g_ascii_strcasecmp (reason, "timeout") == 0))
        retry_now (self, reason, 0, NULL);
      else if (reason != NULL && (g_ascii_strcasecmp (reason, "rejected") == 0 ||
                                  g_ascii_strcasecmp (reason, "noresource") == 0))
        terminate (self, reason, 0, NULL, retry_after);
      else
        schedule_retry_or_end (self, beacon_backoff_next_with_hint (&self->backoff, retry_after),
                               reason, 0, NULL, retry_after);
    }
  else
    {
      /* RFC 6665: an unknown state is treated as active. */
      set_state (self, BEACON_SIP_SUBSCRIPTION_ACTIVE);
    }
  g_object_unref (self);
}

static void
subscription_event (gpointer     owner,
                    nua_event_t  event,
                    int          status,
                    const char  *phrase,
                    const sip_t *sip,
                    tagi_t       tags[])
{
  BeaconSipSubscription *self = owner;

  switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
    {
    case nua_r_subscribe:
      if (status < 200 || !self->running)
        return;
      if (status >= 300)
        {
          g_debug ("SUBSCRIBE %s (%s): %d %s", self->uri, self->event, status, phrase);
          request_failed (self, status, phrase, sip);
          return;
        }
      if (sip != NULL && sip->sip_require != NULL && sip_has_feature (sip->sip_require, "eventlist"))
        self->server_eventlist = TRUE;
      g_debug ("SUBSCRIBE %s (%s): %d %s, expires %lu%s", self->uri, self->event, status, phrase,
               sip && sip->sip_expires ? sip->sip_expires->ex_delta : 0UL,
               self->server_eventlist ? ", eventlist" : "");
      g_signal_emit (self, signals[ACCEPTED], 0, (guint) status, self->server_eventlist);
      break;

    case nua_r_unsubscribe:
      if (status < 200)
        break;
      g_debug ("un-SUBSCRIBE %s (%s): %d %s", self->uri, self->event, status, phrase);
      if (status < 300 && self->stop_task != NULL)
        {
          /* The notifier's last NOTIFY (terminated) usually follows: until
           * it came, dropping the handle would make nua un-SUBSCRIBE again.
           * A resource list server may never send it: wait briefly. */
          g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
          self->stop_timeout_id = g_timeout_add_once (FINAL_NOTIFY_WAIT_MS, stop_timeout_cb, self);
          break;
        }
      finish_stop (self);
      break;

    case nua_i_notify:
      handle_notify (self, status, phrase, sip);
      break;

    default:
      break;
    }
}

static void
subscription_detached (gpointer owner)
{
  BeaconSipSubscription *self = owner;

  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->stop_task != NULL)
    finish_stop (self);
  else
    set_state (self, BEACON_SIP_SUBSCRIPTION_IDLE);
  self->running = FALSE;
}

static void
send_subscribe (BeaconSipSubscription *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = g_strdup_printf ("%u", self->expires);

  if (self->handle == NULL)
    {
      self->handle = beacon_sip_core_handle_new (self->core, self->uri, self->target, NULL,
                                                 subscription_event, subscription_detached, self,
                                                 &error);
      if (self->handle == NULL)
        {
          g_debug ("cannot subscribe to %s: %s", self->uri, error->message);
          set_state (self, BEACON_SIP_SUBSCRIPTION_TERMINATED);
          g_signal_emit (self, signals[TERMINATED], 0, NULL, 0u, error);
          return;
        }
      set_state (self, BEACON_SIP_SUBSCRIPTION_SUBSCRIBING);
    }
  g_debug ("SUBSCRIBE %s (%s)", self->uri, self->event);
  nua_subscribe (beacon_sip_handle_get_nh (self->handle),
                 TAG_IF (self->target != NULL, NUTAG_URL (self->target)),
                 SIPTAG_EVENT_STR (self->event),
                 SIPTAG_ACCEPT_STR (self->accept),
                 TAG_IF (self->eventlist, SIPTAG_SUPPORTED_STR ("eventlist")),
                 SIPTAG_EXPIRES_STR (expires),
                 TAG_END ());
}

void
beacon_sip_subscription_start (BeaconSipSubscription *self)
{
  g_return_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->server_eventlist = FALSE;
  beacon_backoff_reset (&self->backoff);
  send_subscribe (self);
}

void
beacon_sip_subscription_refresh (BeaconSipSubscription *self)
{
  g_return_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self));

  if (!self->running)
    return;
  if (self->retry_id != 0)
    {
      g_clear_handle_id (&self->retry_id, g_source_remove);
      send_subscribe (self);
    }
  else if (self->handle != NULL)
    send_subscribe (self);  /* same handle: an in-dialog refresh */
}

static void
stop_timeout_cb (gpointer user_data)
{
  BeaconSipSubscription *self = user_data;

  self->stop_timeout_id = 0;
  g_debug ("un-SUBSCRIBE %s (%s): done waiting", self->uri, self->event);
  finish_stop (self);
}

void
beacon_sip_subscription_stop_async (BeaconSipSubscription *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean in_dialog;

  g_return_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_subscription_stop_async);

  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The subscription is already stopping");
      return;
    }
  in_dialog = self->running && self->handle != NULL &&
              (self->state == BEACON_SIP_SUBSCRIPTION_SUBSCRIBING ||
               self->state == BEACON_SIP_SUBSCRIPTION_PENDING ||
               self->state == BEACON_SIP_SUBSCRIPTION_ACTIVE);
  self->running = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->stop_task = g_steal_pointer (&task);

  if (!in_dialog)
    {
      finish_stop (self);
      return;
    }
  g_debug ("un-SUBSCRIBE %s (%s)", self->uri, self->event);
  self->stop_timeout_id = g_timeout_add_once (STOP_TIMEOUT_MS, stop_timeout_cb, self);
  nua_unsubscribe (beacon_sip_handle_get_nh (self->handle), TAG_END ());
}

gboolean
beacon_sip_subscription_stop_finish (BeaconSipSubscription  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
beacon_sip_subscription_get_uri (BeaconSipSubscription *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self), NULL);
  return self->uri;
}

const char *
beacon_sip_subscription_get_event (BeaconSipSubscription *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self), NULL);
  return self->event;
}

BeaconSipSubscriptionState
beacon_sip_subscription_get_state (BeaconSipSubscription *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self), BEACON_SIP_SUBSCRIPTION_IDLE);
  return self->state;
}

gboolean
beacon_sip_subscription_get_eventlist (BeaconSipSubscription *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self), FALSE);
  return self->server_eventlist;
}

static void
beacon_sip_subscription_dispose (GObject *object)
{
  BeaconSipSubscription *self = (BeaconSipSubscription *) object;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_pointer (&self->handle, beacon_sip_handle_free);
  g_clear_object (&self->core);
  g_clear_object (&self->layer);

  G_OBJECT_CLASS (beacon_sip_subscription_parent_class)->dispose (object);
}

static void
beacon_sip_subscription_finalize (GObject *object)
{
  BeaconSipSubscription *self = (BeaconSipSubscription *) object;

  g_free (self->uri);
  g_free (self->target);
  g_free (self->event);
  g_free (self->accept);

  G_OBJECT_CLASS (beacon_sip_subscription_parent_class)->finalize (object);
}

static void
beacon_sip_subscription_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BeaconSipSubscription *self = BEACON_SIP_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_sip_subscription_class_init (BeaconSipSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_sip_subscription_dispose;
  object_class->finalize = beacon_sip_subscription_finalize;
  object_class->get_property = beacon_sip_subscription_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BEACON_TYPE_SIP_SUBSCRIPTION_STATE,
                       BEACON_SIP_SUBSCRIPTION_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (SIP status, eventlist): a 2xx to SUBSCRIBE; eventlist when the server
   * said Require: eventlist, i.e. a resource list server serves it. */
  signals[ACCEPTED] =
    g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
  /* (content type or NULL, body (maybe empty), Subscription-State value
   * "active"/"pending"/"terminated", reason or NULL): every NOTIFY, also the
   * last one of a stopped subscription. */
  signals[NOTIFY] =
    g_signal_new ("notify-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_BYTES, G_TYPE_STRING, G_TYPE_STRING);
  /* (reason or NULL, SIP status or 0, GError): ended for good (or, with
   * retry off, ended: see beacon_sip_subscription_get_retry_after()). */
  signals[TERMINATED] =
    g_signal_new ("terminated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_ERROR);
}

static void
beacon_sip_subscription_init (BeaconSipSubscription *self)
{
  self->retry = TRUE;
  beacon_backoff_init (&self->backoff, BEACON_BACKOFF_MIN_MS, BEACON_BACKOFF_MAX_MS);
}

BeaconSipSubscription *
beacon_sip_subscription_new_on_core (BeaconSipCore *core,
                                     const char    *uri,
                                     const char    *target,
                                     const char    *event,
                                     const char    *accept,
                                     gboolean       eventlist,
                                     guint          expires)
{
  BeaconSipSubscription *self;

  g_return_val_if_fail (BEACON_IS_SIP_CORE (core), NULL);
  g_return_val_if_fail (uri != NULL && event != NULL, NULL);

  self = g_object_new (BEACON_TYPE_SIP_SUBSCRIPTION, NULL);
  self->core = g_object_ref (core);
  self->uri = g_strdup (uri);
  self->target = g_strdup (target);
  self->event = g_strdup (event);
  self->accept = g_strdup (accept);
  self->eventlist = eventlist;
  self->expires = expires > 0 ? expires : 3600;
  return self;
}

BeaconSipSubscription *
beacon_sip_subscription_new (BeaconSipUa *ua,
                             const char  *uri,
                             const char  *event,
                             const char  *accept,
                             gboolean     eventlist,
                             guint        expires)
{
  BeaconSipSubscription *self;

  g_return_val_if_fail (BEACON_IS_SIP_UA (ua), NULL);

  self = beacon_sip_subscription_new_on_core (beacon_sip_ua_get_core (ua), uri, NULL, event,
                                              accept, eventlist, expires);
  self->layer = G_OBJECT (g_object_ref (ua));
  return self;
}

void
beacon_sip_subscription_set_retry (BeaconSipSubscription *self,
                                   gboolean               retry)
{
  g_return_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self));
  self->retry = !!retry;
}

guint
beacon_sip_subscription_get_retry_after (BeaconSipSubscription *self)
{
  g_return_val_if_fail (BEACON_IS_SIP_SUBSCRIPTION (self), 0);
  return self->retry_after;
}
