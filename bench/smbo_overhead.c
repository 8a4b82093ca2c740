/*
 * Optimiser overhead per iteration: everything SMAC does between two target
 * evaluations (the target is an instant C callback), against the number of
 * observations already in the run history (100, 1,000, 10,000) and the
 * number of parameters (2, 10, 50), under SMAC4HPO and SMAC4AC (and ROAR,
 * whose loop has everything but the model).
 *
 * Method, per cell (facade, p, n):
 *   1. warm-up, not timed: n uniformly random configurations of Rosenbrock
 *      p-D (box [-5, 10]) with their costs are written as an output folder
 *      (runhistory.json, stats.json, traj_aclib2.json with the best one as
 *      incumbent) in a temporary folder, through the run history, stats and
 *      trajectory modules -- what a random phase would have left;
 *   2. timed: a deterministic quality scenario restores that folder
 *      (restore_state, as `smac --restore_state` does; no initial design
 *      then) with runcount_limit n + K and runs to the end. The target
 *      records the monotonic clock and the process CPU clock on entry and
 *      exit; an iteration's overhead is the gap between the end of one
 *      evaluation and the start of the next (the first: from the call of
 *      smac_optimizer_run). Reported: median and mean over the K gaps;
 *   3. the split, measured afterwards on the same optimiser state (n + K
 *      observations): the steps a model-based iteration takes, called one
 *      by one through the engine's internal interfaces as
 *      src/engine/challenger_source.c calls them -- run history to training
 *      rows, forest fit, x_best (prediction of every observed
 *      configuration), acquisition maximisation (10,000 / 5,000 random
 *      samples plus local search) -- R times each, medians of process CPU
 *      time (steadier than wall time on a shared machine);
 *   4. the rest of the loop (intensification, history, trajectory,
 *      sampling one random configuration) is what ROAR costs per
 *      evaluation: the same cell under ROAR, which has no model.
 *   Not every evaluation starts a model-based iteration: a random
 *   interleaved challenger (rand_prob: 0.2 HPO, 0.5 AC) skips the
 *   acquisition maximisation, SMAC4AC takes two challengers per model fit
 *   (min_chall 2) and after an incumbent change the default configuration
 *   may be raced. The median is therefore a typical model-based
 *   evaluation for SMAC4HPO; the mean is the throughput figure.
 *
 *   bench-smbo_overhead           quick: n 100, 1000; p 2, 10, 50; K 20 (~15 s)
 *   bench-smbo_overhead --full    n 100, 1000, 10000; p 2, 10, 50; K 20 (~1.5 min)
 *   options: --n 100,1000  --p 2,10  --facades hpo,ac,roar  --K 20  --reps R
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_functions.h"
#include "bench_reference.h"
#include "engine/optimizer_internal.h"
#include "output/stats.h"
#include "output/trajectory.h"
#include "runhistory/runhistory.h"
#include "smac.h"
#include "util/clock.h"
#include "util/log.h"


#define MAX_LIST 8
#define MAX_K 1000

/* SMAC3's figures from shared/anchors/RESULTS.md (CPU ms per iteration). */
#define ANCHOR_V11_HPO_N100_CPU 350.0 /* v1.1, n = 100, median over functions (2-10 params) */
#define ANCHOR_V23_HPO_N1000_CPU 235.0 /* v2.3, n = 1000, Rosenbrock 10-D */

typedef struct facade_kind {
    const char *key;
    const char *mode;
    int use_model_ratio_here; /* compare with SMAC3 v1.1 measured here (SMAC4HPO runs) */
} facade_kind;

static const facade_kind FACADES[] = {{"hpo", "SMAC4HPO", 1}, {"ac", "SMAC4AC", 0}, {"roar", "ROAR", 0}};
#define N_FACADES 3

typedef struct options {
    int n[MAX_LIST], n_n;
    int p[MAX_LIST], n_p;
    int use_facade[N_FACADES];
    int K;
    int reps; /* repetitions of the split; 0 = automatic */
} options;

/* ------------------------------------------------------------ warm-up */

static const char *const FOLDER_FILES[] = {"runhistory.json", "stats.json", "traj_aclib2.json", "traj_old.csv",
                                           "traj.json"};

