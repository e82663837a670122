/* beacon-sip-tls.c — what SIP over TLS needs around sofia-sip's tport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-tls.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/conf.h>
#include <openssl/ssl.h>
#include <sofia-sip/url.h>

#include "beacon-sip-error.h"
#include "beacon-sip-ua.h"

/* sofia-sip 1.12.11 predates TLS 1.3: its reads fail on the messages a
 * TLS 1.3 server sends after the handshake (session tickets), and the
 * connection is dropped after the first request. So TLS 1.2, the newest it
 * speaks, for every SSL_CTX of the process (sofia-sip makes its own; GIO
 * and libsoup use GnuTLS). Debian's system default (security level 2) is
 * kept. */
static const char openssl_config[] =
  "openssl_conf = beacon_conf\n"
  "[beacon_conf]\n"
  "ssl_conf = beacon_ssl\n"
  "[beacon_ssl]\n"
  "system_default = beacon_tls\n"
  "[beacon_tls]\n"
  "MinProtocol = TLSv1.2\n"
  "MaxProtocol = TLSv1.2\n"
  "CipherString = DEFAULT:@SECLEVEL=2\n";

void
beacon_sip_tls_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      CONF *conf;
      BIO *bio;
      long line = 0;

      /* The system configuration first, so ours replaces its defaults. */
      OPENSSL_init_ssl (OPENSSL_INIT_LOAD_CONFIG, NULL);
      conf = NCONF_new (NULL);
      bio = BIO_new_mem_buf (openssl_config, -1);
      if (conf == NULL || bio == NULL || NCONF_load_bio (conf, bio, &line) <= 0 ||
          CONF_modules_load (conf, NULL, 0) <= 0)
        g_warning ("Could not limit OpenSSL to TLS 1.2 (line %ld): SIP over TLS may fail", line);
      BIO_free (bio);
      NCONF_free (conf);
      g_once_init_leave (&done, 1);
    }
}

gboolean
beacon_sip_tls_check_proxy (char       **proxy,
                            const char  *domain,
                            GError     **error)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  char transport[16] = "";
  url_t *url;
  gboolean ok;

  g_return_val_if_fail (proxy != NULL, FALSE);

  /* Without a proxy sofia-sip would look the domain up and could pick UDP. */
  if (*proxy == NULL)
    {
      *proxy = g_strdup_printf ("sip:%s;transport=tls", domain);
      return TRUE;
    }
  url = url_make (home, *proxy);
  if (url != NULL && url->url_params != NULL)
    url_param (url->url_params, "transport", transport, sizeof transport);
  /* sips: is TLS hop by hop whatever its transport parameter says. */
  ok = url != NULL &&
       (url->url_type == url_sips || g_ascii_strcasecmp (transport, "tls") == 0);
  su_home_deinit (home);
  if (!ok)
    g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_INVALID_URI,
                 "The proxy address “%s” asks for another transport than TLS", *proxy);
  return ok;
}

static gboolean
has_pem_certificate (const char  *path,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Cannot read the trusted certificates: %s", local_error->message);
      return FALSE;
    }
  if (strstr (contents, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "“%s” holds no PEM certificate to trust", path);
      return FALSE;
    }
  return TRUE;
}

