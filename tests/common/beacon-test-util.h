/* beacon-test-util.h — small helpers every test suite uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deletes @path and everything below it (symlinks are removed, not
 * followed); missing paths are fine. */
void        beacon_test_remove_tree (const char *path);

/* The KEY=VALUE lines of @path (e.g. the RUNDIR/env that
 * tests/server/kamailio-harness.sh writes) as KEY → VALUE; NULL with
 * @error when the file cannot be read. */
GHashTable *beacon_test_read_env    (const char  *path,
                                     GError     **error);

/* The bytes of the fixture tests/data/@dir/@name (NUL-terminated, *@len
 * without the NUL when @len is not NULL); fails the test when it cannot be
 * read. */
char       *beacon_test_load_fixture (const char *dir,
                                      const char *name,
                                      gsize      *len);

G_END_DECLS
