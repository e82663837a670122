/* beacon-cli-decode.c — `beacon-cli decode FILE|-`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-cli"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "beacon-cli-commands.h"
#include "beacon-cli-decode.h"
#include "beacon-json.h"
#include "formats/beacon-cpim.h"
#include "formats/beacon-format-error.h"
#include "formats/beacon-pidf.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"
#include "formats/beacon-rlmi.h"
#include "formats/beacon-rls-services.h"
#include "formats/beacon-sip-message.h"
#include "formats/beacon-watcherinfo.h"
#include "formats/beacon-sip-presence-body.h"

/* Larger input is refused before any parser sees it. */
#define DECODE_MAX_INPUT (4 * 1024 * 1024)

static const char *
subscription_name (BeaconSubscription subscription)
{
  switch (subscription)
    {
    case BEACON_SUBSCRIPTION_PENDING:
      return "pending";
    case BEACON_SUBSCRIPTION_ACTIVE:
      return "active";
    case BEACON_SUBSCRIPTION_REJECTED:
      return "rejected";
    case BEACON_SUBSCRIPTION_NONE:
    default:
      return "terminated";
    }
}

static const char *
basic_name (BeaconPidfBasic basic)
{
  return basic == BEACON_PIDF_BASIC_OPEN ? "open" : basic == BEACON_PIDF_BASIC_CLOSED ? "closed" : NULL;
}

static void
write_strings (BeaconJson *json,
               const char *key,
               GPtrArray  *strings)
{
  beacon_json_begin_array (json, key);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    beacon_json_string (json, NULL, g_ptr_array_index (strings, i));
  beacon_json_end_array (json);
}

static gboolean
decode_pidf (BeaconJson  *json,
             const char  *body,
             gsize        len,
             GError     **error)
{
  g_autoptr(BeaconPidf) pidf = beacon_pidf_parse (body, len, error);
  BeaconStatus status;
  g_autofree char *note = NULL;
  gboolean open = FALSE;

  if (pidf == NULL)
    return FALSE;
  beacon_pidf_summarize (pidf, &status, &note);
  for (guint i = 0; i < pidf->tuples->len; i++)
    open |= ((BeaconPidfTuple *) pidf->tuples->pdata[i])->basic == BEACON_PIDF_BASIC_OPEN;

  beacon_json_string (json, "type", "pidf");
  beacon_json_string (json, "entity", pidf->entity);
  beacon_json_string (json, "basic", open ? "open" : "closed");
  beacon_json_string (json, "status", beacon_status_to_string (status));
  beacon_json_string (json, "note", note);
  write_strings (json, "activities", pidf->activities);
  beacon_json_begin_array (json, "tuples");
  for (guint i = 0; i < pidf->tuples->len; i++)
    {
      BeaconPidfTuple *t = pidf->tuples->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "id", t->id);
      beacon_json_string (json, "basic", basic_name (t->basic));
      beacon_json_string (json, "im", t->im);
      beacon_json_string (json, "contact", t->contact);
      if (t->priority >= 0)
        beacon_json_double (json, "priority", t->priority);
      else
        beacon_json_null (json, "priority");
      write_strings (json, "notes", t->notes);
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  return TRUE;
}

static gboolean
decode_presence_list (BeaconJson  *json,
                      const char  *content_type,
                      const char  *body,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(BeaconSipPresenceBody) presence =
    beacon_sip_presence_body_parse (content_type, body, len, NULL, error);

  if (presence == NULL)
    return FALSE;
  if (!presence->is_list || presence->rlmi == NULL)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "multipart body has no RLMI root part");
      return FALSE;
    }

  beacon_json_string (json, "type", "rlmi");
  beacon_json_string (json, "list", presence->rlmi->uri);
  beacon_json_int (json, "version", presence->rlmi->version);
  beacon_json_bool (json, "fullState", presence->rlmi->full_state);
  beacon_json_begin_array (json, "resources");
  for (guint i = 0; i < presence->updates->len; i++)
    {
      BeaconSipPresenceUpdate *u = presence->updates->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "uri", u->uri);
      beacon_json_string (json, "name", u->display_name);
      beacon_json_string (json, "state", subscription_name (u->subscription));
      beacon_json_string (json, "reason", u->reason);
      if (u->has_presence)
        {
          beacon_json_begin_object (json, "presence");
          beacon_json_string (json, "status", beacon_status_to_string (u->status));
          beacon_json_string (json, "note", u->note);
          beacon_json_end_object (json);
        }
      else
        beacon_json_null (json, "presence");
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  return TRUE;
}

