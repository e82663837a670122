/* fake-secret-service.c — an in-memory Secret Service for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fake-secret-service.h"

#define BASE "/org/freedesktop/secrets"
#define COLLECTION BASE "/aliases/default"  /* where libsecret stores */
#define SESSION BASE "/session/s1"
#define ITEMS BASE "/items"

typedef struct {
  char       *path;
  GHashTable *attributes;  /* char* → char* */
  GBytes     *secret;
} Item;

struct _FakeSecretService {
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  guint         owner;
  GPtrArray    *items;   /* Item* */
  guint         next_id;
  GDBusNodeInfo *info;
  GDBusConnection *bus;
};

static const char introspection[] =
  "<node>"
  "<interface name='org.freedesktop.Secret.Service'>"
  " <method name='OpenSession'><arg type='s' direction='in'/><arg type='v' direction='in'/>"
  "  <arg type='v' direction='out'/><arg type='o' direction='out'/></method>"
  " <method name='SearchItems'><arg type='a{ss}' direction='in'/>"
  "  <arg type='ao' direction='out'/><arg type='ao' direction='out'/></method>"
  " <method name='GetSecrets'><arg type='ao' direction='in'/><arg type='o' direction='in'/>"
  "  <arg type='a{o(oayays)}' direction='out'/></method>"
  " <method name='ReadAlias'><arg type='s' direction='in'/><arg type='o' direction='out'/></method>"
  " <method name='Unlock'><arg type='ao' direction='in'/><arg type='ao' direction='out'/>"
  "  <arg type='o' direction='out'/></method>"
  "</interface>"
  "<interface name='org.freedesktop.Secret.Collection'>"
  " <method name='CreateItem'><arg type='a{sv}' direction='in'/><arg type='(oayays)' direction='in'/>"
  "  <arg type='b' direction='in'/><arg type='o' direction='out'/><arg type='o' direction='out'/></method>"
  "</interface>"
  "<interface name='org.freedesktop.Secret.Item'>"
  " <method name='Delete'><arg type='o' direction='out'/></method>"
  "</interface>"
  "<interface name='org.freedesktop.Secret.Session'>"
  " <method name='Close'/>"
  "</interface>"
  "</node>";

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->path);
  g_hash_table_unref (item->attributes);
  g_bytes_unref (item->secret);
  g_free (item);
}

static gboolean
item_matches (Item     *item,
              GVariant *attributes)
{
  GVariantIter iter;
  const char *name;
  const char *value;

  g_variant_iter_init (&iter, attributes);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    if (g_strcmp0 (g_hash_table_lookup (item->attributes, name), value) != 0)
      return FALSE;
  return TRUE;
}

static Item *
find_item (FakeSecretService *self,
           const char        *path)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (((Item *) g_ptr_array_index (self->items, i))->path, path))
      return g_ptr_array_index (self->items, i);
  return NULL;
}

