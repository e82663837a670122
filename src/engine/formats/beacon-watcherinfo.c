/* beacon-watcherinfo.c — watcher information (RFC 3858)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-watcherinfo.h"

#include <string.h>

#include "beacon-format-error.h"
#include "beacon-xml.h"

G_DEFINE_QUARK (beacon-watcher-set-error-quark, beacon_watcher_set_error)

static const char *const status_names[] = {
  [BEACON_WATCHER_STATUS_PENDING] = "pending",
  [BEACON_WATCHER_STATUS_ACTIVE] = "active",
  [BEACON_WATCHER_STATUS_WAITING] = "waiting",
  [BEACON_WATCHER_STATUS_TERMINATED] = "terminated",
};

static const char *const event_names[] = {
  [BEACON_WATCHER_EVENT_SUBSCRIBE] = "subscribe",
  [BEACON_WATCHER_EVENT_APPROVED] = "approved",
  [BEACON_WATCHER_EVENT_DEACTIVATED] = "deactivated",
  [BEACON_WATCHER_EVENT_PROBATION] = "probation",
  [BEACON_WATCHER_EVENT_REJECTED] = "rejected",
  [BEACON_WATCHER_EVENT_TIMEOUT] = "timeout",
  [BEACON_WATCHER_EVENT_GIVEUP] = "giveup",
  [BEACON_WATCHER_EVENT_NORESOURCE] = "noresource",
  [BEACON_WATCHER_EVENT_OTHER] = "other",
};

const char *
beacon_watcher_status_to_string (BeaconWatcherStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return "pending";
  return status_names[status];
}

const char *
beacon_watcher_event_to_string (BeaconWatcherEvent event)
{
  if ((guint) event >= G_N_ELEMENTS (event_names))
    return "other";
  return event_names[event];
}

BeaconWatcher *
beacon_watcher_new (const char          *id,
                    const char          *uri,
                    BeaconWatcherStatus  status,
                    BeaconWatcherEvent   event)
{
  BeaconWatcher *watcher = g_new0 (BeaconWatcher, 1);

  watcher->id = g_strdup (id);
  watcher->uri = g_strdup (uri);
  watcher->status = status;
  watcher->event = event;
  return watcher;
}

BeaconWatcher *
beacon_watcher_copy (const BeaconWatcher *watcher)
{
  BeaconWatcher *copy;

  g_return_val_if_fail (watcher != NULL, NULL);

  copy = beacon_watcher_new (watcher->id, watcher->uri, watcher->status, watcher->event);
  copy->display_name = g_strdup (watcher->display_name);
  copy->duration_subscribed = watcher->duration_subscribed;
  copy->expiration = watcher->expiration;
  return copy;
}

void
beacon_watcher_free (BeaconWatcher *watcher)
{
  if (watcher == NULL)
    return;
  g_free (watcher->id);
  g_free (watcher->uri);
  g_free (watcher->display_name);
  g_free (watcher);
}

BeaconWatcherList *
beacon_watcher_list_new (const char *resource,
                         const char *package)
{
  BeaconWatcherList *list = g_new0 (BeaconWatcherList, 1);

  list->resource = g_strdup (resource);
  list->package = g_strdup (package);
  list->watchers = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_watcher_free);
  return list;
}

void
beacon_watcher_list_free (BeaconWatcherList *list)
{
  if (list == NULL)
    return;
  g_free (list->resource);
  g_free (list->package);
  g_ptr_array_unref (list->watchers);
  g_free (list);
}

BeaconWatcherinfo *
beacon_watcherinfo_new (guint    version,
                        gboolean full)
{
  BeaconWatcherinfo *winfo = g_new0 (BeaconWatcherinfo, 1);

  winfo->version = version;
  winfo->full = full;
  winfo->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_watcher_list_free);
  return winfo;
}

void
beacon_watcherinfo_free (BeaconWatcherinfo *winfo)
{
  if (winfo == NULL)
    return;
  g_ptr_array_unref (winfo->lists);
  g_free (winfo);
}

/* ---- parsing ---------------------------------------------------------- */

/* Values go into error messages; keep those readable. */
static char *
shorten (const char *value)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (value, -1) <= 40)
    return g_strdup (value);
  head = g_utf8_substring (value, 0, 40);
  return g_strconcat (head, "…", NULL);
}

static gboolean
parse_uint32 (const char *text,
              guint      *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXUINT32)
        return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static guint
