/* scenario-harness.c — beacon-cli run processes and a Kamailio for the
 * server suite's scenario tests (see scenario-harness.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "scenario-harness.h"

#include "beacon-test-util.h"

gboolean scenario_tls = FALSE;

#include <string.h>

#include <glib/gstdio.h>


/* ---- flat JSON objects (what beacon-cli prints) --------------------------- */

/* Parses {"k":"v","n":3,"x":null} into key → value (numbers as text, null
 * as NULL). Enough for beacon-cli's one-level event objects. */
GHashTable *
parse_event (const char *line)
{
  GHashTable *event = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = line;

  while (*p == ' ')
    p++;
  if (*p++ != '{')
    return event;
  for (;;)
    {
      GString *key = g_string_new (NULL);
      GString *value = NULL;

      while (*p == ' ' || *p == ',')
        p++;
      if (*p != '"')
        {
          g_string_free (key, TRUE);
          break;
        }
      for (p++; *p && *p != '"'; p++)
        g_string_append_c (key, *p);
      p++;
      if (*p++ != ':')
        {
          g_string_free (key, TRUE);
          break;
        }
      if (*p == '"')
        {
          value = g_string_new (NULL);
          for (p++; *p && *p != '"'; p++)
            {
              if (*p != '\\')
                {
                  g_string_append_c (value, *p);
                  continue;
                }
              p++;
              switch (*p)
                {
                case 'n': g_string_append_c (value, '\n'); break;
                case 't': g_string_append_c (value, '\t'); break;
                case 'r': g_string_append_c (value, '\r'); break;
                case 'u':
                  {
                    char hex[5] = { 0 };
                    strncpy (hex, p + 1, 4);
                    g_string_append_unichar (value, (gunichar) g_ascii_strtoull (hex, NULL, 16));
                    p += 4;
                  }
                  break;
                default: g_string_append_c (value, *p); break;
                }
            }
          p++;
        }
      else
        {
          const char *start = p;

          while (*p && *p != ',' && *p != '}')
            p++;
          if (!(p - start == 4 && strncmp (start, "null", 4) == 0))
            value = g_string_new_len (start, p - start);
        }
      g_hash_table_insert (event, g_string_free (key, FALSE),
                           value ? g_string_free (value, FALSE) : NULL);
    }
  return event;
}

/* ---- one beacon-cli run process ------------------------------------------- */


static void read_next (Client *client);

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                         NULL, &error);

  if (line == NULL)
    {
      client->eof = TRUE;
      return;
    }
  g_printerr ("  %s> %s\n", client->name, line);
  g_ptr_array_add (client->events, parse_event (line));
  g_ptr_array_add (client->lines, line);
  read_next (client);
}

static void
read_next (Client *client)
{
  g_data_input_stream_read_line_async (client->output, G_PRIORITY_DEFAULT, client->cancellable,
                                       line_read, client);
}


char *
aor (Server     *server,
     const char *user)
{
  return g_strdup_printf ("sip:%s@%s", user, server->domain);
}

Client *
client_start_full (Server            *server,
                   const char        *user,
                   const char        *secret,
                   const char        *transport,
                   const char        *expires,
                   const char *const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *password_file = g_build_filename (server->rundir, user, NULL);
  g_autofree char *password = secret ? g_strconcat (secret, "\n", NULL)
                                     : g_strconcat (user, "-secret\n", NULL);
  g_autofree char *address = aor (server, user);
  gboolean tls = g_strcmp0 (transport, "tls") == 0;
  g_autofree char *proxy = g_strdup_printf ("%s:%s", server->sip_host,
                                            tls ? server->tls_port : server->sip_port);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  g_assert_true (!tls || server->tls_port != NULL);
  g_assert_true (g_file_set_contents (password_file, password, -1, NULL));
  client->name = g_strdup (user);
  client->wait_s = WAIT_S;
  client->events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  client->lines = g_ptr_array_new_with_free_func (g_free);
  client->cancellable = g_cancellable_new ();
  client->log_path = g_strdup_printf ("%s/%s-%s.log", server->rundir, user,
                                      transport ? transport : "udp");

  /* Protocol traces for the post-mortem (and the 412 check). */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "beacon-sip", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, client->log_path);
  g_ptr_array_add (argv, server->cli);
  g_ptr_array_add (argv, (char *) "run");
  g_ptr_array_add (argv, (char *) "--aor");
  g_ptr_array_add (argv, address);
  g_ptr_array_add (argv, (char *) "--password-file");
  g_ptr_array_add (argv, password_file);
  g_ptr_array_add (argv, (char *) "--proxy");
  g_ptr_array_add (argv, proxy);
  g_ptr_array_add (argv, (char *) "--bind");
  g_ptr_array_add (argv, server->sip_host);
  if (transport != NULL)
    {
      g_ptr_array_add (argv, (char *) "--transport");
      g_ptr_array_add (argv, (gpointer) transport);
    }
  if (expires != NULL)
    {
      g_ptr_array_add (argv, (char *) "--expires");
      g_ptr_array_add (argv, (gpointer) expires);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  client->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  client->input = g_object_ref (g_subprocess_get_stdin_pipe (client->process));
  client->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (client->process));
  read_next (client);
  return client;
}

