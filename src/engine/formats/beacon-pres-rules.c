/* beacon-pres-rules.c — pres-rules documents: model, parse and build (the
 * editing and lookup live in beacon-pres-rules-edit.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-pres-rules.h"

#include <string.h>
#include <libxml/tree.h>

#include "beacon-format-error.h"
#include "beacon-xcap-util.h"
#include "beacon-xml.h"

/* libxml2's option to drop namespace declarations an ancestor already
 * makes; tree.c defines it but the header does not export it. */
#define RECONCILE_REMOVE_REDUNDANT 1

static const struct {
  BeaconSubHandling handling;
  const char *name;
} handling_names[] = {
  { BEACON_SUB_HANDLING_BLOCK, "block" },
  { BEACON_SUB_HANDLING_CONFIRM, "confirm" },
  { BEACON_SUB_HANDLING_POLITE_BLOCK, "polite-block" },
  { BEACON_SUB_HANDLING_ALLOW, "allow" },
};

const char *
beacon_sub_handling_to_string (BeaconSubHandling handling)
{
  for (guint i = 0; i < G_N_ELEMENTS (handling_names); i++)
    if (handling_names[i].handling == handling)
      return handling_names[i].name;
  return "confirm";
}

BeaconSubHandling
beacon_authorization_to_handling (BeaconAuthorization answer)
{
  switch (answer)
    {
    case BEACON_AUTHORIZE_BLOCK:
      return BEACON_SUB_HANDLING_BLOCK;
    case BEACON_AUTHORIZE_POLITE_BLOCK:
      return BEACON_SUB_HANDLING_POLITE_BLOCK;
    case BEACON_AUTHORIZE_ALLOW:
    case BEACON_AUTHORIZE_ALLOW_AND_ADD:
    default:
      return BEACON_SUB_HANDLING_ALLOW;
    }
}

gboolean
beacon_sub_handling_from_string (const char        *str,
                                 BeaconSubHandling *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (str != NULL ? str : ""));

  for (guint i = 0; i < G_N_ELEMENTS (handling_names); i++)
    if (g_ascii_strcasecmp (copy, handling_names[i].name) == 0)
      {
        if (out != NULL)
          *out = handling_names[i].handling;
        return TRUE;
      }
  return FALSE;
}

BeaconPresRule *
beacon_pres_rule_new (const char        *id,
                      BeaconSubHandling  handling)
{
  BeaconPresRule *rule = g_new0 (BeaconPresRule, 1);

  rule->id = g_strdup (id);
  rule->handling = handling;
  rule->identities = g_ptr_array_new_with_free_func (g_free);
  rule->except_ids = g_ptr_array_new_with_free_func (g_free);
  rule->except_domains = g_ptr_array_new_with_free_func (g_free);
  rule->extra_conditions = g_ptr_array_new_with_free_func (g_free);
  rule->extra_actions = g_ptr_array_new_with_free_func (g_free);
  rule->extra_transformations = g_ptr_array_new_with_free_func (g_free);
  return rule;
}

void
beacon_pres_rule_free (BeaconPresRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->domain);
  g_ptr_array_unref (rule->identities);
  g_ptr_array_unref (rule->except_ids);
  g_ptr_array_unref (rule->except_domains);
  g_ptr_array_unref (rule->extra_conditions);
  g_ptr_array_unref (rule->extra_actions);
  g_ptr_array_unref (rule->extra_transformations);
  g_free (rule);
}

BeaconPresRules *
beacon_pres_rules_new_empty (void)
{
  BeaconPresRules *rules = g_new0 (BeaconPresRules, 1);

  rules->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_pres_rule_free);
  return rules;
}

void
beacon_pres_rules_free (BeaconPresRules *rules)
{
  if (rules == NULL)
    return;
  g_ptr_array_unref (rules->rules);
  g_free (rules);
}

BeaconPresRule *
beacon_pres_rules_find_rule (const BeaconPresRules *rules,
                             const char            *id)
{
  g_return_val_if_fail (rules != NULL, NULL);

  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);
      if (g_strcmp0 (rule->id, id) == 0)
        return rule;
    }
  return NULL;
}

/* ---- parse ---- */

/* Takes ownership of @s; NULL is dropped. */
static void
str_array_add (GPtrArray *array,
               char      *s)
{
  if (s != NULL)
    g_ptr_array_add (array, s);
}

/* Drops repeated strings keeping the first, in linear time: a rule may name
 * thousands of watchers. */
