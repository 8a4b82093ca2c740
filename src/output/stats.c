/* stats.json (see stats.h). Written atomically: restore reads it back. */
#include "output/stats.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define EMA_ALPHA 0.2

char *smac_stats_to_json(const smac_stats *s)
{
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_printf(&sb, "{\"submitted_ta_runs\": %ld, \"finished_ta_runs\": %ld, \"n_configs\": %ld, "
                            "\"wallclock_time_used\": ",
                       s->submitted_ta_runs, s->finished_ta_runs, s->n_configs);
    smac_strbuf_double(&sb, s->wallclock_time_used, 1);
    smac_strbuf_puts(&sb, ", \"ta_time_used\": ");
    smac_strbuf_double(&sb, s->ta_time_used, 1);
    smac_strbuf_printf(&sb, ", \"inc_changed\": %ld, \"_n_configs_per_intensify\": %ld, "
                            "\"_n_calls_of_intensify\": %ld, \"_ema_n_configs_per_intensifiy\": ",
                       s->inc_changed, s->n_configs_per_intensify, s->n_calls_of_intensify);
    smac_strbuf_double(&sb, s->ema_n_configs_per_intensify, 1);
    smac_strbuf_puts(&sb, ", \"_EMA_ALPHA\": ");
    smac_strbuf_double(&sb, EMA_ALPHA, 1);
    smac_strbuf_putc(&sb, '}');
    return smac_strbuf_take(&sb);
}

int smac_stats_save(const smac_stats *s, const char *path, smac_error *err)
{
    char *text = smac_stats_to_json(s);
    if (!text)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    int rc = smac_atomic_write(path, text, strlen(text), err);
    free(text);
    return rc;
}

int smac_stats_load(smac_stats *s, const char *path, smac_error *err)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        return smac_error_set_at(err, SMAC_ERR_PARSE, path, jerr.line, jerr.column, "%s", jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return smac_error_set_at(err, SMAC_ERR_PARSE, path, 1, 1, "expected a JSON object");
    }
    memset(s, 0, sizeof *s);
    const char *key;
    json_t *v;
    int rc = 0;
    json_object_foreach(root, key, v) {
        if (!json_is_number(v)) {
            rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, 0, 0, "\"%s\" must be a number", key);
            break;
        }
        double x = json_number_value(v);
        if (!strcmp(key, "submitted_ta_runs")) s->submitted_ta_runs = (long)x;
        else if (!strcmp(key, "finished_ta_runs")) s->finished_ta_runs = (long)x;
        else if (!strcmp(key, "n_configs")) s->n_configs = (long)x;
        else if (!strcmp(key, "wallclock_time_used")) s->wallclock_time_used = x;
        else if (!strcmp(key, "ta_time_used")) s->ta_time_used = x;
        else if (!strcmp(key, "inc_changed")) s->inc_changed = (long)x;
        else if (!strcmp(key, "_n_configs_per_intensify")) s->n_configs_per_intensify = (long)x;
        else if (!strcmp(key, "_n_calls_of_intensify")) s->n_calls_of_intensify = (long)x;
        else if (!strcmp(key, "_ema_n_configs_per_intensifiy")) s->ema_n_configs_per_intensify = x;
        else if (!strcmp(key, "_EMA_ALPHA")) continue;
        else {
            rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, 0, 0, "Stats does not recognize %s", key);
            break;
        }
    }
    json_decref(root);
    return rc;
}
