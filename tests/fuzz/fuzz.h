/* Helpers shared by the libFuzzer targets: a file holding the input, a scratch directory.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_FUZZ_H
#define OPENLINE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "." /* the source tree; the Makefile passes its absolute path */
#endif

/* Sanitizer defaults built into every target (ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS still
 * win). UBSan stops at its first report, except for the known findings in tests/fuzz/ubsan.supp.
 * A target may define FUZZ_LSAN_SUPPRESSIONS and FUZZ_ASAN_OPTIONS before including this. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1:suppressions=" FUZZ_ROOT "/tests/fuzz/ubsan.supp";
}

#ifdef FUZZ_LSAN_SUPPRESSIONS
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return FUZZ_LSAN_SUPPRESSIONS;
}
#endif

#ifdef FUZZ_ASAN_OPTIONS
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return FUZZ_ASAN_OPTIONS;
}
#endif

/* A memfd holding the latest input, opened by the parsers through /proc/self/fd/N: no disk I/O
 * and nothing to clean up. fuzz_memfd_path() gives the path; the parser reads from its start. */
static int fuzz_fd = -1;
static char fuzz_fd_path[64];

static inline const char *fuzz_memfd_path(const uint8_t *data, size_t size)
{
    if (fuzz_fd < 0) {
        fuzz_fd = memfd_create("openline-fuzz", 0);
        if (fuzz_fd < 0)
            abort();
        snprintf(fuzz_fd_path, sizeof(fuzz_fd_path), "/proc/self/fd/%d", fuzz_fd);
    }
    if (ftruncate(fuzz_fd, 0) || lseek(fuzz_fd, 0, SEEK_SET) != 0)
        abort();
    for (size_t off = 0; off < size;) {
        ssize_t n = write(fuzz_fd, data + off, size - off);
        if (n <= 0)
            abort();
        off += (size_t)n;
    }
    return fuzz_fd_path;
}

/* A scratch directory for parsers that read a folder (content, locales), made once per process
 * and removed at exit. */
static char fuzz_dir[64];

static inline void fuzz_dir_remove(void)
{
    char cmd[128];
    if (!fuzz_dir[0])
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", fuzz_dir);
}

static inline const char *fuzz_dir_get(void)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/openline-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_dir_remove);
    }
    return fuzz_dir;
}

/* Write data to name in the scratch directory. */
static inline void fuzz_dir_write(const char *name, const void *data, size_t size)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", fuzz_dir_get(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size))
        abort();
    fclose(f);
}

/* The input as a NUL-terminated string (up to its first NUL byte); the caller frees it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
