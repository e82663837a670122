/* bench-linphone.c — the same presence work done by linphonec, for ratios
 *
 *   bench-linphone RUNDIR --rc LINPHONERC --changes N
 *   bench-linphone RUNDIR --rc LINPHONERC --list N
 *
 * linphonec (Debian's linphone-cli) runs as alice with the friends its rc
 * file names (written by build-aux/bench.sh), under stdbuf -oL so each
 * "Friend <who> is <status>" line it prints reaches us when it is printed.
 * --changes: bob is a Beacon engine in this process and changes his status
 * N times, as in bench-latency; latency = set_presence() to linphonec's
 * line about bob. --list: linphonec has N friends b1..bN (all published);
 * time from its start to a line saying each is online.
 * linphonec's own share (NOTIFY read to line printed) is not measurable
 * from outside; the line is what its user sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "bench-common.h"

typedef struct {
  GSubprocess      *process;
  GOutputStream    *input;
  GDataInputStream *output;
  GCancellable     *cancellable;
  gboolean          eof;
  /* what the lines said */
  GHashTable       *online;      /* friend → TRUE, for --list */
  guint             wanted;
  gint64            t_all;
  gint64            t_line;      /* last line about bob */
  char             *last_status; /* ... and what it said */
  guint             bob_lines;
} Linphone;

static void read_next (Linphone *lp);

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Linphone *lp = data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);
  const char *friend, *is;

  if (line == NULL)
    {
      lp->eof = TRUE;
      return;
    }
  /* "Friend <name or address> is <status>", maybe after a prompt. */
  if ((friend = strstr (line, "Friend ")) != NULL && (is = strstr (friend, " is ")) != NULL)
    {
      g_autofree char *who = g_strndup (friend + 7, is - friend - 7);
      const char *status = is + 4;

      if (strstr (who, "bob") != NULL)
        {
          lp->t_line = bench_now_ns ();
          g_free (lp->last_status);
          lp->last_status = g_strdup (status);
          lp->bob_lines++;
        }
      if (g_str_has_prefix (status, "online") || g_str_has_prefix (status, "Online"))
        g_hash_table_add (lp->online, g_steal_pointer (&who));
      else
        g_hash_table_remove (lp->online, who);
      if (lp->wanted > 0 && lp->t_all == 0 && g_hash_table_size (lp->online) >= lp->wanted)
        lp->t_all = bench_now_ns ();
    }
  read_next (lp);
}

static void
read_next (Linphone *lp)
{
  g_data_input_stream_read_line_async (lp->output, G_PRIORITY_DEFAULT, lp->cancellable,
                                       line_read, lp);
}

static gboolean
linphone_start (Linphone   *lp,
                const char *rc,
                const char *home)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  lp->process = g_subprocess_launcher_spawn (launcher, &error, "stdbuf", "-oL", "linphonec",
                                             "-c", rc, NULL);
  if (lp->process == NULL)
    {
      g_printerr ("bench-linphone: %s\n", error->message);
      return FALSE;
    }
  lp->input = g_object_ref (g_subprocess_get_stdin_pipe (lp->process));
  lp->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (lp->process));
  lp->cancellable = g_cancellable_new ();
  lp->online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  read_next (lp);
  return TRUE;
}

static void
linphone_stop (Linphone *lp)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_output_stream_write_all (lp->input, "quit\n", 5, NULL, NULL, NULL);
  g_output_stream_close (lp->input, NULL, NULL);
  while (!lp->eof && g_get_monotonic_time () < end)
    bench_spin (20);
  if (!lp->eof)
    {
      g_subprocess_force_exit (lp->process);
      g_cancellable_cancel (lp->cancellable);
      while (!lp->eof)
        g_main_context_iteration (NULL, TRUE);
    }
  g_subprocess_wait (lp->process, NULL, NULL);
  g_clear_object (&lp->input);
  g_clear_object (&lp->output);
  g_clear_object (&lp->process);
  g_clear_object (&lp->cancellable);
  g_clear_pointer (&lp->online, g_hash_table_unref);
  g_clear_pointer (&lp->last_status, g_free);
}

