/* beacon-buddy-groups.c — the buddy list's groups, sorted and searched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <string.h>

#include <glib/gi18n.h>

#include "beacon-buddy-groups.h"
#include "beacon-status-names.h"

struct _BeaconBuddyGroups
{
  GObject           parent_instance;

  GListModel       *buddies;
  GListModel       *nearby_source;
  GListModel       *blocked_source;  /* the account's blacklist, or NULL */
  GHashTable       *blocked_uris;    /* lower-cased URIs of blocked_source */
  char             *needle;          /* casefolded search, NULL: none */
  guint             refresh_id;

  GtkSorter        *sorter;
  GtkFilter        *search;
  GtkFilter        *friend_filter;
  GtkFilter        *pending_filter;
  GtkFilter        *blocked_filter;
  GtkSortListModel *sorted;
  GtkSortListModel *nearby_sorted;
  GListModel       *friends;
  GListModel       *pending;
  GListModel       *nearby;
  GListModel       *blocked;
  GListStore       *headers[4];      /* friends, pending, nearby, blocked: 0 or 1 title */
  GListModel       *sections;
};

enum { FRIENDS, PENDING, NEARBY, BLOCKED };

G_DEFINE_FINAL_TYPE (BeaconBuddyGroups, beacon_buddy_groups, G_TYPE_OBJECT)

