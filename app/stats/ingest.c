/* Strict parsing of wire format v1 bodies with jansson: every field checked, nothing unknown. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ingest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "openline/day.h"
#include "openline/util.h"

static int ingest_fail(struct ingest_error *e, int err, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int ingest_fail(struct ingest_error *e, int err, const char *what, const char *fmt, ...)
{
    va_list ap;
    e->what = what;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
    va_end(ap);
    return err;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

/* Whether s is made of 1..max characters from set. */
static bool ingest_span(const char *s, size_t min, size_t max, const char *set)
{
    size_t n = strspn(s, set);
    return s[n] == '\0' && n >= min && n <= max;
}

/* A language code: 2 or 3 lowercase letters, then at most two subtags of 2 to 8 letters or digits
 * after '-' or '_' ("es", "pt-BR", "zh-Hans", "sr_Latn"). */
static bool ingest_lang_ok(const char *s)
{
    size_t n = strspn(s, LOWER);
    if (n < 2 || n > 3)
        return false;
    s += n;
    for (int tags = 0; *s; tags++) {
        if (tags == 2 || (*s != '-' && *s != '_'))
            return false;
        s++;
        n = strspn(s, LOWER UPPER DIGIT);
        if (n < 2 || n > 8)
            return false;
        s += n;
    }
    return true;
}

bool ingest_counter_name_ok(const char *name)
{
    static const char *const fixed[] = {"sessions",       "quick_exit",     "read_aloud",
                                        "call.attempted", "call.connected", "call.failed"};
    for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
        if (!strcmp(name, fixed[i]))
            return true;
    }
    if (!strncmp(name, "lang.", 5))
        return ingest_lang_ok(name + 5);
    if (!strncmp(name, "page.", 5))
        return ingest_span(name + 5, 1, 32, LOWER DIGIT "-");
    return false;
}

/* Refuse any member of obj not named in allowed (NULL-terminated); where names the object. */
static int ingest_only(json_t *obj, const char *const *allowed, const char *where,
                       struct ingest_error *e)
{
    const char *key;
    json_t *val;

    json_object_foreach(obj, key, val)
    {
        size_t i;
        for (i = 0; allowed[i]; i++) {
            if (!strcmp(key, allowed[i]))
                break;
        }
        if (!allowed[i])
            return ingest_fail(e, EINVAL, "unknown field", "unknown field \"%.40s\" in %s", key,
                               where);
    }
    return 0;
}

/* The member key of obj, required, of the given JSON type. */
static int ingest_get(json_t *obj, const char *key, json_type type, const char *tname, json_t **out,
                      struct ingest_error *e)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return ingest_fail(e, EINVAL, "missing field", "missing field \"%s\"", key);
    if (json_typeof(v) != type)
        return ingest_fail(e, EINVAL, "wrong type", "\"%s\" must be %s", key, tname);
    *out = v;
    return 0;
}

static int ingest_load(const char *body, size_t len, json_t **rootp, struct ingest_error *e)
{
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);

    if (!root)
        return ingest_fail(e, EINVAL, "malformed JSON",
                           "malformed JSON: %.100s (line %d, column %d)", jerr.text, jerr.line,
                           jerr.column);
    if (!json_is_object(root)) {
        json_decref(root);
        return ingest_fail(e, EINVAL, "wrong type", "the body must be a JSON object");
    }
    *rootp = root;
    return 0;
}

static int ingest_schema(json_t *root, struct ingest_error *e)
{
    json_t *v = NULL;
    int err = ingest_get(root, "schema", JSON_INTEGER, "an integer", &v, e);
    if (err)
        return err;
    if (json_integer_value(v) != 1)
        return ingest_fail(e, EINVAL, "unsupported schema", "unsupported schema %lld (expected 1)",
                           (long long)json_integer_value(v));
    return 0;
}

static int ingest_counter_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ingest_counter *)a)->name,
                  ((const struct ingest_counter *)b)->name);
}

