/*
 * Optimisation quality: the final regret (best value found minus the known
 * optimum) after N evaluations on the reference functions of
 * shared/anchors/RESULTS.md, over several seeds, printed as median
 * [q25, q75] (n = seeds) in RESULTS.md's table layout with the anchor rows
 * (SMAC3 v1.1 / 2.3, Optuna TPE, random search) beside ours.
 *
 * Each run is a deterministic quality scenario without instances (run_obj
 * quality, deterministic true, runcount_limit N, no output folder) driven
 * through the public C API with an in-process target, under SMAC4HPO (the
 * facade of RESULTS.md's smac1_hpo row) and ROAR (v1.1's random search, the
 * baseline). Ackley is the shifted variant of bench_functions.h, because
 * the plain one has its optimum at the default configuration (RESULTS.md's
 * caveat); the anchors' Ackley figures are for the unshifted function.
 *
 *   bench-quality                 quick: 5 seeds, 100 evaluations (~35 s)
 *   bench-quality --full          10 seeds, 100 and 200 evaluations (~4 min)
 *   options: --seeds N  --budgets 100,200  --functions branin,mixed,...
 *            --optimizers hpo,roar,ac (ac = SMAC4AC, not run by default)
 *            --verbose (one line per run)  --reference FILE.tsv (SMAC3 v1.1 measured here)
 *            --output DIR (keep each run's output folder, DIR/<function>-<mode>-<budget>/run_<seed>,
 *            to study the runs: runhistory.json holds every evaluation in order with its origin)
 *            --log-level DEBUG (the library's log, mixed into stdout, e.g. one line per acquisition maximisation)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_functions.h"
#include "bench_reference.h"
#include "smac.h"
#include "util/clock.h"
#include "util/log.h"

#define N_PROBLEMS 6
/* SMAC3 v1.1's regrets measured here by bench/reference/smac3_v11_quality.py. */
#define SMAC_BENCH_REFERENCE SMAC_BENCH_REFERENCE_DIR "/smac3_v11_hpo.tsv"
#define MAX_SEEDS 100
#define MAX_BUDGETS 8

typedef struct optimiser_kind {
    const char *key;   /* command-line name */
    const char *row;   /* table row */
    const char *mode;  /* scenario mode */
    int by_default;    /* run without --optimizers */
} optimiser_kind;

static const optimiser_kind OPTIMISERS[] = {
    {"hpo", "smac_c_hpo", "SMAC4HPO", 1},
    {"roar", "smac_c_roar", "ROAR", 1},
    {"ac", "smac_c_ac", "SMAC4AC", 0}, /* the command line's default facade, for smac1_ac */
};
#define N_OPTIMISERS 3

/* RESULTS.md's rows (2026-11-29), for the table. NULL = not measured. */
typedef struct anchor_row {
    int budget;
    const char *row;
    const char *cells[N_PROBLEMS];
} anchor_row;

