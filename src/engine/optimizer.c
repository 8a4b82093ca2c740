/*
 * Building and tearing down one optimisation: the components a facade asks
 * for, the output folder with SMAC3's files, the final save and summary.
 * The loop itself is smbo.c.
 */
#include "engine/engine.h"
#include "engine/optimizer_internal.h"
#include "cs/cs_internal.h"
#include "output/output_dir.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGGER "smac.facade.smac_ac_facade.SMAC4AC"

static void runner_from_scenario(const smac_scenario *sc, smac_runner_config *r)
{
    smac_runner_config_init(r);
    r->kind = SMAC_TAE_OLD;
    r->algo_argv = sc->algo.items;
    r->algo_argc = (int)sc->algo.n;
    r->execdir = sc->execdir;
    r->run_obj_runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    r->par_factor = sc->par_factor;
    r->cost_for_crash = sc->cost_for_crash;
    r->memory_limit_mb = isfinite(sc->memory_limit) ? sc->memory_limit : 0;
}

/* Seeds drawn from the main generator in SMAC3's construction order (§14). */
static uint64_t draw_seed(smac_optimizer *o) { return smac_rng_u64(&o->rng) & 0x7fffffff; }

static int build_model_side(smac_optimizer *o, smac_error *err)
{
    const smac_scenario *sc = o->sc;
    smac_rf_model_options rf = o->facade.rf;
    rf.forest.seed = draw_seed(o);
    const double *features = sc->has_features ? sc->features.train : NULL;
    int n_inst = sc->has_features ? (int)sc->train.n : 0;
    int n_feat = sc->has_features ? (int)sc->features.n_features : 0;
    o->model = smac_rf_model_new(o->cs, features, n_inst, n_feat, &rf, err);
    if (!o->model)
        return err ? err->code : SMAC_ERR_NOMEM;
    smac_acq_init(&o->acq, o->facade.acq, draw_seed(o));
    smac_acq_opt_options ao;
    smac_acq_opt_options_default(&ao);
    ao.n_sls_iterations = o->facade.n_sls_iterations;
    ao.n_steps_plateau_walk = sc->sls_n_steps_plateau_walk;
    o->acq_opt = smac_acq_optimizer_new(o->cs, &ao, draw_seed(o), &o->sample_rng, err);
    if (!o->acq_opt)
        return err ? err->code : SMAC_ERR_NOMEM;
    smac_chooser_init_prob(&o->chooser, o->facade.rand_prob, draw_seed(o));

    smac_rh_options ro;
    smac_rh_options_init(&ro);
    ro.run_obj_runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    ro.par_factor = sc->par_factor;
    ro.cutoff = sc->cutoff;
    ro.cost_for_crash = sc->cost_for_crash;
    smac_epm_options_init(&o->epm, &ro, o->facade.transform, 0);
    o->epm.transform = o->facade.transform;
    o->epm.impute_censored = o->facade.impute_censored;
    o->epm.n_features = n_feat;
    if (smac_epm_check_options(&o->epm, err) != 0)
        return err ? err->code : SMAC_ERR_INVALID;
    smac_epm_data_init(&o->data);
    if (sc->train.n > 0) {
        o->train_names = malloc(sc->train.n * sizeof *o->train_names);
        if (!o->train_names)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < sc->train.n; i++)
            o->train_names[i] = sc->train.items[i].name;
    }
    return 0;
}

static int build_intensifier(smac_optimizer *o, int default_id, smac_error *err)
{
    const smac_scenario *sc = o->sc;
    smac_intensifier_options io;
    smac_intensifier_options_init(&io);
    io.kind = o->facade.intensifier;
    const char **names = NULL;
    if (sc->train.n > 0) {
        names = malloc(sc->train.n * sizeof *names);
        if (!names)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < sc->train.n; i++)
            names[i] = sc->train.items[i].name;
    }
    io.instances = names;
    io.n_instances = (int)sc->train.n;
    io.deterministic = sc->deterministic;
    io.run_obj_runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    io.cutoff = sc->cutoff;
    io.min_r = sc->minR;
    io.max_r = sc->maxR;
    io.min_chall = o->facade.min_chall;
    io.slack = sc->intens_adaptive_capping_slackfactor;
    io.use_ta_time_bound = sc->use_ta_time;
    io.race_against = default_id;
    io.n_workers = sc->n_workers > 0 ? sc->n_workers : 1;
    io.seed = draw_seed(o);
    io.inc_changed = o->stats.inc_changed; /* restored counters (0 for a fresh run) */
    io.n_calls_of_intensify = o->stats.n_calls_of_intensify;
    io.n_configs_per_intensify = o->stats.n_configs_per_intensify;
    io.ema_n_configs_per_intensify = o->stats.ema_n_configs_per_intensify;
    o->intensifier = smac_intensifier_new(&io, o->rh, err);
    free(names);
    return o->intensifier ? 0 : (err ? err->code : SMAC_ERR_NOMEM);
}

