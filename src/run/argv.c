/*
 * Argument vectors of target calls, exactly as SMAC3 v1.1 builds them
 * (formats.md §5.1, §5.2): no shell, no quoting, the cutoff rounded up to an
 * integer, only active parameters, in the space's canonical order. The
 * fixture smac3-v1.1-target-calls/argv.log holds real vectors to compare with.
 */
#include "run/run_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

void smac_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

void smac_cutoff_text(double cutoff, const char *none, char *buf, size_t n)
{
    if (!isfinite(cutoff)) {
        snprintf(buf, n, "%s", none);
        return;
    }
    /* Python's int(math.ceil(x)): exact integer text, and no "-0". */
    double c = ceil(cutoff) + 0.0;
    snprintf(buf, n, "%.0f", c);
}

/* A vector under construction; `failed` is sticky so callers check once. */
typedef struct argv_builder {
    char **v;
    int len, cap;
    int failed;
} argv_builder;

static void push(argv_builder *b, const char *s)
{
    if (b->failed)
        return;
    if (b->len + 2 > b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        while (cap < b->len + 2)
            cap *= 2;
        char **v = realloc(b->v, (size_t)cap * sizeof *v);
        if (!v) {
            b->failed = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    char *copy = strdup(s ? s : "");
    if (!copy) {
        b->failed = 1;
        return;
    }
    b->v[b->len++] = copy;
    b->v[b->len] = NULL;
}

static int finish(argv_builder *b, char ***out, smac_error *err)
{
    if (b->failed || !b->v) {
        smac_argv_free(b->v);
        *out = NULL;
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building a target's argument vector");
    }
    *out = b->v;
    return 0;
}

static int check_algo(char *const *algo, int algo_argc, smac_error *err)
{
    if (algo_argc < 1 || !algo || !algo[0] || !algo[0][0])
        return smac_error_set(err, SMAC_ERR_INVALID, "the target algorithm call (algo) is empty");
    for (int i = 0; i < algo_argc; i++)
        if (!algo[i])
            return smac_error_set(err, SMAC_ERR_INVALID, "algo token %d is missing", i);
    return 0;
}

static void push_params(argv_builder *b, const char *const *params, int n_params)
{
    for (int i = 0; i < n_params; i++) {
        const char *name = params[2 * i], *value = params[2 * i + 1];
        size_t ln = strlen(name ? name : "");
        char *flag = malloc(ln + 2);
        if (!flag) {
            b->failed = 1;
            return;
        }
        flag[0] = '-';
        memcpy(flag + 1, name ? name : "", ln + 1);
        push(b, flag);
        free(flag);
        push(b, value);
    }
}

int smac_build_argv_old_text(char *const *algo, int algo_argc, const char *instance,
                             const char *instance_specific, double cutoff, uint64_t seed,
                             const char *const *params, int n_params, char ***out, smac_error *err)
{
    *out = NULL;
    int rc = check_algo(algo, algo_argc, err);
    if (rc)
        return rc;
    argv_builder b = {0};
    char cut[64], sd[32];
    smac_cutoff_text(cutoff, "99999999999999.0", cut, sizeof cut);
    snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
    for (int i = 0; i < algo_argc; i++)
        push(&b, algo[i]);
    push(&b, instance ? instance : "0");
    push(&b, instance_specific ? instance_specific : "0");
    push(&b, cut);
    push(&b, "0");
    push(&b, sd);
    push_params(&b, params, n_params);
    return finish(&b, out, err);
}

int smac_build_argv_aclib_text(char *const *algo, int algo_argc, const char *instance, double cutoff,
                               uint64_t seed, const char *const *params, int n_params, char ***out,
                               smac_error *err)
{
    *out = NULL;
    int rc = check_algo(algo, algo_argc, err);
    if (rc)
        return rc;
    argv_builder b = {0};
    char cut[64], sd[32];
    /* The AClib runner's "no cutoff" is a Python int, printed without ".0". */
    smac_cutoff_text(cutoff, "99999999999999", cut, sizeof cut);
    snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
    for (int i = 0; i < algo_argc; i++)
        push(&b, algo[i]);
    push(&b, "--instance");
    push(&b, instance ? instance : "0");
    push(&b, "--cutoff");
    push(&b, cut);
    push(&b, "--seed");
    push(&b, sd);
    push(&b, "--config");
    push_params(&b, params, n_params);
    return finish(&b, out, err);
}

/* The (name, value) texts of the active parameters, canonical order. The
 * value texts live in one malloc'd block; names point into the space. */
typedef struct param_texts {
    const char **pairs;
    char *values;
    int n;
} param_texts;

static void param_texts_free(param_texts *t)
{
    free(t->pairs);
    free(t->values);
    memset(t, 0, sizeof *t);
}

static int param_texts_build(const smac_run_request *req, param_texts *t, smac_error *err)
{
    memset(t, 0, sizeof *t);
    if (req->cs && !req->config)
        return smac_error_set(err, SMAC_ERR_INVALID, "a target call with a configuration space needs a configuration");
    int np = req->cs ? smac_cs_n_params(req->cs) : 0;
    size_t *offsets = calloc((size_t)np + 1, sizeof *offsets);
    t->pairs = calloc(2 * (size_t)np + 1, sizeof *t->pairs);
    size_t cap = 64 * ((size_t)np + 1), len = 0;
    t->values = malloc(cap);
    if (!offsets || !t->pairs || !t->values)
        goto nomem;
    for (int i = 0; i < np; i++) {
        if (isnan(req->config[i]))
            continue; /* inactive: absent from the call */
        for (;;) {
            int w = smac_cs_value_text(req->cs, i, req->config[i], t->values + len, cap - len);
            if (w < 0) {
                free(offsets);
                param_texts_free(t);
                return smac_error_set(err, SMAC_ERR_INVALID, "cannot print the value of parameter '%s'",
                                      smac_cs_param_name(req->cs, i));
            }
            if ((size_t)w < cap - len) {
                offsets[t->n] = len;
                t->pairs[2 * t->n] = smac_cs_param_name(req->cs, i);
                t->n++;
                len += (size_t)w + 1;
                break;
            }
            size_t ncap = 2 * cap + (size_t)w;
            char *nv = realloc(t->values, ncap);
            if (!nv)
                goto nomem;
            t->values = nv;
            cap = ncap;
        }
    }
    /* Value pointers only now: the block may have moved while growing. */
    for (int k = 0; k < t->n; k++)
        t->pairs[2 * k + 1] = t->values + offsets[k];
    free(offsets);
    return 0;
nomem:
    free(offsets);
    param_texts_free(t);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory printing a configuration");
}

int smac_param_texts(const smac_run_request *req, const char ***pairs, char **block, int *n, smac_error *err)
{
    param_texts t;
    int rc = param_texts_build(req, &t, err);
    *pairs = rc ? NULL : t.pairs;
    *block = rc ? NULL : t.values;
    *n = rc ? 0 : t.n;
    return rc;
}

int smac_build_argv_old(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                        smac_error *err)
{
    param_texts t;
    *out = NULL;
    int rc = param_texts_build(req, &t, err);
    if (rc)
        return rc;
    rc = smac_build_argv_old_text(cfg->algo_argv, cfg->algo_argc, req->instance, req->instance_specific,
                                  req->cutoff, req->seed, t.pairs, t.n, out, err);
    param_texts_free(&t);
    return rc;
}

int smac_build_argv_aclib(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                          smac_error *err)
{
    param_texts t;
    *out = NULL;
    int rc = param_texts_build(req, &t, err);
    if (rc)
        return rc;
    rc = smac_build_argv_aclib_text(cfg->algo_argv, cfg->algo_argc, req->instance, req->cutoff, req->seed,
                                    t.pairs, t.n, out, err);
    param_texts_free(&t);
    return rc;
}

int smac_build_argv(const smac_runner_config *cfg, const smac_run_request *req, char ***out,
                    smac_error *err)
{
    switch (cfg->kind) {
    case SMAC_TAE_OLD:
        return smac_build_argv_old(cfg, req, out, err);
    case SMAC_TAE_ACLIB:
        return smac_build_argv_aclib(cfg, req, out, err);
    default:
        *out = NULL;
        return smac_error_set(err, SMAC_ERR_INVALID, "a callback target has no argument vector");
    }
}
