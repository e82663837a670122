/* beacon-cli-commands.h — one entry point per beacon-cli command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Each takes the arguments after "beacon-cli" (argv[0] is the command
 * name) and returns the process exit status. */
#include <glib.h>

G_BEGIN_DECLS

/* run: a server-mode account driven from stdin, events as JSON lines. */
int beacon_cli_run (int    argc,
                    char **argv);

/* decode: a SIP message or body from a file or stdin, as one JSON object. */
int beacon_cli_decode (int    argc,
                       char **argv);

G_END_DECLS
