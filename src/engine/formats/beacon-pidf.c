/* beacon-pidf.c — presence documents: PIDF (RFC 3863), RPID (RFC 4480)
 * and the seed's <im> status extension
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-pidf.h"

#include <math.h>
#include <string.h>

#include "beacon-format-error.h"
#include "beacon-pidf-private.h"
#include "beacon-xml.h"

/* ---- plain structs ---------------------------------------------------- */

BeaconPidfTuple *
beacon_pidf_tuple_new (const char      *id,
                       BeaconPidfBasic  basic)
{
  BeaconPidfTuple *tuple = g_new0 (BeaconPidfTuple, 1);

  tuple->id = g_strdup (id);
  tuple->basic = basic;
  tuple->priority = -1;
  tuple->notes = g_ptr_array_new_with_free_func (g_free);
  tuple->activities = g_ptr_array_new_with_free_func (g_free);
  return tuple;
}

void
beacon_pidf_tuple_free (BeaconPidfTuple *tuple)
{
  if (tuple == NULL)
    return;
  g_free (tuple->id);
  g_free (tuple->im);
  g_free (tuple->extended);
  g_free (tuple->contact);
  g_ptr_array_unref (tuple->notes);
  g_ptr_array_unref (tuple->activities);
  g_free (tuple->timestamp);
  g_free (tuple);
}

BeaconPidf *
beacon_pidf_new (const char *entity)
{
  BeaconPidf *pidf = g_new0 (BeaconPidf, 1);

  pidf->entity = g_strdup (entity);
  pidf->tuples = g_ptr_array_new_with_free_func ((GDestroyNotify) beacon_pidf_tuple_free);
  pidf->notes = g_ptr_array_new_with_free_func (g_free);
  pidf->activities = g_ptr_array_new_with_free_func (g_free);
  return pidf;
}

void
beacon_pidf_free (BeaconPidf *pidf)
{
  if (pidf == NULL)
    return;
  g_free (pidf->entity);
  g_ptr_array_unref (pidf->tuples);
  g_ptr_array_unref (pidf->notes);
  g_ptr_array_unref (pidf->activities);
  g_free (pidf->person_note);
  g_free (pidf);
}

gboolean
beacon_pidf_body_is_empty (const char *data,
                           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* ---- text ----------------------------------------------------------- */

/* XML 1.0 cannot carry C0 controls other than tab, LF and CR, nor U+FFFE
 * and U+FFFF (libxml2 would write them as character references that no
 * parser accepts). */
static gboolean
is_xml_char (gunichar c)
{
  if (c < 0x20)
    return c == '\t' || c == '\n' || c == '\r';
  return c != 0xFFFE && c != 0xFFFF;
}

char *
beacon_pidf_xml_safe_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_xml_char (c))
        g_string_append_unichar (out, c);
    }
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Text and attribute values as handed out: see beacon_pidf_xml_safe_text(). */
static char *
text_of (const xmlNode *node)
{
  g_autofree char *raw = beacon_xml_text (node);

  return beacon_pidf_xml_safe_text (raw);
}

static char *
child_text_of (const xmlNode *node,
               const char    *local_name)
{
  return text_of (beacon_xml_child (node, local_name));
}

static char *
prop_of (const xmlNode *node,
         const char    *name)
{
  g_autofree char *raw = beacon_xml_prop (node, name);

  return beacon_pidf_xml_safe_text (raw);
}

/* ---- repair ----------------------------------------------------------- */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == ':' || c == '-' || c == '.' ||
         (guchar) c >= 0x80;
}

/* The PIDF elements that carry attributes: a tag name glued to its first
 * attribute starts with one of them (see beacon_xml_repair()). */
static const char *const glued_elements[] = {
  "presence", "tuple", "contact", "note", "person", "device", "activities", NULL,
};

/* TRUE when the document ends with its closing </presence> (any prefix):
 * then damage elsewhere may be recovered from, while a truncated
 * document, which would recover into fewer tuples, is refused. */
static gboolean
ends_with_presence_end_tag (const char *data,
                            gsize       len)
{
  gsize end = len;
  gsize start;

  while (end > 0 && (g_ascii_isspace (data[end - 1]) || data[end - 1] == '\0'))
    end--;
  if (end == 0 || data[end - 1] != '>')
    return FALSE;
  end--;
  while (end > 0 && g_ascii_isspace (data[end - 1]))
    end--;
  if (end < strlen ("</presence") || memcmp (data + end - 8, "presence", 8) != 0)
    return FALSE;
  start = end - 8;
  if (data[start - 1] == ':')
    {
      start--;
      while (start > 0 && is_name_char (data[start - 1]) && data[start - 1] != ':')
        start--;
    }
  return start >= 2 && data[start - 1] == '/' && data[start - 2] == '<';
}

/* ---- parsing ---------------------------------------------------------- */

static BeaconPidfBasic
parse_basic (const char *text)
{
  if (text == NULL)
    return BEACON_PIDF_BASIC_UNKNOWN;
  if (g_ascii_strcasecmp (text, "open") == 0)
    return BEACON_PIDF_BASIC_OPEN;
  if (g_ascii_strcasecmp (text, "closed") == 0)
    return BEACON_PIDF_BASIC_CLOSED;
  return BEACON_PIDF_BASIC_UNKNOWN;
}