Client *
client_start_with (Server     *server,
                   const char *user,
                   const char *secret,
                   const char *transport,
                   const char *expires)
{
  return client_start_full (server, user, secret, transport, expires, NULL);
}

Client *
client_start (Server     *server,
              const char *user,
              const char *transport,
              const char *expires)
{
  return client_start_with (server, user, NULL, transport, expires);
}

void
client_send (Client     *client,
             const char *format,
             ...)
{
  g_autofree char *command = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  command = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("  %s< %s\n", client->name, command);
  line = g_strconcat (command, "\n", NULL);
  g_assert_true (g_output_stream_write_all (client->input, line, strlen (line), NULL, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_flush (client->input, NULL, NULL);
}

static gboolean
event_matches (GHashTable *event,
               va_list     pairs)
{
  const char *key;

  while ((key = va_arg (pairs, const char *)) != NULL)
    {
      const char *want = va_arg (pairs, const char *);
      gpointer have = NULL;

      if (!g_hash_table_lookup_extended (event, key, NULL, &have))
        return FALSE;
      if (g_strcmp0 (have, want) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Waits (bounded) for an event at or after @since with every key = value
 * given (NULL-terminated pairs; a NULL value means JSON null); returns its
 * index. */
guint
wait_event (Client *client,
            guint   since,
            ...)
{
  gint64 end = g_get_monotonic_time () + client->wait_s * G_USEC_PER_SEC;
  guint checked = since;

  for (;;)
    {
      for (; checked < client->events->len; checked++)
        {
          va_list pairs;
          gboolean ok;

          va_start (pairs, since);
          ok = event_matches (g_ptr_array_index (client->events, checked), pairs);
          va_end (pairs);
          if (ok)
            return checked;
        }
      if (client->eof || g_get_monotonic_time () > end)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  {
    va_list pairs;
    GString *want = g_string_new (NULL);
    const char *key;

    va_start (pairs, since);
    while ((key = va_arg (pairs, const char *)) != NULL)
      {
        const char *value = va_arg (pairs, const char *);
        g_string_append_printf (want, "%s=%s ", key, value ? value : "null");
      }
    va_end (pairs);
    g_error ("%s: no event {%s} within %u s (log: %s)", client->name, want->str, client->wait_s,
             client->log_path);
  }
  return 0;
}

/* Lets events arrive for @ms, then says whether any at or after @since
 * matches (for things that must NOT happen). */
gboolean
saw_event_within (Client *client,
                  guint   since,
                  guint   ms,
                  ...)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  for (guint i = since; i < client->events->len; i++)
    {
      va_list pairs;
      gboolean ok;

      va_start (pairs, ms);
      ok = event_matches (g_ptr_array_index (client->events, i), pairs);
      va_end (pairs);
      if (ok)
        return TRUE;
    }
  return FALSE;
}

const char *
event_value (Client     *client,
             guint       index,
             const char *key)
{
  return g_hash_table_lookup (g_ptr_array_index (client->events, index), key);
}

static void
waited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* quit, and a clean exit (status 0: no leak report either) in bounded time. */
void
client_quit_unregistered (Client *client)
{
  gint64 end = g_get_monotonic_time () + 25 * G_USEC_PER_SEC;
  gboolean done = FALSE;

  client_send (client, "quit");
  g_output_stream_close (client->input, NULL, NULL);
  g_subprocess_wait_async (client->process, NULL, waited, &done);
  while (!done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (client->process);
      g_error ("%s did not exit within 25 s after quit (log: %s)", client->name, client->log_path);
    }
  while (!client->eof && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (client->process));
  if (g_subprocess_get_exit_status (client->process) != 0)
    g_error ("%s exited with %d (log: %s)", client->name,
             g_subprocess_get_exit_status (client->process), client->log_path);
}

/* ... after a clean un-REGISTER. */
void
client_quit (Client *client)
{
  client_quit_unregistered (client);
  wait_event (client, 0, "event", "unregistered", NULL);
}

void
client_free (Client *client)
{
  if (client == NULL)
    return;
  g_cancellable_cancel (client->cancellable);
  if (g_subprocess_get_identifier (client->process) != NULL)
    g_subprocess_force_exit (client->process);
  /* Let the cancelled read finish before the buffers go. */
  while (!client->eof)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&client->input);
  g_clear_object (&client->output);
  g_clear_object (&client->process);
  g_clear_object (&client->cancellable);
  g_ptr_array_unref (client->events);
  g_ptr_array_unref (client->lines);
  g_free (client->name);
  g_free (client->log_path);
  g_free (client);
}


gboolean
log_contains (Client     *client,
              const char *text)
{
  g_autofree char *log = NULL;

  return g_file_get_contents (client->log_path, &log, NULL, NULL) && strstr (log, text) != NULL;
}

/* ---- the server ----------------------------------------------------------- */

gboolean
run_quiet (const char *const  *argv,
           char              **out)
{
  int status = 0;
  g_autoptr(GError) error = NULL;

  /* Nothing on our stdout: it carries TAP. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                     NULL, NULL, out, NULL, &status, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

static void
read_env (Server *server)
{
  g_autofree char *env_path = g_build_filename (server->rundir, "env", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) env = beacon_test_read_env (env_path, &error);

  g_assert_no_error (error);
  server->sip_host = g_strdup (g_hash_table_lookup (env, "SIP_HOST"));
  server->sip_port = g_strdup (g_hash_table_lookup (env, "SIP_PORT"));
  server->http_port = g_strdup (g_hash_table_lookup (env, "HTTP_PORT"));
  server->domain = g_strdup (g_hash_table_lookup (env, "DOMAIN"));
  server->xcap_root = g_strdup (g_hash_table_lookup (env, "XCAP_ROOT"));
  server->tls_port = g_strdup (g_hash_table_lookup (env, "TLS_PORT"));
  server->ca_file = g_strdup (g_hash_table_lookup (env, "CA_FILE"));
  server->other_ca_file = g_strdup (g_hash_table_lookup (env, "OTHER_CA_FILE"));
  g_assert_nonnull (server->sip_host);
  g_assert_nonnull (server->sip_port);
  g_assert_nonnull (server->domain);
  g_assert_nonnull (server->xcap_root);
}

static void
paths (Server *server)
{
  server->harness = g_build_filename (g_getenv ("BEACON_SOURCE_ROOT"), "tests", "server",
                                      "kamailio-harness.sh", NULL);
  server->cli = g_build_filename (g_getenv ("BEACON_BUILD_ROOT"), "src", "cli", "beacon-cli", NULL);
}


static void
server_clear (Server *server)
{
  g_free (server->rundir);
  g_free (server->harness);
  g_free (server->cli);
  g_free (server->sip_host);
  g_free (server->sip_port);
  g_free (server->http_port);
  g_free (server->domain);
  g_free (server->xcap_root);
  g_free (server->tls_port);
  g_free (server->ca_file);
  g_free (server->other_ca_file);
}


/* Parent: start Kamailio, run @data's scenario in a subprocess, stop
 * Kamailio whatever happened. Child: run the scenario. */
void
run_scenario (gconstpointer data)
{
  Scenario scenario = (Scenario) data;
  Server server = { 0 };
  gboolean passed;

  if (g_test_subprocess ())
    {
      server.rundir = g_strdup (g_getenv ("BEACON_SCENARIO_RUNDIR"));
      paths (&server);
      read_env (&server);
      server.up = TRUE;
      scenario (&server);
      server_clear (&server);
      return;
    }

  if (g_getenv ("BEACON_SOURCE_ROOT") == NULL || g_getenv ("BEACON_BUILD_ROOT") == NULL)
    {
      g_test_skip ("BEACON_SOURCE_ROOT/BEACON_BUILD_ROOT not set (run through meson test)");
      return;
    }
  if (!g_file_test ("/usr/sbin/kamailio", G_FILE_TEST_IS_EXECUTABLE) &&
      g_find_program_in_path ("kamailio") == NULL)
    {
      g_test_skip ("kamailio is not installed");
      return;
    }
  if (scenario_tls && !g_file_test ("/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so",
                                    G_FILE_TEST_EXISTS) &&
      !g_file_test ("/usr/lib/kamailio/modules/tls.so", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("kamailio-tls-modules is not installed");
      return;
    }
  if (scenario_tls)
    g_setenv ("BEACON_HARNESS_TLS", "1", TRUE);
  else
    g_unsetenv ("BEACON_HARNESS_TLS");
  paths (&server);
  /* Kamailio's start-up sometimes loses a race on its own SQLite file
   * ("database is locked" in child_init) on a loaded machine: one more
   * try in a fresh directory. */
  for (guint attempt = 1; ; attempt++)
    {
      g_free (server.rundir);
      server.rundir = g_dir_make_tmp ("beacon-scenario-XXXXXX", NULL);
      g_assert_nonnull (server.rundir);
      {
        const char *argv[] = { "bash", server.harness, "start", server.rundir,
                               "alice:alice-secret", "bob:bob-secret", "carol:carol-secret", NULL };
        const char *stop[] = { "bash", server.harness, "stop", server.rundir, NULL };

        if (run_quiet (argv, NULL))
          break;
        run_quiet (stop, NULL);
      }
      if (attempt == 2)
        {
          g_test_fail_printf ("kamailio-harness start failed twice (see %s/kamailio.log)",
                              server.rundir);
          server_clear (&server);
          return;
        }
      g_printerr ("kamailio-harness start failed (see %s/kamailio.log); trying again\n",
                  server.rundir);
    }

  g_setenv ("BEACON_SCENARIO_RUNDIR", server.rundir, TRUE);
  g_test_trap_subprocess (NULL, 180 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  passed = g_test_trap_has_passed ();

  {
    const char *argv[] = { "bash", server.harness, "stop", server.rundir, NULL };
    run_quiet (argv, NULL);
  }
  if (passed && g_getenv ("KEEP_RUNDIR") == NULL)
    beacon_test_remove_tree (server.rundir);
  else
    g_printerr ("run directory kept: %s\n", server.rundir);
  server_clear (&server);
  g_test_trap_assert_passed ();
}

/* PUTs an XCAP document as @user; asserts 200. */
void
xcap_put (Server     *server,
          const char *user,
          const char *auid,
          const char *content_type,
          const char *document)
{
  g_autofree char *cred = g_strdup_printf ("%s:%s-secret", user, user);
  g_autofree char *url = g_strdup_printf ("%s/%s/users/sip:%s@%s/index", server->xcap_root, auid,
                                          user, server->domain);
  g_autofree char *header = g_strdup_printf ("Content-Type: %s", content_type);
  g_autofree char *code = NULL;
  const char *argv[] = { "curl", "-s", "-m", "10", "-X", "PUT", "--digest", "-u", cred,
                         "-H", header, "--data-binary", document, "-o", "/dev/null",
                         "-w", "%{http_code}", url, NULL };

  g_assert_true (run_quiet (argv, &code));
  g_assert_cmpstr (code, ==, "200");
}

/* A pres-rules document giving @handling ("allow", "block", "polite-block")
 * to each of the NULL-terminated users. */
void
put_pres_rules (Server     *server,
                const char *owner,
                const char *handling,
                ...)
{
  GString *doc = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<cr:ruleset xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\" "
    "xmlns:pr=\"urn:ietf:params:xml:ns:pres-rules\">\n"
    "<cr:rule id=\"r1\"><cr:conditions><cr:identity>");
  g_autofree char *text = NULL;
  const char *user;
  va_list args;

  va_start (args, handling);
  while ((user = va_arg (args, const char *)) != NULL)
    g_string_append_printf (doc, "<cr:one id=\"sip:%s@%s\"/>", user, server->domain);
  va_end (args);
  g_string_append_printf (doc, "</cr:identity></cr:conditions>"
    "<cr:actions><pr:sub-handling>%s</pr:sub-handling></cr:actions>"
    "<cr:transformations><pr:provide-services><pr:all-services/></pr:provide-services>"
    "<pr:provide-persons><pr:all-persons/></pr:provide-persons>"
    "<pr:provide-devices><pr:all-devices/></pr:provide-devices>"
    "<pr:provide-all-attributes/></cr:transformations></cr:rule>\n</cr:ruleset>\n", handling);
  text = g_string_free (doc, FALSE);
  xcap_put (server, owner, "pres-rules", "application/auth-policy+xml", text);
}

/* @owner's buddy list (resource-lists) and its RLS service sip:OWNER-list. */
void
put_buddy_list (Server     *server,
                const char *owner,
                ...)
{
  GString *rl = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"buddies\">");
  g_autofree char *rl_text = NULL;
  g_autofree char *rls_text = NULL;
  const char *user;
  va_list args;

  va_start (args, owner);
  while ((user = va_arg (args, const char *)) != NULL)
    g_string_append_printf (rl, "<entry uri=\"sip:%s@%s\"><display-name>%s</display-name></entry>",
                            user, server->domain, user);
  va_end (args);
  g_string_append (rl, "</list></resource-lists>\n");
  rl_text = g_string_free (rl, FALSE);
  xcap_put (server, owner, "resource-lists", "application/resource-lists+xml", rl_text);

  rls_text = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rls-services xmlns=\"urn:ietf:params:xml:ns:rls-services\">"
    "<service uri=\"sip:%s-list@%s\"><resource-list>%s/resource-lists/users/sip:%s@%s/index/~~/"
    "resource-lists/list%%5b@name=%%22buddies%%22%%5d</resource-list>"
    "<packages><package>presence</package></packages></service></rls-services>\n",
    owner, server->domain, server->xcap_root, owner, server->domain);
  xcap_put (server, owner, "rls-services", "application/rls-services+xml", rls_text);
}

