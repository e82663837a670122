/* beacon-lan-stack.c — the LAN account's SIP endpoint, started and stopped
 *
 * start has the BeaconSipLanAgent bind the UDP port (any free one unless
 * told), announces it and goes ONLINE; the agent's signals come back here
 * as watchers, subscription news and messages. stop withdraws the
 * announcement and lets the agent say goodbye (terminated NOTIFYs to the
 * watchers, un-SUBSCRIBEs to the friends) and shut down, both bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-lan"

#include "beacon-lan-account-private.h"

/* ---- the agent's signals ---------------------------------------------------- */

static BeaconSubHandling
policy (const char *uri,
        gpointer    user_data)
{
  BeaconLanAccount *self = user_data;

  return beacon_pres_rules_lookup (self->rules, uri);
}

static gboolean
admit (const char *uri,
       const char *address,
       guint      *retry_after_s,
       gpointer    user_data)
{
  return beacon_account_admit_request (BEACON_ACCOUNT (user_data), uri, address, retry_after_s);
}

static void
agent_watcher (BeaconSipLanAgent *agent,
               const char        *uri,
               const char        *state,
               BeaconLanAccount  *self)
{
  beacon_account_emit_watcher (BEACON_ACCOUNT (self), uri, state);
  /* The LAN has no server to tell a refused watcher that we changed our
   * mind: a peer that refused us and now watches us is asked again. */
  if (g_strcmp0 (state, "terminated") != 0)
    beacon_lan_watch_heard_from (self, uri);
}

static void
create_agent (BeaconLanAccount *self)
{
  self->agent = beacon_sip_lan_agent_new (beacon_account_get_aor (BEACON_ACCOUNT (self)),
                                          self->name, self->bind_address, self->port);
  beacon_sip_lan_agent_set_policy (self->agent, policy, self);
  beacon_sip_lan_agent_set_admit (self->agent, admit, self);
  self->agent_ids[0] = g_signal_connect (self->agent, "watcher",
                                         G_CALLBACK (agent_watcher), self);
  self->agent_ids[1] = g_signal_connect (self->agent, "subscription-state",
                                         G_CALLBACK (beacon_lan_watch_state), self);
  self->agent_ids[2] = g_signal_connect (self->agent, "message-sent",
                                         G_CALLBACK (beacon_lan_chat_sent), self);
  self->agent_ids[3] = g_signal_connect (self->agent, "message-received",
                                         G_CALLBACK (beacon_lan_chat_received), self);
}

gboolean
beacon_lan_stack_is_running (BeaconLanAccount *self)
{
  return self->agent != NULL && beacon_sip_lan_agent_is_running (self->agent);
}

void
beacon_lan_notifier_update (BeaconLanAccount *self,
                            const char       *uri)
{
  if (self->agent != NULL)
    beacon_sip_lan_agent_update_watchers (self->agent, uri);
}

/* ---- start ---------------------------------------------------------------- */

void
beacon_lan_stack_start (BeaconAccount *account)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);
  g_autoptr(GError) error = NULL;

  if (self->started)
    return;
  self->started = TRUE;
  beacon_account_set_connection_state (account, BEACON_CONNECTION_CONNECTING, NULL);
  for (guint i = 0; i < self->load_errors->len; i++)
    beacon_account_emit_error (account, self->load_errors->pdata[i]);
  g_ptr_array_set_size (self->load_errors, 0);

  if (self->agent == NULL)
    create_agent (self);
  beacon_sip_lan_agent_set_presence (self->agent, beacon_account_get_status (account),
                                     beacon_account_get_note (account));
  if (!beacon_sip_lan_agent_start (self->agent, &error))
    {
      self->started = FALSE;
      beacon_account_emit_error (account, error);
      beacon_account_set_connection_state (account, BEACON_CONNECTION_FAILED, error);
      return;
    }
  self->port = beacon_sip_lan_agent_get_port (self->agent);
  g_debug ("%s listens on port %u", beacon_account_get_aor (account), self->port);
  g_object_notify (G_OBJECT (self), "port");

  beacon_lan_peers_connect (self);
  beacon_lan_discovery_start (self->discovery, self->name, beacon_account_get_aor (account),
                              (guint16) self->port);
  beacon_lan_discovery_set_status (self->discovery, beacon_account_get_status (account),
                                   self->name);
  beacon_account_set_connection_state (account, BEACON_CONNECTION_ONLINE, NULL);
}

/* ---- stop ----------------------------------------------------------------- */

static void
agent_stopped_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BeaconLanAccount) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  beacon_sip_lan_agent_stop_finish (BEACON_SIP_LAN_AGENT (source), result, NULL);
  self->started = FALSE;
  g_hash_table_remove_all (self->peers);
  g_hash_table_remove_all (self->latest);
  g_list_store_remove_all (self->nearby);
  beacon_lan_peers_all_offline (self);
  beacon_account_set_connection_state (BEACON_ACCOUNT (self), BEACON_CONNECTION_OFFLINE, NULL);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

void
beacon_lan_stack_stop_async (BeaconAccount       *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  BeaconLanAccount *self = BEACON_LAN_ACCOUNT (account);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, beacon_lan_stack_stop_async);
  if (self->stop_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The account is already stopping");
      return;
    }
  if (!beacon_lan_stack_is_running (self))
    {
      self->started = FALSE;
      beacon_account_set_connection_state (account, BEACON_CONNECTION_OFFLINE, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->stop_task = g_steal_pointer (&task);
  beacon_lan_peers_disconnect (self);
  beacon_lan_discovery_stop (self->discovery);
  beacon_lan_watch_drop_all (self);
  beacon_sip_lan_agent_stop_async (self->agent, NULL, agent_stopped_cb, g_object_ref (self));
}

gboolean
beacon_lan_stack_stop_finish (BeaconAccount  *account,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Takes everything down at once (dispose), the agent bounded in time. */
void
beacon_lan_stack_destroy (BeaconLanAccount *self)
{
  if (self->discovery != NULL)
    {
      beacon_lan_peers_disconnect (self);
      if (self->started)
        beacon_lan_discovery_stop (self->discovery);
    }
  if (self->watches != NULL)
    g_hash_table_remove_all (self->watches);
  if (self->agent != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->agent_ids); i++)
        g_clear_signal_handler (&self->agent_ids[i], self->agent);
      /* Down now, bounded, even when a stop is under way. */
      g_object_run_dispose (G_OBJECT (self->agent));
      g_clear_object (&self->agent);
    }
}
