/* test-xcap-kamailio.c — BeaconXcapClient and BeaconRoster against
 * Kamailio's xcap_server (run by run-with-kamailio.sh, suite "server")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"
#include "formats/beacon-rls-services.h"
#include "xcap/beacon-roster.h"
#include "xcap-fake-server.h"
#include "beacon-test-util.h"

static const char *xcap_root;
static const char *domain;

typedef struct {
  char     *cache_dir;
  char     *cache_dir2;
  char     *xui;
  guint     conflicts;  /* 412s the client logged */
  guint     handler;
} Fixture;

typedef XcapResult Result;


static BeaconXcapClient *
client_for (const char *user,
            const char *password)
{
  g_autofree char *xui = g_strdup_printf ("sip:%s@%s", user, domain);
  g_autoptr(GError) error = NULL;
  BeaconXcapClient *client = beacon_xcap_client_new (xcap_root, xui, &error);

  g_assert_no_error (error);
  beacon_xcap_client_set_timeout (client, 5);
  if (password != NULL)
    beacon_xcap_client_set_credentials (client, user, password);
  return client;
}

static void
on_get (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Result *r = user_data;
  r->bytes = beacon_xcap_client_get_finish (BEACON_XCAP_CLIENT (source), result, NULL, &r->error);
  r->ok = r->bytes != NULL;
  r->done = TRUE;
}

static void
on_put (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Result *r = user_data;
  r->ok = beacon_xcap_client_put_finish (BEACON_XCAP_CLIENT (source), result, NULL, &r->error);
  r->done = TRUE;
}

static void
on_delete (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;
  r->ok = beacon_xcap_client_delete_finish (BEACON_XCAP_CLIENT (source), result, NULL, &r->error);
  r->done = TRUE;
}



static void
get (BeaconXcapClient *client,
     const char       *auid,
     const char       *selector,
     Result           *r)
{
  xcap_result_reset (r);
  beacon_xcap_client_get_async (client, auid, "index", selector, NULL, on_get, r);
  run_until (&r->done, 30);
}

static void
put (BeaconXcapClient *client,
     const char       *auid,
     const char       *body,
     Result           *r)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  xcap_result_reset (r);
  beacon_xcap_client_put_async (client, auid, "index", NULL, bytes, NULL, on_put, r);
  run_until (&r->done, 30);
}

static void
sync_roster (BeaconRoster *roster,
             Result       *r)
{
  xcap_result_reset (r);
  beacon_roster_sync_async (roster, NULL, xcap_result_on_sync, r);
  run_until (&r->done, 60);
}

#define EDIT(call, r) \
  G_STMT_START { xcap_result_reset (r); call; run_until (&(r)->done, 60); } G_STMT_END

/* The server's copy of one of @user's documents, as text. */
static char *
server_doc (const char *user,
            const char *password,
            const char *auid)
{
  g_autoptr(BeaconXcapClient) client = client_for (user, password);
  Result r = { 0 };
  char *text;

  get (client, auid, NULL, &r);
  g_assert_no_error (r.error);
  text = g_strndup (g_bytes_get_data (r.bytes, NULL), g_bytes_get_size (r.bytes));
  xcap_result_reset (&r);
  return text;
}

/* Kamailio's element PUT of an existing entry removes it and appends the
 * new one, so the order is not kept: friends are compared sorted. */
static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static char *
sorted (const char *list)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);

  if (*list == '\0')
    return g_strdup ("");
  qsort (items, g_strv_length (items), sizeof (char *), compare_strings);
  return g_strjoinv (",", items);
}

static char *
server_friends (void)
{
  g_autofree char *doc = server_doc ("alice", "alice-pw", "resource-lists");
  g_autoptr(BeaconResourceLists) lists = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  BeaconResourceList *buddies;

  lists = beacon_resource_lists_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  buddies = beacon_resource_lists_find_list (lists, "buddies");
  g_assert_nonnull (buddies);
  for (guint i = 0; i < buddies->entries->len; i++)
    {
      BeaconResourceEntry *e = g_ptr_array_index (buddies->entries, i);
      g_string_append_printf (out, "%s%s=%s", i ? "," : "", e->uri, e->display_name ? e->display_name : "");
    }
  return sorted (out->str);
}

