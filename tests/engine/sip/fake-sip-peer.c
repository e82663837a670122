/* fake-sip-peer.c — a scriptable SIP peer for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fake-sip-peer.h"

#include <gio/gio.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/url.h>

struct _FakeSipPeer
{
  su_root_t            *root;
  nua_t                *nua;
  GPtrArray            *handles;  /* nua_handle_t we own */
  char                 *address;
  char                 *contact;
  int                   last_status;
  int                   message_status;    /* answer to MESSAGE, default 200 */
  guint                 messages_in;       /* MESSAGEs received */
  char                 *last_in_call_id;
  char                 *last_in_message_id;
  gboolean              shut_down;
  FakeSipSubscribeFunc  on_subscribe;
  gpointer              user_data;
};

static void
peer_callback (nua_event_t   event,
               int           status,
               char const   *phrase,
               nua_t        *nua,
               nua_magic_t  *magic,
               nua_handle_t *nh,
               nua_hmagic_t *hmagic,
               sip_t const  *sip,
               tagi_t        tags[])
{
  FakeSipPeer *peer = magic;

  if (event == nua_r_shutdown)
    {
      if (status >= 200)
        peer->shut_down = TRUE;
      return;
    }
  if (nh != NULL && hmagic == NULL && event >= nua_i_error && event < nua_r_set_params)
    {
      /* A handle the stack made for a new request: ours to destroy. */
      nua_handle_bind (nh, peer);
      g_ptr_array_add (peer->handles, nh);
    }

  switch ((int) event)  /* sofia-sip's ~60 events: only these concern us */
    {
    case nua_i_register:
      if (sip->sip_contact != NULL)
        {
          su_home_t home[1] = { SU_HOME_INIT (home) };

          g_free (peer->contact);
          peer->contact = g_strdup (url_as_string (home, sip->sip_contact->m_url));
          su_home_deinit (home);
        }
      nua_respond (nh, SIP_200_OK, NUTAG_WITH_THIS (nua),
                   SIPTAG_CONTACT (sip->sip_contact), SIPTAG_EXPIRES_STR ("600"), TAG_END ());
      break;
    case nua_i_subscribe:
      if (peer->on_subscribe != NULL)
        peer->on_subscribe (peer, nua, nh, sip, peer->user_data);
      else
        nua_respond (nh, SIP_489_BAD_EVENT, NUTAG_WITH_THIS (nua), TAG_END ());
      break;
    case nua_i_publish:
      nua_respond (nh, SIP_501_NOT_IMPLEMENTED, NUTAG_WITH_THIS (nua), TAG_END ());
      break;
    case nua_r_message:
      if (status >= 200)
        peer->last_status = status;
      break;
    case nua_i_message:
      peer->messages_in++;
      g_free (peer->last_in_call_id);
      peer->last_in_call_id = g_strdup (sip->sip_call_id ? sip->sip_call_id->i_id : NULL);
      g_clear_pointer (&peer->last_in_message_id, g_free);
      for (const msg_unknown_t *u = sip->sip_unknown; u != NULL; u = u->un_next)
        if (g_ascii_strcasecmp (u->un_name, "Beacon-Message-ID") == 0)
          peer->last_in_message_id = g_strdup (u->un_value);
      if (peer->message_status > 0)
        nua_respond (nh, peer->message_status, "Test answer", NUTAG_WITH_THIS (nua), TAG_END ());
      break;
    default:
      break;
    }
}

static guint
free_udp_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

