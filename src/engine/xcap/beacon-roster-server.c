/* beacon-roster-server.c — BeaconRoster talking to the XCAP server:
 * reading (and bootstrapping) the documents, and writing one edit with
 * re-read-and-re-apply on 409/412
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-xcap"

#include <string.h>

#include "beacon-roster-private.h"

/* ---- reading one document, creating it when missing ---- */

typedef struct {
  BeaconRosterDoc  doc;
  guint            tries;
  GBytes          *put;  /* the bootstrap document being written */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_pointer (&fetch->put, g_bytes_unref);
  g_free (fetch);
}

static void fetch_get (GTask *task);

static GError *
gave_up (BeaconRosterDoc doc)
{
  return g_error_new (BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT,
                      "The %s document kept changing on the server while Beacon was "
                      "writing it; gave up after %d tries, try again later",
                      beacon_roster_doc_auid (doc), BEACON_ROSTER_MAX_TRIES);
}

static gboolean
is_conflict (const GError *error)
{
  /* 404 too: the document or the list vanished under us; re-read. */
  return g_error_matches (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT) ||
         g_error_matches (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_NOT_FOUND);
}

static void
on_fetch_put (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconRoster *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (beacon_xcap_client_put_finish (BEACON_XCAP_CLIENT (source), result, NULL, &error))
    {
      g_debug ("bootstrapped %s", beacon_roster_doc_auid (fetch->doc));
      beacon_roster_set_doc (self, fetch->doc, fetch->put);
      g_task_return_boolean (task, TRUE);
    }
  else if (is_conflict (error) && ++fetch->tries < BEACON_ROSTER_MAX_TRIES)
    fetch_get (g_steal_pointer (&task));
  else if (is_conflict (error))
    g_task_return_error (task, gave_up (fetch->doc));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_fetch_got (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GCancellable *cancellable;
  g_autoptr(GTask) task = user_data;
  BeaconRoster *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) current = NULL;
  BeaconRosterIdentity identity = {
    beacon_xcap_client_get_root (self->client),
    beacon_xcap_client_get_xui (self->client),
    self->service_uri,
  };

  current = beacon_xcap_client_get_finish (BEACON_XCAP_CLIENT (source), result, NULL, &error);
  if (current == NULL && !g_error_matches (error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  /* Unreadable: report it and keep the last good copy. */
  g_clear_pointer (&fetch->put, g_bytes_unref);
  fetch->put = beacon_roster_doc_bootstrap (fetch->doc, current, &identity, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (fetch->put == NULL)
    {
      beacon_roster_set_doc (self, fetch->doc, current);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* The cancellable first: argument order is unspecified, and the task
   * is stolen in the same call. */
  cancellable = g_task_get_cancellable (task);
  beacon_xcap_client_put_async (self->client, beacon_roster_doc_auid (fetch->doc),
                                BEACON_ROSTER_DOCUMENT, NULL, fetch->put,
                                cancellable, on_fetch_put, g_steal_pointer (&task));
}

static void
fetch_get (GTask *task)
{
  BeaconRoster *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  beacon_xcap_client_get_async (self->client, beacon_roster_doc_auid (fetch->doc),
                                BEACON_ROSTER_DOCUMENT, NULL, g_task_get_cancellable (task),
                                on_fetch_got, task);
}

static void
fetch_doc_async (BeaconRoster        *self,
                 BeaconRosterDoc      doc,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->doc = doc;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch_get (task);
}

/* ---- refresh: all three documents ---- */

static void
on_refresh_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconRoster *self = BEACON_ROSTER (source);
  BeaconRosterDoc *next = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (++*next < BEACON_ROSTER_N_DOCS)
    {
      fetch_doc_async (self, *next, on_refresh_fetched, g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
beacon_roster_refresh_async (BeaconRoster        *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);

  g_task_set_task_data (task, g_new0 (BeaconRosterDoc, 1), g_free);
  fetch_doc_async (self, 0, on_refresh_fetched, task);
}

/* ---- one edit: pres-rules first, then the friends list ---- */

typedef enum {
  PHASE_RULES,
  PHASE_LIST,
  PHASE_DONE,
} Phase;

typedef struct {
  BeaconRosterEdit *edit;     /* a copy */
  Phase             phase;
  guint             tries;
  BeaconRosterDoc   writing;
  GBytes           *new_doc;  /* the server's document once the write is done */
  gboolean          deleting;
} EditRun;

static void
edit_run_free (EditRun *run)
{
  beacon_roster_edit_free (run->edit);
  g_clear_pointer (&run->new_doc, g_bytes_unref);
  g_free (run);
}

static void edit_continue (GTask *task);

static void
on_edit_refetched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    edit_continue (task);
}

static void
on_edit_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BeaconRoster *self = g_task_get_source_object (task);
  EditRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (run->deleting)
    ok = beacon_xcap_client_delete_finish (BEACON_XCAP_CLIENT (source), result, NULL, &error);
  else
    ok = beacon_xcap_client_put_finish (BEACON_XCAP_CLIENT (source), result, NULL, &error);

  if (ok)
    {
      beacon_roster_set_doc (self, run->writing, run->new_doc);
      run->phase++;
      run->tries = 0;
      edit_continue (task);
    }
  else if (is_conflict (error) && ++run->tries < BEACON_ROSTER_MAX_TRIES)
    {
      /* Someone else changed the document: read it, apply the same edit. */
      g_debug ("%s changed on the server (%s); re-reading", beacon_roster_doc_auid (run->writing),
               error->message);
      fetch_doc_async (self, run->writing, on_edit_refetched, g_steal_pointer (&task));
    }
  else if (is_conflict (error))
    g_task_return_error (task, gave_up (run->writing));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static GBytes *
bytes_take (char  *text,
            gsize  len)
{
  return g_bytes_new_take (text, len);
}

/* Starts the pres-rules write; FALSE when there is nothing to write. */
static gboolean
start_rules_write (BeaconRoster  *self,
                   GTask         *task,
                   GError       **error)
{
  EditRun *run = g_task_get_task_data (task);
  g_autoptr(BeaconPresRules) rules = NULL;
  char *text;
  gsize len;

  rules = beacon_roster_docs_read_rules (self->docs[BEACON_ROSTER_DOC_RULES], error);
  if (rules == NULL || !beacon_roster_edit_apply_rules (run->edit, rules))
    return FALSE;

  text = beacon_pres_rules_build (rules, &len);
  g_clear_pointer (&run->new_doc, g_bytes_unref);
  run->new_doc = bytes_take (text, len);
  run->writing = BEACON_ROSTER_DOC_RULES;
  run->deleting = FALSE;
  /* Kamailio cannot select cr: elements: always the whole document. */
  beacon_xcap_client_put_async (self->client, "pres-rules", BEACON_ROSTER_DOCUMENT, NULL,
                                run->new_doc, g_task_get_cancellable (task),
                                on_edit_written, g_object_ref (task));
  return TRUE;
}

/* `resource-lists/list[@name="buddies"]/entry[@uri="URI"]`, unencoded;
 * NULL when @uri holds both quote characters. */
static char *
entry_selector (const char *uri)
{
  char quote = strchr (uri, '"') == NULL ? '"' : '\'';

  if (quote == '\'' && strchr (uri, '\'') != NULL)
    return NULL;
  return g_strdup_printf ("resource-lists/list[@name=\"%s\"]/entry[@uri=%c%s%c]",
                          BEACON_ROSTER_LIST_NAME, quote, uri, quote);
}

/* Starts the friends-list write; FALSE when there is nothing to write. */
static gboolean
start_list_write (BeaconRoster  *self,
                  GTask         *task,
                  GError       **error)
{
  EditRun *run = g_task_get_task_data (task);
  g_autoptr(BeaconResourceLists) lists = NULL;
  g_autofree char *selector = NULL;
  g_autofree char *stored_uri = NULL;
  g_autofree char *url = NULL;
  BeaconResourceList *buddies;
  BeaconResourceEntry *entry;
  gboolean whole;
  char *text;
  gsize len;

  lists = beacon_roster_docs_read_lists (self->docs[BEACON_ROSTER_DOC_LISTS], error);
  if (lists == NULL)
    return FALSE;
  buddies = beacon_roster_docs_buddies (lists);
  whole = buddies == NULL;
  if (buddies == NULL)
    buddies = beacon_resource_lists_ensure_list (lists, BEACON_ROSTER_LIST_NAME);

  /* The selector must spell the uri as the document does. */
  entry = beacon_resource_list_find_entry (buddies, run->edit->uri);
  stored_uri = g_strdup (entry != NULL ? entry->uri : run->edit->uri);
  if (!beacon_roster_edit_apply_list (run->edit, buddies))
    return FALSE;

  text = beacon_resource_lists_build (lists, &len);
  g_clear_pointer (&run->new_doc, g_bytes_unref);
  run->new_doc = bytes_take (text, len);
  run->writing = BEACON_ROSTER_DOC_LISTS;
  run->deleting = FALSE;

  /* An element write where possible (what the server's RLS expects and
   * the smallest change); the whole document when the selector cannot be
   * written or would make the URI too long for the server. */
  selector = entry_selector (stored_uri);
  if (selector != NULL)
    url = beacon_xcap_client_build_uri (self->client, "resource-lists", BEACON_ROSTER_DOCUMENT,
                                        selector, NULL);
  if (whole || url == NULL)
    {
      g_debug ("writing the whole resource-lists document for %s", run->edit->uri);
      beacon_xcap_client_put_async (self->client, "resource-lists", BEACON_ROSTER_DOCUMENT, NULL,
                                    run->new_doc, g_task_get_cancellable (task),
                                    on_edit_written, g_object_ref (task));
    }
  else if (run->edit->kind == BEACON_ROSTER_EDIT_REMOVE)
    {
      run->deleting = TRUE;
      beacon_xcap_client_delete_async (self->client, "resource-lists", BEACON_ROSTER_DOCUMENT,
                                       selector, g_task_get_cancellable (task),
                                       on_edit_written, g_object_ref (task));
    }
  else
    {
      g_autoptr(GBytes) body = NULL;

      entry = beacon_resource_list_find_entry (buddies, run->edit->uri);
      text = beacon_resource_entry_build_element (stored_uri, entry->display_name);
      body = g_bytes_new_take (text, strlen (text));
      beacon_xcap_client_put_async (self->client, "resource-lists", BEACON_ROSTER_DOCUMENT,
                                    selector, body, g_task_get_cancellable (task),
                                    on_edit_written, g_object_ref (task));
    }
  return TRUE;
}

/* Borrows @task: a started request holds its own reference. */
static void
edit_continue (GTask *task)
{
  BeaconRoster *self = g_task_get_source_object (task);
  EditRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (run->phase == PHASE_RULES)
    {
      if (beacon_roster_edit_touches_rules (run->edit) && start_rules_write (self, task, &error))
        return;
      if (error != NULL)
        goto failed;
      run->phase = PHASE_LIST;
      run->tries = 0;
    }
  if (run->phase == PHASE_LIST)
    {
      if (beacon_roster_edit_touches_list (run->edit) && start_list_write (self, task, &error))
        return;
      if (error != NULL)
        goto failed;
      run->phase = PHASE_DONE;
    }
  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

void
beacon_roster_run_edit_async (BeaconRoster           *self,
                              const BeaconRosterEdit *edit,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  EditRun *run = g_new0 (EditRun, 1);

  run->edit = beacon_roster_edit_new (edit->kind, edit->uri, edit->display_name, edit->answer);
  g_task_set_task_data (task, run, (GDestroyNotify) edit_run_free);
  edit_continue (task);
  g_object_unref (task);
}
