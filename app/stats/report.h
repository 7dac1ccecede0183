/* The published numbers: sums of noisy counts over kiosks and weeks, with small cells
 * suppressed. Shared by the dashboard and the CSV export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_REPORT_H
#define STATS_REPORT_H

#include <stddef.h>
#include <stdint.h>

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

/* Whether v is published as a number (not suppressed). */
static inline int report_shown(int64_t v)
{
    return v >= REPORT_MIN_CELL;
}

#endif
