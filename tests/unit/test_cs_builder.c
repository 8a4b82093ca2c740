/* The configuration-space builder: canonical order, defaults, conditions of
 * every kind, forbidden clauses, the inspection functions, and every error
 * the builder reports (with the names and values the message must carry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"

#define ARR(...) ((const char *const[]){__VA_ARGS__})
#define NARR(...) ((int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static cs_cond_spec leaf(cs_cond_op op, const char *parent, int n, const char *const *values)
{
    cs_cond_spec s = {.op = op, .parent = parent, .n_values = n, .values = values};
    return s;
}

static smac_cs *finish_ok(cs_builder *b)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    int rc = smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err);
    if (rc != 0)
        fail_msg("finish failed: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

/* finish must fail with SMAC_ERR_INVALID and a message containing `part`. */
static void finish_fails(cs_builder *b, const char *part)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err), SMAC_ERR_INVALID);
    assert_null(cs);
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_contains(err.message, part);
    smac_cs_builder_free(b);
}

static void test_canonical_order(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    assert_non_null(b);
    smac_error err = {0};
    /* added in a scrambled order; 'Z' < 'a' in byte order */
    assert_int_equal(smac_cs_builder_add_real(b, "z_child2", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "sw", 2, ARR("on", "off"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "grandchild", 1, 10, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "a_child", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "b", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "Z", 0, 1, 0, 0, 0, 0, &err), 0);
    cs_cond_spec c1 = leaf(CS_COND_EQ, "sw", 1, ARR("on"));
    assert_int_equal(smac_cs_builder_add_condition(b, "z_child2", &c1, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "a_child", &c1, &err), 0);
    /* grandchild depends on a level-2 and a level-1 parameter: level 3 */
    cs_cond_spec parts[2] = {leaf(CS_COND_GT, "a_child", 1, ARR("0.5")), leaf(CS_COND_LT, "b", 1, ARR("0.9"))};
    cs_cond_spec both = {.op = CS_COND_AND, .n_parts = 2, .parts = parts};
    assert_int_equal(smac_cs_builder_add_condition(b, "grandchild", &both, &err), 0);
    smac_cs *cs = finish_ok(b);

    const char *expect[] = {"Z", "b", "sw", "a_child", "z_child2", "grandchild"};
    int levels[] = {1, 1, 1, 2, 2, 3};
    assert_int_equal(smac_cs_n_params(cs), 6);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(smac_cs_param_name(cs, i), expect[i]);
        assert_int_equal(smac_cs_param_index(cs, expect[i]), i);
        assert_int_equal(cs->params[i].level, levels[i]);
    }
    assert_int_equal(smac_cs_param_index(cs, "nope"), -1);
    assert_null(smac_cs_param_name(cs, 6));
    assert_null(smac_cs_param_name(cs, -1));
    assert_int_equal(smac_cs_param_type(cs, 2), SMAC_PARAM_CATEGORICAL);
    assert_int_equal(smac_cs_param_type(cs, 5), SMAC_PARAM_INTEGER);
    assert_int_equal(smac_cs_n_conditions(cs), 3);
    assert_int_equal(smac_cs_n_forbiddens(cs), 0);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS_NEW);

    /* conditions sit in their child's order, leaves renumbered canonically */
    assert_int_equal(cs->conditions[0].child, 3);
    assert_int_equal(cs->conditions[1].child, 4);
    assert_int_equal(cs->conditions[2].child, 5);
    assert_int_equal(cs->params[3].condition, 0);
    assert_int_equal(cs->params[0].condition, -1);
    assert_int_equal(cs->conditions[0].root.parent, 2);
    assert_int_equal(cs->conditions[2].root.parts[0].parent, 3);
    assert_int_equal(cs->conditions[2].root.parts[1].parent, 1);
    /* children lists */
    assert_int_equal(cs->params[2].n_children, 2);
    assert_int_equal(cs->params[2].children[0], 3);
    assert_int_equal(cs->params[2].children[1], 4);
    assert_int_equal(cs->params[1].n_children, 1);
    assert_int_equal(cs->params[1].children[0], 5);
    assert_int_equal(cs->params[3].n_children, 1);
    assert_int_equal(cs->params[0].n_children, 0);
    smac_cs_free(cs);
}

