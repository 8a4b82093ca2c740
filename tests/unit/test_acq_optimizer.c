/*
 * Tests of the acquisition optimiser (src/acq/local_search.c,
 * random_search.c, acq_optimizer.c) and the challenger stream
 * (src/acq/challengers.c), on a space with reals (one log), integers, a
 * categorical, an ordinal, a conditional child and a forbidden clause.
 *
 * The acquisition callback is a known function -- minus the distance to a
 * target configuration -- so where local search must end up is known.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acq/acq_internal.h"
#include "acq/acq_optimizer.h"
#include "acq/challengers.h"
#include "cs/cs_internal.h"

/* ------------------------------------------------------------ space */

static smac_cs *make_space(void)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    assert_non_null(b);
    const char *cats[] = {"a", "b", "c", "d"};
    const char *ords[] = {"low", "mid", "high"};
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0.0, 10.0, 1, 5.0, 0, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "lr", 1e-4, 1.0, 0, 0.0, 1, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 100, 1, 50, 0, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "k", 0, 4, 1, 0, 0, 0.0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 4, cats, NULL, "a", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ords, NULL, "low", &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "z", 0.0, 1.0, 1, 0.5, 0, 0.0, &err), 0);
    const char *bval[] = {"b"};
    cs_cond_spec cond = {CS_COND_EQ, "c", 1, bval, 0, NULL};
    assert_int_equal(smac_cs_builder_add_condition(b, "z", &cond, &err), 0);
    /* forbidden: c = d and k = 4 */
    const char *dval[] = {"d"}, *four[] = {"4"};
    cs_forbid_spec parts[2] = {{CS_FORBID_EQUALS, "c", NULL, 1, dval, 0, NULL},
                               {CS_FORBID_EQUALS, "k", NULL, 1, four, 0, NULL}};
    cs_forbid_spec fb = {CS_FORBID_AND, NULL, NULL, 0, NULL, 2, parts};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &fb, &err), 0);
    smac_cs *cs = NULL;
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

typedef struct target {
    const smac_cs *cs;
    int P;
    double t[16];
    long calls;
    long rows;
} target;

/* The target: x = 7.5, lr = 1e-2, n = 37, k = 3, c = b, o = high, z = 0.7. */
static void make_target(target *tg, const smac_cs *cs)
{
    memset(tg, 0, sizeof *tg);
    tg->cs = cs;
    tg->P = smac_cs_n_params(cs);
    assert_true(tg->P == 7);
    struct {
        const char *name, *value;
    } v[] = {{"x", "7.5"}, {"lr", "0.01"}, {"n", "37"}, {"k", "3"}, {"c", "b"}, {"o", "high"}, {"z", "0.7"}};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        int idx = smac_cs_param_index(cs, v[i].name);
        assert_true(idx >= 0);
        smac_error err;
        assert_int_equal(smac_cs_parse_value(cs, idx, v[i].value, &tg->t[idx], &err), 0);
    }
    assert_int_equal(smac_cs_check(cs, tg->t, NULL), 0);
}

/* minus an L1 distance in the vector space: numeric entries by their
 * difference, choices 1 if different (ordinal by index distance / 2), an
 * entry active in only one of the two configurations 1. */
static double neg_distance(const target *tg, const double *c)
{
    double d = 0.0;
    for (int j = 0; j < tg->P; j++) {
        double a = c[j], b = tg->t[j];
        if (isnan(a) || isnan(b)) {
            d += (isnan(a) && isnan(b)) ? 0.0 : 1.0;
            continue;
        }
        switch (smac_cs_param_type(tg->cs, j)) {
        case SMAC_PARAM_CATEGORICAL:
            d += (a == b) ? 0.0 : 1.0;
            break;
        case SMAC_PARAM_ORDINAL:
            d += fabs(a - b) / 2.0;
            break;
        default:
            d += fabs(a - b);
        }
    }
    return -d;
}

static void eval_distance(const double *configs, int n, double *values, void *ctx)
{
    target *tg = ctx;
    tg->calls++;
    tg->rows += n;
    for (int i = 0; i < n; i++)
        values[i] = neg_distance(tg, &configs[(size_t)i * tg->P]);
}

