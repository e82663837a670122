/* beacon-multipart.h — multipart bodies (RFC 2046, multipart/related RFC 2387)
 *
 * As RLS NOTIFYs carry them (RFC 4662): an RLMI root part plus one part per
 * resource, found by Content-ID. Tolerates what the seed and real peers
 * send: `--boundary—` (em dash) or `--boundary-` as the closing delimiter,
 * no closing delimiter at all, part bodies with no blank line after the
 * part headers, `Content-ID: <nXYxAE@ ps.cintel.net.cn >`, LF line ends,
 * preamble and epilogue.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-sip-header.h"

G_BEGIN_DECLS

/* An RLS NOTIFY in full state carries one part per buddy (~500 bytes of
 * PIDF each) plus the RLMI root: room for BEACON_RLMI_MAX_RESOURCES
 * (10,000) buddies. 1 MiB / 1,000 parts refused a 1,000-buddy list
 * (bench/RESULTS.md). */
#define BEACON_MULTIPART_MAX_SIZE         (16 * 1024 * 1024)  /* bytes of one body */
#define BEACON_MULTIPART_MAX_PARTS        10001
#define BEACON_MULTIPART_MAX_PART_HEADERS 50
#define BEACON_MULTIPART_MAX_DEPTH        3   /* a message body is depth 1 */

typedef struct {
  GPtrArray *headers;            /* BeaconSipHeader, MIME names canonical */
  char      *content_id;         /* normalised (see beacon_multipart_normalize_cid); NULL if none */
  char      *content_type;       /* media type, lowercased; NULL if absent or unparseable */
  char      *charset;            /* lowercased; NULL if none */
  char      *transfer_encoding;  /* lowercased, e.g. "binary"; NULL if none. Not decoded. */
  GBytes    *body;               /* without the line end before the next delimiter */
} BeaconMultipartPart;

typedef struct {
  char      *media_type;  /* "multipart/related" */
  char      *boundary;
  char      *start;       /* the `start` parameter, normalised; NULL if none */
  char      *type;        /* the `type` parameter, lowercased; NULL if none */
  guint      depth;       /* 1 for a message body, +1 per nesting */
  gboolean   closed;      /* a closing delimiter was seen (else truncated) */
  GPtrArray *parts;       /* BeaconMultipartPart, at least one */
} BeaconMultipart;

/* Parses @body (@len bytes) with the boundary, start and type taken from
 * @content_type, the whole Content-Type header value. Fails with
 * WRONG_DOCUMENT when it is not multipart/..., MISSING without a boundary
 * parameter or without any part, MALFORMED when the boundary never occurs,
 * TOO_LARGE past the bounds above. */
BeaconMultipart     *beacon_multipart_parse            (const char           *content_type,
                                                        const char           *body,
                                                        gsize                 len,
                                                        GError              **error);
/* Parses a part that is itself multipart (see
 * beacon_multipart_part_is_multipart()); TOO_DEEP past
 * BEACON_MULTIPART_MAX_DEPTH levels. */
BeaconMultipart     *beacon_multipart_parse_part       (const BeaconMultipart     *parent,
                                                        const BeaconMultipartPart *part,
                                                        GError                   **error);
void                 beacon_multipart_free             (BeaconMultipart      *mp);

gboolean             beacon_multipart_part_is_multipart (const BeaconMultipartPart *part);

/* The part whose Content-ID is @cid, given as `x@y`, `<x@y>` or `cid:x@y`
 * (white space ignored), or NULL. */
BeaconMultipartPart *beacon_multipart_find_by_cid      (const BeaconMultipart *mp,
                                                        const char            *cid);
/* The root part: the one named by @start (NULL: the `start` parameter),
 * else the first part. */
BeaconMultipartPart *beacon_multipart_get_root         (const BeaconMultipart *mp,
                                                        const char            *start);

/* A Content-ID as compared: `cid:` prefix (and its %-escapes), angle
 * brackets and ALL white space removed, so `<nXYxAE@ ps.cintel.net.cn >`
 * is "nXYxAE@ps.cintel.net.cn". NULL when nothing is left. */
char                *beacon_multipart_normalize_cid    (const char           *cid);

/* A part for beacon_multipart_build(): @content_id without <>, @charset
 * may be NULL, transfer encoding "binary" (as RFC 4662 and Kamailio). */
BeaconMultipartPart *beacon_multipart_part_new         (const char           *content_id,
                                                        const char           *content_type,
                                                        const char           *charset,
                                                        GBytes               *body);
void                 beacon_multipart_part_free        (BeaconMultipartPart  *part);

/* Builds a multipart/related body of @parts (BeaconMultipartPart; only
 * their content_id, content_type, charset, transfer_encoding and body are
 * written) with CRLF line ends, and sets @content_type (may be NULL) to the
 * matching header value, e.g. `multipart/related;type="application/rlmi+xml";
 * start="<cid>";boundary="b"`. @type and @start (a Content-ID without <>)
 * may be NULL. Fails with
 * INVALID_VALUE on a bad boundary, one that occurs in a part, or a field
 * that would break the headers. */
GBytes              *beacon_multipart_build            (const char           *boundary,
                                                        const char           *type,
                                                        const char           *start,
                                                        GPtrArray            *parts,
                                                        char                **content_type,
                                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconMultipart, beacon_multipart_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconMultipartPart, beacon_multipart_part_free)

G_END_DECLS
