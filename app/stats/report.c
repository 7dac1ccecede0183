/* Adding up the roll-ups of a date range into the tables the dashboard and CSV publish, and the
 * kiosks' health. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "openline/day.h"
#include "openline/util.h"
#include "store/rollup.h"

static const char *const report_names[REPORT_COUNTERS] = {
    [REPORT_SESSIONS] = "sessions",
    [REPORT_CALL_ATTEMPTED] = "call.attempted",
    [REPORT_CALL_CONNECTED] = "call.connected",
    [REPORT_CALL_FAILED] = "call.failed",
    [REPORT_READ_ALOUD] = "read_aloud",
    [REPORT_QUICK_EXIT] = "quick_exit",
};

static const char *const report_labels[REPORT_COUNTERS] = {
    [REPORT_SESSIONS] = "Sessions",
    [REPORT_CALL_ATTEMPTED] = "Calls attempted",
    [REPORT_CALL_CONNECTED] = "Calls connected",
    [REPORT_CALL_FAILED] = "Calls failed",
    [REPORT_READ_ALOUD] = "Read aloud",
    [REPORT_QUICK_EXIT] = "Quick exit",
};

const char *report_counter_name(enum report_counter c)
{
    return report_names[c];
}

const char *report_counter_label(enum report_counter c)
{
    return report_labels[c];
}

static int report_index(const char *name)
{
    for (int i = 0; i < REPORT_COUNTERS; i++) {
        if (!strcmp(name, report_names[i]))
            return i;
    }
    return -1;
}

const char *const report_key_pages[REPORT_KEY_PAGES] = {"rights", "help"};

/* Whether s is one of the n names of v; every name is when n is 0 (nothing chosen). */
static bool report_listed(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(v[i], s))
            return true;
    }
    return n == 0;
}

int64_t report_share_of(const struct report *r, bool pages)
{
    int64_t of = 0;
    if (pages)
        return r->total[REPORT_SESSIONS].v;
    for (size_t i = 0; i < r->nlangs; i++)
        of += r->langs[i].v[0].v;
    return of;
}

bool report_site_in(const struct report_filter *f, const char *site)
{
    return report_listed(f->sites, f->nsites, site);
}

static bool report_lang_in(const struct report_filter *f, const char *code)
{
    return report_listed(f->langs, f->nlangs, code);
}

static void report_add(struct report_num *n, int64_t v, double var)
{
    n->v += v;
    n->var += var;
}

/* Add (v, var) to the row called name in *rows (a short list: languages or pages). */
static int report_row_add(struct report_row **rows, size_t *n, const char *name, int64_t v,
                          double var)
{
    for (size_t i = 0; i < *n; i++) {
        if (!strcmp((*rows)[i].name, name)) {
            report_add(&(*rows)[i].v[0], v, var);
            return 0;
        }
    }
    struct report_row *p = realloc(*rows, (*n + 1) * sizeof(**rows));
    if (!p)
        return ENOMEM;
    *rows = p;
    memset(&p[*n], 0, sizeof(p[*n]));
    if (!(p[*n].name = strdup(name)))
        return ENOMEM;
    report_add(&p[*n].v[0], v, var);
    (*n)++;
    return 0;
}

/* Where counter name goes in a row of counters: its REPORT_* index, REPORT_COUNTERS + i for key
 * page i, or -1. With languages in the filter, sessions are those languages' and "sessions"
 * itself is left out. */
static int report_slot(const struct report_filter *f, const char *name)
{
    int c = report_index(name);
    if (c == REPORT_SESSIONS && f->nlangs)
        return -1;
    if (c >= 0)
        return c;
    if (f->nlangs && !strncmp(name, "lang.", 5) && report_lang_in(f, name + 5))
        return REPORT_SESSIONS;
    for (int i = 0; i < REPORT_KEY_PAGES; i++) {
        if (!strncmp(name, "page.", 5) && !strcmp(name + 5, report_key_pages[i]))
            return REPORT_COUNTERS + i;
    }
    return -1;
}

