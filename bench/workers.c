/*
 * Parallel speed-up of one optimiser with n_workers target runs in flight:
 * a fixed number of runs of a C callback that sleeps for its cost, through
 * the public API (smac_optimizer_set_target, n_workers as a scenario option,
 * output_dir "" so no files are written), with 1, 2, 4, 8 and 16 workers and
 * two facades: SMAC4HPO (Sobol design, log-scaled model, 10000 random
 * acquisition samples per challenger) and SMAC4AC (the command line's
 * default, a cheaper acquisition). Both race with the classic intensifier;
 * the simple intensifier has no facade in v1.1 and so is not measured. Other
 * facades with --mode (ROAR, ...).
 *
 *   bench-workers [--full] [--runs N] [--sleep SECONDS] [--max-workers N] [--mode FACADE]...
 *
 * Quick (default, < 1 minute): 64 runs of ~0.1 s. Full: 160 runs of ~1 s,
 * the setting (target: speed-up >= 0.8 x N up to 16 workers,
 * optimiser share < 5 % at 16 workers).
 *
 * Printed per row: wall time, evaluations per second, speed-up of the
 * throughput against 1 worker and its efficiency (speed-up / N), the
 * workers' busy share (target time / (N x wall)), and the optimiser's share
 * of wall time: the CPU time of the optimiser's thread (targets sleep on
 * their own threads and use none), i.e. the time it was not waiting for
 * targets.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smac.h"
#include "util/clock.h"
#include "util/log.h"

typedef struct target_state {
    double base;             /* seconds a run sleeps at least */
    _Atomic long long slept_us;
    atomic_int calls;
} target_state;

/* Sleeps base x (1 + 0.25 x the distance of (x, y) from (0.3, 0.7)),
 * i.e. base to ~1.25 base, and reports that time as the cost: the
 * optimiser seeks the short runs, but the mean run length changes little,
 * so runs with different worker counts stay comparable. */
static int sleepy(const smac_cs *cs, const double *config, const char *instance, uint64_t seed, double cutoff,
                  double budget, smac_run_value *out, void *data)
{
    (void)cs;
    (void)instance;
    (void)seed;
    (void)cutoff;
    (void)budget;
    target_state *t = data;
    double dx = config[0] - 0.3, dy = config[1] - 0.7;
    double s = t->base * (1.0 + 0.25 * sqrt((dx * dx + dy * dy) / 0.58));
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0)
        ;
    atomic_fetch_add(&t->slept_us, (long long)(s * 1e6));
    atomic_fetch_add(&t->calls, 1);
    out->cost = s;
    out->time = s;
    return 0;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct result {
    double wall, cpu, target_time;
    int calls;
} result;

static int run_once(const char *mode, int workers, int runs, double base, result *r)
{
    static const char pcs[] = "x [0, 1] [0.5]\ny [0, 1] [0.5]\n";
    smac_error err;
    smac_cs *cs = NULL;
    smac_scenario *sc = smac_scenario_new();
    smac_optimizer *opt = NULL;
    int rc = 1;
    char text[32];
    target_state t = {.base = base};
    if (!sc || smac_cs_read_text(pcs, sizeof pcs - 1, "bench.pcs", SMAC_CS_PCS, &cs, &err) != 0)
        goto out;
    int bad = smac_scenario_set_cs(sc, cs, &err);
    snprintf(text, sizeof text, "%d", workers);
    bad = bad || smac_scenario_set(sc, "n_workers", text, &err);
    snprintf(text, sizeof text, "%d", runs);
    bad = bad || smac_scenario_set(sc, "runcount_limit", text, &err);
    bad = bad || smac_scenario_set(sc, "run_obj", "quality", &err) ||
          smac_scenario_set(sc, "deterministic", "true", &err) || smac_scenario_set(sc, "output_dir", "", &err) ||
          smac_scenario_set(sc, "mode", mode, &err) || smac_scenario_set(sc, "seed", "1", &err);
    if (bad || !(opt = smac_optimizer_new(sc, &err)))
        goto out;
    smac_optimizer_set_target(opt, sleepy, &t);
    double c0 = thread_cpu(), t0 = smac_clock_monotonic();
    if (smac_optimizer_run(opt, &err) != 0)
        goto out;
    r->wall = smac_clock_monotonic() - t0;
    r->cpu = thread_cpu() - c0;
    r->target_time = (double)atomic_load(&t.slept_us) * 1e-6;
    r->calls = atomic_load(&t.calls);
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "bench-workers: %s\n", err.message);
    smac_optimizer_free(opt);
    smac_scenario_free(sc);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = 64, max_workers = 16;
    double base = 0.1;
    const char *modes[8] = {"SMAC4HPO", "SMAC4AC"};
    size_t n_modes = 2, given_modes = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--full") == 0) {
            runs = 160;
            base = 1.0;
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--sleep") == 0 && i + 1 < argc) {
            base = atof(argv[++i]);
        } else if (strcmp(argv[i], "--max-workers") == 0 && i + 1 < argc) {
            max_workers = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc && given_modes < 8) {
            modes[given_modes++] = argv[++i];
            n_modes = given_modes;
        } else {
            fprintf(stderr, "usage: %s [--full] [--runs N] [--sleep SECONDS] [--max-workers N] [--mode FACADE]...\n",
                    argv[0]);
            return 2;
        }
    }
    if (runs < 1 || base <= 0 || max_workers < 1) {
        fprintf(stderr, "bench-workers: runs, sleep and max-workers must be positive\n");
        return 2;
    }
    smac_log_set_level(SMAC_LOG_ERROR);
    printf("%d runs of a callback sleeping %.2f-%.2f s (its cost)\n", runs, base, 1.25 * base);
    int failures = 0;
    for (size_t m = 0; m < n_modes; m++) {
        printf("\n%s\n%8s %9s %9s %9s %11s %10s %15s\n", modes[m], "workers", "wall s", "evals/s", "speed-up",
               "efficiency", "busy", "optimiser share");
        double base_rate = 0;
        for (int n = 1; n <= max_workers; n *= 2) {
            result r;
            if (run_once(modes[m], n, runs, base, &r) != 0) {
                failures++;
                continue;
            }
            if (r.calls != runs) {
                fprintf(stderr, "bench-workers: %d target calls, expected %d\n", r.calls, runs);
                failures++;
            }
            double rate = r.calls / r.wall;
            if (n == 1)
                base_rate = rate;
            double speedup = base_rate > 0 ? rate / base_rate : NAN;
            printf("%8d %9.2f %9.2f %9.2f %10.0f%% %9.0f%% %14.1f%%\n", n, r.wall, rate, speedup,
                   100 * speedup / n, 100 * r.target_time / (n * r.wall), 100 * r.cpu / r.wall);
            fflush(stdout);
        }
    }
    return failures ? 1 : 0;
}
