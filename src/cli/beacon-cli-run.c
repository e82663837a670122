/* beacon-cli-run.c — `beacon-cli run`: a server-mode account driven from stdin
 *
 * Reads one command per line on stdin and prints the account's events as
 * JSON lines on stdout (see beacon-cli-events.h), so scripts and the
 * server tests can drive real SIP accounts:
 *   status online|busy|away|offline [note]
 *   add URI [name]        remove URI
 *   allow URI             block URI          unblock URI
 *   polite-block URI      (the watcher sees us offline)
 *   send URI TEXT
 *   history [URI]         the stored messages (all, or with URI) as JSON
 *   retry URI ID          send a failed message again
 *   quit
 * `quit`, end of input, SIGTERM and SIGINT stop cleanly (un-PUBLISH,
 * un-SUBSCRIBE, un-REGISTER) and exit 0.
 * With `--lan NAME` it runs a serverless LAN account instead (see
 * beacon-cli-run-lan.c): same commands and events, plus "peer".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-cli"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "beacon-cli-commands.h"
#include "beacon-cli-events.h"
#include "beacon-cli-run-lan.h"
#include "beacon-cli-history.h"
#include "server/beacon-server-account.h"
#include "xcap/beacon-roster.h"

/* Bound on the whole goodbye: the account's own steps are bounded too. */
#define STOP_WATCHDOG_S 20

typedef struct {
  GMainLoop           *loop;
  BeaconAccount       *account;  /* BeaconServerAccount, or LAN with --lan */
  BeaconCliEvents     *events;
  GIOChannel          *input;
  guint                input_id;
  guint                sigterm_id;
  guint                sigint_id;
  guint                watchdog_id;
  gboolean             stopping;
  int                  status;
} Run;

static void
print_simple (Run        *run,
              const char *event,
              const char *key1,
              const char *value1,
              const char *key2,
              const char *value2)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", event);
  if (key1 != NULL)
    beacon_json_string (json, key1, value1);
  if (key2 != NULL)
    beacon_json_string (json, key2, value2);
  beacon_json_end_object (json);
  beacon_cli_events_print (run->events, json);
}

static void
usage_error (Run        *run,
             const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);

  beacon_cli_events_print_error (run->events, error, "usage");
}

/* ---- stopping ------------------------------------------------------------- */

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!beacon_account_stop_finish (BEACON_ACCOUNT (source), result, &error))
    beacon_cli_events_print_error (run->events, error, "failed");
  g_main_loop_quit (run->loop);
}

static void
watchdog (gpointer user_data)
{
  Run *run = user_data;

  run->watchdog_id = 0;
  g_printerr ("beacon-cli: the account did not stop within %d s\n", STOP_WATCHDOG_S);
  run->status = 1;
  g_main_loop_quit (run->loop);
}

static void
stop (Run *run)
{
  if (run->stopping)
    return;
  run->stopping = TRUE;
  g_clear_handle_id (&run->input_id, g_source_remove);
  run->watchdog_id = g_timeout_add_once (STOP_WATCHDOG_S * 1000, watchdog, run);
  beacon_account_stop_async (BEACON_ACCOUNT (run->account), NULL, stopped, run);
}

