/* test-roster.c — BeaconRoster against a local fake XCAP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"
#include "formats/beacon-rls-services.h"
#include "beacon-buddy.h"
#include "beacon-roster-store.h"
#include "xcap/beacon-roster.h"
#include "xcap-fake-server.h"
#include "beacon-test-util.h"

#define XUI "sip:alice@beacon.test"
#define RL_KEY "resource-lists/users/" XUI "/index"
#define RLS_KEY "rls-services/users/" XUI "/index"
#define PR_KEY "pres-rules/users/" XUI "/index"

typedef struct {
  FakeXcap *fake;
  char     *cache_dir;
} Fixture;

typedef XcapResult Result;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = fake_xcap_new (data, NULL);
  f->cache_dir = g_dir_make_tmp ("beacon-roster-XXXXXX", &error);
  g_assert_no_error (error);
}


static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fake_xcap_free (f->fake);
  beacon_test_remove_tree (f->cache_dir);
  g_free (f->cache_dir);
}

static BeaconRoster *
new_roster (Fixture    *f,
            const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (root, XUI, &error);

  g_assert_no_error (error);
  beacon_xcap_client_set_timeout (client, 5);
  beacon_xcap_client_set_credentials (client, "alice", "s3cret");
  return beacon_roster_new (client, f->cache_dir, NULL);
}




static void
sync_roster (BeaconRoster *roster,
             Result       *r)
{
  xcap_result_reset (r);
  beacon_roster_sync_async (roster, NULL, xcap_result_on_sync, r);
  run_until (&r->done, 30);
}

static void
add (BeaconRoster *roster,
     const char   *uri,
     const char   *name,
     Result       *r)
{
  xcap_result_reset (r);
  beacon_roster_add_async (roster, uri, name, NULL, xcap_result_on_edit, r);
  run_until (&r->done, 30);
}

static void
remove_friend (BeaconRoster *roster,
               const char   *uri,
               Result       *r)
{
  xcap_result_reset (r);
  beacon_roster_remove_async (roster, uri, NULL, xcap_result_on_edit, r);
  run_until (&r->done, 30);
}

static void
authorize (BeaconRoster        *roster,
           const char          *uri,
           BeaconAuthorization  answer,
           Result              *r)
{
  xcap_result_reset (r);
  beacon_roster_authorize_async (roster, uri, answer, NULL, xcap_result_on_edit, r);
  run_until (&r->done, 30);
}

static void
unblock (BeaconRoster *roster,
         const char   *uri,
         Result       *r)
{
  xcap_result_reset (r);
  beacon_roster_unblock_async (roster, uri, NULL, xcap_result_on_edit, r);
  run_until (&r->done, 30);
}

/* "uri=name" for every friend, in order, joined with ",". */
static char *
friends_string (BeaconRoster *roster)
{
  g_autoptr(GPtrArray) friends = beacon_roster_dup_friends (roster);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < friends->len; i++)
    {
      BeaconRosterFriend *item = g_ptr_array_index (friends, i);
      g_string_append_printf (out, "%s%s=%s", i ? "," : "", item->uri,
                              item->display_name ? item->display_name : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
blocked_string (BeaconRoster *roster)
{
  g_auto(GStrv) blocked = beacon_roster_dup_blocked (roster);
  return g_strjoinv (",", blocked);
}

/* The server's friends, as friends_string() writes them. */
static char *
server_friends (FakeXcap *fake)
{
  const char *doc = fake_xcap_get_doc (fake, RL_KEY);
  g_autoptr(BeaconResourceLists) lists = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  BeaconResourceList *buddies;

  g_assert_nonnull (doc);
  lists = beacon_resource_lists_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  buddies = beacon_resource_lists_find_list (lists, "buddies");
  g_assert_nonnull (buddies);
  for (guint i = 0; i < buddies->entries->len; i++)
    {
      BeaconResourceEntry *e = g_ptr_array_index (buddies->entries, i);
      g_string_append_printf (out, "%s%s=%s", i ? "," : "", e->uri, e->display_name ? e->display_name : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static BeaconPresRules *
server_rules (FakeXcap *fake)
{
  const char *doc = fake_xcap_get_doc (fake, PR_KEY);
  g_autoptr(GError) error = NULL;
  BeaconPresRules *rules;

  g_assert_nonnull (doc);
  rules = beacon_pres_rules_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  return rules;
}

static char *
read_cache (Fixture    *f,
            const char *name)
{
  g_autofree char *path = g_build_filename (f->cache_dir, name, NULL);
  char *data = NULL;

  if (!g_file_get_contents (path, &data, NULL, NULL))
    return NULL;
  return data;
}

static FakeRequest *
request (FakeXcap *fake,
         guint     i)
{
  GPtrArray *requests = fake_xcap_requests (fake);
  g_assert_cmpuint (i, <, requests->len);
  return g_ptr_array_index (requests, i);
}

static void
test_bootstrap (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(BeaconRlsServices) services = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *list_url = NULL;
  g_autofree char *friends = NULL;
  g_autoptr(GError) error = NULL;
  const char *doc;
  BeaconRlsService *service;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  g_assert_false (beacon_roster_get_synced (roster));
  g_assert_cmpstr (beacon_roster_get_service_uri (roster), ==, "sip:alice-list@beacon.test");

  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  g_assert_true (beacon_roster_get_synced (roster));

  /* Three GETs (404), three creating PUTs. */
  g_assert_cmpuint (fake_xcap_count (f->fake, "GET"), ==, 3);
  g_assert_cmpuint (fake_xcap_count (f->fake, "PUT"), ==, 3);
  for (guint i = 0; i < fake_xcap_requests (f->fake)->len; i++)
    {
      FakeRequest *req = request (f->fake, i);
      if (strcmp (req->method, "PUT") == 0)
        {
          g_assert_cmpstr (req->if_none_match, ==, "*");
          g_assert_null (req->if_match);
          g_assert_cmpuint (req->status, ==, 200);
        }
    }

  /* resource-lists: an empty buddies list. */
  friends = server_friends (f->fake);
  g_assert_cmpstr (friends, ==, "");

  /* rls-services: the user's list URI, pointing at the buddies list in
   * the http://host:port/xcap-root/… form. */
  doc = fake_xcap_get_doc (f->fake, RLS_KEY);
  g_assert_nonnull (doc);
  services = beacon_rls_services_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  service = beacon_rls_services_find_service (services, "sip:alice-list@beacon.test");
  g_assert_nonnull (service);
  list_url = g_strdup_printf ("%s/resource-lists/users/sip:alice@beacon.test/index/~~/"
                              "resource-lists/list%%5b@name=%%22buddies%%22%%5d", fake_xcap_root (f->fake));
  g_assert_cmpint (g_ascii_strcasecmp (service->resource_list, list_url), ==, 0);
  g_assert_cmpuint (service->packages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (service->packages, 0), ==, "presence");

  /* pres-rules: valid for Kamailio, no rule. */
  rules = server_rules (f->fake);
  g_assert_cmpuint (rules->rules->len, ==, 0);

  /* Cached: what the server has. */
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "resource-lists.xml", "rls-services.xml", "pres-rules.xml" };
      const char *keys[] = { RL_KEY, RLS_KEY, PR_KEY };
      g_autofree char *cached = read_cache (f, names[i]);

      g_assert_cmpstr (cached, ==, fake_xcap_get_doc (f->fake, keys[i]));
    }

  /* Nothing is written again on the next sync. */
  fake_xcap_clear_requests (f->fake);
  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_count (f->fake, "PUT"), ==, 0);
  g_assert_cmpuint (fake_xcap_count (f->fake, "GET"), ==, 3);
}

static void
test_bootstrap_keeps_other_data (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *etag = NULL;
  const char *doc;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  fake_xcap_set_doc (f->fake, RL_KEY,
                     "<?xml version=\"1.0\"?><resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\">"
                     "<list name=\"family\"><entry uri=\"sip:mum@beacon.test\"/></list></resource-lists>");
  fake_xcap_set_doc (f->fake, RLS_KEY,
                     "<?xml version=\"1.0\"?><rls-services xmlns=\"urn:ietf:params:xml:ns:rls-services\">"
                     "<service uri=\"sip:family@beacon.test\"><resource-list>http://x/y</resource-list>"
                     "<packages><package>presence</package></packages></service></rls-services>");
  etag = g_strdup (fake_xcap_get_etag (f->fake, RL_KEY));

  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  /* The existing documents were completed with If-Match, not replaced. */
  g_assert_cmpstr (request (f->fake, 1)->method, ==, "PUT");
  g_assert_cmpstr (request (f->fake, 1)->if_match, ==, etag);
  doc = fake_xcap_get_doc (f->fake, RL_KEY);
  g_assert_nonnull (strstr (doc, "sip:mum@beacon.test"));
  g_assert_nonnull (strstr (doc, "name=\"buddies\""));
  doc = fake_xcap_get_doc (f->fake, RLS_KEY);
  g_assert_nonnull (strstr (doc, "sip:family@beacon.test"));
  g_assert_nonnull (strstr (doc, "sip:alice-list@beacon.test"));
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "");
}

static void
test_add_remove (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *server = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *etag = NULL;
  FakeRequest *req;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  etag = g_strdup (fake_xcap_get_etag (f->fake, RL_KEY));
  fake_xcap_clear_requests (f->fake);
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  /* One element PUT of the entry selected by its uri, with If-Match. */
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 1);
  req = request (f->fake, 0);
  g_assert_cmpstr (req->method, ==, "PUT");
  g_assert_cmpstr (req->selector, ==, "resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:bob@beacon.test\"]");
  g_assert_cmpstr (req->if_match, ==, etag);
  g_assert_cmpstr (req->content_type, ==, "application/xcap-el+xml");
  g_assert_nonnull (strstr (req->body, "<display-name>Bob</display-name>"));

  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "sip:bob@beacon.test=Bob");
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:bob@beacon.test=Bob");
  cached = read_cache (f, "resource-lists.xml");
  g_assert_nonnull (strstr (cached, "sip:bob@beacon.test"));
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 0);

  /* Adding again is a no-op; renaming replaces the one entry. */
  fake_xcap_clear_requests (f->fake);
  add (roster, "sip:bob@beacon.test", NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 0);
  add (roster, "sip:bob@beacon.test", "Robert", &r);
  g_assert_no_error (r.error);
  g_clear_pointer (&server, g_free);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "sip:bob@beacon.test=Robert");

  /* Remove: an element DELETE with If-Match. */
  add (roster, "sip:carol@beacon.test", "Carol", &r);
  g_assert_no_error (r.error);
  fake_xcap_clear_requests (f->fake);
  g_free (etag);
  etag = g_strdup (fake_xcap_get_etag (f->fake, RL_KEY));
  remove_friend (roster, "sip:bob@beacon.test", &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 1);
  req = request (f->fake, 0);
  g_assert_cmpstr (req->method, ==, "DELETE");
  g_assert_cmpstr (req->if_match, ==, etag);
  g_assert_cmpstr (req->selector, ==, "resource-lists/list[@name=\"buddies\"]/entry[@uri=\"sip:bob@beacon.test\"]");
  g_clear_pointer (&server, g_free);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "sip:carol@beacon.test=Carol");
  g_clear_pointer (&friends, g_free);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:carol@beacon.test=Carol");

  /* Removing someone who is not there sends nothing. */
  fake_xcap_clear_requests (f->fake);
  remove_friend (roster, "sip:nobody@beacon.test", &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 0);
}

