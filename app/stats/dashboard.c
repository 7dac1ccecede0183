/* Dashboard HTML: the filters and periods, totals with their ranges and the comparison, charts
 * with tables, sites, languages, pages, coverage and kiosk health, a print statement, log-in. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dashboard.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "csv.h"
#include "names.h"
#include "openline/day.h"
#include "openline/util.h"

static const char dashboard_css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'DejaVu Sans',sans-serif;color:#1d2430;background:#f4f6f8}"
    "header{background:#0b4f6c;color:#fff;padding:12px 24px;display:flex;align-items:center;"
    "justify-content:space-between;flex-wrap:wrap;gap:8px}"
    "header h1{font-size:20px;margin:0;font-weight:600}"
    "header form{margin:0;display:flex;gap:12px;align-items:center;flex-wrap:wrap}"
    "header button{background:transparent;color:#fff;border:1px solid #9cc6d8;border-radius:4px;"
    "padding:4px 12px;font:inherit;cursor:pointer}"
    "main{max-width:1040px;margin:0 auto;padding:16px 24px 48px}"
    "section{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:16px 20px;"
    "margin:16px 0;min-width:0}"
    "h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:18px 0 8px}"
    "a{color:#0b4f6c}"
    ":focus-visible{outline:3px solid #c2410c;outline-offset:2px}"
    ".filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end}"
    ".filters label{display:flex;flex-direction:column;font-size:13px;color:#4a5563;"
    "max-width:100%}"
    ".filters input,.filters select,.filters button{font:inherit;padding:4px 8px;max-width:100%}"
    ".presets{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 10px;padding:0;"
    "list-style:none}.presets a[aria-current]{font-weight:700;text-decoration:none;"
    "border-bottom:3px solid #0b4f6c}"
    ".active{font-size:14px;margin:10px 0 0}"
    ".note{font-size:14px;color:#374151;background:#eef6f9;border-left:4px solid #0b4f6c;"
    "padding:10px 14px;margin:12px 0 0}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}"
    ".card{border:1px solid #dde3e8;border-radius:6px;padding:10px 12px}"
    ".card .v{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums}"
    ".card .k{font-size:13px;color:#4a5563}.card .c{font-size:13px;margin-top:4px}"
    ".pm{color:#4a5563;font-weight:400;font-size:.8em;white-space:nowrap}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin-top:12px}"
    "caption{text-align:left;font-weight:600;padding:4px 0}"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e5e9ed;vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "td:first-child{white-space:nowrap}th[scope=row]{min-width:11em}td.changes{min-width:16em}"
    "tr.flag td{background:#fff4e5}"
    ".bad{color:#b42318;font-weight:600}.ok{color:#067647}.muted{color:#6b7280}"
    ".chart{overflow-x:auto}.chart svg{display:block;width:100%;min-width:720px;height:auto}"
    "svg text{font:13px system-ui,sans-serif;fill:#374151}svg text.axis{font-weight:600}"
    "svg text.nodata{fill:#6b7280;font-style:italic}"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin-top:6px}"
    ".legend span::before{content:'';display:inline-block;width:12px;height:12px;"
    "margin-right:5px;vertical-align:-1px}"
    ".legend .s0::before{background:#1f4e79}"
    ".legend .s1::before{background:repeating-linear-gradient(45deg,#e69f00 0 3px,#7a4a00 3px 5px)}"
    ".legend .open::before{background:#1f4e79;opacity:.4}"
    ".legend .whisker::before{width:2px;background:#111827;margin:0 8px 0 5px}"
    ".legend .gap::before{width:0;height:0;border:6px solid transparent;border-bottom:10px solid "
    "#b42318;border-top:0}"
    ".summary{font-size:14px;margin:8px 0 0}"
    ".hbars{list-style:none;margin:8px 0 0;padding:0}"
    ".hbars li{display:grid;grid-template-columns:minmax(8em,16em) 1fr auto;gap:4px 10px;"
    "align-items:center;padding:3px 0}"
    ".hbars .name{overflow-wrap:anywhere}.hbars .fig{font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".hbars .track{position:relative;height:16px;background:#f1f4f7}"
    ".hbars .bar{position:absolute;left:0;top:0;bottom:0;background:#1f4e79}"
    ".hbars .wh{position:absolute;top:7px;height:2px;background:#111827}"
    ".two{display:grid;grid-template-columns:1fr 1fr;gap:16px}"
    ".print{display:none}"
    "@media (max-width:800px){.two{grid-template-columns:1fr}main{padding:8px 10px 32px}"
    "section{padding:12px}.hbars li{grid-template-columns:1fr auto}"
    ".hbars .name{grid-column:1/3}}"
    "@media print{body{background:#fff;font-size:11pt}header,.noprint{display:none}"
    ".print{display:block}main{max-width:none;padding:0}"
    "section{border:0;padding:0;margin:0 0 14pt;break-inside:avoid}"
    ".scroll,.chart{overflow:visible}.chart svg{min-width:0}a{color:inherit;text-decoration:none}"
    "#health,#site-weeks{break-before:page}}";

const char *const dashboard_period_names[DASHBOARD_PERIODS] = {"", "this-quarter", "last-quarter",
                                                               "last-12-months", "this-year"};

static const char *const dashboard_period_labels[DASHBOARD_PERIODS] = {
    "Chosen dates", "This quarter", "Last quarter", "Last 12 months", "This year"};

/* The day of year-month-01 (month 1..12, may be out of range by a year either way). */
static int32_t dashboard_month_start(int year, int month)
{
    char s[DAY_STR_LEN + 1];
    int32_t d = 0;
    while (month < 1) {
        month += 12;
        year--;
    }
    while (month > 12) {
        month -= 12;
        year++;
    }
    snprintf(s, sizeof(s), "%04d-%02d-01", year, month);
    day_parse(s, DAY_STR_LEN, &d);
    return d;
}