optional_uint (xmlNode    *node,
               const char *name)
{
  g_autofree char *text = beacon_xml_prop (node, name);
  guint value = 0;

  if (!parse_uint32 (text, &value))
    return 0;
  return value;
}

static char *
required_prop (xmlNode     *node,
               const char  *name,
               const char  *where,
               GError     **error)
{
  char *value = beacon_xml_prop (node, name);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "watcherinfo %s has no %s attribute", where, name);
      g_free (value);
      return NULL;
    }
  return value;
}

/* Looks @value up in @names (case-insensitively, peers vary); -1 if absent. */
static int
lookup_name (const char *const *names,
             guint              n_names,
             const char        *value)
{
  for (guint i = 0; i < n_names; i++)
    if (names[i] != NULL && g_ascii_strcasecmp (names[i], value) == 0)
      return (int) i;
  return -1;
}

static BeaconWatcher *
parse_watcher (xmlNode  *node,
               GError  **error)
{
  g_autoptr(BeaconWatcher) watcher = NULL;
  g_autofree char *id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *event = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *where = NULL;
  int status_value;
  int event_value;

  if ((id = required_prop (node, "id", "<watcher>", error)) == NULL)
    return NULL;
  {
    g_autofree char *short_id = shorten (id);

    where = g_strdup_printf ("<watcher id=\"%s\">", short_id);
  }
  if ((status = required_prop (node, "status", where, error)) == NULL ||
      (event = required_prop (node, "event", where, error)) == NULL)
    return NULL;

  status_value = lookup_name (status_names, G_N_ELEMENTS (status_names), status);
  if (status_value < 0)
    {
      g_autofree char *value = shorten (status);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "watcherinfo %s status “%s” is not pending, active, waiting or terminated",
                   where, value);
      return NULL;
    }
  /* "other" is our name for unknown events, not a value on the wire. */
  event_value = lookup_name (event_names, BEACON_WATCHER_EVENT_OTHER, event);
  if (event_value < 0)
    event_value = BEACON_WATCHER_EVENT_OTHER;

  uri = beacon_xml_text (node);
  if (uri == NULL)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "watcherinfo %s has no watcher URI", where);
      return NULL;
    }

  watcher = beacon_watcher_new (id, uri, status_value, event_value);
  watcher->display_name = beacon_xml_prop (node, "display-name");
  if (watcher->display_name != NULL && *watcher->display_name == '\0')
    g_clear_pointer (&watcher->display_name, g_free);
  watcher->duration_subscribed = optional_uint (node, "duration-subscribed");
  watcher->expiration = optional_uint (node, "expiration");
  return g_steal_pointer (&watcher);
}

static BeaconWatcherinfo *
parse_root (xmlNode  *root,
            GError  **error)
{
  g_autoptr(BeaconWatcherinfo) winfo = NULL;
  g_autofree char *version = NULL;
  g_autofree char *state = NULL;
  guint version_value = 0;
  guint count = 0;
  gboolean full;

  if (!beacon_xml_is (root, "watcherinfo"))
    {
      g_autofree char *name = shorten ((const char *) root->name);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "watcherinfo document has a <%s> root element instead of <watcherinfo>",
                   name);
      return NULL;
    }
  if ((version = required_prop (root, "version", "<watcherinfo>", error)) == NULL ||
      (state = required_prop (root, "state", "<watcherinfo>", error)) == NULL)
    return NULL;
  if (!parse_uint32 (version, &version_value))
    {
      g_autofree char *value = shorten (version);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "watcherinfo version “%s” is not an unsigned 32-bit integer", value);
      return NULL;
    }
  if (g_ascii_strcasecmp (state, "full") == 0)
    full = TRUE;
  else if (g_ascii_strcasecmp (state, "partial") == 0)
    full = FALSE;
  else
    {
      g_autofree char *value = shorten (state);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "watcherinfo state “%s” is not full or partial", value);
      return NULL;
    }

  winfo = beacon_watcherinfo_new (version_value, full);
  for (xmlNode *ln = beacon_xml_child (root, "watcher-list"); ln != NULL;
       ln = beacon_xml_next (ln, "watcher-list"))
    {
      g_autofree char *resource = required_prop (ln, "resource", "<watcher-list>", error);
      g_autofree char *package = beacon_xml_prop (ln, "package");
      BeaconWatcherList *list;

      if (resource == NULL)
        return NULL;
      /* The package only repeats what we subscribed to: tolerate its absence. */
      if (package != NULL && *package == '\0')
        g_clear_pointer (&package, g_free);
      list = beacon_watcher_list_new (resource, package);
      g_ptr_array_add (winfo->lists, list);

      for (xmlNode *wn = beacon_xml_child (ln, "watcher"); wn != NULL;
           wn = beacon_xml_next (wn, "watcher"))
        {
          BeaconWatcher *watcher;

          if (++count > BEACON_WATCHERINFO_MAX_WATCHERS)
            {
              g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                           "watcherinfo document has more than %d watchers",
                           BEACON_WATCHERINFO_MAX_WATCHERS);
              return NULL;
            }
          watcher = parse_watcher (wn, error);
          if (watcher == NULL)
            return NULL;
          g_ptr_array_add (list->watchers, watcher);
        }
    }
  return g_steal_pointer (&winfo);
}

