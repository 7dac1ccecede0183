/* SIGINT and SIGTERM as a request to stop, for the commands that clean up before they end.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_SIGNALS_H
#define OPENLINE_SIGNALS_H

/* From now on SIGINT and SIGTERM only record that they came (signals_caught()) instead of ending
 * the process, for a command that must first hang up a call, stop its threads or close files; it
 * looks at signals_caught() at least every few hundred ms while it runs. A signal ignored when the
 * process started (SIGINT in a shell's background job) stays ignored. No SA_RESTART: a blocking
 * call returns EINTR. Commands that do not call this end at once, by the signal's default
 * action. Main thread. */
void signals_catch(void);

/* The signal that asked to stop (SIGINT or SIGTERM), or 0. Any thread. */
int signals_caught(void);

/* For a command that cleaned up after signals_caught(): end the process as that signal would
 * have (its default action restored and the signal raised, stdio flushed first), so that the
 * parent sees it: a shell reports 130 for SIGINT and 143 for SIGTERM. Returns status when no
 * signal was caught. */
int signals_exit(int status);

#endif