char *
beacon_sip_tls_make_certificate_dir (const char  *ca_file,
                                     GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *link = NULL;
  g_autoptr(GError) local_error = NULL;

  if (ca_file == NULL)
    ca_file = BEACON_SIP_SYSTEM_CA_FILE;
  if (!has_pem_certificate (ca_file, error))
    return NULL;
  absolute = g_canonicalize_filename (ca_file, NULL);

  /* sofia-sip also looks for its own certificate (agent.pem) and random
   * seed there: the directory holds nothing but the CAs. */
  dir = g_dir_make_tmp ("beacon-tls-XXXXXX", &local_error);
  if (dir == NULL)
    {
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Cannot prepare the TLS certificates: %s", local_error->message);
      return NULL;
    }
  link = g_build_filename (dir, "cafile.pem", NULL);
  if (symlink (absolute, link) != 0)
    {
      int saved = errno;

      g_rmdir (dir);
      g_set_error (error, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                   "Cannot prepare the TLS certificates: %s", g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

void
beacon_sip_tls_remove_certificate_dir (const char *dir)
{
  g_autofree char *link = g_build_filename (dir, "cafile.pem", NULL);

  g_unlink (link);
  g_rmdir (dir);
}

/* ---- why a TLS connection was refused ----------------------------------- */

/* sofia-sip drops a connection whose certificate it refuses without a
 * word: the request only times out. So a second handshake, with GIO and
 * the same trusted CAs and host, tells the user what is wrong. sofia-sip's
 * check is the one that protects the SIP traffic; this one only explains. */

#define PROBE_TIMEOUT_S 10

typedef struct
{
  char                 *host;
  GTlsCertificateFlags  refused;
} Probe;

static void
probe_free (Probe *probe)
{
  g_free (probe->host);
  g_free (probe);
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Probe                *probe)
{
  probe->refused = errors;
  return FALSE;
}

static const char *
describe_flags (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return "it is not signed by a trusted certificate authority";
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return "it is for another server name";
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return "it has expired";
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return "it is not valid yet";
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return "it was revoked";
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return "its algorithm is insecure";
  return "it failed validation";
}

/* sofia-sip matches the host it connected to against the certificate's
 * common name and DNS names only: an IP address listed only as an IP
 * entry is refused there although GIO accepts it. */
static gboolean
names_host_for_sofia (GTlsCertificate *certificate,
                      const char      *host)
{
  g_autoptr(GPtrArray) dns_names = NULL;
  g_autofree char *subject = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = strlen (host);

  g_object_get (certificate, "dns-names", &dns_names, "subject-name", &subject, NULL);
  for (guint i = 0; dns_names != NULL && i < dns_names->len; i++)
    {
      gsize size;
      const char *name = g_bytes_get_data (g_ptr_array_index (dns_names, i), &size);

      if (size == len && g_ascii_strncasecmp (name, host, len) == 0)
        return TRUE;
    }
  parts = g_strsplit (subject ? subject : "", ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_ascii_strncasecmp (part, "CN=", 3) == 0 && g_ascii_strcasecmp (part + 3, host) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      GTlsCertificate *certificate = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source));

      if (g_hostname_is_ip_address (probe->host) && certificate != NULL &&
          !names_host_for_sofia (certificate, probe->host))
        g_task_return_new_error (task, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                                 "The certificate of the server %s is not trusted: it has the "
                                 "address only as an IP entry, not as a DNS name or common name",
                                 probe->host);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  if (!g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      /* Trusted, or refused for another reason (no TLS there...): nothing
       * to say about the certificate. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_return_new_error (task, BEACON_SIP_ERROR, BEACON_SIP_ERROR_TRANSPORT,
                           "The certificate of the server %s is not trusted: %s",
                           probe->host, describe_flags (probe->refused));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection != NULL)
    tls = g_tls_client_connection_new (G_IO_STREAM (connection),
                                       G_SOCKET_CONNECTABLE (g_task_get_source_object (task)),
                                       &error);
  if (tls == NULL)
    {
      /* Unreachable or no TLS backend: the SIP side reports it. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  g_tls_connection_set_database (G_TLS_CONNECTION (tls),
                                 g_object_get_data (G_OBJECT (task), "database"));
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), probe);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), handshake_cb,
                                    g_object_ref (task));
}

void
beacon_sip_tls_probe_async (const char          *proxy,
                            const char          *ca_file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GTask) task = NULL;
  Probe *probe;
  url_t *url;
  guint16 port = 5061;

  url = url_make (home, proxy);
  if (url == NULL || url->url_host == NULL)
    {
      su_home_deinit (home);
      task = g_task_new (NULL, cancellable, callback, user_data);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (url->url_port != NULL && *url->url_port != '\0')
    port = (guint16) g_ascii_strtoull (url->url_port, NULL, 10);
  probe = g_new0 (Probe, 1);
  probe->host = g_strdup (url->url_host);
  su_home_deinit (home);

  identity = g_network_address_new (probe->host, port);
  task = g_task_new (identity, cancellable, callback, user_data);
  g_task_set_source_tag (task, beacon_sip_tls_probe_async);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  database = g_tls_file_database_new (ca_file ? ca_file : BEACON_SIP_SYSTEM_CA_FILE, NULL);
  if (database == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "database", g_steal_pointer (&database),
                          g_object_unref);
  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_S);
  g_socket_client_connect_async (client, identity, cancellable, connected_cb,
                                 g_steal_pointer (&task));
}

gboolean
beacon_sip_tls_probe_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
