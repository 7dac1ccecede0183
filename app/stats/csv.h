/* CSV export of the published numbers: by week, site, site and week, language or page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_CSV_H
#define STATS_CSV_H

#include "buf.h"
#include "report.h"

enum csv_by {
    CSV_BY_WEEK,
    CSV_BY_SITE,
    CSV_BY_SITE_WEEK,
    CSV_BY_LANGUAGE,
    CSV_BY_PAGE,
    CSV_BY_COUNT
};

/* The "by" query values, indexed by enum csv_by ("week", "site", "site-week", "language",
 * "page"). */
extern const char *const csv_by_names[CSV_BY_COUNT];

/* Parse the "by" query value. Returns 0 or EINVAL. */
int csv_by_parse(const char *s, enum csv_by *byp);

/* Append r as CSV grouped by `by` to out, for a spreadsheet: a UTF-8 byte-order mark, a header
 * line, then one line per week, site, site and week, language or page. Numeric columns hold only
 * numbers: each count column X is followed by X_margin95 (the half-width of its 95 % range); a
 * count below REPORT_MIN_CELL is left empty with its margin, and the line's `suppressed` column
 * says 1; a week without any batch says 1 in `no_data` and leaves every count empty. Lines end in
 * CRLF (RFC 4180). */
void csv_render(struct buf *out, const struct report *r, enum csv_by by);

#endif