static void
test_412_reapplies (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *server = NULL;
  g_autofree char *friends = NULL;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  /* Another client adds carol meanwhile: our ETag is stale. */
  fake_xcap_set_doc (f->fake, RL_KEY,
                     "<?xml version=\"1.0\"?><resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\">"
                     "<list name=\"buddies\"><entry uri=\"sip:carol@beacon.test\"><display-name>Carol</display-name>"
                     "</entry></list></resource-lists>");
  fake_xcap_clear_requests (f->fake);
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_no_error (r.error);

  /* PUT → 412, GET, PUT → 200: re-read and re-applied, not overwritten. */
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 3);
  g_assert_cmpstr (request (f->fake, 0)->method, ==, "PUT");
  g_assert_cmpuint (request (f->fake, 0)->status, ==, 412);
  g_assert_cmpstr (request (f->fake, 1)->method, ==, "GET");
  g_assert_cmpstr (request (f->fake, 2)->method, ==, "PUT");
  g_assert_cmpuint (request (f->fake, 2)->status, ==, 200);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "sip:carol@beacon.test=Carol,sip:bob@beacon.test=Bob");
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, server);
}

static void
test_conflict_gives_up (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *server = NULL;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  fake_xcap_clear_requests (f->fake);
  fake_xcap_fail_next (f->fake, "PUT", 409, 10);
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT);
  g_assert_nonnull (strstr (r.error->message, "3 tries"));
  /* Bounded: three PUTs, two re-reads in between. */
  g_assert_cmpuint (fake_xcap_count (f->fake, "PUT"), ==, BEACON_ROSTER_MAX_TRIES);
  g_assert_cmpuint (fake_xcap_count (f->fake, "GET"), ==, BEACON_ROSTER_MAX_TRIES - 1);

  /* Dropped: the list shows the server's state again. */
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 0);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "");
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "");
}