static int build_initial_design(smac_optimizer *o, smac_error *err)
{
    smac_design design;
    smac_design_init(&design);
    int rc = smac_design_generate(o->cs, &o->facade.design, &o->rng, &o->sample_rng, &design, err);
    if (rc != 0) {
        smac_design_free(&design);
        return rc;
    }
    SMAC_INFO("smac.initial_design.InitialDesign", "Running initial design for %d configurations", design.n);
    int np = smac_cs_n_params(o->cs);
    for (int i = 0; i < design.n; i++) {
        int id;
        rc = smac_rh_intern_config(o->rh, design.configs + (size_t)i * (size_t)np,
                                   design.origins[i] ? design.origins[i] : SMAC_ORIGIN_INITIAL_DESIGN, &id);
        if (rc < 0)
            break;
        /* Duplicates were removed by the design; keep the list as the design made it. */
        SMAC_VEC_PUSH(&o->initial, id, nomem);
    }
    smac_design_free(&design);
    return rc < 0 ? smac_error_set(err, rc, "cannot record the initial design") : 0;
nomem:
    smac_design_free(&design);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

static int intern_default(smac_optimizer *o, int *id, smac_error *err)
{
    int np = smac_cs_n_params(o->cs);
    double def[np > 0 ? np : 1];
    smac_cs_default(o->cs, def);
    if (smac_rh_intern_config(o->rh, def, SMAC_ORIGIN_DEFAULT, id) < 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    return 0;
}

smac_optimizer *smac_optimizer_new(smac_scenario *sc, smac_error *err)
{
    if (smac_scenario_finish(sc, err) != 0)
        return NULL;
    smac_optimizer *o = calloc(1, sizeof *o);
    if (!o) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    o->sc = sc;
    o->cs = sc->cs;
    if (smac_facade_configure(sc, &o->facade, err) != 0)
        goto fail;
    if (sc->run_obj == SMAC_RUN_OBJ_RUNTIME)
        SMAC_WARNING(LOGGER, "Runtime as objective automatically activates log(y) transformation");
    smac_rng_seed(&o->rng, sc->seed, 0);
    smac_rng_seed(&o->sample_rng, draw_seed(o), 1);

    smac_rh_options ro;
    smac_rh_options_init(&ro);
    ro.run_obj_runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    ro.par_factor = sc->par_factor;
    ro.cutoff = sc->cutoff;
    ro.cost_for_crash = sc->cost_for_crash;
    o->rh = smac_runhistory_new(o->cs, &ro);
    if (!o->rh) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto fail;
    }
    runner_from_scenario(sc, &o->runner);

    /* A restored history keeps its ids, so it is loaded before anything is interned. */
    if (sc->restore_state && smac_engine_restore(o, err) != 0)
        goto fail;
    int default_id;
    if (intern_default(o, &default_id, err) != 0)
        goto fail;
    if (o->facade.use_model && build_model_side(o, err) != 0)
        goto fail;
    if (build_intensifier(o, default_id, err) != 0)
        goto fail;
    if (!sc->restore_state && build_initial_design(o, err) != 0)
        goto fail;
    return o;
fail:
    smac_optimizer_free(o);
    return NULL;
}

void smac_optimizer_free(smac_optimizer *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->inflight.len; i++)
        smac_job_free(o->inflight.items[i].job);
    SMAC_VEC_FREE(&o->inflight);
    smac_engine_drop_stream(o);
    smac_intensifier_free(o->intensifier);
    smac_acq_optimizer_free(o->acq_opt);
    smac_rf_model_free(o->model);
    smac_epm_data_free(&o->data);
    smac_epm_instance_map_free(&o->feature_rows);
    free(o->train_names);
    free(o->pred_mu);
    free(o->pred_var);
    SMAC_VEC_FREE(&o->initial);
    smac_trajectory_close(o->traj);
    smac_psmac_free(o->psmac);
    smac_runhistory_free(o->rh);
    for (size_t i = 0; i < o->asked.len; i++)
        free(o->asked.items[i].config);
    SMAC_VEC_FREE(&o->asked);
    free(o->run_dir);
    for (int i = 0; i < 3; i++)
        free(o->restored_traj[i]);
    free(o);
}

