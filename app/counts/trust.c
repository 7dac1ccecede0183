/* Trusted time: a count is given a bucket only when the kiosk knows the date for sure.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>

#include "counts_int.h"
#include "openline/clock.h"
#include "openline/util.h"

/* Written by the counts thread (and counts_start before it runs), read by the UI thread. */
static atomic_bool trust_ntp;
static atomic_bool trust_anchored;
static _Atomic int64_t trust_offset; /* collector's wall time minus CLOCK_BOOTTIME, ms */

void trust_refresh(void)
{
    struct timex tx = {0};
    /* TIME_ERROR (or STA_UNSYNC) while no NTP daemon has disciplined the clock. */
    int state = adjtimex(&tx);
    trust_ntp = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

int64_t trust_anchor(int64_t date_ms, uint64_t boot_ms)
{
    /* Date has whole seconds: the reply was made within the second after it. */
    int64_t offset = date_ms + 500 - (int64_t)boot_ms;
    trust_restore(offset);
    return offset;
}

void trust_restore(int64_t offset)
{
    trust_offset = offset;
    trust_anchored = true;
}

bool trust_now(int64_t *wall_ms)
{
    if (clock_is_virtual() || trust_ntp) {
        *wall_ms = clock_wall_ms();
        return true;
    }
    if (trust_anchored) {
        *wall_ms = trust_offset + (int64_t)clock_boot_ms();
        return true;
    }
    *wall_ms = clock_wall_ms();
    return false;
}

const char *trust_source(void)
{
    if (clock_is_virtual())
        return "test clock";
    if (trust_ntp)
        return "NTP";
    if (trust_anchored)
        return "collector";
    return "untrusted";
}

int trust_boot_id(char *out, size_t len)
{
    char *data = NULL;
    size_t n;
    int err = util_read_file("/proc/sys/kernel/random/boot_id", &data, &n);
    if (err)
        return err;
    err = util_strlcpy(out, util_trim(data), len);
    free(data);
    return err;
}
