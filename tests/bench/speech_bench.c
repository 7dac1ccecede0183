/* Read-aloud benchmark: time from speech_say() to the first piece of audio for every language
 * with a voice, beside espeak-ng's own command line on the same text, and the CPU time a long
 * paragraph costs against its length. Numbers, not pass/fail (tests/bench/speech.sh).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "openline/content.h"
#include "openline/i18n.h"
#include "openline/util.h"
#include "speech.h"

#define TARGET_MS 300.0

static pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static double first_at; /* guarded by mx: when the first piece came, 0 before */
static size_t samples;  /* guarded by mx */
static unsigned rate;   /* guarded by mx */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void out(uint32_t tag, const int16_t *pcm, size_t n, unsigned r, void *arg)
{
    pthread_mutex_lock(&mx);
    if (!first_at) {
        first_at = now_ms();
        pthread_cond_broadcast(&cv);
    }
    samples += n;
    rate = r;
    pthread_mutex_unlock(&mx);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* speech_say() to the first out() call, in ms; waits for the item to end before returning. */
static double say_once(struct speech *sp, const struct lang *l, const char *text)
{
    struct speech_item it = {.text = text, .tag = 1};
    pthread_mutex_lock(&mx);
    first_at = 0;
    pthread_mutex_unlock(&mx);
    double t0 = now_ms();
    if (speech_say(sp, l, &it, 1))
        return -1;
    pthread_mutex_lock(&mx);
    while (!first_at)
        pthread_cond_wait(&cv, &mx);
    double t1 = first_at;
    pthread_mutex_unlock(&mx);
    while (speech_busy(sp))
        usleep(2000);
    return t1 - t0;
}

/* espeak-ng's command line: start to the first byte of audio after the 44-byte WAV header. */
static double cli_once(const char *voice, const char *text)
{
    int fd[2];
    if (pipe(fd))
        return -1;
    double t0 = now_ms(), t1 = -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execlp("espeak-ng", "espeak-ng", "-v", voice, "-s", "150", "--stdout", text, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char buf[4096];
    size_t got = 0;
    ssize_t r;
    while ((r = read(fd[0], buf, sizeof(buf))) > 0) {
        got += (size_t)r;
        if (t1 < 0 && got > 44)
            t1 = now_ms() - t0;
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return t1;
}

/* Resident memory of the process in KiB (VmRSS), 0 when unknown. */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (f && fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "VmRSS:", 6))
            kib = strtol(line + 6, NULL, 10);
    }
    if (f)
        fclose(f);
    return kib;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* The first page's title and blocks in l, one paragraph (malloc'd). */
static char *paragraph(const struct content *c, const struct lang *l)
{
    const struct content_page *pg = content_at(c, 0);
    size_t cap = 1;
    char *p = NULL;
    for (size_t k = 0; k <= pg->n_blocks; k++)
        cap += strlen(i18n_get(l, k ? pg->blocks[k - 1].text : pg->title)) + 2;
    if (!(p = malloc(cap)))
        return NULL;
    p[0] = '\0';
    for (size_t k = 0; k <= pg->n_blocks; k++) {
        const char *t = i18n_get(l, k ? pg->blocks[k - 1].text : pg->title);
        if (!strchr(t, '{')) { /* placeholders: not configured here */
            strncat(p, t, cap - strlen(p) - 1);
            strncat(p, " ", cap - strlen(p) - 1);
        }
    }
    return p;
}

/* CPU time of the process while the worker speaks the paragraph, against its audio length. */
static void cpu_row(struct speech *sp, const struct lang *l, const struct content *c)
{
    char *text = paragraph(c, l);
    if (!text)
        return;
    pthread_mutex_lock(&mx);
    samples = 0;
    pthread_mutex_unlock(&mx);
    double c0 = cpu_ms(), w0 = now_ms();
    say_once(sp, l, text);
    double cpu = cpu_ms() - c0, wall = now_ms() - w0;
    pthread_mutex_lock(&mx);
    double audio = rate ? (double)samples / rate * 1e3 : 0;
    pthread_mutex_unlock(&mx);
    printf("%-8s %-8s %9.1f s %9.0f ms %9.0f ms %8.1f%%\n", l->code, l->voice, audio / 1e3, cpu,
           wall, audio ? cpu * 100 / audio : 0);
    free(text);
}

int main(int argc, char **argv)
{
    long reps = 7;
    char err[512];
    struct i18n *langs;
    struct content *content;
    struct speech *sp;
    if (argc > 2 && !strcmp(argv[1], "--reps"))
        if (util_parse_long(argv[2], 1, 100, &reps)) {
            fprintf(stderr, "speech bench: --reps: a number from 1 to 100\n");
            return 2;
        }
    if (i18n_load(&langs, "locales", err, sizeof(err)) ||
        content_load(&content, "assets/content", err, sizeof(err))) {
        fprintf(stderr, "speech bench: %s\n", err);
        return 1;
    }
    long rss_before = rss_kib();
    if (speech_alloc(&sp, ".", out, NULL, err, sizeof(err))) {
        fprintf(stderr, "speech bench: %s\n", err);
        return 1;
    }
    long rss_alloc = rss_kib();
    printf("Time to first sample: speech_say() to out() vs espeak-ng --stdout to its first audio "
           "byte\n(\"Touch here for help\" in each language; median of %d; target %.0f ms)\n\n",
           (int)reps, TARGET_MS);
    printf("%-8s %-8s %9s %9s %9s %7s\n", "code", "voice", "cold ms", "ours ms", "cli ms", "ratio");
    double worst = 0;
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *l = i18n_at(langs, i);
        if (speech_source(sp, l) != SPEECH_SYNTH)
            continue;
        const char *text = i18n_get(l, "Touch here for help");
        double ours[100], cli[100];
        double cold = say_once(sp, l, text); /* the voice loads at its first use */
        for (long r = 0; r < reps; r++) {
            ours[r] = say_once(sp, l, text);
            cli[r] = cli_once(l->voice, text);
        }
        double o = median(ours, (int)reps), c = median(cli, (int)reps);
        worst = o > worst ? o : worst;
        printf("%-8s %-8s %9.1f %9.1f %9.1f %7.2f\n", l->code, l->voice, cold, o, c, o / c);
    }
    printf("\nslowest median %.1f ms: %s the %.0f ms target\n", worst,
           worst < TARGET_MS ? "under" : "OVER", TARGET_MS);
    printf("\nCPU time while speaking the first page as one paragraph (process user+sys)\n\n");
    printf("%-8s %-8s %11s %12s %12s %9s\n", "code", "voice", "audio", "cpu", "wall", "cpu/audio");
    for (unsigned i = 0; i < i18n_count(langs); i++) {
        const struct lang *l = i18n_at(langs, i);
        if (speech_source(sp, l) == SPEECH_SYNTH)
            cpu_row(sp, l, content);
    }
    printf(
        "\nresident memory: %ld KiB before speech_alloc, +%ld KiB after it, +%ld KiB after every "
        "voice spoke\n",
        rss_before, rss_alloc - rss_before, rss_kib() - rss_before);
    speech_free(sp);
    content_free(content);
    i18n_free(langs);
    return 0;
}
