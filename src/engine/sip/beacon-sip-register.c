/* beacon-sip-register.c — BeaconSipUa's REGISTER: refreshes, retries, keep-alives
 *
 * A facet of BeaconSipUa: it calls the UA's core and beacon_sip_ua_set_state()
 * only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-ua-private.h"

#include "beacon-sip-error.h"
#include "beacon-sip-tls.h"

/* How long shutdown waits for the un-REGISTER. */
#define UNREGISTER_TIMEOUT_MS 4000
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

static void send_register (BeaconSipUa *self);

static gboolean
retry_register_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->retry_id = 0;
  send_register (self);
  return G_SOURCE_REMOVE;
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
  beacon_backoff_reset (&self->reconnect_backoff);
  beacon_sip_ua_set_state (self, BEACON_SIP_UA_RECONNECTING, error);
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
  self->probe = beacon_sip_core_handle_new (self->core, self->probe_uri, NULL, NULL, probe_event,
                                            probe_detached, self, NULL);
  if (self->probe == NULL)
    return G_SOURCE_CONTINUE;
  self->probe_timeout_id = g_timeout_add_once (PROBE_TIMEOUT_MS, probe_timeout_cb, self);
  nua_options (beacon_sip_handle_get_nh (self->probe), TAG_END ());
  return G_SOURCE_CONTINUE;
}

static void
start_keepalive (BeaconSipUa *self)
{
  if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add (KEEPALIVE_MS, keepalive_cb, self);
}

/* ---- REGISTER ----------------------------------------------------------- */

static void
unregister_done (BeaconSipUa *self)
{
  g_clear_handle_id (&self->unregister_timeout_id, g_source_remove);
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  beacon_sip_ua_unregistered (self);
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
      unregister_done (self);
      return;
    }
  if (event != nua_r_register || self->shutdown_task != NULL)
    return;

  was_checking = self->checking;
  self->checking = FALSE;
  if (status < 300)
    {
      beacon_backoff_reset (&self->backoff);
      beacon_backoff_reset (&self->reconnect_backoff);
      beacon_sip_ua_set_state (self, BEACON_SIP_UA_REGISTERED, NULL);
      start_keepalive (self);
      return;
    }

  error = beacon_sip_error_new_for_status (status, phrase, "REGISTER");
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  if (error->code == BEACON_SIP_ERROR_AUTH_FAILED || error->code == BEACON_SIP_ERROR_FORBIDDEN)
    {
      /* Retrying cannot fix a wrong password. */
      g_debug ("REGISTER refused for good: %s", error->message);
      beacon_sip_ua_set_state (self, BEACON_SIP_UA_FAILED, error);
      return;
    }
  if (self->state == BEACON_SIP_UA_REGISTERED || self->state == BEACON_SIP_UA_RECONNECTING ||
      was_checking)
    {
      /* A refresh failed, the check after a failed request did, or the
       * server is still away: it may have lost everything of ours, and
       * must see us soon after it is back. */
      stop_keepalive (self);
      delay = beacon_backoff_next (&self->reconnect_backoff);
      g_debug ("REGISTER failed (%s); reconnecting in %u ms", error->message, delay);
      beacon_sip_ua_set_state (self, BEACON_SIP_UA_RECONNECTING, error);
      self->retry_id = g_timeout_add (delay, retry_register_cb, self);
      return;
    }
  delay = beacon_backoff_next_with_hint (&self->backoff,
                                             sip && sip->sip_retry_after
                                               ? (guint) sip->sip_retry_after->af_delta : 0);
  g_debug ("REGISTER failed (%s); retrying in %u ms", error->message, delay);
  beacon_sip_ua_set_state (self, BEACON_SIP_UA_RETRYING, error);
  self->retry_id = g_timeout_add (delay, retry_register_cb, self);
}

static void
register_detached (gpointer owner)
{
  BeaconSipUa *self = owner;

  g_clear_pointer (&self->reg, beacon_sip_handle_free);
}

