/*
 * Fuzz target for scenario input. Bytes starting with "--" are a command
 * line, one argument per line; anything else is a scenario file. Either way
 * the scenario is then resolved (validation and derived values, which touch
 * no files), written as scenario.txt and queried for every option.
 *
 * Loading the files a scenario names is left out on purpose: the fuzzer
 * would otherwise open arbitrary paths of the machine. For the same reason
 * --scenario arguments are dropped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scenario_internal.h"
#include "util/log.h"

static void exercise(smac_scenario *sc)
{
    smac_error err;
    if (scen_resolve(sc, &err) == 0) {
        char *txt = smac_scenario_write_txt(sc, NULL);
        /* what we write must read back */
        if (txt) {
            smac_scenario *again = smac_scenario_new();
            if (again) {
                smac_scenario_read_text(again, txt, strlen(txt), "scenario.txt", &err);
                smac_scenario_free(again);
            }
        }
        free(txt);
    }
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    for (size_t i = 0; i < n; i++) {
        const char *v = smac_scenario_get(sc, opts[i].name);
        if (v)
            (void)strlen(v);
    }
}

/* Splits data into lines and drops any --scenario argument (and its value). */
static void run_args(smac_scenario *sc, const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char **argv = malloc((size + 2) * sizeof *argv);
    if (!text || !argv)
        goto out;
    memcpy(text, data, size);
    text[size] = '\0';
    int argc = 0;
    argv[argc++] = "smac";
    for (char *p = text; p;) {
        char *nl = memchr(p, '\n', strlen(p));
        if (nl)
            *nl = '\0';
        argv[argc++] = p;
        p = nl ? nl + 1 : NULL;
    }
    int kept = 1;
    for (int i = 1; i < argc; i++) {
        char name[128];
        const char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, argv[i], len);
        name[len] = '\0';
        const smac_option *o = name[0] == '-' && name[1] == '-' ? smac_scenario_option_find(name) : NULL;
        if (o && strcmp(o->name, "scenario") == 0) {
            if (!eq)
                i++;
            continue;
        }
        argv[kept++] = argv[i];
    }
    smac_error err;
    smac_scenario_parse_args(sc, kept, argv, &err);
out:
    free(text);
    free(argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smac_log_set_level(SMAC_LOG_OFF);
    smac_scenario *sc = smac_scenario_new();
    if (!sc)
        return 0;
    smac_error err;
    if (size >= 2 && data[0] == '-' && data[1] == '-')
        run_args(sc, data, size);
    else
        smac_scenario_read_text(sc, (const char *)data, size, "scenario.txt", &err);
    exercise(sc);
    smac_scenario_free(sc);
    return 0;
}