void dashboard_period_days(enum dashboard_period p, int32_t today, int32_t *from, int32_t *to)
{
    char s[DAY_STR_LEN + 1];
    day_format(today, s);
    int y = (int)strtol(s, NULL, 10), m = (int)strtol(s + 5, NULL, 10);
    int q = (m - 1) / 3 * 3 + 1; /* the first month of the quarter */

    *to = today;
    switch (p) {
    case DASHBOARD_THIS_QUARTER:
        *from = dashboard_month_start(y, q);
        break;
    case DASHBOARD_LAST_QUARTER:
        *from = dashboard_month_start(y, q - 3);
        *to = dashboard_month_start(y, q) - 1;
        break;
    case DASHBOARD_LAST_12_MONTHS:
        *from = dashboard_month_start(y, m - 11);
        break;
    case DASHBOARD_THIS_YEAR:
        *from = dashboard_month_start(y, 1);
        break;
    default:
        *from = today - 7 * 12;
        break;
    }
}

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

/* A figure as published: "no data", "<5", or the number and its range. key names it for tests
 * (data-cell, data-margin). */
static void dashboard_fig(struct buf *out, const char *key, const struct report_num *n, bool none)
{
    buf_puts(out, none ? "<span class=\"muted\" data-cell=\"" : "<span data-cell=\"");
    buf_html(out, key);
    buf_puts(out, "\">");
    if (none) {
        buf_puts(out, "no data</span>");
        return;
    }
    if (!report_shown(n->v)) {
        buf_printf(out, "&lt;%d</span>", REPORT_MIN_CELL);
        return;
    }
    chart_int(out, n->v);
    buf_puts(out, "</span> <span class=\"pm\" data-margin=\"");
    buf_html(out, key);
    buf_printf(out, "\">&#177;&#8239;%" PRId64 "</span>", report_margin95(n->var));
}

/* A table cell of dashboard_fig. */
static void dashboard_td(struct buf *out, const char *key1, const char *key2,
                         const struct report_num *n, bool none)
{
    char key[STORE_SITE_MAX + 64];
    snprintf(key, sizeof(key), "%s%s%s", key1, key2 ? "." : "", key2 ? key2 : "");
    buf_puts(out, "<td class=\"n\">");
    dashboard_fig(out, key, n, none);
    buf_puts(out, "</td>");
}

/* A link to the dashboard (or CSV) with the page's filter and the given range arguments. */
static void dashboard_href(struct buf *out, const struct dashboard_page *p, const char *path,
                           const char *range)
{
    buf_printf(out, "%s?%s", path, range);
    if (*p->filter_query) {
        buf_puts(out, "&amp;");
        buf_html(out, p->filter_query);
    }
}

/* "from=…&amp;to=…" or "period=…" of the page. */
static void dashboard_range_args(const struct dashboard_page *p, char *out, size_t len)
{
    char f[DAY_STR_LEN + 1], t[DAY_STR_LEN + 1];
    day_format(p->r->f.from_day, f);
    day_format(p->r->f.to_day, t);
    if (p->period != DASHBOARD_RANGE)
        snprintf(out, len, "period=%s", dashboard_period_names[p->period]);
    else
        snprintf(out, len, "from=%s&amp;to=%s", f, t);
}

/* The period in words: "2026-10-01 to 2026-12-05 (This quarter)". */
static void dashboard_period_text(struct buf *out, const struct dashboard_page *p)
{
    char f[DAY_STR_LEN + 1], t[DAY_STR_LEN + 1];
    day_format(p->r->f.from_day, f);
    day_format(p->r->f.to_day, t);
    buf_printf(out, "%s to %s", f, t);
    if (p->period != DASHBOARD_RANGE)
        buf_printf(out, " (%s)", dashboard_period_labels[p->period]);
}

