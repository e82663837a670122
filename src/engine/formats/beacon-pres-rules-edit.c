/* beacon-pres-rules-edit.c — lookup and the editing the authorisation and
 * blacklist dialogs need (the reasoning is at the top of beacon-pres-rules.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-pres-rules.h"

#include <string.h>

#include "beacon-xcap-util.h"

#define DEFAULT_RULE_ID "beacon-default"

static gboolean
handling_is_valid (BeaconSubHandling handling)
{
  return handling == BEACON_SUB_HANDLING_BLOCK || handling == BEACON_SUB_HANDLING_CONFIRM ||
         handling == BEACON_SUB_HANDLING_POLITE_BLOCK || handling == BEACON_SUB_HANDLING_ALLOW;
}

/* The host of a normalised URI, pointing into it, @len bytes long. */
static const char *
uri_host (const char *uri,
          gsize      *len)
{
  gsize end = strcspn (uri, ";?");
  const char *host = strchr (uri, ':');

  host = host != NULL ? host + 1 : uri;
  for (const char *p = host; p < uri + end; p++)
    if (*p == '@')
      host = p + 1;
  *len = (gsize) (uri + end - host);
  return host;
}

static gboolean
host_is (const char *uri,
         const char *domain)
{
  gsize len;
  const char *host = uri_host (uri, &len);

  return strlen (domain) == len && g_ascii_strncasecmp (host, domain, len) == 0;
}

/* Removes every copy of @s (a struct filled by hand may repeat one). */
static gboolean
str_array_remove (GPtrArray  *array,
                  const char *s)
{
  gboolean removed = FALSE;

  for (guint i = array->len; i > 0; i--)
    if (g_strcmp0 (g_ptr_array_index (array, i - 1), s) == 0)
      {
        g_ptr_array_remove_index (array, i - 1);
        removed = TRUE;
      }
  return removed;
}

static gboolean
str_array_has (GPtrArray  *array,
               const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the <cr:many> part of @rule takes in @uri (normalised). */
static gboolean
many_covers (const BeaconPresRule *rule,
             const char           *uri)
{
  if (!rule->any_identity)
    return FALSE;
  if (rule->domain != NULL && !host_is (uri, rule->domain))
    return FALSE;
  if (str_array_has (rule->except_ids, uri))
    return FALSE;
  for (guint i = 0; i < rule->except_domains->len; i++)
    if (host_is (uri, g_ptr_array_index (rule->except_domains, i)))
      return FALSE;
  return TRUE;
}

static gboolean
rule_matches (const BeaconPresRule *rule,
              const char           *uri)
{
  if (rule->extra_conditions->len > 0)
    return FALSE;
  return str_array_has (rule->identities, uri) || many_covers (rule, uri);
}

gboolean
beacon_pres_rules_lookup_explicit (const BeaconPresRules *rules,
                                   const char            *watcher_uri,
                                   BeaconSubHandling     *out)
{
  g_autofree char *uri = beacon_xcap_uri_normalize (watcher_uri);
  gboolean found = FALSE;
  BeaconSubHandling best = BEACON_SUB_HANDLING_BLOCK;

  g_return_val_if_fail (rules != NULL, FALSE);

  if (uri == NULL)
    return FALSE;
  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      if (!rule_matches (rule, uri))
        continue;
      best = found ? MAX (best, rule->handling) : rule->handling;
      found = TRUE;
    }
  if (found && out != NULL)
    *out = best;
  return found;
}

BeaconSubHandling
beacon_pres_rules_lookup (const BeaconPresRules *rules,
                          const char            *watcher_uri)
{
  BeaconSubHandling handling = BEACON_SUB_HANDLING_CONFIRM;

  beacon_pres_rules_lookup_explicit (rules, watcher_uri, &handling);
  return handling;
}

/* A <cr:many> rule with a higher handling than @handling would win the RFC
 * 4745 combination for @uri unless it excepts it. Rules with conditions
 * Beacon cannot read are left alone: with an <cr:except> their identity
 * would no longer be absent, and Kamailio, blind to the other conditions,
 * would apply them to everybody else. */