BeaconWatcherinfo *
beacon_watcherinfo_parse (const char  *data,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  /* Oversized input goes to beacon_xml_parse() untouched to be refused. */
  if (len > 0 && len <= BEACON_XML_MAX_SIZE)
    {
      repaired = beacon_xml_repair (data, len, BEACON_XML_REPAIR_GLUE, NULL, &repaired_len);
      data = repaired;
      len = repaired_len;
    }
  /* Strict: recovery would turn a truncated full document into a shorter
   * one, silently forgetting the watchers after the cut. */
  doc = beacon_xml_parse (data, len, BEACON_XML_STRICT, error);
  if (doc == NULL)
    return NULL;
  return parse_root (xmlDocGetRootElement (doc), error);
}

/* ---- building --------------------------------------------------------- */

static void
set_prop (xmlNode    *node,
          const char *name,
          const char *value)
{
  if (value != NULL)
    xmlNewProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

static void
set_uint_prop (xmlNode    *node,
               const char *name,
               guint       value)
{
  char buf[16];

  if (value == 0)
    return;
  g_snprintf (buf, sizeof buf, "%u", value);
  set_prop (node, name, buf);
}

char *
beacon_watcherinfo_build (const BeaconWatcherinfo *winfo,
                          gsize                   *len)
{
  g_autoptr(xmlDoc) doc = NULL;
  char version[16];
  xmlNode *root;
  xmlNs *ns;

  g_return_val_if_fail (winfo != NULL, NULL);

  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewDocNode (doc, NULL, (const xmlChar *) "watcherinfo", NULL);
  ns = xmlNewNs (root, (const xmlChar *) BEACON_WATCHERINFO_NAMESPACE, NULL);
  xmlSetNs (root, ns);
  xmlDocSetRootElement (doc, root);

  g_snprintf (version, sizeof version, "%u", winfo->version);
  set_prop (root, "version", version);
  set_prop (root, "state", winfo->full ? "full" : "partial");

  for (guint i = 0; winfo->lists != NULL && i < winfo->lists->len; i++)
    {
      const BeaconWatcherList *list = g_ptr_array_index (winfo->lists, i);
      xmlNode *ln = xmlNewChild (root, ns, (const xmlChar *) "watcher-list", NULL);

      set_prop (ln, "resource", list->resource);
      set_prop (ln, "package", list->package);
      for (guint k = 0; list->watchers != NULL && k < list->watchers->len; k++)
        {
          const BeaconWatcher *w = g_ptr_array_index (list->watchers, k);
          xmlNode *wn = xmlNewTextChild (ln, ns, (const xmlChar *) "watcher",
                                         (const xmlChar *) w->uri);

          set_prop (wn, "id", w->id);
          set_prop (wn, "status", beacon_watcher_status_to_string (w->status));
          set_prop (wn, "event", beacon_watcher_event_to_string (w->event));
          set_prop (wn, "display-name", w->display_name);
          set_uint_prop (wn, "duration-subscribed", w->duration_subscribed);
          set_uint_prop (wn, "expiration", w->expiration);
        }
    }
  return beacon_xml_to_string (doc, len);
}

static gboolean
needs_answer (const BeaconWatcher *watcher)
{
  return watcher->status == BEACON_WATCHER_STATUS_PENDING ||
         watcher->status == BEACON_WATCHER_STATUS_WAITING;
}

GPtrArray *
beacon_watcherinfo_pending (const BeaconWatcherinfo *winfo)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_watcher_free);

  g_return_val_if_fail (winfo != NULL, pending);

  for (guint i = 0; i < winfo->lists->len; i++)
    {
      const BeaconWatcherList *list = g_ptr_array_index (winfo->lists, i);

      for (guint k = 0; k < list->watchers->len; k++)
        {
          const BeaconWatcher *watcher = g_ptr_array_index (list->watchers, k);

          if (needs_answer (watcher))
            g_ptr_array_add (pending, beacon_watcher_copy (watcher));
        }
    }
  return pending;
}

