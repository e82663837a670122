/* beacon-sip-ua-private.h — BeaconSipUa's insides, for its facet and this folder
 *
 *   beacon-sip-ua.c        the GObject: the core it runs on, start and
 *                          shutdown, MESSAGE through the core
 *   beacon-sip-register.c  REGISTER, its retries and the keep-alives that
 *                          notice a lost or restarted server
 *
 * The publications and subscriptions of this folder make their handles on
 * the UA's core (beacon_sip_ua_get_core()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-backoff.h"
#include "beacon-sip-core.h"
#include "beacon-sip-ua.h"

G_BEGIN_DECLS

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
  guint                register_expires;
  BeaconSipCore       *core;
  BeaconSipUaState     state;
  GError              *last_error;
  GTask               *shutdown_task;

  /* beacon-sip-register.c */
  BeaconSipHandle     *reg;
  GCancellable        *tls_probe;    /* TLS: the certificate check running */
  BeaconBackoff     backoff;
  BeaconBackoff     reconnect_backoff;
  guint                retry_id;
  char                *probe_uri;     /* sip:DOMAIN, what keep-alives ask */
  BeaconSipHandle     *probe;         /* the keep-alive OPTIONS in flight */
  guint                keepalive_id;
  guint                probe_timeout_id;
  guint                unregister_timeout_id;
  char                *server_boot;   /* the server's Beacon-Server-Boot */
  gboolean             checking;      /* a REGISTER sent because a request failed */
};

/* The stack every request of the account goes through. */
BeaconSipCore  *beacon_sip_ua_get_core        (BeaconSipUa       *self);

/* beacon-sip-ua.c, for the facet */
void            beacon_sip_ua_set_state       (BeaconSipUa       *self,
                                               BeaconSipUaState   state,
                                               GError            *error);
/* The un-REGISTER was answered, timed out or could not be sent: the
 * shutdown goes on with the core. */
void            beacon_sip_ua_unregistered    (BeaconSipUa       *self);

/* beacon-sip-register.c */
void            beacon_sip_register_init      (BeaconSipUa       *self);
void            beacon_sip_register_start     (BeaconSipUa       *self);
/* Retries and keep-alives stop; then the un-REGISTER when registered
 * (bounded), beacon_sip_ua_unregistered() either way. */
void            beacon_sip_register_stop      (BeaconSipUa       *self);
/* From dispose: every timer and handle of the facet goes. */
void            beacon_sip_register_clear     (BeaconSipUa       *self);

G_END_DECLS
