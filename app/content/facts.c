/* Which promises about the hotline a visitor is shown: the facts the configuration states.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "openline/config.h"
#include "openline/content.h"

bool content_language_served(const struct config *cfg, const char *lang)
{
    const __typeof__(cfg->organisation) *o = &cfg->organisation;
    if (!strcmp(lang, cfg->hotline.language) || o->interpreters == CONFIG_INTERPRETERS_ALL)
        return true;
    for (unsigned i = 0; o->interpreters == CONFIG_INTERPRETERS_LIST && i < o->n_interpreter_langs;
         i++) {
        if (!strcmp(o->interpreter_langs[i], lang))
            return true;
    }
    /* a per-language hotline answers in its language */
    for (unsigned i = 0; i < cfg->hotline.n_lang_uris; i++) {
        if (!strcmp(cfg->hotline.lang_uris[i].lang, lang))
            return true;
    }
    return false;
}

unsigned content_facts(const struct config *cfg, const char *lang)
{
    const __typeof__(cfg->organisation) *o = &cfg->organisation;
    bool police = o->independent_of_police == CONFIG_FACT_YES;
    bool immigration = o->independent_of_immigration == CONFIG_FACT_YES;
    unsigned f = 0;
    if (police && immigration)
        f |= CONTENT_FACT_INDEPENDENT;
    else if (police)
        f |= CONTENT_FACT_NOT_POLICE;
    else if (immigration)
        f |= CONTENT_FACT_NOT_IMMIGRATION;
    /* "you can ask for an interpreter" only where one is there for this visitor's language */
    if (o->interpreters == CONFIG_INTERPRETERS_ALL ||
        (o->interpreters == CONFIG_INTERPRETERS_LIST && content_language_served(cfg, lang) &&
         strcmp(lang, cfg->hotline.language)))
        f |= CONTENT_FACT_INTERPRETER;
    if (o->mandatory_reporting == CONFIG_REPORT_NONE)
        f |= CONTENT_FACT_VISITOR_DECIDES;
    if (o->mandatory_reporting & CONFIG_REPORT_CHILDREN)
        f |= CONTENT_FACT_REPORTS_CHILDREN;
    if (o->mandatory_reporting & CONFIG_REPORT_DANGER)
        f |= CONTENT_FACT_REPORTS_DANGER;
    if (o->hours.set && o->hours.always)
        f |= CONTENT_FACT_ALWAYS_OPEN;
    return f;
}

bool content_names_languages(const struct config *cfg, const char *lang)
{
    enum config_interpreters i = cfg->organisation.interpreters;
    return (i == CONFIG_INTERPRETERS_NONE || i == CONFIG_INTERPRETERS_LIST) &&
           !content_language_served(cfg, lang);
}
