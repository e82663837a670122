/* beacon-rlmi.c — RLMI, resource list meta-information (RFC 4662)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-rlmi.h"

#include <string.h>

#include "beacon-format-error.h"
#include "beacon-xml.h"

BeaconRlmiName *
beacon_rlmi_name_new (const char *lang,
                      const char *text)
{
  BeaconRlmiName *name = g_new0 (BeaconRlmiName, 1);

  name->lang = g_strdup (lang);
  name->text = g_strdup (text);
  return name;
}

void
beacon_rlmi_name_free (BeaconRlmiName *name)
{
  if (name == NULL)
    return;
  g_free (name->lang);
  g_free (name->text);
  g_free (name);
}

BeaconRlmiInstance *
beacon_rlmi_instance_new (const char      *id,
                          BeaconRlmiState  state,
                          const char      *reason,
                          const char      *cid)
{
  BeaconRlmiInstance *instance = g_new0 (BeaconRlmiInstance, 1);

  instance->id = g_strdup (id);
  instance->state = state;
  instance->reason = g_strdup (reason);
  instance->cid = g_strdup (cid);
  return instance;
}

void
beacon_rlmi_instance_free (BeaconRlmiInstance *instance)
{
  if (instance == NULL)
    return;
  g_free (instance->id);
  g_free (instance->reason);
  g_free (instance->cid);
  g_free (instance);
}

BeaconRlmiResource *
beacon_rlmi_resource_new (const char *uri,
                          const char *name)
{
  BeaconRlmiResource *resource = g_new0 (BeaconRlmiResource, 1);

  resource->uri = g_strdup (uri);
  resource->name = g_strdup (name);
  resource->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_rlmi_instance_free);
  return resource;
}

void
beacon_rlmi_resource_free (BeaconRlmiResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->uri);
  g_free (resource->name);
  g_ptr_array_unref (resource->instances);
  g_free (resource);
}

BeaconRlmi *
beacon_rlmi_new (const char *uri,
                 guint       version,
                 gboolean    full_state)
{
  BeaconRlmi *rlmi = g_new0 (BeaconRlmi, 1);

  rlmi->uri = g_strdup (uri);
  rlmi->version = version;
  rlmi->full_state = full_state;
  rlmi->names = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_rlmi_name_free);
  rlmi->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_rlmi_resource_free);
  return rlmi;
}

void
beacon_rlmi_free (BeaconRlmi *rlmi)
{
  if (rlmi == NULL)
    return;
  g_free (rlmi->uri);
  g_free (rlmi->cid);
  g_ptr_array_unref (rlmi->names);
  g_ptr_array_unref (rlmi->resources);
  g_free (rlmi);
}

const char *
beacon_rlmi_state_to_string (BeaconRlmiState state)
{
  switch (state)
    {
    case BEACON_RLMI_STATE_ACTIVE:
      return "active";
    case BEACON_RLMI_STATE_TERMINATED:
      return "terminated";
    case BEACON_RLMI_STATE_PENDING:
    default:
      return "pending";
    }
}

char *
beacon_rlmi_normalize_cid (const char *raw)
{
  g_autoptr(GString) cid = NULL;
  gboolean changed = TRUE;

  if (raw == NULL)
    return NULL;

  cid = g_string_new (NULL);
  for (const char *p = raw; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (cid, *p);

  /* Loop to a fixed point so that normalising twice changes nothing:
   * `<cid:<x>>` and `cid:cid:x` both end as `x`. */
  while (changed && cid->len > 0)
    {
      changed = FALSE;
      if (cid->str[0] == '<' && cid->str[cid->len - 1] == '>' && cid->len >= 2)
        {
          g_string_truncate (cid, cid->len - 1);
          g_string_erase (cid, 0, 1);
          changed = TRUE;
        }
      else if (cid->len >= 4 && g_ascii_strncasecmp (cid->str, "cid:", 4) == 0)
        {
          g_string_erase (cid, 0, 4);
          changed = TRUE;
        }
    }
  if (cid->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&cid), FALSE);
}

BeaconRlmiState
beacon_rlmi_resource_state (const BeaconRlmiResource *resource)
{
  gboolean pending = FALSE;

  g_return_val_if_fail (resource != NULL, BEACON_RLMI_STATE_PENDING);

  if (resource->instances->len == 0)
    return BEACON_RLMI_STATE_PENDING;
  for (guint i = 0; i < resource->instances->len; i++)
    {
      const BeaconRlmiInstance *instance = g_ptr_array_index (resource->instances, i);

      if (instance->state == BEACON_RLMI_STATE_ACTIVE)
        return BEACON_RLMI_STATE_ACTIVE;
      if (instance->state == BEACON_RLMI_STATE_PENDING)
        pending = TRUE;
    }
  return pending ? BEACON_RLMI_STATE_PENDING : BEACON_RLMI_STATE_TERMINATED;
}