int smac_optimizer_set_target(smac_optimizer *o, smac_target_fn fn, void *data)
{
    o->runner.kind = SMAC_TAE_CALLBACK;
    o->runner.fn = fn;
    o->runner.fn_data = data;
    return 0;
}

void smac_optimizer_stop(smac_optimizer *o) { o->stop_requested = 1; }

/* ----------------------------------------------------------- output */

/* Copies the scenario's files and writes scenario.txt and the space as JSON
 * (formats.md §6.1-6.2). */
static int write_scenario_files(smac_optimizer *o, smac_error *err)
{
    const smac_scenario *sc = o->sc;
    char *pcs_copy = NULL, *json_path = NULL, *inst = NULL, *test = NULL, *feat = NULL;
    int rc = 0;
    if (sc->paramfile && (rc = smac_output_copy_file(sc->paramfile, o->run_dir, &pcs_copy, err)) != 0)
        goto out;
    /* SMAC3 writes <stem>.json for a .pcs file, configspace.json otherwise. */
    const char *base = sc->paramfile ? strrchr(sc->paramfile, '/') : NULL;
    base = base ? base + 1 : sc->paramfile;
    size_t n = strlen(o->run_dir) + (base ? strlen(base) : 0) + 32;
    json_path = malloc(n);
    if (!json_path) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t stem = base ? strlen(base) : 0;
    if (base && stem > 4 && strcmp(base + stem - 4, ".pcs") == 0)
        snprintf(json_path, n, "%s/%.*s.json", o->run_dir, (int)(stem - 4), base);
    else
        snprintf(json_path, n, "%s/configspace.json", o->run_dir);
    char *json = smac_cs_write(o->cs, SMAC_CS_JSON, err);
    if (!json) {
        rc = err ? err->code : SMAC_ERR_NOMEM;
        goto out;
    }
    rc = smac_atomic_write(json_path, json, strlen(json), err);
    free(json);
    if (rc != 0)
        goto out;
    if (sc->instance_file && (rc = smac_output_copy_file(sc->instance_file, o->run_dir, &inst, err)) != 0)
        goto out;
    if (sc->test_instance_file && (rc = smac_output_copy_file(sc->test_instance_file, o->run_dir, &test, err)) != 0)
        goto out;
    if (sc->feature_file && (rc = smac_output_copy_file(sc->feature_file, o->run_dir, &feat, err)) != 0)
        goto out;
    smac_scenario_copies copies = {json_path, inst, test, feat};
    char *txt = smac_scenario_write_txt(sc, &copies);
    if (!txt) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto out;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/scenario.txt", o->run_dir);
    rc = smac_atomic_write(path, txt, strlen(txt), err);
    free(txt);
out:
    free(pcs_copy);
    free(json_path);
    free(inst);
    free(test);
    free(feat);
    return rc;
}

int smac_engine_prepare_output(smac_optimizer *o, smac_error *err)
{
    const smac_scenario *sc = o->sc;
    if (sc->output_dir && !*sc->output_dir) {
        o->traj = smac_trajectory_open(NULL, o->cs, err);
        return o->traj ? 0 : err->code;
    }
    int rc = smac_output_prepare(sc->output_dir, (long)sc->seed, 0, &o->run_dir, err);
    if (rc != 0)
        return rc;
    SMAC_INFO("smac.utils.io.cmd_reader.CMDReader", "Output to %s", sc->output_dir);
    if ((rc = write_scenario_files(o, err)) != 0)
        return rc;
    if ((rc = smac_engine_write_restored_trajectory(o, err)) != 0)
        return rc;
    o->traj = smac_trajectory_open(o->run_dir, o->cs, err);
    if (!o->traj)
        return err->code;
    if (sc->shared_model) {
        o->psmac = smac_psmac_new(sc->input_psmac_dirs, o->run_dir, err);
        if (!o->psmac)
            return err->code;
    }
    return 0;
}

void smac_engine_traj_add(smac_optimizer *o, int config_id, double cost, int id, int placeholder)
{
    smac_traj_entry e = {
        .cpu_time = o->stats.ta_time_used,
        .wallclock_time = smac_clock_monotonic() - o->start_time,
        .evaluations = o->stats.finished_ta_runs,
        .cost = cost,
        .cost_is_placeholder = placeholder,
        .incumbent_id = id,
        .config = smac_rh_config(o->rh, config_id),
        .origin = smac_rh_config_origin(o->rh, config_id),
        .budget = 0,
    };
    smac_error err;
    if (e.config && smac_trajectory_add(o->traj, &e, &err) != 0)
        SMAC_ERROR(LOGGER, "cannot write the trajectory: %s", err.message);
}