static gboolean
on_signal (gpointer user_data)
{
  stop (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- commands ------------------------------------------------------------- */

/* Splits "verb rest" and "uri rest" at the first run of white space. */
static char *
next_word (char **line)
{
  char *start = *line, *end;

  while (*start == ' ' || *start == '\t')
    start++;
  if (*start == '\0')
    return NULL;
  end = start;
  while (*end != '\0' && *end != ' ' && *end != '\t')
    end++;
  if (*end != '\0')
    *end++ = '\0';
  while (*end == ' ' || *end == '\t')
    end++;
  *line = end;
  return start;
}

static void
report (Run      *run,
        gboolean  ok,
        GError   *error)
{
  if (!ok && error != NULL)
    beacon_cli_events_print_error (run->events, error, "failed");
}

static void
run_command (Run  *run,
             char *line)
{
  BeaconAccount *account = BEACON_ACCOUNT (run->account);
  g_autoptr(GError) error = NULL;
  char *verb = next_word (&line);
  char *rest = line;

  if (verb == NULL)
    return;

  if (g_str_equal (verb, "quit"))
    stop (run);
  else if (g_str_equal (verb, "status"))
    {
      char *name = next_word (&rest);
      BeaconStatus status;

      if (name == NULL || !beacon_status_from_string (name, &status))
        usage_error (run, "usage: status online|busy|away|offline [note]");
      else
        beacon_account_set_presence (account, status, *rest ? rest : NULL);
    }
  else if (g_str_equal (verb, "add"))
    {
      char *uri = next_word (&rest);
      gboolean ok;

      if (uri == NULL)
        {
          usage_error (run, "usage: add URI [name]");
          return;
        }
      /* Not in one call: the order arguments are evaluated in is unspecified. */
      ok = beacon_account_add_buddy (account, uri, *rest ? rest : NULL, &error);
      report (run, ok, error);
    }
  else if (g_str_equal (verb, "remove") || g_str_equal (verb, "allow") ||
           g_str_equal (verb, "block") || g_str_equal (verb, "unblock") ||
           g_str_equal (verb, "polite-block"))
    {
      char *uri = next_word (&rest);
      gboolean ok;

      if (uri == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("usage: %s URI", verb);
          usage_error (run, msg);
          return;
        }
      if (g_str_equal (verb, "remove"))
        ok = beacon_account_remove_buddy (account, uri, &error);
      else if (g_str_equal (verb, "allow"))
        ok = beacon_account_authorize (account, uri, BEACON_AUTHORIZE_ALLOW, &error);
      else if (g_str_equal (verb, "block"))
        ok = beacon_account_authorize (account, uri, BEACON_AUTHORIZE_BLOCK, &error);
      else if (g_str_equal (verb, "polite-block"))
        ok = beacon_account_authorize (account, uri, BEACON_AUTHORIZE_POLITE_BLOCK, &error);
      else
        ok = beacon_account_unblock (account, uri, &error);
      report (run, ok, error);
    }
  else if (g_str_equal (verb, "send"))
    {
      char *uri = next_word (&rest);
      g_autofree char *id = NULL;

      if (uri == NULL || *rest == '\0')
        {
          usage_error (run, "usage: send URI TEXT");
          return;
        }
      id = beacon_account_send_message (account, uri, rest, &error);
      if (id == NULL)
        report (run, FALSE, error);
      else
        print_simple (run, "sending", "to", uri, "id", id);
    }
  else if (g_str_equal (verb, "retry"))
    {
      char *uri = next_word (&rest);
      char *id = next_word (&rest);

      if (uri == NULL || id == NULL)
        usage_error (run, "usage: retry URI ID");
      else if (beacon_account_retry_message (account, uri, id, &error))
        print_simple (run, "sending", "to", uri, "id", id);
      else
        report (run, FALSE, error);
    }
  else if (g_str_equal (verb, "history"))
    {
      char *uri = next_word (&rest);
      g_autoptr(BeaconHistory) history = NULL;

      g_object_get (account, "history", &history, NULL);
      if (history == NULL)
        {
          g_autoptr(GError) none = g_error_new_literal (BEACON_HISTORY_ERROR,
                                                       BEACON_HISTORY_ERROR_OPEN,
                                                       "This run has no chat history");
          beacon_cli_events_print_error (run->events, none, "history");
        }
      else if (!beacon_cli_history_print (run->events, history, beacon_account_get_aor (account),
                                          uri, &error))
        beacon_cli_events_print_error (run->events, error, "history");
    }
  else if (g_str_equal (verb, "stale-etag"))
    {
      /* Testing aid: make the next status PUBLISH name an entity-tag the
       * server does not know (default: a well-formed Kamailio-style one). */
      char *etag = next_word (&rest);

      if (BEACON_IS_SERVER_ACCOUNT (run->account))
        beacon_server_account_use_stale_etag (BEACON_SERVER_ACCOUNT (run->account),
                                              etag ? etag : "a.1000000000.1.1.0");
      else
        usage_error (run, "stale-etag is for server accounts");
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("unknown command “%s”", verb);
      usage_error (run, msg);
    }
}

static gboolean
input_ready (GIOChannel   *channel,
             GIOCondition  condition,
             gpointer      user_data)
{
  Run *run = user_data;

  for (;;)
    {
      g_autofree char *line = NULL;
      g_autoptr(GError) error = NULL;
      gsize terminator = 0;
      GIOStatus status = g_io_channel_read_line (channel, &line, NULL, &terminator, &error);

      if (status == G_IO_STATUS_AGAIN)
        return G_SOURCE_CONTINUE;
      if (status != G_IO_STATUS_NORMAL)
        {
          /* End of input (or a broken pipe): stop like `quit`. */
          run->input_id = 0;
          stop (run);
          return G_SOURCE_REMOVE;
        }
      if (line[terminator] != '\0')
        line[terminator] = '\0';
      g_strstrip (line);
      run_command (run, line);
      if (run->stopping)
        {
          run->input_id = 0;
          return G_SOURCE_REMOVE;
        }
    }
}

/* ---- start ---------------------------------------------------------------- */

static void
published (BeaconServerAccount *account,
           const char          *etag,
           guint                expires,
           Run                 *run)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();

  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "event", "published");
  beacon_json_string (json, "etag", etag);
  beacon_json_int (json, "expires", expires);
  beacon_json_end_object (json);
  beacon_cli_events_print (run->events, json);
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;

  if (path == NULL)
    return g_strdup ("");
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  /* The first line: files usually end in a newline. */
  contents[strcspn (contents, "\r\n")] = '\0';
  return g_steal_pointer (&contents);
}

