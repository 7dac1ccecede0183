/* Dashboard HTML: totals, charts and tables of published cells, kiosk health, log-in page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dashboard.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/day.h"
#include "openline/util.h"

static const char dashboard_css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'DejaVu Sans',sans-serif;color:#1d2430;background:#f4f6f8}"
    "header{background:#0b4f6c;color:#fff;padding:12px 24px;display:flex;align-items:center;"
    "justify-content:space-between;flex-wrap:wrap;gap:8px}"
    "header h1{font-size:20px;margin:0;font-weight:600}"
    "header form{margin:0;display:flex;gap:12px;align-items:center}"
    "header button{background:transparent;color:#fff;border:1px solid #9cc6d8;border-radius:4px;"
    "padding:4px 12px;font:inherit;cursor:pointer}"
    "main{max-width:1000px;margin:0 auto;padding:16px 24px 48px}"
    "section{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:16px 20px;"
    "margin:16px 0}"
    "h2{font-size:17px;margin:0 0 12px}"
    ".range{display:flex;flex-wrap:wrap;gap:12px;align-items:end}"
    ".range label{display:flex;flex-direction:column;font-size:13px;color:#4a5563}"
    ".range input,.range button{font:inherit;padding:4px 8px}"
    ".range a{font-size:14px;color:#0b4f6c}"
    ".note{font-size:14px;color:#374151;background:#eef6f9;border-left:4px solid #0b4f6c;"
    "padding:10px 14px;margin:12px 0 0}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}"
    ".card{border:1px solid #dde3e8;border-radius:6px;padding:10px 12px}"
    ".card .v{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}"
    ".card .k{font-size:13px;color:#4a5563}"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin-top:12px}"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e5e9ed}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.flag td{background:#fff4e5}"
    ".bad{color:#b42318;font-weight:600}.ok{color:#067647}.muted{color:#6b7280}"
    "svg{display:block;max-width:100%;height:auto;margin-top:4px}"
    "svg text{font:11px system-ui,sans-serif;fill:#4a5563}"
    ".legend{display:flex;gap:16px;font-size:13px;margin-top:6px}"
    ".legend span::before{content:'';display:inline-block;width:10px;height:10px;"
    "margin-right:5px;background:var(--c)}"
    ".two{display:grid;grid-template-columns:1fr 1fr;gap:16px}"
    "@media (max-width:800px){.two{grid-template-columns:1fr}}";

static const char *const dashboard_colors[] = {"#0b72a8", "#2f9e44", "#e8590c"};

static const char *const dashboard_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void dashboard_head(struct buf *out, const char *title)
{
    buf_puts(out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<title>");
    buf_html(out, title);
    buf_puts(out, "</title><style>");
    buf_puts(out, dashboard_css);
    buf_puts(out, "</style></head>\n<body>\n");
}

/* "Nov 23" for an axis label, with the year when first is set or in January. */
static void dashboard_short_day(struct buf *out, int32_t day, int first)
{
    char s[DAY_STR_LEN + 1];
    day_format(day, s);
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12)
        m = 1;
    buf_printf(out, "%s %d", dashboard_months[m - 1], d);
    if (first || m == 1)
        buf_printf(out, " %.4s", s);
}

/* A round axis maximum at or above v: 1, 2 or 5 times a power of ten. */
static int64_t dashboard_nice(int64_t v)
{
    int64_t p = 1;
    if (v < REPORT_MIN_CELL)
        v = REPORT_MIN_CELL;
    while (p * 10 <= v)
        p *= 10;
    if (v <= p)
        return p;
    if (v <= 2 * p)
        return 2 * p;
    if (v <= 5 * p)
        return 5 * p;
    return 10 * p;
}

/* Vertical bars per week for up to three counters side by side. Suppressed cells draw no bar,
 * only a grey tick at the base line labelled "<5". */
