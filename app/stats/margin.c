/* The variance of the kiosks' noise and the 95 % range of a sum of noisy counts. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "margin.h"

#include <math.h>

double report_noise_var(double epsilon)
{
    if (!(epsilon > 0))
        return 0;
    double a = exp(-epsilon);
    return 2 * a / ((1 - a) * (1 - a));
}

int64_t report_margin95(double var)
{
    if (!(var > 0))
        return 0;
    double k = ceil(1.96 * sqrt(var) - 0.5);
    return k < 0 ? 0 : (int64_t)k;
}