/* ---- BeaconWatcherSet -------------------------------------------------- */

BeaconWatcherSet *
beacon_watcher_set_new (void)
{
  BeaconWatcherSet *set = g_new0 (BeaconWatcherSet, 1);

  set->watchers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) beacon_watcher_free);
  return set;
}

void
beacon_watcher_set_free (BeaconWatcherSet *set)
{
  if (set == NULL)
    return;
  g_hash_table_unref (set->watchers);
  g_free (set);
}

/* Which of two subscriptions of one URI in one document to keep. */
static int
status_rank (BeaconWatcherStatus status)
{
  switch (status)
    {
    case BEACON_WATCHER_STATUS_PENDING:
      return 3;
    case BEACON_WATCHER_STATUS_WAITING:
      return 2;
    case BEACON_WATCHER_STATUS_ACTIVE:
      return 1;
    case BEACON_WATCHER_STATUS_TERMINATED:
    default:
      return 0;
    }
}

/* Collects the watchers of @winfo by URI, one per URI (see the header). */
static GHashTable *
collect_by_uri (const BeaconWatcherinfo *winfo)
{
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) beacon_watcher_free);

  for (guint i = 0; i < winfo->lists->len; i++)
    {
      const BeaconWatcherList *list = g_ptr_array_index (winfo->lists, i);

      for (guint k = 0; k < list->watchers->len; k++)
        {
          const BeaconWatcher *watcher = g_ptr_array_index (list->watchers, k);
          const BeaconWatcher *old = g_hash_table_lookup (seen, watcher->uri);

          if (old != NULL && status_rank (old->status) >= status_rank (watcher->status))
            continue;
          g_hash_table_replace (seen, g_strdup (watcher->uri), beacon_watcher_copy (watcher));
        }
    }
  return seen;
}

gboolean
beacon_watcher_set_apply (BeaconWatcherSet         *set,
                          const BeaconWatcherinfo  *winfo,
                          GError                  **error)
{
  g_autoptr(GHashTable) incoming = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (winfo != NULL, FALSE);

  if (!winfo->full)
    {
      if (!set->have_version)
        {
          g_set_error (error, BEACON_WATCHER_SET_ERROR, BEACON_WATCHER_SET_ERROR_RESUBSCRIBE,
                       "Partial watcherinfo version %u arrived before any full state; "
                       "resubscribe to presence.winfo", winfo->version);
          return FALSE;
        }
      if (winfo->version <= set->version)
        return TRUE;  /* stale or repeated */
      if ((guint64) winfo->version != (guint64) set->version + 1)
        {
          g_set_error (error, BEACON_WATCHER_SET_ERROR, BEACON_WATCHER_SET_ERROR_RESUBSCRIBE,
                       "Watcherinfo jumped from version %u to %u, a notification was "
                       "missed; resubscribe to presence.winfo", set->version, winfo->version);
          return FALSE;
        }
    }

  incoming = collect_by_uri (winfo);
  if (winfo->full)
    g_hash_table_remove_all (set->watchers);
  g_hash_table_iter_init (&iter, incoming);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (set->watchers, key, value);
    }
  set->version = winfo->version;
  set->have_version = TRUE;
  return TRUE;
}

const BeaconWatcher *
beacon_watcher_set_lookup (const BeaconWatcherSet *set,
                           const char             *uri)
{
  g_return_val_if_fail (set != NULL, NULL);

  if (uri == NULL)
    return NULL;
  return g_hash_table_lookup (set->watchers, uri);
}

static int
compare_by_uri (gconstpointer a,
                gconstpointer b)
{
  const BeaconWatcher *wa = *(const BeaconWatcher *const *) a;
  const BeaconWatcher *wb = *(const BeaconWatcher *const *) b;

  return g_strcmp0 (wa->uri, wb->uri);
}

GPtrArray *
beacon_watcher_set_pending (const BeaconWatcherSet *set)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_watcher_free);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (set != NULL, pending);

  g_hash_table_iter_init (&iter, set->watchers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (needs_answer (value))
      g_ptr_array_add (pending, beacon_watcher_copy (value));
  g_ptr_array_sort (pending, compare_by_uri);
  return pending;
}
