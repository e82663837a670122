/* test-lan-notifier.c — the LAN account's presence agent, seen on the wire
 *
 * A raw UDP socket plays a SIP peer: it SUBSCRIBEs, answers NOTIFYs and
 * reads what the account puts in them (status codes, Subscription-State,
 * PIDF), including the end of a subscription that is never refreshed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-test-util.h"

#include <string.h>

typedef struct {
  GSocket  *socket;
  guint     local_port;
  guint     port;        /* the account's */
  guint     last_status; /* of the last response */
  GPtrArray *states;     /* Subscription-State of each NOTIFY */
  GPtrArray *bodies;     /* body of each NOTIFY */
} RawPeer;

static RawPeer *
raw_peer_new (guint port)
{
  RawPeer *raw = g_new0 (RawPeer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  raw->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                              G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (raw->socket, any, FALSE, &error));
  g_socket_set_blocking (raw->socket, FALSE);
  local = g_socket_get_local_address (raw->socket, &error);
  raw->local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  raw->port = port;
  raw->states = g_ptr_array_new_with_free_func (g_free);
  raw->bodies = g_ptr_array_new_with_free_func (g_free);
  return raw;
}

static void
raw_peer_free (RawPeer *raw)
{
  g_object_unref (raw->socket);
  g_ptr_array_unref (raw->states);
  g_ptr_array_unref (raw->bodies);
  g_free (raw);
}

static void
raw_send (RawPeer    *raw,
          const char *text)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, raw->port);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send_to (raw->socket, to, text, strlen (text), NULL, &error), ==,
                   strlen (text));
  g_assert_no_error (error);
}

static void
raw_subscribe (RawPeer    *raw,
               const char *from_user,
               const char *to_user,
               const char *event,
               guint       expires,
               const char *call_id)
{
  g_autofree char *request = g_strdup_printf (
    "SUBSCRIBE sip:%s@127.0.0.1:%u SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:%s@test.lan>;tag=raw1\r\n"
    "To: <sip:%s@test.lan>\r\n"
    "Call-ID: %s\r\n"
    "CSeq: 1 SUBSCRIBE\r\n"
    "Contact: <sip:%s@127.0.0.1:%u>\r\n"
    "Event: %s\r\n"
    "Accept: application/pidf+xml\r\n"
    "Expires: %u\r\n"
    "Content-Length: 0\r\n\r\n",
    to_user, raw->port, raw->local_port, call_id, from_user, to_user, call_id, from_user,
    raw->local_port, event, expires);

  raw_send (raw, request);
}