static gboolean
decode_watcherinfo (BeaconJson  *json,
                    const char  *body,
                    gsize        len,
                    GError     **error)
{
  g_autoptr(BeaconWatcherinfo) winfo = beacon_watcherinfo_parse (body, len, error);

  if (winfo == NULL)
    return FALSE;
  beacon_json_string (json, "type", "watcherinfo");
  beacon_json_int (json, "version", winfo->version);
  beacon_json_string (json, "state", winfo->full ? "full" : "partial");
  beacon_json_begin_array (json, "lists");
  for (guint i = 0; i < winfo->lists->len; i++)
    {
      BeaconWatcherList *list = winfo->lists->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "resource", list->resource);
      beacon_json_string (json, "package", list->package);
      beacon_json_begin_array (json, "watchers");
      for (guint k = 0; k < list->watchers->len; k++)
        {
          BeaconWatcher *w = list->watchers->pdata[k];

          beacon_json_begin_object (json, NULL);
          beacon_json_string (json, "uri", w->uri);
          beacon_json_string (json, "id", w->id);
          beacon_json_string (json, "status", beacon_watcher_status_to_string (w->status));
          beacon_json_string (json, "event", beacon_watcher_event_to_string (w->event));
          beacon_json_end_object (json);
        }
      beacon_json_end_array (json);
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  return TRUE;
}

static void
write_resource_list (BeaconJson         *json,
                     BeaconResourceList *list)
{
  beacon_json_begin_object (json, NULL);
  beacon_json_string (json, "name", list->name);
  beacon_json_begin_array (json, "entries");
  for (guint i = 0; i < list->entries->len; i++)
    {
      BeaconResourceEntry *e = list->entries->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "uri", e->uri);
      beacon_json_string (json, "name", e->display_name);
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  beacon_json_begin_array (json, "lists");
  for (guint i = 0; i < list->lists->len; i++)
    write_resource_list (json, list->lists->pdata[i]);
  beacon_json_end_array (json);
  beacon_json_end_object (json);
}

static gboolean
decode_resource_lists (BeaconJson  *json,
                       const char  *body,
                       gsize        len,
                       GError     **error)
{
  g_autoptr(BeaconResourceLists) doc = beacon_resource_lists_parse (body, len, error);

  if (doc == NULL)
    return FALSE;
  beacon_json_string (json, "type", "resource-lists");
  beacon_json_begin_array (json, "lists");
  for (guint i = 0; i < doc->lists->len; i++)
    write_resource_list (json, doc->lists->pdata[i]);
  beacon_json_end_array (json);
  return TRUE;
}

static gboolean
decode_rls_services (BeaconJson  *json,
                     const char  *body,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(BeaconRlsServices) doc = beacon_rls_services_parse (body, len, error);

  if (doc == NULL)
    return FALSE;
  beacon_json_string (json, "type", "rls-services");
  beacon_json_begin_array (json, "services");
  for (guint i = 0; i < doc->services->len; i++)
    {
      BeaconRlsService *s = doc->services->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "uri", s->uri);
      beacon_json_string (json, "resourceList", s->resource_list);
      write_strings (json, "packages", s->packages);
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  return TRUE;
}

