/* beacon-account.h — what every mode (server, LAN) offers the UI and the CLI
 *
 * A BeaconAccount owns the buddy list and the user's own status. The server
 * mode (BeaconServerAccount) and the serverless LAN mode (BeaconLanAccount)
 * are its subclasses; front ends only ever talk to this class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-buddy-list.h"
#include "beacon-chat-message.h"
#include "beacon-conversation.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-status.h"

G_BEGIN_DECLS

typedef enum {
  BEACON_CONNECTION_OFFLINE,     /* not started, or stopped */
  BEACON_CONNECTION_CONNECTING,  /* registering / discovering */
  BEACON_CONNECTION_ONLINE,      /* registered (server) or announced (LAN) */
  BEACON_CONNECTION_FAILED,      /* see BeaconAccount:last-error; retrying */
  BEACON_CONNECTION_RECONNECTING, /* was online, lost the server (see
                                   * :last-error); retrying every few
                                   * seconds, all state set up anew after */
} BeaconConnectionState;


#define BEACON_ACCOUNT_ERROR (beacon_account_error_quark ())

typedef enum {
  BEACON_ACCOUNT_ERROR_AUTH_FAILED,     /* wrong user name or password */
  BEACON_ACCOUNT_ERROR_UNREACHABLE,     /* server or peer does not answer */
  BEACON_ACCOUNT_ERROR_REJECTED,        /* the server or peer said no */
  BEACON_ACCOUNT_ERROR_INVALID_URI,     /* not a sip: address */
  BEACON_ACCOUNT_ERROR_NOT_CONNECTED,   /* start the account first */
  BEACON_ACCOUNT_ERROR_BAD_PEER_DATA,   /* a peer sent something unusable */
  BEACON_ACCOUNT_ERROR_FAILED,
  BEACON_ACCOUNT_ERROR_NOT_DELIVERED,   /* sent, refused or unanswered: kept as
                                         * failed, where Retry sends it again */
} BeaconAccountError;

GQuark beacon_account_error_quark (void);

/* What a user typed as a friend's address, as a SIP URI: `bob@example.org`
 * and ` <sip:bob@example.org> ` both give `sip:bob@example.org`. NULL and
 * BEACON_ACCOUNT_ERROR_INVALID_URI when it cannot be one. */
char  *beacon_account_normalize_uri (const char  *input,
                                     GError     **error);
/* Where the account @aor keeps its files (history, cached lists, LAN
 * friends) unless told otherwise: one folder per account under the user's
 * data dir, `~/.local/share/beacon/accounts/<escaped aor>`. The app and
 * beacon-cli both use it. */
char  *beacon_account_default_data_dir (const char *aor);

#define BEACON_TYPE_ACCOUNT (beacon_account_get_type ())
G_DECLARE_DERIVABLE_TYPE (BeaconAccount, beacon_account, BEACON, ACCOUNT, GObject)

struct _BeaconAccountClass
{
  GObjectClass parent_class;