/* The sites and languages shown, in words. */
static void dashboard_scope_text(struct buf *out, const struct report_filter *f)
{
    char name[200];
    buf_puts(out, f->nsites ? (f->nsites == 1 ? "Site: " : "Sites: ") : "All sites");
    for (size_t i = 0; i < f->nsites; i++) {
        buf_puts(out, i ? "; " : "");
        buf_html(out, f->sites[i]);
    }
    if (f->nlangs)
        buf_puts(out,
                 f->nlangs == 1 ? ". Sessions in the language " : ". Sessions in the languages ");
    for (size_t i = 0; i < f->nlangs; i++) {
        names_language(f->langs[i], name, sizeof(name));
        buf_puts(out, i ? "; " : "");
        buf_html(out, name);
    }
    buf_puts(out, ".");
}

/* The page's header, and the title block a printed statement starts with. */
static void dashboard_top(struct buf *out, const struct dashboard_page *p)
{
    char when[40];
    time_t now = (time_t)p->now;
    struct tm tm;
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
    dashboard_head(out, "OpenLine reach");
    buf_puts(out, "<header><h1>OpenLine reach</h1>"
                  "<form method=\"post\" action=\"/logout\"><span>Signed in as ");
    buf_html(out, p->staff);
    buf_puts(out, "</span><input type=\"hidden\" name=\"csrf\" value=\"");
    buf_html(out, p->csrf);
    buf_puts(out, "\"><button type=\"submit\">Sign out</button></form></header>\n<main>\n"
                  "<section class=\"print\" id=\"statement\"><h1>Reach statement: OpenLine "
                  "kiosks</h1><p>Period: ");
    dashboard_period_text(out, p);
    buf_puts(out, "<br>");
    dashboard_scope_text(out, &p->r->f);
    buf_printf(out, "<br>Generated %s by openline-stats %s.</p></section>\n", when,
               OPENLINE_VERSION);
}

static void dashboard_presets(struct buf *out, const struct dashboard_page *p)
{
    buf_puts(out, "<ul class=\"presets\" aria-label=\"Periods\">");
    for (int i = DASHBOARD_THIS_QUARTER; i < DASHBOARD_PERIODS; i++) {
        char range[40];
        snprintf(range, sizeof(range), "period=%s", dashboard_period_names[i]);
        buf_puts(out, "<li><a href=\"");
        dashboard_href(out, p, "/", range);
        buf_printf(out, "\"%s>%s</a></li>", (int)p->period == i ? " aria-current=\"page\"" : "",
                   dashboard_period_labels[i]);
    }
    buf_puts(out, "</ul>");
}

/* A multiple choice of the form: every option, the filter's chosen ones selected. */
static void dashboard_choice(struct buf *out, const char *name, const char *label,
                             const char *const *values, const char *const *names, size_t n,
                             const char *const *chosen, size_t nchosen)
{
    buf_printf(out, "<label>%s<select name=\"%s\" multiple size=\"%d\">", label, name,
               n < 5 ? (int)n + (n < 2) : 5);
    for (size_t i = 0; i < n; i++) {
        bool on = false;
        for (size_t j = 0; j < nchosen; j++)
            on |= !strcmp(chosen[j], values[i]);
        buf_puts(out, "<option value=\"");
        buf_html(out, values[i]);
        buf_printf(out, "\"%s>", on ? " selected" : "");
        buf_html(out, names[i]);
        buf_puts(out, "</option>");
    }
    buf_puts(out, "</select></label>");
}

/* The languages to choose from: those with sessions in the range, and the chosen ones. */
static size_t dashboard_lang_list(const struct report *r, const char **codes, char (*names)[200])
{
    size_t n = 0;
    for (size_t i = 0; i < r->nlangs; i++)
        codes[n++] = r->langs[i].name;
    for (size_t i = 0; i < r->f.nlangs; i++) {
        size_t j = 0;
        while (j < n && strcmp(codes[j], r->f.langs[i]))
            j++;
        if (j == n)
            codes[n++] = r->f.langs[i];
    }
    for (size_t i = 0; i < n; i++)
        names_language(codes[i], names[i], sizeof(names[i]));
    return n;
}

/* The period presets, the form of dates, sites and languages, the active filter and the CSV
 * links: plain links and a GET form, no script. */
