/*
 * `smac`: the command line, compatible with SMAC3 v1.1's
 *     smac --scenario scenario.txt --seed 1 [--mode SMAC4HPO] [--verbose DEBUG] ...
 * A thin main over libsmac: options, signals, exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psmac/group.h"
#include "scenario/scenario.h"
#include "smac.h"
#include "util/log.h"

static smac_optimizer *running;

/* SIGINT/SIGTERM: stop cleanly; every finished run is saved. A second
 * signal falls back to the default action. */
static void on_signal(int sig)
{
    if (running)
        smac_optimizer_stop(running);
    signal(sig, SIG_DFL);
}

int main(int argc, char **argv)
{
    smac_error err;
    smac_scenario *sc = smac_scenario_new();
    if (!sc) {
        fprintf(stderr, "smac: out of memory\n");
        return 1;
    }
    if (smac_scenario_parse_args(sc, argc, argv, &err) != 0) {
        fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return err.code == SMAC_ERR_PARSE ? 2 : 1;
    }
    if (sc->help) {
        smac_scenario_print_help(stdout, "smac", sc->help > 1);
        smac_scenario_free(sc);
        return 0;
    }
    smac_log_set_level(sc->verbose == SMAC_LOG_DEBUG ? SMAC_LOG_DEBUG : SMAC_LOG_INFO);
    if (sc->mode == SMAC_MODE_PSMAC) {
        /* A group of sharing runs, each a `smac --mode SMAC4AC` process of its own. */
        int rc = smac_psmac_group_run(sc, NULL, argc, argv, &err);
        if (rc != 0)
            fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return rc == 0 ? 0 : 1;
    }
    smac_optimizer *opt = smac_optimizer_new(sc, &err);
    if (!opt) {
        fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return 1;
    }
    running = opt;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = smac_optimizer_run(opt, &err);
    running = NULL;
    if (rc != 0)
        fprintf(stderr, "smac: %s\n", err.message);
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
    return rc == 0 ? 0 : 1;
}
