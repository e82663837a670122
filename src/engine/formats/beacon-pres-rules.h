/* beacon-pres-rules.h — RFC 4745 common-policy + RFC 5025 pres-rules
 * documents: who may see the user's presence (authorisation and blacklist)
 *
 * Beacon keeps at most one rule per sub-handling, with the ids
 * `beacon-block`, `beacon-polite-block`, `beacon-confirm` and `beacon-allow`
 * (each listing watchers by <cr:one id>), plus an optional `beacon-default`
 * rule with <cr:many/> for a default other than confirm. A watcher URI is in
 * exactly one rule: RFC 4745 combines matching rules by taking the HIGHEST
 * sub-handling (block 0 < confirm 10 < polite-block 20 < allow 30), so an
 * allow rule would beat a block rule naming the same watcher; blocking
 * therefore MOVES the watcher out of the allow rule instead of adding a
 * second rule. Against a <cr:many> rule with a higher handling the watcher
 * is listed in its <cr:except id> (not in rules with conditions Beacon
 * cannot evaluate, such as OMA's <ocp:external-list>: Kamailio ignores
 * those conditions, and an except would make the rule cover everybody
 * else). Kamailio's presence_xml instead applies the FIRST matching rule,
 * so editing sorts the rules: <cr:one>-only rules first, by ascending
 * handling, <cr:many> rules last. Both readings then give the same answer.
 *
 * With no matching rule the server uses its default, confirm (Kamailio:
 * pending), which is why `beacon-default` is only written for another value:
 * a <cr:many/> confirm rule would beat every block rule.
 *
 * Kamailio only accepts pres-rules as whole documents (its node selectors
 * cannot carry the cr: prefix), and one rule without <cr:conditions> makes
 * it ignore the whole document, so the builder writes <cr:conditions> in
 * every rule and never writes a rule that names nobody.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_COMMON_POLICY_NS "urn:ietf:params:xml:ns:common-policy"
#define BEACON_PRES_RULES_NS    "urn:ietf:params:xml:ns:pres-rules"

/* The values are RFC 5025's, which order the combining of rules. */
typedef enum {
  BEACON_SUB_HANDLING_BLOCK        = 0,
  BEACON_SUB_HANDLING_CONFIRM      = 10,
  BEACON_SUB_HANDLING_POLITE_BLOCK = 20,
  BEACON_SUB_HANDLING_ALLOW        = 30,
} BeaconSubHandling;

/* How the user answers "X wants to see your presence", and the blacklist. */
typedef enum {
  BEACON_AUTHORIZE_ALLOW,          /* accept */
  BEACON_AUTHORIZE_ALLOW_AND_ADD,  /* accept and add back as a friend */
  BEACON_AUTHORIZE_BLOCK,          /* refuse: the watcher sees a rejection */
  BEACON_AUTHORIZE_POLITE_BLOCK,   /* refuse quietly: the watcher sees us offline */
} BeaconAuthorization;

/* What the user's answer makes of the watcher's subscriptions (allowing
 * and adding back is allowing). The one mapping between the two. */
BeaconSubHandling beacon_authorization_to_handling (BeaconAuthorization answer);

typedef struct {
  char              *id;
  GPtrArray         *identities;      /* char *: <cr:one id> (and the seed's
                                         <cr:id entity>), normalised URIs */
  gboolean           any_identity;    /* <cr:many>, or no identity condition */
  char              *domain;          /* <cr:many domain>, NULL for any domain */
  GPtrArray         *except_ids;      /* char *: <cr:except id> of <cr:many> */
  GPtrArray         *except_domains;  /* char *: <cr:except domain> */
  BeaconSubHandling  handling;        /* confirm when <pr:sub-handling> is absent */
  gboolean           provide_all;     /* all services, persons, devices and attributes */
  /* Elements Beacon does not model (<cr:sphere>, <cr:validity>, partial or
   * unknown transformations…), serialised with their namespace
   * declarations and written back unchanged. A rule with extra conditions
   * is never used by lookup, as Beacon cannot evaluate them. */
  GPtrArray         *extra_conditions;
  GPtrArray         *extra_actions;
  GPtrArray         *extra_transformations;
} BeaconPresRule;

