/* beacon-sip-message.h — a tolerant parser of one raw SIP message
 *
 * For files, `beacon-cli decode`, tests and fuzzing; the live engine talks
 * SIP through sofia-sip. Accepts what the seed walkthrough and real peers
 * send: `SIP/2.0200 OK`, `NOTIFYsip:host SIP/2.0`, `Via :...`, headers
 * folded without leading white space, bodies with no blank line before
 * them, LF-only line ends and a Content-Length that lies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-sip-header.h"

G_BEGIN_DECLS

#define BEACON_SIP_MESSAGE_MAX_SIZE    (1024 * 1024)  /* bytes of one message */
#define BEACON_SIP_MESSAGE_MAX_HEADERS 200            /* header fields */

typedef struct {
  gboolean   is_request;
  char      *method;        /* requests: "NOTIFY"; NULL for responses */
  char      *request_uri;   /* requests: "sip:a.cintel.net.cn"; NULL for responses */
  guint      status_code;   /* responses: 100..699; 0 for requests */
  char      *reason;        /* responses: "OK" (may be ""); NULL for requests */
  GPtrArray *headers;       /* BeaconSipHeader, in order, names canonical */
  GBytes    *body;          /* never NULL; may be empty */
  /* Content-Length as declared, -1 when absent or not a number. */
  gint64     content_length;
  /* The declared Content-Length did not match the bytes present (or was
   * not a number): the body holds every byte after the headers instead. */
  gboolean   content_length_mismatch;
} BeaconSipMessage;

/* Parses @data (@len bytes, need not be NUL-terminated). Fails with
 * TOO_LARGE over BEACON_SIP_MESSAGE_MAX_SIZE, BEACON_SIP_MESSAGE_MAX_HEADERS
 * or BEACON_SIP_HEADER_MAX_LINE, and with MALFORMED ("not a SIP message:
 * ...") when the start line is neither a request nor a status line or the
 * header section is cut short. */
BeaconSipMessage *beacon_sip_message_parse        (const char        *data,
                                                   gsize              len,
                                                   GError           **error);
void              beacon_sip_message_free         (BeaconSipMessage  *msg);

/* The first value of header @name (case-insensitive; compact forms such
 * as "i" work too), or NULL. */
const char       *beacon_sip_message_get_header   (BeaconSipMessage  *msg,
                                                   const char        *name);
/* Every value of a repeated header such as Accept or Via, in order
 * (transfer container: the strings belong to @msg). Never NULL. */
GPtrArray        *beacon_sip_message_get_headers  (BeaconSipMessage  *msg,
                                                   const char        *name);
guint             beacon_sip_message_count_headers (BeaconSipMessage *msg,
                                                   const char        *name);

/* The parsed Content-Type, or NULL (and @error set: MISSING when the
 * header is absent, MALFORMED when it has no type/subtype). */
BeaconSipContentType *beacon_sip_message_get_content_type (BeaconSipMessage  *msg,
                                                           GError           **error);

/* CSeq number and method; accepts the seed's `1SUBSCRIBE`. @method may be
 * NULL; it is uppercased. FALSE when CSeq is absent or has no number. */
gboolean          beacon_sip_message_get_cseq     (BeaconSipMessage  *msg,
                                                   guint32           *number,
                                                   char             **method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipMessage, beacon_sip_message_free)

G_END_DECLS