static gboolean
needs_except (const BeaconPresRule *rule,
              const char           *uri,
              BeaconSubHandling     handling)
{
  return rule->any_identity && rule->extra_conditions->len == 0 && rule->handling > handling &&
         (rule->domain == NULL || host_is (uri, rule->domain));
}

static gboolean
add_needed_excepts (BeaconPresRules   *rules,
                    const char        *uri,
                    BeaconSubHandling  handling)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      if (needs_except (rule, uri, handling) && !str_array_has (rule->except_ids, uri))
        {
          g_ptr_array_add (rule->except_ids, g_strdup (uri));
          changed = TRUE;
        }
    }
  return changed;
}

static gboolean
drop_empty_rules (BeaconPresRules *rules)
{
  gboolean changed = FALSE;

  for (guint i = rules->rules->len; i > 0; i--)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i - 1);

      if (!rule->any_identity && rule->identities->len == 0)
        {
          g_ptr_array_remove_index (rules->rules, i - 1);
          changed = TRUE;
        }
    }
  return changed;
}

/* Kamailio applies the first matching rule: specific rules before
 * <cr:many> ones, the most restrictive first. */
static gint
compare_rules (gconstpointer a,
               gconstpointer b)
{
  const BeaconPresRule *ra = *(BeaconPresRule *const *) a;
  const BeaconPresRule *rb = *(BeaconPresRule *const *) b;

  if (ra->any_identity != rb->any_identity)
    return ra->any_identity ? 1 : -1;
  return (gint) ra->handling - (gint) rb->handling;
}

static gboolean
sort_rules (BeaconPresRules *rules)
{
  gsize size = sizeof (gpointer) * rules->rules->len;
  g_autofree gpointer before = g_memdup2 (rules->rules->pdata, size);

  /* g_ptr_array_sort() is stable: equal rules keep the document's order. */
  g_ptr_array_sort (rules->rules, compare_rules);
  return size > 0 && memcmp (before, rules->rules->pdata, size) != 0;
}

static BeaconPresRule *
ensure_rule (BeaconPresRules   *rules,
             BeaconSubHandling  handling,
             gboolean          *created)
{
  g_autofree char *base = g_strdup_printf ("beacon-%s", beacon_sub_handling_to_string (handling));
  g_autofree char *id = g_strdup (base);
  BeaconPresRule *rule;

  for (guint i = 0; i < rules->rules->len; i++)
    {
      rule = g_ptr_array_index (rules->rules, i);
      if (g_strcmp0 (rule->id, base) == 0 && rule->handling == handling &&
          !rule->any_identity && rule->extra_conditions->len == 0)
        return rule;
    }
  /* Ids are unique in a document; another rule may have taken ours. */
  for (guint n = 2; beacon_pres_rules_find_rule (rules, id) != NULL; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }
  rule = beacon_pres_rule_new (id, handling);
  rule->provide_all = handling == BEACON_SUB_HANDLING_ALLOW;
  g_ptr_array_add (rules->rules, rule);
  *created = TRUE;
  return rule;
}

gboolean
beacon_pres_rules_set_handling (BeaconPresRules   *rules,
                                const char        *uri,
                                BeaconSubHandling  handling)
{
  g_autofree char *norm = beacon_xcap_uri_normalize (uri);
  BeaconPresRule *target;
  gboolean changed = FALSE;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (handling_is_valid (handling), FALSE);

  if (norm == NULL)
    return FALSE;
  target = ensure_rule (rules, handling, &changed);
  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      if (rule != target && str_array_remove (rule->identities, norm))
        changed = TRUE;
      /* Exceptions in rules Beacon cannot read stay: dropping one could let
       * that rule take in the watcher. */
      if (rule->extra_conditions->len == 0 && !needs_except (rule, norm, handling) &&
          str_array_remove (rule->except_ids, norm))
        changed = TRUE;
    }
  if (!str_array_has (target->identities, norm))
    {
      g_ptr_array_add (target->identities, g_strdup (norm));
      changed = TRUE;
    }
  changed |= add_needed_excepts (rules, norm, handling);
  changed |= drop_empty_rules (rules);
  changed |= sort_rules (rules);
  return changed;
}