typedef struct {
  GPtrArray *rules;                   /* BeaconPresRule */
  /* Set by parse when Kamailio would ignore the whole document: a rule
   * without <cr:conditions> (read as matching everybody, as RFC 4745 says),
   * an unknown sub-handling value (read as confirm), or a comment or foreign
   * element among the rules. Building rewrites all of these. */
  gboolean   invalid_for_kamailio;
} BeaconPresRules;

const char      *beacon_sub_handling_to_string     (BeaconSubHandling  handling);
gboolean         beacon_sub_handling_from_string   (const char        *str,
                                                    BeaconSubHandling *out);

BeaconPresRule  *beacon_pres_rule_new              (const char        *id,
                                                    BeaconSubHandling  handling);
void             beacon_pres_rule_free             (BeaconPresRule    *rule);
BeaconPresRules *beacon_pres_rules_new_empty       (void);
void             beacon_pres_rules_free            (BeaconPresRules   *rules);

/* Parses a `<cr:ruleset>` document, or a lone `<cr:rule>` element (the
 * seed's XCAP element PUT body, prefixes possibly undeclared) as a one-rule
 * set. Damage such as `<provide-unknown-attributename="…">` is repaired. */
BeaconPresRules *beacon_pres_rules_parse           (const char  *data,
                                                    gsize        len,
                                                    GError     **error);
/* The whole document for a whole-document PUT (application/auth-policy+xml).
 * Rules that name nobody are left out; every rule written has conditions. */
char            *beacon_pres_rules_build           (const BeaconPresRules *rules,
                                                    gsize                 *len);

/* The rule with @id, or NULL. */
BeaconPresRule  *beacon_pres_rules_find_rule       (const BeaconPresRules *rules,
                                                    const char            *id);

/* The sub-handling RFC 4745 gives @watcher_uri: the highest of the matching
 * rules. FALSE when no rule matches (the server then applies confirm). */
gboolean         beacon_pres_rules_lookup_explicit (const BeaconPresRules *rules,
                                                    const char            *watcher_uri,
                                                    BeaconSubHandling     *out);
/* As above, confirm when no rule matches. */
BeaconSubHandling beacon_pres_rules_lookup         (const BeaconPresRules *rules,
                                                    const char            *watcher_uri);

/* Moves @uri into the `beacon-<handling>` rule (created when missing; allow
 * rules provide everything), out of every other rule's <cr:one> list, drops
 * rules left naming nobody, and keeps <cr:except> of <cr:many> rules and the
 * rule order right (see the top of this file). TRUE when @rules changed. */
gboolean         beacon_pres_rules_set_handling    (BeaconPresRules   *rules,
                                                    const char        *uri,
                                                    BeaconSubHandling  handling);
/* Removes @uri from every rule (unblock, forget): the server default (or
 * `beacon-default`) applies to it again. TRUE when @rules changed. */
gboolean         beacon_pres_rules_remove          (BeaconPresRules   *rules,
                                                    const char        *uri);
/* Sets the `beacon-default` <cr:many/> rule; confirm removes it. TRUE when
 * @rules changed. */
gboolean         beacon_pres_rules_set_default     (BeaconPresRules   *rules,
                                                    BeaconSubHandling  handling);

/* New arrays of the URIs (char *) named by <cr:one> in the rules with
 * @handling (rules with conditions Beacon cannot evaluate left out); the
 * blacklist is block + polite-block. */
GPtrArray       *beacon_pres_rules_list            (const BeaconPresRules *rules,
                                                    BeaconSubHandling      handling);
GPtrArray       *beacon_pres_rules_blacklist       (const BeaconPresRules *rules);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPresRule, beacon_pres_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconPresRules, beacon_pres_rules_free)

G_END_DECLS
