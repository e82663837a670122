/* xcap-fake-server.h — a small XCAP server on 127.0.0.1 for the unit tests
 *
 * Behaves like Kamailio's xcap_server where the roster depends on it
 * (200 to PUT, strong ETags, If-Match, element PUT appends or replaces
 * the <entry> selected by uri, element DELETE of a missing element and
 * malformed XML give 500) but honours If-None-Match: * as RFC 4825 says.
 * Every request is recorded; failures can be injected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char  *method;
  char  *path;           /* as sent, %-encoded */
  char  *doc;            /* "auid/users/xui/document", decoded */
  char  *selector;       /* decoded, NULL for a whole document */
  char  *if_match;
  char  *if_none_match;
  char  *content_type;
  char  *authorization;
  char  *body;
  guint  status;         /* what the fake answered */
} FakeRequest;

typedef struct _FakeXcap FakeXcap;

/* @digest_users: NULL for no authentication, else "user:password" pairs
 * checked with HTTP digest (realm beacon.test). @tls: a certificate for
 * https, or NULL. */
FakeXcap    *fake_xcap_new          (const char *const *digest_users,
                                     GTlsCertificate   *tls);
void         fake_xcap_free         (FakeXcap          *fake);
/* Listens on 127.0.0.1:@port (0: any); returns the port. */
guint        fake_xcap_listen       (FakeXcap          *fake,
                                     guint              port);
/* "http(s)://127.0.0.1:PORT/xcap-root" */
const char  *fake_xcap_root         (FakeXcap          *fake);

/* Documents are keyed "auid/users/xui/document", e.g.
 * "resource-lists/users/sip:alice@beacon.test/index". Setting one (NULL
 * removes it) gives it a new ETag, as a change by another client would. */
void         fake_xcap_set_doc      (FakeXcap          *fake,
                                     const char        *key,
                                     const char        *body);
const char  *fake_xcap_get_doc      (FakeXcap          *fake,
                                     const char        *key);
const char  *fake_xcap_get_etag     (FakeXcap          *fake,
                                     const char        *key);

/* The next @count requests with @method (NULL: any) get @status. */
void         fake_xcap_fail_next    (FakeXcap          *fake,
                                     const char        *method,
                                     guint              status,
                                     guint              count);
/* Answers every request with a redirect to @location (NULL: stop). */
void         fake_xcap_redirect_to  (FakeXcap          *fake,
                                     const char        *location);

/* The requests answered with anything but 401, oldest first. */
GPtrArray   *fake_xcap_requests     (FakeXcap          *fake);  /* FakeRequest */
/* How many requests were answered 401 (digest challenges). */
guint        fake_xcap_challenged   (FakeXcap          *fake);
void         fake_xcap_clear_requests (FakeXcap        *fake);
/* How many recorded requests have @method (NULL: any). */
guint        fake_xcap_count        (FakeXcap          *fake,
                                     const char        *method);

/* Runs the default main context until *@flag is TRUE; fails the test
 * after @seconds. */
void         run_until              (const gboolean    *flag,
                                     guint              seconds);

/* What an async call under test gave back. */
typedef struct {
  gboolean  done;
  gboolean  ok;
  GBytes   *bytes;
  GError   *error;
} XcapResult;

void         xcap_result_reset      (XcapResult        *r);
/* GAsyncReadyCallbacks for BeaconRoster's sync and edits; @user_data is
 * an XcapResult. */
void         xcap_result_on_sync    (GObject           *source,
                                     GAsyncResult      *result,
                                     gpointer           user_data);
void         xcap_result_on_edit    (GObject           *source,
                                     GAsyncResult      *result,
                                     gpointer           user_data);

/* A 127.0.0.1 port with nothing listening (bound, then closed). */
guint        closed_port            (void);

G_END_DECLS