static void dashboard_filters(struct buf *out, const struct dashboard_page *p)
{
    const struct report *r = p->r;
    size_t nl = r->nlangs + r->f.nlangs;
    const char **codes = calloc(nl + 1, sizeof(*codes));
    char(*names)[200] = calloc(nl + 1, sizeof(*names));
    char f[DAY_STR_LEN + 1], t[DAY_STR_LEN + 1], range[80];

    if (!codes || !names) {
        out->err = true;
        goto out;
    }
    day_format(r->f.from_day, f);
    day_format(r->f.to_day, t);
    buf_puts(out, "<section class=\"noprint\" id=\"filters\"><h2>Period and filters</h2>");
    dashboard_presets(out, p);
    buf_printf(out,
               "<form class=\"filters\" method=\"get\" action=\"/\">"
               "<label>From<input type=\"date\" name=\"from\" value=\"%s\" required></label>"
               "<label>To<input type=\"date\" name=\"to\" value=\"%s\" required></label>",
               f, t);
    const char *const *sites = p->health->sites;
    dashboard_choice(out, "site", "Sites (none chosen: all)", sites, sites, p->health->nsites,
                     r->f.sites, r->f.nsites);
    nl = dashboard_lang_list(r, codes, names);
    const char **labels = (const char **)calloc(nl + 1, sizeof(*labels));
    for (size_t i = 0; labels && i < nl; i++)
        labels[i] = names[i];
    if (labels)
        dashboard_choice(out, "lang", "Languages (none chosen: all)", codes, labels, nl, r->f.langs,
                         r->f.nlangs);
    free(labels);
    buf_puts(out, "<button type=\"submit\">Show</button></form><p class=\"active\">Showing ");
    dashboard_period_text(out, p);
    buf_puts(out, ". ");
    dashboard_scope_text(out, &r->f);
    if (*p->filter_query)
        buf_puts(out, " <a href=\"/\">Show all sites and languages</a>");
    buf_puts(out, "</p><p class=\"active\">CSV for a spreadsheet:");
    dashboard_range_args(p, range, sizeof(range));
    for (int b = 0; b < CSV_BY_COUNT; b++) {
        char args[120];
        snprintf(args, sizeof(args), "%s&amp;by=%s", range, csv_by_names[b]);
        buf_printf(out, "%s <a href=\"", b ? " &middot;" : "");
        dashboard_href(out, p, "/export.csv", args);
        buf_printf(out, "\">by %s</a>", csv_by_names[b]);
    }
    buf_puts(out, "</p></section>\n");
out:
    free(codes);
    free(names);
}

/* What the ± means, in plain words, and what the noise of this range was. */
static void dashboard_explain(struct buf *out, const struct report *r)
{
    buf_printf(out,
               "<section id=\"explain\"><h2>How to read these numbers</h2><p class=\"note\">"
               "Each kiosk adds a little random noise to its counts before it sends them, so "
               "that no one can learn anything about a single visitor from them. The "
               "<strong>&#177;</strong> after a number shows how much that noise may have moved "
               "it: the true count is within that range 95 times in 100. The more kiosks and "
               "weeks a number adds up, the smaller the range is compared with the number. A "
               "number below %d is shown as &ldquo;&lt;%d&rdquo;. Because each count is noisy on "
               "its own, a small cell can show more calls connected than attempted; over larger "
               "totals the noise evens out. &ldquo;No data&rdquo; means no kiosk sent counts for "
               "that time (before a kiosk existed, a week not over yet, or the future): it is "
               "not zero visitors.</p>",
               REPORT_MIN_CELL, REPORT_MIN_CELL);
    bool none = false;
    for (size_t i = 0; i < r->nnoise; i++)
        none |= strcmp(r->noise[i].mech, "geometric") != 0;
    if (!r->nnoise)
        buf_puts(out, "<p class=\"note\" id=\"noise\">No kiosk sent counts for this period.</p>");
    else if (none)
        buf_puts(out, "<p class=\"note bad\" id=\"noise\">Some counts here are exact: they come "
                      "from kiosks set up with <code>noise = none</code> for a test or a "
                      "demonstration. A kiosk at a site adds noise to every count.</p>");
    buf_puts(out, "</section>\n");
}

/* The change from the previous period: "+5,266 ± 62 (+10.5 %) on 2026-…" */
static void dashboard_change(struct buf *out, const struct report *r, int c)
{
    const struct report_num *now = &r->total[c], *before = &r->prev.total[c];
    char f[DAY_STR_LEN + 1], t[DAY_STR_LEN + 1];

    day_format(r->prev.from_day, f);
    day_format(r->prev.to_day, t);
    buf_printf(out, "<div class=\"c\" data-change=\"%s\">", report_counter_name(c));
    if (!r->prev.batches || !r->batches) {
        buf_printf(out, "<span class=\"muted\">no data to compare with %s to %s</span></div>", f,
                   t);
        return;
    }
    int64_t d = now->v - before->v, m = report_margin95(now->var + before->var);
    buf_puts(out, d > 0 ? "+" : "");
    chart_int(out, d);
    buf_printf(out, " <span class=\"pm\">&#177;&#8239;%" PRId64 "</span>", m);
    if (report_shown(before->v))
        buf_printf(out, " (%+.1f&#8239;%%)", 100.0 * (double)d / (double)before->v);
    buf_printf(out, " against %s to %s", f, t);
    if (d - m <= 0 && d + m >= 0)
        buf_puts(out, ": <span class=\"muted\">within the noise</span>");
    buf_puts(out, "</div>");
}