static void eval_constant(const double *configs, int n, double *values, void *ctx)
{
    (void)configs;
    long *calls = ctx;
    (*calls)++;
    for (int i = 0; i < n; i++)
        values[i] = 0.0;
}

/* three tie levels by the first real parameter x */
static void eval_ties(const double *configs, int n, double *values, void *ctx)
{
    target *tg = ctx;
    int ix = smac_cs_param_index(tg->cs, "x");
    for (int i = 0; i < n; i++)
        values[i] = floor(configs[(size_t)i * tg->P + ix] * 3.0);
}

static int sorted_desc(const smac_acq_list *l)
{
    for (int i = 1; i < l->n; i++)
        if (l->values[i] > l->values[i - 1])
            return 0;
    return 1;
}

/* ------------------------------------------------------ local search */

static void test_local_search_climbs_to_optimum(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    target tg;
    make_target(&tg, cs);
    smac_error err;
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 7, NULL, &err);
    assert_non_null(opt);
    smac_acq_list out;
    smac_acq_list_init(&out, tg.P);
    assert_int_equal(smac_acq_local_search(opt, NULL, 10, NULL, eval_distance, &tg, &out, &err), 0);
    assert_int_equal(out.n, 10);
    assert_true(sorted_desc(&out));
    smac_acq_ls_stats st;
    smac_acq_last_local_search(opt, &st);
    assert_int_equal(st.n_searches, 10);
    assert_true(st.steps > 10);
    /* batched: one evaluation call for the start points plus at most one
     * per lock-step round, and every neighbour pulled is evaluated once */
    assert_true(tg.calls <= 1 + st.rounds);
    assert_true(tg.calls < tg.rows / 4);
    assert_int_equal(tg.rows, 10 + st.evaluated);

    /* the best search reached the target: every discrete entry exact, the
     * reals close */
    const double *best = &out.configs[0];
    assert_true(out.values[0] > -0.05);
    const char *exact[] = {"n", "k", "c", "o"};
    for (size_t i = 0; i < 4; i++) {
        int j = smac_cs_param_index(cs, exact[i]);
        assert_true(best[j] == tg.t[j]);
    }
    for (int i = 0; i < out.n; i++) {
        assert_string_equal(out.origins[i], SMAC_ORIGIN_LOCAL_SEARCH);
        assert_int_equal(smac_cs_check(cs, &out.configs[(size_t)i * tg.P], NULL), 0);
        assert_true(out.values[i] == neg_distance(&tg, &out.configs[(size_t)i * tg.P]));
    }
    /* most searches get there, not just one */
    int near = 0;
    for (int i = 0; i < out.n; i++)
        near += out.values[i] > -0.1;
    assert_true(near >= 7);
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    smac_cs_free(cs);
}

static void test_plateau_walks_terminate(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    int P = smac_cs_n_params(cs);
    smac_error err;
    long calls = 0;
    smac_acq_opt_options o;
    smac_acq_opt_options_default(&o);
    for (int steps = 0; steps <= 10; steps += 5) {
        o.n_steps_plateau_walk = steps;
        smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, &o, 3, NULL, &err);
        assert_non_null(opt);
        smac_acq_list out;
        smac_acq_list_init(&out, P);
        calls = 0;
        assert_int_equal(smac_acq_local_search(opt, NULL, 6, NULL, eval_constant, &calls, &out, &err), 0);
        smac_acq_ls_stats st;
        smac_acq_last_local_search(opt, &st);
        assert_int_equal(out.n, 6);
        assert_int_equal(st.steps, 0); /* nothing is ever strictly better */
        /* a neighbourhood has at most 8+8+8+4+3+2+8 = 41 neighbours; each
         * search walks max(1, steps) of them */
        int walks = steps > 0 ? steps : 1;
        assert_true(st.evaluated <= 6L * walks * 41);
        assert_true(st.evaluated >= 6L * walks * 5);
        for (int i = 0; i < out.n; i++)
            assert_true(out.values[i] == 0.0);
        smac_acq_list_free(&out);
        smac_acq_optimizer_free(opt);
    }
    smac_cs_free(cs);
}

