/* INI files read with inih, with the line number of every key for error messages.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_INIFILE_H
#define OPENLINE_INIFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The file being read, as the key handler sees it. */
struct inifile {
    const char *path;
    unsigned line; /* line of the key being handled (1-based) */
    char *err;     /* the first error, "PATH:LINE: ..." */
    size_t errlen;
    bool failed;
};

/* Called for each key; return 1 to go on, 0 to stop (after inifile_fail()). */
typedef int(inifile_h)(struct inifile *f, const char *section, const char *name, const char *value,
                       void *arg);

/* Parse path, calling h for every key. Returns 0; an errno value when the file cannot be read
 * ("PATH: cannot read WHAT: reason" in err); EINVAL when a line is not INI ("PATH:LINE: not a
 * 'key = value' line or [section] header; HINT") or the handler failed (its message in err). */
int inifile_parse(const char *path, const char *what, const char *hint, inifile_h *h, void *arg,
                  char *err, size_t errlen);

/* Record an error at the current line (the first one wins): "PATH:LINE: " and the message. */
void inifile_fail(struct inifile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same at another line (0: none, "PATH: "), for checks after the whole file was read. */
void inifile_fail_at(struct inifile *f, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
