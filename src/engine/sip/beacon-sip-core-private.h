/* beacon-sip-core-private.h — BeaconSipCore's insides, for its facet files
 *
 *   beacon-sip-core.c          root, nua, handles, authentication, shutdown
 *   beacon-sip-core-message.c  MESSAGE out and in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-sip-core.h"

G_BEGIN_DECLS

/* How long dispose steps the root for nua_shutdown at most. */
#define BEACON_SIP_CORE_DISPOSE_TIMEOUT_MS 5000

struct _BeaconSipCore
{
  GObject                parent_instance;

  char                  *from;
  BeaconSipFromFunc      from_of;
  char                  *auth_user;
  char                  *password;
  BeaconSipRequestFunc   request_func;
  gpointer               request_owner;
  BeaconSipResponseFunc  response_func;
  gpointer               response_owner;

  su_root_t             *root;
  GSource               *root_source;    /* owned by @root; attached */
  nua_t                 *nua;
  GHashTable            *handles;        /* BeaconSipHandle set */

  GTask                 *shutdown_task;
  guint                  shutdown_timeout_id;
  gboolean               nua_shut_down;
  gboolean               destroying;     /* nua_destroy is on its way */
  gboolean               disposing;

  guint                  incoming_status; /* the answer to the MESSAGE being handled */
  guint                  incoming_retry_after;
};

/* beacon-sip-core.c */
void beacon_sip_core_emit_message_received (BeaconSipCore *self,
                                            const char    *from,
                                            const char    *content_type,
                                            GBytes        *body,
                                            const char    *dedupe_key);

/* beacon-sip-core-message.c: an incoming MESSAGE (the caller destroys @nh). */
void beacon_sip_core_message_incoming      (BeaconSipCore *self,
                                            nua_handle_t  *nh,
                                            const sip_t   *sip);

G_END_DECLS