BeaconRlmiApply
beacon_rlmi_check_version (guint             last_version,
                           gboolean          have_last,
                           const BeaconRlmi *rlmi)
{
  g_return_val_if_fail (rlmi != NULL, BEACON_RLMI_NEED_RESUBSCRIBE);

  if (rlmi->full_state)
    return BEACON_RLMI_APPLY;
  if (!have_last)
    return BEACON_RLMI_NEED_RESUBSCRIBE;
  if (rlmi->version <= last_version)
    return BEACON_RLMI_IGNORE_STALE;
  if ((guint64) rlmi->version == (guint64) last_version + 1)
    return BEACON_RLMI_APPLY;
  return BEACON_RLMI_NEED_RESUBSCRIBE;
}

/* ---- parsing ---------------------------------------------------------- */

/* Attribute values go into error messages; keep those readable. */
static char *
shorten (const char *value)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (value, -1) <= 40)
    return g_strdup (value);
  head = g_utf8_substring (value, 0, 40);
  return g_strconcat (head, "…", NULL);
}

static gboolean
parse_uint32 (const char *text,
              guint      *out)
{
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXUINT32)
        return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static char *
required_prop (xmlNode     *node,
               const char  *name,
               const char  *where,
               GError     **error)
{
  char *value = beacon_xml_prop (node, name);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                   "RLMI %s has no %s attribute", where, name);
      g_free (value);
      return NULL;
    }
  return value;
}

static char *
name_lang (xmlNode *node)
{
  /* beacon_xml_prop() ignores namespaces, so "lang" also finds xml:lang. */
  char *lang = beacon_xml_prop (node, "lang");

  if (lang == NULL)
    lang = beacon_xml_prop (node, "language");
  if (lang != NULL && *lang == '\0')
    g_clear_pointer (&lang, g_free);
  return lang;
}

static BeaconRlmiState
parse_state (const char *state,
             const char *reason)
{
  if (state == NULL || *state == '\0')
    {
      /* Old Kamailio rls wrote no state on pending and terminated instances
       * of partial NOTIFYs, only a reason on the terminated ones. */
      return reason != NULL ? BEACON_RLMI_STATE_TERMINATED : BEACON_RLMI_STATE_PENDING;
    }
  if (g_ascii_strcasecmp (state, "active") == 0)
    return BEACON_RLMI_STATE_ACTIVE;
  if (g_ascii_strcasecmp (state, "terminated") == 0)
    return BEACON_RLMI_STATE_TERMINATED;
  /* "pending" and anything unknown: not reachable, not gone either. */
  return BEACON_RLMI_STATE_PENDING;
}

static BeaconRlmiInstance *
parse_instance (xmlNode     *node,
                const char  *resource_uri,
                GError     **error)
{
  g_autofree char *where = NULL;
  g_autofree char *id = NULL;
  g_autofree char *state = beacon_xml_prop (node, "state");
  g_autofree char *reason = beacon_xml_prop (node, "reason");
  g_autofree char *raw_cid = beacon_xml_prop (node, "cid");
  g_autofree char *cid = beacon_rlmi_normalize_cid (raw_cid);
  g_autofree char *short_uri = shorten (resource_uri);

  where = g_strdup_printf ("<instance> of %s", short_uri);
  id = required_prop (node, "id", where, error);
  if (id == NULL)
    return NULL;
  if (reason != NULL && *reason == '\0')
    g_clear_pointer (&reason, g_free);

  return beacon_rlmi_instance_new (id, parse_state (state, reason), reason, cid);
}

static BeaconRlmiResource *
parse_resource (xmlNode  *node,
                GError  **error)
{
  g_autoptr(BeaconRlmiResource) resource = NULL;
  g_autofree char *uri = required_prop (node, "uri", "<resource>", error);

  if (uri == NULL)
    return NULL;
  resource = beacon_rlmi_resource_new (uri, NULL);

  for (xmlNode *n = beacon_xml_child (node, "name"); n != NULL && resource->name == NULL;
       n = beacon_xml_next (n, "name"))
    resource->name = beacon_xml_text (n);

  for (xmlNode *n = beacon_xml_child (node, "instance"); n != NULL;
       n = beacon_xml_next (n, "instance"))
    {
      BeaconRlmiInstance *instance = parse_instance (n, uri, error);

      if (instance == NULL)
        return NULL;
      g_ptr_array_add (resource->instances, instance);
    }
  return g_steal_pointer (&resource);
}

