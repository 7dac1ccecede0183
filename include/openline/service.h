/* The kiosk as a systemd service: readiness and the watchdog through libsystemd's sd_notify.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_SERVICE_H
#define OPENLINE_SERVICE_H

/* Read the watchdog's interval (sd_watchdog_enabled) for `run`. Under the kiosk's unit the
 * service's main process is cage, our parent: a watchdog systemd set for it (WATCHDOG_PID the
 * parent's) is ours to feed, and the unit says NotifyAccess=all. The variables are removed from
 * the environment, so nothing the kiosk starts feeds it. With OPENLINE_TEST_HANG=1 in the
 * environment (tests only: no unit sets it, and a visitor cannot send signals) SIGUSR2 makes
 * service_hang_if_asked() hang the main loop for good. Main thread, before other threads. */
void service_start(void);

/* Tell systemd the kiosk is up (READY=1): after the first frame is on screen. Once; nothing
 * without NOTIFY_SOCKET. UI thread. */
void service_ready(void);

/* Send WATCHDOG=1 when half the interval has passed since the last one. Returns the ms until the
 * next is due (the main loop sleeps no longer), or -1 without a watchdog. UI thread. */
int service_ping(void);

/* Tests of the watchdog: after SIGUSR2 with OPENLINE_TEST_HANG=1, never returns (the main loop
 * stops feeding the watchdog, as a hung kiosk would). UI thread. */
void service_hang_if_asked(void);

#endif