static void
test_authorize (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *blocked = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *etag = NULL;
  BeaconSubHandling handling;
  FakeRequest *req;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  /* allow: a whole-document PUT with If-Match. */
  etag = g_strdup (fake_xcap_get_etag (f->fake, PR_KEY));
  fake_xcap_clear_requests (f->fake);
  authorize (roster, "sip:carol@beacon.test", BEACON_AUTHORIZE_ALLOW, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 1);
  req = request (f->fake, 0);
  g_assert_cmpstr (req->method, ==, "PUT");
  g_assert_null (req->selector);
  g_assert_cmpstr (req->if_match, ==, etag);
  g_assert_cmpstr (req->content_type, ==, "application/auth-policy+xml");
  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:carol@beacon.test"), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_true (beacon_roster_lookup_handling (roster, "sip:carol@beacon.test", &handling));
  g_assert_cmpint (handling, ==, BEACON_SUB_HANDLING_ALLOW);
  g_clear_pointer (&rules, beacon_pres_rules_free);

  /* block and polite-block: the blacklist. */
  authorize (roster, "sip:dave@beacon.test", BEACON_AUTHORIZE_BLOCK, &r);
  g_assert_no_error (r.error);
  authorize (roster, "sip:erin@beacon.test", BEACON_AUTHORIZE_POLITE_BLOCK, &r);
  g_assert_no_error (r.error);
  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:dave@beacon.test"), ==, BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:erin@beacon.test"), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_clear_pointer (&rules, beacon_pres_rules_free);
  blocked = blocked_string (roster);
  g_assert_cmpstr (blocked, ==, "sip:dave@beacon.test,sip:erin@beacon.test");

  /* Blocking an allowed watcher moves them. */
  authorize (roster, "sip:carol@beacon.test", BEACON_AUTHORIZE_BLOCK, &r);
  g_assert_no_error (r.error);
  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:carol@beacon.test"), ==, BEACON_SUB_HANDLING_BLOCK);
  g_clear_pointer (&rules, beacon_pres_rules_free);

  /* unblock: back to the server's default (ask). */
  unblock (roster, "sip:dave@beacon.test", &r);
  g_assert_no_error (r.error);
  unblock (roster, "sip:carol@beacon.test", &r);
  g_assert_no_error (r.error);
  rules = server_rules (f->fake);
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:dave@beacon.test", &handling));
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, "sip:carol@beacon.test", &handling));
  g_clear_pointer (&rules, beacon_pres_rules_free);
  g_clear_pointer (&blocked, g_free);
  blocked = blocked_string (roster);
  g_assert_cmpstr (blocked, ==, "sip:erin@beacon.test");

  /* Unblocking someone allowed changes nothing. */
  authorize (roster, "sip:frank@beacon.test", BEACON_AUTHORIZE_ALLOW, &r);
  fake_xcap_clear_requests (f->fake);
  unblock (roster, "sip:frank@beacon.test", &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 0);

  /* allow-and-add: allowed and a friend. */
  authorize (roster, "sip:gina@beacon.test", BEACON_AUTHORIZE_ALLOW_AND_ADD, &r);
  g_assert_no_error (r.error);
  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:gina@beacon.test"), ==, BEACON_SUB_HANDLING_ALLOW);
  friends = server_friends (f->fake);
  g_assert_cmpstr (friends, ==, "sip:gina@beacon.test=");
}