int
beacon_buddy_groups_compare (BeaconBuddy *a,
                             BeaconBuddy *b)
{
  int rank = beacon_status_rank (beacon_buddy_get_status (a)) -
             beacon_status_rank (beacon_buddy_get_status (b));

  if (rank == 0)
    rank = g_utf8_collate (beacon_buddy_get_display_name (a), beacon_buddy_get_display_name (b));
  if (rank == 0)
    rank = g_strcmp0 (beacon_buddy_get_uri (a), beacon_buddy_get_uri (b));
  return rank;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  int rank = beacon_buddy_groups_compare ((BeaconBuddy *) a, (BeaconBuddy *) b);

  return rank < 0 ? GTK_ORDERING_SMALLER : rank > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static gboolean
matches_search (gpointer item,
                gpointer user_data)
{
  BeaconBuddyGroups *self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *uri = NULL;

  if (self->needle == NULL)
    return TRUE;
  name = g_utf8_casefold (beacon_buddy_get_display_name (item), -1);
  uri = g_utf8_casefold (beacon_buddy_get_uri (item), -1);
  return strstr (name, self->needle) != NULL || strstr (uri, self->needle) != NULL;
}

static gboolean
is_blocked (gpointer item,
            gpointer user_data)
{
  BeaconBuddyGroups *self = user_data;
  g_autofree char *key = NULL;

  /* The usual case, and each of three filters asks for every buddy. */
  if (g_hash_table_size (self->blocked_uris) == 0)
    return FALSE;
  key = g_ascii_strdown (beacon_buddy_get_uri (item), -1);
  return g_hash_table_contains (self->blocked_uris, key);
}

/* A blocked friend is in "Blocked" only, whatever their subscription. */
static gboolean
is_pending (gpointer item,
            gpointer user_data)
{
  return beacon_buddy_get_subscription (item) == BEACON_SUBSCRIPTION_PENDING &&
         !is_blocked (item, user_data);
}

static gboolean
is_friend (gpointer item,
           gpointer user_data)
{
  return beacon_buddy_get_subscription (item) != BEACON_SUBSCRIPTION_PENDING &&
         !is_blocked (item, user_data);
}

void
beacon_buddy_groups_refresh (BeaconBuddyGroups *self)
{
  g_return_if_fail (BEACON_IS_BUDDY_GROUPS (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->friend_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->pending_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->blocked_filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
refresh_on_idle (gpointer user_data)
{
  BeaconBuddyGroups *self = user_data;

  self->refresh_id = 0;
  beacon_buddy_groups_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_buddy_notify (BeaconBuddyGroups *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_on_idle, self);
}

static void
watch (BeaconBuddyGroups *self,
       GListModel        *model,
       guint              position,
       guint              added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);

      g_signal_handlers_disconnect_by_func (buddy, on_buddy_notify, self);
      g_signal_connect_object (buddy, "notify", G_CALLBACK (on_buddy_notify), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
on_items_changed (GListModel        *model,
                  guint              position,
                  guint              removed,
                  guint              added,
                  BeaconBuddyGroups *self)
{
  watch (self, model, position, added);
}

static void
set_source (BeaconBuddyGroups  *self,
            GListModel        **slot,
            GtkSortListModel   *sorted,
            GListModel         *model)
{
  if (*slot == model)
    return;
  if (*slot != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (*slot); i++)
        {
          g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (*slot, i);

          g_signal_handlers_disconnect_by_func (buddy, on_buddy_notify, self);
        }
      g_signal_handlers_disconnect_by_data (*slot, self);
    }
  g_set_object (slot, model);
  if (model != NULL)
    {
      watch (self, model, 0, g_list_model_get_n_items (model));
      g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self, 0);
    }
  gtk_sort_list_model_set_model (sorted, model);
}

void
beacon_buddy_groups_set_sources (BeaconBuddyGroups *self,
                                 GListModel        *buddies,
                                 GListModel        *nearby)
{
  g_return_if_fail (BEACON_IS_BUDDY_GROUPS (self));

  set_source (self, &self->buddies, self->sorted, buddies);
  set_source (self, &self->nearby_source, self->nearby_sorted, nearby);
}

static void
on_blocked_changed (BeaconBuddyGroups *self)
{
  gboolean was_empty = g_hash_table_size (self->blocked_uris) == 0;

  g_hash_table_remove_all (self->blocked_uris);
  for (guint i = 0; self->blocked_source != NULL && i < g_list_model_get_n_items (self->blocked_source); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (self->blocked_source, i);

      g_hash_table_add (self->blocked_uris, g_ascii_strdown (beacon_buddy_get_uri (buddy), -1));
    }
  /* The order does not change, only who is in which group; nothing at
   * all for an empty blacklist that stays empty (start-up). */
  if (was_empty && g_hash_table_size (self->blocked_uris) == 0)
    return;
  gtk_filter_changed (self->friend_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->pending_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->blocked_filter, GTK_FILTER_CHANGE_DIFFERENT);
}

void
beacon_buddy_groups_set_blocked (BeaconBuddyGroups *self,
                                 GListModel        *blocked)
{
  g_return_if_fail (BEACON_IS_BUDDY_GROUPS (self));

  if (self->blocked_source == blocked)
    return;
  if (self->blocked_source != NULL)
    g_signal_handlers_disconnect_by_func (self->blocked_source, on_blocked_changed, self);
  g_set_object (&self->blocked_source, blocked);
  if (blocked != NULL)
    g_signal_connect_object (blocked, "items-changed", G_CALLBACK (on_blocked_changed), self,
                             G_CONNECT_SWAPPED);
  on_blocked_changed (self);
}

void
beacon_buddy_groups_set_search (BeaconBuddyGroups *self,
                                const char        *query)
{
  g_return_if_fail (BEACON_IS_BUDDY_GROUPS (self));

  g_clear_pointer (&self->needle, g_free);
  if (query != NULL && *query != '\0')
    self->needle = g_utf8_casefold (query, -1);
  gtk_filter_changed (self->search, GTK_FILTER_CHANGE_DIFFERENT);
}

GListModel *
beacon_buddy_groups_get_friends (BeaconBuddyGroups *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_GROUPS (self), NULL);
  return self->friends;
}

GListModel *
beacon_buddy_groups_get_pending (BeaconBuddyGroups *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_GROUPS (self), NULL);
  return self->pending;
}

GListModel *
beacon_buddy_groups_get_blocked (BeaconBuddyGroups *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_GROUPS (self), NULL);
  return self->blocked;
}

GListModel *
beacon_buddy_groups_get_nearby (BeaconBuddyGroups *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_GROUPS (self), NULL);
  return self->nearby;
}

