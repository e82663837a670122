/* beacon-rls-services.h — RFC 4826 rls-services documents (which list the
 * resource list server fans a SUBSCRIBE to the service URI out to)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-resource-lists.h"

G_BEGIN_DECLS

#define BEACON_RLS_SERVICES_NS "urn:ietf:params:xml:ns:rls-services"

typedef struct {
  char               *uri;            /* <service uri="…"> */
  char               *resource_list;  /* <resource-list> URL with all white space
                                         removed; NULL when the list is inline */
  BeaconResourceList *list;           /* inline <list>, NULL otherwise */
  GPtrArray          *packages;       /* char *: <packages><package> */
} BeaconRlsService;

typedef struct {
  GPtrArray *services;                /* BeaconRlsService */
} BeaconRlsServices;

BeaconRlsService  *beacon_rls_service_new           (const char *uri);
void               beacon_rls_service_free          (BeaconRlsService *service);
BeaconRlsServices *beacon_rls_services_new          (void);
void               beacon_rls_services_free         (BeaconRlsServices *doc);

/* Parses a whole `<rls-services>` document (seed damage repaired, services
 * without a uri skipped). */
BeaconRlsServices *beacon_rls_services_parse        (const char  *data,
                                                     gsize        len,
                                                     GError     **error);
/* The whole document, UTF-8 with an XML declaration. */
char              *beacon_rls_services_build        (const BeaconRlsServices *doc,
                                                     gsize                   *len);
/* The document Beacon bootstraps: one service @service_uri for the
 * presence package whose <resource-list> is @resource_list_url (Kamailio's
 * rls reads only the first service, and the URL must point at the
 * subscriber's own resource-lists document; see
 * beacon_rls_services_list_url()). */
char              *beacon_rls_services_build_single (const char *service_uri,
                                                     const char *resource_list_url,
                                                     gsize      *len);

/* The service whose uri equals @uri (beacon_xcap_uri_equal()), or NULL. */
BeaconRlsService  *beacon_rls_services_find_service (const BeaconRlsServices *doc,
                                                     const char              *uri);

/* `ROOT/resource-lists/users/XUI/DOCUMENT/~~/resource-lists/list%5b@name=%22NAME%22%5d`,
 * the <resource-list> URL of a list in @xui's own document, e.g. with
 * ("http://127.0.0.1:5080/xcap-root", "sip:alice@example.test", "index",
 * "buddies"). NULL and an error when @list_name cannot be selected. */
char              *beacon_rls_services_list_url     (const char  *xcap_root,
                                                     const char  *xui,
                                                     const char  *document,
                                                     const char  *list_name,
                                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlsService, beacon_rls_service_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconRlsServices, beacon_rls_services_free)

G_END_DECLS