static void dashboard_week_chart(struct buf *out, const struct report *r,
                                 const enum report_counter *series, int nseries, const char *label)
{
    const double W = 940, H = 230, L = 52, R = 8, T = 12, B = 34;
    const double pw = W - L - R, ph = H - T - B;
    int64_t max = 0;
    char cell[24], day[DAY_STR_LEN + 1];

    for (size_t i = 0; i < r->nweeks; i++) {
        for (int s = 0; s < nseries; s++) {
            int64_t v = r->weeks[i][series[s]];
            if (report_shown(v) && v > max)
                max = v;
        }
    }
    max = dashboard_nice(max);

    buf_printf(out, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", W, H);
    buf_html(out, label);
    buf_puts(out, "\">");
    /* Grid lines at whole steps: 2, 4, 6... of 8 (max 2, 20...) or 1, 2... of 5. */
    int64_t lead = max;
    while (lead >= 10)
        lead /= 10;
    int steps = lead == 2 ? 4 : 5;
    for (int g = 0; g <= steps; g++) {
        double y = T + ph - ph * g / (double)steps;
        buf_printf(out,
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%" PRId64 "</text>",
                   L, W - R, y, y, g ? "#e5e9ed" : "#9aa4ae", L - 6, y + 4, max * g / steps);
    }
    double slot = pw / (double)r->nweeks;
    double bw = slot * 0.8 / nseries;
    if (bw > 28)
        bw = 28;
    size_t step = (r->nweeks + 11) / 12;
    for (size_t i = 0; i < r->nweeks; i++) {
        int32_t week = r->from_week + 7 * (int32_t)i;
        double x0 = L + slot * (double)i + (slot - bw * nseries) / 2;
        day_format(week, day);
        for (int s = 0; s < nseries; s++) {
            int64_t v = r->weeks[i][series[s]];
            double x = x0 + bw * s;
            report_cell(v, cell);
            if (report_shown(v)) {
                double h = ph * (double)v / (double)max;
                buf_printf(out,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"%s\"><title>",
                           x, T + ph - h, bw, h, dashboard_colors[s]);
            } else {
                buf_printf(out,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"2\" "
                           "fill=\"#c4cbd2\"><title>",
                           x, T + ph - 2, bw);
            }
            buf_printf(out, "Week of %s, %s: ", day, report_counter_label(series[s]));
            buf_html(out, cell);
            buf_puts(out, "</title></rect>");
        }
        if (i % step == 0) {
            buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                       L + slot * ((double)i + 0.5), H - B + 16);
            dashboard_short_day(out, week, i == 0);
            buf_puts(out, "</text>");
        }
    }
    buf_puts(out, "</svg>");
    if (nseries > 1) {
        buf_puts(out, "<div class=\"legend\">");
        for (int s = 0; s < nseries; s++)
            buf_printf(out, "<span style=\"--c:%s\">%s</span>", dashboard_colors[s],
                       report_counter_label(series[s]));
        buf_puts(out, "</div>");
    }
}

/* Horizontal bars for the first `limit` rows, by value v[0]; suppressed rows get no bar. */
static void dashboard_hbars(struct buf *out, const struct report_row *rows, size_t n, size_t limit,
                            const char *label)
{
    const double W = 440, L = 130, R = 56, row_h = 22;
    int64_t max = 0;
    char cell[24];

    if (n > limit)
        n = limit;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++) {
        if (report_shown(rows[i].v[0]) && rows[i].v[0] > max)
            max = rows[i].v[0];
    }
    if (max < REPORT_MIN_CELL)
        max = REPORT_MIN_CELL;
    buf_printf(out,
               "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
               "aria-label=\"",
               W, row_h * (double)n + 4, W, row_h * (double)n + 4);
    buf_html(out, label);
    buf_puts(out, "\">");
    for (size_t i = 0; i < n; i++) {
        double y = row_h * (double)i + 2;
        int64_t v = rows[i].v[0];
        double w = report_shown(v) ? (W - L - R) * (double)v / (double)max : 2;
        report_cell(v, cell);
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", L - 8, y + 14);
        /* Long site names are cut for the chart; the table shows them whole. */
        size_t len = strlen(rows[i].name);
        if (len > 20) {
            char cut[64];
            size_t k = 18;
            while (k > 0 && (rows[i].name[k] & 0xC0) == 0x80)
                k--; /* do not cut inside a UTF-8 sequence */
            memcpy(cut, rows[i].name, k);
            memcpy(cut + k, "\xE2\x80\xA6", 4);
            buf_html(out, cut);
        } else {
            buf_html(out, rows[i].name);
        }
        buf_printf(out,
                   "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"15\" fill=\"%s\">"
                   "<title>",
                   L, y + 2, w, report_shown(v) ? dashboard_colors[0] : "#c4cbd2");
        buf_html(out, rows[i].name);
        buf_puts(out, ": ");
        buf_html(out, cell);
        buf_printf(out, "</title></rect><text x=\"%.1f\" y=\"%.1f\">", L + w + 6, y + 14);
        buf_html(out, cell);
        buf_puts(out, "</text>");
    }
    buf_puts(out, "</svg>");
}

static void dashboard_num(struct buf *out, const char *key1, const char *key2, int64_t v)
{
    char cell[24];
    report_cell(v, cell);
    buf_puts(out, "<td class=\"n\" data-cell=\"");
    buf_html(out, key1);
    if (key2) {
        buf_puts(out, ".");
        buf_html(out, key2);
    }
    buf_puts(out, "\">");
    buf_html(out, cell);
    buf_puts(out, "</td>");
}

