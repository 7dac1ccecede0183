/* SVG week charts and HTML bar lists for the dashboard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "chart.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "openline/day.h"

/* Series colours: a dark blue and an orange that people with deuteranopia tell apart, 3.8:1
 * between them; the orange bars have a dark edge and a hatch so that neither colour alone nor
 * its contrast with the white page carries the meaning (the edge is 7.5:1 on white). */
static const char *const chart_fill[] = {"#1f4e79", "url(#hatch)"};
static const char *const chart_stroke[] = {"none", "#7a4a00"};

static const char *const chart_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void chart_int(struct buf *out, int64_t n)
{
    char d[24];
    int len = snprintf(d, sizeof(d), "%" PRId64, n < 0 ? -n : n);
    if (n < 0)
        buf_puts(out, "\xE2\x88\x92"); /* minus sign */
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf_puts(out, ",");
        buf_add(out, &d[i], 1);
    }
}

int64_t chart_axis(int64_t v, int *steps)
{
    /* Tops in tenths of a power of ten, each with a number of steps that keeps ticks round. */
    static const struct {
        int tenths, steps;
    } tops[] = {{10, 5}, {15, 3}, {20, 4}, {25, 5}, {30, 3},
                {40, 4}, {50, 5}, {60, 3}, {80, 4}, {100, 5}};
    int64_t p = 1;
    if (v < REPORT_MIN_CELL)
        v = REPORT_MIN_CELL;
    while (p * 10 <= v)
        p *= 10;
    for (size_t i = 0; i < sizeof(tops) / sizeof(*tops); i++) {
        int64_t top = p * tops[i].tenths / 10;
        if (top >= v && top * 10 == p * tops[i].tenths) {
            *steps = tops[i].steps;
            return top;
        }
    }
    *steps = 5;
    return 10 * p;
}

/* "Nov 23" for an axis label, with the year when first is set or in January. */
static void chart_short_day(struct buf *out, int32_t day, int first)
{
    char s[DAY_STR_LEN + 1];
    day_format(day, s);
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    buf_printf(out, "%s %d", chart_months[(m >= 1 && m <= 12 ? m : 1) - 1], d);
    if (first || m == 1)
        buf_printf(out, " %.4s", s);
}

struct chart_frame {
    double W, H, L, R, T, B, pw, ph;
    int64_t max;
};

/* Axes, grid, titles and the hatch pattern; the largest upper end of a shown range sets max. */
static void chart_frame(struct buf *out, struct chart_frame *f, const struct report *r,
                        const enum report_counter *series, int nseries, const char *label,
                        const char *ytitle)
{
    int64_t top = 0;
    int steps;
    for (size_t i = 0; i < r->nweeks; i++) {
        for (int s = 0; s < nseries; s++) {
            const struct report_num *n = &r->weeks[i].c[series[s]];
            int64_t hi = n->v + report_margin95(n->var);
            if (r->weeks[i].batches && report_shown(n->v) && hi > top)
                top = hi;
        }
    }
    *f = (struct chart_frame){.W = 940, .H = 270, .L = 70, .R = 10, .T = 14, .B = 62};
    f->pw = f->W - f->L - f->R;
    f->ph = f->H - f->T - f->B;
    f->max = chart_axis(top, &steps);
    buf_printf(out,
               "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
               "aria-label=\"",
               f->W, f->H, f->W, f->H);
    buf_html(out, label);
    buf_puts(out, "\"><defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
                  "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                  "<rect width=\"6\" height=\"6\" fill=\"#e69f00\"/>"
                  "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#7a4a00\" "
                  "stroke-width=\"2\"/></pattern></defs>");
    for (int g = 0; g <= steps; g++) {
        double y = f->T + f->ph - f->ph * g / (double)steps;
        buf_printf(out,
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                   f->L, f->W - f->R, y, y, g ? "#e5e9ed" : "#6b7280", f->L - 6, y + 4);
        chart_int(out, f->max * g / steps);
        buf_puts(out, "</text>");
    }
    buf_printf(out,
               "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
               "text-anchor=\"middle\" class=\"axis\">",
               f->T + f->ph / 2, f->T + f->ph / 2);
    buf_html(out, ytitle);
    buf_printf(out,
               "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"axis\">"
               "Week starting (Monday, UTC)</text>",
               f->L + f->pw / 2, f->H - 4);
}

