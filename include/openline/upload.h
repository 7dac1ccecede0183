/* Uploads over HTTPS: the one HTTP request the counts thread makes at a time, through libcurl.
 * Built as a plug-in, openline-upload.so, that the counts thread loads when it first needs it:
 * libcurl and its TLS library are never mapped before the kiosk's first frame, and a kiosk
 * without them still counts (the batches wait). Reached only through this table.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef OPENLINE_UPLOAD_H
#define OPENLINE_UPLOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define UPLOAD_API_VERSION 1
#define UPLOAD_API_SYMBOL  "openline_upload_api"
#define UPLOAD_PLUGIN      "openline-upload.so"

struct upload_request {
    const char *url;     /* https://..., or http:// to this machine */
    const char *token;   /* sent as Authorization: Bearer */
    const char *ca_file; /* PEM certificates the server must chain to */
    const char *body;    /* JSON, sent as application/json */
    size_t body_len;
    long connect_timeout_s;   /* to a connected (and TLS-verified) socket */
    long timeout_s;           /* the whole request */
    const atomic_int *cancel; /* non-zero: give up at once (the kiosk is stopping) */
};

struct upload_reply {
    long status;        /* HTTP status; 0 when there was no reply (see error) */
    long retry_after_s; /* Retry-After in seconds, -1 when absent */
    int64_t date_ms;    /* the Date header (ms since 1970), 0 when absent */
    char body[1024];    /* the reply's body, cut at 1023 bytes, NUL-terminated */
    size_t body_len;
    char error[256]; /* status 0: what went wrong (connection refused, timeout, TLS ...) */
};

struct upload_api {
    unsigned version;  /* UPLOAD_API_VERSION */
    const char *build; /* OPENLINE_UPLOAD_ABI: version and a checksum of this header */
    /* One POST. Blocks up to rq->timeout_s. Returns 0 with *rp filled (an HTTP error status is
     * a reply, not a failure); an errno value only when the request could not be set up. One
     * thread at a time. */
    int (*post)(const struct upload_request *rq, struct upload_reply *rp);
};

/* The kiosk side (app/counts/uploader.c): load openline-upload.so once, from the directory of
 * the running program or the installed plug-in directory. NULL with the reason in err when it
 * is missing, does not load or comes from another build. Thread-safe. */
const struct upload_api *upload_api_load(char *err, size_t errlen);

#endif