static gboolean
decode_pres_rules (BeaconJson  *json,
                   const char  *body,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(BeaconPresRules) rules = beacon_pres_rules_parse (body, len, error);

  if (rules == NULL)
    return FALSE;
  beacon_json_string (json, "type", "pres-rules");
  beacon_json_bool (json, "validForKamailio", !rules->invalid_for_kamailio);
  beacon_json_begin_array (json, "rules");
  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *r = rules->rules->pdata[i];

      beacon_json_begin_object (json, NULL);
      beacon_json_string (json, "id", r->id);
      beacon_json_string (json, "handling", beacon_sub_handling_to_string (r->handling));
      beacon_json_bool (json, "anyone", r->any_identity);
      write_strings (json, "identities", r->identities);
      beacon_json_end_object (json);
    }
  beacon_json_end_array (json);
  return TRUE;
}

static gboolean
decode_cpim (BeaconJson  *json,
             const char  *body,
             gsize        len,
             GError     **error)
{
  g_autoptr(BeaconCpim) cpim = beacon_cpim_parse (body, len, error);

  if (cpim == NULL)
    return FALSE;
  beacon_json_string (json, "type", "cpim");
  beacon_json_string (json, "from", cpim->from_uri ? cpim->from_uri : cpim->from);
  beacon_json_string (json, "to", cpim->to_uri ? cpim->to_uri : cpim->to);
  beacon_json_string (json, "datetime", cpim->datetime);
  beacon_json_string (json, "contentType", cpim->content_type);
  beacon_json_string (json, "text", cpim->text);
  return TRUE;
}

/* The local name of the root element of an XML body, for bare bodies. */
static char *
xml_root_name (const char *body,
               gsize       len)
{
  const char *p = body, *end = body + len;

  while (p < end)
    {
      p = memchr (p, '<', end - p);
      if (p == NULL || p + 1 >= end)
        return NULL;
      p++;
      if (*p == '?' || *p == '!')
        continue;
      {
        const char *name = p, *colon = NULL;

        while (p < end && (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == ':' || *p == '.'))
          {
            if (*p == ':')
              colon = p;
            p++;
          }
        if (colon != NULL)
          name = colon + 1;
        return p > name ? g_strndup (name, p - name) : NULL;
      }
    }
  return NULL;
}

static gboolean
decode_xml_by_root (BeaconJson  *json,
                    const char  *body,
                    gsize        len,
                    GError     **error)
{
  g_autofree char *root = xml_root_name (body, len);

  if (g_strcmp0 (root, "presence") == 0)
    return decode_pidf (json, body, len, error);
  if (g_strcmp0 (root, "watcherinfo") == 0)
    return decode_watcherinfo (json, body, len, error);
  if (g_strcmp0 (root, "resource-lists") == 0)
    return decode_resource_lists (json, body, len, error);
  if (g_strcmp0 (root, "rls-services") == 0)
    return decode_rls_services (json, body, len, error);
  if (g_strcmp0 (root, "ruleset") == 0 || g_strcmp0 (root, "rule") == 0)
    return decode_pres_rules (json, body, len, error);
  if (g_strcmp0 (root, "list") == 0)
    {
      g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_parse (body, len, error);

      if (rlmi == NULL)
        return FALSE;
      beacon_json_string (json, "type", "rlmi");
      beacon_json_string (json, "list", rlmi->uri);
      beacon_json_int (json, "version", rlmi->version);
      beacon_json_bool (json, "fullState", rlmi->full_state);
      beacon_json_begin_array (json, "resources");
      for (guint i = 0; i < rlmi->resources->len; i++)
        {
          BeaconRlmiResource *r = rlmi->resources->pdata[i];

          beacon_json_begin_object (json, NULL);
          beacon_json_string (json, "uri", r->uri);
          beacon_json_string (json, "name", r->name);
          beacon_json_string (json, "state", beacon_rlmi_state_to_string (beacon_rlmi_resource_state (r)));
          beacon_json_null (json, "presence");
          beacon_json_end_object (json);
        }
      beacon_json_end_array (json);
      return TRUE;
    }
  g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
               "unknown XML document <%s>", root ? root : "?");
  return FALSE;
}