static BeaconPresRules *
server_rules (void)
{
  g_autofree char *doc = server_doc ("alice", "alice-pw", "pres-rules");
  g_autoptr(GError) error = NULL;
  BeaconPresRules *rules = beacon_pres_rules_parse (doc, strlen (doc), &error);

  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  return rules;
}

static char *
uri (const char *user)
{
  return g_strdup_printf ("sip:%s@%s", user, domain);
}


static void
count_conflicts (const char     *log_domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  Fixture *f = user_data;

  /* The client logs each answer as "METHOD what → STATUS reason". */
  if (strstr (message, "→ 412 ") != NULL)
    f->conflicts++;
}

/* Each test starts with none of alice's documents on the server. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BeaconXcapClient) client = client_for ("alice", "alice-pw");
  const char *auids[] = { "resource-lists", "rls-services", "pres-rules" };

  for (guint i = 0; i < G_N_ELEMENTS (auids); i++)
    {
      Result r = { 0 };

      /* Kamailio answers 500 for a document that is not there: fine. */
      beacon_xcap_client_delete_async (client, auids[i], "index", NULL, NULL, on_delete, &r);
      run_until (&r.done, 30);
      xcap_result_reset (&r);
    }
  f->cache_dir = g_dir_make_tmp ("beacon-xcap-kam-XXXXXX", NULL);
  f->cache_dir2 = g_dir_make_tmp ("beacon-xcap-kam-XXXXXX", NULL);
  f->xui = uri ("alice");
  f->handler = g_log_set_handler ("beacon-xcap", G_LOG_LEVEL_DEBUG, count_conflicts, f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_log_remove_handler ("beacon-xcap", f->handler);
  beacon_test_remove_tree (f->cache_dir);
  beacon_test_remove_tree (f->cache_dir2);
  g_free (f->cache_dir);
  g_free (f->cache_dir2);
  g_free (f->xui);
}

static BeaconRoster *
alice_roster (const char *cache_dir)
{
  g_autoptr(BeaconXcapClient) client = client_for ("alice", "alice-pw");
  return beacon_roster_new (client, cache_dir, NULL);
}

static void
test_bootstrap (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autoptr(BeaconRlsServices) services = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *friends = NULL;
  g_autofree char *rls = NULL;
  g_autofree char *service_uri = g_strdup_printf ("sip:alice-list@%s", domain);
  g_autofree char *list_url = NULL;
  BeaconRlsService *service;
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  friends = server_friends ();
  g_assert_cmpstr (friends, ==, "");
  rules = server_rules ();
  g_assert_cmpuint (rules->rules->len, ==, 0);

  rls = server_doc ("alice", "alice-pw", "rls-services");
  services = beacon_rls_services_parse (rls, strlen (rls), &error);
  g_assert_no_error (error);
  service = beacon_rls_services_find_service (services, service_uri);
  g_assert_nonnull (service);
  list_url = g_strdup_printf ("%s/resource-lists/users/sip:alice@%s/index/~~/"
                              "resource-lists/list%%5b@name=%%22buddies%%22%%5d", xcap_root, domain);
  g_assert_cmpint (g_ascii_strcasecmp (service->resource_list, list_url), ==, 0);

  /* A second login finds everything in place. */
  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  xcap_result_reset (&r);
}

