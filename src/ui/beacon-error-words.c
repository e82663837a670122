/* beacon-error-words.c — what went wrong, in the user's language
 *
 * The engine's messages are English and technical ("XCAP PUT: 409
 * Conflict (...)"); a toast or dialog leads with words the user reads in
 * their language and keeps the detail for whoever reports the problem.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-error-words.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "beacon-account.h"

char *
beacon_error_words (const GError *error)
{
  if (error == NULL)
    return g_strdup (_("Something went wrong."));
  if (error->domain != BEACON_ACCOUNT_ERROR)
    return g_strdup_printf (_("Something went wrong: %s"), error->message);

  switch ((BeaconAccountError) error->code)
    {
    case BEACON_ACCOUNT_ERROR_AUTH_FAILED:
      return g_strdup (_("The server did not accept your user name or password."));
    case BEACON_ACCOUNT_ERROR_UNREACHABLE:
      return g_strdup (_("It cannot be reached now. Check your network, or try again later."));
    case BEACON_ACCOUNT_ERROR_REJECTED:
      return g_strdup_printf (_("Refused: %s"), error->message);
    case BEACON_ACCOUNT_ERROR_INVALID_URI:
      return g_strdup (_("That is not a SIP address. Addresses look like sip:name@example.org."));
    case BEACON_ACCOUNT_ERROR_NOT_CONNECTED:
      return g_strdup (_("Not connected yet. Try again once Beacon is connected."));
    case BEACON_ACCOUNT_ERROR_BAD_PEER_DATA:
      return g_strdup_printf (_("The other side sent something Beacon cannot use: %s"),
                              error->message);
    case BEACON_ACCOUNT_ERROR_NOT_DELIVERED:
      return g_strdup (_("The message was not delivered. It is kept; Retry sends it again."));
    case BEACON_ACCOUNT_ERROR_FAILED:
    default:
      return g_strdup_printf (_("Something went wrong: %s"), error->message);
    }
}

void
beacon_error_dialog (GtkWindow    *parent,
                     const char   *heading,
                     const GError *error)
{
  g_autofree char *words = beacon_error_words (error);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, words));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