/* A body whose Content-Type is known. */
static gboolean
decode_body (BeaconJson  *json,
             const char  *content_type,
             const char  *body,
             gsize        len,
             GError     **error)
{
  g_autofree char *media = NULL;

  if (beacon_pidf_body_is_empty (body, len))
    {
      /* Kamailio's polite-block answer: an active subscription that tells nothing. */
      beacon_json_string (json, "type", "empty");
      return TRUE;
    }
  if (content_type == NULL)
    return decode_xml_by_root (json, body, len, error);

  media = g_ascii_strdown (content_type, -1);
  media[strcspn (media, ";")] = '\0';
  g_strstrip (media);
  if (g_str_equal (media, "application/pidf+xml"))
    return decode_pidf (json, body, len, error);
  if (g_str_equal (media, "multipart/related"))
    return decode_presence_list (json, content_type, body, len, error);
  if (g_str_equal (media, "application/watcherinfo+xml"))
    return decode_watcherinfo (json, body, len, error);
  if (g_str_equal (media, "message/cpim"))
    return decode_cpim (json, body, len, error);
  if (g_str_equal (media, "text/plain"))
    {
      g_autofree char *text = g_utf8_make_valid (body, len);

      beacon_json_string (json, "type", "text");
      beacon_json_string (json, "text", text);
      return TRUE;
    }
  if (g_str_has_suffix (media, "+xml") || g_str_equal (media, "application/xml"))
    return decode_xml_by_root (json, body, len, error);
  g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
               "no decoder for Content-Type %s", media);
  return FALSE;
}

