/* bad.c — a fixture for tests/style: each rule of build-aux/check-style.py broken once */
#include <glib.h>

static gboolean
two_on_a_line (const char *uri, GError **error)
{
  return g_str_has_prefix(uri, "sip:") && error != NULL;
}

static void
misaligned (GError **error,
            const char *name)
{
	g_free (NULL);   
  g_message ("%s", name); /* a line that runs on and on, past the limit of one hundred and twenty columns, and on, so long */
}