/* One bar (or the mark of a suppressed cell) with its whisker and tooltip. */
static void chart_bar(struct buf *out, const struct chart_frame *f, double x, double bw,
                      const struct report_num *n, int s, bool unfinished, const char *what)
{
    double base = f->T + f->ph;
    if (!report_shown(n->v)) {
        buf_printf(out,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"2\" fill=\"#9aa4ae\">"
                   "<title>%s: &lt;%d</title></rect>",
                   x, base - 2, bw, what, REPORT_MIN_CELL);
        return;
    }
    int64_t m = report_margin95(n->var);
    double h = f->ph * (double)n->v / (double)f->max;
    double lo = f->ph * (double)(n->v - m > 0 ? n->v - m : 0) / (double)f->max;
    double hi = f->ph * (double)(n->v + m) / (double)f->max;
    double cx = x + bw / 2;
    buf_printf(out,
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
               "stroke=\"%s\"%s><title>%s: ",
               x, base - h, bw, h, chart_fill[s], chart_stroke[s],
               unfinished ? " fill-opacity=\"0.4\"" : "", what);
    chart_int(out, n->v);
    buf_printf(out, " (&#177; %" PRId64 ")</title></rect>", m);
    if (m > 0)
        buf_printf(out,
                   "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh%.1fM%.1f %.1fh%.1f\" "
                   "stroke=\"#111827\" stroke-width=\"1.2\" fill=\"none\"/>",
                   cx, base - hi, base - lo, cx - 3, base - hi, 6.0, cx - 3, base - lo, 6.0);
}

/* Week i's bars, its "no data" label or its coverage marker, and its axis label. */
static void chart_week(struct buf *out, const struct chart_frame *f, const struct report *r,
                       size_t i, const enum report_counter *series, int nseries)
{
    const struct report_week *w = &r->weeks[i];
    double slot = f->pw / (double)r->nweeks, bw = slot * 0.8 / nseries;
    char day[DAY_STR_LEN + 1], what[160];

    if (bw > 28)
        bw = 28;
    double x0 = f->L + slot * (double)i + (slot - bw * nseries) / 2, cx = x0 + bw * nseries / 2;
    day_format(w->monday, day);
    if (!w->batches) {
        /* A grey band; the words once per run of weeks without data (chart_gaps). */
        buf_printf(out,
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                   "fill=\"#eef0f3\"><title>Week of %s: no data</title></rect>",
                   f->L + slot * (double)i, f->T, slot, f->ph, day);
    } else {
        for (int s = 0; s < nseries; s++) {
            snprintf(what, sizeof(what), "Week of %s, %s%s", day, report_counter_label(series[s]),
                     w->unfinished ? " (week not over)"
                     : w->partial  ? " (part of the week)"
                                   : "");
            chart_bar(out, f, x0 + bw * s, bw, &w->c[series[s]], s, w->unfinished, what);
        }
    }
    if (w->changes[0]) {
        buf_printf(out, "<path d=\"M%.1f %.1fl5 8h-10z\" fill=\"#b42318\"><title>Week of %s: ", cx,
                   f->T + f->ph + 3, day);
        buf_html(out, w->changes);
        buf_puts(out, "</title></path>");
    }
    size_t step = (r->nweeks + 9) / 10;
    if (i % step == 0) {
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", cx,
                   f->T + f->ph + 28);
        chart_short_day(out, w->monday, i == 0);
        buf_puts(out, "</text>");
    }
}

