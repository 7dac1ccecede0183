/* Memory the kiosk holds, sampled for scripted soaks and the benchmark: resident pages from the
 * kernel, the heap from glibc, and what the text and pictogram caches count.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "ui_int.h"

/* Text textures and the surfaces SDL_ttf renders are hundreds of KiB each and come and go with
 * every page. glibc maps such a block on its own only until a larger mapped block is freed; then
 * its threshold rises past them, they come from the heap, and freed between live blocks their
 * pages stay resident (68 MiB of free heap after 300 visitors at 3840x2160). Fixing the threshold
 * kept them mapped on their own but made a cold page 3 to 4 times slower (a new mapping and its
 * page faults for each block), so instead the free pages go back once a visitor has left:
 * malloc_trim takes 20-100 ms (measured with the machine loaded), when nobody is waiting. */
void ui_mem_trim(void)
{
    malloc_trim(0);
}

/* A "Name:   123 kB" line of /proc/self/status, in bytes. */
static size_t status_kib(const char *status, const char *name)
{
    const char *p = strstr(status, name);
    unsigned long kib = 0;
    if (p && sscanf(p + strlen(name), " %lu", &kib) != 1)
        kib = 0;
    return (size_t)kib * 1024;
}

int ui_mem_sample(const struct ui *ui, struct ui_mem *m)
{
    char status[4096];
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return errno;
    size_t n = fread(status, 1, sizeof(status) - 1, f);
    fclose(f);
    status[n] = '\0';
    memset(m, 0, sizeof(*m));
    m->rss = status_kib(status, "\nVmRSS:");
    m->hwm = status_kib(status, "\nVmHWM:");
    /* All arenas: the call and counts threads allocate in their own. */
    struct mallinfo2 mi = mallinfo2();
    m->heap_used = mi.uordblks + mi.hblkhd;
    m->heap_free = mi.fordblks;
    text_engine_cache_usage(ui->text, &m->text);
    m->icons = ui_icons_bytes(ui);
    m->icons_budget = ui_icon_budget(ui);
    return m->rss ? 0 : EIO;
}
