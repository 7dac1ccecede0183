/* INI files read with inih, with the line number of every key for error messages.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_INIFILE_H
#define OPENLINE_INIFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The longest line an INI file may hold, in bytes without its line end: above the longest value
 * a key accepts (a path, PATH_MAX - 1 bytes) with its name and a comment. A longer line is
 * refused with its line number; no line is ever cut or read in pieces. */
#define INIFILE_LINE_MAX 8192

/* The file being read, as the key handler sees it. */
struct inifile {
    const char *path;
    unsigned line;         /* line of the key being handled (1-based) */
    unsigned section_line; /* line of the [section] header the key is under; 0 before any */
    char *err;             /* the first error, "PATH:LINE: ..." */
    size_t errlen;
    unsigned err_line; /* the line err names (0: none) */
    bool failed;
};

/* Called for each key; return 1 to go on, 0 to stop (after inifile_fail()). */
typedef int(inifile_h)(struct inifile *f, const char *section, const char *name, const char *value,
                       void *arg);

/* Parse path, calling h for every key. Returns 0; an errno value when the file cannot be read
 * ("PATH: cannot read WHAT: reason" in err); EINVAL when a line is not INI ("PATH:LINE: not a
 * 'key = value' line or [section] header; HINT"), is longer than INIFILE_LINE_MAX or holds a NUL
 * byte, or the handler failed (its message in err). Of several errors, the one on the earliest
 * line is reported; reading stops at a refused line or a failed key. One file at a time:
 * libinih's line length is a process-wide setting (the kiosk reads its INI files at start-up). */
int inifile_parse(const char *path, const char *what, const char *hint, inifile_h *h, void *arg,
                  char *err, size_t errlen);

/* Record an error at the current line (the first one wins): "PATH:LINE: " and the message. */
void inifile_fail(struct inifile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same about the section the current key is under: at its [section] header's line (the
 * key's own line above any header). */
void inifile_fail_section(struct inifile *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The same at another line (0: none, "PATH: "), for checks after the whole file was read. */
void inifile_fail_at(struct inifile *f, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