static void dashboard_counter_heads(struct buf *out, const char *first)
{
    buf_printf(out, "<table><thead><tr><th>%s</th>", first);
    for (int c = 0; c < REPORT_COUNTERS; c++)
        buf_printf(out, "<th class=\"n\">%s</th>", report_counter_label(c));
    buf_puts(out, "</tr></thead><tbody>");
}

static void dashboard_noise(struct buf *out, const struct report *r)
{
    buf_puts(out, "<p class=\"note\" id=\"noise\">");
    if (!r->nnoise) {
        buf_puts(out, "No batches were received for this range.");
    } else if (r->nnoise == 1 && !strcmp(r->noise[0].mech, "geometric")) {
        double a = exp(-r->noise[0].epsilon);
        double sd = sqrt(2 * a) / (1 - a);
        int64_t n = r->noise[0].batches;
        buf_printf(out,
                   "Privacy noise: every count was perturbed on its kiosk with two-sided "
                   "geometric noise, &epsilon; = %g per counter and bucket, as declared by %s "
                   "%" PRId64 " batch%s summed here. The noise of one count has a standard "
                   "deviation of about %.1f; a sum of n counts, about %.1f&middot;&radic;n. ",
                   r->noise[0].epsilon, n == 1 ? "the" : "all", n, n == 1 ? "" : "es", sd, sd);
    } else if (r->nnoise == 1) {
        buf_printf(out,
                   "<strong>Privacy noise: none: these numbers are exact.</strong> The %" PRId64
                   " batch%s summed here declared no noise (mechanism &ldquo;none&rdquo;): they "
                   "come from kiosks set up with <code>noise = none</code> for a test or a "
                   "demonstration. A kiosk at a site adds noise to every count. ",
                   r->noise[0].batches, r->noise[0].batches == 1 ? "" : "es");
    } else {
        buf_puts(out, "Privacy noise: the batches summed here declared different noise: ");
        for (size_t i = 0; i < r->nnoise; i++) {
            const struct report_noise *n = &r->noise[i];
            if (i)
                buf_puts(out, "; ");
            if (!strcmp(n->mech, "geometric"))
                buf_printf(out, "two-sided geometric, &epsilon; = %g", n->epsilon);
            else
                buf_puts(out, "<strong>none (exact counts, from a test or demonstration set-up)"
                              "</strong>");
            buf_printf(out, " (%" PRId64 " batch%s)", n->batches, n->batches == 1 ? "" : "es");
        }
        buf_puts(out, ". ");
    }
    if (r->nnoise)
        buf_printf(out,
                   "Each number is a sum of these noisy counts over kiosks and weeks; a sum "
                   "below %d is shown as &ldquo;&lt;%d&rdquo;.",
                   REPORT_MIN_CELL, REPORT_MIN_CELL);
    buf_puts(out, "</p>");
}

/* One row of the health table. */
static void dashboard_health_row(struct buf *out, const struct report_kiosk *k)
{
    char day[DAY_STR_LEN + 1];

    buf_printf(out, "<tr%s data-kiosk=\"%" PRId64 "\"><td class=\"n\">%" PRId64 "</td><td>",
               k->flagged ? " class=\"flag\"" : "", k->id, k->id);
    buf_html(out, k->site);
    buf_puts(out, "</td>");
    if (k->has_heartbeat) {
        day_format(k->day, day);
        buf_printf(out, "<td>%s</td><td>", day);
        buf_html(out, k->version);
        buf_printf(out, "</td><td class=\"n\">%" PRId64 "</td><td>", k->spool_depth);
        buf_html(out, k->clock);
        buf_puts(out, "</td><td>");
        buf_html(out, k->self_test);
        buf_puts(out, "</td>");
    } else {
        buf_puts(out, "<td class=\"muted\">never</td><td></td><td></td><td></td><td></td>");
    }
    buf_printf(out, "<td data-cell=\"health.%" PRId64 "\" class=\"%s\">%s", k->id,
               k->flagged ? "bad" : (k->revoked ? "muted" : "ok"), k->flagged ? "&#9888; " : "");
    buf_html(out, k->status);
    buf_puts(out, "</td></tr>");
}

