/* beacon-cpim.h — message/cpim (RFC 3862) as carried in SIP MESSAGE bodies
 *
 * A CPIM message is its message headers (From, To, DateTime, Subject, NS,
 * ...), a blank line, the encapsulated MIME headers (Content-Type), a blank
 * line and the content. LF line ends and a missing final CRLF are accepted;
 * the two blank lines are required.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-sip-header.h"

G_BEGIN_DECLS

#define BEACON_CPIM_MAX_SIZE    (1024 * 1024)
#define BEACON_CPIM_MAX_HEADERS 100  /* in each of the two header blocks */

typedef struct {
  char      *from;             /* From value as sent, e.g. `"Alice" <sip:a@x>`; NULL if absent */
  char      *from_uri;         /* the URI inside it, e.g. "sip:a@x"; NULL if none */
  char      *to;               /* first To value; NULL if absent */
  char      *to_uri;
  char      *datetime;         /* DateTime value as sent; NULL if absent */
  char      *subject;          /* first Subject, without a `;lang=` parameter; NULL if absent */
  GPtrArray *headers;          /* BeaconSipHeader: every message header (NS: too), names as sent */
  GPtrArray *content_headers;  /* BeaconSipHeader: the encapsulated MIME headers */
  char      *content_type;     /* media type, lowercased; NULL if absent */
  char      *charset;          /* lowercased; NULL if absent */
  GBytes    *body;             /* the content, bytes as sent */
  /* For text/... content (or no Content-Type): the content as UTF-8,
   * converted from GB2312/GBK/GB18030 or ISO-8859-1 when so labelled;
   * NULL for other content or an unsupported charset. */
  char      *text;
} BeaconCpim;

/* Parses a message/cpim body. Fails with MALFORMED when a blank line
 * separator is missing or the message headers are empty, TOO_LARGE past
 * the bounds, INVALID_VALUE when a text body labelled (or defaulting to)
 * UTF-8 is not valid UTF-8. */
BeaconCpim *beacon_cpim_parse           (const char  *data,
                                         gsize        len,
                                         GError     **error);
void        beacon_cpim_free            (BeaconCpim  *cpim);

/* The first message header called @name (case-insensitive), or NULL. */
const char *beacon_cpim_get_header      (BeaconCpim  *cpim,
                                         const char  *name);

/* Builds a CPIM message wrapping @text as text/plain;charset=utf-8, with
 * CRLF line ends. @from and @to are URIs or name-addrs (a bare URI is put
 * in <>); @datetime (RFC 3339, see beacon_cpim_format_datetime()) may be
 * NULL to leave DateTime out. Fails with INVALID_VALUE on a line break in
 * a header value or text that is not UTF-8. */
char       *beacon_cpim_build           (const char  *from,
                                         const char  *to,
                                         const char  *datetime,
                                         const char  *text,
                                         GError     **error);
/* @datetime as a CPIM DateTime value, e.g. "2024-05-01T08:30:00+08:00". */
char       *beacon_cpim_format_datetime (GDateTime   *datetime);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconCpim, beacon_cpim_free)

G_END_DECLS