/* dir/name into out; -1 if it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static void remove_folder(const char *dir)
{
    char path[4096];
    for (size_t i = 0; i < sizeof FOLDER_FILES / sizeof FOLDER_FILES[0]; i++)
        if (join(path, sizeof path, dir, FOLDER_FILES[i]) == 0)
            unlink(path);
    if (rmdir(dir) != 0)
        fprintf(stderr, "warning: cannot remove %s: %s\n", dir, strerror(errno));
}

/* Writes the output folder of n random evaluations of b into dir. */
static int write_history(const bench_bound *b, int n, uint64_t seed, const char *dir, smac_error *err)
{
    const smac_cs *cs = b->cs;
    int np = smac_cs_n_params(cs);
    smac_runhistory *rh = smac_runhistory_new(cs, NULL);
    double *vec = malloc((size_t)np * sizeof *vec);
    smac_trajectory *traj = NULL;
    int rc = SMAC_ERR_NOMEM;
    if (!rh || !vec) {
        snprintf(err->message, sizeof err->message, "out of memory");
        err->code = rc;
        goto out;
    }
    smac_rng rng;
    smac_rng_seed(&rng, seed, 7);
    int best_id = 0;
    double best = INFINITY, now = smac_clock_wall();
    for (int i = 0; i < n; i++) {
        if ((rc = smac_cs_sample(cs, &rng, vec, err)) != 0)
            goto out;
        int id;
        if ((rc = smac_rh_intern_config(rh, vec, "Random Search", &id)) < 0) {
            snprintf(err->message, sizeof err->message, "cannot intern a configuration");
            err->code = rc;
            goto out;
        }
        double y = bench_bound_eval(b, vec);
        smac_run_value v = {y, 0.0, SMAC_STATUS_SUCCESS, now, now, NULL};
        /* Deterministic scenarios without instances run every configuration once, with seed 0. */
        if ((rc = smac_rh_add(rh, id, NULL, 0, 0.0, &v, SMAC_RH_INTERNAL, 0, err)) < 0)
            goto out;
        if (y < best) {
            best = y;
            best_id = id;
        }
    }
    char path[4096];
    if (join(path, sizeof path, dir, "runhistory.json") != 0) {
        rc = smac_error_set(err, SMAC_ERR_INVALID, "temporary folder name too long");
        goto out;
    }
    if ((rc = smac_rh_save_json(rh, path, err)) != 0)
        goto out;
    smac_stats st = {0};
    st.submitted_ta_runs = st.finished_ta_runs = st.n_configs = n;
    st.inc_changed = 1;
    if (join(path, sizeof path, dir, "stats.json") != 0 || (rc = smac_stats_save(&st, path, err)) != 0)
        goto out;
    traj = smac_trajectory_open(dir, cs, err);
    if (!traj) {
        rc = err->code;
        goto out;
    }
    smac_traj_entry e = {.evaluations = n, .cost = best, .incumbent_id = 1,
                         .config = smac_rh_config(rh, best_id), .origin = "Random Search"};
    rc = smac_trajectory_add(traj, &e, err);
out:
    smac_trajectory_close(traj);
    free(vec);
    smac_runhistory_free(rh);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------ timed target */

typedef struct clock_pair {
    double wall, cpu;
} clock_pair;

static clock_pair now_pair(void) { return (clock_pair){smac_clock_monotonic(), smac_clock_process_cpu()}; }

typedef struct target_log {
    const bench_bound *b;
    int calls;
    clock_pair enter[MAX_K], leave[MAX_K];
} target_log;

/* One worker: calls are serial, the log needs no lock. */
static int target(const smac_cs *cs, const double *config, const char *instance, uint64_t seed, double cutoff,
                  double budget, smac_run_value *out, void *data)
{
    (void)cs, (void)instance, (void)seed, (void)cutoff, (void)budget;
    target_log *t = data;
    clock_pair in = now_pair();
    out->cost = bench_bound_eval(t->b, config);
    out->time = 0.0;
    out->status = SMAC_STATUS_SUCCESS;
    if (t->calls < MAX_K) {
        t->enter[t->calls] = in;
        t->leave[t->calls] = now_pair();
    }
    t->calls++;
    return 0;
}

/* --------------------------------------------------- the split, step by step */

typedef struct split_ctx {
    smac_optimizer *o;
    double *mu, *var;
    int cap;
    int failed;
} split_ctx;

/* The acquisition as challenger_source.c evaluates it: marginal forest
 * prediction, then the acquisition values. */
static void eval_acq(const double *configs, int n, double *values, void *ctx)
{
    split_ctx *c = ctx;
    if (n > c->cap) {
        free(c->mu);
        free(c->var);
        c->mu = malloc((size_t)n * sizeof *c->mu);
        c->var = malloc((size_t)n * sizeof *c->var);
        c->cap = c->mu && c->var ? n : 0;
    }
    if (c->cap < n || smac_rf_model_predict_marginal(c->o->model, configs, n, c->mu, c->var, NULL) != 0) {
        c->failed = 1;
        for (int i = 0; i < n; i++)
            values[i] = -INFINITY;
        return;
    }
    smac_acq_values(&c->o->acq, c->mu, c->var, n, values, NULL);
}

typedef struct split {
    double rows, fit, xbest, acq; /* medians, seconds */
    long ls_evaluated;            /* neighbours evaluated by the last local search */
    int n_rows;
} split;

static int measure_split(smac_optimizer *o, int reps, split *out, smac_error *err)
{
    double rows[64], fit[64], xbest[64], acq[64];
    if (reps > 64)
        reps = 64;
    split_ctx ctx = {o, NULL, NULL, 0, 0};
    smac_acq_list list;
    smac_acq_list_init(&list, smac_cs_n_params(o->cs));
    int rc = 0;
    for (int r = 0; r < reps; r++) {
        /* Process CPU time: steadier than the wall clock on a shared machine. */
        double t0 = smac_clock_process_cpu();
        if ((rc = smac_epm_build(o->rh, &o->epm, NULL, o->model, &o->data, err)) != 0)
            break;
        double t1 = smac_clock_process_cpu();
        if ((rc = smac_rf_model_train(o->model, o->data.X, o->data.instance, o->data.y, o->data.n_rows, err)) != 0)
            break;
        double t2 = smac_clock_process_cpu();
        double eta;
        if ((rc = smac_epm_x_best(&o->data, o->model, &eta, NULL, err)) != 0)
            break;
        smac_acq_update(&o->acq, eta, smac_rf_model_n_columns(o->model), o->data.n_budget_runs);
        double t3 = smac_clock_process_cpu();
        smac_acq_history hist = {o->data.x_configs, o->data.n_configs, o->data.x_mean};
        if ((rc = smac_acq_maximize(o->acq_opt, &hist, o->facade.acq_opt_challengers, eval_acq, &ctx, &list,
                                    err)) != 0)
            break;
        double t4 = smac_clock_process_cpu();
        rows[r] = t1 - t0;
        fit[r] = t2 - t1;
        xbest[r] = t3 - t2;
        acq[r] = t4 - t3;
    }
    if (rc == 0 && ctx.failed)
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "a prediction failed during the acquisition maximisation");
    if (rc == 0) {
        out->rows = bench_percentile(rows, reps, 50);
        out->fit = bench_percentile(fit, reps, 50);
        out->xbest = bench_percentile(xbest, reps, 50);
        out->acq = bench_percentile(acq, reps, 50);
        out->n_rows = o->data.n_rows;
        smac_acq_ls_stats ls;
        smac_acq_last_local_search(o->acq_opt, &ls);
        out->ls_evaluated = ls.evaluated;
    }
    smac_acq_list_free(&list);
    free(ctx.mu);
    free(ctx.var);
    return rc;
}