static void test_defaults(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_real(b, "r", -5, 10, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "rlog", 1e-5, 1, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "rgiven", 0, 1, 1, 0.123456789012345, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "i", 1, 4, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "i2", 1, 6, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "ilog", 1, 1024, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "igiven", 1, 100, 1, 10, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 3, ARR("x", "y", "z"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c2", 3, ARR("x", "y", "z"), NULL, "z", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("low", "mid", "high"), NULL, "mid", &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o2", 3, ARR("low", "mid", "high"), NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "fixed", CS_VALUE_STRING, &err), 0);
    smac_cs *cs = finish_ok(b);
    const cs_param *p = cs->params;
    int i;
    i = smac_cs_param_index(cs, "r");
    assert_true(p[i].default_value == 2.5);
    i = smac_cs_param_index(cs, "rlog");
    /* geometric mean sqrt(1e-5) rounded to 10 decimals */
    assert_true(p[i].default_value == 0.0031622777);
    i = smac_cs_param_index(cs, "rgiven");
    assert_true(p[i].default_value == 0.123456789);
    i = smac_cs_param_index(cs, "i");
    assert_true(p[i].default_value == 2.0); /* 2.5 rounds half to even */
    i = smac_cs_param_index(cs, "i2");
    assert_true(p[i].default_value == 4.0); /* 3.5 -> 4 */
    i = smac_cs_param_index(cs, "ilog");
    assert_true(p[i].default_value == 32.0);
    i = smac_cs_param_index(cs, "igiven");
    assert_true(p[i].default_value == 10.0);
    i = smac_cs_param_index(cs, "c");
    assert_true(p[i].default_value == 0.0);
    assert_int_equal(p[i].n_choices, 3);
    assert_int_equal(p[i].kinds[1], CS_VALUE_STRING);
    assert_null(p[i].weights);
    i = smac_cs_param_index(cs, "c2");
    assert_true(p[i].default_value == 2.0);
    i = smac_cs_param_index(cs, "o");
    assert_true(p[i].default_value == 1.0);
    i = smac_cs_param_index(cs, "o2");
    assert_true(p[i].default_value == 0.0);
    i = smac_cs_param_index(cs, "k");
    assert_int_equal(p[i].n_choices, 1);
    assert_string_equal(p[i].choices[0], "fixed");

    double vec[12];
    smac_cs_default(cs, vec);
    assert_int_equal(smac_cs_check(cs, vec, NULL), 0);
    i = smac_cs_param_index(cs, "r");
    assert_true(fabs(vec[i] - 0.5) < 1e-15);
    i = smac_cs_param_index(cs, "c2");
    assert_true(vec[i] == 2.0);
    i = smac_cs_param_index(cs, "k");
    assert_true(vec[i] == 0.0);
    smac_cs_free(cs);
}

static void test_default_of_inactive_is_nan(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "y", 0, 1, 0, 0, 0, 0, &err), 0);
    cs_cond_spec ca = leaf(CS_COND_EQ, "c", 1, ARR("b"));
    cs_cond_spec cb = leaf(CS_COND_EQ, "c", 1, ARR("a"));
    assert_int_equal(smac_cs_builder_add_condition(b, "x", &ca, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "y", &cb, &err), 0);
    smac_cs *cs = finish_ok(b);
    double v[3];
    smac_cs_default(cs, v);
    assert_true(v[0] == 0.0);
    assert_true(isnan(v[1]));
    assert_true(v[2] == 0.5);
    smac_cs_free(cs);
}

/* Builds the space {c in a,b,c; o ordinal; r real [0,10]; n int [1,10];
 * k constant} plus one child "x" with the given condition; returns the
 * finished space or NULL when add_condition failed (err filled). */
static smac_cs *space_with_condition(const cs_cond_spec *spec, smac_error *err)
{
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 3, ARR("a", "b", "c"), NULL, NULL, NULL, err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("lo", "mid", "hi"), NULL, NULL, err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 10, 0, 0, 0, 0, err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 10, 0, 0, 0, 0, err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "v", CS_VALUE_STRING, err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, err), 0);
    if (smac_cs_builder_add_condition(b, "x", spec, err) != 0) {
        smac_cs_builder_free(b);
        return NULL;
    }
    return finish_ok(b);
}

