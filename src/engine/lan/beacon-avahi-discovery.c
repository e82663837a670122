/* beacon-avahi-discovery.c — BeaconLanDiscovery over avahi-client
 *
 * One AvahiClient on an AvahiGLibPoll in the main context that was the
 * thread default when the object was made. It carries:
 * - an entry group announcing our instance on BEACON_LAN_SERVICE_TYPE with
 *   the TXT of beacon-avahi-txt.h; set_status() updates the TXT in place
 *   (avahi_entry_group_update_service_txt_strlst). When another host holds
 *   our name (AVAHI_ENTRY_GROUP_COLLISION, or AVAHI_ERR_COLLISION when a
 *   local client does), we take avahi_alternative_service_name(), republish
 *   and emit "renamed".
 * - a service browser on the same type, and one service resolver per
 *   sighting (instance × interface × protocol). Resolvers stay alive, so TXT
 *   changes (a peer's status) arrive as new FOUND results and are re-emitted
 *   as "peer-appeared". A peer is reported once per instance, preferring an
 *   IPv4 sighting; "peer-vanished" comes when its last sighting goes. Our own
 *   announcement is never reported: an instance with our current name is
 *   ours. (AVAHI_LOOKUP_RESULT_OUR_OWN/_LOCAL alone cannot tell: while we
 *   probe a name another host already holds, its PTR record is identical to
 *   ours and browses as OUR_OWN; once we are renamed, the instance under our
 *   old name is resolved afresh and reported.) A TXT without our proto or a
 *   usable aor makes the peer invisible (g_debug), as if it were another
 *   service.
 *
 * Daemon restarts: the client is made with AVAHI_CLIENT_NO_FAIL, so while
 * no daemon runs it waits in AVAHI_CLIENT_CONNECTING (we emit "failed" once).
 * When a running daemon goes away the client ends in AVAHI_CLIENT_FAILURE
 * (AVAHI_ERR_DISCONNECTED): we emit "failed", free it and make a new one
 * (backing off from 1 s to 30 s), which republishes and browses again once
 * the daemon is back. No system bus at all: the same retries. "failed" is
 * emitted once per outage, not per attempt. Peers are kept meanwhile; the
 * first "all for now" of the new browser drops (with "peer-vanished") those
 * it did not see again.
 *
 * Interfaces coming and going are avahi's business: it withdraws and
 * re-announces on its own, and we see the usual browse events.
 *
 * Peers that vanish without a goodbye (killed, cable pulled): avahi keeps
 * their PTR record for its TTL (75 min), but the SRV and address records
 * live 120 s; when they expire the resolver fails, and a resolver failure
 * counts as the sighting being gone (peer-vanished when it was the last),
 * while we keep trying to resolve it again every RERESOLVE_S seconds in case
 * it comes back under the same name. So a dead peer disappears after about
 * two minutes; the LAN account notices sooner through its failing
 * subscription to that peer.
 *
 * Don't drop the last reference to this object from one of its signal
 * handlers: it frees avahi objects whose callbacks are running.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-avahi-discovery-private.h"
#include "beacon-avahi-txt.h"

#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>

#define RETRY_MIN_S 1
#define RETRY_MAX_S 30

static void beacon_avahi_discovery_iface_init (BeaconLanDiscoveryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BeaconAvahiDiscovery,
                               beacon_avahi_discovery,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BEACON_TYPE_LAN_DISCOVERY,
                                                      beacon_avahi_discovery_iface_init))

static void client_connect (BeaconAvahiDiscovery *self);

/* A timeout in our own main context (g_timeout_add() would use the global
 * default one). */
GSource *
beacon_avahi_timeout_add (GMainContext *context,
                          guint         seconds,
                          GSourceFunc   func,
                          gpointer      data)
{
  GSource *source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, context);
  return source;
}

void
beacon_avahi_timeout_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* --- errors ------------------------------------------------------------ */

void
beacon_avahi_report_failure (BeaconAvahiDiscovery *self,
                             int                   avahi_error,
                             const char           *what)
{
  g_autoptr (GError) error = NULL;
  int code = G_IO_ERROR_FAILED;

  if (avahi_error == AVAHI_ERR_DISCONNECTED || avahi_error == AVAHI_ERR_NO_DAEMON
      || avahi_error == AVAHI_ERR_DBUS_ERROR)
    code = G_IO_ERROR_NOT_CONNECTED;
  error = g_error_new (G_IO_ERROR, code, "%s: %s", what, avahi_strerror (avahi_error));
  g_debug ("avahi: %s", error->message);
  beacon_lan_discovery_emit_failed (BEACON_LAN_DISCOVERY (self), error);
}

/* --- our announcement -------------------------------------------------- */

static void register_service (BeaconAvahiDiscovery *self);

static void
take_alternative_name (BeaconAvahiDiscovery *self)
{
  char *alternative = avahi_alternative_service_name (self->instance);

  g_debug ("avahi: “%s” is taken, renaming to “%s”", self->instance, alternative);
  g_free (self->instance);
  self->instance = g_strdup (alternative);
  avahi_free (alternative);
}

