/* RFC 4180 CSV from a report, with the same suppression and ranges as the dashboard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "csv.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "names.h"
#include "openline/day.h"

const char *const csv_by_names[CSV_BY_COUNT] = {"week", "site", "site-week", "language", "page"};

int csv_by_parse(const char *s, enum csv_by *byp)
{
    for (int i = 0; i < CSV_BY_COUNT; i++) {
        if (!strcmp(s, csv_by_names[i])) {
            *byp = (enum csv_by)i;
            return 0;
        }
    }
    return EINVAL;
}

/* ",X,X_margin95" for count column X. */
static void csv_head(struct buf *out, const char *name)
{
    buf_printf(out, ",%s,%s_margin95", name, name);
}

/* The header's count columns: every counter, and the key pages when pages is set. */
static void csv_heads(struct buf *out, bool pages)
{
    char name[INGEST_NAME_MAX + 1];
    for (int c = 0; c < REPORT_COUNTERS; c++)
        csv_head(out, report_counter_name(c));
    for (int i = 0; pages && i < REPORT_KEY_PAGES; i++) {
        snprintf(name, sizeof(name), "page.%s", report_key_pages[i]);
        csv_head(out, name);
    }
}

/* One count and its margin; returns whether it was suppressed. Empty both when none. */
static bool csv_num(struct buf *out, const struct report_num *n, bool none)
{
    if (none) {
        buf_puts(out, ",,");
        return false;
    }
    if (!report_shown(n->v)) {
        buf_puts(out, ",,");
        return true;
    }
    buf_printf(out, ",%" PRId64 ",%" PRId64, n->v, report_margin95(n->var));
    return false;
}

/* n counts, then the suppressed flag (and no_data when asked). */
static void csv_nums(struct buf *out, const struct report_num *n, int count, bool none,
                     bool no_data_column)
{
    bool suppressed = false;
    for (int c = 0; c < count; c++)
        suppressed |= csv_num(out, &n[c], none);
    buf_printf(out, ",%d", suppressed);
    if (no_data_column)
        buf_printf(out, ",%d", none);
    buf_puts(out, "\r\n");
}

static void csv_weeks(struct buf *out, const struct report *r)
{
    char day[DAY_STR_LEN + 1];
    buf_puts(out, "week,partial,unfinished,kiosks_reporting,batches");
    csv_heads(out, false);
    buf_puts(out, ",suppressed,no_data\r\n");
    for (size_t i = 0; i < r->nweeks; i++) {
        const struct report_week *w = &r->weeks[i];
        day_format(w->monday, day);
        buf_printf(out, "%s,%d,%d,%d,%" PRId64, day, w->partial, w->unfinished, w->kiosks,
                   w->batches);
        csv_nums(out, w->c, REPORT_COUNTERS, !w->batches, true);
    }
}

static void csv_sites(struct buf *out, const struct report *r, bool weeks)
{
    char day[DAY_STR_LEN + 1];
    buf_puts(out, weeks ? "site,week" : "site");
    csv_heads(out, !weeks);
    buf_puts(out, ",suppressed\r\n");
    for (size_t i = 0; i < r->nsites; i++) {
        const struct report_row *s = &r->sites[i];
        if (!weeks) {
            buf_csv(out, s->name);
            csv_nums(out, s->v, REPORT_COUNTERS + REPORT_KEY_PAGES, false, false);
            continue;
        }
        for (size_t w = 0; w < r->nweeks; w++) {
            day_format(r->weeks[w].monday, day);
            buf_csv(out, s->name);
            buf_printf(out, ",%s", day);
            csv_nums(out, s->weeks[w], REPORT_COUNTERS, false, false);
        }
    }
}

/* Languages or pages: code, name, count, margin, share of `of` in percent, suppressed. */
static void csv_named(struct buf *out, const struct report *r, bool pages)
{
    const struct report_row *rows = pages ? r->pages : r->langs;
    size_t n = pages ? r->npages : r->nlangs;
    int64_t of = report_share_of(r, pages); /* report.h: what a share is of */
    char name[200];

    buf_puts(out, pages ? "page,title,views,views_margin95,percent_of_sessions,suppressed\r\n"
                        : "language,name,sessions,sessions_margin95,percent,suppressed\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct report_num *v = &rows[i].v[0];
        const char *title = pages ? names_page_title(rows[i].name) : NULL;
        if (!pages)
            names_language(rows[i].name, name, sizeof(name));
        buf_csv(out, rows[i].name);
        buf_puts(out, ",");
        buf_csv(out, pages ? (title ? title : "") : name);
        if (report_shown(v->v))
            buf_printf(out, ",%" PRId64 ",%" PRId64 ",%.1f,0\r\n", v->v, report_margin95(v->var),
                       of > 0 ? 100.0 * (double)v->v / (double)of : 0);
        else
            buf_puts(out, ",,,,1\r\n");
    }
}

void csv_render(struct buf *out, const struct report *r, enum csv_by by)
{
    buf_puts(out, "\xEF\xBB\xBF");
    switch (by) {
    case CSV_BY_WEEK:
        csv_weeks(out, r);
        break;
    case CSV_BY_SITE:
    case CSV_BY_SITE_WEEK:
        csv_sites(out, r, by == CSV_BY_SITE_WEEK);
        break;
    case CSV_BY_LANGUAGE:
    case CSV_BY_PAGE:
        csv_named(out, r, by == CSV_BY_PAGE);
        break;
    case CSV_BY_COUNT:
        break;
    }
}