/* A qvalue (RFC 3261): 0 to 1. Informative, so bad values read as absent. */
static double
parse_priority (const char *text)
{
  char *end = NULL;
  double value;

  if (text == NULL || *text == '\0')
    return -1;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < 0 || value > 1)
    return -1;
  return value;
}

static void
add_text (GPtrArray     *array,
          const xmlNode *node)
{
  char *text = text_of (node);

  if (text != NULL)
    g_ptr_array_add (array, text);
}

/* Appends the activity names in @activities to @names. */
static void
collect_activities (GPtrArray     *names,
                    const xmlNode *activities)
{
  if (activities == NULL)
    return;
  for (const xmlNode *n = activities->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && !beacon_xml_is (n, "note") &&
        !beacon_xml_is (n, "unknown"))
      {
        char *name = beacon_pidf_xml_safe_text ((const char *) n->name);

        if (name != NULL)
          g_ptr_array_add (names, name);
      }
}

static BeaconPidfTuple *
parse_tuple (const xmlNode *node)
{
  g_autofree char *id = prop_of (node, "id");
  xmlNode *status = beacon_xml_child (node, "status");
  g_autofree char *basic = child_text_of (status, "basic");
  BeaconPidfTuple *tuple = beacon_pidf_tuple_new (id, parse_basic (basic));
  xmlNode *contact = beacon_xml_child (node, "contact");

  tuple->im = child_text_of (status, "im");
  if (tuple->im == NULL)  /* misplaced, but unambiguous */
    tuple->im = child_text_of (node, "im");
  tuple->extended = child_text_of (status, "extended");

  for (xmlNode *a = beacon_xml_child (status, "activities"); a; a = beacon_xml_next (a, "activities"))
    collect_activities (tuple->activities, a);
  for (xmlNode *a = beacon_xml_child (node, "activities"); a; a = beacon_xml_next (a, "activities"))
    collect_activities (tuple->activities, a);

  if (contact != NULL)
    {
      g_autofree char *priority = prop_of (contact, "priority");

      tuple->contact = text_of (contact);
      tuple->priority = parse_priority (priority);
    }
  for (xmlNode *n = beacon_xml_child (node, "note"); n != NULL; n = beacon_xml_next (n, "note"))
    add_text (tuple->notes, n);
  tuple->timestamp = child_text_of (node, "timestamp");
  return tuple;
}

static void
parse_person (BeaconPidf    *pidf,
              const xmlNode *person)
{
  g_autofree char *note = child_text_of (person, "note");

  for (xmlNode *a = beacon_xml_child (person, "activities"); a; a = beacon_xml_next (a, "activities"))
    {
      collect_activities (pidf->activities, a);
      if (note == NULL)
        note = child_text_of (a, "note");
    }
  if (pidf->person_note == NULL)
    pidf->person_note = g_steal_pointer (&note);
}

/* Element names come from the peer: keep error messages readable. */
static char *
shorten (const char *text)
{
  g_autofree char *safe = beacon_pidf_xml_safe_text (text);
  g_autofree char *head = NULL;

  if (safe == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (safe, -1) <= 40)
    return g_steal_pointer (&safe);
  head = g_utf8_substring (safe, 0, 40);
  return g_strconcat (head, "…", NULL);
}

BeaconPidf *
beacon_pidf_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(BeaconPidf) pidf = NULL;
  g_autofree char *repaired = NULL;
  g_autofree char *entity = NULL;
  BeaconXmlFlags flags = BEACON_XML_STRICT;
  gsize repaired_len = 0;
  xmlNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (beacon_pidf_body_is_empty (data, len))
    {
      g_set_error_literal (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_MISSING,
                           "PIDF body is empty");
      return NULL;
    }
  /* Oversized input goes to beacon_xml_parse() untouched to be refused. */
  if (len <= BEACON_XML_MAX_SIZE)
    {
      repaired = beacon_xml_repair (data, len, BEACON_XML_REPAIR_AMPERSANDS, glued_elements,
                                    &repaired_len);
      data = repaired;
      len = repaired_len;
      if (ends_with_presence_end_tag (data, len))
        flags = BEACON_XML_TOLERANT;
    }
  doc = beacon_xml_parse (data, len, flags, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  if (!beacon_xml_is (root, "presence"))
    {
      g_autofree char *name = shorten ((const char *) root->name);

      g_set_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_WRONG_DOCUMENT,
                   "PIDF document has no <presence> root element (found <%s>)", name);
      return NULL;
    }

  entity = prop_of (root, "entity");
  pidf = beacon_pidf_new (entity);
  for (xmlNode *n = root->children; n != NULL; n = n->next)
    {
      if (beacon_xml_is (n, "tuple"))
        g_ptr_array_add (pidf->tuples, parse_tuple (n));
      else if (beacon_xml_is (n, "note"))
        add_text (pidf->notes, n);
      else if (beacon_xml_is (n, "person"))
        parse_person (pidf, n);
    }
  return g_steal_pointer (&pidf);
}

