/* beacon-server-account-private.h — BeaconServerAccount's insides, for its facets
 *
 *   beacon-server-account.c  the GObject: settings, start and stop,
 *                            publication, watcher info, the buddy list
 *   beacon-server-chat.c     MESSAGE out and in
 *   beacon-server-roster.c   add, remove, authorize, unblock
 *
 * The facets call the core file and the engine's sip/ and xcap/ objects,
 * not each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-server-account.h"
#include "beacon-enums.h"
#include "sip/beacon-sip-buddy-presence.h"
#include "sip/beacon-sip-publication.h"
#include "sip/beacon-sip-watcher-info.h"

G_BEGIN_DECLS

/* How long requests wait (503) for the lists' first load after start. */
#define FRIENDS_WAIT_S 5

struct _BeaconServerAccount
{
  BeaconAccount           parent_instance;

  /* settings */
  char                   *auth_user;
  char                   *password;
  char                   *proxy;
  BeaconSipTransport      transport;
  char                   *ca_file;       /* TLS: trusted CAs, NULL: the system's */
  char                   *bind_address;
  char                   *list_uri;
  guint                   expires;
  BeaconRosterStore      *store;

  /* running */
  BeaconSipUa            *ua;
  BeaconSipPublication   *publication;
  BeaconSipBuddyPresence *presence;
  BeaconSipWatcherInfo   *winfo;
  GCancellable           *cancellable;
  gboolean                services_started;
  char                   *last_register_error;  /* last one told, see ua_state_changed() */

  guint                   friends_timeout_id;  /* the lists' first load, bounded */

  GTask                  *stop_task;
  guint                   stop_pending;
};

/* beacon-server-account.c */
/* Tells the user (as a BEACON_ACCOUNT_ERROR) what went wrong. */
void     beacon_server_account_report_error (BeaconServerAccount *self,
                                             const GError        *error);

/* beacon-server-chat.c */
/* The UA's "message-received" handler. */
void     beacon_server_chat_received        (BeaconSipUa         *ua,
                                             const char          *from,
                                             const char          *content_type,
                                             GBytes              *body,
                                             const char          *dedupe_key,
                                             BeaconServerAccount *self);
/* BeaconAccount's send_message. */
gboolean beacon_server_chat_send            (BeaconAccount       *account,
                                             const char          *uri,
                                             const char          *text,
                                             const char          *id,
                                             GError             **error);

/* beacon-server-roster.c: BeaconAccount's list vfuncs */
gboolean beacon_server_roster_add_buddy     (BeaconAccount       *account,
                                             const char          *uri,
                                             const char          *display_name,
                                             GError             **error);
gboolean beacon_server_roster_remove_buddy  (BeaconAccount       *account,
                                             const char          *uri,
                                             GError             **error);
gboolean beacon_server_roster_authorize     (BeaconAccount       *account,
                                             const char          *uri,
                                             BeaconAuthorization  answer,
                                             GError             **error);
gboolean beacon_server_roster_unblock       (BeaconAccount       *account,
                                             const char          *uri,
                                             GError             **error);

G_END_DECLS
