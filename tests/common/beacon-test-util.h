/* beacon-test-util.h — small helpers every test suite uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and everything below it (symlinks are removed, not
 * followed); missing paths are fine. */
void beacon_test_remove_tree (const char *path);

G_END_DECLS