static gboolean
looks_like_sip (const char *data,
                gsize       len)
{
  static const char *const starts[] = {
    "SIP/2.0", "NOTIFY", "SUBSCRIBE", "PUBLISH", "MESSAGE", "REGISTER", "OPTIONS",
    "INVITE", "ACK", "BYE", "CANCEL", "INFO", "UPDATE", "REFER", "PRACK",
  };

  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (len >= strlen (starts[i]) && strncmp (data, starts[i], strlen (starts[i])) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
decode_sip (BeaconJson  *json,
            const char  *data,
            gsize        len,
            GError     **error)
{
  g_autoptr(BeaconSipMessage) msg = beacon_sip_message_parse (data, len, error);
  const char *content_type, *event, *state;
  gsize body_len;
  const char *body;

  if (msg == NULL)
    return FALSE;

  beacon_json_string (json, "kind", msg->is_request ? "request" : "response");
  if (msg->is_request)
    {
      beacon_json_string (json, "method", msg->method);
      beacon_json_string (json, "uri", msg->request_uri);
    }
  else
    {
      beacon_json_int (json, "status", msg->status_code);
      beacon_json_string (json, "reason", msg->reason);
    }
  beacon_json_string (json, "from", beacon_sip_message_get_header (msg, "From"));
  beacon_json_string (json, "to", beacon_sip_message_get_header (msg, "To"));
  beacon_json_string (json, "callId", beacon_sip_message_get_header (msg, "Call-ID"));
  event = beacon_sip_message_get_header (msg, "Event");
  beacon_json_string (json, "event", event);
  state = beacon_sip_message_get_header (msg, "Subscription-State");
  if (state != NULL)
    {
      g_autofree char *token = beacon_sip_header_value_token (state);
      g_autofree char *expires = beacon_sip_header_param (state, "expires");
      g_autofree char *reason = beacon_sip_header_param (state, "reason");

      beacon_json_begin_object (json, "subscriptionState");
      beacon_json_string (json, "state", token);
      if (expires != NULL)
        beacon_json_int (json, "expires", g_ascii_strtoll (expires, NULL, 10));
      beacon_json_string (json, "reason", reason);
      beacon_json_end_object (json);
    }
  beacon_json_string (json, "sipETag", beacon_sip_message_get_header (msg, "SIP-ETag"));
  beacon_json_string (json, "sipIfMatch", beacon_sip_message_get_header (msg, "SIP-If-Match"));
  beacon_json_string (json, "expires", beacon_sip_message_get_header (msg, "Expires"));
  content_type = beacon_sip_message_get_header (msg, "Content-Type");
  beacon_json_string (json, "contentType", content_type);
  beacon_json_bool (json, "contentLengthMismatch", msg->content_length_mismatch);

  body = g_bytes_get_data (msg->body, &body_len);
  if (body_len == 0 && content_type == NULL)
    {
      beacon_json_null (json, "body");
      return TRUE;
    }
  beacon_json_begin_object (json, "body");
  if (!decode_body (json, content_type, body ? body : "", body_len, error))
    {
      g_prefix_error (error, "%s body: ", content_type ? content_type : "message");
      return FALSE;
    }
  beacon_json_end_object (json);
  return TRUE;
}

char *
beacon_cli_decode_bytes (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(BeaconJson) json = beacon_json_new ();
  const char *p = data;
  gsize left = len;
  gboolean ok;

  if (len > DECODE_MAX_INPUT)
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                   "input of %" G_GSIZE_FORMAT " bytes is over the %d byte limit",
                   len, DECODE_MAX_INPUT);
      return NULL;
    }
  while (left > 0 && g_ascii_isspace (*p))
    p++, left--;
  if (left == 0)
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING, "input is empty");
      return NULL;
    }

  beacon_json_begin_object (json, NULL);
  if (looks_like_sip (p, left))
    ok = decode_sip (json, p, left, error);
  else if (*p == '<')
    ok = decode_xml_by_root (json, p, left, error);
  else if (left > 2 && p[0] == '-' && p[1] == '-')
    {
      /* A bare multipart body: its first line names the boundary. */
      gsize n = strcspn (p + 2, "\r\n");
      g_autofree char *boundary = g_strndup (p + 2, n);
      g_autofree char *content_type = g_strdup_printf ("multipart/related;type=\"application/rlmi+xml\";boundary=\"%s\"",
                                                       boundary);
      ok = decode_presence_list (json, content_type, p, left, error);
    }
  else if (g_ascii_strncasecmp (p, "From:", 5) == 0 || g_ascii_strncasecmp (p, "NS:", 3) == 0 ||
           g_ascii_strncasecmp (p, "To:", 3) == 0)
    ok = decode_cpim (json, p, left, error);
  else
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                           "not a SIP message or a known SIMPLE body");
      ok = FALSE;
    }
  if (!ok)
    return NULL;
  beacon_json_end_object (json);
  return beacon_json_free_to_text (g_steal_pointer (&json));
}

int
beacon_cli_decode (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *out = NULL;
  gsize len = 0;

  if (argc != 2 || strcmp (argv[1], "--help") == 0)
    {
      fprintf (argc == 2 ? stdout : stderr, "%s\n%s\n",
               _("Usage: beacon-cli decode FILE|-"),
               _("Decodes a raw SIP message or a SIMPLE body and prints it as one JSON object."));
      return argc == 2 ? 0 : 2;
    }

  if (strcmp (argv[1], "-") == 0)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GByteArray) all = g_byte_array_new ();

      /* Read one byte over the limit, so that oversize input is reported. */
      while ((bytes = g_input_stream_read_bytes (in, 65536, NULL, &error)) != NULL &&
             g_bytes_get_size (bytes) > 0 && all->len <= DECODE_MAX_INPUT)
        {
          g_byte_array_append (all, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          g_clear_pointer (&bytes, g_bytes_unref);
        }
      if (error == NULL)
        {
          len = all->len;
          data = (char *) g_byte_array_free (g_steal_pointer (&all), FALSE);
        }
    }
  else
    g_file_get_contents (argv[1], &data, &len, &error);

  if (error == NULL)
    out = beacon_cli_decode_bytes (data, len, &error);
  if (out == NULL)
    {
      fprintf (stderr, "beacon-cli decode: %s\n", error->message);
      return 1;
    }
  printf ("%s\n", out);
  return 0;
}