int smac_engine_save(smac_optimizer *o, smac_error *err)
{
    if (!o->run_dir)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/runhistory.json", o->run_dir);
    int rc = smac_rh_save_json(o->rh, path, err);
    if (rc != 0)
        return rc;
    smac_intensifier_counters c;
    smac_intensifier_get_counters(o->intensifier, &c);
    o->stats.n_calls_of_intensify = c.n_calls_of_intensify;
    o->stats.n_configs_per_intensify = c.n_configs_per_intensify;
    o->stats.ema_n_configs_per_intensify = c.ema_n_configs_per_intensify;
    snprintf(path, sizeof path, "%s/stats.json", o->run_dir);
    return smac_stats_save(&o->stats, path, err);
}

static const char *limit_text(double x, char *buf, size_t n)
{
    char tmp[32];
    if (isinf(x))
        return "inf";
    smac_format_double(x, tmp);
    snprintf(buf, n, "%s", tmp);
    return buf;
}

void smac_engine_print_summary(smac_optimizer *o)
{
    const char *L = "smac.stats.stats.Stats";
    const smac_scenario *sc = o->sc;
    char a[32], b[32];
    SMAC_INFO(L, "##########################################################");
    SMAC_INFO(L, "Statistics:");
    SMAC_INFO(L, "#Incumbent changed: %ld", o->stats.inc_changed - 1);
    SMAC_INFO(L, "#Submitted target algorithm runs: %ld / %s", o->stats.submitted_ta_runs,
              limit_text(sc->runcount_limit, a, sizeof a));
    SMAC_INFO(L, "#Finished target algorithm runs: %ld / %s", o->stats.finished_ta_runs,
              limit_text(sc->runcount_limit, b, sizeof b));
    SMAC_INFO(L, "#Configurations: %ld", o->stats.n_configs);
    SMAC_INFO(L, "Used wallclock time: %.2f / %.2f sec ", o->stats.wallclock_time_used, sc->wallclock_limit);
    SMAC_INFO(L, "Used target algorithm runtime: %.2f / %.2f sec", o->stats.ta_time_used, sc->tuner_timeout);
    SMAC_INFO(L, "##########################################################");
    if (o->incumbent > 0) {
        char *repr = smac_cs_config_repr(o->cs, smac_rh_config(o->rh, o->incumbent));
        SMAC_INFO(LOGGER, "Final Incumbent: %s", repr ? repr : "?");
        free(repr);
        SMAC_INFO(LOGGER, "Estimated cost of incumbent: %f", smac_rh_cost(o->rh, o->incumbent));
    } else {
        SMAC_INFO(LOGGER, "Final Incumbent: None");
    }
}

/* ------------------------------------------------------------ the run */

int smac_engine_begin(smac_optimizer *o, smac_error *err)
{
    if (o->begun)
        return 0;
    int rc = smac_engine_prepare_output(o, err);
    if (rc != 0)
        return rc;
    o->start_time = smac_clock_monotonic() - o->stats.wallclock_time_used;
    if (o->incumbent == 0 && o->initial.len > 0 && o->stats.submitted_ta_runs == 0) {
        SMAC_INFO("smac.optimizer.smbo.SMBO", "Running initial design");
        /* The trajectory's first entry, before any run (formats.md §6.4). */
        smac_engine_traj_add(o, o->initial.items[0], 2147483648.0, 1, 1);
    }
    o->begun = 1;
    return 0;
}

int smac_optimizer_run(smac_optimizer *o, smac_error *err)
{
    if (o->runner.kind != SMAC_TAE_CALLBACK && o->sc->algo.n == 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "the scenario names no target algorithm: set 'algo' (or give a C target)");
    int rc = smac_engine_begin(o, err);
    if (rc != 0)
        return rc;
    rc = smac_smbo_run(o, err);
    smac_error serr;
    if (smac_engine_save(o, &serr) != 0) {
        SMAC_ERROR(LOGGER, "%s", serr.message);
        if (rc == 0) {
            *err = serr;
            rc = serr.code;
        }
    }
    smac_engine_print_summary(o);
    if (rc == 0 && o->aborted)
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "the optimisation was aborted (see the log above)");
    return rc;
}

int smac_optimizer_incumbent(const smac_optimizer *o, double *config, double *cost)
{
    if (o->incumbent <= 0)
        return 0;
    if (config)
        memcpy(config, smac_rh_config(o->rh, o->incumbent), (size_t)smac_cs_n_params(o->cs) * sizeof(double));
    if (cost)
        *cost = smac_rh_cost(o->rh, o->incumbent);
    return 1;
}

void smac_engine_use_mpi_pool(smac_optimizer *o, struct smac_mpi_pool *pool)
{
    o->runner.remote = pool;
}