  void      (*start)          (BeaconAccount        *self);
  void      (*stop_async)     (BeaconAccount        *self,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
  gboolean  (*stop_finish)    (BeaconAccount        *self,
                               GAsyncResult         *result,
                               GError              **error);
  /* Called after :status / :note changed: publish them. */
  void      (*publish)        (BeaconAccount        *self);
  gboolean  (*add_buddy)      (BeaconAccount        *self,
                               const char           *uri,
                               const char           *display_name,
                               GError              **error);
  gboolean  (*remove_buddy)   (BeaconAccount        *self,
                               const char           *uri,
                               GError              **error);
  gboolean  (*authorize)      (BeaconAccount        *self,
                               const char           *uri,
                               BeaconAuthorization   answer,
                               GError              **error);
  gboolean  (*unblock)        (BeaconAccount        *self,
                               const char           *uri,
                               GError              **error);
  /* Sends @text to @uri; @id (made by the base class, unique) is what the
   * "message-state" emissions for this message must name. The message is
   * already in the conversation when this is called. */
  gboolean  (*send_message)   (BeaconAccount        *self,
                               const char           *uri,
                               const char           *text,
                               const char           *id,
                               GError              **error);
  /* Gives the friend @uri the name @display_name on the friends list,
   * nothing else changed. NULL: add_buddy (which renames a friend). */
  gboolean  (*rename_buddy)   (BeaconAccount        *self,
                               const char           *uri,
                               const char           *display_name,
                               GError              **error);

  gpointer padding[7];
};

BeaconBuddyList       *beacon_account_get_buddies          (BeaconAccount        *self);
const char            *beacon_account_get_aor              (BeaconAccount        *self);
BeaconStatus           beacon_account_get_status           (BeaconAccount        *self);
const char            *beacon_account_get_note             (BeaconAccount        *self);
void                   beacon_account_set_presence         (BeaconAccount        *self,
                                                            BeaconStatus          status,
                                                            const char           *note);
BeaconConnectionState  beacon_account_get_connection_state (BeaconAccount        *self);
const GError          *beacon_account_get_last_error       (BeaconAccount        *self);
/* The conversation with @uri (made on first use, with the last page of
 * the history; kept by the account): a GListModel of BeaconChatMessage,
 * oldest first, that grows as messages are sent and received. */
BeaconConversation    *beacon_account_get_conversation     (BeaconAccount        *self,
                                                            const char           *uri);
/* Messages received from @uri (NULL: from anyone, the :unread-count
 * property) since its conversation was last read; "unread-changed"
 * (uri, count) tells when it changes, and a friend's BeaconBuddy
 * :unread-count follows. With a history, the counts survive a restart. */
guint                  beacon_account_get_unread_count     (BeaconAccount        *self,
                                                            const char           *uri);
/* The user has seen the conversation with @uri (its chat is in front). */
void                   beacon_account_mark_read            (BeaconAccount        *self,
                                                            const char           *uri);
/* The blacklist: URIs the user blocked (block or polite-block). */
GListModel            *beacon_account_get_blocked          (BeaconAccount        *self);

void                   beacon_account_start                (BeaconAccount        *self);
void                   beacon_account_stop_async           (BeaconAccount        *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean               beacon_account_stop_finish          (BeaconAccount        *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
gboolean               beacon_account_add_buddy            (BeaconAccount        *self,
                                                            const char           *uri,
                                                            const char           *display_name,
                                                            GError              **error);
gboolean               beacon_account_remove_buddy         (BeaconAccount        *self,
                                                            const char           *uri,
                                                            GError              **error);
/* The name the user gives the friend @uri, kept with the friends list
 * (server: the XCAP resource list's display-name; LAN: the friends
 * file). FALSE with BEACON_ACCOUNT_ERROR_FAILED when @uri is no friend
 * or @display_name is empty. */
gboolean               beacon_account_rename_buddy         (BeaconAccount        *self,
                                                            const char           *uri,
                                                            const char           *display_name,
                                                            GError              **error);
gboolean               beacon_account_authorize            (BeaconAccount        *self,
                                                            const char           *uri,
                                                            BeaconAuthorization   answer,
                                                            GError              **error);
gboolean               beacon_account_unblock              (BeaconAccount        *self,
                                                            const char           *uri,
                                                            GError              **error);
/* Returns the new message's id ("message-state" names it), or NULL with
 * @error set when it could not even be sent (then it is not kept). */
char                  *beacon_account_send_message         (BeaconAccount        *self,
                                                            const char           *uri,
                                                            const char           *text,
                                                            GError              **error);
/* Sends a message that failed (see "message-state") again, under the
 * same id: a peer that did get the first copy drops the second. FALSE
 * with BEACON_ACCOUNT_ERROR_FAILED when @id is not a failed message of
 * the conversation with @uri. */
gboolean               beacon_account_retry_message        (BeaconAccount        *self,
                                                            const char           *uri,
                                                            const char           *id,
                                                            GError              **error);

/* Unread messages of people not in the list (strangers), and who they
 * are (sorted; free with g_strfreev). The UI folds them into one entry. */
guint    beacon_account_get_stranger_unread  (BeaconAccount *self);
GStrv    beacon_account_dup_unread_strangers (BeaconAccount *self);

/* Bounds on what strangers can make an account hold (issue #17). */
#define BEACON_ACCOUNT_STRANGER_UNREAD_MAX 200
#define BEACON_ACCOUNT_PENDING_MAX         100

/* For subclasses: report what happened. Each emits the matching signal
 * (and updates the property where there is one). */
void beacon_account_set_connection_state (BeaconAccount         *self,
                                          BeaconConnectionState  state,
                                          const GError          *error);
/* A message from @from arrived; with the sender's Call-ID and CSeq as
 * @dedupe_key (NULL: none) a retransmission of a message already received
 * is dropped. FALSE when the history could not store it (it is shown all
 * the same, and an "error" emitted): the mode should refuse it, so that it
 * comes again. */
gboolean beacon_account_receive_message  (BeaconAccount         *self,
                                          const char            *from,
                                          const char            *text,
                                          const char            *dedupe_key);
void beacon_account_emit_message_state   (BeaconAccount         *self,
                                          const char            *to,
                                          const char            *id,
                                          BeaconMessageState     state,
                                          guint                  code);
/* A watcher's status; "pending" ones (authorisation requests) are shown
 * for at most BEACON_ACCOUNT_PENDING_MAX watchers at a time. */
void beacon_account_emit_watcher         (BeaconAccount         *self,
                                          const char            *uri,
                                          const char            *status);
/* FALSE while the mode has not yet learnt who the friends are (a server
 * account between its start and its lists' first load): then nobody can
 * be told apart from a stranger, and the mode answers requests 503 with a
 * short Retry-After instead of limiting them as a stranger's (msilo, which
 * hands over stored messages right at REGISTER, tries again a second
 * later). TRUE by default. */
void     beacon_account_set_friends_known (BeaconAccount        *self,
                                           gboolean              known);
gboolean beacon_account_get_friends_known (BeaconAccount        *self);
/* Whether to take a request (a MESSAGE, a SUBSCRIBE) from @from, seen at
 * network @address (either may be NULL). Friends always; strangers within
 * rate limits (beacon-flood-guard.h) and while fewer than
 * BEACON_ACCOUNT_STRANGER_UNREAD_MAX of their messages are unread. FALSE:
 * answer 429 with *@retry_after_s. */
gboolean beacon_account_admit_request    (BeaconAccount         *self,
                                          const char            *from,
                                          const char            *address,
                                          guint                 *retry_after_s);
void beacon_account_emit_error           (BeaconAccount         *self,
                                          const GError          *error);
void beacon_account_set_blocked          (BeaconAccount         *self,
                                          const char *const     *uris);
/* TRUE when @uri is on the blacklist (messages from it are dropped). */
gboolean beacon_account_is_blocked       (BeaconAccount         *self,
                                          const char            *uri);

G_END_DECLS
