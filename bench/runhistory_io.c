/*
 * Benchmark of runhistory.json input/output: generated run histories of
 * 10,000 runs (10,000 distinct configurations, one run each) and 100,000
 * runs (10,000 configurations x 10 instances) over a 10-parameter mixed
 * space. For each: writing the text, saving it (atomic write), loading it
 * into an empty history (a restore), and reading it again as a pSMAC peer
 * whose runs are all known already (what every pSMAC process does before
 * every iteration). Prints wall and CPU milliseconds (best of a few
 * repetitions), peak memory, and the ratio to SMAC3 v1.1's load of 10,000
 * runs measured on this kind of machine (3.4-3.6 s wall, 1.1 s CPU; one
 * pSMAC read of a known 10,000-run file 4.2-4.4 s wall, 1.4 s CPU; one write
 * 0.7 s wall, 0.23 s CPU: shared/anchors/RESULTS.md).
 *
 * Usage: bench-runhistory_io [repetitions]   (default 5)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cs/cs_internal.h"
#include "runhistory/runhistory.h"
#include "util/clock.h"
#include "util/fsutil.h"

static smac_cs *bench_space(void)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    smac_cs *cs = NULL;
    const char *c3[] = {"gauss", "newton", "cg"};
    const char *c5[] = {"a", "b", "c", "d", "e"};
    const char *o4[] = {"low", "mid", "high", "max"};
    if (!b || smac_cs_builder_add_real(b, "alpha", 0, 1, 0, 0, 0, 0, &err) ||
        smac_cs_builder_add_real(b, "beta", -5, 10, 0, 0, 0, 0, &err) ||
        smac_cs_builder_add_real(b, "gamma", 1e-5, 1, 0, 0, 1, 0, &err) ||
        smac_cs_builder_add_real(b, "delta", 0, 100, 0, 0, 0, 0, &err) ||
        smac_cs_builder_add_integer(b, "depth", 1, 20, 0, 0, 0, 0, &err) ||
        smac_cs_builder_add_integer(b, "width", 1, 1024, 0, 0, 1, 0, &err) ||
        smac_cs_builder_add_integer(b, "restarts", 0, 10, 0, 0, 0, 0, &err) ||
        smac_cs_builder_add_categorical(b, "method", 3, c3, NULL, NULL, NULL, &err) ||
        smac_cs_builder_add_categorical(b, "variant", 5, c5, NULL, NULL, NULL, &err) ||
        smac_cs_builder_add_ordinal(b, "effort", 4, o4, NULL, NULL, &err) ||
        smac_cs_builder_finish(b, SMAC_CS_PCS, &cs, &err)) {
        fprintf(stderr, "space: %s\n", err.message);
        cs = NULL;
    }
    smac_cs_builder_free(b);
    return cs;
}

/* n_configs sampled configurations, each run on n_inst instances. */
static smac_runhistory *generate(const smac_cs *cs, int n_configs, int n_inst)
{
    smac_rh_options o;
    smac_rh_options_init(&o);
    o.run_obj_runtime = 1;
    o.cutoff = 5;
    smac_runhistory *rh = smac_runhistory_new(cs, &o);
    smac_rng rng;
    smac_rng_seed(&rng, 42, 0);
    double vec[16];
    double t = 1795991837.7546027;
    for (int c = 0; c < n_configs; c++) {
        int id;
        do {
            if (smac_cs_sample(cs, &rng, vec, NULL) != 0)
                return NULL;
        } while (smac_rh_intern_config(rh, vec, c == 0 ? "Default" : "Random Search (sorted)", &id) != 1);
        for (int i = 0; i < n_inst; i++) {
            char inst[64];
            snprintf(inst, sizeof inst, "instances/train-%02d.txt", (c + i) % 20 + 1);
            double u = smac_rng_uniform(&rng);
            smac_run_value v = {u * 4.0, u * 4.0, SMAC_STATUS_SUCCESS, t, t + u * 4.0, NULL};
            if (u > 0.9) { /* some capped runs, as adaptive capping leaves them */
                v.status = SMAC_STATUS_CAPPED;
                v.cost = 10.0;
                v.time = 1.0;
            }
            t += 0.0123456789;
            if (smac_rh_add(rh, id, inst, 0, 0.0, &v, SMAC_RH_INTERNAL, 0, NULL) != 1)
                return NULL;
        }
    }
    return rh;
}

typedef struct timing {
    double wall, cpu;
} timing;