/* ------------------------------------------------------------ one cell */

typedef struct cell {
    double med_wall, med_cpu, mean_wall, mean_cpu;
    int evals;
    split s;
    double warmup_s, restore_s, split_s;
} cell;

static int set(smac_scenario *sc, const char *name, const char *value, smac_error *err)
{
    int rc = smac_scenario_set(sc, name, value, err);
    if (rc != 0)
        fprintf(stderr, "scenario option %s=%s: %s\n", name, value, err->message);
    return rc;
}

static int run_cell(const facade_kind *f, int p, int n, int K, int reps, cell *c)
{
    smac_error err = {0};
    bench_problem prob = bench_problem_make(BENCH_ROSENBROCK, p);
    smac_cs *cs = NULL;
    bench_bound b;
    if (bench_bind(&prob, &cs, &b, &err) != 0) {
        fprintf(stderr, "rosenbrock %d-D: %s\n", p, err.message);
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/smac-bench-overhead-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "cannot create a temporary folder: %s\n", strerror(errno));
        smac_cs_free(cs);
        return -1;
    }
    int rc = -1;
    smac_scenario *sc = NULL;
    smac_optimizer *o = NULL;
    target_log *log = NULL;
    double t0 = smac_clock_monotonic();
    if (write_history(&b, n, 1000u + (uint64_t)n + (uint64_t)p, dir, &err) != 0) {
        fprintf(stderr, "warm-up history: %s\n", err.message);
        goto out;
    }
    c->warmup_s = smac_clock_monotonic() - t0;

    sc = smac_scenario_new();
    if (!sc)
        goto out;
    smac_cs *owned = cs;
    cs = NULL; /* the scenario owns it now, also on failure */
    if (smac_scenario_set_cs(sc, owned, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        goto out;
    }
    char limit[32];
    snprintf(limit, sizeof limit, "%d", n + K);
    if (set(sc, "run_obj", "quality", &err) || set(sc, "deterministic", "true", &err) ||
        set(sc, "runcount_limit", limit, &err) || set(sc, "output_dir", "", &err) ||
        set(sc, "mode", f->mode, &err) || set(sc, "seed", "1", &err) || set(sc, "restore_state", dir, &err))
        goto out;
    t0 = smac_clock_monotonic();
    o = smac_optimizer_new(sc, &err);
    if (!o) {
        fprintf(stderr, "%s: %s\n", f->mode, err.message);
        goto out;
    }
    c->restore_s = smac_clock_monotonic() - t0;
    log = calloc(1, sizeof *log);
    if (!log)
        goto out;
    log->b = &b;
    smac_optimizer_set_target(o, target, log);
    clock_pair start = now_pair();
    if (smac_optimizer_run(o, &err) != 0) {
        fprintf(stderr, "%s p=%d n=%d: %s\n", f->mode, p, n, err.message);
        goto out;
    }
    int k = log->calls < MAX_K ? log->calls : MAX_K;
    if (k == 0) {
        fprintf(stderr, "%s p=%d n=%d: the target was never called\n", f->mode, p, n);
        goto out;
    }
    double gw[MAX_K], gc[MAX_K], sw = 0, sc_ = 0;
    for (int i = 0; i < k; i++) {
        clock_pair prev = i ? log->leave[i - 1] : start;
        gw[i] = log->enter[i].wall - prev.wall;
        gc[i] = log->enter[i].cpu - prev.cpu;
        sw += gw[i];
        sc_ += gc[i];
    }
    c->evals = log->calls;
    c->mean_wall = sw / k;
    c->mean_cpu = sc_ / k;
    c->med_wall = bench_percentile(gw, k, 50);
    c->med_cpu = bench_percentile(gc, k, 50);

    t0 = smac_clock_monotonic();
    if (o->model && measure_split(o, reps, &c->s, &err) != 0) {
        fprintf(stderr, "%s p=%d n=%d, split: %s\n", f->mode, p, n, err.message);
        goto out;
    }
    c->split_s = smac_clock_monotonic() - t0;
    rc = 0;
out:
    free(log);
    smac_optimizer_free(o);
    smac_scenario_free(sc);
    smac_cs_free(cs);
    remove_folder(dir);
    return rc;
}