/* With --xcap-root the friends list and the rules live on the XCAP server
 * (BeaconRoster, cached under DATA_DIR/roster); without it, list edits
 * stay in this run. */
static BeaconRosterStore *
make_roster_store (const char  *xcap_root,
                   const char  *data_dir,
                   const char  *aor,
                   const char  *user,
                   const char  *password,
                   const char  *list_uri,
                   GError     **error)
{
  if (xcap_root == NULL)
    return NULL;
  return BEACON_ROSTER_STORE (beacon_roster_new_for_account (xcap_root, aor, user, password,
                                                             data_dir, list_uri, error));
}

int
beacon_cli_run (int    argc,
                char **argv)
{
  g_autofree char *aor = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *xcap_root = NULL;
  g_autofree char *list_uri = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *initial_status = NULL;
  g_autofree char *password = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *account_dir = NULL;
  int expires = 3600;
  g_autofree char *lan_name = NULL;
  int port = 0;
  const GOptionEntry entries[] = {
    { "aor", 0, 0, G_OPTION_ARG_STRING, &aor, N_("The account, e.g. sip:alice@example.org"), "URI" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Authentication user (default: the AOR’s user)"), "NAME" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the password from FILE"), "FILE" },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy, N_("Outbound proxy, e.g. sip:192.0.2.1:5060"), "URI" },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &transport, N_("udp (default), tcp or tls"), "NAME" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("TLS: trust the server certificates these CAs signed (default: the system’s)"), "FILE" },
    { "xcap-root", 0, 0, G_OPTION_ARG_STRING, &xcap_root, N_("XCAP root URL for the lists"), "URL" },
    { "list-uri", 0, 0, G_OPTION_ARG_STRING, &list_uri, N_("Resource list (default: sip:USER-list@DOMAIN)"), "URI" },
    { "expires", 0, 0, G_OPTION_ARG_INT, &expires, N_("Seconds asked for SUBSCRIBE and PUBLISH (default 3600)"), "S" },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, N_("Local address to bind (default: all)"), "IP" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &initial_status, N_("Status to start with (default online)"), "STATUS" },
    { "lan", 0, 0, G_OPTION_ARG_STRING, &lan_name, N_("Run a LAN account (no server) called NAME"), "NAME" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("LAN: the SIP port (default: any free one)"), "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Where the account keeps its files (default: under the user’s data folder)"), "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— a server account on stdin/stdout"));
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRosterStore) store = NULL;
  g_autoptr(BeaconHistory) history = NULL;
  g_autoptr(GError) history_recovered = NULL;
  g_autoptr(GError) history_error = NULL;
  BeaconSipTransport sip_transport = BEACON_SIP_TRANSPORT_UDP;
  BeaconStatus status = BEACON_STATUS_ONLINE;
  Run run = { 0 };

  /* stdout carries the JSON events only: logs, debug traces too, go to
   * stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Reads commands on stdin (status, add, remove, allow, block, unblock, send, retry, history, quit)\n"
      "and prints events as JSON lines on stdout. Messages are kept in DIR/history.sqlite\n"
      "(see --data-dir); “history [URI]” prints them as JSON lines."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("beacon-cli run: %s\n", error->message);
      return 2;
    }
  if (lan_name != NULL && !beacon_cli_lan_check (lan_name, aor, port, &aor, &error))
    {
      g_printerr ("beacon-cli run: %s\n", error->message);
      return 2;
    }
  if (aor == NULL)
    {
      g_printerr ("beacon-cli run: %s\n", _("--aor (or --lan NAME) is required"));
      return 2;
    }
  if (transport != NULL && g_ascii_strcasecmp (transport, "tcp") == 0)
    sip_transport = BEACON_SIP_TRANSPORT_TCP;
  else if (transport != NULL && g_ascii_strcasecmp (transport, "tls") == 0)
    sip_transport = BEACON_SIP_TRANSPORT_TLS;
  else if (transport != NULL && g_ascii_strcasecmp (transport, "udp") != 0)
    {
      g_printerr ("beacon-cli run: %s\n", _("--transport must be udp, tcp or tls"));
      return 2;
    }
  if (ca_file != NULL && sip_transport != BEACON_SIP_TRANSPORT_TLS)
    {
      g_printerr ("beacon-cli run: %s\n", _("--ca-file needs --transport tls"));
      return 2;
    }
  /* Short values are for tests that want to see refreshes happen. */
  if (expires < 10 || expires > 86400)
    {
      g_printerr ("beacon-cli run: %s\n", _("--expires must be between 10 and 86400"));
      return 2;
    }
  if (initial_status != NULL && !beacon_status_from_string (initial_status, &status))
    {
      g_printerr ("beacon-cli run: %s\n", _("--status must be online, busy, away or offline"));
      return 2;
    }
  password = read_password (password_file, &error);
  if (password == NULL)
    {
      g_printerr ("beacon-cli run: %s\n", error->message);
      return 2;
    }

  /* --data-dir, or the folder the app uses for this account. */
  account_dir = data_dir != NULL ? g_strdup (data_dir) : beacon_account_default_data_dir (aor);
  history = beacon_cli_history_open (account_dir, &history_recovered, &history_error);
  store = make_roster_store (xcap_root, account_dir, aor, user, password, list_uri, &error);
  if (xcap_root != NULL && store == NULL)
    {
      g_printerr ("beacon-cli run: %s\n", error->message);
      return 2;
    }
  if (lan_name != NULL)
    run.account = beacon_cli_lan_account_new (lan_name, aor, account_dir, bind, port,
                                              (guint) expires, history);
  else
    {
      run.account = g_object_new (BEACON_TYPE_SERVER_ACCOUNT,
                                  "aor", aor,
                                  "auth-user", user,
                                  "password", password,
                                  "proxy", proxy,
                                  "transport", sip_transport,
                                  "ca-file", ca_file,
                                  "bind-address", bind,
                                  "list-uri", list_uri,
                                  "expires", (guint) expires,
                                  "roster-store", store,
                                  "history", history,
                                  NULL);
    }
  run.loop = g_main_loop_new (NULL, FALSE);
  run.events = beacon_cli_events_new (BEACON_ACCOUNT (run.account), stdout);
  if (BEACON_IS_SERVER_ACCOUNT (run.account))
    g_signal_connect (run.account, "published", G_CALLBACK (published), &run);
  beacon_account_set_presence (BEACON_ACCOUNT (run.account), status, NULL);
  /* A damaged or unusable history is said, and the account runs anyway. */
  if (history_recovered != NULL)
    beacon_cli_events_print_error (run.events, history_recovered, "history-recovered");
  if (history_error != NULL)
    beacon_cli_events_print_error (run.events, history_error, "history");
  if (BEACON_IS_ROSTER (store) && beacon_roster_get_cache_error (BEACON_ROSTER (store)) != NULL)
    beacon_cli_events_print_error (run.events, beacon_roster_get_cache_error (BEACON_ROSTER (store)),
                                   "roster-cache");

  /* A reader that went away must not kill us with SIGPIPE mid-goodbye. */
  signal (SIGPIPE, SIG_IGN);
  run.sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &run);
  run.sigint_id = g_unix_signal_add (SIGINT, on_signal, &run);
  run.input = g_io_channel_unix_new (STDIN_FILENO);
  g_io_channel_set_encoding (run.input, NULL, NULL);
  g_io_channel_set_flags (run.input, G_IO_FLAG_NONBLOCK, NULL);
  run.input_id = g_io_add_watch (run.input, G_IO_IN | G_IO_HUP | G_IO_ERR, input_ready, &run);

  beacon_account_start (BEACON_ACCOUNT (run.account));
  g_main_loop_run (run.loop);

  g_clear_handle_id (&run.input_id, g_source_remove);
  g_clear_handle_id (&run.sigterm_id, g_source_remove);
  g_clear_handle_id (&run.sigint_id, g_source_remove);
  g_clear_handle_id (&run.watchdog_id, g_source_remove);
  g_io_channel_unref (run.input);
  beacon_cli_events_free (run.events);
  g_clear_object (&run.account);
  g_main_loop_unref (run.loop);
  return run.status;
}