static void
str_array_dedup (GPtrArray *array)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint kept = 0;

  for (guint i = 0; i < array->len; i++)
    {
      char *s = g_ptr_array_index (array, i);

      /* (g_hash_table_add() would replace the key it already has with
       * @s, then freed: found by fuzz-xcap with a name given three times) */
      if (g_hash_table_contains (seen, s))
        g_free (s);
      else
        {
          g_hash_table_add (seen, s);
          array->pdata[kept++] = s;
        }
    }
  array->len = kept;
}

/* An element Beacon does not model, as a standalone string: copying it into
 * a document of its own adds the namespace declarations it used from its
 * ancestors. */
static char *
node_to_string (const xmlNode *node)
{
  g_autoptr(xmlDoc) doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *copy = xmlDocCopyNode ((xmlNode *) node, doc, 1);
  xmlBuffer *buffer;
  char *out;

  if (copy == NULL)
    return NULL;
  xmlDocSetRootElement (doc, copy);
  buffer = xmlBufferCreate ();
  xmlNodeDump (buffer, doc, copy, 0, 0);
  out = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return out;
}

static void
parse_identity (BeaconPresRule *rule,
                const xmlNode  *identity)
{
  gboolean seen_many = FALSE;

  for (xmlNode *n = identity->children; n != NULL; n = n->next)
    {
      if (beacon_xcap_is (n, "one") || beacon_xcap_is (n, "id"))
        {
          /* <cr:id entity="A@host"/> is the pre-RFC form the seed uses. */
          g_autofree char *raw = beacon_xml_prop (n, beacon_xcap_is (n, "one") ? "id" : "entity");
          str_array_add (rule->identities, beacon_xcap_uri_normalize (raw));
        }
      else if (beacon_xcap_is (n, "many"))
        {
          g_autofree char *domain = beacon_xml_prop (n, "domain");

          /* The model holds one <many>: a second widens it to every domain
           * when either has none, and otherwise keeps the first domain. */
          if (!seen_many)
            rule->domain = (domain && *domain) ? g_ascii_strdown (domain, -1) : NULL;
          else if (domain == NULL || *domain == '\0')
            g_clear_pointer (&rule->domain, g_free);
          seen_many = TRUE;
          rule->any_identity = TRUE;

          for (xmlNode *e = beacon_xcap_child (n, "except"); e != NULL;
               e = beacon_xcap_next (e, "except"))
            {
              g_autofree char *id = beacon_xml_prop (e, "id");
              g_autofree char *except_domain = beacon_xml_prop (e, "domain");

              if (id != NULL)
                str_array_add (rule->except_ids, beacon_xcap_uri_normalize (id));
              else if (except_domain != NULL && *except_domain != '\0')
                str_array_add (rule->except_domains, g_ascii_strdown (except_domain, -1));
            }
        }
    }
}

static void
parse_conditions (BeaconPresRule *rule,
                  const xmlNode  *conditions)
{
  gboolean has_identity = FALSE;

  for (xmlNode *n = conditions->children; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE)
        continue;
      if (beacon_xcap_is (n, "identity"))
        {
          parse_identity (rule, n);
          has_identity = TRUE;
        }
      else
        str_array_add (rule->extra_conditions, node_to_string (n));
    }
  /* RFC 4745: an absent condition is true for everybody. */
  if (!has_identity)
    rule->any_identity = TRUE;
}

static gboolean
parse_actions (BeaconPresRule *rule,
               const xmlNode  *actions)
{
  gboolean known = TRUE;

  for (xmlNode *n = actions->children; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE)
        continue;
      if (beacon_xcap_is (n, "sub-handling"))
        {
          g_autofree char *value = beacon_xml_text (n);
          known = beacon_sub_handling_from_string (value, &rule->handling);
        }
      else
        str_array_add (rule->extra_actions, node_to_string (n));
    }
  return known;
}

static gboolean
has_all (const xmlNode *transformations,
         const char    *provide,
         const char    *all)
{
  return beacon_xcap_child (beacon_xcap_child (transformations, provide), all) != NULL;
}

/* provide_all stands for the four elements the builder writes; anything
 * else (or a partial set) is kept verbatim. */
