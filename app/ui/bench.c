/* Timing the UI for benchmarks and scripts: the time from exec to the first frame, and how long
 * a quick exit takes from the visitor's input to the attract screen on the glass.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "ui_int.h"

void ui_bench_first_frame_print(const struct ui *ui)
{
    /* From exec (the process's start time) to now, just after the first frame was presented. */
    struct timespec now;
    unsigned long long start_ticks = 0;
    FILE *f = fopen("/proc/self/stat", "r");
    if (f) {
        /* field 22 is the start time in clock ticks since boot; the name (field 2) has no
         * spaces here, so a plain scan works */
        if (fscanf(f,
                   "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
                   "%*d %*d %*d %llu",
                   &start_ticks) != 1)
            start_ticks = 0;
        fclose(f);
    }
    clock_gettime(CLOCK_BOOTTIME, &now);
    double ms = (now.tv_sec + now.tv_nsec / 1e9) * 1000.0 -
                (double)start_ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
    printf("first frame: %.1f ms after exec (%llu frames)\n", ms,
           (unsigned long long)ui->bench.frames);
}

void ui_bench_quick_exit(struct ui *ui)
{
    ui->bench.qe_ticks = ui->bench.ev_ticks ? ui->bench.ev_ticks : SDL_GetTicks();
    ui->bench.qe_measured = false;
}

void ui_bench_presented(struct ui *ui)
{
    ui->bench.frames++;
    if (ui->bench.qe_ticks && ui->screen == &ui_screen_attract) {
        ui->bench.qe_latency_ms = SDL_GetTicks() - ui->bench.qe_ticks;
        ui->bench.qe_measured = true;
        ui->bench.qe_ticks = 0;
    }
}
