/* beacon-sip-presence-body.c — what a presence NOTIFY says about whom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-sip"

#include "beacon-sip-presence-body.h"

#include "beacon-format-error.h"
#include "beacon-multipart.h"
#include "beacon-pidf.h"
#include "beacon-sip-header.h"

void
beacon_sip_presence_update_free (BeaconSipPresenceUpdate *update)
{
  if (update == NULL)
    return;
  g_free (update->uri);
  g_free (update->display_name);
  g_free (update->reason);
  g_free (update->note);
  g_free (update);
}

void
beacon_sip_presence_body_free (BeaconSipPresenceBody *body)
{
  if (body == NULL)
    return;
  g_clear_pointer (&body->rlmi, beacon_rlmi_free);
  g_clear_pointer (&body->updates, g_ptr_array_unref);
  g_free (body);
}

static BeaconSipPresenceBody *
body_new (void)
{
  BeaconSipPresenceBody *body = g_new0 (BeaconSipPresenceBody, 1);

  body->updates = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_sip_presence_update_free);
  return body;
}

static char *
media_type_of (const char *content_type)
{
  g_autoptr(BeaconSipContentType) ct = NULL;

  if (content_type == NULL)
    return NULL;
  ct = beacon_sip_content_type_parse (content_type, NULL);
  return ct ? g_strdup (ct->media_type) : NULL;
}

static gboolean
is_pidf_type (const char *media_type)
{
  /* application/cpim-pidf+xml is the old name some servers still use. */
  return g_strcmp0 (media_type, "application/pidf+xml") == 0 ||
         g_strcmp0 (media_type, "application/cpim-pidf+xml") == 0;
}

/* Fills @update's presence from a PIDF document; FALSE if unreadable. */
static gboolean
read_pidf (BeaconSipPresenceUpdate  *update,
           const char               *data,
           gsize                     len,
           GError                  **error)
{
  g_autoptr(BeaconPidf) pidf = NULL;

  if (beacon_pidf_body_is_empty (data, len))
    {
      /* Kamailio's NOTIFY for a politely blocked watcher: hidden, so shown
       * offline. */
      update->has_presence = TRUE;
      update->status = BEACON_STATUS_OFFLINE;
      return TRUE;
    }
  pidf = beacon_pidf_parse (data, len, error);
  if (pidf == NULL)
    return FALSE;
  beacon_pidf_summarize (pidf, &update->status, &update->note);
  update->has_presence = TRUE;
  return TRUE;
}

static gboolean parse_list (BeaconSipPresenceBody  *out,
                            const BeaconMultipart  *mp,
                            guint                   depth,
                            GError                **error);

/* One RLMI resource: its state, and the presence of its active instance. */
/* Content-ID → part of @mp (the first of equal ids, as
 * beacon_multipart_find_by_cid): a big list names thousands of parts, and
 * a linear search per resource made one NOTIFY quadratic. */
static GHashTable *
index_parts (const BeaconMultipart *mp)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; mp != NULL && i < mp->parts->len; i++)
    {
      BeaconMultipartPart *part = g_ptr_array_index (mp->parts, i);

      if (part->content_id != NULL && !g_hash_table_contains (index, part->content_id))
        g_hash_table_insert (index, part->content_id, part);
    }
  return index;
}

static const BeaconMultipartPart *
find_part (const BeaconMultipart *mp,
           GHashTable            *index,
           const char            *cid)
{
  g_autofree char *wanted = beacon_multipart_normalize_cid (cid);
  const BeaconMultipartPart *part = wanted ? g_hash_table_lookup (index, wanted) : NULL;

  /* Not there as written: the case-insensitive search of the formats layer. */
  return part != NULL ? part : beacon_multipart_find_by_cid (mp, cid);
}