static void
parse_transformations (BeaconPresRule *rule,
                       const xmlNode  *transformations)
{
  static const char *const absorbed[] = {
    "provide-services", "provide-persons", "provide-devices", "provide-all-attributes",
  };

  rule->provide_all = has_all (transformations, "provide-services", "all-services") &&
                      has_all (transformations, "provide-persons", "all-persons") &&
                      has_all (transformations, "provide-devices", "all-devices") &&
                      beacon_xcap_child (transformations, "provide-all-attributes") != NULL;

  for (xmlNode *n = transformations->children; n != NULL; n = n->next)
    {
      gboolean skip = FALSE;

      if (n->type != XML_ELEMENT_NODE)
        continue;
      for (guint k = 0; rule->provide_all && k < G_N_ELEMENTS (absorbed); k++)
        skip = skip || beacon_xcap_is (n, absorbed[k]);
      if (!skip)
        str_array_add (rule->extra_transformations, node_to_string (n));
    }
}

static BeaconPresRule *
rule_from_node (const xmlNode *node,
                guint          index,
                gboolean      *kamailio_ok)
{
  g_autofree char *id = beacon_xml_prop (node, "id");
  BeaconPresRule *rule;
  xmlNode *child;

  if (id == NULL || *id == '\0')
    {
      g_free (id);
      id = g_strdup_printf ("rule-%u", index + 1);
    }
  rule = beacon_pres_rule_new (id, BEACON_SUB_HANDLING_CONFIRM);

  child = beacon_xcap_child (node, "conditions");
  if (child != NULL)
    {
      parse_conditions (rule, child);
      str_array_dedup (rule->identities);
      str_array_dedup (rule->except_ids);
      str_array_dedup (rule->except_domains);
    }
  else
    {
      rule->any_identity = TRUE;
      *kamailio_ok = FALSE;
    }
  child = beacon_xcap_child (node, "actions");
  if (child != NULL && !parse_actions (rule, child))
    *kamailio_ok = FALSE;
  child = beacon_xcap_child (node, "transformations");
  if (child != NULL)
    parse_transformations (rule, child);
  return rule;
}

BeaconPresRules *
beacon_pres_rules_parse (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(xmlDoc) xml = NULL;
  BeaconPresRules *rules;
  gboolean kamailio_ok = TRUE;
  xmlNode *root;

  xml = beacon_xcap_parse (data, len, error);
  if (xml == NULL)
    return NULL;
  root = xmlDocGetRootElement (xml);

  rules = beacon_pres_rules_new_empty ();
  if (beacon_xcap_is (root, "rule"))
    {
      g_ptr_array_add (rules->rules, rule_from_node (root, 0, &kamailio_ok));
      rules->invalid_for_kamailio = !kamailio_ok;
      return rules;
    }
  if (!beacon_xcap_is (root, "ruleset"))
    {
      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "pres-rules document has <%s> instead of a <ruleset> root element",
                   (const char *) root->name);
      beacon_pres_rules_free (rules);
      return NULL;
    }

  for (xmlNode *n = root->children; n != NULL; n = n->next)
    {
      /* Kamailio reads every child but text as a rule. */
      if (beacon_xcap_is (n, "rule"))
        g_ptr_array_add (rules->rules, rule_from_node (n, rules->rules->len, &kamailio_ok));
      else if (n->type != XML_TEXT_NODE)
        kamailio_ok = FALSE;
    }
  rules->invalid_for_kamailio = !kamailio_ok;
  return rules;
}

/* ---- build ---- */

/* Indentation kept from the source would stop the serialiser from
 * indenting: drop white space text beside elements (depth is bounded by
 * the parse that produced the fragment). */
static void
strip_blank_text (xmlNode *node)
{
  gboolean has_element = FALSE;
  xmlNode *next;

  for (xmlNode *n = node->children; n != NULL; n = n->next)
    has_element = has_element || n->type == XML_ELEMENT_NODE;
  for (xmlNode *n = node->children; n != NULL; n = next)
    {
      next = n->next;
      if (n->type == XML_ELEMENT_NODE)
        strip_blank_text (n);
      else if (has_element && xmlIsBlankNode (n))
        {
          xmlUnlinkNode (n);
          xmlFreeNode (n);
        }
    }
}

static void
add_extras_to (xmlNode   *parent,
               GPtrArray *extras)
{
  for (guint i = 0; i < extras->len; i++)
    {
      const char *text = g_ptr_array_index (extras, i);
      g_autoptr(xmlDoc) fragment = beacon_xml_parse (text, strlen (text), BEACON_XML_STRICT, NULL);
      xmlNode *copy;

      if (fragment == NULL)
        continue;
      copy = xmlDocCopyNode (xmlDocGetRootElement (fragment), parent->doc, 1);
      if (copy == NULL)
        continue;
      strip_blank_text (copy);
      xmlAddChild (parent, copy);
    }
}