/* ------------------------------------------------------------- options */

static int parse_list(char *text, int *out, int *n, int lo, int hi)
{
    *n = 0;
    for (char *s = strtok(text, ","); s; s = strtok(NULL, ",")) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end || v < lo || v > hi || *n >= MAX_LIST) {
            fprintf(stderr, "bad list item '%s' (want %d..%d, at most %d items)\n", s, lo, hi, MAX_LIST);
            return -1;
        }
        out[(*n)++] = (int)v;
    }
    return *n > 0 ? 0 : -1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: bench-smbo_overhead [--full] [--n 100,1000,10000] [--p 2,10,50] [--facades hpo,ac,roar] "
               "[--K 20] [--reps R]\n"
               "  default (quick): n 100,1000; p 2,10,50; SMAC4HPO, SMAC4AC, ROAR; K 20\n"
               "  --full: n 100,1000,10000\n");
}

static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    int full = 0, any_facade = 0;
    o->K = 20;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--full") == 0) {
            full = 1;
        } else if (strcmp(a, "--quick") == 0) {
            full = 0;
        } else if (strcmp(a, "--n") == 0 && has_value) {
            if (parse_list(argv[++i], o->n, &o->n_n, 1, 1000000) != 0)
                return -1;
        } else if (strcmp(a, "--p") == 0 && has_value) {
            if (parse_list(argv[++i], o->p, &o->n_p, 2, BENCH_MAX_DIM) != 0)
                return -1;
        } else if (strcmp(a, "--K") == 0 && has_value) {
            int k[MAX_LIST], nk;
            if (parse_list(argv[++i], k, &nk, 1, MAX_K) != 0)
                return -1;
            o->K = k[0];
        } else if (strcmp(a, "--reps") == 0 && has_value) {
            int r[MAX_LIST], nr;
            if (parse_list(argv[++i], r, &nr, 1, 64) != 0)
                return -1;
            o->reps = r[0];
        } else if (strcmp(a, "--facades") == 0 && has_value) {
            any_facade = 1;
            for (char *s = strtok(argv[++i], ","); s; s = strtok(NULL, ",")) {
                int found = 0;
                for (int j = 0; j < N_FACADES; j++)
                    if (strcmp(s, FACADES[j].key) == 0 || strcmp(s, FACADES[j].mode) == 0)
                        o->use_facade[j] = found = 1;
                if (!found) {
                    fprintf(stderr, "unknown facade '%s' (hpo, ac, roar)\n", s);
                    return -1;
                }
            }
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else {
            usage(stderr);
            return -1;
        }
    }
    if (o->n_n == 0) {
        o->n[o->n_n++] = 100;
        o->n[o->n_n++] = 1000;
        if (full)
            o->n[o->n_n++] = 10000;
    }
    if (o->n_p == 0) {
        o->p[0] = 2, o->p[1] = 10, o->p[2] = 50;
        o->n_p = 3;
    }
    for (int j = 0; j < N_FACADES; j++)
        if (!any_facade)
            o->use_facade[j] = 1;
    return 0;
}

