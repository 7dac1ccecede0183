/* What the dashboard and the CSV export publish, read from the store: sums of noisy counts over
 * kiosks and weeks with small cells suppressed, and the kiosks' health. The pages render these
 * and never query the store themselves. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_REPORT_H
#define STATS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "margin.h"
#include "store/store.h"

/* A published cell below this shows as "<5". */
#define REPORT_MIN_CELL 5

/* Longest date range, in weeks (ten years). */
#define REPORT_WEEKS_MAX 530

/* The counters shown per week and per site, in display order. */
enum report_counter {
    REPORT_SESSIONS,
    REPORT_CALL_ATTEMPTED,
    REPORT_CALL_CONNECTED,
    REPORT_CALL_FAILED,
    REPORT_READ_ALOUD,
    REPORT_QUICK_EXIT,
    REPORT_COUNTERS
};

/* The counter's wire name ("call.attempted") and its column heading ("Calls attempted"). */
const char *report_counter_name(enum report_counter c);
const char *report_counter_label(enum report_counter c);

/* A published sum and the variance of its noise (margin.h): v ± report_margin95(var). */
struct report_num {
    int64_t v;
    double var;
};

/* The two key pages of the funnel (sessions → key pages → calls), by page id. */
#define REPORT_KEY_PAGES 2
extern const char *const report_key_pages[REPORT_KEY_PAGES];

/* A named row: a site (v: the counters, then the key pages), or a language or page (name without
 * "lang." or "page."; v[0]). */
struct report_row {
    char *name;
    struct report_num v[REPORT_COUNTERS + REPORT_KEY_PAGES];
    struct report_num (*weeks)[REPORT_COUNTERS]; /* sites: per week of the report */
};

struct report_noise {
    char mech[16];
    double epsilon;
    int64_t batches;
};

/* Most sites and most languages one filter names. */
#define REPORT_FILTER_MAX 32

/* What a report covers: the days from_day..to_day (buckets by their day of attribution, rollup.h)
 * of the sites named (none named: all sites), and, when languages are named, the sessions in
 * those languages. A kiosk never records which language a page or a call came from, so pages and
 * calls are never narrowed by language. */
struct report_filter {
    int32_t from_day, to_day;
    const char *sites[REPORT_FILTER_MAX];
    size_t nsites;
    const char *langs[REPORT_FILTER_MAX];
    size_t nlangs;
};

/* A week of the chart: the buckets attributed to its days inside the range. */
struct report_week {
    int32_t monday;
    struct report_num c[REPORT_COUNTERS];
    int64_t batches;            /* 0: no data */
    int kiosks;                 /* kiosks with a batch attributed to this week */
    bool partial;               /* the range starts or ends inside the week */
    bool unfinished;            /* the week has not ended by today: batches are still to come */
    int added, silent, revoked; /* coverage changes: kiosks new, silent, revoked this week */
    char changes[160];          /* those changes in words ("kiosk 4 silent; kiosk 9 new"), or "" */
};

/* The period before a report's, of the same number of days, for the comparison. */
struct report_prev {
    int32_t from_day, to_day;
    struct report_num total[REPORT_COUNTERS];
    int64_t batches;
};

struct report {
    struct report_filter f; /* names point into the caller's strings: keep them */
    int32_t today;
    size_t nweeks;
    struct report_week *weeks; /* the ISO weeks holding from_day..to_day, oldest first */
    struct report_num total[REPORT_COUNTERS];
    struct report_row *sites, *langs, *pages;
    size_t nsites, nlangs, npages;
    struct report_noise *noise;
    size_t nnoise;
    int64_t batches; /* batches summed, all mechanisms */
    struct report_prev prev;
};

struct report_health;

/* Load the numbers of f as of today from st; health (report_health_load) gives the kiosks.
 * Returns 0 with *rp set (free with report_free), ERANGE when to_day is before from_day or the
 * range is longer than REPORT_WEEKS_MAX weeks, or the store's error. Sites come by sessions,
 * languages and pages by count, largest first. */
int report_load(struct report **rp, struct store *st, const struct report_filter *f,
                const struct report_health *health, int32_t today);

void report_free(struct report *r);

/* What a share is of: for a language, every session that chose a language (the languages' sum);
 * for a page (pages set), all sessions. */
int64_t report_share_of(const struct report *r, bool pages);

/* Whether a site or language is named by f (true for every one when f names none). */
bool report_site_in(const struct report_filter *f, const char *site);

/* A kiosk silent for more than this many days is flagged. */
#define REPORT_SILENT_DAYS 2

/* A kiosk, its latest heartbeat (has_heartbeat false: none yet), and what the health table says
 * of it. */
struct report_kiosk {
    int64_t id;
    char site[STORE_SITE_MAX + 1];
    bool revoked;
    bool has_heartbeat;
    int32_t day;
    char version[INGEST_VERSION_MAX + 1];
    int64_t spool_depth;
    char clock[16];                           /* "trusted" or "untrusted" */
    char self_test[5 + INGEST_CHECK_MAX + 1]; /* "pass" or "fail:<check>" */
    int64_t spool_before;           /* spool depth a week before the latest heartbeat, -1 unknown */
    int32_t added_day, revoked_day; /* or STORE_NO_DAY */
    bool has_batches;               /* it has sent a batch, ever */
    int32_t first_day, last_end, last_days; /* of its batches, when has_batches */
    bool flagged;     /* something on the list in report_kiosk_status() is wrong */
    char status[240]; /* "ok", "revoked", "no heartbeat yet" or what is wrong, "; " between */
};

struct report_health {
    struct report_kiosk *kiosks; /* flagged first, then by site and id */
    size_t n;
    int flagged;
    char newest[INGEST_VERSION_MAX + 1]; /* newest version a live kiosk runs */
    const char **sites;                  /* every kiosk's site once, sorted (into kiosks[].site) */
    size_t nsites;
};

/* Load every kiosk's health as of today (a day number) from st. Returns 0 with *hp set (free
 * with report_health_free), or the store's error. */
int report_health_load(struct report_health **hp, struct store *st, int32_t today);

void report_health_free(struct report_health *h);

/* Whether v is published as a number (not suppressed). */
static inline int report_shown(int64_t v)
{
    return v >= REPORT_MIN_CELL;
}

#endif
