/* beacon-sip-stack.c — sofia-sip set-up shared by BeaconSipUa and BeaconSipLanAgent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-stack.h"

#include <string.h>

#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_uniqueid.h>

/* sofia-sip's su_uniqueid has a library destructor that deletes its
 * pthread key at exit even when it never made one: it then deletes key 0,
 * which is GLib's (GSlice), and the next library destructor that touches
 * GLib (GTK's GResource) aborts with "pthread_setspecific: Invalid
 * argument". Drawing one random number at load time makes sofia-sip create
 * its own key, so that destructor deletes that one. */
__attribute__ ((constructor)) static void
beacon_sip_stack_claim_uniqueid_key (void)
{
  (void) su_randint (0, 1);
}

static void
free_pending (GString *pending)
{
  g_string_free (pending, TRUE);
}

/* sofia-sip logs in pieces of lines; ours go out line by line as
 * g_debug, so G_MESSAGES_DEBUG=beacon-sip shows them with the rest. It
 * logs from its own threads too (a transport error while another root's
 * thread runs): the pieces wait in a buffer per thread, else two threads
 * appending to one buffer at once overflow it (seen under ASan). */
static void sofia_logger (void       *stream,
                          char const *fmt,
                          va_list     ap) G_GNUC_PRINTF (2, 0);

static void
sofia_logger (void       *stream,
              char const *fmt,
              va_list     ap)
{
  static GPrivate key = G_PRIVATE_INIT ((GDestroyNotify) free_pending);
  GString *pending = g_private_get (&key);
  char *nl;

  if (pending == NULL)
    {
      pending = g_string_new (NULL);
      g_private_set (&key, pending);
    }
  g_string_append_vprintf (pending, fmt, ap);
  while ((nl = strchr (pending->str, '\n')) != NULL)
    {
      *nl = '\0';
      g_debug ("sofia: %s", pending->str);
      g_string_erase (pending, 0, nl - pending->str + 1);
    }
}

void
beacon_sip_init_once (void)
{
  static gsize done = 0;

  /* su_init() sets up sofia-sip's per-process state (clock, sockets,
   * debug); it must run once, before the first root. Its logs would go to
   * stderr unasked. */
  if (g_once_init_enter (&done))
    {
      su_init ();
      su_log_redirect (NULL, sofia_logger, NULL);
      g_once_init_leave (&done, 1);
    }
}

gboolean
beacon_sip_tracing (const char *log_domain)
{
  return !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, log_domain);
}

su_root_t *
beacon_sip_root_new (gpointer   magic,
                     GSource  **source,
                     GQuark     error_domain,
                     int        error_code,
                     GError   **error)
{
  g_autoptr(GMainContext) context = NULL;
  su_root_t *root;

  beacon_sip_init_once ();
  root = su_glib_root_create (magic);
  if (root == NULL)
    {
      g_set_error (error, error_domain, error_code, "Could not create the SIP event loop");
      return NULL;
    }
  context = g_main_context_ref_thread_default ();
  *source = su_glib_root_gsource (root);
  g_source_attach (*source, context);
  return root;
}

void
beacon_sip_root_clear (su_root_t **root,
                       GSource   **source)
{
  if (*root == NULL)
    return;
  g_source_destroy (*source);
  su_root_destroy (*root);
  *root = NULL;
  *source = NULL;
}

void
beacon_sip_nua_destroy_bounded (nua_t      **nua,
                                su_root_t   *root,
                                gboolean    *shut_down,
                                guint        timeout_ms,
                                const char  *who)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (*nua == NULL)
    return;
  if (!*shut_down)
    nua_shutdown (*nua);
  while (!*shut_down && g_get_monotonic_time () < end)
    su_root_step (root, 100);
  if (*shut_down)
    nua_destroy (*nua);
  else
    g_warning ("the SIP stack of %s did not shut down; leaking it", who);
  *nua = NULL;
}

void
beacon_sip_respond_retry_after (nua_t        *nua,
                                nua_handle_t *nh,
                                int           status,
                                const char   *phrase,
                                guint         retry_after_s)
{
  g_autofree char *retry_after = g_strdup_printf ("%u", MAX (retry_after_s, 1));

  nua_respond (nh, status, phrase, SIPTAG_RETRY_AFTER_STR (retry_after), NUTAG_WITH_THIS (nua),
               TAG_END ());
}