static void dashboard_totals(struct buf *out, const struct report *r)
{
    buf_puts(out, "<section id=\"totals\"><h2>Totals for the period</h2><div class=\"cards\">");
    for (int c = 0; c < REPORT_COUNTERS; c++) {
        char key[40];
        snprintf(key, sizeof(key), "total.%s", report_counter_name(c));
        buf_puts(out, "<div class=\"card\"><div class=\"v\">");
        dashboard_fig(out, key, &r->total[c], !r->batches);
        buf_printf(out, "</div><div class=\"k\">%s%s</div>", report_counter_label(c),
                   c == REPORT_SESSIONS && r->f.nlangs ? " in the languages chosen" : "");
        dashboard_change(out, r, c);
        buf_puts(out, "</div>");
    }
    const struct report_num *a = &r->total[REPORT_CALL_ATTEMPTED];
    const struct report_num *k = &r->total[REPORT_CALL_CONNECTED];
    if (report_shown(a->v) && report_shown(k->v))
        buf_printf(out,
                   "<div class=\"card\"><div class=\"v\" data-cell=\"total.connection_rate\">"
                   "%.0f&#8239;%%</div><div class=\"k\">Calls connected of those attempted"
                   "</div></div>",
                   100.0 * (double)k->v / (double)a->v);
    buf_puts(out, "</div>");
    /* A change can come from more kiosks reporting as much as from more visitors. */
    if (r->prev.batches && r->batches) {
        buf_printf(out,
                   "<p class=\"summary\" id=\"coverage-note\">Counts summed: %" PRId64
                   " batches in this period, %" PRId64 " in the period before",
                   r->batches, r->prev.batches);
        if (r->prev.batches * 5 < r->batches * 4 || r->batches * 5 < r->prev.batches * 4)
            buf_puts(out, ": <strong>the kiosks reporting changed, so part of the change is "
                          "coverage, not reach</strong> (see kiosks reporting per week)");
        buf_puts(out, ".</p>");
    }
    buf_puts(out, "</section>\n");
}

/* One sentence on the sessions per week: the busiest week and the trend, first half to second. */
static void dashboard_week_summary(struct buf *out, const struct report *r)
{
    size_t best = r->nweeks, n = 0;
    int64_t half[2] = {0, 0};
    char day[DAY_STR_LEN + 1];
    for (size_t i = 0; i < r->nweeks; i++) {
        const struct report_week *w = &r->weeks[i];
        if (!w->batches || w->unfinished)
            continue;
        if (best == r->nweeks || w->c[REPORT_SESSIONS].v > r->weeks[best].c[REPORT_SESSIONS].v)
            best = i;
        n++;
    }
    buf_puts(out, "<p class=\"summary\" id=\"weeks-summary\">");
    if (!n) {
        buf_puts(out, "No complete week of this period has data.</p>");
        return;
    }
    day_format(r->weeks[best].monday, day);
    buf_printf(out, "%zu week%s with data. The busiest was the week of %s with ", n,
               n == 1 ? "" : "s", day);
    chart_int(out, r->weeks[best].c[REPORT_SESSIONS].v);
    buf_puts(out, " sessions.");
    for (size_t i = 0, seen = 0; i < r->nweeks; i++) {
        const struct report_week *w = &r->weeks[i];
        if (w->batches && !w->unfinished)
            half[seen++ * 2 >= n] += w->c[REPORT_SESSIONS].v;
    }
    if (n >= 4 && half[0] > 0) {
        double change = 100.0 * (double)(half[1] - half[0]) / (double)half[0];
        buf_printf(out,
                   " Sessions in the second half of these weeks were %.0f&#8239;%% %s than in "
                   "the first half.",
                   fabs(change), change >= 0 ? "higher" : "lower");
    }
    buf_puts(out, "</p>");
}