/* ------------------------------------------------------------ output */

static const char *ms(double seconds, char *buf, size_t n)
{
    double v = seconds * 1e3;
    if (v < 0)
        v = 0;
    snprintf(buf, n, v < 0.1 ? "%.3f" : v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f", v);
    return buf;
}

static double anchor_cpu(const facade_kind *f, int p, int n, const char **what)
{
    *what = "";
    if (strcmp(f->mode, "SMAC4HPO") != 0)
        return NAN;
    if (n == 100 && p <= 10) {
        *what = "v1.1 350 CPU";
        return ANCHOR_V11_HPO_N100_CPU;
    }
    if (n == 1000 && p == 10) {
        *what = "v2.3 235 CPU";
        return ANCHOR_V23_HPO_N1000_CPU;
    }
    return NAN;
}

int main(int argc, char **argv)
{
    options opt;
    if (parse_options(argc, argv, &opt) != 0)
        return 2;
    smac_log_set_level(SMAC_LOG_ERROR);
    printf("# bench-smbo_overhead: optimiser time per evaluation (ms), instant C target, Rosenbrock p-D\n"
           "# warm-up: n random evaluations restored with restore_state (not timed); then K = %d evaluations\n"
           "# timed in the real loop (gap between one target call's end and the next one's start):\n"
           "# median and mean, wall and process CPU. Split (median CPU ms of separate calls on the final\n"
           "# state, n + K observations): rows = run history -> training data, fit = random forest,\n"
           "# x_best = predict every observed configuration, acq = acquisition maximisation (random +\n"
           "# local search, LS evals = neighbours it evaluated). ROAR rows: the loop without a model.\n"
           "# Anchors: shared/anchors/RESULTS.md (SMAC3, CPU ms per iteration); ratio = anchor / median CPU.\n\n",
           opt.K);
    printf("| facade | p | n | median wall | median CPU | mean wall | mean CPU | rows | fit | x_best | acq | "
           "LS evals | anchor | anchor / ours |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    fflush(stdout);
    double t_all = smac_clock_monotonic(), warmup = 0, restore = 0, splits = 0;
    enum { MAX_HERE = 8 };
    char here[MAX_HERE][256];
    int n_here = 0;
    int failures = 0;
    for (int fi = 0; fi < N_FACADES; fi++) {
        if (!opt.use_facade[fi])
            continue;
        for (int ni = 0; ni < opt.n_n; ni++)
            for (int pi = 0; pi < opt.n_p; pi++) {
                int n = opt.n[ni], p = opt.p[pi];
                int reps = opt.reps ? opt.reps : (n >= 10000 ? 3 : 5);
                cell c;
                memset(&c, 0, sizeof c);
                if (run_cell(&FACADES[fi], p, n, opt.K, reps, &c) != 0) {
                    failures++;
                    printf("| %s | %d | %d | FAILED |\n", FACADES[fi].mode, p, n);
                    continue;
                }
                const char *what;
                double anchor = anchor_cpu(&FACADES[fi], p, n, &what);
                char b[8][32], split_text[160] = "– | – | – | – | –";
                if (c.s.n_rows > 0)
                    snprintf(split_text, sizeof split_text, "%s | %s | %s | %s | %ld", ms(c.s.rows, b[4], 32),
                             ms(c.s.fit, b[5], 32), ms(c.s.xbest, b[6], 32), ms(c.s.acq, b[7], 32),
                             c.s.ls_evaluated);
                char ratio[32] = "–";
                if (!isnan(anchor) && c.med_cpu > 0)
                    snprintf(ratio, sizeof ratio, "%.0fx", anchor / (c.med_cpu * 1e3));
                printf("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", FACADES[fi].mode, p, n,
                       ms(c.med_wall, b[0], 32), ms(c.med_cpu, b[1], 32), ms(c.mean_wall, b[2], 32),
                       ms(c.mean_cpu, b[3], 32), split_text, *what ? what : "–", ratio);
                if (FACADES[fi].use_model_ratio_here && n == 100 && c.med_cpu > 0 && n_here < MAX_HERE) {
                    int seeds;
                    char fn[32] = "";
                    double v11 = bench_ref_overhead_ms(SMAC_BENCH_REFERENCE_DIR "/smac3_v11_overhead.tsv", p,
                                                       &seeds, fn, sizeof fn);
                    if (!isnan(v11))
                        snprintf(here[n_here++], sizeof here[0],
                                 "# %s p=%d n=100: SMAC3 v1.1 measured here (%s, %d seeds) %.0f ms CPU per "
                                 "model-based iteration; ours %.1f ms: %.0fx less",
                                 FACADES[fi].mode, p, fn, seeds, v11, c.med_cpu * 1e3, v11 / (c.med_cpu * 1e3));
                }
                warmup += c.warmup_s;
                restore += c.restore_s;
                splits += c.split_s;
                if (c.evals != opt.K)
                    printf("#   note: %d evaluations instead of %d\n", c.evals, opt.K);
                fflush(stdout);
            }
    }
    if (n_here > 0) {
        printf("\n# Same-machine baseline (bench/reference/smac3_v11_overhead.tsv: the real SMAC3 v1.1, median\n"
               "# process CPU per model-based iteration around evaluation 100 of a run; ours: median CPU above):\n");
        for (int i = 0; i < n_here; i++)
            printf("%s\n", here[i]);
    }
    printf("\n# total %.1f s (writing the warm-up histories %.1f s, restoring them %.1f s, split %.1f s)%s\n",
           smac_clock_monotonic() - t_all, warmup, restore, splits, failures ? "; some cells FAILED" : "");
    return failures ? 1 : 0;
}
