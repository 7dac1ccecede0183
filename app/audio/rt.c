/* Real-time scheduling for the audio path's threads: SCHED_FIFO where the process may, else
 * through rtkit on the D-Bus system bus, else normal scheduling and the reason why.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "audio.h"
#include "openline/log.h"

#define RTKIT_NAME "org.freedesktop.RealtimeKit1"
#define RTKIT_PATH "/org/freedesktop/RealtimeKit1"

enum {
    /* RLIMIT_RTTIME, microseconds of CPU a real-time thread may use without blocking. Ours block
     * every 10 ms (a block of audio, a libre poll): a thread that runs this long is stuck in a
     * loop. At the soft limit the kernel sends SIGXCPU, which ends the process (systemd
     * restarts the kiosk), at the hard limit SIGKILL, rather than letting it hold a core and
     * freeze the screen. The same as the unit's LimitRTTIME=, for runs outside it. */
    RT_TIME_SOFT_US = 200000,
    RT_TIME_HARD_US = 400000,
    /* rtkit answers in milliseconds; a bus that does not answer must not hold up a call. */
    RTKIT_TIMEOUT_US = 500000,
};

/* Lower RLIMIT_RTTIME to at most soft_us and hard_us, never raise it: lowering needs no
 * privilege, and a lower limit already set stands. Process-wide, but it binds only threads
 * that run real-time. Returns 0 or errno. */
static int bound_rttime(uint64_t soft_us, uint64_t hard_us)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_RTTIME, &rl))
        return errno;
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > hard_us)
        rl.rlim_max = hard_us;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > soft_us)
        rl.rlim_cur = soft_us;
    if (rl.rlim_cur > rl.rlim_max)
        rl.rlim_cur = rl.rlim_max;
    return setrlimit(RLIMIT_RTTIME, &rl) ? errno : 0;
}

/* SCHED_RESET_ON_FORK: threads and processes a real-time thread starts begin at normal
 * priority (the kernel resets them on clone), so a helper program or a thread that may block
 * never inherits real-time priority. */
static int rt_direct(pid_t tid, int prio)
{
    struct sched_param sp = {.sched_priority = prio};
    int rc = bound_rttime(RT_TIME_SOFT_US, RT_TIME_HARD_US);
    if (rc)
        return rc;
    return sched_setscheduler(tid, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) ? errno : 0;
}

static void bus_why(char *why, size_t len, const char *what, const sd_bus_error *e, int r)
{
    if (sd_bus_error_is_set(e))
        snprintf(why, len, "%s: %s", what, e->message ? e->message : e->name);
    else
        snprintf(why, len, "%s: %s", what, strerror(-r));
}

/* rtkit (org.freedesktop.RealtimeKit1) makes a thread SCHED_RR with SCHED_RESET_ON_FORK for an
 * unprivileged process, within its MaxRealtimePriority and only for a process whose
 * RLIMIT_RTTIME hard limit is at most its RTTimeUSecMax. Returns 0 or a negative errno. */
static int rt_rtkit(pid_t tid, int prio, char *why, size_t len)
{
    sd_bus *bus = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int32_t max_prio = 0;
    int64_t max_us = 0;
    int r = sd_bus_open_system(&bus);
    if (r < 0) {
        snprintf(why, len, "no D-Bus system bus (%s)", strerror(-r));
        goto out;
    }
    sd_bus_set_method_call_timeout(bus, RTKIT_TIMEOUT_US);
    r = sd_bus_get_property_trivial(bus, RTKIT_NAME, RTKIT_PATH, RTKIT_NAME, "MaxRealtimePriority",
                                    &e, 'i', &max_prio);
    if (r >= 0)
        r = sd_bus_get_property_trivial(bus, RTKIT_NAME, RTKIT_PATH, RTKIT_NAME, "RTTimeUSecMax",
                                        &e, 'x', &max_us);
    if (r < 0) {
        bus_why(why, len, "rtkit", &e, r);
        goto out;
    }
    /* Both threads clamped alike keep their order unless rtkit's ceiling is below both. */
    if (prio > max_prio)
        prio = max_prio;
    if (prio < 1 || max_us <= 0) {
        snprintf(why, len, "rtkit grants no real-time priority (MaxRealtimePriority %d)",
                 (int)max_prio);
        r = -EPERM;
        goto out;
    }
    /* rtkit's condition: the hard limit at most its RTTimeUSecMax (200 ms by default). */
    r = -bound_rttime(RT_TIME_SOFT_US, (uint64_t)max_us);
    if (r < 0) {
        snprintf(why, len, "cannot bound RLIMIT_RTTIME for rtkit: %s", strerror(-r));
        goto out;
    }
    r = sd_bus_call_method(bus, RTKIT_NAME, RTKIT_PATH, RTKIT_NAME, "MakeThreadRealtime", &e, NULL,
                           "tu", (uint64_t)tid, (uint32_t)prio);
    if (r < 0)
        bus_why(why, len, "rtkit refused", &e, r);
out:
    sd_bus_error_free(&e);
    sd_bus_flush_close_unref(bus);
    return r < 0 ? r : 0;
}

int audio_rt_boost_tid(pid_t tid, const char *who, int prio, char *why, size_t len)
{
    char via[200] = "";
    int rc = rt_direct(tid, prio);
    if (!rc)
        return 0;
    if (rc != EPERM) {
        snprintf(why, len, "%s runs at normal priority: SCHED_FIFO %d: %s", who, prio,
                 strerror(rc));
        return rc;
    }
    if (!rt_rtkit(tid, prio, via, sizeof(via)))
        return 0;
    snprintf(why, len,
             "%s runs at normal priority: SCHED_FIFO %d not permitted (EPERM) and rtkit "
             "unavailable: %s",
             who, prio, via);
    return EPERM;
}

int audio_rt_boost(const char *who, int prio, char *why, size_t len)
{
    return audio_rt_boost_tid(gettid(), who, prio, why, len);
}

void audio_rt_report(int rc, const char *why)
{
    /* Once per process: the reason is the same for every thread and every call, and a line at
     * each call would say when someone called (docs/design.md 2.2). */
    static atomic_bool told;
    if (!rc || atomic_exchange(&told, true))
        return;
    log_info("audio: %s", why);
}
