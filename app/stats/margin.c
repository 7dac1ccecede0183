/* The 95 % ranges of noisy sums (margin.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "margin.h"

#include <math.h>

/* The noise is G1 - G2 with G1, G2 independent geometric variables, P(G = k) = (1 - a) a^k with
 * a = exp(-epsilon); each has variance a / (1 - a)^2, and the difference twice that. */
double report_noise_var(double epsilon)
{
    if (!(epsilon > 0))
        return 0;
    double a = exp(-epsilon);
    return 2 * a / ((1 - a) * (1 - a));
}

/* The sum of many such counts is close to normal, so 95 % of it lies within 1.96 standard
 * deviations; the sum is an integer, and |sum| <= m covers the normal out to m + 0.5, hence the
 * half taken off before rounding up. */
int64_t report_margin95(double var)
{
    if (!(var > 0))
        return 0;
    return (int64_t)ceil(1.96 * sqrt(var) - 0.5);
}
