/*
 * Helpers shared by the run-history tests (test_runhistory.c, test_rh_json.c):
 * the small mixed space of the pSMAC fixture, built with the builder so the
 * tests do not depend on a PCS reader, and text helpers.
 *
 *   n [1, 64] log integer (default 8), solver {a, b, c}, use_boost {yes, no}
 *   (default no), x1 [-5, 10] real (default 0), boost [0.01, 10] log real
 *   (default 1) active only when use_boost = yes; {solver=c, use_boost=yes}
 *   is forbidden. Canonical order: n, solver, use_boost, x1, boost.
 */
#ifndef RH_TEST_UTIL_H
#define RH_TEST_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "runhistory/runhistory.h"

enum { P_N, P_SOLVER, P_USE_BOOST, P_X1, P_BOOST, N_PARAMS };

static inline smac_cs *rh_test_space(void)
{
    smac_error err;
    cs_builder *b = smac_cs_builder_new();
    smac_cs *cs = NULL;
    const char *solvers[] = {"a", "b", "c"}, *yes_no[] = {"yes", "no"}, *yes[] = {"yes"}, *c[] = {"c"};
    cs_cond_spec cond = {CS_COND_EQ, "use_boost", 1, yes, 0, NULL};
    cs_forbid_spec parts[2] = {{CS_FORBID_EQUALS, "solver", NULL, 1, c, 0, NULL},
                               {CS_FORBID_EQUALS, "use_boost", NULL, 1, yes, 0, NULL}};
    cs_forbid_spec forbid = {CS_FORBID_AND, NULL, NULL, 0, NULL, 2, parts};
    if (!b || smac_cs_builder_add_real(b, "x1", -5, 10, 1, 0, 0, 0, &err) ||
        smac_cs_builder_add_integer(b, "n", 1, 64, 1, 8, 1, 0, &err) ||
        smac_cs_builder_add_categorical(b, "solver", 3, solvers, NULL, "a", NULL, &err) ||
        smac_cs_builder_add_categorical(b, "use_boost", 2, yes_no, NULL, "no", NULL, &err) ||
        smac_cs_builder_add_real(b, "boost", 0.01, 10, 1, 1, 1, 0, &err) ||
        smac_cs_builder_add_condition(b, "boost", &cond, &err) || smac_cs_builder_add_forbidden(b, &forbid, &err) ||
        smac_cs_builder_finish(b, SMAC_CS_PCS, &cs, &err)) {
        fprintf(stderr, "building the test space failed: %s\n", err.message);
        cs = NULL;
    }
    smac_cs_builder_free(b);
    return cs;
}

/* A configuration vector of the test space from values (boost NaN = inactive). */
static inline void rh_test_vec(const smac_cs *cs, double n, int solver, int use_boost, double x1, double boost,
                               double *vec)
{
    vec[P_N] = cs_param_to_unit(&cs->params[P_N], n);
    vec[P_SOLVER] = solver;
    vec[P_USE_BOOST] = use_boost;
    vec[P_X1] = cs_param_to_unit(&cs->params[P_X1], x1);
    vec[P_BOOST] = isnan(boost) ? NAN : cs_param_to_unit(&cs->params[P_BOOST], boost);
}

static inline smac_run_value rh_test_value(double cost, smac_status status)
{
    smac_run_value v = {cost, cost, status, 0.0, 0.0, NULL};
    return v;
}

/* 1 if `hay` contains `needle`; prints both otherwise (for cmocka output). */
static inline int rh_test_contains(const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle))
        return 1;
    fprintf(stderr, "expected \"%s\" in \"%s\"\n", needle, hay ? hay : "(null)");
    return 0;
}

/* Prints where two texts first differ (a debugging aid for byte-exact tests). */
static inline int rh_test_same_text(const char *a, size_t na, const char *b, size_t nb)
{
    if (na == nb && memcmp(a, b, na) == 0)
        return 1;
    size_t i = 0;
    while (i < na && i < nb && a[i] == b[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    fprintf(stderr, "texts differ at byte %zu (lengths %zu, %zu)\n--- got:\n%.*s\n--- want:\n%.*s\n", i, na, nb,
            (int)((na < i + 60 ? na : i + 60) - from), a + from, (int)((nb < i + 60 ? nb : i + 60) - from),
            b + from);
    return 0;
}

/* A cmocka fixture: the space above and an empty history over it. */
typedef struct rh_fixture {
    smac_cs *cs;
    smac_runhistory *rh;
} rh_fixture;

static inline int rh_test_setup(void **state)
{
    rh_fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->cs = rh_test_space()) || !(f->rh = smac_runhistory_new(f->cs, NULL))) {
        if (f)
            smac_cs_free(f->cs);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int rh_test_teardown(void **state)
{
    rh_fixture *f = *state;
    smac_runhistory_free(f->rh);
    smac_cs_free(f->cs);
    free(f);
    return 0;
}

#endif
