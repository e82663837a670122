/* beacon-avahi-txt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-avahi-txt.h"

#include <avahi-common/malloc.h>
#include <string.h>

AvahiStringList *
beacon_avahi_txt_build (const char   *aor,
                        const char   *display_name,
                        BeaconStatus  status)
{
  AvahiStringList *txt = NULL;
  g_autofree char *proto = g_strdup_printf ("%d", BEACON_LAN_PROTOCOL_VERSION);

  g_return_val_if_fail (aor != NULL, NULL);

  /* avahi_string_list_add_* prepend; build in reverse so the record reads
   * txtvers first, as DNS-SD recommends. */
  txt = avahi_string_list_add_pair (txt, "status", beacon_status_to_string (status));
  if (display_name != NULL && *display_name != '\0')
    {
      g_autofree char *name = g_utf8_make_valid (display_name, -1);
      if (strlen (name) > BEACON_AVAHI_TXT_NAME_MAX)
        {
          /* Cut on a character boundary: the start of the character that
           * holds byte BEACON_AVAHI_TXT_NAME_MAX. */
          const char *end = g_utf8_find_prev_char (name, name + BEACON_AVAHI_TXT_NAME_MAX + 1);
          name[end - name] = '\0';
        }
      txt = avahi_string_list_add_pair (txt, "name", name);
    }
  txt = avahi_string_list_add_pair (txt, "aor", aor);
  txt = avahi_string_list_add_pair (txt, "proto", proto);
  txt = avahi_string_list_add_pair (txt, "txtvers", "1");
  return txt;
}

/* The value of @key as a UTF-8 string; NULL when absent. *bad is set when
 * it is present but holds NUL bytes or invalid UTF-8. */
static char *
txt_value (AvahiStringList *txt,
           const char      *key,
           gboolean        *bad)
{
  AvahiStringList *entry = avahi_string_list_find (txt, key);
  char            *k = NULL, *v = NULL;
  size_t           size = 0;
  char            *result = NULL;

  if (entry == NULL || avahi_string_list_get_pair (entry, &k, &v, &size) < 0)
    return NULL;
  if (v == NULL)
    result = g_strdup ("");
  else if (strlen (v) != size || !g_utf8_validate (v, size, NULL))
    *bad = TRUE;
  else
    result = g_strndup (v, size);
  avahi_free (k);
  avahi_free (v);
  return result;
}

gboolean
beacon_avahi_txt_parse (AvahiStringList  *txt,
                        BeaconLanPeer    *peer,
                        GError          **error)
{
  gboolean         bad = FALSE;
  g_autofree char *proto = txt_value (txt, "proto", &bad);
  g_autofree char *aor = txt_value (txt, "aor", &bad);
  g_autofree char *name = txt_value (txt, "name", &bad);
  g_autofree char *status_str = txt_value (txt, "status", &bad);
  g_autofree char *expected = g_strdup_printf ("%d", BEACON_LAN_PROTOCOL_VERSION);
  BeaconStatus     status = BEACON_STATUS_OFFLINE;

  g_return_val_if_fail (peer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bad)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "TXT record holds a value that is not UTF-8 text");
      return FALSE;
    }
  if (proto == NULL || strcmp (proto, expected) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "TXT record has protocol version “%s”, expected “%s”",
                   proto != NULL ? proto : "(none)", expected);
      return FALSE;
    }
  if (aor == NULL || g_ascii_strncasecmp (aor, "sip:", 4) != 0 || aor[4] == '\0'
      || strpbrk (aor, " \t\r\n<>\"") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "TXT record has no usable aor (“%s”)", aor != NULL ? aor : "(none)");
      return FALSE;
    }
  if (status_str == NULL || !beacon_status_from_string (status_str, &status))
    status = BEACON_STATUS_OFFLINE;

  g_free (peer->aor);
  peer->aor = g_steal_pointer (&aor);
  g_free (peer->display_name);
  peer->display_name = (name != NULL && *name != '\0') ? g_steal_pointer (&name) : NULL;
  peer->status = status;
  return TRUE;
}
