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

/* A named row: a site, or a language or page (name without "lang." or "page."). */
struct report_row {
    char *name;
    int64_t v[REPORT_COUNTERS]; /* for sites; languages and pages use v[0] */
};

struct report_noise {
    char mech[16];
    double epsilon;
    int64_t batches;
};

struct report {
    int32_t from_week, to_week; /* Mondays */
    size_t nweeks;
    int64_t (*weeks)[REPORT_COUNTERS]; /* nweeks rows, week i starts on from_week + 7 i */
    int64_t total[REPORT_COUNTERS];
    struct report_row *sites, *langs, *pages;
    size_t nsites, nlangs, npages;
    struct report_noise *noise;
    size_t nnoise;
    int64_t batches; /* batches summed, all mechanisms */
};

/* Load the numbers for the weeks holding from_day through to_day (whole ISO weeks) from st.
 * Returns 0 with *rp set (free with report_free), ERANGE when to_day is before from_day or the
 * range is longer than REPORT_WEEKS_MAX weeks, or the store's error. Languages and pages come
 * sorted by count, largest first. */
int report_load(struct report **rp, struct store *st, int32_t from_day, int32_t to_day);

void report_free(struct report *r);

/* Write cell v as published: "<5" below REPORT_MIN_CELL, else its decimal digits. */
void report_cell(int64_t v, char out[24]);

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
    bool flagged;     /* no heartbeat yet, silent too long, a failed self-test or clock untrusted */
    char status[160]; /* "ok", "revoked", "no heartbeat yet" or what is wrong, "; " between */
};

struct report_health {
    struct report_kiosk *kiosks; /* by site then id */
    size_t n;
    int flagged;
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
