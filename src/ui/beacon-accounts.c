/* beacon-accounts.c — the configured accounts in GSettings
 *
 * The main schema's "accounts" key lists the ids in order; each id's
 * settings are a relocatable schema of their own. Nothing here starts an
 * account: BeaconApplication does, from these.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"

/* The keys an account has, the same names in the old single-account
 * keys of the main schema. */
static const char *const account_keys[] = {
  "mode", "lan-name", "server-aor", "server-user", "server-proxy", "server-transport",
  "server-xcap-root", "server-list-uri",
};

GSettings *
beacon_accounts_open (const char *id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  path = g_strdup_printf ("/io/github/beacon_im/Beacon/accounts/%s/", id);
  return g_settings_new_with_path (BEACON_ACCOUNT_SCHEMA_ID, path);
}

gboolean
beacon_accounts_migrate (GSettings *settings)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");
  g_autofree char *mode = g_settings_get_string (settings, "mode");
  g_autoptr(GSettings) account = NULL;
  const char *const migrated[] = { "a0", NULL };

  if (ids[0] != NULL || g_str_equal (mode, "none"))
    return FALSE;
  account = beacon_accounts_open ("a0");
  g_settings_delay (account);
  for (guint i = 0; i < G_N_ELEMENTS (account_keys); i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, account_keys[i]);
      g_settings_set_value (account, account_keys[i], value);
    }
  g_settings_apply (account);
  g_settings_set_strv (settings, "accounts", migrated);
  return TRUE;
}

char *
beacon_accounts_add (GSettings *settings)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) added = NULL;
  char *id = NULL;

  for (guint n = 0; id == NULL; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("a%u", n);

      if (!g_strv_contains ((const char *const *) ids, candidate))
        id = g_steal_pointer (&candidate);
    }
  g_strv_builder_addv (builder, (const char **) ids);
  g_strv_builder_add (builder, id);
  added = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "accounts", (const char *const *) added);
  return id;
}

static gboolean
address_in_use (char *const *ids,
                const char  *aor)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GSettings) account = beacon_accounts_open (ids[i]);
      g_autofree char *other = g_settings_get_string (account, "server-aor");

      if (g_str_equal (other, aor))
        return TRUE;
    }
  return FALSE;
}

static void
on_password_forgotten (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_account_setup_forget_account_password_finish (result, &error))
    g_message ("Could not remove the password from the keyring: %s", error->message);
}

gboolean
beacon_accounts_remove (GSettings  *settings,
                        const char *id)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autoptr(GSettings) account = NULL;
  g_autofree char *aor = NULL;

  if (!g_strv_contains ((const char *const *) ids, id))
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (builder, ids[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "accounts", (const char *const *) kept);

  account = beacon_accounts_open (id);
  aor = g_settings_get_string (account, "server-aor");
  for (guint i = 0; i < G_N_ELEMENTS (account_keys); i++)
    g_settings_reset (account, account_keys[i]);
  /* Its password, and one kept for its address before several accounts
   * existed (no id), unless another account has that address; without
   * waiting for the keyring. */
  beacon_account_setup_forget_account_password_async (id, NULL, NULL, on_password_forgotten, NULL);
  if (*aor != '\0' && !address_in_use (kept, aor))
    beacon_account_setup_forget_account_password_async (NULL, aor, NULL, on_password_forgotten, NULL);
  return TRUE;
}

char *
beacon_accounts_describe (GSettings *account_settings)
{
  g_autofree char *mode = g_settings_get_string (account_settings, "mode");

  if (g_str_equal (mode, "lan"))
    {
      g_autofree char *name = g_settings_get_string (account_settings, "lan-name");
      return g_strdup_printf (_("LAN: %s"), name);
    }
  if (g_str_equal (mode, "server"))
    {
      g_autofree char *aor = g_settings_get_string (account_settings, "server-aor");
      return g_strdup (g_str_has_prefix (aor, "sip:") ? aor + 4 : aor);
    }
  return NULL;
}
