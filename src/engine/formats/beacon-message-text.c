/* beacon-message-text.c — MESSAGE bodies to text, see the header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-message-text.h"

#include <string.h>

#include "beacon-cpim.h"
#include "beacon-sip-header.h"

/* What reaches the history and the UI is a C string: a NUL inside would
 * cut it (and its dedupe entry would hide the rest), so such text is not
 * text. */
static char *
checked_text (char  *text,
              gsize  len)
{
  if (text == NULL || memchr (text, '\0', len) != NULL || !g_utf8_validate (text, len, NULL))
    {
      g_free (text);
      return NULL;
    }
  return text;
}

char *
beacon_message_text_from_server (const char *content_type,
                                 const char *data,
                                 gsize       len)
{
  g_autoptr(BeaconSipContentType) ct = NULL;

  if (data == NULL)
    data = "";
  ct = content_type ? beacon_sip_content_type_parse (content_type, NULL) : NULL;
  if (ct == NULL || g_strcmp0 (ct->media_type, "text/plain") == 0)
    {
      const char *charset = ct && ct->charset ? ct->charset : "utf-8";
      gsize written = 0;
      char *converted;

      if (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "utf8") == 0 ||
          g_ascii_strcasecmp (charset, "us-ascii") == 0)
        return g_utf8_validate (data, len, NULL) ? g_strndup (data, len) : NULL;
      /* Chinese peers still send GB2312/GBK; convert what iconv knows. */
      converted = g_convert (data, len, "UTF-8", charset, NULL, &written, NULL);
      return checked_text (converted, written);
    }
  if (g_strcmp0 (ct->media_type, "message/cpim") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconCpim) cpim = beacon_cpim_parse (data, len, &error);

      if (cpim == NULL)
        {
          g_debug ("CPIM message unreadable: %s", error->message);
          return NULL;
        }
      return cpim->text != NULL ? checked_text (g_strdup (cpim->text), strlen (cpim->text)) : NULL;
    }
  return NULL;
}

char *
beacon_message_text_from_lan_peer (const char *content_type,
                                   const char *data,
                                   gsize       len)
{
  g_autofree char *type = NULL;

  if (data == NULL)
    data = "";
  if (content_type != NULL)
    type = g_strstrip (g_strndup (content_type, strcspn (content_type, ";")));
  if (type != NULL && g_ascii_strcasecmp (type, "message/cpim") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BeaconCpim) cpim = beacon_cpim_parse (data, len, &error);

      if (cpim == NULL)
        {
          g_debug ("unreadable CPIM: %s", error->message);
          return NULL;
        }
      if (cpim->content_type != NULL && !g_str_has_prefix (cpim->content_type, "text/plain"))
        return NULL;  /* IMDN and other non-chat payloads */
      return g_strdup (cpim->text);
    }
  if (type == NULL || g_ascii_strncasecmp (type, "text/plain", strlen ("text/plain")) == 0)
    return memchr (data, '\0', len) == NULL ? g_utf8_make_valid (data, len) : NULL;
  return NULL;
}