/* The table of every counter per week, latest first, with coverage. */
static void dashboard_week_table(struct buf *out, const struct report *r)
{
    char day[DAY_STR_LEN + 1], key[40];
    buf_puts(out, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
                  "aria-labelledby=\"weeks-caption\"><table><caption id=\"weeks-caption\">Counts "
                  "per week, latest first, with the kiosks reporting</caption><thead><tr>"
                  "<th>Week of</th>");
    for (int c = 0; c < REPORT_COUNTERS; c++)
        buf_printf(out, "<th class=\"n\">%s</th>", report_counter_label(c));
    buf_puts(out, "<th class=\"n\">Kiosks reporting</th><th class=\"n\">Sessions per kiosk</th>"
                  "<th>Coverage</th></tr></thead><tbody>");
    for (size_t i = r->nweeks; i-- > 0;) {
        const struct report_week *w = &r->weeks[i];
        day_format(w->monday, day);
        buf_printf(out, "<tr><td>%s%s</td>", day,
                   w->unfinished ? " <span class=\"muted\">(not over)</span>"
                   : w->partial  ? " <span class=\"muted\">(part)</span>"
                                 : "");
        snprintf(key, sizeof(key), "week.%s", day);
        for (int c = 0; c < REPORT_COUNTERS; c++)
            dashboard_td(out, key, report_counter_name(c), &w->c[c], !w->batches);
        buf_printf(out, "<td class=\"n\" data-kiosks=\"%s\">%d</td><td class=\"n\">", key,
                   w->kiosks);
        if (w->kiosks && w->batches && report_shown(w->c[REPORT_SESSIONS].v))
            buf_printf(out, "%.1f", (double)w->c[REPORT_SESSIONS].v / w->kiosks);
        buf_puts(out, "</td><td class=\"changes\">");
        buf_html(out, w->changes);
        buf_puts(out, "</td></tr>");
    }
    buf_puts(out, "</tbody></table></div>");
}

/* One sentence on the calls: how many were attempted and connected, and the share connected. */
static void dashboard_calls_summary(struct buf *out, const struct report *r)
{
    const struct report_num *a = &r->total[REPORT_CALL_ATTEMPTED];
    const struct report_num *k = &r->total[REPORT_CALL_CONNECTED];
    buf_puts(out, "<p class=\"summary\" id=\"calls-summary\">");
    if (!report_shown(a->v)) {
        buf_printf(out, "Fewer than %d calls were attempted in this period.</p>", REPORT_MIN_CELL);
        return;
    }
    chart_int(out, a->v);
    buf_printf(out, " calls attempted (&#177;&#8239;%" PRId64 ")", report_margin95(a->var));
    if (report_shown(k->v)) {
        buf_puts(out, ", ");
        chart_int(out, k->v);
        buf_printf(out, " connected (&#177;&#8239;%" PRId64 "): %.0f&#8239;%% of them",
                   report_margin95(k->var), 100.0 * (double)k->v / (double)a->v);
    }
    buf_puts(out, ".</p>");
}

static void dashboard_weeks(struct buf *out, const struct report *r)
{
    static const enum report_counter sessions[] = {REPORT_SESSIONS};
    static const enum report_counter calls[] = {REPORT_CALL_ATTEMPTED, REPORT_CALL_CONNECTED};

    buf_puts(out, "<section id=\"weeks\"><h2>Reach per week</h2>");
    chart_weeks(out, r, sessions, ARRAY_SIZE(sessions), "Sessions per week with their 95 % range",
                "Sessions per week");
    dashboard_week_summary(out, r);
    buf_puts(out, "<h3>Calls per week</h3>");
    chart_weeks(out, r, calls, ARRAY_SIZE(calls),
                "Calls attempted and connected per week with their 95 % ranges", "Calls per week");
    dashboard_calls_summary(out, r);
    dashboard_week_table(out, r);
    buf_puts(out, "</section>\n");
}

