/* beacon-pidf-status.c — between presence documents and the BeaconStatus
 * a user sees: beacon_pidf_summarize() and beacon_pidf_build()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-pidf.h"

#include <string.h>
#include <libxml/tree.h>

#include "beacon-pidf-private.h"
#include "beacon-xml.h"

/* ---- what the user sees ----------------------------------------------- */

static gboolean
in_list (const char        *name,
         const char *const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Blink's <agp-pidf:extended> values. */
static gboolean
extended_status (const char   *value,
                 BeaconStatus *out)
{
  static const char *const away[] = { "away", "extended-away", NULL };

  if (value == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (value, "available") == 0)
    *out = BEACON_STATUS_ONLINE;
  else if (in_list (value, away))
    *out = BEACON_STATUS_AWAY;
  else if (g_ascii_strcasecmp (value, "busy") == 0)
    *out = BEACON_STATUS_BUSY;
  else if (g_ascii_strcasecmp (value, "offline") == 0)
    *out = BEACON_STATUS_OFFLINE;
  else
    return FALSE;
  return TRUE;
}

/* RPID activities: busy ones mean "there, but do not disturb", away ones
 * "not at the device"; busy wins, as it says why not to disturb. */
static gboolean
activities_status (const GPtrArray *activities,
                   BeaconStatus    *out)
{
  static const char *const busy[] = {
    "busy", "on-the-phone", "meeting", "appointment", "performance", "presentation",
    "worship", NULL,
  };
  static const char *const away[] = {
    "away", "vacation", "holiday", "sleeping", "steering", "in-transit", "travel", "meal",
    "breakfast", "lunch", "dinner", "shopping", "permanent-absence", NULL,
  };
  gboolean is_away = FALSE;

  for (guint i = 0; i < activities->len; i++)
    {
      const char *name = g_ptr_array_index (activities, i);

      if (in_list (name, busy))
        {
          *out = BEACON_STATUS_BUSY;
          return TRUE;
        }
      is_away |= in_list (name, away);
    }
  if (is_away)
    *out = BEACON_STATUS_AWAY;
  return is_away;
}

/* FALSE when @tuple does not count (see the header); else its status. */
static gboolean
tuple_status (const BeaconPidf      *pidf,
              const BeaconPidfTuple *tuple,
              BeaconStatus          *out)
{
  BeaconStatus status = BEACON_STATUS_ONLINE;
  gboolean have = beacon_status_from_string (tuple->im, &status) ||
                  extended_status (tuple->extended, &status);

  switch (tuple->basic)
    {
    case BEACON_PIDF_BASIC_CLOSED:
      return FALSE;
    case BEACON_PIDF_BASIC_UNKNOWN:
      if (!have || status == BEACON_STATUS_OFFLINE)
        return FALSE;
      break;
    case BEACON_PIDF_BASIC_OPEN:
    default:
      if (!have && !activities_status (tuple->activities, &status) &&
          !activities_status (pidf->activities, &status))
        status = BEACON_STATUS_ONLINE;
      break;
    }
  *out = status;
  return TRUE;
}

static const char *
first_note (const GPtrArray *notes)
{
  return notes->len > 0 ? g_ptr_array_index (notes, 0) : NULL;
}

void
beacon_pidf_summarize (const BeaconPidf  *pidf,
                       BeaconStatus      *status,
                       char             **note)
{
  const BeaconPidfTuple *chosen = NULL;
  BeaconStatus chosen_status = BEACON_STATUS_OFFLINE;
  const char *text;

  g_return_if_fail (pidf != NULL);

  for (guint i = 0; i < pidf->tuples->len; i++)
    {
      const BeaconPidfTuple *tuple = g_ptr_array_index (pidf->tuples, i);
      BeaconStatus s;

      if (!tuple_status (pidf, tuple, &s))
        continue;
      if (chosen == NULL || tuple->priority > chosen->priority ||
          (tuple->priority == chosen->priority &&
           beacon_status_rank (s) < beacon_status_rank (chosen_status)))
        {
          chosen = tuple;
          chosen_status = s;
        }
    }
  if (status != NULL)
    *status = chosen_status;
  if (note == NULL)
    return;

  text = pidf->person_note;
  if (text == NULL && chosen != NULL)
    text = first_note (chosen->notes);
  for (guint i = 0; text == NULL && chosen == NULL && i < pidf->tuples->len; i++)
    text = first_note (((BeaconPidfTuple *) g_ptr_array_index (pidf->tuples, i))->notes);
  if (text == NULL)
    text = first_note (pidf->notes);
  *note = g_strdup (text);
}

/* ---- building --------------------------------------------------------- */

/* xs:ID values for the tuple and the person: stable for one device of one
 * presentity, and distinct between devices. */
static char *
make_id (char        prefix,
         const char *entity,
         const char *contact)
{
  g_autofree char *key = g_strconcat (entity, "\n", contact, NULL);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

  return g_strdup_printf ("%c%.10s", prefix, sum);
}

char *
beacon_pidf_build (const char   *entity,
                   BeaconStatus  status,
                   const char   *note,
                   const char   *contact,
                   gsize        *len)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *safe_entity = NULL;
  g_autofree char *safe_note = NULL;
  g_autofree char *safe_contact = NULL;
  g_autofree char *tuple_id = NULL;
  g_autofree char *person_id = NULL;
  const char *activity = NULL;
  xmlNode *root, *tuple, *xml_status;
  xmlNs *pidf_ns, *im_ns, *dm_ns, *rpid_ns;

  g_return_val_if_fail (entity != NULL, NULL);

  safe_entity = beacon_pidf_xml_safe_text (entity);
  safe_note = beacon_pidf_xml_safe_text (note);
  safe_contact = beacon_pidf_xml_safe_text (contact);
  tuple_id = make_id ('t', entity, contact ? contact : "");
  person_id = make_id ('p', entity, contact ? contact : "");
  if ((guint) status > BEACON_STATUS_BUSY)
    status = BEACON_STATUS_OFFLINE;
  if (status == BEACON_STATUS_BUSY)
    activity = "busy";
  else if (status == BEACON_STATUS_AWAY)
    activity = "away";

  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewDocNode (doc, NULL, (const xmlChar *) "presence", NULL);
  xmlDocSetRootElement (doc, root);
  pidf_ns = xmlNewNs (root, (const xmlChar *) BEACON_PIDF_NAMESPACE, NULL);
  im_ns = xmlNewNs (root, (const xmlChar *) BEACON_PIDF_IM_NAMESPACE, (const xmlChar *) "im");
  dm_ns = xmlNewNs (root, (const xmlChar *) BEACON_PIDF_DM_NAMESPACE, (const xmlChar *) "dm");
  rpid_ns = xmlNewNs (root, (const xmlChar *) BEACON_PIDF_RPID_NAMESPACE, (const xmlChar *) "rpid");
  xmlSetNs (root, pidf_ns);
  xmlNewProp (root, (const xmlChar *) "entity",
              (const xmlChar *) (safe_entity ? safe_entity : ""));

  /* RFC 3863 order: status, extensions, contact, note, timestamp. */
  tuple = xmlNewChild (root, pidf_ns, (const xmlChar *) "tuple", NULL);
  xmlNewProp (tuple, (const xmlChar *) "id", (const xmlChar *) tuple_id);
  xml_status = xmlNewChild (tuple, pidf_ns, (const xmlChar *) "status", NULL);
  xmlNewTextChild (xml_status, pidf_ns, (const xmlChar *) "basic",
                   (const xmlChar *) (status == BEACON_STATUS_OFFLINE ? "closed" : "open"));
  xmlNewTextChild (xml_status, im_ns, (const xmlChar *) "im",
                   (const xmlChar *) beacon_status_to_string (status));
  if (safe_contact != NULL)
    xmlNewTextChild (tuple, pidf_ns, (const xmlChar *) "contact", (const xmlChar *) safe_contact);
  if (safe_note != NULL)
    xmlNewTextChild (tuple, pidf_ns, (const xmlChar *) "note", (const xmlChar *) safe_note);

  /* RFC 4479 person after the tuples: Linphone reads activities and the
   * person note only from here, and ignores <im:im>. */
  if (activity != NULL || safe_note != NULL)
    {
      xmlNode *person = xmlNewChild (root, dm_ns, (const xmlChar *) "person", NULL);

      xmlNewProp (person, (const xmlChar *) "id", (const xmlChar *) person_id);
      if (activity != NULL)
        {
          xmlNode *activities = xmlNewChild (person, rpid_ns, (const xmlChar *) "activities", NULL);

          xmlNewChild (activities, rpid_ns, (const xmlChar *) activity, NULL);
        }
      if (safe_note != NULL)
        xmlNewTextChild (person, dm_ns, (const xmlChar *) "note", (const xmlChar *) safe_note);
    }
  return beacon_xml_to_string (doc, len);
}
