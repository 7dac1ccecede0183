/* Adding up the roll-ups of a date range into the tables the dashboard and CSV publish, and the
 * kiosks' health. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openline/day.h"

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

void report_cell(int64_t v, char out[24])
{
    if (!report_shown(v))
        snprintf(out, 24, "<%d", REPORT_MIN_CELL);
    else
        snprintf(out, 24, "%" PRId64, v);
}

/* Add v to the row called name in *rows (a short list: languages or pages), adding the row. */
static int report_row_add(struct report_row **rows, size_t *n, const char *name, int64_t v)
{
    for (size_t i = 0; i < *n; i++) {
        if (!strcmp((*rows)[i].name, name)) {
            (*rows)[i].v[0] += v;
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
    p[*n].v[0] = v;
    (*n)++;
    return 0;
}

static int report_week_row(int32_t week, const char *name, int64_t value, void *arg)
{
    struct report *r = arg;
    if (week < r->from_week || week > r->to_week)
        return 0;
    int c = report_index(name);
    if (c >= 0) {
        r->weeks[(week - r->from_week) / 7][c] += value;
        r->total[c] += value;
        return 0;
    }
    if (!strncmp(name, "lang.", 5))
        return report_row_add(&r->langs, &r->nlangs, name + 5, value);
    if (!strncmp(name, "page.", 5))
        return report_row_add(&r->pages, &r->npages, name + 5, value);
    return 0;
}

/* Rows arrive grouped by site, so a new site only ever starts a new row. */
static int report_site_row(const char *site, const char *name, int64_t value, void *arg)
{
    struct report *r = arg;
    int c = report_index(name);
    if (c < 0)
        return 0;
    if (!r->nsites || strcmp(r->sites[r->nsites - 1].name, site)) {
        struct report_row *p = realloc(r->sites, (r->nsites + 1) * sizeof(*p));
        if (!p)
            return ENOMEM;
        r->sites = p;
        memset(&p[r->nsites], 0, sizeof(p[r->nsites]));
        if (!(p[r->nsites].name = strdup(site)))
            return ENOMEM;
        r->nsites++;
    }
    r->sites[r->nsites - 1].v[c] += value;
    return 0;
}

static int report_noise_row(const char *mech, double epsilon, int64_t batches, void *arg)
{
    struct report *r = arg;
    struct report_noise *p = realloc(r->noise, (r->nnoise + 1) * sizeof(*p));
    if (!p)
        return ENOMEM;
    r->noise = p;
    snprintf(p[r->nnoise].mech, sizeof(p[r->nnoise].mech), "%s", mech);
    p[r->nnoise].epsilon = epsilon;
    p[r->nnoise].batches = batches;
    r->nnoise++;
    r->batches += batches;
    return 0;
}

static int report_row_cmp(const void *a, const void *b)
{
    const struct report_row *x = a, *y = b;
    if (x->v[0] != y->v[0])
        return x->v[0] < y->v[0] ? 1 : -1;
    return strcmp(x->name, y->name);
}

int report_load(struct report **rp, struct store *st, int32_t from_day, int32_t to_day)
{
    struct report *r = NULL;
    int err;

    if (to_day < from_day)
        return ERANGE;
    int32_t from_week = day_monday(from_day), to_week = day_monday(to_day);
    size_t nweeks = (size_t)(to_week - from_week) / 7 + 1;
    if (nweeks > REPORT_WEEKS_MAX)
        return ERANGE;

    r = calloc(1, sizeof(*r));
    if (!r)
        return ENOMEM;
    r->from_week = from_week;
    r->to_week = to_week;
    r->nweeks = nweeks;
    r->weeks = calloc(nweeks, sizeof(*r->weeks));
    if (!r->weeks) {
        err = ENOMEM;
        goto out;
    }
    if ((err = store_weeks_get(st, from_week, to_week, report_week_row, r)) ||
        (err = store_sites_get(st, from_week, to_week, report_site_row, r)) ||
        (err = store_noise_get(st, from_week, to_week, report_noise_row, r)))
        goto out;
    if (r->nlangs)
        qsort(r->langs, r->nlangs, sizeof(*r->langs), report_row_cmp);
    if (r->npages)
        qsort(r->pages, r->npages, sizeof(*r->pages), report_row_cmp);
    *rp = r;
    r = NULL;
out:
    report_free(r);
    return err;
}

static void report_rows_free(struct report_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].name);
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

/* What the health table says of k: its status line and whether it is flagged. */
static void report_kiosk_status(struct report_kiosk *k, int32_t today)
{
    size_t sl = 0, len = sizeof(k->status);

    if (k->revoked) {
        snprintf(k->status, len, "revoked");
        return;
    }
    if (!k->has_heartbeat) {
        snprintf(k->status, len, "no heartbeat yet");
        k->flagged = true;
        return;
    }
    int32_t silent = today - k->day;
    if (silent > REPORT_SILENT_DAYS) {
        sl += (size_t)snprintf(k->status + sl, len - sl, "silent for %d days; ", (int)silent);
        k->flagged = true;
    }
    if (strcmp(k->self_test, "pass")) {
        sl += (size_t)snprintf(k->status + sl, len - sl, "self-test %s; ", k->self_test);
        k->flagged = true;
    }
    if (strcmp(k->clock, "trusted")) {
        sl += (size_t)snprintf(k->status + sl, len - sl, "clock untrusted; ");
        k->flagged = true;
    }
    if (sl >= 2 && sl < len)
        k->status[sl - 2] = '\0';
    else if (!sl)
        snprintf(k->status, len, "ok");
}

static int report_health_row(const struct store_kiosk_info *k, void *arg)
{
    struct report_health_load *l = arg;
    struct report_health *h = l->h;
    struct report_kiosk *p = realloc(h->kiosks, (h->n + 1) * sizeof(*p));
    if (!p)
        return ENOMEM;
    h->kiosks = p;
    p = &p[h->n++];
    *p = (struct report_kiosk){
        .id = k->id, .revoked = k->revoked, .has_heartbeat = k->has_heartbeat};
    snprintf(p->site, sizeof(p->site), "%s", k->site);
    if (k->has_heartbeat) {
        p->day = k->day;
        p->spool_depth = k->spool_depth;
        snprintf(p->version, sizeof(p->version), "%s", k->version);
        snprintf(p->clock, sizeof(p->clock), "%s", k->clock);
        snprintf(p->self_test, sizeof(p->self_test), "%s", k->self_test);
    }
    report_kiosk_status(p, l->today);
    if (p->flagged)
        h->flagged++;
    return 0;
}

int report_health_load(struct report_health **hp, struct store *st, int32_t today)
{
    struct report_health_load l = {.h = calloc(1, sizeof(*l.h)), .today = today};
    if (!l.h)
        return ENOMEM;
    int err = store_kiosk_list(st, report_health_row, &l);
    if (err) {
        report_health_free(l.h);
        return err;
    }
    *hp = l.h;
    return 0;
}

void report_health_free(struct report_health *h)
{
    if (!h)
        return;
    free(h->kiosks);
    free(h);
}
