/* bench-common.c — see bench-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "bench-common.h"

#include "beacon-test-util.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

/* ---- the wire clock -------------------------------------------------------- */

typedef struct {
  const char *prefix;  /* "NOTIFY sip:" */
  gint64      last_ns;
  guint       count;
} WireMark;

static WireMark wire_marks[] = {
  { "NOTIFY sip:", 0, 0 },
  { "MESSAGE sip:", 0, 0 },
};

static void
wire_seen (const char *data,
           gssize      len)
{
  gint64 now = 0;

  if (data == NULL || len <= 0)
    return;
  for (guint m = 0; m < G_N_ELEMENTS (wire_marks); m++)
    {
      WireMark *mark = &wire_marks[m];
      gsize plen = strlen (mark->prefix);
      const char *p = data;
      const char *end = data + len;
      guint hits = 0;

      /* A request at the start of the buffer, or at a line start inside a
       * TCP read that carried several messages. */
      if ((gsize) len >= plen && memcmp (data, mark->prefix, plen) == 0)
        hits++;
      while ((p = memmem (p, end - p, mark->prefix, plen)) != NULL)
        {
          if (p > data && p[-1] == '\n')
            hits++;
          p += plen;
        }
      if (hits == 0)
        continue;
      if (now == 0)
        now = bench_now_ns ();
      mark->last_ns = now;
      mark->count += hits;
    }
}

typedef ssize_t (*RecvFn) (int, void *, size_t, int);
typedef ssize_t (*RecvfromFn) (int, void *, size_t, int, struct sockaddr *, socklen_t *);
typedef ssize_t (*RecvmsgFn) (int, struct msghdr *, int);

ssize_t
recv (int     fd,
      void   *buf,
      size_t  len,
      int     flags)
{
  static RecvFn real;
  ssize_t n;

  if (real == NULL)
    real = (RecvFn) dlsym (RTLD_NEXT, "recv");
  n = real (fd, buf, len, flags);
  if (!(flags & MSG_PEEK))
    wire_seen (buf, n);
  return n;
}

ssize_t
recvfrom (int              fd,
          void            *buf,
          size_t           len,
          int              flags,
          struct sockaddr *addr,
          socklen_t       *addrlen)
{
  static RecvfromFn real;
  ssize_t n;

  if (real == NULL)
    real = (RecvfromFn) dlsym (RTLD_NEXT, "recvfrom");
  n = real (fd, buf, len, flags, addr, addrlen);
  if (!(flags & MSG_PEEK))
    wire_seen (buf, n);
  return n;
}

ssize_t
recvmsg (int            fd,
         struct msghdr *msg,
         int            flags)
{
  static RecvmsgFn real;
  ssize_t n;

  if (real == NULL)
    real = (RecvmsgFn) dlsym (RTLD_NEXT, "recvmsg");
  n = real (fd, msg, flags);
  if (n > 0 && !(flags & MSG_PEEK) && msg->msg_iovlen > 0)
    wire_seen (msg->msg_iov[0].iov_base, MIN ((size_t) n, msg->msg_iov[0].iov_len));
  return n;
}

gint64
bench_wire_last_ns (const char *method)
{
  for (guint m = 0; m < G_N_ELEMENTS (wire_marks); m++)
    if (g_str_has_prefix (wire_marks[m].prefix, method))
      return wire_marks[m].last_ns;
  return 0;
}

guint
bench_wire_count (const char *method)
{
  for (guint m = 0; m < G_N_ELEMENTS (wire_marks); m++)
    if (g_str_has_prefix (wire_marks[m].prefix, method))
      return wire_marks[m].count;
  return 0;
}

/* ---- server and accounts ----------------------------------------------------- */

void
bench_server_load (BenchServer *server,
                   const char  *rundir)
{
  g_autofree char *path = g_build_filename (rundir, "env", NULL);
  g_autoptr(GHashTable) env = beacon_test_read_env (path, NULL);

  if (env == NULL)
    {
      g_printerr ("bench: cannot read %s (start Kamailio with the harness first)\n", path);
      exit (2);
    }
  server->sip_host = g_strdup (g_hash_table_lookup (env, "SIP_HOST"));
  server->sip_port = g_strdup (g_hash_table_lookup (env, "SIP_PORT"));
  server->domain = g_strdup (g_hash_table_lookup (env, "DOMAIN"));
  server->xcap_root = g_strdup (g_hash_table_lookup (env, "XCAP_ROOT"));
  if (server->sip_host == NULL || server->sip_port == NULL || server->domain == NULL)
    {
      g_printerr ("bench: %s lacks SIP_HOST, SIP_PORT or DOMAIN\n", path);
      exit (2);
    }
}

void
bench_server_clear (BenchServer *server)
{
  g_clear_pointer (&server->sip_host, g_free);
  g_clear_pointer (&server->sip_port, g_free);
  g_clear_pointer (&server->domain, g_free);
  g_clear_pointer (&server->xcap_root, g_free);
}

BeaconServerAccount *
bench_account_new (BenchServer        *server,
                   const char         *user,
                   const char         *list_uri,
                   BeaconSipTransport  transport,
                   BeaconHistory      *history)
{
  g_autofree char *aor = g_strdup_printf ("sip:%s@%s", user, server->domain);
  g_autofree char *password = g_strdup_printf ("%s-secret", user);
  g_autofree char *proxy = g_strdup_printf ("%s:%s", server->sip_host, server->sip_port);

  return g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                       "aor", aor,
                       "auth-user", user,
                       "password", password,
                       "proxy", proxy,
                       "transport", transport,
                       "bind-address", server->sip_host,
                       "list-uri", list_uri,
                       "expires", (guint) 600,
                       "history", history,
                       NULL);
}

/* ---- waiting ------------------------------------------------------------------- */

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_flag (const gboolean *flag,
                 guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

gboolean
bench_wait_online (BeaconAccount *account,
                   guint          timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (beacon_account_get_connection_state (account) != BEACON_CONNECTION_ONLINE &&
         g_get_monotonic_time () < end)
    bench_spin (5);
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_ONLINE;
}

void
bench_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL);
  *(gboolean *) data = TRUE;
}

void
bench_account_stop (BeaconAccount *account)
{
  gboolean done = FALSE;

  beacon_account_stop_async (account, NULL, stopped_cb, &done);
  if (!bench_wait_flag (&done, 10000))
    g_printerr ("bench: %s did not stop within 10 s\n", beacon_account_get_aor (account));
}

/* ---- figures --------------------------------------------------------------------- */

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

gint64
bench_percentile (GArray *values,
                  double  p)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, cmp_gint64);
  /* Nearest rank. */
  index = (guint) (p / 100.0 * values->len + 0.999999);
  index = CLAMP (index, 1, values->len) - 1;
  return g_array_index (values, gint64, index);
}

gint64
bench_cpu_ns (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return ((gint64) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_GINT64_CONSTANT (1000000000) +
         ((gint64) usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

glong
bench_peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void
bench_result (const char *name,
              double      value,
              const char *unit)
{
  printf ("RESULT %s %.3f %s\n", name, value, unit);
  fflush (stdout);
}