static const anchor_row ANCHORS[] = {
    {100, "smac1_hpo",
     {"6.41e-07 [4.91e-07, 0.0101] (n=5)", "0.543 [0.357, 1.1] (n=5)", "522 [329, 1.58e+03] (n=5)",
      "4.65e+03 [3.62e+03, 6.97e+03] (n=5)", "4.44e-16 [4.44e-16, 4.44e-16] (n=5) *", "1.12 [0.815, 2.02] (n=5)"}},
    {100, "smac1_ac",
     {"0.145 [0.125, 0.704] (n=3)", NULL, NULL, "1.27e+04 [1.27e+04, 1.27e+04] (n=3)", NULL, "3.24 [2, 3.46] (n=3)"}},
    {100, "smac2_hpo",
     {"0.0163 [6.53e-03, 0.0263] (n=5)", "0.305 [0.201, 0.308] (n=5)", "1.78e+03 [924, 2.68e+03] (n=5)",
      "3.26e+04 [2.43e+04, 3.82e+04] (n=5)", "19.7 [19.1, 19.8] (n=5) *", "2.2 [0.858, 3.01] (n=5)"}},
    {100, "optuna_tpe",
     {"0.0163 [8.91e-03, 0.0272] (n=10)", "0.277 [0.171, 0.38] (n=10)", "120 [42.9, 358] (n=10)",
      "2.08e+03 [1.68e+03, 2.70e+03] (n=10)", "16.1 [14.6, 16.4] (n=10) *", "0.883 [0.551, 1.53] (n=10)"}},
    {100, "random",
     {"0.198 [0.131, 0.724] (n=10)", "1.29 [1.19, 1.35] (n=10)", "3.11e+03 [1.90e+03, 3.77e+03] (n=10)",
      "8.27e+04 [7.44e+04, 1.24e+05] (n=10)", "19.8 [19.5, 19.9] (n=10) *", "5.15 [3.4, 7.35] (n=10)"}},
    {200, "smac1_hpo", {NULL, NULL, NULL, "789 [789, 789] (n=1)", NULL, NULL}},
    {200, "smac2_hpo",
     {"4.46e-05 [4.28e-05, 8.37e-05] (n=5)", "0.155 [0.138, 0.299] (n=5)", "823 [205, 948] (n=5)",
      "1.68e+04 [3.60e+03, 1.84e+04] (n=5)", "16.4 [15.8, 17.8] (n=5) *", "0.463 [0.329, 0.487] (n=5)"}},
    {200, "optuna_tpe",
     {"5.94e-03 [2.44e-03, 0.0122] (n=10)", "0.0832 [0.0506, 0.21] (n=10)", "19.8 [11.2, 127] (n=10)",
      "792 [593, 1.44e+03] (n=10)", "13.6 [12.5, 14.4] (n=10) *", "0.344 [0.275, 0.468] (n=10)"}},
    {200, "random",
     {"0.101 [0.0565, 0.181] (n=10)", "1.18 [1.06, 1.29] (n=10)", "1.61e+03 [1.27e+03, 2.53e+03] (n=10)",
      "5.67e+04 [4.77e+04, 7.34e+04] (n=10)", "19.2 [19.1, 19.5] (n=10) *", "4.43 [3.07, 4.75] (n=10)"}},
};

/* RESULTS.md's columns, in its order. */
static bench_problem problem_at(int i)
{
    static const bench_kind kinds[N_PROBLEMS] = {BENCH_BRANIN, BENCH_HARTMANN6, BENCH_ROSENBROCK,
                                                 BENCH_ROSENBROCK, BENCH_ACKLEY, BENCH_MIXED};
    static const int dims[N_PROBLEMS] = {2, 6, 5, 10, 10, 7};
    return bench_problem_make(kinds[i], dims[i]);
}

/* ------------------------------------------------------------- one run */

typedef struct target_state {
    const bench_bound *b;
    double best;
    long calls;
} target_state;

/* Serial runs (one worker), so the state needs no lock. */
static int target(const smac_cs *cs, const double *config, const char *instance, uint64_t seed, double cutoff,
                  double budget, smac_run_value *out, void *data)
{
    (void)cs, (void)instance, (void)seed, (void)cutoff, (void)budget;
    target_state *t = data;
    double y = bench_bound_eval(t->b, config);
    t->calls++;
    if (y < t->best)
        t->best = y;
    out->cost = y;
    out->time = 0.0;
    out->status = SMAC_STATUS_SUCCESS;
    return 0;
}

typedef struct run_result {
    double regret;       /* best value seen minus the optimum */
    double inc_regret;   /* the incumbent's estimated cost minus the optimum */
    long evaluations;
    double seconds;
} run_result;

static int set(smac_scenario *sc, const char *name, const char *value, smac_error *err)
{
    if (smac_scenario_set(sc, name, value, err) != 0) {
        fprintf(stderr, "scenario option %s=%s: %s\n", name, value, err->message);
        return -1;
    }
    return 0;
}