static void test_plateau_walk_moves(void **state)
{
    (void)state;
    /* On a plateau the search steps to an equal neighbour: with a constant
     * function the final points differ from the start points. */
    smac_cs *cs = make_space();
    int P = smac_cs_n_params(cs);
    smac_error err;
    smac_rng srng, copy;
    smac_rng_seed(&srng, 99, 0);
    copy = srng;
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 5, &srng, &err);
    smac_acq_list out;
    smac_acq_list_init(&out, P);
    long calls = 0;
    assert_int_equal(smac_acq_local_search(opt, NULL, 4, NULL, eval_constant, &calls, &out, &err), 0);
    double starts[4 * 7];
    for (int i = 0; i < 4; i++)
        assert_int_equal(smac_cs_sample(cs, &copy, &starts[i * P], NULL), 0);
    for (int i = 0; i < out.n; i++)
        for (int s = 0; s < 4; s++) {
            const double *a = &out.configs[(size_t)i * P], *b = &starts[s * P];
            int same = 1;
            for (int j = 0; j < P; j++)
                if (!(a[j] == b[j] || (isnan(a[j]) && isnan(b[j]))))
                    same = 0;
            assert_false(same);
        }
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    smac_cs_free(cs);
}

static void test_start_points_from_history(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    target tg;
    make_target(&tg, cs);
    int P = tg.P;
    smac_error err;
    smac_rng r;
    smac_rng_seed(&r, 11, 0);
    /* 3 distinct configurations, the first one repeated */
    double hist[4 * 7], cost[4] = {3.0, 1.0, 2.0, 3.0};
    for (int i = 0; i < 3; i++)
        assert_int_equal(smac_cs_sample(cs, &r, &hist[i * P], NULL), 0);
    memcpy(&hist[3 * P], &hist[0], (size_t)P * sizeof(double));
    smac_acq_history h = {hist, 4, cost};

    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 21, NULL, &err);
    smac_acq_list extra, out;
    smac_acq_list_init(&extra, P);
    smac_acq_list_init(&out, P);
    assert_int_equal(smac_acq_random_search(opt, 20, 1, eval_distance, &tg, &extra, &err), 0);
    /* history (3 distinct) + first 10 of the extra list */
    assert_int_equal(smac_acq_local_search(opt, &h, 10, &extra, eval_distance, &tg, &out, &err), 0);
    smac_acq_ls_stats st;
    smac_acq_last_local_search(opt, &st);
    assert_int_equal(st.n_searches, 13);
    assert_int_equal(out.n, 13);
    /* n_points = 1: best by acquisition, best (lowest) by cost, best extra */
    assert_int_equal(smac_acq_local_search(opt, &h, 1, &extra, eval_distance, &tg, &out, &err), 0);
    smac_acq_last_local_search(opt, &st);
    int best_acq = 0;
    for (int i = 1; i < 3; i++)
        if (neg_distance(&tg, &hist[i * P]) > neg_distance(&tg, &hist[best_acq * P]))
            best_acq = i;
    assert_int_equal(st.n_searches, best_acq == 1 ? 2 : 3);
    /* empty history: n random starts, extra ignored (as SMAC3) */
    smac_acq_history empty = {NULL, 0, NULL};
    assert_int_equal(smac_acq_local_search(opt, &empty, 4, &extra, eval_distance, &tg, &out, &err), 0);
    smac_acq_last_local_search(opt, &st);
    assert_int_equal(st.n_searches, 4);
    /* errors */
    assert_int_equal(smac_acq_local_search(opt, &h, -1, NULL, eval_distance, &tg, &out, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_acq_local_search(opt, &h, 2, NULL, NULL, &tg, &out, &err), SMAC_ERR_INVALID);
    smac_acq_list wrong;
    smac_acq_list_init(&wrong, P + 1);
    assert_int_equal(smac_acq_local_search(opt, &h, 2, NULL, eval_distance, &tg, &wrong, &err), SMAC_ERR_INVALID);
    smac_acq_list_free(&wrong);
    smac_acq_list_free(&extra);
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    smac_cs_free(cs);
}

/* ----------------------------------------------------- random search */

