/* SIGINT and SIGTERM as a request to stop: a flag for the commands that clean up first.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "openline/signals.h"

#include <signal.h>
#include <stdio.h>

#include "openline/util.h"

static volatile sig_atomic_t signals_got;

static void signals_on(int sig)
{
    signals_got = sig;
}

void signals_catch(void)
{
    static const int sigs[] = {SIGINT, SIGTERM};
    struct sigaction sa = {.sa_handler = signals_on};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup, or a background job of a shell without job control */
        sigaction(sigs[i], &sa, NULL);
    }
}

int signals_caught(void)
{
    return signals_got;
}

int signals_exit(int status)
{
    int sig = signals_got;
    if (!sig)
        return status;
    fflush(NULL);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    return 128 + sig; /* not reached: the default action of both ends the process */
}
