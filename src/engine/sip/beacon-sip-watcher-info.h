/* beacon-sip-watcher-info.h — who asks to see my presence (presence.winfo)
 *
 * Subscribes to the account's own watcher information (RFC 3857/3858),
 * folds full and partial documents into the current set and reports every
 * watcher whose status changed: pending and waiting ones wait for the
 * user's answer, which the roster store (XCAP pres-rules) records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-sip-ua.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SIP_WATCHER_INFO (beacon_sip_watcher_info_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipWatcherInfo, beacon_sip_watcher_info, BEACON, SIP_WATCHER_INFO, GObject)

BeaconSipWatcherInfo *beacon_sip_watcher_info_new         (BeaconSipUa           *ua,
                                                           guint                  expires);
void                  beacon_sip_watcher_info_start       (BeaconSipWatcherInfo  *self);
void                  beacon_sip_watcher_info_stop_async  (BeaconSipWatcherInfo  *self,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
gboolean              beacon_sip_watcher_info_stop_finish (BeaconSipWatcherInfo  *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);

/* For tests: applies one presence.winfo NOTIFY body as if it had come. */
void                  beacon_sip_watcher_info_apply       (BeaconSipWatcherInfo  *self,
                                                           GBytes                *body);

G_END_DECLS