FakeSipPeer *
fake_sip_peer_new (FakeSipSubscribeFunc on_subscribe,
                   gpointer             user_data)
{
  FakeSipPeer *peer = g_new0 (FakeSipPeer, 1);
  guint port = free_udp_port ();
  g_autofree char *bind = g_strdup_printf ("sip:127.0.0.1:%u;transport=udp", port);

  peer->on_subscribe = on_subscribe;
  peer->message_status = 200;
  peer->user_data = user_data;
  peer->handles = g_ptr_array_new ();
  peer->address = g_strdup_printf ("127.0.0.1:%u", port);
  su_init ();
  peer->root = su_glib_root_create (peer);
  g_source_attach (su_glib_root_gsource (peer->root), NULL);
  peer->nua = nua_create (peer->root, peer_callback, peer,
                          NUTAG_URL (bind),
                          NUTAG_APPL_METHOD ("SUBSCRIBE, REGISTER, PUBLISH, MESSAGE"),
                          NUTAG_ALLOW ("SUBSCRIBE, NOTIFY, REGISTER, MESSAGE, PUBLISH"),
                          NUTAG_ALLOW_EVENTS ("presence"),
                          TAG_END ());
  g_assert_nonnull (peer->nua);
  return peer;
}

const char *
fake_sip_peer_get_address (FakeSipPeer *peer)
{
  return peer->address;
}

const char *
fake_sip_peer_get_contact (FakeSipPeer *peer)
{
  return peer->contact;
}

int
fake_sip_peer_get_last_status (FakeSipPeer *peer)
{
  return peer->last_status;
}

void
fake_sip_peer_send_message (FakeSipPeer *peer,
                            const char  *from,
                            const char  *to,
                            const char  *content_type,
                            const char  *body)
{
  fake_sip_peer_send_message_with (peer, from, to, content_type, body, NULL, NULL);
}

void
fake_sip_peer_send_message_with (FakeSipPeer *peer,
                                 const char  *from,
                                 const char  *to,
                                 const char  *content_type,
                                 const char  *body,
                                 const char  *call_id,
                                 const char  *header)
{
  nua_handle_t *nh;

  g_assert_nonnull (peer->contact);
  peer->last_status = 0;
  nh = nua_handle (peer->nua, peer, NUTAG_URL (peer->contact), SIPTAG_TO_STR (to),
                   SIPTAG_FROM_STR (from), TAG_END ());
  g_ptr_array_add (peer->handles, nh);
  /* Like a proxy (msilo hands over again by itself): no automatic resend
   * after a 503's Retry-After, the answer is what the test sees. */
  nua_message (nh,
               NUTAG_RETRY_COUNT (0),
               TAG_IF (call_id != NULL, SIPTAG_CALL_ID_STR (call_id)),
               TAG_IF (header != NULL, SIPTAG_HEADER_STR (header)),
               SIPTAG_CONTENT_TYPE_STR (content_type), SIPTAG_PAYLOAD_STR (body), TAG_END ());
}

void
fake_sip_peer_set_message_status (FakeSipPeer *peer,
                                  int          status)
{
  peer->message_status = status;
}

guint
fake_sip_peer_get_messages_in (FakeSipPeer *peer)
{
  return peer->messages_in;
}

const char *
fake_sip_peer_get_last_in_call_id (FakeSipPeer *peer)
{
  return peer->last_in_call_id;
}

const char *
fake_sip_peer_get_last_in_message_id (FakeSipPeer *peer)
{
  return peer->last_in_message_id;
}

gboolean
fake_sip_spin_until (gboolean (*done) (gpointer data),
                     gpointer   data,
                     guint      ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return done (data);
}

static gboolean
peer_shut_down (gpointer data)
{
  return ((FakeSipPeer *) data)->shut_down;
}

void
fake_sip_peer_free (FakeSipPeer *peer)
{
  if (peer == NULL)
    return;
  for (guint i = 0; i < peer->handles->len; i++)
    nua_handle_destroy (g_ptr_array_index (peer->handles, i));
  g_ptr_array_unref (peer->handles);
  nua_shutdown (peer->nua);
  fake_sip_spin_until (peer_shut_down, peer, 10000);
  nua_destroy (peer->nua);
  g_source_destroy (su_glib_root_gsource (peer->root));
  su_root_destroy (peer->root);
  g_free (peer->address);
  g_free (peer->contact);
  g_free (peer->last_in_call_id);
  g_free (peer->last_in_message_id);
  g_free (peer);
}
