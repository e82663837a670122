/* beacon-account-setup.c — the account the settings describe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "beacon-account-setup.h"

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    BEACON_APP_ID ".Password", SECRET_SCHEMA_NONE,
    {
      { "aor", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

gboolean
beacon_account_setup_store_password (const char  *aor,
                                     const char  *password,
                                     GError     **error)
{
  g_autofree char *label = g_strdup_printf (_("Beacon password for %s"), aor);

  return secret_password_store_sync (password_schema (), SECRET_COLLECTION_DEFAULT, label,
                                     password, NULL, error, "aor", aor, NULL);
}

char *
beacon_account_setup_lookup_password (const char  *aor,
                                      GError     **error)
{
  return secret_password_lookup_sync (password_schema (), NULL, error, "aor", aor, NULL);
}

BeaconAccount *
beacon_account_setup_create (GSettings  *settings,
                             GError    **error)
{
  g_autofree char *mode = g_settings_get_string (settings, "mode");

  if (g_str_equal (mode, "none"))
    return NULL;

  g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
               _("The “%s” mode is not available in this build"), mode);
  return NULL;
}
