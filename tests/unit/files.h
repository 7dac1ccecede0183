/* Shared by the unit tests that write the files a loader reads into a temporary folder.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_TEST_FILES_H
#define OPENLINE_TEST_FILES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* Placeholder values for expanding translations in tests: every placeholder has one. */
#define TEST_CONTENT_VARS                                                                          \
    {                                                                                              \
        .organisation = "Example Helpline", .hotline = "+1 555 0100", .sms = "+1 555 0101",        \
        .web = "help.example.org", .emergency = "112", .hours = "Mo–Fr 08:00–20:00",               \
        .interpreters = "English, French"                                                          \
    }

/* Write text into the file name in the folder dir (the test fails if it cannot). */
static inline void write_in(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