static void test_random_search_sorted_with_random_ties(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    target tg;
    make_target(&tg, cs);
    int P = tg.P, N = 3000;
    int ix = smac_cs_param_index(cs, "x");
    smac_error err;
    smac_rng srng, copy;
    smac_rng_seed(&srng, 5, 0);
    copy = srng;
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 1, &srng, &err);
    smac_acq_list out;
    smac_acq_list_init(&out, P);
    assert_int_equal(smac_acq_random_search(opt, N, 1, eval_ties, &tg, &out, &err), 0);
    assert_int_equal(out.n, N);
    assert_true(sorted_desc(&out));
    assert_true(out.values[0] == 2.0 && out.values[N - 1] == 0.0);
    /* the same samples in drawing order */
    double *drawn = malloc((size_t)N * P * sizeof *drawn);
    assert_non_null(drawn);
    for (int i = 0; i < N; i++)
        assert_int_equal(smac_cs_sample(cs, &copy, &drawn[(size_t)i * P], NULL), 0);
    /* within the top tie group the order is not the drawing order: count
     * how often consecutive entries keep their drawing order (about half) */
    int in_order = 0, pairs = 0, prev = -1;
    for (int i = 0; i < N && out.values[i] == 2.0; i++) {
        int pos = -1;
        for (int k = 0; k < N; k++)
            if (drawn[(size_t)k * P + ix] == out.configs[(size_t)i * P + ix]) {
                pos = k;
                break;
            }
        assert_true(pos >= 0);
        if (prev >= 0) {
            pairs++;
            in_order += pos > prev;
        }
        prev = pos;
    }
    assert_true(pairs > 500);
    assert_true(in_order > pairs * 0.4 && in_order < pairs * 0.6);
    for (int i = 0; i < N; i++) {
        assert_string_equal(out.origins[i], SMAC_ORIGIN_RANDOM_SEARCH_SORTED);
        assert_int_equal(smac_cs_check(cs, &out.configs[(size_t)i * P], NULL), 0);
    }

    /* unsorted (ROAR): drawing order, value 0, no callback needed */
    smac_rng_seed(&srng, 5, 0);
    assert_int_equal(smac_acq_random_search(opt, 50, 0, NULL, NULL, &out, &err), 0);
    assert_int_equal(out.n, 50);
    assert_memory_equal(out.configs, drawn, 50 * (size_t)P * sizeof(double));
    for (int i = 0; i < 50; i++) {
        assert_true(out.values[i] == 0.0);
        assert_string_equal(out.origins[i], SMAC_ORIGIN_RANDOM_SEARCH);
    }
    assert_int_equal(smac_acq_random_search(opt, 0, 1, eval_ties, &tg, &out, &err), 0);
    assert_int_equal(out.n, 0);
    assert_int_equal(smac_acq_random_search(opt, -3, 0, NULL, NULL, &out, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_acq_random_search(opt, 3, 1, NULL, NULL, &out, &err), SMAC_ERR_INVALID);
    free(drawn);
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    smac_cs_free(cs);
}

/* --------------------------------------------------------- combined */

static void run_maximize(const smac_cs *cs, uint64_t seed, smac_acq_list *out, target *tg)
{
    smac_error err;
    smac_rng srng;
    smac_rng_seed(&srng, seed + 1000, 0);
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, seed, &srng, &err);
    assert_non_null(opt);
    double hist[2 * 7];
    smac_rng r;
    smac_rng_seed(&r, seed, 9);
    assert_int_equal(smac_cs_sample(cs, &r, &hist[0], NULL), 0);
    assert_int_equal(smac_cs_sample(cs, &r, &hist[7], NULL), 0);
    double cost[2] = {1.0, 0.5};
    smac_acq_history h = {hist, 2, cost};
    if (smac_acq_maximize(opt, &h, 500, eval_distance, tg, out, &err) != 0)
        fail_msg("maximize: %s", err.message);
    smac_acq_optimizer_free(opt);
}

