/* Small helpers used across modules (bounded copies, trimming, number parsing, deadlines).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_UTIL_H
#define OPENLINE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#ifndef ARRAY_SIZE /* libre's re_types.h has the same */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Copy src into dst (size bytes, always NUL-terminated). Returns 0, or ENAMETOOLONG when src
 * did not fit (dst then holds the truncated prefix). */
int util_strlcpy(char *dst, const char *src, size_t size);

/* qsort comparison of two `const char *` by strcmp. */
int util_strcmp_ptr(const void *a, const void *b);

/* Parse a whole decimal integer in [min, max]. Returns 0, EINVAL (not a number) or ERANGE. */
int util_parse_long(const char *s, long min, long max, long *out);

/* Remove leading and trailing ASCII white space in place; returns s. */
char *util_trim(char *s);

/* A copy of text without its **bold** markers (malloc'd, NULL when out of memory): what is read
 * aloud, and what a layout drawn with text_style's markup counts its offsets in. */
char *util_unmark_bold(const char *text);

/* Room for need elements of size bytes in the array v of *cap: v itself when it has it, else v
 * reallocated to twice its capacity (first when empty) or more, *cap updated. Returns NULL when
 * out of memory (v and *cap are then unchanged, and v still the caller's to free). */
void *util_grow(void *v, size_t *cap, size_t need, size_t size, size_t first);

/* Read a whole file into a NUL-terminated buffer (malloc; the caller frees it).
 * Returns 0 or an errno value. */
int util_read_file(const char *path, char **data, size_t *len);

struct timespec;
/* *ts = now on clock plus ms: an absolute deadline for pthread_cond_timedwait (CLOCK_REALTIME
 * unless the condition variable was set to another clock) or clock_nanosleep. */
void util_deadline(struct timespec *ts, int clock, unsigned long ms);

#endif