static void
beacon_buddy_groups_dispose (GObject *object)
{
  BeaconBuddyGroups *self = BEACON_BUDDY_GROUPS (object);

  if (self->sorted != NULL)
    beacon_buddy_groups_set_sources (self, NULL, NULL);
  if (self->blocked_uris != NULL)
    beacon_buddy_groups_set_blocked (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* The views may keep the models a little longer than us. */
  if (self->search != NULL)
    gtk_custom_filter_set_filter_func (GTK_CUSTOM_FILTER (self->search), NULL, NULL, NULL);
  g_clear_object (&self->sections);
  for (guint i = 0; i < G_N_ELEMENTS (self->headers); i++)
    g_clear_object (&self->headers[i]);
  g_clear_object (&self->friends);
  g_clear_object (&self->pending);
  g_clear_object (&self->nearby);
  g_clear_object (&self->blocked);
  g_clear_object (&self->sorted);
  g_clear_object (&self->nearby_sorted);
  g_clear_object (&self->sorter);
  g_clear_object (&self->search);
  g_clear_object (&self->friend_filter);
  g_clear_object (&self->pending_filter);
  g_clear_object (&self->blocked_filter);
  g_clear_pointer (&self->blocked_uris, g_hash_table_unref);

  G_OBJECT_CLASS (beacon_buddy_groups_parent_class)->dispose (object);
}

static void
beacon_buddy_groups_finalize (GObject *object)
{
  g_free (BEACON_BUDDY_GROUPS (object)->needle);
  G_OBJECT_CLASS (beacon_buddy_groups_parent_class)->finalize (object);
}

/* Each group has its heading while it has someone; "Friends" only when
 * another group shows too (a plain list needs no heading). */
static void
update_headers (BeaconBuddyGroups *self)
{
  gboolean friends = g_list_model_get_n_items (self->friends) > 0;
  gboolean pending = g_list_model_get_n_items (self->pending) > 0;
  gboolean nearby = g_list_model_get_n_items (self->nearby) > 0;
  gboolean blocked = g_list_model_get_n_items (self->blocked) > 0;
  gboolean shown[] = { friends && (pending || nearby || blocked), pending, nearby, blocked };
  const char *titles[] = { _("Friends"), _("Waiting for Authorisation"), _("Nearby"), _("Blocked") };

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->headers[i]));

      if (shown[i] && n == 0)
        {
          g_autoptr(GtkStringObject) title = gtk_string_object_new (titles[i]);
          g_list_store_append (self->headers[i], title);
        }
      else if (!shown[i] && n > 0)
        g_list_store_remove_all (self->headers[i]);
    }
}

GListModel *
beacon_buddy_groups_get_sections (BeaconBuddyGroups *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_GROUPS (self), NULL);
  return self->sections;
}

static void
beacon_buddy_groups_class_init (BeaconBuddyGroupsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_buddy_groups_dispose;
  object_class->finalize = beacon_buddy_groups_finalize;
}

/* search AND @group (NULL: search only) over @sorted */
static GListModel *
group_model (BeaconBuddyGroups *self,
             GtkSortListModel  *sorted,
             GtkFilter         *group)
{
  GtkMultiFilter *both = GTK_MULTI_FILTER (gtk_every_filter_new ());

  gtk_multi_filter_append (both, g_object_ref (self->search));
  if (group != NULL)
    gtk_multi_filter_append (both, g_object_ref (group));
  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (sorted)),
                                                  GTK_FILTER (both)));
}

static void
beacon_buddy_groups_init (BeaconBuddyGroups *self)
{
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, NULL, NULL));
  self->search = GTK_FILTER (gtk_custom_filter_new (matches_search, self, NULL));
  self->blocked_uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->friend_filter = GTK_FILTER (gtk_custom_filter_new (is_friend, self, NULL));
  self->pending_filter = GTK_FILTER (gtk_custom_filter_new (is_pending, self, NULL));
  self->blocked_filter = GTK_FILTER (gtk_custom_filter_new (is_blocked, self, NULL));
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (self->sorter));
  self->nearby_sorted = gtk_sort_list_model_new (NULL, g_object_ref (self->sorter));
  self->friends = group_model (self, self->sorted, self->friend_filter);
  self->pending = group_model (self, self->sorted, self->pending_filter);
  self->nearby = group_model (self, self->nearby_sorted, NULL);
  self->blocked = group_model (self, self->sorted, self->blocked_filter);

  {
    GListModel *parts[] = {
      NULL, self->friends, NULL, self->pending, NULL, self->nearby, NULL, self->blocked,
    };
    GListStore *all = g_list_store_new (G_TYPE_LIST_MODEL);

    for (guint i = 0; i < G_N_ELEMENTS (self->headers); i++)
      {
        self->headers[i] = g_list_store_new (GTK_TYPE_STRING_OBJECT);
        parts[2 * i] = G_LIST_MODEL (self->headers[i]);
      }
    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      g_list_store_append (all, parts[i]);
    self->sections = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (all)));
  }
  g_signal_connect_object (self->friends, "items-changed", G_CALLBACK (update_headers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pending, "items-changed", G_CALLBACK (update_headers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->nearby, "items-changed", G_CALLBACK (update_headers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->blocked, "items-changed", G_CALLBACK (update_headers), self,
                           G_CONNECT_SWAPPED);
}

BeaconBuddyGroups *
beacon_buddy_groups_new (void)
{
  return g_object_new (BEACON_TYPE_BUDDY_GROUPS, NULL);
}