static void test_maximize_list(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    target tg;
    make_target(&tg, cs);
    int P = tg.P;
    smac_acq_list a, b;
    smac_acq_list_init(&a, P);
    smac_acq_list_init(&b, P);
    run_maximize(cs, 3, &a, &tg);
    run_maximize(cs, 3, &b, &tg);
    /* deterministic for a seed */
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.configs, b.configs, (size_t)a.n * P * sizeof(double));
    assert_memory_equal(a.values, b.values, (size_t)a.n * sizeof(double));
    /* 500 random + one local search per distinct start point (<= 2 + 2 + 10) */
    int local = 0, random = 0;
    for (int i = 0; i < a.n; i++) {
        if (strcmp(a.origins[i], SMAC_ORIGIN_LOCAL_SEARCH) == 0)
            local++;
        else if (strcmp(a.origins[i], SMAC_ORIGIN_RANDOM_SEARCH_SORTED) == 0)
            random++;
        assert_int_equal(smac_cs_check(cs, &a.configs[(size_t)i * P], NULL), 0);
    }
    assert_int_equal(random, 500);
    assert_true(local >= 10 && local <= 12);
    assert_int_equal(a.n, random + local);
    assert_true(sorted_desc(&a));
    /* local search beats random sampling: the best entries are local */
    assert_string_equal(a.origins[0], SMAC_ORIGIN_LOCAL_SEARCH);
    assert_true(a.values[0] > -0.1);
    /* another seed, another list */
    run_maximize(cs, 4, &b, &tg);
    assert_true(b.n != a.n || memcmp(a.configs, b.configs, (size_t)a.n * P * sizeof(double)) != 0);
    smac_acq_list_free(&a);
    smac_acq_list_free(&b);
    smac_cs_free(cs);
}

static void test_maximize_ties_keep_random_first(void **state)
{
    (void)state;
    /* A constant acquisition (an untrained model): the stable sort keeps
     * all random configurations ahead of the local-search ones. */
    smac_cs *cs = make_space();
    int P = smac_cs_n_params(cs);
    smac_error err;
    smac_acq_optimizer *opt = smac_acq_optimizer_new(cs, NULL, 8, NULL, &err);
    smac_acq_list out;
    smac_acq_list_init(&out, P);
    long calls = 0;
    smac_acq_history empty = {NULL, 0, NULL};
    assert_int_equal(smac_acq_maximize(opt, &empty, 100, eval_constant, &calls, &out, &err), 0);
    assert_int_equal(out.n, 110);
    for (int i = 0; i < 100; i++)
        assert_string_equal(out.origins[i], SMAC_ORIGIN_RANDOM_SEARCH_SORTED);
    for (int i = 100; i < 110; i++)
        assert_string_equal(out.origins[i], SMAC_ORIGIN_LOCAL_SEARCH);
    /* options are checked */
    smac_acq_opt_options o;
    smac_acq_opt_options_default(&o);
    o.min_obtain = 0;
    assert_null(smac_acq_optimizer_new(cs, &o, 1, NULL, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_null(smac_acq_optimizer_new(NULL, NULL, 1, NULL, &err));
    assert_int_equal(smac_acq_maximize(opt, &empty, 10, NULL, NULL, &out, &err), SMAC_ERR_INVALID);
    smac_acq_list_free(&out);
    smac_acq_optimizer_free(opt);
    smac_cs_free(cs);
}

/* --------------------------------------------------- challenger stream */

typedef struct fill_ctx {
    int calls;
    int n;
    int fail;
    int P;
} fill_ctx;

static int fill_list(void *ctx, smac_acq_list *out, smac_error *err)
{
    fill_ctx *f = ctx;
    f->calls++;
    if (f->fail)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "model exploded");
    double row[16] = {0};
    for (int i = 0; i < f->n; i++) {
        row[0] = i; /* marks the position */
        int rc = smac_acq_list_push(out, row, (double)-i, SMAC_ORIGIN_LOCAL_SEARCH, err);
        if (rc)
            return rc;
    }
    return 0;
}

static void test_challengers_interleave_with_probability(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    int P = smac_cs_n_params(cs);
    smac_rng srng;
    smac_rng_seed(&srng, 1, 0);
    smac_chooser ch;
    smac_chooser_init_prob(&ch, 0.3, 77);
    fill_ctx f = {0, 10000, 0, P};
    smac_challengers s;
    smac_error err;
    assert_int_equal(smac_challengers_init(&s, cs, &ch, &srng, fill_list, &f, &err), 0);
    double cfg[7];
    const char *origin;
    int random = 0, next_pos = 0;
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 1);
        if (strcmp(origin, SMAC_ORIGIN_RANDOM_SEARCH) == 0) {
            random++;
            assert_int_equal(smac_cs_check(cs, cfg, NULL), 0);
        } else {
            /* the optimiser's list in order */
            assert_true(cfg[0] == next_pos);
            next_pos++;
        }
    }
    assert_int_equal(f.calls, 1);
    assert_true(random > 1350 && random < 1650); /* 0.3 * 5000 = 1500, sd ~32 */
    smac_challengers_free(&s);
    smac_cs_free(cs);
}