static int run_once(const bench_problem *p, const optimiser_kind *opt, int budget, int seed, const char *output,
                    run_result *r)
{
    smac_error err = {0};
    smac_cs *cs = NULL;
    bench_bound b;
    if (bench_bind(p, &cs, &b, &err) != 0) {
        fprintf(stderr, "%s: %s\n", p->name, err.message);
        return -1;
    }
    smac_scenario *sc = smac_scenario_new();
    if (!sc) {
        smac_cs_free(cs);
        return -1;
    }
    int rc = -1;
    smac_optimizer *o = NULL;
    char num[32], out_dir[4096] = "";
    if (output)
        snprintf(out_dir, sizeof out_dir, "%s/%s-%s-%d", output, p->name, opt->mode, budget);
    if (smac_scenario_set_cs(sc, cs, &err) != 0) {
        fprintf(stderr, "%s: %s\n", p->name, err.message);
        goto out;
    }
    snprintf(num, sizeof num, "%d", budget);
    if (set(sc, "run_obj", "quality", &err) || set(sc, "deterministic", "true", &err) ||
        set(sc, "runcount_limit", num, &err) || set(sc, "output_dir", out_dir, &err) ||
        set(sc, "mode", opt->mode, &err))
        goto out;
    snprintf(num, sizeof num, "%d", seed);
    if (set(sc, "seed", num, &err))
        goto out;
    o = smac_optimizer_new(sc, &err);
    if (!o) {
        fprintf(stderr, "%s/%s: %s\n", p->name, opt->mode, err.message);
        goto out;
    }
    target_state t = {&b, INFINITY, 0};
    smac_optimizer_set_target(o, target, &t);
    double t0 = smac_clock_monotonic();
    if (smac_optimizer_run(o, &err) != 0) {
        fprintf(stderr, "%s/%s seed %d: %s\n", p->name, opt->mode, seed, err.message);
        goto out;
    }
    r->seconds = smac_clock_monotonic() - t0;
    r->regret = t.best - p->f_opt;
    r->evaluations = t.calls;
    double inc_cost = NAN;
    r->inc_regret = smac_optimizer_incumbent(o, NULL, &inc_cost) ? inc_cost - p->f_opt : NAN;
    rc = 0;
out:
    smac_optimizer_free(o);
    smac_scenario_free(sc);
    return rc;
}

/* ---------------------------------------------------------- self-check */

/* Evaluates problem i at declared-order value texts through the whole path
 * a run takes (text -> unit encoding of the space -> decoded values -> f). */
static int eval_texts(int i, const char *const *texts, double *y)
{
    bench_problem p = problem_at(i);
    smac_error err = {0};
    smac_cs *cs = NULL;
    bench_bound b;
    if (bench_bind(&p, &cs, &b, &err) != 0)
        return -1;
    double vec[BENCH_MAX_DIM];
    smac_cs_default(cs, vec);
    int rc = 0;
    for (int j = 0; j < p.dim && rc == 0; j++)
        rc = smac_cs_parse_value(cs, b.idx[j], texts[j], &vec[b.idx[j]], &err);
    if (rc == 0)
        rc = smac_cs_check(cs, vec, &err);
    if (rc == 0)
        *y = bench_bound_eval(&b, vec);
    else
        fprintf(stderr, "self-check %s: %s\n", p.name, err.message);
    smac_cs_free(cs);
    return rc;
}

/* The functions at their stated optima (functions.py's sanity check) and at
 * two hand-computed points; 0 when all agree. */
static int self_check(void)
{
    static const char *const branin[] = {"3.141592653589793", "2.275"};
    static const char *const h6[] = {"0.20169", "0.150011", "0.476874", "0.275332", "0.311652", "0.6573"};
    static const char *const ones[] = {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1"};
    static const char *const mixed[] = {"1", "-2", "0.5", "3", "7", "a", "v"};
    static const char *const mixed_default[] = {"0", "0", "0", "5", "5", "a", "u"};
    static const char *const r10_default[] = {"2.5", "2.5", "2.5", "2.5", "2.5", "2.5", "2.5", "2.5", "2.5", "2.5"};
    char shift_text[10][32];
    const char *shift[10];
    for (int j = 0; j < 10; j++) {
        snprintf(shift_text[j], sizeof shift_text[j], "%.17g", bench_ackley_shift(j));
        shift[j] = shift_text[j];
    }
    struct {
        int problem;
        const char *const *texts;
        double expect;
        double tol;
    } cases[] = {
        {0, branin, 0.397887357729739, 1e-9},  {1, h6, -3.322368011391339, 1e-5},
        {2, ones, 0.0, 1e-12},                 {3, ones, 0.0, 1e-12},
        {4, shift, 0.0, 1e-12},                {5, mixed, 0.0, 1e-12},
        {5, mixed_default, 7.15, 1e-9},        {3, r10_default, 12676.5, 1e-6},
    };
    int bad = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double y = NAN;
        if (eval_texts(cases[c].problem, cases[c].texts, &y) != 0 || !(fabs(y - cases[c].expect) <= cases[c].tol)) {
            bench_problem p = problem_at(cases[c].problem);
            fprintf(stderr, "self-check FAILED: %s gives %.17g, expected %.17g\n", p.name, y, cases[c].expect);
            bad++;
        }
    }
    return bad ? -1 : 0;
}

