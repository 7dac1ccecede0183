/* RFC 4180 CSV from a report, with the same suppression as the dashboard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "csv.h"

#include <errno.h>
#include <string.h>

#include "openline/day.h"

int csv_by_parse(const char *s, enum csv_by *byp)
{
    static const char *const names[] = {"week", "site", "language", "page"};
    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i])) {
            *byp = (enum csv_by)i;
            return 0;
        }
    }
    return EINVAL;
}

static void csv_counters(struct buf *out, const int64_t *v)
{
    char cell[24];
    for (int c = 0; c < REPORT_COUNTERS; c++) {
        report_cell(v[c], cell);
        buf_puts(out, ",");
        buf_csv(out, cell);
    }
    buf_puts(out, "\r\n");
}

static void csv_header(struct buf *out, const char *first)
{
    buf_puts(out, first);
    for (int c = 0; c < REPORT_COUNTERS; c++) {
        buf_puts(out, ",");
        buf_puts(out, report_counter_name(c));
    }
    buf_puts(out, "\r\n");
}

static void csv_rows(struct buf *out, const char *first, const char *second,
                     const struct report_row *rows, size_t n)
{
    char cell[24];
    buf_printf(out, "%s,%s\r\n", first, second);
    for (size_t i = 0; i < n; i++) {
        buf_csv(out, rows[i].name);
        report_cell(rows[i].v[0], cell);
        buf_puts(out, ",");
        buf_csv(out, cell);
        buf_puts(out, "\r\n");
    }
}

void csv_render(struct buf *out, const struct report *r, enum csv_by by)
{
    char day[DAY_STR_LEN + 1];

    switch (by) {
    case CSV_BY_WEEK:
        csv_header(out, "week");
        for (size_t i = 0; i < r->nweeks; i++) {
            day_format(r->from_week + 7 * (int32_t)i, day);
            buf_puts(out, day);
            csv_counters(out, r->weeks[i]);
        }
        break;
    case CSV_BY_SITE:
        csv_header(out, "site");
        for (size_t i = 0; i < r->nsites; i++) {
            buf_csv(out, r->sites[i].name);
            csv_counters(out, r->sites[i].v);
        }
        break;
    case CSV_BY_LANGUAGE:
        csv_rows(out, "language", "sessions", r->langs, r->nlangs);
        break;
    case CSV_BY_PAGE:
        csv_rows(out, "page", "views", r->pages, r->npages);
        break;
    }
}