/* "no data" written once over each run of weeks without data, across it when it is wide enough,
 * else upwards. */
static void chart_gaps(struct buf *out, const struct chart_frame *f, const struct report *r)
{
    double slot = f->pw / (double)r->nweeks;
    for (size_t i = 0; i < r->nweeks;) {
        size_t j = i;
        while (j < r->nweeks && !r->weeks[j].batches)
            j++;
        if (j == i) {
            i++;
            continue;
        }
        double cx = f->L + slot * (double)(i + j) / 2, y = f->T + f->ph / 2;
        if (slot * (double)(j - i) >= 70)
            buf_printf(out,
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                       "class=\"nodata\">no data</text>",
                       cx, y);
        else
            buf_printf(out,
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"nodata\" "
                       "transform=\"rotate(-90 %.1f %.1f)\">no data</text>",
                       cx + 4, y, cx + 4, y);
        i = j;
    }
}

void chart_weeks(struct buf *out, const struct report *r, const enum report_counter *series,
                 int nseries, const char *label, const char *ytitle)
{
    struct chart_frame f;
    buf_puts(out, "<div class=\"chart\">");
    chart_frame(out, &f, r, series, nseries, label, ytitle);
    for (size_t i = 0; i < r->nweeks; i++)
        chart_week(out, &f, r, i, series, nseries);
    chart_gaps(out, &f, r);
    buf_puts(out, "</svg></div><div class=\"legend\" aria-hidden=\"true\">");
    for (int s = 0; s < nseries; s++)
        buf_printf(out, "<span class=\"s%d\">%s</span>", s, report_counter_label(series[s]));
    buf_puts(out, "<span class=\"whisker\">95 % range</span><span class=\"open\">pale: the "
                  "week is not over</span><span class=\"gap\">coverage "
                  "changed (kiosk new, silent or revoked)</span></div>");
}

void chart_hbars(struct buf *out, const struct report_row *rows, size_t n, int counter,
                 const char *const *names, int64_t total, const char *label)
{
    int64_t top = 0;
    for (size_t i = 0; i < n; i++) {
        const struct report_num *v = &rows[i].v[counter];
        if (report_shown(v->v) && v->v + report_margin95(v->var) > top)
            top = v->v + report_margin95(v->var);
    }
    if (top < REPORT_MIN_CELL)
        top = REPORT_MIN_CELL;
    buf_puts(out, "<ul class=\"hbars\" aria-label=\"");
    buf_html(out, label);
    buf_puts(out, "\">");
    for (size_t i = 0; i < n; i++) {
        const struct report_num *v = &rows[i].v[counter];
        int64_t m = report_margin95(v->var);
        bool shown = report_shown(v->v);
        buf_puts(out, "<li><span class=\"name\">");
        buf_html(out, names ? names[i] : rows[i].name);
        buf_printf(out,
                   "</span><span class=\"track\"><span class=\"bar\" style=\"width:%.1f%%\">"
                   "</span>",
                   shown ? 100.0 * (double)v->v / (double)top : 0.5);
        if (shown && m > 0)
            buf_printf(out, "<span class=\"wh\" style=\"left:%.1f%%;width:%.1f%%\"></span>",
                       100.0 * (double)(v->v - m > 0 ? v->v - m : 0) / (double)top,
                       100.0 * (double)((v->v - m > 0 ? m : v->v) + m) / (double)top);
        buf_puts(out, "</span><span class=\"fig\">");
        if (shown) {
            chart_int(out, v->v);
            buf_printf(out, " <span class=\"pm\">&#177;&#8239;%" PRId64 "</span>", m);
            if (total > 0)
                buf_printf(out, " <span class=\"muted\">%.1f&#8239;%%</span>",
                           100.0 * (double)v->v / (double)total);
        } else {
            buf_printf(out, "&lt;%d", REPORT_MIN_CELL);
        }
        buf_puts(out, "</span></li>");
    }
    buf_puts(out, "</ul>");
}