/* ------------------------------------------------------------- options */

typedef struct options {
    int seeds;
    int budgets[MAX_BUDGETS];
    int n_budgets;
    int use_problem[N_PROBLEMS];
    int use_optimiser[N_OPTIMISERS];
    int verbose;
    const char *reference; /* SMAC3 v1.1 measured here (TSV; absent file = no row) */
    const char *output;    /* keep the runs' output folders under this directory; NULL = none */
    int log_level;         /* the library's log level (default: errors only) */
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: bench-quality [--full] [--seeds N] [--budgets 100,200] "
               "[--functions branin,hartmann6,rosenbrock5,rosenbrock10,ackley10,mixed] "
               "[--optimizers hpo,roar,ac] [--verbose] [--reference FILE.tsv] [--output DIR] [--log-level DEBUG]\n"
               "  default (quick): 5 seeds, 100 evaluations, every function, SMAC4HPO and ROAR\n"
               "  --full: 10 seeds, 100 and 200 evaluations\n");
}

/* Splits a comma list in place; calls take(item) for each; -1 on a bad item. */
static int each_item(char *list, int (*take)(options *, const char *), options *o)
{
    for (char *s = strtok(list, ","); s; s = strtok(NULL, ","))
        if (take(o, s) != 0) {
            fprintf(stderr, "unknown item '%s'\n", s);
            return -1;
        }
    return 0;
}

static int take_budget(options *o, const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 100000 || o->n_budgets >= MAX_BUDGETS)
        return -1;
    o->budgets[o->n_budgets++] = (int)v;
    return 0;
}

static int take_problem(options *o, const char *s)
{
    for (int i = 0; i < N_PROBLEMS; i++) {
        bench_problem p = problem_at(i);
        if (strcmp(p.name, s) == 0 || (strcmp(s, "ackley") == 0 && p.kind == BENCH_ACKLEY)) {
            o->use_problem[i] = 1;
            return 0;
        }
    }
    return -1;
}

static int take_optimiser(options *o, const char *s)
{
    for (int i = 0; i < N_OPTIMISERS; i++)
        if (strcmp(OPTIMISERS[i].key, s) == 0 || strcmp(OPTIMISERS[i].mode, s) == 0) {
            o->use_optimiser[i] = 1;
            return 0;
        }
    return -1;
}

static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->reference = SMAC_BENCH_REFERENCE;
    o->log_level = SMAC_LOG_ERROR;
    int full = 0, any_problem = 0, any_opt = 0;
    o->seeds = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--full") == 0) {
            full = 1;
        } else if (strcmp(a, "--quick") == 0) {
            full = 0;
        } else if (strcmp(a, "--verbose") == 0) {
            o->verbose = 1;
        } else if (strcmp(a, "--reference") == 0 && has_value) {
            o->reference = argv[++i];
        } else if (strcmp(a, "--log-level") == 0 && has_value) {
            o->log_level = smac_log_level_parse(argv[++i]);
            if (o->log_level < 0) {
                fprintf(stderr, "--log-level wants DEBUG, INFO, WARNING or ERROR\n");
                return -1;
            }
        } else if (strcmp(a, "--output") == 0 && has_value) {
            o->output = argv[++i];
        } else if (strcmp(a, "--seeds") == 0 && has_value) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > MAX_SEEDS) {
                fprintf(stderr, "--seeds wants 1..%d\n", MAX_SEEDS);
                return -1;
            }
            o->seeds = (int)v;
        } else if (strcmp(a, "--budgets") == 0 && has_value) {
            if (each_item(argv[++i], take_budget, o) != 0)
                return -1;
        } else if (strcmp(a, "--functions") == 0 && has_value) {
            any_problem = 1;
            if (each_item(argv[++i], take_problem, o) != 0)
                return -1;
        } else if (strcmp(a, "--optimizers") == 0 && has_value) {
            any_opt = 1;
            if (each_item(argv[++i], take_optimiser, o) != 0)
                return -1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else {
            usage(stderr);
            return -1;
        }
    }
    if (o->seeds < 0)
        o->seeds = full ? 10 : 5;
    if (o->n_budgets == 0) {
        o->budgets[o->n_budgets++] = 100;
        if (full)
            o->budgets[o->n_budgets++] = 200;
    }
    for (int i = 0; i < N_PROBLEMS; i++)
        if (!any_problem)
            o->use_problem[i] = 1;
    for (int i = 0; i < N_OPTIMISERS; i++)
        if (!any_opt)
            o->use_optimiser[i] = OPTIMISERS[i].by_default;
    return 0;
}

