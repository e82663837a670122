/* beacon-sip-header.h — header fields shared by SIP, MIME parts and CPIM
 *
 * One tolerant reader for a block of `Name: value` lines, used for SIP
 * messages, multipart body parts and CPIM messages, plus helpers that take
 * header values apart (parameters, tokens, Content-Type, name-addr).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_SIP_HEADER_MAX_LINE (8 * 1024)  /* bytes of one (unfolded) header */

typedef struct {
  char *name;   /* canonical long form for known SIP/MIME names, else as received */
  char *value;  /* unfolded, surrounding white space removed, valid UTF-8 */
} BeaconSipHeader;

BeaconSipHeader *beacon_sip_header_new  (const char      *name,
                                         const char      *value);
void             beacon_sip_header_free (BeaconSipHeader *header);

typedef enum {
  BEACON_SIP_HEADERS_RAW_NAMES = 0,
  /* Expand SIP compact forms (`i` → Call-ID) and spell known names
   * canonically. Off for CPIM, whose names are not SIP names. */
  BEACON_SIP_HEADERS_SIP_NAMES = 1 << 0,
  /* Spell known MIME names (Content-ID...) canonically, no compact forms:
   * for the headers of multipart body parts. */
  BEACON_SIP_HEADERS_MIME_NAMES = 1 << 1,
} BeaconSipHeadersFlags;

/* How a header block ended. */
typedef enum {
  BEACON_SIP_HEADERS_END_BLANK_LINE, /* an empty line, consumed */
  /* a line that is not a header: the body starts there without the blank
   * line (the seed's bodies), or the block is damaged; not consumed */
  BEACON_SIP_HEADERS_END_BODY,
  BEACON_SIP_HEADERS_END_EOF,        /* the data ran out */
  /* the data ran out in the middle of a header: the last line had no line
   * end and was not a whole header, or a value ended in `;` or `,` */
  BEACON_SIP_HEADERS_END_TRUNCATED,
} BeaconSipHeadersEnd;

/* Reads header lines from @data[*pos] on, appending BeaconSipHeader to
 * @headers, and leaves *pos at the first byte after the block. Lines may end
 * in CRLF or LF. A line continues the previous header when it starts with
 * white space (RFC 3261 LWS), when the previous value ends in `;` or `,`,
 * when it starts with `;` or `,`, or when it is a bare `param=value` after a
 * value that already has parameters: peers fold without leading white space.
 * A line starting with `--` or `<?`, or any other line that is not
 * `token ws* :`, ends the block without a blank line (END_BODY). Fails
 * with TOO_LARGE past @max_headers or BEACON_SIP_HEADER_MAX_LINE and with
 * MALFORMED on a NUL byte; @end (may be NULL) says how the block ended. */
gboolean    beacon_sip_headers_read           (const char            *data,
                                               gsize                  len,
                                               gsize                 *pos,
                                               BeaconSipHeadersFlags  flags,
                                               guint                  max_headers,
                                               GPtrArray             *headers,
                                               BeaconSipHeadersEnd   *end,
                                               GError               **error);

/* Canonical spelling of a header name per @flags: compact SIP forms
 * expanded, known names spelt as in their RFC, others unchanged. */
char       *beacon_sip_header_canonical_name  (const char            *name,
                                               BeaconSipHeadersFlags  flags);

/* Case-insensitive lookups in a GPtrArray of BeaconSipHeader; @name is
 * spelt per @flags first, so a compact form finds the long one. */
const char *beacon_sip_headers_lookup         (GPtrArray             *headers,
                                               const char            *name,
                                               BeaconSipHeadersFlags  flags);
/* All values of @name in order (transfer container: the strings belong to
 * @headers). Never NULL. */
GPtrArray  *beacon_sip_headers_lookup_all     (GPtrArray             *headers,
                                               const char            *name,
                                               BeaconSipHeadersFlags  flags);

/* The value of parameter @param (case-insensitive) in a `value;p=v;q`
 * header value, unquoted: `active;expires=3200` → "3200" for "expires".
 * A parameter without `=` gives "". NULL when absent. Parameters inside
 * `<...>` (URI parameters) and quoted strings are not header parameters. */
char       *beacon_sip_header_param           (const char            *value,
                                               const char            *param);
/* The part before the first `;`, trimmed and lowercased:
 * `Terminated; reason=rejected` → "terminated". NULL when empty. */
char       *beacon_sip_header_value_token     (const char            *value);
/* Splits a comma-separated header value (Accept, Supported, Allow...) at
 * commas outside quotes and `<...>`; items trimmed, empty ones dropped. */
GStrv       beacon_sip_header_split_list      (const char            *value);
/* Takes apart `"Display Name" <sip:uri>;tag=x`, `Name <uri>` or a bare
 * `sip:uri;tag=x`. @display_name is NULL when absent. FALSE when no URI. */
gboolean    beacon_sip_header_parse_name_addr (const char            *value,
                                               char                 **display_name,
                                               char                 **uri);

typedef struct {
  char *name;   /* lowercased */
  char *value;  /* unquoted; "" for a parameter without a value */
} BeaconSipParam;

typedef struct {
  char      *media_type;  /* "type/subtype", lowercased */
  char      *boundary;    /* unquoted, case kept; NULL when absent */
  char      *start;       /* unquoted, as sent (e.g. "<cid@host>"); NULL when absent */
  char      *type;        /* multipart/related root type, lowercased; NULL when absent */
  char      *charset;     /* lowercased; NULL when absent */
  GPtrArray *params;      /* every BeaconSipParam in order */
} BeaconSipContentType;

/* Parses a Content-Type value such as
 * `multipart/related;type="application/rlmi+xml"; start="<x@y>";boundary="b"`.
 * Fails with MALFORMED when there is no `type/subtype`. */
BeaconSipContentType *beacon_sip_content_type_parse (const char            *value,
                                                     GError               **error);
void                  beacon_sip_content_type_free  (BeaconSipContentType  *content_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipHeader, beacon_sip_header_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipContentType, beacon_sip_content_type_free)

G_END_DECLS