static void keep_best(timing *best, double w0, double c0)
{
    double w = (smac_clock_monotonic() - w0) * 1e3, c = (smac_clock_process_cpu() - c0) * 1e3;
    if (best->wall == 0 || w < best->wall)
        best->wall = w;
    if (best->cpu == 0 || c < best->cpu)
        best->cpu = c;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int run_case(const smac_cs *cs, int n_configs, int n_inst, int reps, const char *dir)
{
    smac_error err;
    double g0 = smac_clock_monotonic();
    smac_runhistory *rh = generate(cs, n_configs, n_inst);
    if (!rh) {
        fprintf(stderr, "generating the run history failed\n");
        return 1;
    }
    size_t n_runs = smac_rh_size(rh);
    printf("\n%zu runs, %d configurations (generated in %.0f ms)\n", n_runs, smac_rh_n_configs(rh),
           (smac_clock_monotonic() - g0) * 1e3);

    char path[4096];
    snprintf(path, sizeof path, "%s/runhistory.json", dir);
    timing t_text = {0, 0}, t_save = {0, 0}, t_load = {0, 0}, t_peer = {0, 0};
    char *text = NULL;
    for (int r = 0; r < reps; r++) {
        free(text);
        double w0 = smac_clock_monotonic(), c0 = smac_clock_process_cpu();
        text = smac_rh_to_json(rh, &err);
        keep_best(&t_text, w0, c0);
        if (!text)
            return 1;
        w0 = smac_clock_monotonic();
        c0 = smac_clock_process_cpu();
        if (smac_rh_save_json(rh, path, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        keep_best(&t_save, w0, c0);
    }
    size_t len = strlen(text);
    smac_runhistory *back = NULL;
    for (int r = 0; r < reps; r++) {
        smac_runhistory_free(back);
        back = smac_runhistory_new(cs, NULL);
        double w0 = smac_clock_monotonic(), c0 = smac_clock_process_cpu();
        int n_new;
        if (smac_rh_load_json(back, path, SMAC_RH_INTERNAL, &n_new, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        keep_best(&t_load, w0, c0);
        w0 = smac_clock_monotonic();
        c0 = smac_clock_process_cpu();
        if (smac_rh_load_json(back, path, SMAC_RH_EXTERNAL_SAME, &n_new, &err) != 0 || n_new != 0) {
            fprintf(stderr, "peer read: %s\n", err.message);
            return 1;
        }
        keep_best(&t_peer, w0, c0);
    }
    char *again = smac_rh_to_json(back, &err);
    int same = again && strcmp(again, text) == 0;
    printf("  file: %.1f MB; written back byte-identical after a load: %s\n", (double)len / 1e6, same ? "yes" : "NO");
    printf("  %-34s %9s %9s\n", "best of repetitions", "wall ms", "CPU ms");
    printf("  %-34s %9.1f %9.1f\n", "to_json (text in memory)", t_text.wall, t_text.cpu);
    printf("  %-34s %9.1f %9.1f\n", "save_json (atomic write, fsync)", t_save.wall, t_save.cpu);
    printf("  %-34s %9.1f %9.1f\n", "load_json into an empty history", t_load.wall, t_load.cpu);
    printf("  %-34s %9.1f %9.1f\n", "load_json again as a pSMAC peer", t_peer.wall, t_peer.cpu);
    if (n_runs == 10000) {
        printf("  vs SMAC3 v1.1 load of 10,000 runs (3.5 s wall, 1.1 s CPU): %.0fx wall, %.0fx CPU faster\n",
               3500.0 / t_load.wall, 1100.0 / t_load.cpu);
        printf("  vs SMAC3 v1.1 pSMAC read of a known file (4.3 s wall, 1.4 s CPU): %.0fx wall, %.0fx CPU faster\n",
               4300.0 / t_peer.wall, 1400.0 / t_peer.cpu);
        printf("  vs SMAC3 v1.1 write (0.7 s wall, 0.23 s CPU): %.0fx wall, %.0fx CPU faster\n",
               700.0 / t_save.wall, 230.0 / t_save.cpu);
    }
    printf("  peak RSS so far: %.1f MB\n", (double)peak_rss_kb() / 1024.0);
    free(again);
    free(text);
    smac_runhistory_free(back);
    smac_runhistory_free(rh);
    unlink(path);
    return same ? 0 : 1;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1)
        reps = 1;
    smac_cs *cs = bench_space();
    if (!cs)
        return 1;
    char dir[] = "/tmp/smac-bench-rh-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    printf("runhistory.json I/O, 10-parameter mixed space, %d repetitions\n", reps);
    int rc = run_case(cs, 10000, 1, reps, dir) || run_case(cs, 10000, 10, reps, dir);
    rmdir(dir);
    smac_cs_free(cs);
    return rc;
}
