/* beacon-lan-store.c — the LAN account's friends.xml and pres-rules.xml
 *
 * The same documents as the server mode keeps on XCAP: a resource-lists
 * with one list "friends", and a pres-rules ruleset. Written whole and
 * atomically (g_file_set_contents renames a temporary file over the old).
 * A file that cannot be read is moved aside (NAME.bad-TIMESTAMP), reported
 * once the account starts, and the account goes on with an empty one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

#include <errno.h>
#include <glib/gstdio.h>

#define FRIENDS_FILE   "friends.xml"
#define RULES_FILE     "pres-rules.xml"
#define FRIENDS_LIST   "friends"

static char *
store_path (BeaconLanAccount *self,
            const char       *file)
{
  return g_build_filename (self->config_dir, file, NULL);
}

/* Keeps the bad file for the user (or a bug report) and says so. */
static void
set_aside (BeaconLanAccount *self,
           const char       *path,
           const GError     *parse_error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.bad-%s", path, stamp);
  GError *error;

  if (g_rename (path, aside) != 0)
    {
      int saved = errno;
      error = g_error_new (BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           "%s cannot be read (%s) nor moved aside (%s); it will be replaced",
                           path, parse_error->message, g_strerror (saved));
    }
  else
    error = g_error_new (BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                         "%s cannot be read (%s); it was moved to %s and the list starts empty",
                         path, parse_error->message, aside);
  /* Reported through the account's "error" once it starts. */
  g_message ("%s", error->message);
  g_ptr_array_add (self->load_errors, error);
}

static char *
read_file (BeaconLanAccount *self,
           const char       *path,
           gsize            *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, len, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          /* Not damaged, just out of reach (a folder that is a file, no
           * permission): say so, and leave it alone. */
          GError *report = g_error_new (BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                                        "Your LAN lists cannot be read: %s", error->message);

          g_message ("%s", report->message);
          g_ptr_array_add (self->load_errors, report);
        }
      return NULL;
    }
  return contents;
}

BeaconResourceList *
beacon_lan_store_friend_list (BeaconLanAccount *self)
{
  return beacon_resource_lists_ensure_list (self->friends, FRIENDS_LIST);
}

void
beacon_lan_store_sync_blocked (BeaconLanAccount *self)
{
  g_autoptr(GPtrArray) blocked = beacon_pres_rules_blacklist (self->rules);

  g_ptr_array_add (blocked, NULL);
  beacon_account_set_blocked (BEACON_ACCOUNT (self), (const char *const *) blocked->pdata);
}

void
beacon_lan_store_load (BeaconLanAccount *self)
{
  BeaconBuddyList *buddies = beacon_account_get_buddies (BEACON_ACCOUNT (self));
  g_autofree char *friends_path = store_path (self, FRIENDS_FILE);
  g_autofree char *rules_path = store_path (self, RULES_FILE);
  g_autofree char *friends_xml = NULL;
  g_autofree char *rules_xml = NULL;
  BeaconResourceList *list;
  gsize len = 0;

  g_clear_pointer (&self->friends, beacon_resource_lists_free);
  g_clear_pointer (&self->rules, beacon_pres_rules_free);

  friends_xml = read_file (self, friends_path, &len);
  if (friends_xml != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->friends = beacon_resource_lists_parse (friends_xml, len, &error);
      if (self->friends == NULL)
        set_aside (self, friends_path, error);
    }
  if (self->friends == NULL)
    self->friends = beacon_resource_lists_new ();

  rules_xml = read_file (self, rules_path, &len);
  if (rules_xml != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->rules = beacon_pres_rules_parse (rules_xml, len, &error);
      if (self->rules == NULL)
        set_aside (self, rules_path, error);
    }
  if (self->rules == NULL)
    self->rules = beacon_pres_rules_new_empty ();

  list = beacon_lan_store_friend_list (self);
  for (guint i = 0; i < list->entries->len; i++)
    {
      BeaconResourceEntry *entry = list->entries->pdata[i];
      g_autofree char *uri = beacon_account_normalize_uri (entry->uri, NULL);

      if (uri != NULL)
        beacon_buddy_list_add (buddies, uri, entry->display_name);
    }
  beacon_lan_store_sync_blocked (self);
}

static gboolean
write_document (BeaconLanAccount  *self,
                const char        *file,
                const char        *contents,
                gsize              len,
                GError           **error)
{
  g_autofree char *path = store_path (self, file);

  if (g_mkdir_with_parents (self->config_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                   "Cannot create the folder %s: %s", self->config_dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, contents, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

gboolean
beacon_lan_store_save_friends (BeaconLanAccount  *self,
                               GError           **error)
{
  gsize len = 0;
  g_autofree char *xml = NULL;

  beacon_lan_store_friend_list (self);
  xml = beacon_resource_lists_build (self->friends, &len);
  return write_document (self, FRIENDS_FILE, xml, len, error);
}

gboolean
beacon_lan_store_save_rules (BeaconLanAccount  *self,
                             GError           **error)
{
  gsize len = 0;
  g_autofree char *xml = beacon_pres_rules_build (self->rules, &len);

  return write_document (self, RULES_FILE, xml, len, error);
}