static void
read_resource (BeaconSipPresenceBody    *out,
               const BeaconMultipart    *mp,
               GHashTable               *index,
               const BeaconRlmiResource *resource,
               guint                     depth)
{
  BeaconSipPresenceUpdate *update;
  BeaconRlmiState state = beacon_rlmi_resource_state (resource);
  const BeaconRlmiInstance *with_part = NULL;
  const char *reason = NULL;

  for (guint i = 0; i < resource->instances->len; i++)
    {
      const BeaconRlmiInstance *instance = g_ptr_array_index (resource->instances, i);

      if (instance->reason != NULL && reason == NULL)
        reason = instance->reason;
      if (instance->cid != NULL && (with_part == NULL || instance->state == BEACON_RLMI_STATE_ACTIVE))
        with_part = instance;
    }

  if (mp == NULL)
    with_part = NULL;
  if (with_part != NULL)
    {
      const BeaconMultipartPart *part = find_part (mp, index, with_part->cid);

      if (part != NULL && beacon_multipart_part_is_multipart (part))
        {
          /* A nested list: its resources stand for this one. */
          g_autoptr(BeaconMultipart) nested = beacon_multipart_parse_part (mp, part, NULL);

          if (nested != NULL && parse_list (out, nested, depth + 1, NULL))
            return;
        }
    }

  update = g_new0 (BeaconSipPresenceUpdate, 1);
  update->uri = g_strdup (resource->uri);
  update->display_name = g_strdup (resource->name);
  update->reason = g_strdup (reason);
  switch (state)
    {
    case BEACON_RLMI_STATE_ACTIVE:
      update->subscription = BEACON_SUBSCRIPTION_ACTIVE;
      break;
    case BEACON_RLMI_STATE_PENDING:
      update->subscription = BEACON_SUBSCRIPTION_PENDING;
      break;
    case BEACON_RLMI_STATE_TERMINATED:
    default:
      update->subscription = g_strcmp0 (reason, "rejected") == 0 ? BEACON_SUBSCRIPTION_REJECTED
                                                                   : BEACON_SUBSCRIPTION_NONE;
      break;
    }

  /* A pending or ended subscription's last document says nothing about
   * now: such a buddy shows offline. */
  if (with_part != NULL && state == BEACON_RLMI_STATE_ACTIVE)
    {
      const BeaconMultipartPart *part = find_part (mp, index, with_part->cid);
      g_autoptr(GError) local_error = NULL;

      if (part == NULL)
        g_debug ("RLMI names part <%s> for %s, but the body has no such part",
                 with_part->cid, resource->uri);
      else if (part->content_type != NULL && !is_pidf_type (part->content_type))
        g_debug ("part <%s> for %s is %s, not PIDF", with_part->cid, resource->uri,
                 part->content_type);
      else
        {
          gsize len;
          const char *data = g_bytes_get_data (part->body, &len);

          if (!read_pidf (update, data, len, &local_error))
            g_debug ("PIDF of %s unreadable: %s", resource->uri, local_error->message);
        }
    }
  g_ptr_array_add (out->updates, update);
}

/* Reads an RLMI document and its resources' parts in @mp (NULL: a bare
 * RLMI body without parts). */
static gboolean
parse_rlmi (BeaconSipPresenceBody  *out,
            const BeaconMultipart  *mp,
            const char             *data,
            gsize                   len,
            guint                   depth,
            GError                **error)
{
  g_autoptr(BeaconRlmi) rlmi = beacon_rlmi_parse (data, len, error);
  g_autoptr(GHashTable) index = NULL;

  if (rlmi == NULL)
    return FALSE;
  index = index_parts (mp);
  for (guint i = 0; i < rlmi->resources->len; i++)
    read_resource (out, mp, index, g_ptr_array_index (rlmi->resources, i), depth);
  if (depth == 0)
    out->rlmi = g_steal_pointer (&rlmi);
  return TRUE;
}

static gboolean
parse_list (BeaconSipPresenceBody  *out,
            const BeaconMultipart  *mp,
            guint                   depth,
            GError                **error)
{
  const BeaconMultipartPart *root = beacon_multipart_get_root (mp, NULL);
  gsize len;
  const char *data;

  if (root == NULL || (root->content_type != NULL &&
                       g_strcmp0 (root->content_type, "application/rlmi+xml") != 0))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "Event-list notification whose root part is %s, not application/rlmi+xml",
                   root && root->content_type ? root->content_type : "missing");
      return FALSE;
    }
  data = g_bytes_get_data (root->body, &len);
  return parse_rlmi (out, mp, data, len, depth, error);
}

BeaconSipPresenceBody *
beacon_sip_presence_body_parse (const char  *content_type,
                                const char  *body,
                                gsize        len,
                                const char  *resource_uri,
                                GError     **error)
{
  g_autoptr(BeaconSipPresenceBody) out = body_new ();
  g_autofree char *media_type = media_type_of (content_type);

  if (body == NULL || len == 0 || content_type == NULL)
    return g_steal_pointer (&out);  /* e.g. a pending subscription */

  if (g_strcmp0 (media_type, "multipart/related") == 0)
    {
      g_autoptr(BeaconMultipart) mp = beacon_multipart_parse (content_type, body, len, error);

      if (mp == NULL || !parse_list (out, mp, 0, error))
        return NULL;
      out->is_list = TRUE;
      return g_steal_pointer (&out);
    }

  if (g_strcmp0 (media_type, "application/rlmi+xml") == 0)
    {
      /* An RLMI document alone: a list with no presence parts. */
      if (!parse_rlmi (out, NULL, body, len, 0, error))
        return NULL;
      out->is_list = TRUE;
      return g_steal_pointer (&out);
    }

  if (is_pidf_type (media_type))
    {
      BeaconSipPresenceUpdate *update = g_new0 (BeaconSipPresenceUpdate, 1);

      update->uri = g_strdup (resource_uri);
      update->subscription = BEACON_SUBSCRIPTION_ACTIVE;
      g_ptr_array_add (out->updates, update);
      if (!read_pidf (update, body, len, error))
        return NULL;
      return g_steal_pointer (&out);
    }

  g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
               "Presence notification of type %s, neither PIDF nor an event list",
               media_type ? media_type : content_type);
  return NULL;
}
