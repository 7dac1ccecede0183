/* The kiosk's plug-ins (openline-call.so, openline-upload.so): shared objects loaded after the
 * first frame, so that their libraries cost neither start-up time nor first-frame memory.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_PLUGIN_H
#define OPENLINE_PLUGIN_H

#include <stddef.h>

/* Load file (such as "openline-call.so") from the directory of the running program (a build
 * tree), else the installed plug-in directory, with every library it needs resolved now, and
 * return the address of symbol in it. NULL with the reason in err (naming what, such as "the
 * call plug-in") when it is missing, does not load or lacks the symbol. The library is never
 * unloaded: threads run its code until the program exits. Thread-safe. */
void *plugin_load(const char *file, const char *symbol, const char *what, char *err, size_t errlen);

#endif
