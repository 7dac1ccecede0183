/* The collector's log: one line per event on standard error, never a client address, agent,
 * arrival time or payload. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef STATS_SLOG_H
#define STATS_SLOG_H

/* Write "openline-stats: " and the formatted message as one line to standard error. No time
 * stamp is added (systemd's journal adds its own). Callers must not pass client addresses, user
 * agents or request bodies. Any thread. */
void slog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
