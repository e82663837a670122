/* lan-discovery-probe.c — BeaconAvahiDiscovery on the command line
 *
 *   lan-discovery-probe INSTANCE AOR PORT [DISPLAY-NAME]
 *
 * Starts discovery (announce INSTANCE for AOR on PORT, browse) and prints
 * one line per signal on stdout, tab-separated:
 *   appeared <instance> <aor> <address> <port> <status> <name or ->
 *   vanished <instance>
 *   renamed  <new instance>
 *   failed   <message>
 * Commands on stdin, one a line:
 *   status online|busy|away|offline [display name]
 *   stop | start | quit
 * "stop" withdraws (goodbye) and "start" announces again under the last
 * name. End of input is "quit". Used by test-discovery.py in the
 * namespaces of netns-harness.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>

#include "lan/beacon-avahi-discovery.h"

typedef struct
{
  BeaconLanDiscovery *discovery;
  GDataInputStream   *input;
  GMainLoop          *loop;
  char               *instance;
  char               *aor;
  guint16             port;
} Probe;

static void
on_appeared (BeaconLanDiscovery  *discovery,
             const BeaconLanPeer *peer,
             Probe               *probe)
{
  printf ("appeared\t%s\t%s\t%s\t%u\t%s\t%s\n", peer->instance, peer->aor, peer->address,
          peer->port, beacon_status_to_string (peer->status),
          peer->display_name != NULL ? peer->display_name : "-");
}

static void
on_vanished (BeaconLanDiscovery *discovery,
             const char         *instance,
             Probe              *probe)
{
  printf ("vanished\t%s\n", instance);
}

static void
on_renamed (BeaconLanDiscovery *discovery,
            const char         *instance,
            Probe              *probe)
{
  g_free (probe->instance);
  probe->instance = g_strdup (instance);
  printf ("renamed\t%s\n", instance);
}

static void
on_failed (BeaconLanDiscovery *discovery,
           const GError       *error,
           Probe              *probe)
{
  printf ("failed\t%s\n", error->message);
}

static void read_command (Probe *probe);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Probe *probe = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (probe->input, result, NULL, &error);
  g_auto (GStrv) words = NULL;

  if (line == NULL || g_str_equal (g_strstrip (line), "quit"))
    {
      g_main_loop_quit (probe->loop);
      return;
    }
  words = g_strsplit (line, " ", 3);
  if (words[0] == NULL)
    ; /* empty line */
  else if (g_str_equal (words[0], "status") && words[1] != NULL)
    {
      BeaconStatus status;
      if (beacon_status_from_string (words[1], &status))
        beacon_lan_discovery_set_status (probe->discovery, status, words[2]);
      else
        printf ("error\tunknown status %s\n", words[1]);
    }
  else if (g_str_equal (words[0], "stop"))
    beacon_lan_discovery_stop (probe->discovery);
  else if (g_str_equal (words[0], "start"))
    beacon_lan_discovery_start (probe->discovery, probe->instance, probe->aor, probe->port);
  else if (*words[0] != '\0')
    printf ("error\tunknown command %s\n", words[0]);
  read_command (probe);
}

static void
read_command (Probe *probe)
{
  g_data_input_stream_read_line_async (probe->input, G_PRIORITY_DEFAULT, NULL, on_line, probe);
}

int
main (int   argc,
      char *argv[])
{
  Probe probe = { 0 };
  g_autoptr (GInputStream) stdin_stream = NULL;
  guint64 port;

  if (argc < 4 || argc > 5 || !g_ascii_string_to_unsigned (argv[3], 10, 1, 65535, &port, NULL))
    {
      fprintf (stderr, "usage: %s INSTANCE AOR PORT [DISPLAY-NAME]\n", argv[0]);
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);

  probe.instance = g_strdup (argv[1]);
  probe.aor = g_strdup (argv[2]);
  probe.port = (guint16)port;
  probe.loop = g_main_loop_new (NULL, FALSE);
  stdin_stream = g_unix_input_stream_new (0, FALSE);
  probe.input = g_data_input_stream_new (stdin_stream);
  probe.discovery = beacon_avahi_discovery_new ();
  g_signal_connect (probe.discovery, "peer-appeared", G_CALLBACK (on_appeared), &probe);
  g_signal_connect (probe.discovery, "peer-vanished", G_CALLBACK (on_vanished), &probe);
  g_signal_connect (probe.discovery, "renamed", G_CALLBACK (on_renamed), &probe);
  g_signal_connect (probe.discovery, "failed", G_CALLBACK (on_failed), &probe);

  if (argc == 5)
    beacon_lan_discovery_set_status (probe.discovery, BEACON_STATUS_ONLINE, argv[4]);
  beacon_lan_discovery_start (probe.discovery, probe.instance, probe.aor, probe.port);
  read_command (&probe);
  g_main_loop_run (probe.loop);

  beacon_lan_discovery_stop (probe.discovery);
  g_clear_object (&probe.discovery);
  g_clear_object (&probe.input);
  g_main_loop_unref (probe.loop);
  g_free (probe.instance);
  g_free (probe.aor);
  printf ("bye\n");
  return 0;
}
