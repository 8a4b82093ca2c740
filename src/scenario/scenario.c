/*
 * The scenario object: defaults, setting options by name, and finishing
 * (validation, SMAC3's derived values, loading the files it names).
 *
 * Finishing is split in two: scen_resolve() checks and derives without
 * touching the file system (so the fuzzer can run it on any input), then
 * the instance, feature and parameter files are loaded. Instance and
 * feature files come before the configuration space so that their errors
 * are reported even while the space's file is broken.
 */
#include "scenario/scenario_internal.h"
#include "output/output_dir.h"
#include "util/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOGGER "smac.scenario.scenario.Scenario"

/* SMAC3's default pSMAC glob (cmd_reader.py). */
#define DEFAULT_PSMAC_DIRS "smac3-output*/run*/"

smac_scenario *smac_scenario_new(void)
{
    smac_scenario *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    sc->state = calloc(1, sizeof *sc->state);
    if (!sc->state)
        goto fail;
    sc->state->values = calloc(n, sizeof *sc->state->values);
    /* SMAC3 stamps the default output folder when its parser is built. */
    sc->state->default_output_dir = smac_output_default_name("smac3-output");
    if (!sc->state->values || !sc->state->default_output_dir)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        scen_option_clear_field(sc, &opts[i]);
        if (opts[i].default_text) {
            scen_origin o = {SCEN_SRC_DEFAULT, NULL, 0, opts[i].name};
            if (scen_option_set(sc, &opts[i], opts[i].default_text, &o, NULL) != 0)
                goto fail;
        }
    }
    sc->output_dir = strdup(sc->state->default_output_dir);
    if (!sc->output_dir)
        goto fail;
    sc->par_factor = 10;
    sc->help = 0;
    return sc;
fail:
    smac_scenario_free(sc);
    return NULL;
}

void smac_scenario_free(smac_scenario *sc)
{
    if (!sc)
        return;
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    if (sc->state) {
        for (size_t i = 0; i < n; i++) {
            scen_option_clear_field(sc, &opts[i]);
            if (sc->state->values)
                free(sc->state->values[i].text);
        }
        for (size_t i = 0; i < sc->state->n_files; i++)
            free(sc->state->files[i]);
        free(sc->state->files);
        free(sc->state->values);
        free(sc->state->default_output_dir);
        free(sc->state);
    }
    scen_instances_free(&sc->train);
    scen_instances_free(&sc->test);
    scen_features_free(&sc->features);
    smac_cs_free(sc->cs);
    free(sc);
}

static int refuse_if_finished(const smac_scenario *sc, smac_error *err)
{
    if (sc->state->finished)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "the scenario is finished; its options can no longer change");
    return 0;
}

int smac_scenario_set(smac_scenario *sc, const char *name, const char *value, smac_error *err)
{
    if (!sc || !name)
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario or no option name given");
    int rc = refuse_if_finished(sc, err);
    if (rc != 0)
        return rc;
    const smac_option *opt = scen_option_lookup(name, SCEN_CTX_ANY);
    if (!opt)
        return smac_error_set(err, SMAC_ERR_INVALID, "unknown option '%s' (did you mean '%s'?)", name,
                              scen_option_closest(name, SCEN_CTX_ANY));
    if (!value) {
        if (opt->type != SMAC_OPT_HELP)
            return smac_error_set(err, SMAC_ERR_INVALID, "option '%s': no value given", name);
        value = "";
    }
    scen_origin o = {SCEN_SRC_ARGS, NULL, 0, name};
    return scen_option_set(sc, opt, value, &o, err);
}

int smac_scenario_set_cs(smac_scenario *sc, smac_cs *cs, smac_error *err)
{
    if (!sc) {
        smac_cs_free(cs);
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario given");
    }
    int rc = refuse_if_finished(sc, err);
    if (rc != 0) {
        smac_cs_free(cs);
        return rc;
    }
    smac_cs_free(sc->cs);
    sc->cs = cs;
    return 0;
}

static const scen_value *slot_of(const smac_scenario *sc, const char *name)
{
    const smac_option *opt = scen_option_lookup(name, SCEN_CTX_ANY);
    return opt ? &sc->state->values[scen_option_index(opt)] : NULL;
}

const char *smac_scenario_get(const smac_scenario *sc, const char *name)
{
    if (!sc || !name)
        return NULL;
    const smac_option *opt = scen_option_lookup(name, SCEN_CTX_ANY);
    if (!opt)
        return NULL;
    const scen_value *v = &sc->state->values[scen_option_index(opt)];
    if (v->text)
        return v->text;
    if (opt->offset == offsetof(struct smac_scenario, output_dir))
        return sc->state->default_output_dir;
    return opt->default_text;
}

bool smac_scenario_is_set(const smac_scenario *sc, const char *name)
{
    const scen_value *v = sc && name ? slot_of(sc, name) : NULL;
    return v && v->source != SCEN_SRC_DEFAULT;
}

/* ------------------------------------------------------------- finishing */

/* Error at the place an option's value came from ("scenario.txt:7: ..."). */
static int error_at_option(smac_error *err, int code, const smac_scenario *sc, const char *name,
                           const char *fmt, const char *arg)
{
    const scen_value *v = slot_of(sc, name);
    if (v && v->source == SCEN_SRC_FILE && v->file)
        return smac_error_set_at(err, code, v->file, v->line, 0, fmt, arg);
    return smac_error_set(err, code, fmt, arg);
}

