/* beacon-buddy-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-engine"

#include "beacon-buddy-list.h"

struct _BeaconBuddyList
{
  GObject     parent_instance;

  GPtrArray  *buddies;  /* BeaconBuddy, in the order they were added */
  GHashTable *by_uri;   /* uri → BeaconBuddy (borrowed from @buddies) */
  guint       hint;     /* position of the buddy that changed last */
};

static void beacon_buddy_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconBuddyList, beacon_buddy_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      beacon_buddy_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
beacon_buddy_list_get_item_type (GListModel *model)
{
  return BEACON_TYPE_BUDDY;
}

static guint
beacon_buddy_list_get_n_items (GListModel *model)
{
  return BEACON_BUDDY_LIST (model)->buddies->len;
}

static gpointer
beacon_buddy_list_get_item (GListModel *model,
                            guint       position)
{
  BeaconBuddyList *self = BEACON_BUDDY_LIST (model);

  if (position >= self->buddies->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->buddies, position));
}

static void
beacon_buddy_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = beacon_buddy_list_get_item_type;
  iface->get_n_items = beacon_buddy_list_get_n_items;
  iface->get_item = beacon_buddy_list_get_item;
}

static void
beacon_buddy_list_finalize (GObject *object)
{
  BeaconBuddyList *self = (BeaconBuddyList *) object;

  g_clear_pointer (&self->by_uri, g_hash_table_unref);
  g_clear_pointer (&self->buddies, g_ptr_array_unref);

  G_OBJECT_CLASS (beacon_buddy_list_parent_class)->finalize (object);
}

static void
beacon_buddy_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BeaconBuddyList *self = BEACON_BUDDY_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->buddies->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_buddy_list_class_init (BeaconBuddyListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = beacon_buddy_list_finalize;
  object_class->get_property = beacon_buddy_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
beacon_buddy_list_init (BeaconBuddyList *self)
{
  self->buddies = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_uri = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Sorted and filtered views re-sort an item only when the model says it
 * changed: report a buddy's presence or name change as a replacement. */
static gboolean
find_position (BeaconBuddyList *self,
               BeaconBuddy     *buddy,
               guint           *position)
{
  /* A list NOTIFY updates buddies in list order, several properties each:
   * look where the last change was, and just after, before searching
   * (a search per change made a 5,000-buddy update quadratic). */
  for (guint i = self->hint; i < self->hint + 2 && i < self->buddies->len; i++)
    if (g_ptr_array_index (self->buddies, i) == buddy)
      {
        *position = i;
        return TRUE;
      }
  if (!g_ptr_array_find (self->buddies, buddy, position))
    return FALSE;
  self->hint = *position;
  return TRUE;
}

static void
on_buddy_notify (BeaconBuddy     *buddy,
                 GParamSpec      *pspec,
                 BeaconBuddyList *self)
{
  guint position;

  if (find_position (self, buddy, &position))
    {
      self->hint = position;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
    }
}

BeaconBuddyList *
beacon_buddy_list_new (void)
{
  return g_object_new (BEACON_TYPE_BUDDY_LIST, NULL);
}

BeaconBuddy *
beacon_buddy_list_lookup (BeaconBuddyList *self,
                          const char      *uri)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_LIST (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  return g_hash_table_lookup (self->by_uri, uri);
}

BeaconBuddy *
beacon_buddy_list_add (BeaconBuddyList *self,
                       const char      *uri,
                       const char      *display_name)
{
  BeaconBuddy *buddy;

  g_return_val_if_fail (BEACON_IS_BUDDY_LIST (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  buddy = g_hash_table_lookup (self->by_uri, uri);
  if (buddy != NULL)
    {
      if (display_name != NULL)
        beacon_buddy_set_display_name (buddy, display_name);
      return buddy;
    }

  buddy = beacon_buddy_new (uri, display_name);
  g_signal_connect_object (buddy, "notify", G_CALLBACK (on_buddy_notify), self, 0);
  g_ptr_array_add (self->buddies, buddy);
  g_hash_table_insert (self->by_uri, (gpointer) beacon_buddy_get_uri (buddy), buddy);
  g_list_model_items_changed (G_LIST_MODEL (self), self->buddies->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return buddy;
}

gboolean
beacon_buddy_list_remove (BeaconBuddyList *self,
                          const char      *uri)
{
  BeaconBuddy *buddy;
  guint position;

  g_return_val_if_fail (BEACON_IS_BUDDY_LIST (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  buddy = g_hash_table_lookup (self->by_uri, uri);
  if (buddy == NULL || !g_ptr_array_find (self->buddies, buddy, &position))
    return FALSE;

  g_signal_handlers_disconnect_by_func (buddy, on_buddy_notify, self);
  g_hash_table_remove (self->by_uri, uri);
  g_ptr_array_remove_index (self->buddies, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}
