/* How noisy a published sum is: the variance the kiosks' privacy noise adds to one count, and the
 * half-width of a sum's 95 % range. The store keeps each cell's variance (the sum over the batches
 * it adds up); the pages and the CSV print the range from it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_MARGIN_H
#define STATS_MARGIN_H

#include <stdint.h>

/* The variance of one count's two-sided geometric noise with parameter epsilon (0 for none):
 * 2a / (1 - a)^2 with a = e^-epsilon (docs/counts.md). */
double report_noise_var(double epsilon);

/* The half-width of the 95 % range of a sum whose noise has variance var: 0 when var is 0, else
 * ceil(1.96 sqrt(var) - 0.5). A sum of integer noise is an integer: by the normal approximation
 * with continuity correction, |noise| <= k has probability at least 95 % when k + 0.5 >= 1.96
 * sigma. Sums of tens of batches and more are close to normal; tests/stats/unit/test_margin.c
 * measures the coverage. */
int64_t report_margin95(double var);

#endif