/* The value of header @name (or its compact form) in @message. */
static char *
header (const char *message,
        const char *name,
        const char *compact)
{
  g_auto(GStrv) lines = g_strsplit (message, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *key = colon ? g_strstrip (g_strndup (lines[i], colon - lines[i])) : NULL;

      if (key != NULL && (g_ascii_strcasecmp (key, name) == 0 ||
                          (compact != NULL && g_ascii_strcasecmp (key, compact) == 0)))
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

/* Reads what came: responses are noted, NOTIFYs answered 200. */
static void
raw_pump (RawPeer *raw)
{
  char buffer[8192];
  gssize n;

  while ((n = g_socket_receive (raw->socket, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
    {
      buffer[n] = '\0';
      if (g_str_has_prefix (buffer, "SIP/2.0 "))
        raw->last_status = (guint) g_ascii_strtoull (buffer + 8, NULL, 10);
      else if (g_str_has_prefix (buffer, "NOTIFY "))
        {
          g_autofree char *via = header (buffer, "Via", "v");
          g_autofree char *from = header (buffer, "From", "f");
          g_autofree char *to = header (buffer, "To", "t");
          g_autofree char *call_id = header (buffer, "Call-ID", "i");
          g_autofree char *cseq = header (buffer, "CSeq", NULL);
          g_autofree char *answer = NULL;
          const char *body = strstr (buffer, "\r\n\r\n");

          g_ptr_array_add (raw->states, header (buffer, "Subscription-State", NULL));
          g_ptr_array_add (raw->bodies, g_strdup (body ? body + 4 : ""));
          answer = g_strdup_printf ("SIP/2.0 200 OK\r\nVia: %s\r\nFrom: %s\r\nTo: %s\r\n"
                                    "Call-ID: %s\r\nCSeq: %s\r\nContent-Length: 0\r\n\r\n",
                                    via, from, to, call_id, cseq);
          raw_send (raw, answer);
        }
    }
}

static gboolean
raw_has_state (RawPeer    *raw,
               const char *prefix)
{
  raw_pump (raw);
  for (guint i = 0; i < raw->states->len; i++)
    if (raw->states->pdata[i] != NULL && g_str_has_prefix (raw->states->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

static gboolean
raw_got_status (RawPeer *raw,
                guint    status)
{
  raw_pump (raw);
  return raw->last_status == status;
}

/* A stranger's subscription waits; never refreshed, it ends by itself. */
static void
test_pending_then_expiry (void)
{
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  RawPeer *raw = raw_peer_new (beacon_lan_account_get_port (bob->account));

  raw_subscribe (raw, "dave", "bob", "presence", 2, "exp-1");
  LAN_WAIT_FOR (raw_got_status (raw, 202));
  LAN_WAIT_FOR (raw_has_state (raw, "pending"));
  g_assert_true (lan_peer_has_line (bob->watchers, "sip:dave@test.lan pending"));
  /* A second subscription of his (another device) asks no second time. */
  raw->last_status = 0;
  raw_subscribe (raw, "dave", "bob", "presence", 2, "exp-2");
  LAN_WAIT_FOR (raw_got_status (raw, 202));
  LAN_WAIT_FOR ((raw_pump (raw), raw->states->len >= 2));
  g_assert_cmpuint (bob->watchers->len, ==, 1);
  /* Two seconds asked, a grace of five: gone well within the wait. */
  LAN_WAIT_FOR (raw_has_state (raw, "terminated"));
  LAN_WAIT_FOR (lan_peer_has_line (bob->watchers, "sip:dave@test.lan terminated"));

  raw_peer_free (raw);
  lan_peer_free (bob);
}

static void
test_refusals (void)
{
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  RawPeer *raw = raw_peer_new (beacon_lan_account_get_port (bob->account));
  g_autoptr(GError) error = NULL;

  raw_subscribe (raw, "dave", "bob", "dialog", 60, "ref-1");
  LAN_WAIT_FOR (raw_got_status (raw, 489));
  raw_subscribe (raw, "dave", "someone-else", "presence", 60, "ref-2");
  LAN_WAIT_FOR (raw_got_status (raw, 404));
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), "sip:dave@test.lan",
                                           BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_no_error (error);
  raw_subscribe (raw, "dave", "bob", "presence", 60, "ref-3");
  LAN_WAIT_FOR (raw_got_status (raw, 403));
  g_assert_cmpuint (raw->states->len, ==, 0);
  g_assert_cmpuint (bob->watchers->len, ==, 0);

  raw_peer_free (raw);
  lan_peer_free (bob);
}

/* What a politely blocked watcher gets is a closed PIDF, like "offline". */
static void
test_polite_block_on_the_wire (void)
{
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  RawPeer *raw = raw_peer_new (beacon_lan_account_get_port (bob->account));
  g_autoptr(GError) error = NULL;
  const char *body;

  g_assert_true (beacon_account_authorize (lan_peer_account (bob), "sip:dave@test.lan",
                                           BEACON_AUTHORIZE_POLITE_BLOCK, &error));
  beacon_account_set_presence (lan_peer_account (bob), BEACON_STATUS_BUSY, "private note");
  raw_subscribe (raw, "dave", "bob", "presence", 60, "pol-1");
  LAN_WAIT_FOR (raw_got_status (raw, 200));
  LAN_WAIT_FOR (raw_has_state (raw, "active"));
  body = raw->bodies->pdata[0];
  g_assert_nonnull (strstr (body, "closed"));
  g_assert_null (strstr (body, "busy"));
  g_assert_null (strstr (body, "private note"));

  /* Allowed: the next NOTIFY tells the truth. */
  g_assert_true (beacon_account_authorize (lan_peer_account (bob), "sip:dave@test.lan",
                                           BEACON_AUTHORIZE_ALLOW, &error));
  LAN_WAIT_FOR ((raw_pump (raw), raw->bodies->len >= 2));
  body = raw->bodies->pdata[raw->bodies->len - 1];
  g_assert_nonnull (strstr (body, "private note"));
  g_assert_nonnull (strstr (body, "open"));

  /* Stopping ends the subscription with a final NOTIFY. */
  lan_peer_free (bob);
  g_assert_true (raw_has_state (raw, "terminated"));
  raw_peer_free (raw);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lan/notifier/pending-expiry", test_pending_then_expiry);
  g_test_add_func ("/lan/notifier/refusals", test_refusals);
  g_test_add_func ("/lan/notifier/polite-block", test_polite_block_on_the_wire);
  return g_test_run ();
}