/* Per site: the bars of sessions and the funnel sessions → key pages → calls. */
static void dashboard_sites(struct buf *out, const struct report *r)
{
    static const char *const key_labels[REPORT_KEY_PAGES] = {"Saw &ldquo;Your rights&rdquo;",
                                                             "Saw &ldquo;Getting help&rdquo;"};
    buf_puts(out, "<section id=\"sites\"><h2>By site, largest first</h2>");
    if (!r->nsites) {
        buf_puts(out, "<p class=\"muted\">No site sent counts for this period.</p></section>\n");
        return;
    }
    chart_hbars(out, r->sites, r->nsites, REPORT_SESSIONS, NULL, r->total[REPORT_SESSIONS].v,
                "Sessions by site with their 95 % range and share");
    buf_puts(out, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
                  "aria-labelledby=\"funnel-caption\"><table><caption id=\"funnel-caption\">"
                  "From a visit to a call, per site: sessions, sessions that opened a key page, "
                  "calls attempted and connected</caption><thead><tr><th>Site</th>"
                  "<th class=\"n\">Sessions</th>");
    for (int i = 0; i < REPORT_KEY_PAGES; i++)
        buf_printf(out, "<th class=\"n\">%s</th>", key_labels[i]);
    buf_puts(out, "<th class=\"n\">Calls attempted</th><th class=\"n\">Calls connected</th>"
                  "<th class=\"n\">Connected</th><th class=\"n\">Read aloud</th>"
                  "<th class=\"n\">Quick exit</th></tr></thead><tbody>");
    static const int cols[] = {REPORT_SESSIONS, REPORT_COUNTERS, REPORT_COUNTERS + 1,
                               REPORT_CALL_ATTEMPTED, REPORT_CALL_CONNECTED};
    for (size_t i = 0; i < r->nsites; i++) {
        const struct report_row *s = &r->sites[i];
        char key[STORE_SITE_MAX + 8];
        snprintf(key, sizeof(key), "site.%s", s->name);
        buf_puts(out, "<tr><th scope=\"row\">");
        buf_html(out, s->name);
        buf_puts(out, "</th>");
        for (size_t c = 0; c < ARRAY_SIZE(cols); c++)
            dashboard_td(out, key,
                         cols[c] < REPORT_COUNTERS ? report_counter_name(cols[c])
                                                   : report_key_pages[cols[c] - REPORT_COUNTERS],
                         &s->v[cols[c]], false);
        buf_puts(out, "<td class=\"n\">");
        if (report_shown(s->v[REPORT_CALL_ATTEMPTED].v) &&
            report_shown(s->v[REPORT_CALL_CONNECTED].v))
            buf_printf(out, "%.0f&#8239;%%",
                       100.0 * (double)s->v[REPORT_CALL_CONNECTED].v /
                           (double)s->v[REPORT_CALL_ATTEMPTED].v);
        buf_puts(out, "</td>");
        dashboard_td(out, key, report_counter_name(REPORT_READ_ALOUD), &s->v[REPORT_READ_ALOUD],
                     false);
        dashboard_td(out, key, report_counter_name(REPORT_QUICK_EXIT), &s->v[REPORT_QUICK_EXIT],
                     false);
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></div><p class=\"summary\">Per language only the first step "
                  "is known: a kiosk never records which language a page view or a call came "
                  "from, because it keeps no combination of one visitor&rsquo;s actions.</p>"
                  "</section>\n");
}