static void test_challengers_are_lazy(void **state)
{
    (void)state;
    smac_cs *cs = make_space();
    int P = smac_cs_n_params(cs);
    smac_rng srng;
    smac_rng_seed(&srng, 1, 0);
    smac_chooser always;
    smac_chooser_init_prob(&always, 1.0, 3);
    fill_ctx f = {0, 3, 0, P};
    smac_challengers s;
    smac_error err;
    double cfg[7];
    const char *origin;
    assert_int_equal(smac_challengers_init(&s, cs, &always, &srng, fill_list, &f, &err), 0);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 1);
        assert_string_equal(origin, SMAC_ORIGIN_RANDOM_SEARCH);
    }
    assert_int_equal(f.calls, 0);
    assert_false(smac_challengers_computed(&s));
    smac_challengers_free(&s);

    /* never random: computed at the first request, once; then exhausted */
    smac_chooser never;
    smac_chooser_init_prob(&never, 0.0, 3);
    assert_int_equal(smac_challengers_init(&s, cs, &never, &srng, fill_list, &f, &err), 0);
    assert_int_equal(f.calls, 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 1);
        assert_true(cfg[0] == i);
    }
    assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 0);
    assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 0);
    assert_int_equal(f.calls, 1);
    smac_challengers_free(&s);

    /* no chooser: the list only */
    assert_int_equal(smac_challengers_init(&s, cs, NULL, NULL, fill_list, &f, &err), 0);
    int n = 0;
    while (smac_challengers_next(&s, cfg, NULL, &err) == 1)
        n++;
    assert_int_equal(n, 3);
    smac_challengers_free(&s);

    /* a failing fill is reported */
    f.fail = 1;
    assert_int_equal(smac_challengers_init(&s, cs, &never, &srng, fill_list, &f, &err), 0);
    assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), SMAC_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "model exploded"));
    smac_challengers_free(&s);

    /* the random-only stream of an untrained model: exactly n */
    assert_int_equal(smac_challengers_init_random(&s, cs, &srng, 1, &err), 0);
    assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 1);
    assert_string_equal(origin, SMAC_ORIGIN_RANDOM_SEARCH);
    assert_int_equal(smac_challengers_next(&s, cfg, &origin, &err), 0);
    smac_challengers_free(&s);
    assert_int_equal(smac_challengers_init_random(&s, cs, &srng, -1, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_challengers_init(&s, cs, &never, NULL, fill_list, &f, &err), SMAC_ERR_INVALID);
    smac_cs_free(cs);
}

/* The ranking sort against a plain insertion of each element into place:
 * many equal values (few distinct ones), equal keys, NaN-cleaned values and
 * sizes around the insertion-sort cut-off and the heap-sort guard. */
static int rank_is_before(const acq_rank *a, const acq_rank *b)
{
    if (a->value != b->value)
        return a->value > b->value;
    if (a->key != b->key)
        return a->key > b->key;
    return a->idx < b->idx;
}