/* Is x active when the parents take these values (given as text)? */
static int active_with(smac_cs *cs, const char *c, const char *o, const char *r, const char *n)
{
    double v[6];
    smac_cs_default(cs, v);
    const char *texts[4] = {c, o, r, n};
    const char *names[4] = {"c", "o", "r", "n"};
    for (int k = 0; k < 4; k++) {
        int i = smac_cs_param_index(cs, names[k]);
        assert_int_equal(smac_cs_parse_value(cs, i, texts[k], &v[i], NULL), 0);
    }
    int x = smac_cs_param_index(cs, "x");
    v[x] = 0.5;
    return cs_cond_eval(cs, &cs->conditions[cs->params[x].condition].root, v);
}

static void test_condition_ops(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_cond_spec s;
    smac_cs *cs;

    s = leaf(CS_COND_EQ, "c", 1, ARR("b"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(cs->conditions[0].root.values[0] == 1.0); /* stored as the index */
    assert_true(active_with(cs, "b", "lo", "1", "1"));
    assert_false(active_with(cs, "a", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_NEQ, "c", 1, ARR("b"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_false(active_with(cs, "b", "lo", "1", "1"));
    assert_true(active_with(cs, "c", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_IN, "c", 2, ARR("a", "c"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "1", "1"));
    assert_false(active_with(cs, "b", "lo", "1", "1"));
    assert_true(active_with(cs, "c", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_IN, "c", 1, ARR("c")); /* a single-value IN */
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "c", "lo", "1", "1"));
    assert_false(active_with(cs, "a", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_GT, "r", 1, ARR("2.5"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(cs->conditions[0].root.values[0] == 2.5);
    assert_true(active_with(cs, "a", "lo", "3", "1"));
    assert_false(active_with(cs, "a", "lo", "2.5", "1"));
    assert_false(active_with(cs, "a", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_LT, "n", 1, ARR("5"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "3", "4"));
    assert_false(active_with(cs, "a", "lo", "3", "5"));
    smac_cs_free(cs);

    s = leaf(CS_COND_EQ, "n", 1, ARR("7"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "3", "7"));
    assert_false(active_with(cs, "a", "lo", "3", "8"));
    smac_cs_free(cs);

    s = leaf(CS_COND_EQ, "r", 1, ARR("0.3"));
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "0.3", "7"));
    assert_false(active_with(cs, "a", "lo", "0.31", "7"));
    smac_cs_free(cs);

    s = leaf(CS_COND_GT, "o", 1, ARR("lo")); /* ordinal: by position */
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "mid", "1", "1"));
    assert_true(active_with(cs, "a", "hi", "1", "1"));
    assert_false(active_with(cs, "a", "lo", "1", "1"));
    smac_cs_free(cs);

    s = leaf(CS_COND_EQ, "k", 1, ARR("v")); /* constant parent */
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "1", "1"));
    smac_cs_free(cs);

    /* (c == a && n > 3) || (o == hi && r < 5): nested AND inside OR,
     * four different parents */
    cs_cond_spec and1[2] = {leaf(CS_COND_EQ, "c", 1, ARR("a")), leaf(CS_COND_GT, "n", 1, ARR("3"))};
    cs_cond_spec and2[2] = {leaf(CS_COND_EQ, "o", 1, ARR("hi")), leaf(CS_COND_LT, "r", 1, ARR("5"))};
    cs_cond_spec ors[2] = {{.op = CS_COND_AND, .n_parts = 2, .parts = and1},
                           {.op = CS_COND_AND, .n_parts = 2, .parts = and2}};
    s = (cs_cond_spec){.op = CS_COND_OR, .n_parts = 2, .parts = ors};
    assert_non_null(cs = space_with_condition(&s, &err));
    assert_true(active_with(cs, "a", "lo", "9", "4"));
    assert_false(active_with(cs, "a", "lo", "9", "3"));
    assert_false(active_with(cs, "b", "lo", "9", "4"));
    assert_true(active_with(cs, "b", "hi", "4", "1"));
    assert_false(active_with(cs, "b", "hi", "5", "1"));
    int x = smac_cs_param_index(cs, "x");
    assert_int_equal(cs->params[x].level, 2);
    for (int k = 0; k < 4; k++) {
        const char *names[4] = {"c", "o", "r", "n"};
        int i = smac_cs_param_index(cs, names[k]);
        assert_int_equal(cs->params[i].n_children, 1);
        assert_int_equal(cs->params[i].children[0], x);
    }
    smac_cs_free(cs);
}

static void test_condition_errors(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_cond_spec s;

    s = leaf(CS_COND_EQ, "c", 1, ARR("zz"));
    assert_null(space_with_condition(&s, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_contains(err.message, "'zz' is not a legal value of parameter 'c' (legal: a, b, c)");
    assert_contains(err.message, "condition of 'x'");

    s = leaf(CS_COND_LT, "c", 1, ARR("a"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "needs a numeric or ordinal parent, but 'c' is categorical");

    s = leaf(CS_COND_EQ, "n", 1, ARR("2.5"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "'2.5' is not an integer");

    s = leaf(CS_COND_EQ, "r", 1, ARR("abc"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "'abc' is not a number");

    s = leaf(CS_COND_GT, "r", 1, ARR("11"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "outside the range [0.0, 10.0] of parameter 'r'");

    s = leaf(CS_COND_EQ, "ghost", 1, ARR("a"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "unknown parent parameter 'ghost'");

    s = leaf(CS_COND_EQ, "c", 2, ARR("a", "b"));
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "exactly one value");

    s = (cs_cond_spec){.op = CS_COND_AND, .n_parts = 0};
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "at least one part");

    cs_cond_spec bad[2] = {leaf(CS_COND_EQ, "c", 1, ARR("a")), leaf(CS_COND_EQ, "o", 1, ARR("none"))};
    s = (cs_cond_spec){.op = CS_COND_OR, .n_parts = 2, .parts = bad};
    assert_null(space_with_condition(&s, &err));
    assert_contains(err.message, "'none' is not a legal value of parameter 'o' (legal: lo, mid, hi)");

    /* unknown child, second condition */
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, &err), 0);
    s = leaf(CS_COND_EQ, "c", 1, ARR("a"));
    assert_int_equal(smac_cs_builder_add_condition(b, "y", &s, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "unknown parameter 'y'");
    assert_int_equal(smac_cs_builder_add_condition(b, "x", &s, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "x", &s, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'x' already has a condition");
    assert_contains(err.message, "ambiguous");
    smac_cs_builder_free(b);
}

static void test_cycles(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "a", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "b", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "free", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    cs_cond_spec s1 = leaf(CS_COND_EQ, "b", 1, ARR("1"));
    cs_cond_spec s2 = leaf(CS_COND_EQ, "c", 1, ARR("1"));
    cs_cond_spec s3 = leaf(CS_COND_EQ, "a", 1, ARR("1"));
    assert_int_equal(smac_cs_builder_add_condition(b, "a", &s1, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "b", &s2, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "c", &s3, &err), 0);
    finish_fails(b, "cycle");
    assert_true(1);

    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "a", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "b", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "a", &s1, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "b", &s2, &err), 0);
    assert_int_equal(smac_cs_builder_add_condition(b, "c", &s3, &err), 0);
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_PCS, &cs, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'a' on 'b'");
    assert_contains(err.message, "'b' on 'c'");
    assert_contains(err.message, "'c' on 'a'");
    smac_cs_builder_free(b);

    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "self", 2, ARR("0", "1"), NULL, NULL, NULL, &err), 0);
    cs_cond_spec s4 = leaf(CS_COND_EQ, "self", 1, ARR("1"));
    assert_int_equal(smac_cs_builder_add_condition(b, "self", &s4, &err), 0);
    finish_fails(b, "'self' on 'self'");
}

static void test_long_chain(void **state)
{
    (void)state;
    /* 3000 levels deep: the level computation must not recurse. */
    enum { N = 3000 };
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    char name[32], parent[32];
    for (int i = N - 1; i >= 0; i--) {
        snprintf(name, sizeof name, "p%05d", i);
        assert_int_equal(smac_cs_builder_add_categorical(b, name, 2, ARR("0", "1"), NULL, "1", NULL, &err), 0);
    }
    for (int i = 1; i < N; i++) {
        snprintf(name, sizeof name, "p%05d", i);
        snprintf(parent, sizeof parent, "p%05d", i - 1);
        cs_cond_spec s = leaf(CS_COND_EQ, parent, 1, ARR("1"));
        assert_int_equal(smac_cs_builder_add_condition(b, name, &s, &err), 0);
    }
    smac_cs *cs = finish_ok(b);
    for (int i = 0; i < N; i += 499) {
        snprintf(name, sizeof name, "p%05d", i);
        assert_int_equal(smac_cs_param_index(cs, name), i);
        assert_int_equal(cs->params[i].level, i + 1);
    }
    smac_cs_free(cs);
}

static void test_forbiddens(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 3, ARR("a", "b", "c"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 10, 1, 1, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 1, 1, 0.5, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("1", "2", "3"), NULL, NULL, &err), 0);
    cs_forbid_spec parts[2] = {{.op = CS_FORBID_EQUALS, .param = "c", .n_values = 1, .values = ARR("b")},
                               {.op = CS_FORBID_EQUALS, .param = "n", .n_values = 1, .values = ARR("5")}};
    cs_forbid_spec f_and = {.op = CS_FORBID_AND, .n_parts = 2, .parts = parts};
    cs_forbid_spec f_in = {.op = CS_FORBID_IN, .param = "c", .n_values = 1, .values = ARR("c")};
    cs_forbid_spec f_real = {.op = CS_FORBID_EQUALS, .param = "r", .n_values = 1, .values = ARR("0.25")};
    cs_forbid_spec f_rel = {.op = CS_FORBID_GREATER, .param = "o", .other = "n"};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f_and, &err), 0);
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f_in, &err), 0);
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f_real, &err), 0);
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f_rel, &err), 0);
    smac_cs *cs = finish_ok(b);
    assert_int_equal(smac_cs_n_forbiddens(cs), 4);
    int c = smac_cs_param_index(cs, "c"), n = smac_cs_param_index(cs, "n");
    int r = smac_cs_param_index(cs, "r"), o = smac_cs_param_index(cs, "o");
    assert_int_equal(cs->forbiddens[0].parts[1].param, n);
    assert_true(cs->forbiddens[0].parts[1].values[0] == 5.0);
    assert_int_equal(cs->forbiddens[3].param, o);
    assert_int_equal(cs->forbiddens[3].other, n);

    double v[4];
    smac_cs_default(cs, v);
    assert_int_equal(smac_cs_check(cs, v, &err), 0);
    assert_false(cs_forbidden_matches(cs, &cs->forbiddens[0], v));
    assert_int_equal(smac_cs_parse_value(cs, c, "b", &v[c], NULL), 0);
    assert_int_equal(smac_cs_parse_value(cs, n, "5", &v[n], NULL), 0);
    assert_true(cs_forbidden_matches(cs, &cs->forbiddens[0], v));
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "forbidden clause {c=b, n=5}");
    assert_int_equal(smac_cs_parse_value(cs, n, "6", &v[n], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), 0);
    assert_int_equal(smac_cs_parse_value(cs, c, "c", &v[c], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "{c in {c}}");
    assert_int_equal(smac_cs_parse_value(cs, c, "a", &v[c], NULL), 0);
    assert_int_equal(smac_cs_parse_value(cs, r, "0.25", &v[r], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "{r=0.25}");
    assert_int_equal(smac_cs_parse_value(cs, r, "0.2500001", &v[r], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), 0);
    /* relation o > n: o's values are numeric texts */
    assert_int_equal(smac_cs_parse_value(cs, o, "3", &v[o], NULL), 0);
    assert_int_equal(smac_cs_parse_value(cs, n, "2", &v[n], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "{o > n}");
    assert_int_equal(smac_cs_parse_value(cs, n, "3", &v[n], NULL), 0);
    assert_int_equal(smac_cs_check(cs, v, &err), 0);
    /* the other relations on the same pair (o = 3, n = 3, then n = 4) */
    cs_forbidden rel = cs->forbiddens[3];
    rel.op = CS_FORBID_EQUALS_REL;
    assert_true(cs_forbidden_matches(cs, &rel, v));
    rel.op = CS_FORBID_LESS;
    assert_false(cs_forbidden_matches(cs, &rel, v));
    assert_int_equal(smac_cs_parse_value(cs, n, "4", &v[n], NULL), 0);
    assert_true(cs_forbidden_matches(cs, &rel, v));
    rel.op = CS_FORBID_EQUALS_REL;
    assert_false(cs_forbidden_matches(cs, &rel, v));
    /* an inactive side never matches */
    v[n] = NAN;
    rel.op = CS_FORBID_LESS;
    assert_false(cs_forbidden_matches(cs, &rel, v));
    smac_cs_free(cs);
}

static void test_forbidden_errors(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, 0, &err), 0);
    cs_forbid_spec f1 = {.op = CS_FORBID_EQUALS, .param = "c", .n_values = 1, .values = ARR("q")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f1, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'q' is not a legal value of parameter 'c' (legal: a, b)");
    cs_forbid_spec f2 = {.op = CS_FORBID_EQUALS, .param = "ghost", .n_values = 1, .values = ARR("a")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f2, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "unknown parameter 'ghost'");
    cs_forbid_spec f3 = {.op = CS_FORBID_EQUALS, .param = "r", .n_values = 1, .values = ARR("2")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f3, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "outside the range");
    cs_forbid_spec f4 = {.op = CS_FORBID_AND, .n_parts = 0};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f4, &err), SMAC_ERR_INVALID);
    cs_forbid_spec f5 = {.op = CS_FORBID_LESS, .param = "r", .other = "nobody"};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f5, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'nobody'");
    cs_forbid_spec f6 = {.op = CS_FORBID_IN, .param = "c", .n_values = 0, .values = NULL};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f6, &err), SMAC_ERR_INVALID);
    /* the default c=a forbidden */
    cs_forbid_spec f7 = {.op = CS_FORBID_EQUALS, .param = "c", .n_values = 1, .values = ARR("a")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f7, &err), 0);
    finish_fails(b, "default configuration violates the forbidden clause {c=a}");

    /* a forbidden default of an inactive parameter does not count */
    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "d", 2, ARR("x", "y"), NULL, NULL, NULL, &err), 0);
    cs_cond_spec s = leaf(CS_COND_EQ, "c", 1, ARR("b"));
    assert_int_equal(smac_cs_builder_add_condition(b, "d", &s, &err), 0);
    cs_forbid_spec f8 = {.op = CS_FORBID_EQUALS, .param = "d", .n_values = 1, .values = ARR("x")};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &f8, &err), 0);
    smac_cs *cs = finish_ok(b);
    smac_cs_free(cs);
}