static void
test_rules_412_reapplies (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(BeaconPresRules) other = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *text = NULL;
  gsize len;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  /* Another client allows zed meanwhile. */
  other = beacon_pres_rules_new_empty ();
  beacon_pres_rules_set_handling (other, "sip:zed@beacon.test", BEACON_SUB_HANDLING_ALLOW);
  text = beacon_pres_rules_build (other, &len);
  fake_xcap_set_doc (f->fake, PR_KEY, text);

  fake_xcap_clear_requests (f->fake);
  authorize (roster, "sip:dave@beacon.test", BEACON_AUTHORIZE_BLOCK, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (request (f->fake, 0)->status, ==, 412);
  g_assert_cmpstr (request (f->fake, 1)->method, ==, "GET");
  g_assert_cmpuint (request (f->fake, 2)->status, ==, 200);

  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:zed@beacon.test"), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:dave@beacon.test"), ==, BEACON_SUB_HANDLING_BLOCK);
}

static void
test_server_error_keeps_cache (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *before_rl = NULL;
  g_autofree char *before_pr = NULL;
  g_autofree char *after_rl = NULL;
  g_autofree char *after_pr = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *blocked = NULL;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  add (roster, "sip:carol@beacon.test", "Carol", &r);
  g_assert_no_error (r.error);
  before_rl = read_cache (f, "resource-lists.xml");
  before_pr = read_cache (f, "pres-rules.xml");

  /* The server refuses (as Kamailio does for a document it cannot
   * parse): SERVER_ERROR with the status, the edit dropped, the cache
   * exactly as it was. */
  fake_xcap_fail_next (f->fake, "PUT", 500, 1);
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (r.error->message, "500"));
  fake_xcap_fail_next (f->fake, "PUT", 500, 1);
  authorize (roster, "sip:dave@beacon.test", BEACON_AUTHORIZE_BLOCK, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);

  after_rl = read_cache (f, "resource-lists.xml");
  after_pr = read_cache (f, "pres-rules.xml");
  g_assert_cmpstr (after_rl, ==, before_rl);
  g_assert_cmpstr (after_pr, ==, before_pr);
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 0);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:carol@beacon.test=Carol");
  blocked = blocked_string (roster);
  g_assert_cmpstr (blocked, ==, "");
}