static int
run_changes (BenchServer *server,
             Linphone    *lp,
             int          changes)
{
  static const BeaconStatus cycle[] = { BEACON_STATUS_BUSY, BEACON_STATUS_AWAY, BEACON_STATUS_ONLINE };
  g_autoptr(BeaconServerAccount) bob = NULL;
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *no_list = g_strdup_printf ("sip:bob-nolist@%s", server->domain);
  g_autoptr(GString) seen = g_string_new (NULL);
  gint64 end;
  guint lost = 0;

  bob = bench_account_new (server, "bob", no_list, BEACON_SIP_TRANSPORT_UDP, NULL);
  beacon_account_set_presence (BEACON_ACCOUNT (bob), BEACON_STATUS_ONLINE, "start");
  beacon_account_start (BEACON_ACCOUNT (bob));
  if (!bench_wait_online (BEACON_ACCOUNT (bob), 15000))
    return 1;
  /* Until linphonec has said something about bob. */
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (lp->bob_lines == 0 && !lp->eof && g_get_monotonic_time () < end)
    bench_spin (20);
  if (lp->bob_lines == 0)
    {
      g_printerr ("bench-linphone: linphonec never reported bob's presence\n");
      return 1;
    }
  bench_spin (500);

  for (int i = 0; i < changes; i++)
    {
      g_autofree char *note = g_strdup_printf ("change %d", i);
      guint before = lp->bob_lines;
      gint64 t0 = bench_now_ns ();

      beacon_account_set_presence (BEACON_ACCOUNT (bob), cycle[i % G_N_ELEMENTS (cycle)], note);
      end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (lp->bob_lines == before && !lp->eof && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      if (lp->bob_lines == before)
        {
          lost++;
          continue;
        }
      g_array_append_val (total, (gint64) { lp->t_line - t0 });
      if (i < 3)
        g_string_append_printf (seen, "%s%s", i ? " / " : "", lp->last_status);
      bench_spin (5);
    }
  printf ("linphonec presence latency, %d changes, %u lost (it printed: %s ...)\n", changes, lost,
          seen->str);
  bench_result ("linphone.latency.total_p50_ms", bench_percentile (total, 50) / 1e6, "ms");
  bench_result ("linphone.latency.total_p99_ms", bench_percentile (total, 99) / 1e6, "ms");
  bench_result ("linphone.latency.lost", lost, "n");
  bench_account_stop (BEACON_ACCOUNT (bob));
  return 0;
}

int
main (int    argc,
      char **argv)
{
  int changes = 0;
  int list = 0;
  int timeout_s = 120;
  g_autofree char *rc = NULL;
  GOptionEntry entries[] = {
    { "rc", 0, 0, G_OPTION_ARG_FILENAME, &rc, "linphonec configuration", "FILE" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "Time N status changes of bob", "N" },
    { "list", 0, 0, G_OPTION_ARG_INT, &list, "Wait until N friends are online", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Give up after S seconds (--list)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("RUNDIR");
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  BenchServer server = { 0 };
  Linphone lp = { 0 };
  gint64 t0;
  int status = 0;
  char name[128];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || rc == NULL ||
      (changes > 0) == (list > 0) || changes > 100000 || list > 100000 || timeout_s < 1)
    {
      g_printerr ("usage: bench-linphone RUNDIR --rc FILE (--changes N | --list N)\n");
      return 2;
    }
  bench_server_load (&server, argv[1]);
  home = g_build_filename (argv[1], "linphone-home", NULL);
  {
    g_autofree char *db_dir = g_build_filename (home, ".local", "share", "linphone", NULL);

    g_mkdir_with_parents (db_dir, 0700);
  }
  lp.wanted = list;
  t0 = bench_now_ns ();
  if (!linphone_start (&lp, rc, home))
    return 1;
  if (changes > 0)
    status = run_changes (&server, &lp, changes);
  else
    {
      gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

      while (lp.t_all == 0 && !lp.eof && g_get_monotonic_time () < end)
        bench_spin (20);
      printf ("linphonec big list: %d friends, %u reported online after %.3f s\n", list,
              g_hash_table_size (lp.online), (bench_now_ns () - t0) / 1e9);
      g_snprintf (name, sizeof name, "linphone.biglist.%d.known", list);
      bench_result (name, g_hash_table_size (lp.online), "n");
      g_snprintf (name, sizeof name, "linphone.biglist.%d.all_known_s", list);
      bench_result (name, lp.t_all ? (lp.t_all - t0) / 1e9 : -1, "s");
      status = lp.t_all ? 0 : 1;
    }
  linphone_stop (&lp);
  bench_server_clear (&server);
  return status;
}