static void
add_provide_all (xmlNode *transformations,
                 xmlNs   *pr)
{
  static const char *const pairs[][2] = {
    { "provide-services", "all-services" },
    { "provide-persons", "all-persons" },
    { "provide-devices", "all-devices" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    xmlNewChild (xmlNewChild (transformations, pr, (const xmlChar *) pairs[i][0], NULL), pr,
                 (const xmlChar *) pairs[i][1], NULL);
  xmlNewChild (transformations, pr, (const xmlChar *) "provide-all-attributes", NULL);
}

static void
add_identity (xmlNode              *conditions,
              xmlNs                *cr,
              const BeaconPresRule *rule)
{
  xmlNode *identity;

  /* "Anybody" next to conditions Beacon cannot read (<ocp:external-list>)
   * is written as no identity condition, which RFC 4745 reads the same
   * way; Kamailio, which ignores those conditions, then skips the rule
   * instead of applying it to everybody. */
  if (rule->identities->len == 0 && rule->any_identity && rule->domain == NULL &&
      rule->except_ids->len == 0 && rule->except_domains->len == 0 &&
      rule->extra_conditions->len > 0)
    return;

  identity = xmlNewChild (conditions, cr, (const xmlChar *) "identity", NULL);

  for (guint i = 0; i < rule->identities->len; i++)
    beacon_xcap_set_prop (xmlNewChild (identity, cr, (const xmlChar *) "one", NULL), "id",
                          g_ptr_array_index (rule->identities, i));
  if (rule->any_identity)
    {
      xmlNode *many = xmlNewChild (identity, cr, (const xmlChar *) "many", NULL);

      beacon_xcap_set_prop (many, "domain", rule->domain);
      for (guint i = 0; i < rule->except_ids->len; i++)
        beacon_xcap_set_prop (xmlNewChild (many, cr, (const xmlChar *) "except", NULL), "id",
                              g_ptr_array_index (rule->except_ids, i));
      for (guint i = 0; i < rule->except_domains->len; i++)
        beacon_xcap_set_prop (xmlNewChild (many, cr, (const xmlChar *) "except", NULL), "domain",
                              g_ptr_array_index (rule->except_domains, i));
    }
}

static void
add_rule (xmlNode              *root,
          xmlNs                *cr,
          xmlNs                *pr,
          const BeaconPresRule *rule,
          guint                 index)
{
  xmlNode *node = xmlNewChild (root, cr, (const xmlChar *) "rule", NULL);
  g_autofree char *fallback_id = g_strdup_printf ("rule-%u", index + 1);
  xmlNode *conditions, *actions, *transformations;

  beacon_xcap_set_prop (node, "id", rule->id != NULL && *rule->id ? rule->id : fallback_id);
  conditions = xmlNewChild (node, cr, (const xmlChar *) "conditions", NULL);
  add_identity (conditions, cr, rule);
  add_extras_to (conditions, rule->extra_conditions);

  actions = xmlNewChild (node, cr, (const xmlChar *) "actions", NULL);
  xmlNewChild (actions, pr, (const xmlChar *) "sub-handling",
               (const xmlChar *) beacon_sub_handling_to_string (rule->handling));
  add_extras_to (actions, rule->extra_actions);

  if (!rule->provide_all && rule->extra_transformations->len == 0)
    return;
  transformations = xmlNewChild (node, cr, (const xmlChar *) "transformations", NULL);
  if (rule->provide_all)
    add_provide_all (transformations, pr);
  add_extras_to (transformations, rule->extra_transformations);
}

char *
beacon_pres_rules_build (const BeaconPresRules *rules,
                         gsize                 *len)
{
  g_autoptr(xmlDoc) xml = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNode *root = xmlNewNode (NULL, (const xmlChar *) "ruleset");
  xmlNs *cr = xmlNewNs (root, (const xmlChar *) BEACON_COMMON_POLICY_NS, (const xmlChar *) "cr");
  xmlNs *pr = xmlNewNs (root, (const xmlChar *) BEACON_PRES_RULES_NS, (const xmlChar *) "pr");

  g_return_val_if_fail (rules != NULL, NULL);

  xmlSetNs (root, cr);
  xmlDocSetRootElement (xml, root);
  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      /* <cr:identity> may not be empty, and a rule without it would
       * match everybody. */
      if (!rule->any_identity && rule->identities->len == 0)
        continue;
      add_rule (root, cr, pr, rule, i);
    }
  /* The kept extras re-declare cr: and pr: on themselves. */
  xmlDOMWrapReconcileNamespaces (NULL, root, RECONCILE_REMOVE_REDUNDANT);
  return beacon_xml_to_string (xml, len);
}