static void
test_bad_document (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *friends = NULL;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  add (roster, "sip:carol@beacon.test", "Carol", &r);
  g_assert_no_error (r.error);
  before = read_cache (f, "resource-lists.xml");

  /* The server now serves garbage: a clear error, the last good copy kept. */
  fake_xcap_set_doc (f->fake, RL_KEY, "this is <not xml");
  sync_roster (roster, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_BAD_DOCUMENT);
  g_assert_nonnull (strstr (r.error->message, "resource-lists"));
  after = read_cache (f, "resource-lists.xml");
  g_assert_cmpstr (after, ==, before);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:carol@beacon.test=Carol");
  /* Nothing was written over the server's document either. */
  g_assert_cmpstr (fake_xcap_get_doc (f->fake, RL_KEY), ==, "this is <not xml");
}

static void
test_unreachable_queue (Fixture       *f,
                        gconstpointer  data)
{
  guint port = closed_port ();
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", port);
  g_autoptr(BeaconRoster) roster = new_roster (f, root);
  g_autoptr(BeaconRoster) again = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *blocked = NULL;
  g_autofree char *queue = NULL;
  g_autofree char *server = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  Result r = { 0 };

  /* Nobody listens: UNREACHABLE, and the edits wait, in order. */
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_assert_true (beacon_xcap_error_is_transient (r.error));
  add (roster, "sip:carol@beacon.test", "Carol", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  remove_friend (roster, "sip:bob@beacon.test", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  authorize (roster, "sip:dave@beacon.test", BEACON_AUTHORIZE_BLOCK, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 4);

  /* They show at once. */
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:carol@beacon.test=Carol");
  blocked = blocked_string (roster);
  g_assert_cmpstr (blocked, ==, "sip:dave@beacon.test");
  queue = read_cache (f, "queue.ini");
  g_assert_nonnull (strstr (queue, "sip:carol@beacon.test"));

  /* A restart keeps the queue. */
  g_clear_object (&roster);
  again = new_roster (f, root);
  g_assert_cmpuint (beacon_roster_get_n_pending (again), ==, 4);
  g_clear_pointer (&friends, g_free);
  friends = friends_string (again);
  g_assert_cmpstr (friends, ==, "sip:carol@beacon.test=Carol");

  /* The server comes up on that port; the next sync sends the queue. */
  g_assert_cmpuint (fake_xcap_listen (f->fake, port), ==, port);
  sync_roster (again, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (beacon_roster_get_n_pending (again), ==, 0);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "sip:carol@beacon.test=Carol");
  rules = server_rules (f->fake);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:dave@beacon.test"), ==, BEACON_SUB_HANDLING_BLOCK);
  g_clear_pointer (&queue, g_free);
  queue = read_cache (f, "queue.ini");
  g_assert_null (strstr (queue, "sip:"));
}

static void
test_cache_survives_restart (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *blocked = NULL;
  g_autofree char *dead_root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", closed_port ());
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  add (roster, "sip:bob@beacon.test", "Bob", &r);
  authorize (roster, "sip:dave@beacon.test", BEACON_AUTHORIZE_POLITE_BLOCK, &r);
  g_assert_no_error (r.error);
  g_clear_object (&roster);

  /* Same account, server gone: the lists are there before any sync… */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (fake_xcap_root (f->fake), XUI, &error);

    fake_xcap_free (f->fake);
    f->fake = fake_xcap_new (NULL, NULL);
    roster = beacon_roster_new (client, f->cache_dir, NULL);
  }
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:bob@beacon.test=Bob");
  blocked = blocked_string (roster);
  g_assert_cmpstr (blocked, ==, "sip:dave@beacon.test");

  /* …and after a failed sync. */
  sync_roster (roster, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_clear_pointer (&friends, g_free);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "sip:bob@beacon.test=Bob");
  g_clear_object (&roster);

  /* Another account's cache is not shown. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (dead_root, "sip:mallory@beacon.test", &error);

    roster = beacon_roster_new (client, f->cache_dir, NULL);
  }
  g_clear_pointer (&friends, g_free);
  friends = friends_string (roster);
  g_assert_cmpstr (friends, ==, "");
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconXcapClient) client = NULL;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  client = beacon_xcap_client_new (fake_xcap_root (f->fake), XUI, &error);
  beacon_xcap_client_set_credentials (client, "alice", "wrong");
  roster = beacon_roster_new (client, f->cache_dir, NULL);

  sync_roster (roster, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);
  add (roster, "sip:bob@beacon.test", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);
  /* Kept: fixing the password is enough. */
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 1);

  beacon_xcap_client_set_credentials (client, "alice", "s3cret");
  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (beacon_roster_get_n_pending (roster), ==, 0);
  g_assert_nonnull (strstr (fake_xcap_get_doc (f->fake, RL_KEY), "sip:bob@beacon.test"));
}

