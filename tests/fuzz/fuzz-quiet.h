/* fuzz-quiet.h — keeps the engine's g_message/g_info/g_debug out of a
 * fuzz run's output (warnings and criticals still show, and still abort
 * under G_DEBUG=fatal-criticals)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

static void
fuzz_quiet_log (const char     *domain,
                GLogLevelFlags  level,
                const char     *message,
                gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_log_default_handler (domain, level, message, user_data);
}

static inline void
fuzz_quiet (void)
{
  static gboolean done;

  if (!done)
    g_log_set_default_handler (fuzz_quiet_log, NULL);
  done = TRUE;
}