static int ingest_counts(json_t *counts, struct ingest_batch *b, struct ingest_error *e)
{
    const char *key;
    json_t *val;
    size_t n = json_object_size(counts);

    if (n == 0)
        return ingest_fail(e, EINVAL, "no counters", "\"counts\" is empty");
    if (n > INGEST_COUNTERS_MAX)
        return ingest_fail(e, EINVAL, "too many counters", "more than %d counters",
                           INGEST_COUNTERS_MAX);
    b->counters = calloc(n, sizeof(*b->counters));
    if (!b->counters)
        return ENOMEM;

    json_object_foreach(counts, key, val)
    {
        if (strlen(key) > INGEST_NAME_MAX || !ingest_counter_name_ok(key))
            return ingest_fail(e, EINVAL, "unknown counter", "unknown counter \"%.40s\"", key);
        if (!json_is_integer(val))
            return ingest_fail(e, EINVAL, "wrong type", "counter \"%s\" must be an integer", key);
        json_int_t v = json_integer_value(val);
        if (v < INGEST_VALUE_MIN || v > INGEST_VALUE_MAX)
            return ingest_fail(e, EINVAL, "value out of range",
                               "counter \"%s\" is %lld, outside %d..%d", key, (long long)v,
                               INGEST_VALUE_MIN, INGEST_VALUE_MAX);
        struct ingest_counter *c = &b->counters[b->n++];
        memcpy(c->name, key, strlen(key) + 1);
        c->value = (int32_t)v;
    }
    qsort(b->counters, b->n, sizeof(*b->counters), ingest_counter_cmp);

    b->counts = json_incref(counts);
    b->counts_json = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS);
    return b->counts_json ? 0 : ENOMEM;
}

static int ingest_bucket(json_t *bucket, int32_t today, struct ingest_batch *b,
                         struct ingest_error *e)
{
    static const char *const allowed[] = {"start", "days", NULL};
    json_t *start, *days;
    int err;

    if ((err = ingest_only(bucket, allowed, "bucket", e)) ||
        (err = ingest_get(bucket, "start", JSON_STRING, "a string", &start, e)) ||
        (err = ingest_get(bucket, "days", JSON_INTEGER, "an integer", &days, e)))
        return err;
    if (day_parse(json_string_value(start), json_string_length(start), &b->start))
        return ingest_fail(e, EINVAL, "bad date",
                           "\"start\" must be a date YYYY-MM-DD between 2000 and 2999");
    json_int_t d = json_integer_value(days);
    if (d != 1 && d != 7)
        return ingest_fail(e, EINVAL, "value out of range", "\"days\" must be 1 or 7");
    b->days = (int)d;
    if (b->days == 7 && day_weekday(b->start) != 0)
        return ingest_fail(e, EINVAL, "week not on a Monday",
                           "a 7-day bucket must start on a Monday");
    b->week = day_monday(b->start);
    if (b->start + b->days > today)
        return ingest_fail(e, EAGAIN, "bucket not ended", "the bucket has not ended yet");
    return 0;
}

static int ingest_noise(json_t *noise, struct ingest_batch *b, struct ingest_error *e)
{
    static const char *const allowed[] = {"mech", "epsilon", NULL};
    json_t *mech, *eps;
    int err;

    if ((err = ingest_only(noise, allowed, "noise", e)) ||
        (err = ingest_get(noise, "mech", JSON_STRING, "a string", &mech, e)))
        return err;
    eps = json_object_get(noise, "epsilon");
    if (!strcmp(json_string_value(mech), "none")) {
        if (eps)
            return ingest_fail(e, EINVAL, "unexpected epsilon",
                               "\"epsilon\" must be absent when \"mech\" is \"none\"");
        b->mech = INGEST_MECH_NONE;
        b->epsilon = 0;
        return 0;
    }
    if (strcmp(json_string_value(mech), "geometric"))
        return ingest_fail(e, EINVAL, "unknown mechanism",
                           "\"mech\" must be \"geometric\" or \"none\"");
    if (!eps)
        return ingest_fail(e, EINVAL, "missing field", "missing field \"epsilon\"");
    if (!json_is_number(eps))
        return ingest_fail(e, EINVAL, "wrong type", "\"epsilon\" must be a number");
    double v = json_number_value(eps);
    if (!isfinite(v) || v <= 0 || v > INGEST_EPSILON_MAX)
        return ingest_fail(e, EINVAL, "value out of range", "\"epsilon\" must be in (0, %g]",
                           INGEST_EPSILON_MAX);
    b->mech = INGEST_MECH_GEOMETRIC;
    b->epsilon = v;
    return 0;
}

int ingest_batch_parse(const char *body, size_t len, int32_t today, struct ingest_batch **bp,
                       struct ingest_error *e)
{
    static const char *const allowed[] = {"schema", "batch", "bucket", "noise", "counts", NULL};
    json_t *root = NULL, *id, *bucket, *noise, *counts;
    struct ingest_batch *b = NULL;
    int err;

    e->what = "out of memory";
    e->detail[0] = '\0';
    if ((err = ingest_load(body, len, &root, e)) ||
        (err = ingest_only(root, allowed, "batch", e)) || (err = ingest_schema(root, e)) ||
        (err = ingest_get(root, "batch", JSON_STRING, "a string", &id, e)) ||
        (err = ingest_get(root, "bucket", JSON_OBJECT, "an object", &bucket, e)) ||
        (err = ingest_get(root, "noise", JSON_OBJECT, "an object", &noise, e)) ||
        (err = ingest_get(root, "counts", JSON_OBJECT, "an object", &counts, e)))
        goto out;