/* A day of the range's week i, or -1 outside the range. */
static long report_week_of(const struct report *r, int32_t day)
{
    if (day < r->f.from_day || day > r->f.to_day)
        return -1;
    return (day_monday(day) - r->weeks[0].monday) / 7;
}

static int report_day_row(int32_t day, const char *site, const char *name, int64_t value,
                          double var, void *arg)
{
    struct report *r = arg;
    (void)site;
    long w = report_week_of(r, day);
    if (w < 0)
        return 0;
    int c = report_slot(&r->f, name);
    if (c >= 0 && c < REPORT_COUNTERS) {
        report_add(&r->weeks[w].c[c], value, var);
        report_add(&r->total[c], value, var);
    }
    if (!strncmp(name, "lang.", 5) && report_lang_in(&r->f, name + 5))
        return report_row_add(&r->langs, &r->nlangs, name + 5, value, var);
    if (!strncmp(name, "page.", 5))
        return report_row_add(&r->pages, &r->npages, name + 5, value, var);
    return 0;
}

/* The previous period: its totals only. */
static int report_prev_row(int32_t day, const char *site, const char *name, int64_t value,
                           double var, void *arg)
{
    struct report *r = arg;
    (void)day;
    (void)site;
    int c = report_slot(&r->f, name);
    if (c >= 0 && c < REPORT_COUNTERS)
        report_add(&r->prev.total[c], value, var);
    return 0;
}

/* The row of site, added when new (with its weeks). NULL when out of memory. */
static struct report_row *report_site(struct report *r, const char *site)
{
    if (r->nsites && !strcmp(r->sites[r->nsites - 1].name, site))
        return &r->sites[r->nsites - 1]; /* rows of a site mostly come together */
    for (size_t i = 0; i < r->nsites; i++) {
        if (!strcmp(r->sites[i].name, site))
            return &r->sites[i];
    }
    struct report_row *p = realloc(r->sites, (r->nsites + 1) * sizeof(*p));
    if (!p)
        return NULL;
    r->sites = p;
    p = &p[r->nsites];
    memset(p, 0, sizeof(*p));
    if (!(p->name = strdup(site)) || !(p->weeks = calloc(r->nweeks, sizeof(*p->weeks)))) {
        free(p->name);
        return NULL;
    }
    r->nsites++;
    return p;
}

/* A site's counter on one day: into its total and its week. */
static int report_site_day_row(int32_t day, const char *site, const char *name, int64_t value,
                               double var, void *arg)
{
    struct report *r = arg;
    long w = report_week_of(r, day);
    int c = report_slot(&r->f, name);
    if (c < 0 || w < 0)
        return 0;
    struct report_row *row = report_site(r, site);
    if (!row)
        return ENOMEM;
    report_add(&row->v[c], value, var);
    if (c < REPORT_COUNTERS)
        report_add(&row->weeks[w][c], value, var);
    return 0;
}

static int report_noise_row(int32_t day, const char *mech, double epsilon, int64_t batches,
                            void *arg)
{
    struct report *r = arg;
    long w = report_week_of(r, day);
    if (w < 0)
        return 0;
    r->weeks[w].batches += batches;
    r->batches += batches;
    for (size_t i = 0; i < r->nnoise; i++) {
        if (!strcmp(r->noise[i].mech, mech) && r->noise[i].epsilon == epsilon) {
            r->noise[i].batches += batches;
            return 0;
        }
    }
    struct report_noise *p = realloc(r->noise, (r->nnoise + 1) * sizeof(*p));
    if (!p)
        return ENOMEM;
    r->noise = p;
    snprintf(p[r->nnoise].mech, sizeof(p[r->nnoise].mech), "%s", mech);
    p[r->nnoise].epsilon = epsilon;
    p[r->nnoise].batches = batches;
    r->nnoise++;
    return 0;
}