/* A request timed out or could not be sent while we think we are
 * registered: over UDP nothing else tells us the server went away (or lost
 * our binding when it restarted). REGISTER again now; if that fails too,
 * the usual backoff takes over and the user is told. (The core's response
 * function: it sees every final answer of the account.) */
static void
any_response (gpointer     owner,
              nua_event_t  event,
              int          status,
              const char  *phrase)
{
  BeaconSipUa *self = owner;

  if (event != nua_r_register && event != nua_r_unregister &&
      (status == 408 || status == 503) && self->state == BEACON_SIP_UA_REGISTERED &&
      self->retry_id == 0 && self->shutdown_task == NULL)
    {
      g_debug ("%d %s on a request: checking the registration", status, phrase);
      self->checking = TRUE;
      self->retry_id = g_idle_add (retry_register_cb, self);
    }
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
  if (!beacon_sip_core_is_running (self->core) || self->shutdown_task != NULL ||
      self->state == BEACON_SIP_UA_REGISTERED)
    return;
  /* The REGISTER can only time out: stop it, and no retry can help. */
  g_debug ("%s", error->message);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
  beacon_sip_ua_set_state (self, BEACON_SIP_UA_FAILED, g_steal_pointer (&error));
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
  self->reg = beacon_sip_core_handle_new (self->core, self->aor, NULL, NULL, register_event,
                                          register_detached, self, &error);
  if (self->reg == NULL)
    {
      beacon_sip_ua_set_state (self, BEACON_SIP_UA_FAILED, g_steal_pointer (&error));
      return;
    }
  if (self->state != BEACON_SIP_UA_RETRYING && self->state != BEACON_SIP_UA_RECONNECTING)
    beacon_sip_ua_set_state (self, BEACON_SIP_UA_REGISTERING, NULL);
  nua_register (beacon_sip_handle_get_nh (self->reg),
                NUTAG_M_USERNAME (self->user),
                SIPTAG_EXPIRES_STR (expires),
                TAG_END ());
}

/* ---- the facet's entry points ------------------------------------------- */

void
beacon_sip_register_init (BeaconSipUa *self)
{
  beacon_backoff_init (&self->backoff, BEACON_BACKOFF_MIN_MS, BEACON_BACKOFF_MAX_MS);
  beacon_backoff_init (&self->reconnect_backoff, RECONNECT_MIN_MS, RECONNECT_MAX_MS);
}

void
beacon_sip_register_start (BeaconSipUa *self)
{
  beacon_sip_core_set_response_func (self->core, any_response, self);
  beacon_backoff_reset (&self->backoff);
  send_register (self);
}

static void
unregister_timeout_cb (gpointer user_data)
{
  BeaconSipUa *self = user_data;

  self->unregister_timeout_id = 0;
  g_debug ("no answer to the un-REGISTER in time");
  unregister_done (self);
}

void
beacon_sip_register_stop (BeaconSipUa *self)
{
  gboolean registered = self->reg != NULL && self->state == BEACON_SIP_UA_REGISTERED;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  stop_keepalive (self);
  beacon_sip_ua_set_state (self, BEACON_SIP_UA_STOPPING, NULL);
  if (!registered)
    {
      unregister_done (self);
      return;
    }
  g_debug ("un-REGISTER");
  self->unregister_timeout_id =
    g_timeout_add_once (UNREGISTER_TIMEOUT_MS, unregister_timeout_cb, self);
  nua_unregister (beacon_sip_handle_get_nh (self->reg), TAG_END ());
}

void
beacon_sip_register_clear (BeaconSipUa *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->unregister_timeout_id, g_source_remove);
  stop_keepalive (self);
  /* Its callback must not see us any more. */
  if (self->tls_probe != NULL)
    g_cancellable_cancel (self->tls_probe);
  g_clear_object (&self->tls_probe);
  g_clear_pointer (&self->reg, beacon_sip_handle_free);
}