/* The page's header: title and the sign-out form. */
static void dashboard_top(struct buf *out, const struct dashboard_page *p)
{
    dashboard_head(out, "OpenLine reach");
    buf_puts(out, "<header><h1>OpenLine reach</h1>"
                  "<form method=\"post\" action=\"/logout\"><span>Signed in as ");
    buf_html(out, p->staff);
    buf_puts(out, "</span><input type=\"hidden\" name=\"csrf\" value=\"");
    buf_html(out, p->csrf);
    buf_puts(out, "\"><button type=\"submit\">Sign out</button></form></header>\n<main>\n");
}

/* The range selector, the CSV links and the privacy note. */
static void dashboard_range(struct buf *out, const struct dashboard_page *p)
{
    const struct report *r = p->r;
    char from[DAY_STR_LEN + 1], to[DAY_STR_LEN + 1], wk[DAY_STR_LEN + 1], last[DAY_STR_LEN + 1];

    day_format(p->from_day, from);
    day_format(p->to_day, to);
    day_format(r->from_week, wk);
    day_format(r->to_week, last);
    buf_printf(out,
               "<section><form class=\"range\" method=\"get\" action=\"/\">"
               "<label>From<input type=\"date\" name=\"from\" value=\"%s\" required></label>"
               "<label>To<input type=\"date\" name=\"to\" value=\"%s\" required></label>"
               "<button type=\"submit\">Show</button>"
               "<span>CSV: <a href=\"/export.csv?from=%s&amp;to=%s&amp;by=week\">by week</a> "
               "&middot; <a href=\"/export.csv?from=%s&amp;to=%s&amp;by=site\">by site</a> "
               "&middot; <a href=\"/export.csv?from=%s&amp;to=%s&amp;by=language\">by language</a>"
               " &middot; <a href=\"/export.csv?from=%s&amp;to=%s&amp;by=page\">by page</a>"
               "</span></form>"
               "<p class=\"muted\" id=\"range\">ISO weeks starting %s to %s (%zu week%s), all "
               "kiosks.</p>",
               from, to, from, to, from, to, from, to, from, to, wk, last, r->nweeks,
               r->nweeks == 1 ? "" : "s");
    dashboard_noise(out, r);
    buf_puts(out, "</section>\n");
}

static void dashboard_totals(struct buf *out, const struct report *r)
{
    buf_puts(out, "<section id=\"totals\"><h2>Totals for the range</h2><div class=\"cards\">");
    for (int c = 0; c < REPORT_COUNTERS; c++) {
        char cell[24];
        report_cell(r->total[c], cell);
        buf_printf(out, "<div class=\"card\"><div class=\"v\" data-cell=\"total.%s\">",
                   report_counter_name(c));
        buf_html(out, cell);
        buf_printf(out, "</div><div class=\"k\">%s</div></div>", report_counter_label(c));
    }
    buf_puts(out, "</div></section>\n");
}