static void test_parameter_errors(void **state)
{
    (void)state;
    smac_error err = {0};
    cs_builder *b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, &err), 0);

    struct {
        int rc;
        const char *part;
    } cases[32];
    int n = 0;
#define CASE(call, text)                          \
    do {                                          \
        memset(&err, 0, sizeof err);              \
        cases[n].rc = (call);                     \
        cases[n].part = (text);                   \
        if (cases[n].rc != SMAC_ERR_INVALID)      \
            fail_msg("case %d did not fail", n);  \
        assert_contains(err.message, cases[n].part); \
        n++;                                      \
    } while (0)
    CASE(smac_cs_builder_add_real(b, "x", 0, 1, 0, 0, 0, 0, &err), "parameter 'x' is defined twice");
    CASE(smac_cs_builder_add_integer(b, "x", 0, 1, 0, 0, 0, 0, &err), "'x' is defined twice");
    CASE(smac_cs_builder_add_real(b, "", 0, 1, 0, 0, 0, 0, &err), "non-empty name");
    CASE(smac_cs_builder_add_real(b, "r", 1, 1, 0, 0, 0, 0, &err),
         "real parameter 'r': lower bound 1.0 must be smaller than upper bound 1.0");
    CASE(smac_cs_builder_add_real(b, "r", 2, 1, 0, 0, 0, 0, &err), "lower bound 2.0 must be smaller");
    CASE(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 1, 0, &err), "'r' is on a log scale");
    CASE(smac_cs_builder_add_real(b, "r", -1, 1, 0, 0, 1, 0, &err), "got -1.0");
    CASE(smac_cs_builder_add_real(b, "r", 0, INFINITY, 0, 0, 0, 0, &err), "finite");
    CASE(smac_cs_builder_add_real(b, "r", 0, 1, 1, 2, 0, 0, &err), "default value 2.0 is outside [0.0, 1.0]");
    CASE(smac_cs_builder_add_real(b, "r", 0, 1, 1, NAN, 0, 0, &err), "not a number");
    CASE(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, 0.3, &err), "multiple of q = 0.3");
    CASE(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, -1, &err), "q must be positive");
    CASE(smac_cs_builder_add_integer(b, "i", 0.5, 10, 0, 0, 0, 0, &err),
         "integer parameter 'i': lower bound 0.5 is not an integer");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 10.2, 0, 0, 0, 0, &err), "upper bound 10.2 is not an integer");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 10, 1, 2.5, 0, 0, &err), "default value 2.5 is not an integer");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 10, 1, 11, 0, 0, &err), "default value 11 is outside");
    CASE(smac_cs_builder_add_integer(b, "i", 5, 5, 0, 0, 0, 0, &err), "integer parameter 'i': lower bound 5 must be smaller than upper bound 5");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 10, 0, 0, 1, 0, &err), "'i' is on a log scale");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 10, 0, 0, 0, 3, &err), "multiple of q = 3");
    CASE(smac_cs_builder_add_integer(b, "i", 0, 1e17, 0, 0, 0, 0, &err), "too large");
    CASE(smac_cs_builder_add_categorical(b, "c", 0, ARR("a"), NULL, NULL, NULL, &err),
         "categorical parameter 'c' has no values");
    CASE(smac_cs_builder_add_categorical(b, "c", 3, ARR("a", "b", "a"), NULL, NULL, NULL, &err),
         "categorical parameter 'c': value 'a' is listed twice");
    CASE(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, "z", NULL, &err),
         "default value 'z' is not one of its values (a, b)");
    CASE(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, ((const double[]){1, -1}), &err),
         "weight -1.0 of value 'b'");
    CASE(smac_cs_builder_add_categorical(b, "c", 2, ARR("a", "b"), NULL, NULL, ((const double[]){0, 0}), &err),
         "all weights are zero");
    CASE(smac_cs_builder_add_ordinal(b, "o", 2, ARR("lo", "lo"), NULL, NULL, &err), "'lo' is listed twice");
    CASE(smac_cs_builder_add_ordinal(b, "o", 2, ARR("lo", "hi"), NULL, "mid", &err),
         "ordinal parameter 'o': default value 'mid' is not one of its values (lo, hi)");
    CASE(smac_cs_builder_add_ordinal(b, "o", 0, NULL, NULL, NULL, &err), "has no values");
    CASE(smac_cs_builder_add_constant(b, "k", NULL, CS_VALUE_STRING, &err), "constant parameter 'k' has no value");
    CASE(smac_cs_builder_add_constant(b, "x", "v", CS_VALUE_STRING, &err), "'x' is defined twice");