gboolean
beacon_pres_rules_remove (BeaconPresRules *rules,
                          const char      *uri)
{
  g_autofree char *norm = beacon_xcap_uri_normalize (uri);
  gboolean changed = FALSE;

  g_return_val_if_fail (rules != NULL, FALSE);

  if (norm == NULL)
    return FALSE;
  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      changed |= str_array_remove (rule->identities, norm);
      if (rule->extra_conditions->len == 0)
        changed |= str_array_remove (rule->except_ids, norm);
    }
  changed |= drop_empty_rules (rules);
  return changed;
}

gboolean
beacon_pres_rules_set_default (BeaconPresRules   *rules,
                               BeaconSubHandling  handling)
{
  g_autoptr(GPtrArray) old_excepts = NULL;
  g_autoptr(GHashTable) seen = NULL;
  BeaconPresRule *rule;
  gboolean changed = FALSE;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (handling_is_valid (handling), FALSE);

  rule = beacon_pres_rules_find_rule (rules, DEFAULT_RULE_ID);
  if (handling == BEACON_SUB_HANDLING_CONFIRM)
    return rule != NULL && g_ptr_array_remove (rules->rules, rule);

  if (rule == NULL)
    {
      rule = beacon_pres_rule_new (DEFAULT_RULE_ID, handling);
      g_ptr_array_add (rules->rules, rule);
      changed = TRUE;
    }
  changed |= rule->handling != handling || !rule->any_identity || rule->domain != NULL ||
             rule->except_domains->len > 0 || rule->identities->len > 0;
  rule->handling = handling;
  rule->any_identity = TRUE;
  rule->provide_all = handling == BEACON_SUB_HANDLING_ALLOW;
  g_clear_pointer (&rule->domain, g_free);
  g_ptr_array_set_size (rule->identities, 0);
  g_ptr_array_set_size (rule->except_domains, 0);

  /* Watchers with a lower explicit handling must stay below the default:
   * recompute its exceptions from the other rules. */
  old_excepts = g_steal_pointer (&rule->except_ids);
  rule->except_ids = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rules->rules->len; i++)
    {
      BeaconPresRule *other = g_ptr_array_index (rules->rules, i);

      for (guint k = 0; other != rule && k < other->identities->len; k++)
        {
          char *uri = g_ptr_array_index (other->identities, k);

          if (needs_except (rule, uri, other->handling) && g_hash_table_add (seen, uri))
            g_ptr_array_add (rule->except_ids, g_strdup (uri));
        }
    }
  changed |= old_excepts->len != rule->except_ids->len;
  for (guint i = 0; !changed && i < old_excepts->len; i++)
    changed = !g_hash_table_contains (seen, g_ptr_array_index (old_excepts, i));
  changed |= sort_rules (rules);
  return changed;
}

static void
append_list (GPtrArray             *uris,
             GHashTable            *seen,
             const BeaconPresRules *rules,
             BeaconSubHandling      handling)
{
  for (guint i = 0; i < rules->rules->len; i++)
    {
      const BeaconPresRule *rule = g_ptr_array_index (rules->rules, i);

      if (rule->handling != handling || rule->extra_conditions->len > 0)
        continue;
      for (guint k = 0; k < rule->identities->len; k++)
        {
          char *uri = g_strdup (g_ptr_array_index (rule->identities, k));

          if (g_hash_table_add (seen, uri))
            g_ptr_array_add (uris, uri);
          else
            g_free (uri);
        }
    }
}

GPtrArray *
beacon_pres_rules_list (const BeaconPresRules *rules,
                        BeaconSubHandling      handling)
{
  GPtrArray *uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (rules != NULL, uris);

  append_list (uris, seen, rules, handling);
  return uris;
}

GPtrArray *
beacon_pres_rules_blacklist (const BeaconPresRules *rules)
{
  GPtrArray *uris = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (rules != NULL, uris);

  append_list (uris, seen, rules, BEACON_SUB_HANDLING_BLOCK);
  append_list (uris, seen, rules, BEACON_SUB_HANDLING_POLITE_BLOCK);
  return uris;
}