/* -------------------------------------------------------------- output */

static void cell_text(double *v, int n, char *buf, size_t len)
{
    if (n == 0) {
        snprintf(buf, len, "–");
        return;
    }
    char a[32], b[32], c[32];
    double q25 = bench_percentile(v, n, 25), med = bench_percentile(v, n, 50), q75 = bench_percentile(v, n, 75);
    snprintf(buf, len, "%s [%s, %s] (n=%d)", bench_g3(med, a, sizeof a), bench_g3(q25, b, sizeof b),
             bench_g3(q75, c, sizeof c), n);
}

static void print_header(const options *o)
{
    printf("| optimiser |");
    for (int i = 0; i < N_PROBLEMS; i++)
        if (o->use_problem[i]) {
            bench_problem p = problem_at(i);
            printf(" %s |", p.name);
        }
    printf("\n|---|");
    for (int i = 0; i < N_PROBLEMS; i++)
        if (o->use_problem[i])
            printf("---|");
    printf("\n");
}

/* The row of SMAC3 v1.1 measured here, then per function whether our
 * SMAC4HPO's regrets are worse than its (one-sided Mann-Whitney). */
static void print_reference(const options *o, const bench_ref *ref, int budget,
                            double (*regrets)[N_OPTIMISERS][MAX_SEEDS], int (*counts)[N_OPTIMISERS])
{
    double v[MAX_SEEDS * 4];
    printf("| smac3_v11 (measured here) |");
    for (int i = 0; i < N_PROBLEMS; i++)
        if (o->use_problem[i]) {
            bench_problem p = problem_at(i);
            char cell[128];
            int n = bench_ref_select(ref, p.name, budget, v, (int)(sizeof v / sizeof *v));
            cell_text(v, n, cell, sizeof cell);
            printf(" %s |", cell);
        }
    printf("\n");
    if (!o->use_optimiser[0])
        return;
    printf("\n# %s against smac3_v11 (measured here), %d evaluations: one-sided Mann-Whitney p that ours is "
           "worse\n#",
           OPTIMISERS[0].row, budget);
    for (int i = 0; i < N_PROBLEMS; i++)
        if (o->use_problem[i]) {
            bench_problem p = problem_at(i);
            int n = bench_ref_select(ref, p.name, budget, v, (int)(sizeof v / sizeof *v));
            double pv = bench_mann_whitney_greater(regrets[i][0], counts[i][0], v, n);
            if (isnan(pv))
                printf(" %s –;", p.name);
            else
                printf(" %s %.2f%s;", p.name, pv, pv < 0.05 ? " (WORSE)" : "");
        }
    printf("\n");
}