#undef CASE
    /* failed additions left nothing behind: the names are still free */
    assert_int_equal(smac_cs_builder_add_real(b, "r", 0, 1, 0, 0, 0, 0.25, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "i", 0, 9, 0, 0, 0, 3, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "i_smallq", 0, 10, 0, 0, 0, 0.5, &err), 0);
    assert_int_equal(
        smac_cs_builder_add_categorical(b, "c", 3, ARR("a", "b", "c"), NULL, "b", ((const double[]){1, 0, 3}), &err),
        0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 2, ARR("lo", "hi"), NULL, "hi", &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "1.5", CS_VALUE_FLOAT, &err), 0);
    assert_int_equal(smac_cs_builder_set_name(b, "my space", &err), 0);
    smac_cs *cs = finish_ok(b);
    assert_string_equal(cs->name, "my space");
    int i = smac_cs_param_index(cs, "i_smallq");
    assert_true(cs->params[i].q == 0.0); /* q < 1 is ignored for integers */
    i = smac_cs_param_index(cs, "c");
    assert_non_null(cs->params[i].weights);
    assert_true(cs->params[i].weights[2] == 3.0);
    i = smac_cs_param_index(cs, "k");
    assert_int_equal(cs->params[i].kinds[0], CS_VALUE_FLOAT);
    smac_cs_free(cs);
}

