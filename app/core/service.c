/* The kiosk as a systemd service: READY=1 after the first frame, WATCHDOG=1 from the main loop.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/service.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "openline/log.h"

static uint64_t service_interval_ms; /* half the watchdog's timeout; 0: no watchdog */
static uint64_t service_next_ms;     /* the next ping is due then (monotonic) */
static bool service_readied;
static volatile sig_atomic_t service_hang_asked;

/* The real monotonic clock: the test clock of `play` must not starve the watchdog. */
static uint64_t service_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void service_on_hang(int sig)
{
    (void)sig;
    service_hang_asked = 1;
}

/* cage is the unit's main process: a watchdog meant for it (WATCHDOG_PID = our parent) is ours,
 * so WATCHDOG_PID is made ours before libsystemd reads it. */
static void service_adopt_parent_watchdog(void)
{
    const char *pid = getenv("WATCHDOG_PID");
    char *end;
    if (!pid || !*pid)
        return;
    long v = strtol(pid, &end, 10);
    if (*end || v != (long)getppid())
        return;
    char own[24];
    snprintf(own, sizeof(own), "%ld", (long)getpid());
    setenv("WATCHDOG_PID", own, 1);
}

void service_start(void)
{
    uint64_t usec = 0;
    service_adopt_parent_watchdog();
    /* 1: the variables go, so that nothing the kiosk starts feeds the watchdog for it */
    if (sd_watchdog_enabled(1, &usec) > 0 && usec >= 2000) {
        service_interval_ms = usec / 2000;
        service_next_ms = service_now_ms();
        log_info("systemd watchdog: %llu ms, fed every %llu ms", (unsigned long long)(usec / 1000),
                 (unsigned long long)service_interval_ms);
    }
    const char *hang = getenv("OPENLINE_TEST_HANG");
    if (hang && !strcmp(hang, "1")) {
        struct sigaction sa = {.sa_handler = service_on_hang};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR2, &sa, NULL);
    }
}

void service_ready(void)
{
    if (service_readied)
        return;
    service_readied = true;
    sd_notify(0, "READY=1");
}

int service_ping(void)
{
    if (!service_interval_ms)
        return -1;
    uint64_t now = service_now_ms();
    if (now >= service_next_ms) {
        sd_notify(0, "WATCHDOG=1");
        service_next_ms = now + service_interval_ms;
    }
    return (int)(service_next_ms - now);
}

void service_hang_if_asked(void)
{
    if (!service_hang_asked)
        return;
    log_warn("test: the main loop hangs now (SIGUSR2 with OPENLINE_TEST_HANG=1)");
    for (;;)
        pause();
}