static int report_prev_noise_row(int32_t day, const char *mech, double epsilon, int64_t batches,
                                 void *arg)
{
    struct report *r = arg;
    (void)day;
    (void)mech;
    (void)epsilon;
    r->prev.batches += batches;
    return 0;
}

/* Which kiosks sent a batch attributed to each week: bit k of week w for health kiosk k. */
struct report_cover {
    struct report *r;
    const struct report_health *h;
    unsigned char *bits;
    struct report_cover_id {
        int64_t id;
        size_t k;
    } * ids; /* the health list's kiosks by id */
};

static int report_id_cmp(const void *a, const void *b)
{
    const struct report_cover_id *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int report_cover_row(int64_t kiosk, int32_t start, int days, void *arg)
{
    struct report_cover *c = arg;
    long w = report_week_of(c->r, store_attribution_day(start, days));
    if (w < 0)
        return 0;
    struct report_cover_id key = {.id = kiosk};
    const struct report_cover_id *found =
        bsearch(&key, c->ids, c->h->n, sizeof(*c->ids), report_id_cmp);
    if (found) {
        size_t bit = (size_t)w * c->h->n + found->k;
        c->bits[bit / 8] |= (unsigned char)(1u << (bit % 8));
    }
    return 0;
}

/* One change of coverage in week w's words. */
static void report_change(struct report_week *w, const char *what, int64_t id)
{
    size_t len = strlen(w->changes);
    if (len < sizeof(w->changes) - 1)
        snprintf(w->changes + len, sizeof(w->changes) - len, "%skiosk %" PRId64 " %s",
                 len ? "; " : "", id, what);
}

/* A kiosk's coverage in week w: reporting, new, revoked, or silent (it had sent before, was not
 * revoked, the week is whole in the range and its batches should all have come: its end plus a
 * day of upload delay and a day of retries is past). */
static void report_cover_kiosk(struct report *r, struct report_week *w,
                               const struct report_kiosk *k, bool sent)
{
    int32_t end = w->monday + 7;
    if (sent)
        w->kiosks++;
    if (k->has_batches && day_monday(k->first_day) == w->monday) {
        w->added++;
        report_change(w, "new", k->id);
    }
    if (k->revoked && k->revoked_day != STORE_NO_DAY && k->revoked_day >= w->monday &&
        k->revoked_day < end) {
        w->revoked++;
        report_change(w, "revoked", k->id);
    }
    bool revoked_before = k->revoked && (k->revoked_day == STORE_NO_DAY || k->revoked_day < end);
    /* A week cut by the range may hold days no week bucket is attributed to: not a silence. */
    if (!sent && !w->partial && k->has_batches && k->first_day < w->monday && !revoked_before &&
        end + 2 <= r->today) {
        w->silent++;
        report_change(w, "silent", k->id);
    }
}

static int report_coverage(struct report *r, struct store *st, const struct store_query *q,
                           const struct report_health *h)
{
    struct report_cover c = {.r = r,
                             .h = h,
                             .bits = calloc((r->nweeks * h->n + 7) / 8 + 1, 1),
                             .ids = calloc(h->n + 1, sizeof(*c.ids))};
    if (!c.bits || !c.ids) {
        free(c.bits);
        free(c.ids);
        return ENOMEM;
    }
    for (size_t k = 0; k < h->n; k++)
        c.ids[k] = (struct report_cover_id){h->kiosks[k].id, k};
    qsort(c.ids, h->n, sizeof(*c.ids), report_id_cmp);
    int err = store_batches_get(st, q, report_cover_row, &c);
    for (size_t w = 0; !err && w < r->nweeks; w++) {
        for (size_t k = 0; k < h->n; k++) {
            if (!report_site_in(&r->f, h->kiosks[k].site))
                continue;
            size_t bit = w * h->n + k;
            report_cover_kiosk(r, &r->weeks[w], &h->kiosks[k], c.bits[bit / 8] & (1u << (bit % 8)));
        }
    }
    free(c.bits);
    free(c.ids);
    return err;
}

/* A JSON array of strings (the sites or names a query reads), as text to free. */
static char *report_json(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_string(v[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return text;
}

/* The sites the site tables read (the filter's, or every kiosk's) and the counters they need. */
static int report_site_query(const struct report *r, const struct report_health *h, char **sitesp,
                             char **namesp)
{
    const char *names[REPORT_COUNTERS + REPORT_KEY_PAGES + REPORT_FILTER_MAX];
    char page[REPORT_KEY_PAGES][INGEST_NAME_MAX + 1], lang[REPORT_FILTER_MAX][INGEST_NAME_MAX + 1];
    size_t nn = 0;

    for (int c = 0; c < REPORT_COUNTERS; c++)
        names[nn++] = report_names[c];
    for (int i = 0; i < REPORT_KEY_PAGES; i++) {
        snprintf(page[i], sizeof(page[i]), "page.%s", report_key_pages[i]);
        names[nn++] = page[i];
    }
    for (size_t i = 0; i < r->f.nlangs; i++) {
        snprintf(lang[i], sizeof(lang[i]), "lang.%s", r->f.langs[i]);
        names[nn++] = lang[i];
    }
    /* each site once (h->sites): a site named twice would be summed twice */
    *sitesp = r->f.nsites ? report_json(r->f.sites, r->f.nsites) : report_json(h->sites, h->nsites);
    *namesp = report_json(names, nn);
    return *sitesp && *namesp ? 0 : ENOMEM;
}

static int report_sites(struct report *r, struct store *st, const struct report_health *h)
{
    struct store_query q = {.from_day = r->f.from_day, .to_day = r->f.to_day};
    char *sites = NULL, *names = NULL;
    int err = report_site_query(r, h, &sites, &names);
    q.sites_json = sites;
    q.names_json = names;
    if (!err)
        err = store_site_days_get(st, &q, report_site_day_row, r);
    free(sites);
    free(names);
    return err;
}

static int report_row_cmp(const void *a, const void *b)
{
    const struct report_row *x = a, *y = b;
    if (x->v[0].v != y->v[0].v)
        return x->v[0].v < y->v[0].v ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* The weeks of the range, with what is known of each before the numbers come. */
static int report_weeks(struct report *r)
{
    int32_t first = day_monday(r->f.from_day), last = day_monday(r->f.to_day);
    r->nweeks = (size_t)(last - first) / 7 + 1;
    if (r->nweeks > REPORT_WEEKS_MAX)
        return ERANGE;
    if (!(r->weeks = calloc(r->nweeks, sizeof(*r->weeks))))
        return ENOMEM;
    for (size_t i = 0; i < r->nweeks; i++) {
        struct report_week *w = &r->weeks[i];
        w->monday = first + 7 * (int32_t)i;
        w->partial = r->f.from_day > w->monday || r->f.to_day < w->monday + 6;
        w->unfinished = w->monday + 6 >= r->today;
    }
    return 0;
}

/* The numbers of the range, then of the period of the same length before it. */
static int report_numbers(struct report *r, struct store *st, const struct report_health *h)
{
    char *sites = r->f.nsites ? report_json(r->f.sites, r->f.nsites) : NULL;
    struct store_query q = {r->f.from_day, r->f.to_day, sites, NULL};
    int32_t len = r->f.to_day - r->f.from_day + 1;
    struct store_query p = {r->f.from_day - len, r->f.from_day - 1, sites, NULL};
    int err;

    if (r->f.nsites && !sites)
        return ENOMEM;
    r->prev.from_day = p.from_day;
    r->prev.to_day = p.to_day;
    if (!(err = store_days_get(st, &q, report_day_row, r)) &&
        !(err = store_noise_get(st, &q, report_noise_row, r)) && !(err = report_sites(r, st, h)) &&
        !(err = report_coverage(r, st, &q, h)) &&
        !(err = store_days_get(st, &p, report_prev_row, r)))
        err = store_noise_get(st, &p, report_prev_noise_row, r);
    free(sites);
    return err;
}

static int report_site_cmp(const void *a, const void *b)
{
    const struct report_row *x = a, *y = b;
    if (x->v[REPORT_SESSIONS].v != y->v[REPORT_SESSIONS].v)
        return x->v[REPORT_SESSIONS].v < y->v[REPORT_SESSIONS].v ? 1 : -1;
    return strcmp(x->name, y->name);
}

int report_load(struct report **rp, struct store *st, const struct report_filter *f,
                const struct report_health *health, int32_t today)
{
    if (f->to_day < f->from_day || f->nsites > REPORT_FILTER_MAX || f->nlangs > REPORT_FILTER_MAX)
        return ERANGE;
    struct report *r = calloc(1, sizeof(*r));
    if (!r)
        return ENOMEM;
    r->f = *f;
    r->today = today;
    int err = report_weeks(r);
    if (!err)
        err = report_numbers(r, st, health);
    if (err) {
        report_free(r);
        return err;
    }
    if (r->nsites)
        qsort(r->sites, r->nsites, sizeof(*r->sites), report_site_cmp);
    if (r->nlangs)
        qsort(r->langs, r->nlangs, sizeof(*r->langs), report_row_cmp);
    if (r->npages)
        qsort(r->pages, r->npages, sizeof(*r->pages), report_row_cmp);
    *rp = r;
    return 0;
}

static void report_rows_free(struct report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].weeks);
    }
    free(rows);
}

void report_free(struct report *r)
{
    if (!r)
        return;
    free(r->weeks);
    report_rows_free(r->sites, r->nsites);
    report_rows_free(r->langs, r->nlangs);
    report_rows_free(r->pages, r->npages);
    free(r->noise);
    free(r);
}

struct report_health_load {
    struct report_health *h;
    int32_t today;
};

/* Append one problem to k's status and flag k. */
static void report_problem(struct report_kiosk *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report_problem(struct report_kiosk *k, const char *fmt, ...)
{
    size_t len = strlen(k->status);
    va_list ap;
    if (len && len < sizeof(k->status) - 2) {
        memcpy(k->status + len, "; ", 3);
        len += 2;
    }
    va_start(ap, fmt);
    if (len < sizeof(k->status))
        vsnprintf(k->status + len, sizeof(k->status) - len, fmt, ap);
    va_end(ap);
    k->flagged = true;
}

/* What the health table says of k: its status line and whether it is flagged. A kiosk is
 * flagged for: no heartbeat yet; no heartbeat for more than REPORT_SILENT_DAYS days; no batch
 * for more than two of its buckets (and a day of upload delay); a spool growing over a week; a
 * failed self-test (quarantined batches among them); a version older than the newest a live
 * kiosk runs; an untrusted clock. */
static void report_kiosk_status(struct report_kiosk *k, int32_t today, const char *newest)
{
    k->status[0] = '\0';
    k->flagged = false;
    if (k->revoked) {
        snprintf(k->status, sizeof(k->status), "revoked");
        return;
    }
    if (!k->has_heartbeat)
        report_problem(k, "no heartbeat yet");
    else if (today - k->day > REPORT_SILENT_DAYS)
        report_problem(k, "no heartbeat for %d days", (int)(today - k->day));
    if (k->has_batches && today - k->last_end > 2 * k->last_days + 1)
        report_problem(k, "no counts for %d days (more than two %s)", (int)(today - k->last_end),
                       k->last_days == 1 ? "days" : "weeks");
    else if (!k->has_batches && k->added_day != STORE_NO_DAY && today - k->added_day > 9)
        report_problem(k, "no counts since it was added %d days ago", (int)(today - k->added_day));
    if (!k->has_heartbeat)
        return;
    if (k->spool_before >= 0 && k->spool_depth > k->spool_before && k->spool_depth >= 3)
        report_problem(k, "spool growing: %" PRId64 " batches waiting, %" PRId64 " a week before",
                       k->spool_depth, k->spool_before);
    if (!strcmp(k->self_test, "fail:spool.quarantined"))
        report_problem(k, "batches quarantined on the kiosk (see `openline counts` there)");
    else if (strcmp(k->self_test, "pass"))
        report_problem(k, "self-test %s", k->self_test);
    if (*newest && strverscmp(k->version, newest) < 0)
        report_problem(k, "old version %s (newest %s)", k->version, newest);
    if (strcmp(k->clock, "trusted"))
        report_problem(k, "clock untrusted");
    if (!k->flagged)
        snprintf(k->status, sizeof(k->status), "ok");
}

static int report_health_row(const struct store_kiosk_info *k, void *arg)
{
    struct report_health *h = arg;
    struct report_kiosk *p = realloc(h->kiosks, (h->n + 1) * sizeof(*p));
    if (!p)
        return ENOMEM;
    h->kiosks = p;
    p = &p[h->n++];
    *p = (struct report_kiosk){.id = k->id,
                               .revoked = k->revoked,
                               .has_heartbeat = k->has_heartbeat,
                               .spool_before = k->spool_before,
                               .added_day = k->added_day,
                               .revoked_day = k->revoked_day,
                               .has_batches = k->has_batches,
                               .first_day = k->first_day,
                               .last_end = k->last_end,
                               .last_days = k->last_days};
    snprintf(p->site, sizeof(p->site), "%s", k->site);
    if (k->has_heartbeat) {
        p->day = k->day;
        p->spool_depth = k->spool_depth;
        snprintf(p->version, sizeof(p->version), "%s", k->version);
        snprintf(p->clock, sizeof(p->clock), "%s", k->clock);
        snprintf(p->self_test, sizeof(p->self_test), "%s", k->self_test);
        if (!k->revoked && strverscmp(p->version, h->newest) > 0)
            snprintf(h->newest, sizeof(h->newest), "%s", p->version);
    }
    return 0;
}

/* Problem kiosks first, then by site and id. */
static int report_kiosk_cmp(const void *a, const void *b)
{
    const struct report_kiosk *x = a, *y = b;
    if (x->flagged != y->flagged)
        return x->flagged ? -1 : 1;
    int c = strcmp(x->site, y->site);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

int report_health_load(struct report_health **hp, struct store *st, int32_t today)
{
    struct report_health *h = calloc(1, sizeof(*h));
    if (!h)
        return ENOMEM;
    int err = store_kiosk_list(st, report_health_row, h);
    if (err) {
        report_health_free(h);
        return err;
    }
    for (size_t i = 0; i < h->n; i++) {
        report_kiosk_status(&h->kiosks[i], today, h->newest);
        h->flagged += h->kiosks[i].flagged;
    }
    if (h->n)
        qsort(h->kiosks, h->n, sizeof(*h->kiosks), report_kiosk_cmp);
    if (!(h->sites = calloc(h->n + 1, sizeof(*h->sites)))) {
        report_health_free(h);
        return ENOMEM;
    }
    for (size_t k = 0; k < h->n; k++)
        h->sites[k] = h->kiosks[k].site;
    qsort(h->sites, h->n, sizeof(*h->sites), util_strcmp_ptr);
    for (size_t k = 0; k < h->n; k++) {
        if (!h->nsites || strcmp(h->sites[h->nsites - 1], h->sites[k]))
            h->sites[h->nsites++] = h->sites[k];
    }
    *hp = h;
    return 0;
}

void report_health_free(struct report_health *h)
{
    if (!h)
        return;
    free(h->sites);
    free(h->kiosks);
    free(h);
}