/* After a rename, whoever holds our old name is a peer: resolve it afresh
 * (its resolver may have followed our own records), then emit renamed. */
static void
finish_rename (BeaconAvahiDiscovery *self,
               const char           *old_name)
{
  if (self->client != NULL)
    beacon_avahi_peers_resolve_again (self, old_name);
  beacon_lan_discovery_emit_renamed (BEACON_LAN_DISCOVERY (self), self->instance);
}

static void
group_cb (AvahiEntryGroup      *group,
          AvahiEntryGroupState  state,
          void                 *data)
{
  BeaconAvahiDiscovery *self = data;
  AvahiClient          *client = avahi_entry_group_get_client (group);

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      g_debug ("avahi: published “%s”", self->instance);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      {
        g_autofree char *old_name = g_strdup (self->instance);
        take_alternative_name (self);
        avahi_entry_group_reset (group);
        register_service (self);
        finish_rename (self, old_name);
      }
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      /* When the whole client failed, client_cb reports that. */
      if (avahi_client_get_state (client) == AVAHI_CLIENT_S_RUNNING)
        beacon_avahi_report_failure (self, avahi_client_errno (client),
                                     "Announcing Beacon on the local network failed");
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

/* Adds and commits our service when the group is empty and the client runs. */
static void
register_service (BeaconAvahiDiscovery *self)
{
  AvahiStringList *txt;
  g_autofree char *old_name = g_strdup (self->instance);
  gboolean         renamed = FALSE;
  int              ret;

  if (!self->started || self->client == NULL
      || avahi_client_get_state (self->client) != AVAHI_CLIENT_S_RUNNING)
    return;
  if (self->group == NULL)
    {
      self->group = avahi_entry_group_new (self->client, group_cb, self);
      if (self->group == NULL)
        {
          beacon_avahi_report_failure (self, avahi_client_errno (self->client),
                                       "Cannot announce Beacon");
          return;
        }
    }
  if (!avahi_entry_group_is_empty (self->group))
    return;

  txt = beacon_avahi_txt_build (self->aor, self->display_name, self->status);
  /* A local client holding the name fails at once; bounded, as each
   * alternative name is a new one. */
  for (guint tries = 0; tries < 100; tries++)
    {
      ret = avahi_entry_group_add_service_strlst (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                  0, self->instance, BEACON_LAN_SERVICE_TYPE, NULL,
                                                  NULL, self->port, txt);
      if (ret != AVAHI_ERR_COLLISION)
        break;
      take_alternative_name (self);
      renamed = TRUE;
    }
  avahi_string_list_free (txt);
  if (ret >= 0)
    ret = avahi_entry_group_commit (self->group);
  if (ret < 0)
    {
      beacon_avahi_report_failure (self, ret, "Cannot announce Beacon");
      return;
    }
  if (renamed)
    finish_rename (self, old_name);
}

/* --- the client -------------------------------------------------------- */

/* Forgets every avahi object (they belong to the client) but keeps what
 * peers we announced, so a reconnect can tell who is still there. */
static void
drop_avahi_objects (BeaconAvahiDiscovery *self)
{
  beacon_avahi_peers_drop_resolvers (self);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  g_clear_pointer (&self->group, avahi_entry_group_free);
  g_clear_pointer (&self->client, avahi_client_free);
}

static gboolean
retry_cb (gpointer data)
{
  BeaconAvahiDiscovery *self = data;

  beacon_avahi_timeout_clear (&self->retry);
  drop_avahi_objects (self);
  client_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (BeaconAvahiDiscovery *self)
{
  if (self->retry != NULL)
    return;
  self->retry_s = CLAMP (self->retry_s * 2, RETRY_MIN_S, RETRY_MAX_S);
  self->retry = beacon_avahi_timeout_add (self->context, self->retry_s, retry_cb, self);
}

static void
ensure_browser (BeaconAvahiDiscovery *self)
{
  if (self->browser != NULL)
    return;
  self->generation++;
  self->browser
      = avahi_service_browser_new (self->client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                   BEACON_LAN_SERVICE_TYPE, NULL, 0, beacon_avahi_browse_cb, self);
  if (self->browser == NULL)
    {
      beacon_avahi_report_failure (self, avahi_client_errno (self->client),
                                   "Cannot browse the local network");
      schedule_retry (self);
    }
}

static void
client_cb (AvahiClient      *client,
           AvahiClientState  state,
           void             *data)
{
  BeaconAvahiDiscovery *self = data;

  /* The first call comes from inside avahi_client_new(). */
  self->client = client;
  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      g_debug ("avahi: daemon running");
      self->retry_s = 0;
      self->failure_reported = FALSE;
      register_service (self);
      ensure_browser (self);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The host name changes: withdraw, and publish again once running. */
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_CONNECTING:
      if (!self->failure_reported)
        {
          self->failure_reported = TRUE;
          beacon_avahi_report_failure (self, AVAHI_ERR_NO_DAEMON, "Waiting for the Avahi daemon");
        }
      break;

    case AVAHI_CLIENT_FAILURE:
      if (!self->failure_reported)
        {
          self->failure_reported = TRUE;
          beacon_avahi_report_failure (self, avahi_client_errno (client), "Lost the Avahi daemon");
        }
      /* The client is dead; a new one is made outside this callback. */
      schedule_retry (self);
      break;

    default:
      break;
    }
}

static void
client_connect (BeaconAvahiDiscovery *self)
{
  AvahiClient *client;
  int          error = 0;

  if (!self->started || self->client != NULL)
    return;
  client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL, client_cb,
                             self, &error);
  if (client == NULL)
    {
      /* No system bus at all, say. Said once per outage. */
      self->client = NULL;
      if (!self->failure_reported)
        {
          self->failure_reported = TRUE;
          beacon_avahi_report_failure (self, error, "Cannot reach the Avahi daemon");
        }
      schedule_retry (self);
      return;
    }
  self->client = client;
}

