/*
 * `smac`: the command line, compatible with SMAC3 v1.1's
 *     smac --scenario scenario.txt --seed 1 [--mode SMAC4HPO] [--verbose DEBUG] ...
 * A thin main over libsmac: options, signals, exit status.
 *
 * Under `mpirun -n K smac ...` (a build with MPI) rank 0 is the optimiser,
 * with n_workers = K-1 and its command-line runs sent to ranks 1..K-1, which
 * serve them (src/run/mpi_pool.h, docs/parallel.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "psmac/group.h"
#include "run/mpi_pool.h"
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

/* An MPI worker was lost: stop and save, so --restore_state can continue. */
static void stop_on_lost(void *opt) { smac_optimizer_stop(opt); }

/* Rank 0's way out once MPI is up: the workers are told to stop first, or
 * mpirun would wait for them forever. */
static int leave(smac_mpi_pool *pool, int status)
{
    if (pool) {
        if (smac_mpi_pool_free(pool) != 0) {
            fprintf(stderr, "smac: not every MPI worker stopped; aborting the MPI job (everything is saved)\n");
            smac_mpi_abort(status ? status : 1);
        }
    }
    smac_mpi_finalize();
    return status;
}

int main(int argc, char **argv)
{
    smac_error err;
    int rank = 0, size = 1;
    smac_mpi_pool *pool = NULL;
    if (smac_mpi_launched()) {
        if (!smac_mpi_built()) {
            fprintf(stderr, "smac: started by mpirun, but this smac was built without MPI\n");
            return 1;
        }
        if (smac_mpi_init(&argc, &argv, &rank, &size, &err) != 0) {
            fprintf(stderr, "smac: %s\n", err.message);
            return 1;
        }
        if (rank > 0) {
            int rc = smac_mpi_worker_main(&err);
            if (rc != 0)
                fprintf(stderr, "smac (MPI worker %d): %s\n", rank, err.message);
            smac_mpi_finalize();
            return rc == 0 ? 0 : 1;
        }
        const char *t = getenv("SMAC_MPI_TIMEOUT");
        if (!(pool = smac_mpi_pool_new(t ? atof(t) : 0, &err))) {
            fprintf(stderr, "smac: %s\n", err.message);
            smac_mpi_abort(1);
            return 1;
        }
    }
    smac_scenario *sc = smac_scenario_new();
    if (!sc) {
        fprintf(stderr, "smac: out of memory\n");
        return leave(pool, 1);
    }
    if (smac_scenario_parse_args(sc, argc, argv, &err) != 0) {
        fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return leave(pool, err.code == SMAC_ERR_PARSE ? 2 : 1);
    }
    if (sc->help) {
        smac_scenario_print_help(stdout, "smac", sc->help > 1);
        smac_scenario_free(sc);
        return leave(pool, 0);
    }
    smac_log_set_level(sc->verbose == SMAC_LOG_DEBUG ? SMAC_LOG_DEBUG : SMAC_LOG_INFO);
    if (sc->mode == SMAC_MODE_PSMAC) {
        /* A group of sharing runs, each a `smac --mode SMAC4AC` process of its own. */
        if (pool) {
            fprintf(stderr, "smac: --mode PSMAC starts its own processes; under mpirun run one smac per "
                            "pSMAC member instead (docs/parallel.md)\n");
            smac_scenario_free(sc);
            return leave(pool, 1);
        }
        int rc = smac_psmac_group_run(sc, NULL, argc, argv, &err);
        if (rc != 0)
            fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return rc == 0 ? 0 : 1;
    }
    if (pool) {
        char n[32];
        snprintf(n, sizeof n, "%d", smac_mpi_pool_workers(pool));
        if (smac_scenario_set(sc, "n_workers", n, &err) != 0) {
            fprintf(stderr, "smac: %s\n", err.message);
            smac_scenario_free(sc);
            return leave(pool, 1);
        }
    }
    smac_optimizer *opt = smac_optimizer_new(sc, &err);
    if (!opt) {
        fprintf(stderr, "smac: %s\n", err.message);
        smac_scenario_free(sc);
        return leave(pool, 1);
    }
    if (pool) {
        smac_engine_use_mpi_pool(opt, pool);
        smac_mpi_pool_on_lost(pool, stop_on_lost, opt);
        SMAC_INFO("smac.tae.mpi_runner.MPIRunner", "MPI: %d worker processes run the target algorithm.",
                  smac_mpi_pool_workers(pool));
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
    if (pool)
        SMAC_INFO("smac.tae.mpi_runner.MPIRunner", "MPI: %d of %d workers were used.",
                  smac_mpi_pool_workers_used(pool), smac_mpi_pool_workers(pool));
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
    return leave(pool, rc == 0 ? 0 : 1);
}