static void test_empty_space_and_builder_reuse(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_cs *cs = finish_ok(b);
    assert_int_equal(smac_cs_n_params(cs), 0);
    double v[1] = {42};
    smac_cs_default(cs, v);
    assert_int_equal(smac_cs_check(cs, v, NULL), 0);
    char *repr = smac_cs_config_repr(cs, v);
    assert_string_equal(repr, "Configuration(values={\n})\n");
    free(repr);
    smac_cs_free(cs);
    smac_cs_free(NULL);
    smac_cs_builder_free(NULL);
    assert_int_equal(smac_cs_n_params(NULL), 0);
}

/* smac_cs_read_text / _read_file / _write: format detection as SMAC3 does
 * it and which error is shown when no format fits. */
static smac_cs *read_auto(const char *text, const char *filename, smac_error *err)
{
    smac_cs *cs = NULL;
    int rc = smac_cs_read_text(text, strlen(text), filename, SMAC_CS_AUTO, &cs, err);
    assert_true((rc == 0) == (cs != NULL));
    return cs;
}

static void test_read_dispatch(void **state)
{
    (void)state;
    smac_error err = {0}, direct = {0};
    smac_cs *cs;

    cs = read_auto("x [0, 1] [0.5]\nc {a, b} [b]\n", "space.pcs", &err);
    assert_non_null(cs);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS);
    assert_int_equal(smac_cs_n_params(cs), 2);
    char *text = smac_cs_write(cs, SMAC_CS_PCS_NEW, &err);
    assert_non_null(text);
    assert_contains(text, "x real [0.0, 1.0] [0.5]");
    assert_null(smac_cs_write(cs, SMAC_CS_AUTO, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    smac_cs_free(cs);

    /* the old reader refuses pcs_new, the new one takes it */
    cs = read_auto(text, NULL, &err);
    free(text);
    assert_non_null(cs);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS_NEW);
    text = smac_cs_write(cs, SMAC_CS_JSON, &err);
    assert_non_null(text);
    smac_cs_free(cs);

    /* .json names go to the JSON reader; other names never do */
    cs = read_auto(text, "space.json", &err);
    assert_non_null(cs);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_JSON);
    assert_int_equal(smac_cs_n_params(cs), 2);
    smac_cs_free(cs);
    assert_null(read_auto(text, "space.pcs", &err));
    cs = NULL;
    assert_int_equal(smac_cs_read_text(text, strlen(text), "space.txt", SMAC_CS_JSON, &cs, &err), 0);
    smac_cs_free(cs);
    free(text);

    /* both readers fail: the error of the format the text looks like */
    const char *looks_new = "x real [0, 1] [0.5]\ny integer [1, 10] [99]\n";
    assert_null(read_auto(looks_new, "bad.pcs", &err));
    assert_int_not_equal(err.code, 0);
    cs = NULL;
    assert_int_not_equal(smac_cs_read_text(looks_new, strlen(looks_new), "bad.pcs", SMAC_CS_PCS_NEW, &cs, &direct), 0);
    assert_string_equal(err.message, direct.message);
    const char *looks_old = "x [0, 1] [0.5]\ny [1, 10] [99]i\n";
    assert_null(read_auto(looks_old, "bad.pcs", &err));
    assert_int_not_equal(smac_cs_read_text(looks_old, strlen(looks_old), "bad.pcs", SMAC_CS_PCS, &cs, &direct), 0);
    assert_string_equal(err.message, direct.message);
    assert_contains(err.message, "bad.pcs");

    /* explicit formats are not second-guessed */
    assert_int_not_equal(smac_cs_read_text("x real [0, 1] [0.5]\n", 20, "a.pcs", SMAC_CS_PCS, &cs, &err), 0);
    assert_null(cs);
    assert_int_equal(smac_cs_read_text("x", 1, "a.pcs", (smac_cs_format)42, &cs, &err), SMAC_ERR_INVALID);

    /* files */
    assert_int_equal(smac_cs_read_file("no/such/file.pcs", SMAC_CS_AUTO, &cs, &err), SMAC_ERR_IO);
    assert_null(cs);
    char path[1024];
    snprintf(path, sizeof path, "%s/pcs/examples.pcs", SMAC_SHARED_DIR);
    if (smac_cs_read_file(path, SMAC_CS_AUTO, &cs, &err) == 0) {
        assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS_NEW);
        smac_cs_free(cs);
    } else {
        print_message("shared folder not found, file check skipped (%s)\n", err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_order),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_default_of_inactive_is_nan),
        cmocka_unit_test(test_condition_ops),
        cmocka_unit_test(test_condition_errors),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_forbiddens),
        cmocka_unit_test(test_forbidden_errors),
        cmocka_unit_test(test_parameter_errors),
        cmocka_unit_test(test_empty_space_and_builder_reuse),
        cmocka_unit_test(test_read_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
