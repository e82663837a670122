/* beacon-error-words.h — what went wrong, in the user's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A sentence for @error (an engine error) in the user's language: the
 * account error codes have words of their own; the rest say what kind of
 * failure it was and keep the engine's detail after a colon. */
char *beacon_error_words   (const GError *error);
/* A message dialog over @parent: @heading, then beacon_error_words(), and
 * a Close button. */
void  beacon_error_dialog (GtkWindow    *parent,
                           const char   *heading,
                           const GError *error);

G_END_DECLS
