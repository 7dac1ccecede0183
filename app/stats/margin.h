/* The 95 % ranges of noisy sums: the variance of the kiosks' two-sided geometric noise and the
 * half-width of the range it gives a sum. To be merged into report.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_MARGIN_H
#define STATS_MARGIN_H

#include <stdint.h>

/* The variance of one count's two-sided geometric noise with parameter epsilon (0 for none). */
double report_noise_var(double epsilon);

/* The half-width of the 95 % range of a sum whose noise has variance var: 0 when var is 0,
 * else ceil(1.96 sqrt(var) - 0.5). */
int64_t report_margin95(double var);

#endif