    if (json_string_length(id) != 32 ||
        !ingest_span(json_string_value(id), 32, 32, DIGIT "abcdef")) {
        err = ingest_fail(e, EINVAL, "bad batch id", "\"batch\" must be 32 lowercase hex digits");
        goto out;
    }
    b = calloc(1, sizeof(*b));
    if (!b) {
        err = ENOMEM;
        goto out;
    }
    memcpy(b->id, json_string_value(id), 33);
    if ((err = ingest_bucket(bucket, today, b, e)) || (err = ingest_noise(noise, b, e)) ||
        (err = ingest_counts(counts, b, e)))
        goto out;
    *bp = b;
    b = NULL;
out:
    ingest_batch_free(b);
    json_decref(root);
    return err;
}

void ingest_batch_free(struct ingest_batch *b)
{
    if (!b)
        return;
    free(b->counters);
    json_decref(b->counts);
    free(b->counts_json);
    free(b);
}

int ingest_heartbeat_parse(const char *body, size_t len, int32_t today, struct ingest_heartbeat *hb,
                           struct ingest_error *e)
{
    static const char *const allowed[] = {"schema", "day",       "version", "spool_depth",
                                          "clock",  "self_test", NULL};
    json_t *root = NULL, *day, *version, *spool, *clock, *self;
    int err;

    e->what = "out of memory";
    e->detail[0] = '\0';
    memset(hb, 0, sizeof(*hb));
    if ((err = ingest_load(body, len, &root, e)) ||
        (err = ingest_only(root, allowed, "heartbeat", e)) || (err = ingest_schema(root, e)) ||
        (err = ingest_get(root, "day", JSON_STRING, "a string", &day, e)) ||
        (err = ingest_get(root, "version", JSON_STRING, "a string", &version, e)) ||
        (err = ingest_get(root, "spool_depth", JSON_INTEGER, "an integer", &spool, e)) ||
        (err = ingest_get(root, "clock", JSON_STRING, "a string", &clock, e)) ||
        (err = ingest_get(root, "self_test", JSON_STRING, "a string", &self, e)))
        goto out;

    if (day_parse(json_string_value(day), json_string_length(day), &hb->day)) {
        err = ingest_fail(e, EINVAL, "bad date",
                          "\"day\" must be a date YYYY-MM-DD between 2000 and 2999");
        goto out;
    }
    if (hb->day > today + 1) {
        err = ingest_fail(e, EAGAIN, "day in the future", "\"day\" is after tomorrow");
        goto out;
    }
    const char *v = json_string_value(version);
    if (json_string_length(version) != strlen(v) ||
        !ingest_span(v, 1, INGEST_VERSION_MAX, LOWER UPPER DIGIT ".+~_-")) {
        err =
            ingest_fail(e, EINVAL, "bad version",
                        "\"version\" must be 1 to %d of A-Z a-z 0-9 . + ~ _ -", INGEST_VERSION_MAX);
        goto out;
    }
    memcpy(hb->version, v, strlen(v) + 1);

    json_int_t depth = json_integer_value(spool);
    if (depth < 0 || depth > 1000000) {
        err = ingest_fail(e, EINVAL, "value out of range", "\"spool_depth\" must be in 0..1000000");
        goto out;
    }
    hb->spool_depth = depth;

    if (!strcmp(json_string_value(clock), "trusted")) {
        hb->clock = INGEST_CLOCK_TRUSTED;
    } else if (!strcmp(json_string_value(clock), "untrusted")) {
        hb->clock = INGEST_CLOCK_UNTRUSTED;
    } else {
        err = ingest_fail(e, EINVAL, "bad clock", "\"clock\" must be \"trusted\" or \"untrusted\"");
        goto out;
    }

    const char *s = json_string_value(self);
    if (json_string_length(self) != strlen(s) ||
        (strcmp(s, "pass") &&
         (strncmp(s, "fail:", 5) || !ingest_span(s + 5, 1, INGEST_CHECK_MAX, LOWER DIGIT "_.-")))) {
        err = ingest_fail(e, EINVAL, "bad self_test",
                          "\"self_test\" must be \"pass\" or \"fail:<check>\" (a-z 0-9 _ . -)");
        goto out;
    }
    memcpy(hb->self_test, s, strlen(s) + 1);
out:
    json_decref(root);
    return err;
}
