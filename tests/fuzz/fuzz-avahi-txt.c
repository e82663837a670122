/* fuzz-avahi-txt.c — libFuzzer target for the LAN peers' DNS-SD TXT records
 *
 * The input is a TXT record as it comes off the network (length-prefixed
 * strings), parsed by avahi-common and then by beacon_avahi_txt_parse().
 * Nothing may crash or leak; a record that parses must give a peer with a
 * sip: AOR (the scheme in any case) in valid UTF-8, and a record that fails must leave the peer
 * untouched and say why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include <avahi-common/strlst.h>

#include "lan/beacon-avahi-txt.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AvahiStringList *txt = NULL;
  BeaconLanPeer peer = { 0 };
  g_autoptr(GError) error = NULL;

  if (avahi_string_list_parse (data, size, &txt) < 0)
    return 0;
  if (beacon_avahi_txt_parse (txt, &peer, &error))
    {
      if (peer.aor == NULL || g_ascii_strncasecmp (peer.aor, "sip:", 4) != 0 ||
          !g_utf8_validate (peer.aor, -1, NULL) ||
          (peer.display_name != NULL && !g_utf8_validate (peer.display_name, -1, NULL)))
        abort ();
    }
  else if (error == NULL || peer.aor != NULL || peer.display_name != NULL)
    abort ();
  g_free (peer.aor);
  g_free (peer.display_name);
  avahi_string_list_free (txt);
  return 0;
}
