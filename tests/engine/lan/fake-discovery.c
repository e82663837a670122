/* fake-discovery.c — a BeaconLanDiscovery the tests feed by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fake-discovery.h"

struct _FakeDiscovery
{
  GObject       parent_instance;
  gboolean      running;
  char         *instance;
  char         *aor;
  char         *display_name;
  guint16       port;
  BeaconStatus  status;
  guint         starts;
  guint         stops;
};

static void fake_discovery_iface_init (BeaconLanDiscoveryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeDiscovery, fake_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_LAN_DISCOVERY,
                                                      fake_discovery_iface_init))

static void
fake_start (BeaconLanDiscovery *discovery,
            const char         *instance,
            const char         *aor,
            guint16             port)
{
  FakeDiscovery *self = FAKE_DISCOVERY (discovery);

  g_free (self->instance);
  g_free (self->aor);
  self->instance = g_strdup (instance);
  self->aor = g_strdup (aor);
  self->port = port;
  self->running = TRUE;
  self->starts++;
}

static void
fake_set_status (BeaconLanDiscovery *discovery,
                 BeaconStatus        status,
                 const char         *display_name)
{
  FakeDiscovery *self = FAKE_DISCOVERY (discovery);

  self->status = status;
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
}

static void
fake_stop (BeaconLanDiscovery *discovery)
{
  FakeDiscovery *self = FAKE_DISCOVERY (discovery);

  self->running = FALSE;
  self->stops++;
}

static void
fake_discovery_iface_init (BeaconLanDiscoveryInterface *iface)
{
  iface->start = fake_start;
  iface->set_status = fake_set_status;
  iface->stop = fake_stop;
}

static void
fake_discovery_finalize (GObject *object)
{
  FakeDiscovery *self = FAKE_DISCOVERY (object);

  g_free (self->instance);
  g_free (self->aor);
  g_free (self->display_name);
  G_OBJECT_CLASS (fake_discovery_parent_class)->finalize (object);
}

static void
fake_discovery_class_init (FakeDiscoveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_discovery_finalize;
}

static void
fake_discovery_init (FakeDiscovery *self)
{
  self->status = BEACON_STATUS_OFFLINE;
}

FakeDiscovery *
fake_discovery_new (void)
{
  return g_object_new (FAKE_TYPE_DISCOVERY, NULL);
}

gboolean     fake_discovery_is_running   (FakeDiscovery *self) { return self->running; }
const char  *fake_discovery_get_instance (FakeDiscovery *self) { return self->instance; }
const char  *fake_discovery_get_aor      (FakeDiscovery *self) { return self->aor; }
guint16      fake_discovery_get_port     (FakeDiscovery *self) { return self->port; }
BeaconStatus fake_discovery_get_status   (FakeDiscovery *self) { return self->status; }
guint        fake_discovery_get_starts   (FakeDiscovery *self) { return self->starts; }
guint        fake_discovery_get_stops    (FakeDiscovery *self) { return self->stops; }

void
fake_discovery_show (FakeDiscovery *self,
                     FakeDiscovery *other,
                     const char    *address)
{
  BeaconLanPeer peer = {
    .instance = other->instance,
    .aor = other->aor,
    .display_name = other->display_name,
    .address = (char *) address,
    .port = other->port,
    .status = other->status,
  };

  g_assert_true (other->running);
  beacon_lan_discovery_emit_peer_appeared (BEACON_LAN_DISCOVERY (self), &peer);
}

void
fake_discovery_hide (FakeDiscovery *self,
                     FakeDiscovery *other)
{
  beacon_lan_discovery_emit_peer_vanished (BEACON_LAN_DISCOVERY (self), other->instance);
}

void
fake_discovery_show_as (FakeDiscovery *self,
                        FakeDiscovery *other,
                        const char    *instance,
                        const char    *address,
                        guint16        port)
{
  BeaconLanPeer peer = {
    .instance = (char *) instance,
    .aor = other->aor,
    .display_name = other->display_name,
    .address = (char *) address,
    .port = port,
    .status = other->status,
  };

  beacon_lan_discovery_emit_peer_appeared (BEACON_LAN_DISCOVERY (self), &peer);
}

void
fake_discovery_hide_instance (FakeDiscovery *self,
                              const char    *instance)
{
  beacon_lan_discovery_emit_peer_vanished (BEACON_LAN_DISCOVERY (self), instance);
}