/* --- BeaconLanDiscovery ------------------------------------------------ */

static void
beacon_avahi_discovery_start (BeaconLanDiscovery *discovery,
                              const char         *instance,
                              const char         *aor,
                              guint16             port)
{
  BeaconAvahiDiscovery *self = BEACON_AVAHI_DISCOVERY (discovery);

  g_return_if_fail (!self->started);

  g_free (self->instance);
  self->instance = g_strdup (instance);
  g_free (self->aor);
  self->aor = g_strdup (aor);
  self->port = port;
  self->started = TRUE;
  self->retry_s = 0;
  self->failure_reported = FALSE;
  client_connect (self);
}

static void
beacon_avahi_discovery_set_status (BeaconLanDiscovery *discovery,
                                   BeaconStatus        status,
                                   const char         *display_name)
{
  BeaconAvahiDiscovery *self = BEACON_AVAHI_DISCOVERY (discovery);
  AvahiStringList      *txt;
  int                   ret;

  self->status = status;
  if (g_strcmp0 (display_name, self->display_name) != 0)
    {
      g_free (self->display_name);
      self->display_name = g_strdup (display_name);
    }
  if (self->group == NULL || avahi_entry_group_is_empty (self->group))
    return; /* register_service() will use the new values */

  txt = beacon_avahi_txt_build (self->aor, self->display_name, self->status);
  ret = avahi_entry_group_update_service_txt_strlst (self->group, AVAHI_IF_UNSPEC,
                                                     AVAHI_PROTO_UNSPEC, 0, self->instance,
                                                     BEACON_LAN_SERVICE_TYPE, NULL, txt);
  avahi_string_list_free (txt);
  if (ret < 0)
    beacon_avahi_report_failure (self, ret, "Cannot update Beacon's announcement");
}

static void
beacon_avahi_discovery_stop (BeaconLanDiscovery *discovery)
{
  BeaconAvahiDiscovery *self = BEACON_AVAHI_DISCOVERY (discovery);

  self->started = FALSE;
  beacon_avahi_timeout_clear (&self->retry);
  g_hash_table_remove_all (self->peers);
  /* Freeing the group withdraws the service (goodbye packets). */
  drop_avahi_objects (self);
}

static void
beacon_avahi_discovery_iface_init (BeaconLanDiscoveryInterface *iface)
{
  iface->start = beacon_avahi_discovery_start;
  iface->set_status = beacon_avahi_discovery_set_status;
  iface->stop = beacon_avahi_discovery_stop;
}

static void
beacon_avahi_discovery_dispose (GObject *object)
{
  BeaconAvahiDiscovery *self = BEACON_AVAHI_DISCOVERY (object);

  beacon_avahi_discovery_stop (BEACON_LAN_DISCOVERY (self));
  G_OBJECT_CLASS (beacon_avahi_discovery_parent_class)->dispose (object);
}

static void
beacon_avahi_discovery_finalize (GObject *object)
{
  BeaconAvahiDiscovery *self = BEACON_AVAHI_DISCOVERY (object);

  g_hash_table_unref (self->peers);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_main_context_unref (self->context);
  g_free (self->instance);
  g_free (self->aor);
  g_free (self->display_name);
  G_OBJECT_CLASS (beacon_avahi_discovery_parent_class)->finalize (object);
}

static void
beacon_avahi_discovery_class_init (BeaconAvahiDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = beacon_avahi_discovery_dispose;
  object_class->finalize = beacon_avahi_discovery_finalize;
}

static void
beacon_avahi_discovery_init (BeaconAvahiDiscovery *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->poll = avahi_glib_poll_new (self->context, G_PRIORITY_DEFAULT);
  self->peers = beacon_avahi_peers_new ();
  self->status = BEACON_STATUS_ONLINE;
}

BeaconLanDiscovery *
beacon_avahi_discovery_new (void)
{
  return g_object_new (BEACON_TYPE_AVAHI_DISCOVERY, NULL);
}