/* Sessions per site and week: a drop at one site shows apart from the others. */
static void dashboard_site_weeks(struct buf *out, const struct report *r)
{
    char day[DAY_STR_LEN + 1], key[STORE_SITE_MAX + 24];
    if (!r->nsites)
        return;
    buf_puts(out, "<section id=\"site-weeks\"><h2>Sessions per site and week</h2>"
                  "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
                  "aria-labelledby=\"sw-caption\"><table><caption id=\"sw-caption\">Sessions per "
                  "site (rows) and week (columns, latest first)</caption><thead><tr>"
                  "<th>Site</th>");
    for (size_t w = r->nweeks; w-- > 0;) {
        day_format(r->weeks[w].monday, day);
        buf_printf(out, "<th class=\"n\">%s</th>", day);
    }
    buf_puts(out, "</tr></thead><tbody>");
    for (size_t i = 0; i < r->nsites; i++) {
        buf_puts(out, "<tr><th scope=\"row\">");
        buf_html(out, r->sites[i].name);
        buf_puts(out, "</th>");
        for (size_t w = r->nweeks; w-- > 0;) {
            const struct report_num *n = &r->sites[i].weeks[w][REPORT_SESSIONS];
            day_format(r->weeks[w].monday, day);
            snprintf(key, sizeof(key), "sw.%s.%s", r->sites[i].name, day);
            /* A site's week that no batch carried has neither value nor noise. */
            buf_puts(out, "<td class=\"n\">");
            dashboard_fig(out, key, n, !n->v && !(n->var > 0));
            buf_puts(out, "</td>");
        }
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></div></section>\n");
}

/* Languages by their names, or pages by their titles: bars with shares, and a table. */
static void dashboard_named(struct buf *out, const struct report *r, bool pages)
{
    const struct report_row *rows = pages ? r->pages : r->langs;
    size_t n = pages ? r->npages : r->nlangs;
    const char **labels = calloc(n + 1, sizeof(*labels));
    char(*names)[200] = calloc(n + 1, sizeof(*names));
    int64_t of = report_share_of(r, pages);

    if (!labels || !names) {
        out->err = true;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *title = pages ? names_page_title(rows[i].name) : NULL;
        if (pages)
            snprintf(names[i], sizeof(names[i]), "%s", title ? title : rows[i].name);
        else
            names_language(rows[i].name, names[i], sizeof(names[i]));
        labels[i] = names[i];
    }
    buf_printf(out, "<section id=\"%s\"><h2>%s</h2>", pages ? "pages" : "languages",
               pages ? "Pages opened (share of sessions)" : "Sessions by language (share)");
    if (!n)
        buf_puts(out, "<p class=\"muted\">None in this period.</p>");
    chart_hbars(out, rows, n, 0, labels, of,
                pages ? "Sessions that opened each page" : "Sessions by language");
    buf_printf(out,
               "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"%s-cap\">"
               "<table><caption id=\"%s-cap\">%s</caption><thead><tr><th>%s</th>"
               "<th class=\"n\">%s</th></tr></thead><tbody>",
               pages ? "pages" : "langs", pages ? "pages" : "langs",
               pages ? "Sessions that opened each page" : "Sessions by language",
               pages ? "Page" : "Language", pages ? "Sessions that opened it" : "Sessions");
    for (size_t i = 0; i < n; i++) {
        buf_puts(out, "<tr><td>");
        buf_html(out, names[i]);
        buf_printf(out, " <span class=\"muted\">(%s)</span></td>", rows[i].name);
        dashboard_td(out, pages ? "page" : "lang", rows[i].name, &rows[i].v[0], false);
        buf_puts(out, "</tr>");
    }
    buf_puts(out, "</tbody></table></div></section>");
out:
    free(labels);
    free(names);
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

static void dashboard_health(struct buf *out, const struct report_health *h, int32_t today)
{
    char day[DAY_STR_LEN + 1];
    int kiosks = (int)h->n;

    day_format(today, day);
    buf_printf(out,
               "<section id=\"health\"><h2>Kiosk health</h2><p>%d kiosk%s; <span class=\"%s\" "
               "id=\"flagged\">%d flagged</span>, listed first: no heartbeat for more than %d "
               "days, no counts for more than two of its buckets, a growing spool, quarantined "
               "batches, a failed self-test, an older version than the newest (%s) or an "
               "untrusted clock. Today is %s (UTC).</p>",
               kiosks, kiosks == 1 ? "" : "s", h->flagged ? "bad" : "ok", h->flagged,
               REPORT_SILENT_DAYS, *h->newest ? h->newest : "none yet", day);
    buf_puts(out, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
                  "aria-labelledby=\"health-cap\"><table><caption id=\"health-cap\">Kiosks, "
                  "problems first</caption><thead><tr><th class=\"n\">Kiosk</th><th>Site</th>"
                  "<th>Last heartbeat</th><th>Version</th><th class=\"n\">Spool</th>"
                  "<th>Clock</th><th>Self-test</th><th>Status</th></tr></thead><tbody>");
    for (size_t i = 0; i < h->n; i++)
        dashboard_health_row(out, &h->kiosks[i]);
    buf_puts(out, "</tbody></table></div></section>\n");
}

/* The methods footnote: noise, suppression, buckets, ranges. */
static void dashboard_methods(struct buf *out, const struct report *r)
{
    buf_puts(out, "<section id=\"methods\"><h2>Methods</h2><p class=\"summary\">");
    if (!r->nnoise)
        buf_puts(out, "No batches were summed for this period. ");
    for (size_t i = 0; i < r->nnoise; i++) {
        const struct report_noise *n = &r->noise[i];
        if (!strcmp(n->mech, "geometric"))
            buf_printf(out,
                       "%" PRId64 " batch%s with two-sided geometric noise, &epsilon; = %g per "
                       "counter and bucket (standard deviation %.2f per count). ",
                       n->batches, n->batches == 1 ? "" : "es", n->epsilon,
                       sqrt(report_noise_var(n->epsilon)));
        else
            buf_printf(out, "%" PRId64 " batch%s without noise (a test set-up). ", n->batches,
                       n->batches == 1 ? "" : "es");
    }
    buf_printf(out,
               "The 95&#8239;%% range of a sum is &#177;&#8968;1.96&#8239;&sigma; &minus; "
               "0.5&#8969;, where &sigma;&sup2; adds up the noise variance of every batch "
               "summed (2a/(1&minus;a)&sup2; with a = e<sup>&minus;&epsilon;</sup>). Sums below "
               "%d are suppressed. Counts come in buckets of a week (Monday to Sunday, UTC) or "
               "of a day; a week counts in the period that holds its Thursday (the ISO 8601 "
               "rule), so adjacent periods never count a week twice; a kiosk set up with day "
               "buckets gives exact months. The comparison is with the period of the same "
               "number of days just before.</p></section>\n",
               REPORT_MIN_CELL);
}

void dashboard_render(struct buf *out, const struct dashboard_page *p)
{
    dashboard_top(out, p);
    dashboard_filters(out, p);
    dashboard_explain(out, p->r);
    dashboard_totals(out, p->r);
    dashboard_weeks(out, p->r);
    dashboard_sites(out, p->r);
    buf_puts(out, "<div class=\"two\">");
    dashboard_named(out, p->r, false);
    dashboard_named(out, p->r, true);
    buf_puts(out, "</div>\n");
    dashboard_site_weeks(out, p->r);
    dashboard_health(out, p->health, p->r->today);
    dashboard_methods(out, p->r);
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
