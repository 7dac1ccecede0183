/* CSV export of the published numbers: by week, site, language or page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_CSV_H
#define STATS_CSV_H

#include "buf.h"
#include "report.h"

enum csv_by {
    CSV_BY_WEEK,
    CSV_BY_SITE,
    CSV_BY_LANGUAGE,
    CSV_BY_PAGE,
};

/* Parse the "by" query value ("week", "site", "language", "page"). Returns 0 or EINVAL. */
int csv_by_parse(const char *s, enum csv_by *byp);

/* Append r as CSV grouped by `by` to out: a header line, then one line per week, site, language
 * or page; every cell suppressed like the dashboard's. Lines end in CRLF (RFC 4180). */
void csv_render(struct buf *out, const struct report *r, enum csv_by by);

#endif