/* The charts per week and the table of every counter per week, latest first. */
static void dashboard_weeks(struct buf *out, const struct report *r)
{
    static const enum report_counter sessions[] = {REPORT_SESSIONS};
    static const enum report_counter calls[] = {REPORT_CALL_ATTEMPTED, REPORT_CALL_CONNECTED,
                                                REPORT_CALL_FAILED};
    char wk[DAY_STR_LEN + 1];

    buf_puts(out, "<section id=\"weeks\"><h2>Reach per week: sessions, all sites</h2>");
    dashboard_week_chart(out, r, sessions, ARRAY_SIZE(sessions), "Sessions per week");
    buf_puts(out, "<h2 style=\"margin-top:20px\">Calls per week</h2>");
    dashboard_week_chart(out, r, calls, ARRAY_SIZE(calls),
                         "Calls attempted, connected and failed per week");
    dashboard_counter_heads(out, "Week of");
    for (size_t i = r->nweeks; i-- > 0;) {
        day_format(r->from_week + 7 * (int32_t)i, wk);
        buf_printf(out, "<tr><td>%s</td>", wk);
        for (int c = 0; c < REPORT_COUNTERS; c++) {
            char key[40];
            snprintf(key, sizeof(key), "week.%s", wk);
            dashboard_num(out, key, report_counter_name(c), r->weeks[i][c]);
        }
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></section>\n");
}

static void dashboard_sites(struct buf *out, const struct report *r)
{
    buf_puts(out, "<section id=\"sites\"><h2>By site</h2>");
    if (!r->nsites) {
        buf_puts(out, "<p class=\"muted\">No site sent batches in this range.</p></section>\n");
        return;
    }
    dashboard_hbars(out, r->sites, r->nsites, 30, "Sessions by site");
    dashboard_counter_heads(out, "Site");
    for (size_t i = 0; i < r->nsites; i++) {
        char key[STORE_SITE_MAX + 8];
        buf_puts(out, "<tr><td>");
        buf_html(out, r->sites[i].name);
        buf_puts(out, "</td>");
        snprintf(key, sizeof(key), "site.%s", r->sites[i].name);
        for (int c = 0; c < REPORT_COUNTERS; c++)
            dashboard_num(out, key, report_counter_name(c), r->sites[i].v[c]);
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></section>\n");
}

/* A section of one count per name (languages, pages): its chart and its table. */
struct dashboard_counts {
    const char *id, *title, *chart, *name_head, *count_head, *key;
};

static void dashboard_counts(struct buf *out, const struct dashboard_counts *t,
                             const struct report_row *rows, size_t n)
{
    buf_printf(out, "<section id=\"%s\"><h2>%s</h2>", t->id, t->title);
    dashboard_hbars(out, rows, n, 30, t->chart);
    buf_printf(out,
               "<table><thead><tr><th>%s</th><th class=\"n\">%s</th></tr></thead>"
               "<tbody>",
               t->name_head, t->count_head);
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, "<tr><td>");
        buf_html(out, rows[i].name);
        buf_puts(out, "</td>");
        dashboard_num(out, t->key, rows[i].name, rows[i].v[0]);
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></section>");
}

/* Sessions by language beside pages viewed. */
static void dashboard_langs_pages(struct buf *out, const struct report *r)
{
    static const struct dashboard_counts langs = {
        "languages", "Sessions by language", "Sessions by language", "Language", "Sessions",
        "lang"};
    static const struct dashboard_counts pages = {"pages", "Pages viewed", "Page views",
                                                  "Page",  "Views",        "page"};

    buf_puts(out, "<div class=\"two\">");
    dashboard_counts(out, &langs, r->langs, r->nlangs);
    buf_puts(out, "\n");
    dashboard_counts(out, &pages, r->pages, r->npages);
    buf_puts(out, "</div>\n");
}

static void dashboard_health(struct buf *out, const struct report_health *h, int32_t today)
{
    char day[DAY_STR_LEN + 1];
    int kiosks = (int)h->n;

    day_format(today, day);
    buf_printf(out,
               "<section id=\"health\"><h2>Kiosk health</h2><p>%d kiosk%s; <span class=\"%s\" "
               "id=\"flagged\">%d flagged</span> (no heartbeat for more than %d days, no "
               "heartbeat yet, a failed self-test or an untrusted clock). Today is %s (UTC).</p>",
               kiosks, kiosks == 1 ? "" : "s", h->flagged ? "bad" : "ok", h->flagged,
               REPORT_SILENT_DAYS, day);
    buf_puts(out, "<table><thead><tr><th class=\"n\">Kiosk</th><th>Site</th>"
                  "<th>Last heartbeat</th><th>Version</th><th class=\"n\">Spool</th>"
                  "<th>Clock</th><th>Self-test</th><th>Status</th></tr></thead><tbody>");
    for (size_t i = 0; i < h->n; i++)
        dashboard_health_row(out, &h->kiosks[i]);
    buf_puts(out, "</tbody></table></section>\n");
}

void dashboard_render(struct buf *out, const struct dashboard_page *p)
{
    dashboard_top(out, p);
    dashboard_range(out, p);
    dashboard_totals(out, p->r);
    dashboard_weeks(out, p->r);
    dashboard_sites(out, p->r);
    dashboard_langs_pages(out, p->r);
    dashboard_health(out, p->health, p->today);
    buf_puts(out, "</main></body></html>\n");
}

void dashboard_login(struct buf *out, const char *csrf, const char *message)
{
    dashboard_head(out, "Sign in — OpenLine reach");
    buf_puts(out, "<header><h1>OpenLine reach</h1></header>\n<main><section "
                  "style=\"max-width:380px;margin:48px auto\"><h2>Staff sign-in</h2>");
    if (message) {
        buf_puts(out, "<p class=\"bad\" id=\"message\">");
        buf_html(out, message);
        buf_puts(out, "</p>");
    }
    buf_puts(out, "<form method=\"post\" action=\"/login\" style=\"display:grid;gap:10px\">"
                  "<input type=\"hidden\" name=\"csrf\" value=\"");
    buf_html(out, csrf);
    buf_puts(out, "\"><label>Name<br><input name=\"name\" autocomplete=\"username\" required "
                  "style=\"width:100%;font:inherit;padding:6px\"></label>"
                  "<label>Password<br><input name=\"password\" type=\"password\" "
                  "autocomplete=\"current-password\" required "
                  "style=\"width:100%;font:inherit;padding:6px\"></label>"
                  "<button type=\"submit\" style=\"font:inherit;padding:6px\">Sign in</button>"
                  "</form></section></main></body></html>\n");
}