int main(int argc, char **argv)
{
    options opt;
    if (parse_options(argc, argv, &opt) != 0)
        return 2;
    smac_log_set_level(SMAC_LOG_ERROR);
    if (self_check() != 0)
        return 1;
    smac_log_set_level((smac_log_level)opt.log_level);

    int n_runs = 0;
    for (int k = 0; k < opt.n_budgets; k++)
        for (int i = 0; i < N_PROBLEMS; i++)
            for (int m = 0; m < N_OPTIMISERS; m++)
                n_runs += opt.use_problem[i] && opt.use_optimiser[m] ? opt.seeds : 0;
    printf("# bench-quality: final regret (best value found - optimum), median [q25, q75] over seeds 1..%d\n",
           opt.seeds);
    printf("# deterministic quality scenarios, no instances, runcount_limit = budget, in-process target;\n"
           "# smac_c_hpo = this library's SMAC4HPO, smac_c_roar = its ROAR (v1.1 random search: default first,\n"
           "# then uniform random configurations). ackley10 is shifted here (optimum at x_i = (-1)^i (4 + 1.5 i));\n"
           "# anchor cells marked * are for the unshifted Ackley. Anchor rows: shared/anchors/RESULTS.md.\n"
           "# %d runs\n\n",
           n_runs);
    fflush(stdout);

    static bench_ref ref_store;
    bench_ref *ref = &ref_store;
    int n_ref = bench_ref_load(ref, opt.reference);
    if (n_ref < 0)
        return 1;

    double t_all = smac_clock_monotonic();
    int failures = 0, inc_mismatch = 0, short_runs = 0;
    /* regrets[budget][problem][optimiser][seed] */
    static double regrets[MAX_BUDGETS][N_PROBLEMS][N_OPTIMISERS][MAX_SEEDS];
    static int counts[MAX_BUDGETS][N_PROBLEMS][N_OPTIMISERS];
    double seconds[N_OPTIMISERS] = {0};
    long evals[N_OPTIMISERS] = {0};
    for (int k = 0; k < opt.n_budgets; k++) {
        for (int i = 0; i < N_PROBLEMS; i++) {
            if (!opt.use_problem[i])
                continue;
            bench_problem p = problem_at(i);
            for (int m = 0; m < N_OPTIMISERS; m++) {
                if (!opt.use_optimiser[m])
                    continue;
                for (int s = 1; s <= opt.seeds; s++) {
                    run_result r;
                    if (run_once(&p, &OPTIMISERS[m], opt.budgets[k], s, opt.output, &r) != 0) {
                        failures++;
                        continue;
                    }
                    regrets[k][i][m][counts[k][i][m]++] = r.regret;
                    seconds[m] += r.seconds;
                    evals[m] += r.evaluations;
                    if (r.evaluations != opt.budgets[k])
                        short_runs++;
                    /* Deterministic runs: the incumbent should be the best configuration seen. */
                    if (!(fabs(r.inc_regret - r.regret) <= 1e-9 * (1 + fabs(r.regret))))
                        inc_mismatch++;
                    if (opt.verbose)
                        printf("%-12s %-10s budget %4d seed %2d: regret %-10.4g incumbent %-10.4g %ld evals %.2f s\n",
                               p.name, OPTIMISERS[m].mode, opt.budgets[k], s, r.regret, r.inc_regret,
                               r.evaluations, r.seconds);
                }
            }
            if (opt.verbose)
                fflush(stdout);
        }
    }

    for (int k = 0; k < opt.n_budgets; k++) {
        printf("\n**Final regret after %d evaluations** — median [q25, q75] (n = seeds)\n\n", opt.budgets[k]);
        print_header(&opt);
        for (int m = 0; m < N_OPTIMISERS; m++) {
            if (!opt.use_optimiser[m])
                continue;
            printf("| %s |", OPTIMISERS[m].row);
            for (int i = 0; i < N_PROBLEMS; i++) {
                if (!opt.use_problem[i])
                    continue;
                char cell[128];
                cell_text(regrets[k][i][m], counts[k][i][m], cell, sizeof cell);
                printf(" %s |", cell);
            }
            printf("\n");
        }
        for (size_t a = 0; a < sizeof ANCHORS / sizeof ANCHORS[0]; a++) {
            if (ANCHORS[a].budget != opt.budgets[k])
                continue;
            printf("| %s (anchor) |", ANCHORS[a].row);
            for (int i = 0; i < N_PROBLEMS; i++)
                if (opt.use_problem[i])
                    printf(" %s |", ANCHORS[a].cells[i] ? ANCHORS[a].cells[i] : "–");
            printf("\n");
        }
        if (n_ref > 0)
            print_reference(&opt, ref, opt.budgets[k], regrets[k], counts[k]);
    }
    if (n_ref == 0)
        printf("\n# no SMAC3 v1.1 reference measured here (%s not found)\n", opt.reference);
    printf("\n# optimiser wall time per evaluation (target included, it is instant):");
    for (int m = 0; m < N_OPTIMISERS; m++)
        if (opt.use_optimiser[m] && evals[m] > 0)
            printf(" %s %.1f ms;", OPTIMISERS[m].mode, 1e3 * seconds[m] / (double)evals[m]);
    printf("\n# total %.1f s", smac_clock_monotonic() - t_all);
    if (failures)
        printf("; %d run(s) FAILED", failures);
    if (short_runs)
        printf("; %d run(s) made fewer evaluations than the budget", short_runs);
    if (inc_mismatch)
        printf("; %d run(s) ended with an incumbent that is not the best configuration seen", inc_mismatch);
    printf("\n");
    return failures ? 1 : 0;
}
