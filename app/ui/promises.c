/* The promises about the hotline in the visitor's language: which facts the configuration
 * states (content_facts), its opening hours and the languages its counsellors speak, named and
 * formatted by ICU for the visitor's locale; and whether the hotline answers now.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "openline/clock.h"
#include "openline/config.h"
#include "openline/content.h"
#include "openline/hours.h"
#include "openline/util.h"
#include "ui_int.h"

#define ITEM_LEN  128 /* UTF-16 units of one formatted item */
#define MAX_ITEMS (HOURS_MAX_RULES > CONFIG_MAX_LANGS + 1 ? HOURS_MAX_RULES : CONFIG_MAX_LANGS + 1)

/* 2024-01-01 was a Monday: its midnight UTC, in ICU's milliseconds. */
#define A_MONDAY_MS 1704067200000.0

/* Join n items with the locale's "and" (ICU list format) into out as UTF-8. */
static void join(const char *loc, UChar items[][ITEM_LEN], int n, char *out, size_t len)
{
    const UChar *ptrs[MAX_ITEMS];
    int32_t lens[MAX_ITEMS];
    UChar buf[2048];
    UErrorCode st = U_ZERO_ERROR;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        ptrs[i] = items[i];
        lens[i] = -1;
    }
    UListFormatter *lf = ulistfmt_open(loc, &st);
    int32_t m = U_SUCCESS(st) ? ulistfmt_format(lf, ptrs, lens, n, buf, 2048, &st) : 0;
    ulistfmt_close(lf);
    if (U_SUCCESS(st) && m > 0) {
        st = U_ZERO_ERROR;
        u_strToUTF8(out, (int32_t)len, NULL, buf, m, &st);
        if (U_FAILURE(st))
            out[0] = '\0';
    }
}

/* A formatter of pattern (or of the locale's best pattern for skeleton) in UTC. */
static UDateFormat *formatter(const char *loc, const char *skeleton)
{
    UChar sk[16], pat[64];
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(sk, skeleton);
    UDateTimePatternGenerator *g = udatpg_open(loc, &st);
    int32_t n = U_SUCCESS(st) ? udatpg_getBestPattern(g, sk, -1, pat, 64, &st) : 0;
    udatpg_close(g);
    if (U_FAILURE(st) || n <= 0)
        return NULL;
    st = U_ZERO_ERROR;
    UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, n, &st);
    return U_SUCCESS(st) ? f : NULL;
}

/* Append what f makes of ms to out (cap units), then sep. */
static int32_t add(UDateFormat *f, double ms, UChar *out, int32_t at, int32_t cap, const UChar *sep)
{
    UErrorCode st = U_ZERO_ERROR;
    if (at >= cap)
        return at;
    int32_t n = udat_format(f, ms, out + at, cap - at, NULL, &st);
    at = U_SUCCESS(st) ? SDL_min(at + n, cap - 1) : at;
    for (; sep && *sep && at < cap - 1; sep++)
        out[at++] = *sep;
    out[at] = 0;
    return at;
}

/* One rule: "Monday–Friday 08:00–20:00" in loc. */
static void format_rule(UDateFormat *day, UDateFormat *time, const struct hours_rule *r, UChar *out)
{
    int32_t at = 0;
    bool range = r->day_from != r->day_to;
    at = add(day, A_MONDAY_MS + r->day_from * 86400000.0, out, at, ITEM_LEN, range ? u"–" : u" ");
    if (range)
        at = add(day, A_MONDAY_MS + r->day_to * 86400000.0, out, at, ITEM_LEN, u" ");
    at = add(time, r->from * 60000.0, out, at, ITEM_LEN, u"–");
    add(time, (r->to % 1440) * 60000.0, out, at, ITEM_LEN, NULL);
}

void ui_promise_hours(const struct config *cfg, const struct lang *lang, char *out, size_t len)
{
    const struct hours *h = &cfg->organisation.hours;
    static UChar items[HOURS_MAX_RULES][ITEM_LEN];
    out[0] = '\0';
    if (!h->set || h->always || !h->n)
        return; /* not stated, or always: no times to show */
    UDateFormat *day = formatter(lang->icu_locale, "cccc"),
                *time = formatter(lang->icu_locale, "jmm");
    if (day && time) {
        for (unsigned i = 0; i < h->n; i++)
            format_rule(day, time, &h->rules[i], items[i]);
        join(lang->icu_locale, items, (int)h->n, out, len);
    }
    if (day)
        udat_close(day);
    if (time)
        udat_close(time);
}

/* The name of language code (a code of the languages table, or any ICU knows) in loc. */
static void language_name(const struct i18n *i18n, const char *code, const char *loc, UChar *out)
{
    const struct lang *l = i18n ? i18n_find(i18n, code) : NULL;
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayName(l ? l->icu_locale : code, loc, out, ITEM_LEN, &st);
    if (U_FAILURE(st) || n <= 0)
        u_uastrncpy(out, code, ITEM_LEN);
}

void ui_promise_languages(const struct config *cfg, const struct i18n *i18n,
                          const struct lang *lang, char *out, size_t len)
{
    static UChar items[CONFIG_MAX_LANGS + 1][ITEM_LEN];
    const __typeof__(cfg->organisation) *o = &cfg->organisation;
    int n = 0;
    out[0] = '\0';
    if (!content_names_languages(cfg, lang->code))
        return;
    language_name(i18n, cfg->hotline.language, lang->icu_locale, items[n++]);
    for (unsigned i = 0; i < o->n_interpreter_langs; i++)
        language_name(i18n, o->interpreter_langs[i], lang->icu_locale, items[n++]);
    join(lang->icu_locale, items, n, out, len);
}

void ui_promises_update(struct ui *ui)
{
    const struct lang *l = ui_lang(ui);
    if (ui->promises_lang == l)
        return;
    ui->promises_lang = l;
    ui_promise_hours(ui->cfg, l, ui->hours_text, sizeof(ui->hours_text));
    ui_promise_languages(ui->cfg, ui->i18n, l, ui->languages_text, sizeof(ui->languages_text));
    ui->vars.hours = ui->hours_text;
    ui->vars.interpreters = ui->languages_text[0] ? ui->languages_text : NULL;
    ui->vars.facts = content_facts(ui->cfg, l->code);
}

bool ui_hotline_open(const struct ui *ui)
{
    if (ui->hours_posed)
        return ui->hours_posed == UI_HOURS_POSED_OPEN;
    return hours_open_at(&ui->cfg->organisation.hours, clock_wall_ms() / 1000);
}

const char *ui_call_label(const struct ui *ui)
{
    /* one label for the call on home and every page, so the action reads the same everywhere */
    static const char open_msgid[] = N_("Talk to someone: free, no name needed");
    static const char closed_msgid[] = N_("The hotline is closed now. Other ways to get help");
    return ui_hotline_open(ui) ? open_msgid : closed_msgid;
}