int scen_resolve(smac_scenario *sc, smac_error *err)
{
    if (sc->run_obj == SMAC_RUN_OBJ_UNSET)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "missing option 'run_obj': set it to 'runtime' or 'quality'%s", "");
    if (sc->run_obj == SMAC_RUN_OBJ_RUNTIME && !isfinite(sc->cutoff))
        return error_at_option(err, SMAC_ERR_INVALID, sc, "run_obj", "%s",
                               "--cutoff-time is required when --run-objective is set to \"runtime\"");
    /* SMAC3 derives the par factor from overall_obj even when par_factor is
     * given (scenario.txt carries both). */
    sc->par_factor = (double)scen_par_factor(sc->overall_obj ? sc->overall_obj : "par10");
    if (sc->use_ta_time) {
        if (!isfinite(sc->tuner_timeout))
            sc->tuner_timeout = sc->wallclock_limit;
        sc->wallclock_limit = INFINITY;
    }
    if (sc->shared_model && !sc->input_psmac_dirs) {
        sc->input_psmac_dirs = strdup(DEFAULT_PSMAC_DIRS);
        if (!sc->input_psmac_dirs)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    if (sc->feature_file && !sc->instance_file)
        return error_at_option(err, SMAC_ERR_INVALID, sc, "feature_file", "%s",
                               "a feature file needs an instance file: features describe the "
                               "training instances");
    if (sc->warmstart_runhistory.n > 0 && sc->warmstart_scenario.n == 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "--warmstart_runhistory needs --warmstart_scenario (their scenario files)");
    if (smac_scenario_is_set(sc, "random_configuration_chooser"))
        SMAC_WARNING(LOGGER, "--random_configuration_chooser names a Python module; ignored");
    return 0;
}

/* SMAC3 checks with os.path.isfile: a folder counts as missing too. */
static int check_file(const smac_scenario *sc, const char *option, const char *kind, const char *path,
                      smac_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    const scen_value *v = slot_of(sc, option);
    if (v && v->source == SCEN_SRC_FILE && v->file)
        return smac_error_set_at(err, SMAC_ERR_IO, v->file, v->line, 0, "Could not find %s file: %s",
                                 kind, path);
    return smac_error_set(err, SMAC_ERR_IO, "Could not find %s file: %s", kind, path);
}

/* Adds the scenario line that named a file to an error without a location. */
static int locate_at_option(const smac_scenario *sc, const char *option, int rc, smac_error *err)
{
    const scen_value *v = slot_of(sc, option);
    if (rc != 0 && v && v->source == SCEN_SRC_FILE && v->file)
        smac_error_locate(err, v->file, v->line, 0);
    return rc;
}

static int load_files(smac_scenario *sc, smac_error *err)
{
    int rc;
    if (sc->instance_file) {
        if ((rc = check_file(sc, "instance_file", "instance", sc->instance_file, err)) != 0)
            return rc;
        rc = scen_read_instances(sc->instance_file, &sc->train, err);
        if ((rc = locate_at_option(sc, "instance_file", rc, err)) != 0)
            return rc;
        if (sc->train.n == 0)
            return error_at_option(err, SMAC_ERR_INVALID, sc, "instance_file",
                                   "instance file %s lists no instances", sc->instance_file);
    }
    if (sc->test_instance_file) {
        if ((rc = check_file(sc, "test_instance_file", "test instance", sc->test_instance_file, err)) != 0)
            return rc;
        rc = scen_read_instances(sc->test_instance_file, &sc->test, err);
        if ((rc = locate_at_option(sc, "test_instance_file", rc, err)) != 0)
            return rc;
    }
    if (sc->feature_file) {
        if ((rc = check_file(sc, "feature_file", "feature", sc->feature_file, err)) != 0)
            return rc;
        rc = scen_read_features(sc->feature_file, &sc->features, err);
        if (rc == 0)
            rc = scen_features_for_train(&sc->features, &sc->train, sc->feature_file, err);
        if ((rc = locate_at_option(sc, "feature_file", rc, err)) != 0)
            return rc;
        sc->has_features = true;
    }
    if (!sc->cs) {
        if (!sc->paramfile)
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "missing option 'paramfile': no configuration space given");
        if ((rc = check_file(sc, "paramfile", "pcs", sc->paramfile, err)) != 0)
            return rc;
        rc = smac_cs_read_file(sc->paramfile, SMAC_CS_AUTO, &sc->cs, err);
        if ((rc = locate_at_option(sc, "paramfile", rc, err)) != 0)
            return rc;
    }
    return 0;
}

int smac_scenario_finish(smac_scenario *sc, smac_error *err)
{
    if (!sc)
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario given");
    if (sc->state->finished)
        return 0;
    /* derived values are recomputed on a retry after a failure */
    double tuner_timeout = sc->tuner_timeout, wallclock_limit = sc->wallclock_limit;
    int rc = scen_resolve(sc, err);
    if (rc == 0)
        rc = load_files(sc, err);
    if (rc != 0) {
        /* leave nothing half-loaded behind */
        scen_instances_free(&sc->train);
        scen_instances_free(&sc->test);
        scen_features_free(&sc->features);
        sc->has_features = false;
        sc->tuner_timeout = tuner_timeout;
        sc->wallclock_limit = wallclock_limit;
        return rc;
    }
    sc->state->finished = true;
    return 0;
}