static void test_rank_sort_orders_totally(void **state)
{
    (void)state;
    smac_rng rng;
    smac_rng_seed(&rng, 7, 0);
    const int sizes[] = {0, 1, 2, 15, 16, 17, 100, 1000, 5000};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        int n = sizes[s];
        for (int variant = 0; variant < 3; variant++) {
            acq_rank *r = malloc((size_t)(n > 0 ? n : 1) * sizeof *r);
            assert_non_null(r);
            for (int i = 0; i < n; i++) {
                /* variant 0: few values; 1: sorted ascending (worst case for
                 * naive pivots); 2: all values and keys equal */
                r[i].value = variant == 0 ? (double)smac_rng_below(&rng, 5)
                                          : variant == 1 ? (double)i : 1.0;
                r[i].value = variant == 0 && i % 7 == 0 ? acq_clean(NAN) : r[i].value;
                r[i].key = variant == 2 ? 3u : smac_rng_below(&rng, 4);
                r[i].idx = i;
            }
            acq_rank_sort(r, n);
            int *seen = calloc((size_t)(n > 0 ? n : 1), sizeof *seen);
            assert_non_null(seen);
            for (int i = 0; i < n; i++) {
                assert_true(r[i].idx >= 0 && r[i].idx < n);
                assert_int_equal(seen[r[i].idx], 0);
                seen[r[i].idx] = 1;
                if (i > 0)
                    assert_true(rank_is_before(&r[i - 1], &r[i]));
            }
            free(seen);
            free(r);
        }
    }
}

static void test_choosers(void **state)
{
    (void)state;
    smac_chooser c;
    /* NoCoolDown(2): iterations 1, 2, 3, 4 -> model, random, model, random */
    smac_chooser_init_no_cooldown(&c, 2.0);
    assert_false(smac_chooser_check(&c, 1));
    assert_true(smac_chooser_check(&c, 2));
    assert_false(smac_chooser_check(&c, 3));
    assert_true(smac_chooser_check(&c, 4));
    /* NoCoolDown(1): always random */
    smac_chooser_init_no_cooldown(&c, 1.0);
    for (int i = 1; i < 10; i++)
        assert_true(smac_chooser_check(&c, i));
    /* LinearCoolDown(2, +0.3, inf): modulus 2.3 after one SMBO iteration */
    smac_chooser_init_linear_cooldown(&c, 2.0, 0.3, INFINITY);
    smac_chooser_next_iteration(&c);
    assert_true(fabs(c.modulus - 2.3) < 1e-12);
    assert_false(smac_chooser_check(&c, 1)); /* 1 % 2.3 = 1 */
    assert_false(smac_chooser_check(&c, 2)); /* 2 */
    assert_true(smac_chooser_check(&c, 3));  /* 3 % 2.3 = 0.7 */
    assert_int_equal(c.last_iteration, 3);
    assert_false(smac_chooser_check(&c, 4)); /* (4 - 3) % 2.3 = 1 */
    /* end modulus caps the growth */
    smac_chooser_init_linear_cooldown(&c, 2.0, 5.0, 4.0);
    smac_chooser_next_iteration(&c);
    assert_true(c.modulus == 4.0);
    /* ProbCoolDown: the probability shrinks per SMBO iteration */
    smac_chooser_init_prob_cooldown(&c, 0.5, 0.5, 1);
    smac_chooser_next_iteration(&c);
    smac_chooser_next_iteration(&c);
    assert_true(c.prob == 0.125);
    /* ChooserProb: deterministic per seed */
    smac_chooser a, b;
    smac_chooser_init_prob(&a, 0.5, 9);
    smac_chooser_init_prob(&b, 0.5, 9);
    for (int i = 1; i < 100; i++)
        assert_int_equal(smac_chooser_check(&a, i), smac_chooser_check(&b, i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_search_climbs_to_optimum),
        cmocka_unit_test(test_plateau_walks_terminate),
        cmocka_unit_test(test_plateau_walk_moves),
        cmocka_unit_test(test_start_points_from_history),
        cmocka_unit_test(test_random_search_sorted_with_random_ties),
        cmocka_unit_test(test_maximize_list),
        cmocka_unit_test(test_maximize_ties_keep_random_first),
        cmocka_unit_test(test_challengers_interleave_with_probability),
        cmocka_unit_test(test_challengers_are_lazy),
        cmocka_unit_test(test_choosers),
        cmocka_unit_test(test_rank_sort_orders_totally),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
