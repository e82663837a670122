/* beacon-cli-commands.h — one entry point per beacon-cli command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Each takes the arguments after "beacon-cli" (argv[0] is the command
 * name) and returns the process exit status. */
#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
