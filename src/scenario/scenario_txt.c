/*
 * scenario.txt in the run folder (formats.md §6.2), as SMAC3 v1.1 writes it.
 *
 * SMAC3 writes each scenario option under the LAST flag spelling argparse
 * knows for it -- `ta`, `cutoff`, `algo_runs_timelimit`, `ta_run_limit`,
 * `train_inst_fn`, `pcs_fn`, `save_instantly` -- in the order the options
 * were declared, skipping options whose value is None, with Python's str()
 * of the value (`True`, `5.0`, `inf`, `['a', 'b']`). The fixtures under
 * shared/fixtures/ are the reference. Every name written is also accepted by
 * our scenario reader, so the file can be read back.
 */
#include "scenario/scenario_internal.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void put_double(smac_strbuf *sb, const char *name, double v)
{
    smac_strbuf_printf(sb, "%s = ", name);
    smac_strbuf_double(sb, v, 0);
    smac_strbuf_putc(sb, '\n');
}

static void put_bool(smac_strbuf *sb, const char *name, bool v)
{
    smac_strbuf_printf(sb, "%s = %s\n", name, v ? "True" : "False");
}

static void put_text(smac_strbuf *sb, const char *name, const char *v)
{
    if (v)
        smac_strbuf_printf(sb, "%s = %s\n", name, v);
}

/* Python's repr() of a str: single quotes unless the text holds a single
 * quote and no double quote; backslash escapes for the rest. */
static void put_py_repr(smac_strbuf *sb, const char *s)
{
    char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
    smac_strbuf_putc(sb, q);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == (unsigned char)q)
            smac_strbuf_printf(sb, "\\%c", *p);
        else if (*p == '\n')
            smac_strbuf_puts(sb, "\\n");
        else if (*p == '\r')
            smac_strbuf_puts(sb, "\\r");
        else if (*p == '\t')
            smac_strbuf_puts(sb, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            smac_strbuf_printf(sb, "\\x%02x", *p);
        else
            smac_strbuf_putc(sb, (char)*p);
    }
    smac_strbuf_putc(sb, q);
}

/* The output folder's copy of a file if there is one, else the file itself. */
static const char *pick(const char *copy, const char *own) { return copy ? copy : own; }

char *smac_scenario_write_txt(const smac_scenario *sc, const smac_scenario_copies *copies)
{
    if (!sc)
        return NULL;
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    if (sc->algo.n > 0) {
        smac_strbuf_puts(&sb, "ta = ");
        for (size_t i = 0; i < sc->algo.n; i++) {
            if (i)
                smac_strbuf_putc(&sb, ' ');
            smac_strbuf_puts(&sb, sc->algo.items[i]);
        }
        smac_strbuf_putc(&sb, '\n');
    }
    put_text(&sb, "execdir", sc->execdir);
    put_bool(&sb, "deterministic", sc->deterministic);
    if (sc->run_obj == SMAC_RUN_OBJ_RUNTIME || sc->run_obj == SMAC_RUN_OBJ_QUALITY)
        put_text(&sb, "run_obj", sc->run_obj == SMAC_RUN_OBJ_RUNTIME ? "runtime" : "quality");
    put_text(&sb, "overall_obj", sc->overall_obj);
    smac_strbuf_printf(&sb, "par_factor = %lld\n", (long long)sc->par_factor);
    put_double(&sb, "cost_for_crash", sc->cost_for_crash);
    if (isfinite(sc->cutoff))
        put_double(&sb, "cutoff", sc->cutoff);
    if (smac_scenario_is_set(sc, "memory_limit"))
        put_double(&sb, "memory_limit", sc->memory_limit);
    put_double(&sb, "algo_runs_timelimit", sc->tuner_timeout);
    put_double(&sb, "wallclock_limit", sc->wallclock_limit);
    put_bool(&sb, "always_race_default", sc->always_race_default);
    put_double(&sb, "ta_run_limit", sc->runcount_limit);
    if (sc->instance_file)
        put_text(&sb, "train_inst_fn", pick(copies ? copies->instance_file : NULL, sc->instance_file));
    if (sc->test_instance_file)
        put_text(&sb, "test_inst_fn",
                 pick(copies ? copies->test_instance_file : NULL, sc->test_instance_file));
    if (sc->feature_file)
        put_text(&sb, "feature_fn", pick(copies ? copies->feature_file : NULL, sc->feature_file));
    if (sc->has_features) {
        smac_strbuf_puts(&sb, "feature_names = [");
        for (size_t i = 0; i < sc->features.n_features; i++) {
            if (i)
                smac_strbuf_puts(&sb, ", ");
            put_py_repr(&sb, sc->features.names[i]);
        }
        smac_strbuf_puts(&sb, "]\n");
    }
    if (sc->initial_incumbent >= 0) {
        static const char *const designs[] = {"DEFAULT", "RANDOM", "LHD", "SOBOL", "FACTORIAL"};
        if (sc->initial_incumbent < (int)(sizeof designs / sizeof designs[0]))
            put_text(&sb, "initial_incumbent", designs[sc->initial_incumbent]);
    }
    put_text(&sb, "pcs_fn", pick(copies ? copies->paramfile : NULL, sc->paramfile));
    put_bool(&sb, "save_instantly", sc->save_results_instantly);
    return smac_strbuf_take(&sb);
}
