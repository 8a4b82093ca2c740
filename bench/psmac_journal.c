/*
 * bench-psmac_journal: the cost of one pSMAC read when the peers are runs of
 * this project, which publish through runhistory.journal (src/psmac/journal.h):
 * P peers of 10,000 runs each, then reads when nothing is new and when one
 * peer appended 1 or 100 runs. The read should cost what is new, not what the
 * peers ran in all. SMAC3 v1.1 re-reads and re-parses every peer's whole file
 * on every read (anchor: 4.2-4.4 s per 10,000-run file, shared/anchors).
 *
 *     bench-psmac_journal [PEERS]        (default 64)
 *
 * Temp files go to $TMPDIR (default /tmp) and are removed at the end.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "psmac/psmac.h"
#include "runhistory/runhistory.h"
#include "util/fsutil.h"
#include "util/log.h"

static const char SPACE[] = "a [0, 1] [0.5]\nb [0.001, 100] [1] l\nc [-5, 5] [0]\nd [0, 10] [5]\n"
                            "n [1, 64] [8] il\nkind {x, y, z} [x]\n";

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void add_runs(smac_runhistory *rh, const smac_cs *cs, smac_rng *rng, int n, int64_t seed0)
{
    double vec[8];
    for (int i = 0; i < n; i++) {
        int id;
        if (smac_cs_sample(cs, rng, vec, NULL) != 0 || smac_rh_intern_config(rh, vec, "Random Search", &id) < 0) {
            fprintf(stderr, "bench-psmac_journal: cannot generate runs\n");
            exit(1);
        }
        smac_run_value v = {smac_rng_uniform(rng), 0.1, SMAC_STATUS_SUCCESS, 1.8e9, 1.8e9 + 0.1, NULL};
        smac_rh_add(rh, id, NULL, seed0 + i, 0.0, &v, SMAC_RH_INTERNAL, 0, NULL);
    }
}

int main(int argc, char **argv)
{
    int peers = argc > 1 ? atoi(argv[1]) : 64, runs = 10000;
    if (peers < 1 || peers > 1024) {
        fprintf(stderr, "usage: bench-psmac_journal [PEERS (1..1024)]\n");
        return 2;
    }
    smac_log_set_level(SMAC_LOG_ERROR);
    smac_cs *cs = NULL;
    smac_error err;
    if (smac_cs_read_text(SPACE, strlen(SPACE), "bench.pcs", SMAC_CS_PCS, &cs, &err) != 0)
        return 1;
    const char *tmp = getenv("TMPDIR");
    char base[1024];
    snprintf(base, sizeof base, "%s/bench-journal-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base))
        return 1;
    smac_rng rng;
    smac_rng_seed(&rng, 1, 0);
    printf("generating %d peers of %d runs (journal + runhistory.json) ...\n", peers, runs);
    fflush(stdout);
    smac_runhistory *first = NULL;
    smac_psmac *first_writer = NULL;
    char first_dir[1200];
    for (int p = 0; p < peers; p++) {
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/smac3-output_%d/run_%d", base, p, p + 1);
        smac_mkdirs(dir, NULL);
        smac_runhistory *rh = smac_runhistory_new(cs, NULL);
        smac_psmac *w = smac_psmac_new(NULL, dir, NULL);
        add_runs(rh, cs, &rng, runs, 0);
        if (smac_psmac_publish(w, rh, dir, &err) != 0) {
            fprintf(stderr, "bench-psmac_journal: %s\n", err.message);
            return 1;
        }
        if (p == 0) { /* the peer that goes on appending */
            first = rh;
            first_writer = w;
            snprintf(first_dir, sizeof first_dir, "%s", dir);
        } else {
            smac_runhistory_free(rh);
            smac_psmac_free(w);
        }
    }
    char own[1200], pattern[1200];
    snprintf(own, sizeof own, "%s/mine/run_9999", base);
    smac_mkdirs(own, NULL);
    snprintf(pattern, sizeof pattern, "%s/smac3-output*", base);
    smac_psmac *reader = smac_psmac_new(pattern, own, NULL);
    smac_runhistory *mine = smac_runhistory_new(cs, NULL);
    int n_new = 0;
    double t0 = now();
    smac_psmac_read(reader, mine, &n_new, NULL);
    printf("first read: %.0f ms for %d runs\n", 1e3 * (now() - t0), n_new);
    const int reps = 50;
    t0 = now();
    for (int k = 0; k < reps; k++)
        smac_psmac_read(reader, mine, &n_new, NULL);
    double unchanged = 1e3 * (now() - t0) / reps;
    printf("unchanged read: %.3f ms (SMAC3 v1.1, est.: %.0f s)\n", unchanged, 4.3 * peers);
    int64_t seed = runs;
    for (int add = 1; add <= 100; add *= 100) {
        double total = 0;
        for (int r = 0; r < 5; r++) {
            add_runs(first, cs, &rng, add, seed);
            seed += add;
            smac_psmac_publish(first_writer, first, first_dir, NULL);
            t0 = now();
            smac_psmac_read(reader, mine, &n_new, NULL);
            total += now() - t0;
            if (n_new != add)
                fprintf(stderr, "warning: expected %d new runs, read %d\n", add, n_new);
        }
        printf("read with %d new run%s in one peer: %.3f ms\n", add, add > 1 ? "s" : "", 1e3 * total / 5);
    }
    smac_runhistory_free(mine);
    smac_psmac_free(reader);
    smac_runhistory_free(first);
    smac_psmac_free(first_writer);
    smac_cs_free(cs);
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : 1;
}
