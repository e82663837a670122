/* fake-secret-service.h — a Secret Service (org.freedesktop.secrets) on
 * the test's own session bus, in a thread of its own, holding passwords in
 * memory: enough of the API for libsecret's secret_password_*() calls
 * (plain sessions, the default collection, search, secrets, create,
 * delete).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FakeSecretService FakeSecretService;

/* Owns org.freedesktop.secrets; returns once it is owned. */
FakeSecretService *fake_secret_service_start (void);
void               fake_secret_service_stop  (FakeSecretService *self);
/* How many items hold exactly these attributes (NULL-terminated
 * name, value pairs) among others. */
guint              fake_secret_service_count (FakeSecretService *self,
                                              ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