static void
on_call (GDBusConnection       *connection,
         const char            *sender,
         const char            *path,
         const char            *interface,
         const char            *method,
         GVariant              *parameters,
         GDBusMethodInvocation *invocation,
         gpointer               user_data)
{
  FakeSecretService *self = user_data;

  g_mutex_lock (&self->lock);
  /* Only "plain": libsecret then falls back from its encrypted one. */
  if (g_str_equal (method, "OpenSession"))
    {
      const char *algorithm;

      g_variant_get_child (parameters, 0, "&s", &algorithm);
      if (g_str_equal (algorithm, "plain"))
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(vo)", g_variant_new_string (""), SESSION));
      else
        g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.NotSupported",
                                                    "only plain sessions here");
    }
  else if (g_str_equal (method, "ReadAlias"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", COLLECTION));
  else if (g_str_equal (method, "Unlock"))
    {
      g_autoptr(GVariant) objects = g_variant_get_child_value (parameters, 0);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aoo)", objects, "/"));
    }
  else if (g_str_equal (method, "SearchItems"))
    {
      g_autoptr(GVariant) attributes = g_variant_get_child_value (parameters, 0);
      GVariantBuilder found;

      g_variant_builder_init (&found, G_VARIANT_TYPE ("ao"));
      for (guint i = 0; i < self->items->len; i++)
        if (item_matches (g_ptr_array_index (self->items, i), attributes))
          g_variant_builder_add (&found, "o", ((Item *) g_ptr_array_index (self->items, i))->path);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ao@ao)", &found,
                                                                        g_variant_new_array (G_VARIANT_TYPE_OBJECT_PATH,
                                                                                             NULL, 0)));
    }
  else if (g_str_equal (method, "GetSecrets"))
    {
      g_autoptr(GVariantIter) paths = NULL;
      const char *item_path;
      GVariantBuilder secrets;

      g_variant_get (parameters, "(aoo)", &paths, NULL);
      g_variant_builder_init (&secrets, G_VARIANT_TYPE ("a{o(oayays)}"));
      while (g_variant_iter_next (paths, "&o", &item_path))
        {
          Item *item = find_item (self, item_path);

          if (item != NULL)
            g_variant_builder_add (&secrets, "{o(o@ay@ays)}", item_path, SESSION,
                                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                              g_bytes_get_data (item->secret, NULL),
                                                              g_bytes_get_size (item->secret), 1),
                                   "text/plain");
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a{o(oayays)})", &secrets));
    }
  else if (g_str_equal (method, "CreateItem"))
    {
      g_autoptr(GVariant) properties = g_variant_get_child_value (parameters, 0);
      g_autoptr(GVariant) secret = g_variant_get_child_value (parameters, 1);
      g_autoptr(GVariant) attributes = g_variant_lookup_value (properties, "org.freedesktop.Secret.Item.Attributes",
                                                               G_VARIANT_TYPE ("a{ss}"));
      g_autoptr(GVariant) value = g_variant_get_child_value (secret, 2);
      gboolean replace = FALSE;
      Item *item = NULL;
      GVariantIter iter;
      const char *name;
      const char *text;

      g_variant_get_child (parameters, 2, "b", &replace);
      for (guint i = 0; replace && attributes != NULL && i < self->items->len; i++)
        {
          Item *old = g_ptr_array_index (self->items, i);

          if (item_matches (old, attributes) &&
              g_hash_table_size (old->attributes) == g_variant_n_children (attributes))
            item = old;
        }
      if (item == NULL)
        {
          item = g_new0 (Item, 1);
          item->path = g_strdup_printf (ITEMS "/i%u", ++self->next_id);
          item->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_ptr_array_add (self->items, item);
        }
      g_hash_table_remove_all (item->attributes);
      if (attributes != NULL)
        {
          g_variant_iter_init (&iter, attributes);
          while (g_variant_iter_next (&iter, "{&s&s}", &name, &text))
            g_hash_table_insert (item->attributes, g_strdup (name), g_strdup (text));
        }
      g_clear_pointer (&item->secret, g_bytes_unref);
      item->secret = g_variant_get_data_as_bytes (value);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(oo)", item->path, "/"));
    }
  else if (g_str_equal (method, "Delete"))
    {
      Item *item = find_item (self, path);

      if (item != NULL)
        g_ptr_array_remove (self->items, item);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", "/"));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  g_mutex_unlock (&self->lock);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  FakeSecretService *self = user_data;

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static const GDBusInterfaceVTable vtable = { on_call };

/* Items are a subtree: any path under ITEMS. */
static char **
subtree_enumerate (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   gpointer         user_data)
{
  return g_new0 (char *, 1);
}

static GDBusInterfaceInfo **
subtree_introspect (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *node,
                    gpointer         user_data)
{
  FakeSecretService *self = user_data;
  GDBusInterfaceInfo **infos = g_new0 (GDBusInterfaceInfo *, 2);

  infos[0] = g_dbus_interface_info_ref (self->info->interfaces[2]);
  return infos;
}

static const GDBusInterfaceVTable *
subtree_dispatch (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  *out_user_data = user_data;
  return &vtable;
}

static const GDBusSubtreeVTable subtree_vtable = {
  subtree_enumerate, subtree_introspect, subtree_dispatch,
};

static gpointer
service_thread (gpointer data)
{
  FakeSecretService *self = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);
  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (self->bus, BASE, self->info->interfaces[0], &vtable, self, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (self->bus, SESSION, self->info->interfaces[3], &vtable, self, NULL,
                                     &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (self->bus, COLLECTION, self->info->interfaces[1], &vtable, self, NULL,
                                     &error);
  g_assert_no_error (error);
  g_dbus_connection_register_subtree (self->bus, ITEMS, &subtree_vtable,
                                      G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES, self, NULL, &error);
  g_assert_no_error (error);
  self->owner = g_bus_own_name_on_connection (self->bus, "org.freedesktop.secrets",
                                              G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                              self, NULL);
  g_main_loop_run (self->loop);
  g_bus_unown_name (self->owner);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

FakeSecretService *
fake_secret_service_start (void)
{
  FakeSecretService *self = g_new0 (FakeSecretService, 1);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->info = g_dbus_node_info_new_for_xml (introspection, &error);
  g_assert_no_error (error);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fake-secret-service", service_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      g_error ("the fake secret service did not get its name");
  g_mutex_unlock (&self->lock);
  return self;
}

void
fake_secret_service_stop (FakeSecretService *self)
{
  g_main_loop_quit (self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_object (&self->bus);
  g_ptr_array_unref (self->items);
  g_dbus_node_info_unref (self->info);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

guint
fake_secret_service_count (FakeSecretService *self,
                           ...)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) attributes = NULL;
  const char *name;
  guint count = 0;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  va_start (args, self);
  while ((name = va_arg (args, const char *)) != NULL)
    g_variant_builder_add (&builder, "{ss}", name, va_arg (args, const char *));
  va_end (args);
  attributes = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->items->len; i++)
    count += item_matches (g_ptr_array_index (self->items, i), attributes);
  g_mutex_unlock (&self->lock);
  return count;
}
