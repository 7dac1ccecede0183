/* openline-upload.so: one HTTP POST with libcurl (include/openline/upload.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "openline/upload.h"
#include "openline/util.h"

__attribute__((visibility("default"))) extern const struct upload_api openline_upload_api;

static pthread_once_t upload_once = PTHREAD_ONCE_INIT;
static CURLcode upload_init_rc;

static void upload_init(void)
{
    /* Not thread-safe in libcurl 7.88 before any other call: once, from the first thread. */
    upload_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t upload_body(char *data, size_t size, size_t nmemb, void *arg)
{
    struct upload_reply *rp = arg;
    size_t n = size * nmemb, room = sizeof(rp->body) - 1 - rp->body_len;
    memcpy(rp->body + rp->body_len, data, n < room ? n : room);
    rp->body_len += n < room ? n : room;
    rp->body[rp->body_len] = '\0';
    return n;
}

static size_t upload_header(char *data, size_t size, size_t nmemb, void *arg)
{
    struct upload_reply *rp = arg;
    size_t n = size * nmemb;
    if (n > 5 && n < 128 && !strncasecmp(data, "date:", 5)) {
        char value[128];
        memcpy(value, data + 5, n - 5);
        value[n - 5] = '\0';
        time_t t = curl_getdate(value, NULL);
        if (t > 0)
            rp->date_ms = (int64_t)t * 1000;
    }
    return n;
}

static int upload_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const atomic_int *cancel = arg;
    (void)dt, (void)dn, (void)ut, (void)un;
    return cancel && *cancel;
}

static int upload_post(const struct upload_request *rq, struct upload_reply *rp)
{
    char auth[160];
    struct curl_slist *h = NULL, *nh;
    CURLcode rc;
    int err = 0;

    memset(rp, 0, sizeof(*rp));
    rp->retry_after_s = -1;
    pthread_once(&upload_once, upload_init);
    if (upload_init_rc) {
        snprintf(rp->error, sizeof(rp->error), "libcurl: %s", curl_easy_strerror(upload_init_rc));
        return EIO;
    }
    CURL *c = curl_easy_init();
    if (!c)
        return ENOMEM;
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", rq->token);
    /* curl_slist_append copies it; this copy is wiped at out: */
    /* Exactly the headers wire v1 names: no Accept, no User-Agent (curl sends none unless
     * asked), no Expect: 100-continue. */
    static const char *const fixed[] = {"Content-Type: application/json", "Accept:", "Expect:"};
    if (!(h = curl_slist_append(NULL, auth)))
        err = ENOMEM;
    for (size_t i = 0; !err && i < ARRAY_SIZE(fixed); i++) {
        if (!(nh = curl_slist_append(h, fixed[i])))
            err = ENOMEM;
        else
            h = nh;
    }
    if (err)
        goto out;
    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    curl_easy_setopt(c, CURLOPT_CAINFO, rq->ca_file);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, rq->connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, rq->timeout_s);
    /* A few requests a day: a fresh connection each time, nothing kept open between them. */
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, upload_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, rp);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, upload_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, rp);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, upload_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)rq->cancel);
    char why[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_off_t ra = -1;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rp->status);
        if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
            rp->retry_after_s = (long)ra;
    } else {
        rp->status = 0;
        snprintf(rp->error, sizeof(rp->error), "%s", why[0] ? why : curl_easy_strerror(rc));
    }
out:
    explicit_bzero(auth, sizeof(auth));
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return err;
}

const struct upload_api openline_upload_api = {
    .version = UPLOAD_API_VERSION,
    .build = OPENLINE_UPLOAD_ABI,
    .post = upload_post,
};
