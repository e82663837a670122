/* beacon-account-switcher.c — which account the main window shows
 *
 * With several accounts running at once the main window shows one at a
 * time; this drop-down in its header bar picks which (Alt+1…9 do the
 * same through the window's win.show-account action).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-account-switcher.h"

struct _BeaconAccountSwitcher
{
  GtkWidget      parent_instance;

  GtkDropDown   *drop_down;
  GListModel    *accounts;
  BeaconAccount *account;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BeaconAccountSwitcher, beacon_account_switcher, GTK_TYPE_WIDGET)

guint
beacon_account_switcher_find (BeaconAccountSwitcher *self,
                              BeaconAccount         *account)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT_SWITCHER (self), GTK_INVALID_LIST_POSITION);

  for (guint i = 0; self->accounts != NULL && i < g_list_model_get_n_items (self->accounts); i++)
    {
      g_autoptr(BeaconAccount) item = g_list_model_get_item (self->accounts, i);

      if (item == account)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
choose (BeaconAccountSwitcher *self,
        BeaconAccount         *account)
{
  guint position = beacon_account_switcher_find (self, account);

  if (g_set_object (&self->account, account))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  if (position != GTK_INVALID_LIST_POSITION && gtk_drop_down_get_selected (self->drop_down) != position)
    gtk_drop_down_set_selected (self->drop_down, position);
}

static void
on_selected (BeaconAccountSwitcher *self)
{
  BeaconAccount *account = gtk_drop_down_get_selected_item (self->drop_down);

  if (account != NULL)
    choose (self, account);
}

/* Accounts come and go: shown with two or more, and when the chosen one
 * left, the first is chosen. */
static void
on_items_changed (BeaconAccountSwitcher *self)
{
  guint n = g_list_model_get_n_items (self->accounts);
  g_autoptr(BeaconAccount) first = n > 0 ? g_list_model_get_item (self->accounts, 0) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), n > 1);
  if (beacon_account_switcher_find (self, self->account) == GTK_INVALID_LIST_POSITION)
    choose (self, first);
  else
    choose (self, self->account);
}

static char *
account_label (BeaconAccount *account)
{
  const char *aor = account ? beacon_account_get_aor (account) : "";

  return g_strdup (g_str_has_prefix (aor, "sip:") ? aor + 4 : aor);
}

static void
beacon_account_switcher_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BeaconAccountSwitcher *self = BEACON_ACCOUNT_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
beacon_account_switcher_dispose (GObject *object)
{
  BeaconAccountSwitcher *self = BEACON_ACCOUNT_SWITCHER (object);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account);
  if (self->drop_down != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->drop_down));
      self->drop_down = NULL;
    }

  G_OBJECT_CLASS (beacon_account_switcher_parent_class)->dispose (object);
}

static void
beacon_account_switcher_class_init (BeaconAccountSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = beacon_account_switcher_get_property;
  object_class->dispose = beacon_account_switcher_dispose;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, BEACON_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
beacon_account_switcher_init (BeaconAccountSwitcher *self)
{
  self->drop_down = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_drop_down_set_expression (self->drop_down,
                                gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                             G_CALLBACK (account_label), NULL, NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->drop_down), _("Account shown"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Account shown"), -1);
  gtk_widget_set_parent (GTK_WIDGET (self->drop_down), GTK_WIDGET (self));
  g_signal_connect_swapped (self->drop_down, "notify::selected-item", G_CALLBACK (on_selected), self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
beacon_account_switcher_set_accounts (BeaconAccountSwitcher *self,
                                      GListModel            *accounts)
{
  g_return_if_fail (BEACON_IS_ACCOUNT_SWITCHER (self));
  g_return_if_fail (accounts == NULL || G_IS_LIST_MODEL (accounts));

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_set_object (&self->accounts, accounts);
  gtk_drop_down_set_model (self->drop_down, accounts);
  if (accounts != NULL)
    {
      g_signal_connect_object (accounts, "items-changed", G_CALLBACK (on_items_changed), self,
                               G_CONNECT_SWAPPED);
      on_items_changed (self);
    }
}

GListModel *
beacon_account_switcher_get_accounts (BeaconAccountSwitcher *self)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT_SWITCHER (self), NULL);
  return self->accounts;
}

BeaconAccount *
beacon_account_switcher_get_account (BeaconAccountSwitcher *self)
{
  g_return_val_if_fail (BEACON_IS_ACCOUNT_SWITCHER (self), NULL);
  return self->account;
}

void
beacon_account_switcher_set_account (BeaconAccountSwitcher *self,
                                     BeaconAccount         *account)
{
  g_return_if_fail (BEACON_IS_ACCOUNT_SWITCHER (self));
  g_return_if_fail (account == NULL || BEACON_IS_ACCOUNT (account));

  choose (self, account);
}
