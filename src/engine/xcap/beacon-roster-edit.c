/* beacon-roster-edit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include "beacon-roster-edit.h"

#include <string.h>

static const char *const kind_names[] = { "add", "remove", "authorize", "unblock" };
static const char *const answer_names[] = { "allow", "allow-and-add", "block", "polite-block" };

BeaconRosterEdit *
beacon_roster_edit_new (BeaconRosterEditKind  kind,
                        const char           *uri,
                        const char           *display_name,
                        BeaconAuthorization   answer)
{
  BeaconRosterEdit *edit;

  g_return_val_if_fail (uri != NULL, NULL);

  edit = g_new0 (BeaconRosterEdit, 1);
  edit->kind = kind;
  edit->uri = g_strdup (uri);
  edit->display_name = display_name != NULL && *display_name != '\0' ? g_strdup (display_name) : NULL;
  edit->answer = answer;
  return edit;
}

void
beacon_roster_edit_free (BeaconRosterEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->uri);
  g_free (edit->display_name);
  g_free (edit);
}

gboolean
beacon_roster_edit_touches_list (const BeaconRosterEdit *edit)
{
  return edit->kind == BEACON_ROSTER_EDIT_ADD || edit->kind == BEACON_ROSTER_EDIT_REMOVE ||
         (edit->kind == BEACON_ROSTER_EDIT_AUTHORIZE && edit->answer == BEACON_AUTHORIZE_ALLOW_AND_ADD);
}

gboolean
beacon_roster_edit_touches_rules (const BeaconRosterEdit *edit)
{
  return edit->kind == BEACON_ROSTER_EDIT_AUTHORIZE || edit->kind == BEACON_ROSTER_EDIT_UNBLOCK;
}

gboolean
beacon_roster_edit_apply_list (const BeaconRosterEdit *edit,
                               BeaconResourceList     *buddies)
{
  BeaconResourceEntry *entry;

  if (!beacon_roster_edit_touches_list (edit))
    return FALSE;
  if (edit->kind == BEACON_ROSTER_EDIT_REMOVE)
    return beacon_resource_list_remove_entry (buddies, edit->uri);

  entry = beacon_resource_list_find_entry (buddies, edit->uri);
  if (entry == NULL)
    return beacon_resource_list_add_entry (buddies, edit->uri, edit->display_name);
  /* No name given keeps the one there; a new name renames. */
  if (edit->display_name == NULL || g_strcmp0 (entry->display_name, edit->display_name) == 0)
    return FALSE;
  g_free (entry->display_name);
  entry->display_name = g_strdup (edit->display_name);
  return TRUE;
}

gboolean
beacon_roster_edit_apply_rules (const BeaconRosterEdit *edit,
                                BeaconPresRules        *rules)
{
  BeaconSubHandling current;

  switch (edit->kind)
    {
    case BEACON_ROSTER_EDIT_AUTHORIZE:
      return beacon_pres_rules_set_handling (rules, edit->uri, beacon_authorization_to_handling (edit->answer));
    case BEACON_ROSTER_EDIT_UNBLOCK:
      /* Only a block is undone: an allowed watcher stays allowed. */
      if (beacon_pres_rules_lookup_explicit (rules, edit->uri, &current) &&
          (current == BEACON_SUB_HANDLING_BLOCK || current == BEACON_SUB_HANDLING_POLITE_BLOCK))
        return beacon_pres_rules_remove (rules, edit->uri);
      return FALSE;
    case BEACON_ROSTER_EDIT_ADD:
    case BEACON_ROSTER_EDIT_REMOVE:
    default:
      return FALSE;
    }
}

char *
beacon_roster_edits_serialize (GPtrArray *edits,
                               gsize     *len)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  for (guint i = 0; i < edits->len; i++)
    {
      const BeaconRosterEdit *edit = g_ptr_array_index (edits, i);
      g_autofree char *group = g_strdup_printf ("edit-%05u", i);

      g_key_file_set_string (file, group, "kind", kind_names[edit->kind]);
      g_key_file_set_string (file, group, "uri", edit->uri);
      if (edit->display_name != NULL)
        g_key_file_set_string (file, group, "display-name", edit->display_name);
      if (edit->kind == BEACON_ROSTER_EDIT_AUTHORIZE)
        g_key_file_set_string (file, group, "answer", answer_names[edit->answer]);
    }
  return g_key_file_to_data (file, len, NULL);
}

static gboolean
lookup_name (const char *const *names,
             guint              n,
             const char        *value,
             guint             *out)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], value) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

GPtrArray *
beacon_roster_edits_parse (const char  *data,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_roster_edit_free);
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, error))
    return NULL;

  /* Groups come back in file order, which is the queue order. */
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *kind = g_key_file_get_string (file, groups[i], "kind", NULL);
      g_autofree char *uri = g_key_file_get_string (file, groups[i], "uri", NULL);
      g_autofree char *name = g_key_file_get_string (file, groups[i], "display-name", NULL);
      g_autofree char *answer = g_key_file_get_string (file, groups[i], "answer", NULL);
      guint k, a = BEACON_AUTHORIZE_ALLOW;

      if (uri == NULL || *uri == '\0' ||
          !lookup_name (kind_names, G_N_ELEMENTS (kind_names), kind, &k) ||
          (k == BEACON_ROSTER_EDIT_AUTHORIZE &&
           !lookup_name (answer_names, G_N_ELEMENTS (answer_names), answer, &a)))
        {
          g_debug ("skipping damaged queued edit [%s]", groups[i]);
          continue;
        }
      g_ptr_array_add (edits, beacon_roster_edit_new (k, uri, name, a));
    }
  return g_steal_pointer (&edits);
}