static void
test_long_uri_whole_document (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autofree char *user = g_strnfill (250, 'l');
  g_autofree char *uri = g_strdup_printf ("sip:%s@beacon.test", user);
  g_autofree char *expected = g_strdup_printf ("%s=Long", uri);
  g_autofree char *server = NULL;
  FakeRequest *req;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  sync_roster (roster, &r);
  fake_xcap_clear_requests (f->fake);

  /* The selector would pass Kamailio's 255 bytes: the whole document
   * is written instead (with If-Match). */
  add (roster, uri, "Long", &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fake_xcap_requests (f->fake)->len, ==, 1);
  req = request (f->fake, 0);
  g_assert_null (req->selector);
  g_assert_nonnull (req->if_match);
  g_assert_cmpuint (strlen (req->path), <=, 255);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, expected);

  fake_xcap_clear_requests (f->fake);
  remove_friend (roster, uri, &r);
  g_assert_no_error (r.error);
  g_assert_null (request (f->fake, 0)->selector);
  g_clear_pointer (&server, g_free);
  server = server_friends (f->fake);
  g_assert_cmpstr (server, ==, "");
}

static void
on_changed (BeaconRoster *roster,
            guint        *count)
{
  (*count)++;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  guint count = 0;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  g_signal_connect (roster, "changed", G_CALLBACK (on_changed), &count);
  sync_roster (roster, &r);
  g_assert_cmpuint (count, >=, 1);
  count = 0;
  xcap_result_reset (&r);
  beacon_roster_add_async (roster, "sip:bob@beacon.test", "Bob", NULL, xcap_result_on_edit, &r);
  /* Emitted at once, before the server answered: the UI shows the edit. */
  g_assert_cmpuint (count, ==, 1);
  run_until (&r.done, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (count, >=, 2);
}

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Result *r = user_data;
  GPtrArray **out = g_object_get_data (source, "test-buddies");
  GStrv *blocked = g_object_get_data (source, "test-blocked");

  r->ok = beacon_roster_store_load_finish (BEACON_ROSTER_STORE (source), result, out, blocked, &r->error);
  r->done = TRUE;
}

