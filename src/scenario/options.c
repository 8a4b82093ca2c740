/*
 * The option table: every option of SMAC3 v1.1's command line and scenario
 * files (formats.md §1.1-1.3) plus ours (n_workers), with all their names.
 *
 * Names come in three flavours, kept apart because SMAC3 keeps them apart:
 *   - the canonical name (the usual scenario-file key, "cutoff_time");
 *   - flag spellings ("cutoff-time", "cutoff_time", "cutoff"), valid on the
 *     command line and, as in SMAC3, also as keys in a scenario file;
 *   - old scenario-file aliases ("cutoffTime", "algo-cutoff-time"), valid in
 *     files only.
 * Canonical names and flags match with '_' and '-' interchangeable, so every
 * option has both spellings. An unknown name gets the nearest known one in
 * the error message (edit distance, see closest()).
 */
#include "scenario/scenario_internal.h"
#include "util/log.h"

#include <stddef.h>
#include <string.h>

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE_LIST NULL
#define FIELD(f) offsetof(struct smac_scenario, f)

static const int verbose_levels[] = {SMAC_LOG_INFO, SMAC_LOG_DEBUG};

static const smac_option options[] = {
    /* ---------------------------------------------------------------- main */
    {.name = "scenario", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATH,
     .flags = LIST("scenario", "scenario-file", "scenario_file"),
     .offset = FIELD(scenario_file), .help = "scenario file in AClib format (required by the smac command)"},
    {.name = "help", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_HELP, .flags = LIST("help"),
     .offset = SMAC_OPT_NO_FIELD, .help = "show the standard options and stop"},
    {.name = "help_all", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_HELP, .flags = LIST("help-all"),
     .offset = SMAC_OPT_NO_FIELD, .help = "show all options, including hidden ones, and stop"},
    {.name = "seed", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_SEED, .flags = LIST("seed"),
     .default_text = "1", .offset = FIELD(seed),
     .help = "random seed; also the run id (output folder run_<seed>)"},
    {.name = "verbose_level", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_CHOICE,
     .flags = LIST("verbose", "verbose-level", "verbose_level"), .choices = LIST("INFO", "DEBUG"),
     .choice_values = verbose_levels, .default_text = "INFO", .offset = FIELD(verbose),
     .help = "logging level"},
    {.name = "mode", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_CHOICE, .flags = LIST("mode"),
     .choices = LIST("SMAC4AC", "ROAR", "Hydra", "PSMAC", "SMAC4HPO", "SMAC4BB"),
     .default_text = "SMAC4AC", .offset = FIELD(mode), .help = "facade (configuration mode)"},
    {.name = "restore_state", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATH,
     .flags = LIST("restore-state", "restore_state"), .offset = FIELD(restore_state),
     .help = "continue the run whose output folder is given"},
    {.name = "warmstart_runhistory", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATHLIST,
     .flags = LIST("warmstart-runhistory", "warmstart_runhistory"),
     .offset = FIELD(warmstart_runhistory), .hidden = true,
     .help = "run histories of other scenarios to learn from (needs --warmstart_scenario)"},
    {.name = "warmstart_scenario", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATHLIST,
     .flags = LIST("warmstart-scenario", "warmstart_scenario"),
     .offset = FIELD(warmstart_scenario), .hidden = true,
     .help = "the scenario files of the --warmstart_runhistory files"},
    {.name = "warmstart_incumbent", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATHLIST,
     .flags = LIST("warmstart-incumbent", "warmstart_incumbent"),
     .offset = FIELD(warmstart_incumbent), .hidden = true,
     .help = "traj_aclib2.json files whose last incumbents join the initial design"},
    {.name = "incumbents_per_round", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_INT,
     .flags = LIST("incumbents_per_round"), .check = SMAC_CHECK_GE1, .default_text = "1",
     .offset = FIELD(incumbents_per_round), .hidden = true,
     .help = "PSMAC/Hydra: incumbents kept per round"},
    {.name = "n_optimizers", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_INT,
     .flags = LIST("n_optimizers"), .check = SMAC_CHECK_GE1, .default_text = "1",
     .offset = FIELD(n_optimizers), .hidden = true,
     .help = "PSMAC/Hydra: optimisers run in parallel"},
    {.name = "hydra_validation", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_CHOICE,
     .flags = LIST("hydra_validation"),
     .choices = LIST("train", "val10", "val20", "val30", "val40", "val50", "none"),
     .lowercase = true, .default_text = "train", .offset = FIELD(hydra_validation), .hidden = true,
     .help = "Hydra: instances to validate incumbents on"},
    {.name = "psmac_validate", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_BOOL,
     .flags = LIST("psmac_validate"), .default_text = "False", .offset = FIELD(psmac_validate),
     .hidden = true, .help = "PSMAC: validate all incumbents"},
    {.name = "random_configuration_chooser", .kind = SMAC_OPT_MAIN, .type = SMAC_OPT_PATH,
     .flags = LIST("random_configuration_chooser", "random-configuration-chooser"),
     .offset = SMAC_OPT_NO_FIELD, .hidden = true,
     .help = "a Python module in SMAC3; not supported here (ignored with a warning)"},

    /* ---------------------------------------------------------------- SMAC */
    {.name = "abort_on_first_run_crash", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_BOOL,
     .flags = LIST("abort-on-first-run-crash", "abort_on_first_run_crash"), .default_text = "True",
     .offset = FIELD(abort_on_first_run_crash),
     .help = "stop if the first finished target run crashed"},
    {.name = "limit_resources", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_BOOL,
     .flags = LIST("limit-resources", "limit_resources"), .default_text = "True",
     .offset = FIELD(limit_resources),
     .help = "limit time and memory of in-process targets"},
    {.name = "minR", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT, .flags = LIST("minr", "minR"),
     .check = SMAC_CHECK_GE1, .default_text = "1", .offset = FIELD(minR),
     .help = "runs of the incumbent before challengers are raced"},
    {.name = "maxR", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT, .flags = LIST("maxr", "maxR"),
     .check = SMAC_CHECK_GE1, .default_text = "2000", .offset = FIELD(maxR),
     .help = "maximum runs per configuration"},
    {.name = "output_dir", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_STRING,
     .aliases = LIST("output-dir", "outputDirectory", "outdir"),
     .flags = LIST("output-dir", "output_dir"), .offset = FIELD(output_dir),
     .help = "output folder (default smac3-output_<time>); empty: write nothing"},
    {.name = "input_psmac_dirs", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_STRING,
     .flags = LIST("input-psmac-dirs", "input_psmac_dirs"), .offset = FIELD(input_psmac_dirs),
     .help = "pSMAC: glob of the output folders to read runs from (default smac3-output*/run*/)"},
    {.name = "shared_model", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_BOOL,
     .flags = LIST("shared-model", "shared_model"), .default_text = "False",
     .offset = FIELD(shared_model), .help = "pSMAC: share runs with other smac processes"},
    {.name = "hydra_iterations", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("hydra-iterations", "hydra_iterations"), .check = SMAC_CHECK_GE1,
     .default_text = "3", .offset = FIELD(hydra_iterations), .hidden = true,
     .help = "Hydra: number of iterations"},
    {.name = "use_ta_time", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_BOOL,
     .flags = LIST("use-ta-time", "use_ta_time"), .default_text = "False",
     .offset = FIELD(use_ta_time),
     .help = "count target time instead of wall-clock time (wallclock_limit becomes tuner_timeout)"},
    {.name = "intensification_percentage", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_FLOAT,
     .flags = LIST("intensification-percentage", "intensification_percentage"),
     .check = SMAC_CHECK_OPEN01, .default_text = "0.5", .offset = FIELD(intensification_percentage),
     .help = "share of time spent racing challengers, in (0, 1)"},
    {.name = "transform_y", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_CHOICE,
     .flags = LIST("transform_y", "transform-y"), .choices = LIST("NONE", "LOG", "LOGS", "INVS"),
     .default_text = "NONE", .offset = FIELD(transform_y),
     .help = "transformation of costs for the model (LOG for runtime)"},
    {.name = "rf_num_trees", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("rf_num_trees", "rf-num-trees"), .check = SMAC_CHECK_GE1, .default_text = "10",
     .offset = FIELD(rf_num_trees), .help = "trees in the random forest"},
    {.name = "rf_do_bootstrapping", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_PYBOOL,
     .flags = LIST("rf_do_bootstrapping", "rf-do-bootstrapping"), .default_text = "True",
     .offset = FIELD(rf_do_bootstrapping),
     .help = "bootstrap the forest's data (as SMAC3: any non-empty text is true)"},
    {.name = "rf_ratio_features", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_FLOAT,
     .flags = LIST("rf_ratio_features", "rf-ratio-features"), .check = SMAC_CHECK_HALF01,
     .default_text = "0.8333333333333334", .offset = FIELD(rf_ratio_features),
     .help = "share of features tried at each split, in (0, 1]"},
    {.name = "rf_min_samples_split", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("rf_min_samples_split", "rf-min-samples-split"), .check = SMAC_CHECK_GE1,
     .default_text = "3", .offset = FIELD(rf_min_samples_split),
     .help = "minimum points in a node to split it"},
    {.name = "rf_min_samples_leaf", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("rf_min_samples_leaf", "rf-min-samples-leaf"), .check = SMAC_CHECK_GE1,
     .default_text = "3", .offset = FIELD(rf_min_samples_leaf),
     .help = "minimum points in a leaf"},
    {.name = "rf_max_depth", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("rf_max_depth", "rf-max-depth"), .check = SMAC_CHECK_GE1, .default_text = "20",
     .offset = FIELD(rf_max_depth), .help = "maximum depth of a tree"},
    {.name = "sls_n_steps_plateau_walk", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("sls_n_steps_plateau_walk", "sls-n-steps-plateau-walk"), .check = SMAC_CHECK_GE0,
     .default_text = "10", .offset = FIELD(sls_n_steps_plateau_walk),
     .help = "local search: steps allowed on a plateau"},
    {.name = "sls_max_steps", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("sls_max_steps", "sls-max-steps"), .check = SMAC_CHECK_GE0,
     .offset = FIELD(sls_max_steps), .hidden = true,
     .help = "local search: maximum steps (accepted, unused as in SMAC3 v1.1)"},
    {.name = "acq_opt_challengers", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("acq_opt_challengers", "acq-opt-challengers"), .check = SMAC_CHECK_GE1,
     .default_text = "5000", .offset = FIELD(acq_opt_challengers),
     .help = "random configurations per acquisition optimisation"},
    {.name = "intens_adaptive_capping_slackfactor", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_FLOAT,
     .flags = LIST("intens_adaptive_capping_slackfactor", "intens-adaptive-capping-slackfactork"),
     .check = SMAC_CHECK_POSITIVE, .default_text = "1.2",
     .offset = FIELD(intens_adaptive_capping_slackfactor),
     .help = "adaptive capping: factor on the capped cutoff (runtime only)"},
    {.name = "intens_min_chall", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("intens_min_chall", "intens-min-chall"), .check = SMAC_CHECK_GE1,
     .default_text = "2", .offset = FIELD(intens_min_chall),
     .help = "minimum challengers per intensification"},
    {.name = "rand_prob", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_FLOAT,
     .flags = LIST("rand_prob", "rand-prob"), .check = SMAC_CHECK_UNIT, .default_text = "0.5",
     .offset = FIELD(rand_prob), .help = "probability that a challenger is a random configuration"},
    {.name = "n_workers", .kind = SMAC_OPT_SMAC, .type = SMAC_OPT_INT,
     .flags = LIST("n_workers", "n-workers"), .check = SMAC_CHECK_GE1, .default_text = "1",
     .offset = FIELD(n_workers), .help = "target runs kept going at once"},

    /* ------------------------------------------------------------ scenario */
    {.name = "algo", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_ARGV,
     .aliases = LIST("algo-exec", "algoExec"), .flags = LIST("algo", "ta"), .offset = FIELD(algo),
     .help = "target algorithm command line (split like a shell, never run by one)"},
    {.name = "execdir", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_STRING,
     .aliases = LIST("algo-exec-dir", "exec-dir", "execDir"), .flags = LIST("execdir"),
     .default_text = ".", .offset = FIELD(execdir), .help = "folder the target runs in"},
    {.name = "deterministic", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_BOOL,
     .aliases = LIST("algo-deterministic"), .flags = LIST("deterministic"), .default_text = "False",
     .offset = FIELD(deterministic), .help = "the target gives the same result for every seed"},
    {.name = "run_obj", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_CHOICE,
     .aliases = LIST("run-obj", "run-objective", "runObj"), .flags = LIST("run-obj", "run_obj"),
     .choices = LIST("runtime", "quality"), .offset = FIELD(run_obj),
     .help = "what to minimise (required; runtime needs cutoff_time)"},
    {.name = "overall_obj", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_OBJECTIVE,
     .aliases = LIST("intra-obj", "intra-instance-obj", "overall-obj", "intraInstanceObj",
                     "overallObj", "intra_instance_obj"),
     .flags = LIST("overall-obj", "overall_obj"), .default_text = "par10",
     .offset = FIELD(overall_obj), .help = "PARx (timeouts cost x times the cutoff) or mean"},
    {.name = "par_factor", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .flags = LIST("par-factor", "par_factor"), .check = SMAC_CHECK_NOT_NAN, .default_text = "10",
     .offset = SMAC_OPT_NO_FIELD, .hidden = true,
     .help = "accepted for SMAC3's scenario.txt; always derived from overall_obj"},
    {.name = "cost_for_crash", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("cost-for-crash"), .flags = LIST("cost-for-crash", "cost_for_crash"),
     .check = SMAC_CHECK_NOT_NAN, .default_text = "2147483647.0", .offset = FIELD(cost_for_crash),
     .help = "cost of a crashed run (quality objective)"},
    {.name = "cutoff_time", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("algo-cutoff-time", "target-run-cputime-limit", "target_run_cputime_limit",
                     "cutoff-time", "cutoffTime"),
     .flags = LIST("cutoff-time", "cutoff_time", "cutoff"), .check = SMAC_CHECK_POS_FINITE,
     .offset = FIELD(cutoff), .help = "seconds after which a target run is stopped"},
    {.name = "memory_limit", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("memory-limit"), .flags = LIST("memory-limit", "memory_limit"),
     .check = SMAC_CHECK_POSITIVE, .offset = FIELD(memory_limit),
     .help = "memory limit of a target run, MB"},
    {.name = "tuner_timeout", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("cputime-limit", "cputime_limit", "tunertime-limit", "tuner-timeout",
                     "tunerTimeout"),
     .flags = LIST("tuner-timeout", "tuner_timeout", "algo-runs-timelimit", "algo_runs_timelimit"),
     .check = SMAC_CHECK_NONNEG, .default_text = "inf", .offset = FIELD(tuner_timeout),
     .help = "budget of target time, seconds"},
    {.name = "wallclock_limit", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("wallclock-limit", "runtime-limit", "runtimeLimit", "wallClockLimit"),
     .flags = LIST("wallclock-limit", "wallclock_limit"), .check = SMAC_CHECK_NONNEG,
     .default_text = "inf", .offset = FIELD(wallclock_limit),
     .help = "budget of wall-clock time, seconds"},
    {.name = "always_race_default", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_BOOL,
     .flags = LIST("always-race-default", "always_race_default"), .default_text = "False",
     .offset = FIELD(always_race_default), .hidden = true,
     .help = "race new incumbents against the default (no effect, as in SMAC3 v1.1)"},
    {.name = "runcount_limit", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_FLOAT,
     .aliases = LIST("runcount-limit", "totalNumRunsLimit", "numRunsLimit", "numberOfRunsLimit"),
     .flags = LIST("runcount-limit", "runcount_limit", "ta-run-limit", "ta_run_limit"),
     .check = SMAC_CHECK_NONNEG, .default_text = "inf", .offset = FIELD(runcount_limit),
     .help = "budget of target runs"},
    {.name = "instance_file", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_PATH,
     .aliases = LIST("instances", "instance-file", "instance-dir", "instanceFile", "i",
                     "instance_seed_file"),
     .flags = LIST("instance-file", "instance_file", "train-inst-fn", "train_inst_fn"),
     .offset = FIELD(instance_file), .help = "training instances, one per line"},
    {.name = "test_instance_file", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_PATH,
     .aliases = LIST("test-instances", "test-instance-file", "test-instance-dir", "testInstanceFile",
                     "test_instance_seed_file"),
     .flags = LIST("test-instance-file", "test_instance_file", "test-inst-fn", "test_inst_fn"),
     .offset = FIELD(test_instance_file), .help = "test instances, one per line"},
    {.name = "feature_file", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_PATH,
     .aliases = LIST("feature-file", "instanceFeatureFile"),
     .flags = LIST("feature-file", "feature_file", "feature-fn", "feature_fn"),
     .offset = FIELD(feature_file), .help = "instance features (CSV with a header line)"},
    {.name = "feature_names", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_STRING,
     .flags = LIST("feature-names", "feature_names"), .offset = SMAC_OPT_NO_FIELD, .hidden = true,
     .help = "accepted for SMAC3's scenario.txt; the names come from the feature file"},
    {.name = "initial_incumbent", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_CHOICE,
     .aliases = LIST("initial-incumbent"), .flags = LIST("initial-incumbent", "initial_incumbent"),
     .choices = LIST("DEFAULT", "RANDOM", "LHD", "SOBOL", "FACTORIAL"), .default_text = "DEFAULT",
     .offset = FIELD(initial_incumbent), .help = "initial design (SMAC4AC and ROAR)"},
    {.name = "paramfile", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_PATH,
     .aliases = LIST("paramFile", "pcs-file", "param-file"),
     .flags = LIST("paramfile", "param-file", "param_file", "pcs-fn", "pcs_fn"),
     .offset = FIELD(paramfile), .help = "configuration space: old or new PCS, or ConfigSpace JSON"},
    {.name = "save_results_instantly", .kind = SMAC_OPT_SCENARIO, .type = SMAC_OPT_BOOL,
     .flags = LIST("save-results-instantly", "save-instantly"), .default_text = "False",
     .offset = FIELD(save_results_instantly),
     .help = "write runhistory.json and stats.json after every run"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

const smac_option *smac_scenario_options(size_t *n)
{
    if (n)
        *n = N_OPTIONS;
    return options;
}

size_t scen_option_index(const smac_option *opt) { return (size_t)(opt - options); }

/* Equal with '_' and '-' taken as the same character. */
static int same_spelling(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static int in_list(const char *const *list, const char *name, int loose)
{
    for (; list && *list; list++)
        if (loose ? same_spelling(*list, name) : strcmp(*list, name) == 0)
            return 1;
    return 0;
}

const smac_option *scen_option_lookup(const char *name, scen_context ctx)
{
    if (!name)
        return NULL;
    if (ctx == SCEN_CTX_ANY)
        while (*name == '-')
            name++;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const smac_option *o = &options[i];
        if (same_spelling(o->name, name) || in_list(o->flags, name, 1))
            return o;
        if (ctx != SCEN_CTX_FLAG && in_list(o->aliases, name, 0))
            return o;
    }
    return NULL;
}

const smac_option *smac_scenario_option_find(const char *name)
{
    return scen_option_lookup(name, SCEN_CTX_ANY);
}

/* ------------------------------------------------------------ nearest name */

/* Names longer than this are compared by their first MAX_CMP characters;
 * no option name comes close to it. */
#define MAX_CMP 64

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Cost of replacing a by b: a case slip or a '_'/'-' swap costs half a typo. */
static int subst_cost(char a, char b)
{
    if (a == b)
        return 0;
    if (lower((unsigned char)a) == lower((unsigned char)b))
        return 1;
    if ((a == '-' || a == '_') && (b == '-' || b == '_'))
        return 1;
    return 2;
}

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps),
 * doubled so half-typos stay integers; gives up (returning `limit`) once
 * every cell of a row reaches `limit`, since no later row can be lower. */
static int distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAX_CMP)
        la = MAX_CMP;
    if (lb > MAX_CMP)
        lb = MAX_CMP;
    int rows[3][MAX_CMP + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = 2 * (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = 2 * (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int best = prev[j - 1] + subst_cost(a[i - 1], b[j - 1]);
            if (prev[j] + 2 < best)
                best = prev[j] + 2;
            if (cur[j - 1] + 2 < best)
                best = cur[j - 1] + 2;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 2 < best)
                best = prev2[j - 2] + 2;
            cur[j] = best;
            if (best < row_min)
                row_min = best;
        }
        if (row_min >= limit)
            return limit;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

/* The search for the nearest name: the query with its letter counts, and
 * the best candidate so far. */
typedef struct nearest {
    const char *name;
    size_t len;
    int counts[256];   /* letters of `name`, case and '-'/'_' folded */
    int best;
    const char *best_name;
} nearest;

static unsigned char fold(unsigned char c) { return c == '-' ? '_' : (unsigned char)lower(c); }

/* Letters one name has and the other lacks each need an edit of cost 2:
 * a cheap lower bound that skips most hopeless candidates. The counts are
 * borrowed and given back, so no copy is made per candidate. */
static int letter_bound(nearest *q, const char *candidate)
{
    size_t matched = 0, lb = 0;
    for (const unsigned char *p = (const unsigned char *)candidate; *p; p++, lb++)
        if (q->counts[fold(*p)]-- > 0)
            matched++;
    for (const unsigned char *p = (const unsigned char *)candidate; *p; p++)
        q->counts[fold(*p)]++;
    size_t la = q->len < MAX_CMP ? q->len : MAX_CMP;
    size_t extra = lb - matched, missing = la - matched;
    return 2 * (int)(extra > missing ? extra : missing);
}

static void consider(nearest *q, const char *candidate)
{
    if (letter_bound(q, candidate) >= q->best)
        return;
    int d = distance(q->name, candidate, q->best);
    if (d < q->best) {
        q->best = d;
        q->best_name = candidate;
    }
}

const char *scen_option_closest(const char *name, scen_context ctx)
{
    nearest q = {.name = name, .best = 1 << 30, .best_name = options[0].name};
    q.len = strlen(name);
    for (size_t i = 0; i < q.len && i < MAX_CMP; i++)
        q.counts[fold((unsigned char)name[i])]++;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const smac_option *o = &options[i];
        /* Options that only exist as an action or for compatibility are poor
         * suggestions. */
        if (o->type == SMAC_OPT_HELP && ctx == SCEN_CTX_FILE)
            continue;
        consider(&q, o->name);
        for (const char *const *f = o->flags; f && *f; f++)
            consider(&q, *f);
        if (ctx != SCEN_CTX_FLAG)
            for (const char *const *a = o->aliases; a && *a; a++)
                consider(&q, *a);
    }
    return q.best_name;
}