static BeaconRlmi *
parse_list (xmlNode  *root,
            GError  **error)
{
  g_autoptr(BeaconRlmi) rlmi = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *version = NULL;
  g_autofree char *full_state = NULL;
  g_autofree char *raw_cid = NULL;
  guint version_value = 0;
  gboolean full_value = FALSE;

  if (!beacon_xml_is (root, "list"))
    {
      g_autofree char *name = shorten ((const char *) root->name);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "RLMI document has a <%s> root element instead of <list>", name);
      return NULL;
    }
  if ((uri = required_prop (root, "uri", "<list>", error)) == NULL ||
      (version = required_prop (root, "version", "<list>", error)) == NULL ||
      (full_state = required_prop (root, "fullState", "<list>", error)) == NULL)
    return NULL;
  if (!parse_uint32 (version, &version_value))
    {
      g_autofree char *value = shorten (version);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "RLMI <list> version “%s” is not an unsigned 32-bit integer", value);
      return NULL;
    }
  if (!parse_bool (full_state, &full_value))
    {
      g_autofree char *value = shorten (full_state);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_INVALID_VALUE,
                   "RLMI <list> fullState “%s” is not true, false, 1 or 0", value);
      return NULL;
    }

  rlmi = beacon_rlmi_new (uri, version_value, full_value);
  raw_cid = beacon_xml_prop (root, "cid");
  rlmi->cid = beacon_rlmi_normalize_cid (raw_cid);

  for (xmlNode *n = beacon_xml_child (root, "name"); n != NULL; n = beacon_xml_next (n, "name"))
    {
      g_autofree char *text = beacon_xml_text (n);
      g_autofree char *lang = name_lang (n);

      if (text != NULL)
        g_ptr_array_add (rlmi->names, beacon_rlmi_name_new (lang, text));
    }

  for (xmlNode *n = beacon_xml_child (root, "resource"); n != NULL;
       n = beacon_xml_next (n, "resource"))
    {
      BeaconRlmiResource *resource;

      if (rlmi->resources->len >= BEACON_RLMI_MAX_RESOURCES)
        {
          g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE,
                       "RLMI <list> has more than %d resources", BEACON_RLMI_MAX_RESOURCES);
          return NULL;
        }
      resource = parse_resource (n, error);
      if (resource == NULL)
        return NULL;
      g_ptr_array_add (rlmi->resources, resource);
    }
  return g_steal_pointer (&rlmi);
}

BeaconRlmi *
beacon_rlmi_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  /* Oversized input goes to beacon_xml_parse() untouched to be refused. */
  if (len > 0 && len <= BEACON_XML_MAX_SIZE)
    {
      repaired = beacon_xml_repair (data, len, BEACON_XML_REPAIR_GLUE, NULL, &repaired_len);
      data = repaired;
      len = repaired_len;
    }
  /* Strict: recovery would turn a truncated full-state document into a
   * shorter list, silently dropping the buddies after the cut. */
  doc = beacon_xml_parse (data, len, BEACON_XML_STRICT, error);
  if (doc == NULL)
    return NULL;
  return parse_list (xmlDocGetRootElement (doc), error);
}

/* ---- building --------------------------------------------------------- */

static void
set_prop (xmlNode    *node,
          const char *name,
          const char *value)
{
  if (value != NULL)
    xmlNewProp (node, (const xmlChar *) name, (const xmlChar *) value);
}

static void
add_name (xmlNode    *parent,
          xmlNs      *ns,
          const char *lang,
          const char *text)
{
  xmlNode *node;

  if (text == NULL)
    return;
  node = xmlNewTextChild (parent, ns, (const xmlChar *) "name", (const xmlChar *) text);
  if (lang != NULL)
    xmlNodeSetLang (node, (const xmlChar *) lang);
}

char *
beacon_rlmi_build (const BeaconRlmi *rlmi,
                   gsize            *len)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *version = NULL;
  xmlNode *list;
  xmlNs *ns;

  g_return_val_if_fail (rlmi != NULL, NULL);

  doc = xmlNewDoc ((const xmlChar *) "1.0");
  list = xmlNewDocNode (doc, NULL, (const xmlChar *) "list", NULL);
  ns = xmlNewNs (list, (const xmlChar *) BEACON_RLMI_NAMESPACE, NULL);
  xmlSetNs (list, ns);
  xmlDocSetRootElement (doc, list);

  version = g_strdup_printf ("%u", rlmi->version);
  set_prop (list, "uri", rlmi->uri);
  set_prop (list, "version", version);
  set_prop (list, "fullState", rlmi->full_state ? "true" : "false");
  set_prop (list, "cid", rlmi->cid);

  for (guint i = 0; rlmi->names != NULL && i < rlmi->names->len; i++)
    {
      const BeaconRlmiName *name = g_ptr_array_index (rlmi->names, i);

      add_name (list, ns, name->lang, name->text);
    }

  for (guint i = 0; rlmi->resources != NULL && i < rlmi->resources->len; i++)
    {
      const BeaconRlmiResource *resource = g_ptr_array_index (rlmi->resources, i);
      xmlNode *node = xmlNewChild (list, ns, (const xmlChar *) "resource", NULL);

      set_prop (node, "uri", resource->uri);
      add_name (node, ns, NULL, resource->name);
      for (guint k = 0; resource->instances != NULL && k < resource->instances->len; k++)
        {
          const BeaconRlmiInstance *instance = g_ptr_array_index (resource->instances, k);
          xmlNode *inode = xmlNewChild (node, ns, (const xmlChar *) "instance", NULL);

          set_prop (inode, "id", instance->id);
          set_prop (inode, "state", beacon_rlmi_state_to_string (instance->state));
          set_prop (inode, "reason", instance->reason);
          set_prop (inode, "cid", instance->cid);
        }
    }
  return beacon_xml_to_string (doc, len);
}