static void
on_store_handled (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Result *r = user_data;
  r->ok = beacon_roster_store_set_handling_finish (BEACON_ROSTER_STORE (source), result, &r->error);
  r->done = TRUE;
}

static void
store_load (BeaconRoster  *roster,
            GPtrArray    **buddies,
            GStrv         *blocked,
            Result        *r)
{
  xcap_result_reset (r);
  g_object_set_data (G_OBJECT (roster), "test-buddies", buddies);
  g_object_set_data (G_OBJECT (roster), "test-blocked", blocked);
  beacon_roster_store_load_async (BEACON_ROSTER_STORE (roster), NULL, on_store_loaded, r);
  run_until (&r->done, 30);
}

/* The BeaconRosterStore the server account uses. */
static void
test_roster_store (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(GPtrArray) buddies = NULL;
  g_auto(GStrv) blocked = NULL;
  g_autofree char *dead_root = g_strdup_printf ("http://127.0.0.1:%u/xcap-root", closed_port ());
  BeaconBuddy *buddy;
  BeaconSubHandling handling;
  Result r = { 0 };

  fake_xcap_listen (f->fake, 0);
  roster = new_roster (f, fake_xcap_root (f->fake));
  g_assert_true (BEACON_IS_ROSTER_STORE (roster));

  /* load = sync (bootstrap) + the lists. */
  store_load (roster, &buddies, &blocked, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (buddies->len, ==, 0);
  g_assert_cmpuint (g_strv_length (blocked), ==, 0);
  g_assert_nonnull (fake_xcap_get_doc (f->fake, RLS_KEY));
  g_clear_pointer (&buddies, g_ptr_array_unref);
  g_clear_pointer (&blocked, g_strfreev);

  add (roster, "sip:bob@beacon.test", "Bob", &r);
  g_assert_no_error (r.error);
  xcap_result_reset (&r);
  beacon_roster_store_set_handling_async (BEACON_ROSTER_STORE (roster), "sip:dave@beacon.test",
                                          BEACON_SUB_HANDLING_POLITE_BLOCK, NULL, on_store_handled, &r);
  run_until (&r.done, 30);
  g_assert_no_error (r.error);

  store_load (roster, &buddies, &blocked, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (buddies->len, ==, 1);
  buddy = g_ptr_array_index (buddies, 0);
  g_assert_cmpstr (beacon_buddy_get_uri (buddy), ==, "sip:bob@beacon.test");
  g_assert_cmpstr (beacon_buddy_get_display_name (buddy), ==, "Bob");
  g_assert_cmpuint (g_strv_length (blocked), ==, 1);
  g_assert_cmpstr (blocked[0], ==, "sip:dave@beacon.test");
  g_clear_pointer (&buddies, g_ptr_array_unref);
  g_clear_pointer (&blocked, g_strfreev);

  /* CONFIRM takes a watcher off the blacklist. */
  xcap_result_reset (&r);
  beacon_roster_store_set_handling_async (BEACON_ROSTER_STORE (roster), "sip:dave@beacon.test",
                                          BEACON_SUB_HANDLING_CONFIRM, NULL, on_store_handled, &r);
  run_until (&r.done, 30);
  g_assert_no_error (r.error);
  g_assert_false (beacon_roster_lookup_handling (roster, "sip:dave@beacon.test", &handling));
  g_clear_object (&roster);

  /* Server down, saved copy there: load still gives the lists. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (fake_xcap_root (f->fake), XUI, &error);

    fake_xcap_free (f->fake);
    f->fake = fake_xcap_new (NULL, NULL);
    roster = beacon_roster_new (client, f->cache_dir, NULL);
  }
  store_load (roster, &buddies, &blocked, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (buddies->len, ==, 1);
  g_clear_pointer (&buddies, g_ptr_array_unref);
  g_clear_pointer (&blocked, g_strfreev);
  g_clear_object (&roster);

  /* …but with nothing saved, the error. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BeaconXcapClient) client = beacon_xcap_client_new (dead_root, "sip:zoe@beacon.test", &error);

    roster = beacon_roster_new (client, f->cache_dir, NULL);
  }
  store_load (roster, &buddies, &blocked, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNREACHABLE);
  g_assert_null (buddies);
}

int
main (int   argc,
      char *argv[])
{
  static const char *const users[] = { "alice:s3cret", NULL };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/xcap/roster/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("bootstrap", test_bootstrap, users);
  ADD ("bootstrap-keeps-other-data", test_bootstrap_keeps_other_data, NULL);
  ADD ("add-remove", test_add_remove, users);
  ADD ("412-reapplies", test_412_reapplies, NULL);
  ADD ("conflict-gives-up", test_conflict_gives_up, NULL);
  ADD ("authorize", test_authorize, NULL);
  ADD ("rules-412-reapplies", test_rules_412_reapplies, NULL);
  ADD ("server-error-keeps-cache", test_server_error_keeps_cache, NULL);
  ADD ("bad-document", test_bad_document, NULL);
  ADD ("unreachable-queue", test_unreachable_queue, NULL);
  ADD ("cache-survives-restart", test_cache_survives_restart, NULL);
  ADD ("unauthorized", test_unauthorized, users);
  ADD ("long-uri-whole-document", test_long_uri_whole_document, NULL);
  ADD ("changed-signal", test_changed_signal, NULL);
  ADD ("roster-store", test_roster_store, NULL);
#undef ADD

  return g_test_run ();
}
