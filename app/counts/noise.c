/* Privacy noise: two-sided geometric (discrete Laplace) draws from getrandom().
 *
 * Written here because no Debian library samples it: the sampler is Canonne, Kamath and
 * Steinke's exact one ("The Discrete Gaussian for Differential Privacy", 2020, algorithms 1
 * and 2), which uses only integer arithmetic on uniform random integers. A floating-point
 * sampler (a logarithm of a uniform double) has gaps and rounding that can reveal the count
 * under the noise; this one has none.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "counts_int.h"

int noise_random(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int noise_uniform(uint64_t n, uint64_t *out)
{
    /* Reject the top values that would make some results more likely than others. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
    do {
        int err = noise_random(&v, sizeof(v));
        if (err)
            return err;
    } while (v >= limit);
    *out = v % n;
    return 0;
}

/* True with probability num/den (num <= den). */
static int bernoulli(uint64_t num, uint64_t den, bool *out)
{
    uint64_t u;
    int err = noise_uniform(den, &u);
    if (!err)
        *out = u < num;
    return err;
}

/* True with probability exp(-num/den) for 0 <= num/den <= 1 (algorithm 1: the number of
 * successive successes of Bernoulli(gamma/k), k = 1, 2, ..., is even with that probability). */
static int bernoulli_exp_le1(uint64_t num, uint64_t den, bool *out)
{
    uint64_t k = 1;
    for (;;) {
        bool a;
        int err = bernoulli(num, den * k, &a);
        if (err)
            return err;
        if (!a)
            break;
        k++;
    }
    *out = k % 2 == 1;
    return 0;
}

/* True with probability exp(-num/den) for any num/den >= 0. */
static int bernoulli_exp(uint64_t num, uint64_t den, bool *out)
{
    for (uint64_t i = 0; i < num / den; i++) {
        bool b;
        int err = bernoulli_exp_le1(1, 1, &b);
        if (err)
            return err;
        if (!b) {
            *out = false;
            return 0;
        }
    }
    return bernoulli_exp_le1(num % den, den, out);
}

/* Algorithm 2 with scale t/s = den/num: P(k) proportional to exp(-|k| * num/den). */
int noise_geometric(uint32_t num, uint32_t den, int64_t *out)
{
    const uint64_t s = num, t = den;
    int err;
    if (!num || !den)
        return EINVAL;
    for (;;) {
        uint64_t u, v = 0;
        bool d, a, b;
        if ((err = noise_uniform(t, &u)) || (err = bernoulli_exp(u, t, &d)))
            return err;
        if (!d)
            continue;
        for (;;) {
            if ((err = bernoulli_exp(1, 1, &a)))
                return err;
            if (!a)
                break;
            v++;
        }
        uint64_t x = u + t * v, y = x / s;
        if ((err = bernoulli(1, 2, &b)))
            return err;
        if (b && y == 0)
            continue;
        *out = b ? -(int64_t)y : (int64_t)y;
        return 0;
    }
}