static void
test_add_remove (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autofree char *bob = uri ("bob");
  g_autofree char *carol = uri ("carol");
  g_autofree char *friends = NULL;
  g_autofree char *expected = NULL;
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  EDIT (beacon_roster_add_async (roster, bob, "Bob", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_add_async (roster, carol, "Carol & co", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Bob,%s=Carol & co", bob, carol);
  g_assert_cmpstr (friends, ==, expected);

  /* A rename replaces the one entry (selected by its uri). */
  EDIT (beacon_roster_add_async (roster, bob, "Robert", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_clear_pointer (&friends, g_free);
  g_clear_pointer (&expected, g_free);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Robert,%s=Carol & co", bob, carol);
  g_assert_cmpstr (friends, ==, expected);

  EDIT (beacon_roster_remove_async (roster, bob, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_clear_pointer (&friends, g_free);
  g_clear_pointer (&expected, g_free);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Carol & co", carol);
  g_assert_cmpstr (friends, ==, expected);
  g_assert_cmpuint (f->conflicts, ==, 0);
  xcap_result_reset (&r);
}

static void
test_authorize (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *carol = uri ("carol");
  g_autofree char *dave = uri ("dave");
  g_autofree char *erin = uri ("erin");
  g_autofree char *frank = uri ("frank");
  g_autofree char *friends = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) blocked = NULL;
  BeaconSubHandling handling;
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);

  EDIT (beacon_roster_authorize_async (roster, carol, BEACON_AUTHORIZE_ALLOW, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_authorize_async (roster, dave, BEACON_AUTHORIZE_BLOCK, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_authorize_async (roster, erin, BEACON_AUTHORIZE_POLITE_BLOCK, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  rules = server_rules ();
  g_assert_cmpint (beacon_pres_rules_lookup (rules, carol), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, dave), ==, BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, erin), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_clear_pointer (&rules, beacon_pres_rules_free);

  EDIT (beacon_roster_unblock_async (roster, dave, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  rules = server_rules ();
  g_assert_false (beacon_pres_rules_lookup_explicit (rules, dave, &handling));
  g_assert_cmpint (beacon_pres_rules_lookup (rules, erin), ==, BEACON_SUB_HANDLING_POLITE_BLOCK);
  blocked = beacon_roster_dup_blocked (roster);
  g_assert_cmpuint (g_strv_length (blocked), ==, 1);
  g_assert_cmpstr (blocked[0], ==, erin);
  g_clear_pointer (&rules, beacon_pres_rules_free);

  EDIT (beacon_roster_authorize_async (roster, frank, BEACON_AUTHORIZE_ALLOW_AND_ADD, NULL,
                                      xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  rules = server_rules ();
  g_assert_cmpint (beacon_pres_rules_lookup (rules, frank), ==, BEACON_SUB_HANDLING_ALLOW);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=", frank);
  g_assert_cmpstr (friends, ==, expected);
  xcap_result_reset (&r);
}

static void
test_stale_etag (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BeaconRoster) a = alice_roster (f->cache_dir);
  g_autoptr(BeaconRoster) b = alice_roster (f->cache_dir2);
  g_autoptr(BeaconXcapClient) raw = client_for ("alice", "alice-pw");
  g_autoptr(BeaconXcapClient) other = client_for ("alice", "alice-pw");
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *zed = uri ("zed");
  g_autofree char *dave = uri ("dave");
  g_autofree char *bob = uri ("bob");
  g_autofree char *carol = uri ("carol");
  g_autofree char *friends = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *doc = NULL;
  Result r = { 0 };

  sync_roster (a, &r);
  g_assert_no_error (r.error);
  sync_roster (b, &r);
  g_assert_no_error (r.error);

  /* The client: a PUT with an ETag that is no longer current is 412. */
  get (raw, "pres-rules", NULL, &r);
  g_assert_no_error (r.error);
  doc = g_strndup (g_bytes_get_data (r.bytes, NULL), g_bytes_get_size (r.bytes));
  get (other, "pres-rules", NULL, &r);
  put (other, "pres-rules", doc, &r);
  g_assert_no_error (r.error);
  put (raw, "pres-rules", doc, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_CONFLICT);
  g_assert_nonnull (strstr (r.error->message, "412"));

  /* The roster: b allows zed; a, whose copy is older, blocks dave. a's
   * write gets 412, re-reads, and keeps b's rule. */
  f->conflicts = 0;
  EDIT (beacon_roster_authorize_async (b, zed, BEACON_AUTHORIZE_ALLOW, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_authorize_async (a, dave, BEACON_AUTHORIZE_BLOCK, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->conflicts, >=, 1);
  rules = server_rules ();
  g_assert_cmpint (beacon_pres_rules_lookup (rules, zed), ==, BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, dave), ==, BEACON_SUB_HANDLING_BLOCK);

  /* Same with the friends list (element PUT with a stale If-Match). */
  f->conflicts = 0;
  EDIT (beacon_roster_add_async (b, bob, "Bob", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_add_async (a, carol, "Carol", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->conflicts, >=, 1);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Bob,%s=Carol", bob, carol);
  g_assert_cmpstr (friends, ==, expected);

  /* Removing what someone else already removed: 412, re-read, nothing
   * left to do (Kamailio would answer a DELETE of a missing entry 500). */
  sync_roster (b, &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_remove_async (b, carol, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  f->conflicts = 0;
  EDIT (beacon_roster_remove_async (a, carol, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->conflicts, ==, 1);
  g_clear_pointer (&friends, g_free);
  g_clear_pointer (&expected, g_free);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Bob", bob);
  g_assert_cmpstr (friends, ==, expected);
  xcap_result_reset (&r);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BeaconXcapClient) none = client_for ("alice", NULL);
  g_autoptr(BeaconXcapClient) wrong = client_for ("alice", "not-the-password");
  g_autoptr(BeaconRoster) roster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_xui = uri ("bob");
  Result r = { 0 };

  /* Kamailio's xhttp route does digest (qop=auth) for XCAP. */
  get (none, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);
  get (wrong, "resource-lists", NULL, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);

  roster = beacon_roster_new (wrong, f->cache_dir, NULL);
  sync_roster (roster, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_UNAUTHORIZED);

  /* Someone else's documents: 403. */
  {
    g_autoptr(BeaconXcapClient) nosy = beacon_xcap_client_new (xcap_root, bob_xui, &error);
    g_assert_no_error (error);
    beacon_xcap_client_set_credentials (nosy, "alice", "alice-pw");
    get (nosy, "resource-lists", NULL, &r);
    g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_FORBIDDEN);
  }
  xcap_result_reset (&r);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autoptr(BeaconXcapClient) client = client_for ("alice", "alice-pw");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  before = server_doc ("alice", "alice-pw", "resource-lists");

  /* Kamailio answers a malformed document with 500 (not 409). */
  get (client, "resource-lists", NULL, &r);
  put (client, "resource-lists", "<resource-lists><list", &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (r.error->message, "500"));
  after = server_doc ("alice", "alice-pw", "resource-lists");
  g_assert_cmpstr (after, ==, before);
  xcap_result_reset (&r);
}

static void
test_uri_limit (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BeaconXcapClient) client = client_for ("alice", "alice-pw");
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autofree char *name = g_strnfill (200, 'n');
  g_autofree char *selector = g_strdup_printf ("resource-lists/list[@name=\"%s\"]", name);
  g_autofree char *long_user = g_strnfill (230, 'l');
  g_autofree char *long_uri = g_strdup_printf ("sip:%s@%s", long_user, domain);
  g_autofree char *friends = NULL;
  g_autofree char *expected = NULL;
  Result r = { 0 };

  /* Over 255 bytes the client refuses before sending… */
  get (client, "resource-lists", selector, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_URI_TOO_LONG);
  /* …because Kamailio would fail it (500), not say 404 or 414. */
  beacon_xcap_client_set_max_uri_length (client, 0);
  get (client, "resource-lists", selector, &r);
  g_assert_error (r.error, BEACON_XCAP_ERROR, BEACON_XCAP_ERROR_SERVER_ERROR);

  /* The roster writes such a friend with a whole-document PUT. */
  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_add_async (roster, long_uri, "Long", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  friends = server_friends ();
  expected = g_strdup_printf ("%s=Long", long_uri);
  g_assert_cmpstr (friends, ==, expected);
  EDIT (beacon_roster_remove_async (roster, long_uri, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  g_clear_pointer (&friends, g_free);
  friends = server_friends ();
  g_assert_cmpstr (friends, ==, "");
  xcap_result_reset (&r);
}

/* Runs one of tests/server/sipp's UAC scenarios as @user (password
 * USER-pw) towards sip:@service@DOMAIN; returns its message log (NULL and
 * a skipped test without sipp). The exit status is not checked: the
 * callers look for the messages they expect in the log. */
static char *
run_sipp (const char        *tag,
          const char        *scenario_name,
          const char        *user,
          const char        *service,
          const char *const *extra)
{
  g_autofree char *sipp = g_find_program_in_path ("sipp");
  const char *source_root = g_getenv ("BEACON_SOURCE_ROOT");
  const char *rundir = g_getenv ("BEACON_TEST_RUNDIR");
  const char *host = g_getenv ("BEACON_TEST_SIP_HOST");
  g_autofree char *scenario = NULL;
  g_autofree char *message_log = NULL;
  g_autofree char *error_log = NULL;
  g_autofree char *target = NULL;
  g_autofree char *password = g_strdup_printf ("%s-pw", user);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *log = NULL;

  if (sipp == NULL || source_root == NULL || rundir == NULL || host == NULL)
    {
      /* Fail, not skip: the other subtests would still report the program OK. */
      g_test_fail_printf ("needs sipp (sip-tester) and run-with-kamailio.sh");
      return NULL;
    }
  scenario = g_strdup_printf ("%s/tests/server/sipp/%s.xml", source_root, scenario_name);
  message_log = g_strdup_printf ("%s/sipp-%s.log", rundir, tag);
  error_log = g_strdup_printf ("%s/sipp-%s.err", rundir, tag);
  target = g_strdup_printf ("%s:%s", host, g_getenv ("BEACON_TEST_SIP_PORT"));
  {
    const char *args[] = {
      "timeout", "40", sipp, target, "-sf", scenario, "-m", "1",
      "-i", host, "-bind_local", "-t", "u1", "-nostdin",
      "-default_behaviors", "all,-bye", "-key", "domain", domain, "-key", "user", user,
      "-s", service, "-au", user, "-ap", password,
      "-recv_timeout", "5000", "-timeout", "30s", "-timeout_error",
      "-trace_msg", "-message_file", message_log, "-trace_err", "-error_file", error_log,
    };
    for (guint i = 0; i < G_N_ELEMENTS (args); i++)
      g_ptr_array_add (argv, (gpointer) args[i]);
  }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (message_log, &log, NULL, NULL));
  return log;
}

/* The proof that the rls-services document is right: Kamailio's RLS
 * accepts a SUBSCRIBE to sip:alice-list@DOMAIN and lists the friends. */
static void
test_rls_uses_the_list (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autofree char *bob = uri ("bob");
  g_autofree char *log = NULL;
  g_autofree char *wanted = NULL;
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_add_async (roster, bob, "Bob", NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);

  log = run_sipp ("rls", "subscribe-list", "alice", "alice-list", NULL);
  if (log == NULL)
    return;
  /* 200 with Require: eventlist: the RLS found the service… */
  g_assert_nonnull (strstr (log, "Require: eventlist"));
  /* …and resolved its <resource-list> to the buddies list. */
  wanted = g_strdup_printf ("<resource uri=\"%s\"", bob);
  g_assert_nonnull (strstr (log, wanted));
  xcap_result_reset (&r);
}

/* The proof that the pres-rules document is one presence_xml applies:
 * a blocked watcher is rejected, an allowed one is active. */
static void
test_rules_apply (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BeaconRoster) roster = alice_roster (f->cache_dir);
  g_autofree char *bob = uri ("bob");
  g_autofree char *carol = uri ("carol");
  g_autofree char *bob_log = NULL;
  g_autofree char *carol_log = NULL;
  const char *const presence[] = { "-key", "event", "presence", "-key", "accept", "application/pidf+xml", NULL };
  Result r = { 0 };

  sync_roster (roster, &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_authorize_async (roster, bob, BEACON_AUTHORIZE_BLOCK, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);
  EDIT (beacon_roster_authorize_async (roster, carol, BEACON_AUTHORIZE_ALLOW, NULL, xcap_result_on_edit, &r), &r);
  g_assert_no_error (r.error);

  bob_log = run_sipp ("sub-bob", "subscribe", "bob", "alice", presence);
  if (bob_log == NULL)
    return;
  g_assert_nonnull (strstr (bob_log, "Subscription-State: terminated;reason=rejected"));
  carol_log = run_sipp ("sub-carol", "subscribe", "carol", "alice", presence);
  g_assert_nonnull (strstr (carol_log, "Subscription-State: active"));
  g_assert_null (strstr (carol_log, "reason=rejected"));
  xcap_result_reset (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  xcap_root = g_getenv ("BEACON_TEST_XCAP_ROOT");
  domain = g_getenv ("BEACON_TEST_DOMAIN");
  if (xcap_root == NULL || domain == NULL)
    {
      g_test_skip ("run through run-with-kamailio.sh (BEACON_TEST_XCAP_ROOT unset)");
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/xcap/kamailio/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("bootstrap", test_bootstrap);
  ADD ("add-remove", test_add_remove);
  ADD ("authorize", test_authorize);
  ADD ("stale-etag", test_stale_etag);
  ADD ("unauthorized", test_unauthorized);
  ADD ("malformed", test_malformed);
  ADD ("uri-limit", test_uri_limit);
  ADD ("rls-uses-the-list", test_rls_uses_the_list);
  ADD ("rules-apply", test_rules_apply);
#undef ADD

  return g_test_run ();
}
