/*
 * Tests of the pcs_new reader and writer (src/cs/pcs_new.c): every
 * parameter type with and without log, ordinals, constants, every condition
 * operator, && and || (mixed: && binds tighter), multi-level conditions,
 * forbidden clauses, line cleaning, the exact writer text, round trips, and
 * the writer's normal form for nested conditions. Malformed input lives in
 * test_pcs_bad.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "cs_test_util.h"

static smac_cs *read_new(const char *text) { return cs_test_read(text, SMAC_CS_PCS_NEW); }
static char *write_new(const smac_cs *cs) { return cs_test_write(cs, SMAC_CS_PCS_NEW); }
static const cs_param *param(const smac_cs *cs, const char *name) { return cs_test_param(cs, name); }
static const cs_cond *cond_of(const smac_cs *cs, const char *child) { return &cs_test_condition(cs, child)->root; }

/* Reads, writes (must give `expected`), reads the output and writes again
 * (must give the same text: the spaces are equal). */
static void assert_writes(const char *text, const char *expected)
{
    smac_cs *cs = read_new(text);
    char *out = write_new(cs);
    assert_string_equal(out, expected);
    smac_cs *again = read_new(out);
    assert_int_equal(smac_cs_n_params(again), smac_cs_n_params(cs));
    assert_int_equal(smac_cs_n_conditions(again), smac_cs_n_conditions(cs));
    assert_int_equal(smac_cs_n_forbiddens(again), smac_cs_n_forbiddens(cs));
    char *out2 = write_new(again);
    assert_string_equal(out2, expected);
    free(out);
    free(out2);
    smac_cs_free(cs);
    smac_cs_free(again);
}

static void test_every_type(void **state)
{
    (void)state;
    smac_cs *cs = read_new("x real [-5, 10] [0]\n"
                           "lr real [1e-05, 1.0] [0.01]log\n"
                           "n integer [1, 100] [10]\n"
                           "m integer [1, 1024] [32]log\n"
                           "c categorical {a, b, c} [c]\n"
                           "o ordinal {low, mid, high} [mid]\n");
    assert_int_equal(smac_cs_n_params(cs), 6);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS_NEW);
    assert_int_equal(param(cs, "x")->type, SMAC_PARAM_REAL);
    assert_false(param(cs, "x")->log);
    assert_int_equal(param(cs, "lr")->type, SMAC_PARAM_REAL);
    assert_true(param(cs, "lr")->log);
    assert_int_equal(param(cs, "n")->type, SMAC_PARAM_INTEGER);
    assert_false(param(cs, "n")->log);
    assert_int_equal(param(cs, "m")->type, SMAC_PARAM_INTEGER);
    assert_true(param(cs, "m")->log);
    assert_true(param(cs, "m")->default_value == 32);
    assert_int_equal(param(cs, "c")->type, SMAC_PARAM_CATEGORICAL);
    assert_true(param(cs, "c")->default_value == 2);
    const cs_param *o = param(cs, "o");
    assert_int_equal(o->type, SMAC_PARAM_ORDINAL);
    assert_int_equal(o->n_choices, 3);
    assert_string_equal(o->choices[0], "low");
    assert_true(o->default_value == 1);
    smac_cs_free(cs);
}

static void test_writer_exact_text(void **state)
{
    (void)state;
    assert_writes("x real [-5, 10] [0]\n"
                  "lr real [1e-5, 1] [0.01]log\n"
                  "n integer [1, 100] [10]\n"
                  "m integer [1, 1024] [32]log\n"
                  "c categorical {a, b, c} [c]\n"
                  "o ordinal {low, mid, high} [mid]\n",
                  "c categorical {a, b, c} [c]\n"
                  "lr real [1e-05, 1.0] [0.01]log\n"
                  "m integer [1, 1024] [32]log\n"
                  "n integer [1, 100] [10]\n"
                  "o ordinal {low, mid, high} [mid]\n"
                  "x real [-5.0, 10.0] [0.0]");
}

static void test_every_operator(void **state)
{
    (void)state;
    const char *text = "c categorical {a, b, z} [a]\n"
                       "o ordinal {low, mid, high} [low]\n"
                       "n integer [0, 10] [5]\n"
                       "r real [0, 1] [0.5]\n"
                       "c_in real [0, 1] [0]\n"
                       "c_in1 real [0, 1] [0]\n"
                       "c_eq real [0, 1] [0]\n"
                       "c_ne real [0, 1] [0]\n"
                       "o_lt real [0, 1] [0]\n"
                       "o_gt real [0, 1] [0]\n"
                       "n_lt real [0, 1] [0]\n"
                       "n_in real [0, 1] [0]\n"
                       "r_gt real [0, 1] [0]\n"
                       "c_in | c in {a, z}\n"
                       "c_in1 | c in {b}\n"
                       "c_eq | c == b\n"
                       "c_ne | c != b\n"
                       "o_lt | o < high\n"
                       "o_gt | o > low\n"
                       "n_lt | n < 7\n"
                       "n_in | n in {1, 2}\n"
                       "r_gt | r > 0.25\n";
    smac_cs *cs = read_new(text);
    assert_int_equal(smac_cs_n_conditions(cs), 9);
    const cs_cond *c = cond_of(cs, "c_in");
    assert_int_equal(c->op, CS_COND_IN);
    assert_true(c->values[0] == 0 && c->values[1] == 2);
    assert_int_equal(cond_of(cs, "c_in1")->op, CS_COND_EQ); /* in {v} is an equality */
    assert_int_equal(cond_of(cs, "c_eq")->op, CS_COND_EQ);
    assert_true(cond_of(cs, "c_eq")->values[0] == 1);
    assert_int_equal(cond_of(cs, "c_ne")->op, CS_COND_NEQ);
    assert_int_equal(cond_of(cs, "o_lt")->op, CS_COND_LT);
    assert_true(cond_of(cs, "o_lt")->values[0] == 2);
    assert_int_equal(cond_of(cs, "o_gt")->op, CS_COND_GT);
    assert_int_equal(cond_of(cs, "n_lt")->op, CS_COND_LT);
    assert_true(cond_of(cs, "n_lt")->values[0] == 7);
    assert_int_equal(cond_of(cs, "n_in")->op, CS_COND_IN);
    assert_true(cond_of(cs, "r_gt")->values[0] == 0.25);
    smac_cs_free(cs);

    assert_writes(text, "c categorical {a, b, z} [a]\n"
                        "n integer [0, 10] [5]\n"
                        "o ordinal {low, mid, high} [low]\n"
                        "r real [0.0, 1.0] [0.5]\n"
                        "c_eq real [0.0, 1.0] [0.0]\n"
                        "c_in real [0.0, 1.0] [0.0]\n"
                        "c_in1 real [0.0, 1.0] [0.0]\n"
                        "c_ne real [0.0, 1.0] [0.0]\n"
                        "n_in real [0.0, 1.0] [0.0]\n"
                        "n_lt real [0.0, 1.0] [0.0]\n"
                        "o_gt real [0.0, 1.0] [0.0]\n"
                        "o_lt real [0.0, 1.0] [0.0]\n"
                        "r_gt real [0.0, 1.0] [0.0]\n"
                        "\n"
                        "c_eq | c == b\n"
                        "c_in | c in {a, z}\n"
                        "c_in1 | c == b\n"
                        "c_ne | c != b\n"
                        "n_in | n in {1, 2}\n"
                        "n_lt | n < 7\n"
                        "o_gt | o > low\n"
                        "o_lt | o < high\n"
                        "r_gt | r > 0.25");
}

static void test_and_or(void **state)
{
    (void)state;
    const char *text = "p1 integer [0, 10] [0]\n"
                       "p2 integer [0, 10] [0]\n"
                       "p3 integer [0, 10] [0]\n"
                       "p4 integer [0, 10] [0]\n"
                       "a real [0, 1] [0]\n"
                       "o real [0, 1] [0]\n"
                       "m real [0, 1] [0]\n"
                       "a | p1 < 5 && p2 > 5\n"
                       "o | p1 == 1 || p2 == 2 || p3 in {3, 4}\n"
                       "m | p1 < 5 && p2 > 5 || p3 < 5 && p4 > 5 || p1 == 9\n";
    smac_cs *cs = read_new(text);
    const cs_cond *a = cond_of(cs, "a");
    assert_int_equal(a->op, CS_COND_AND);
    assert_int_equal(a->n_parts, 2);
    assert_int_equal(a->parts[1].op, CS_COND_GT);

    const cs_cond *o = cond_of(cs, "o");
    assert_int_equal(o->op, CS_COND_OR);
    assert_int_equal(o->n_parts, 3);
    assert_int_equal(o->parts[2].op, CS_COND_IN);

    /* && binds tighter: OR(AND(p1<5, p2>5), AND(p3<5, p4>5), p1==9). */
    const cs_cond *m = cond_of(cs, "m");
    assert_int_equal(m->op, CS_COND_OR);
    assert_int_equal(m->n_parts, 3);
    assert_int_equal(m->parts[0].op, CS_COND_AND);
    assert_int_equal(m->parts[0].n_parts, 2);
    assert_int_equal(m->parts[0].parts[0].parent, smac_cs_param_index(cs, "p1"));
    assert_int_equal(m->parts[1].op, CS_COND_AND);
    assert_int_equal(m->parts[1].parts[1].parent, smac_cs_param_index(cs, "p4"));
    assert_int_equal(m->parts[2].op, CS_COND_EQ);
    smac_cs_free(cs);

    /* The nested condition is written whole (ConfigSpace 0.4.21 writes
     * only "p1 < 5 || p3 < 5 || p1 == 9" here). */
    assert_writes(text, "p1 integer [0, 10] [0]\n"
                        "p2 integer [0, 10] [0]\n"
                        "p3 integer [0, 10] [0]\n"
                        "p4 integer [0, 10] [0]\n"
                        "a real [0.0, 1.0] [0.0]\n"
                        "m real [0.0, 1.0] [0.0]\n"
                        "o real [0.0, 1.0] [0.0]\n"
                        "\n"
                        "a | p1 < 5 && p2 > 5\n"
                        "m | p1 < 5 && p2 > 5 || p3 < 5 && p4 > 5 || p1 == 9\n"
                        "o | p1 == 1 || p2 == 2 || p3 in {3, 4}");
}

static void test_multi_level_and_condition_order(void **state)
{
    (void)state;
    /* Conditions are written grouped by parent in canonical order, each
     * parent's children in canonical order (ConfigSpace's get_conditions). */
    assert_writes("top categorical {on, off} [on]\n"
                  "alpha categorical {x, y} [x]\n"
                  "mid integer [1, 4] [2]\n"
                  "leaf real [0, 1] [0.5]\n"
                  "zed real [0, 1] [0.5]\n"
                  "b2 real [0, 1] [0.5]\n"
                  "leaf | mid > 2\n"
                  "mid | top == on\n"
                  "zed | top == off\n"
                  "b2 | alpha == y && top == on\n",
                  "alpha categorical {x, y} [x]\n"
                  "top categorical {on, off} [on]\n"
                  "b2 real [0.0, 1.0] [0.5]\n"
                  "mid integer [1, 4] [2]\n"
                  "zed real [0.0, 1.0] [0.5]\n"
                  "leaf real [0.0, 1.0] [0.5]\n"
                  "\n"
                  "b2 | alpha == y && top == on\n"
                  "mid | top == on\n"
                  "zed | top == off\n"
                  "leaf | mid > 2");
}

static void test_forbiddens(void **state)
{
    (void)state;
    const char *text = "c categorical {a, b} [a]\n"
                       "n integer [0, 10] [0]\n"
                       "r real [0, 1] [0]\n"
                       "o ordinal {lo, hi} [lo]\n"
                       "{n=3, c=b}\n"
                       "{r=0.5}\n"
                       "{o=hi, c=b}\n";
    smac_cs *cs = read_new(text);
    assert_int_equal(smac_cs_n_forbiddens(cs), 3);
    assert_int_equal(cs->forbiddens[0].op, CS_FORBID_AND);
    assert_true(cs->forbiddens[0].parts[0].values[0] == 3);
    assert_int_equal(cs->forbiddens[1].n_parts, 1);
    assert_true(cs->forbiddens[1].parts[0].values[0] == 0.5);
    smac_cs_free(cs);
    assert_writes(text, "c categorical {a, b} [a]\n"
                        "n integer [0, 10] [0]\n"
                        "o ordinal {lo, hi} [lo]\n"
                        "r real [0.0, 1.0] [0.0]\n"
                        "\n"
                        "{n=3, c=b}\n"
                        "{o=hi, c=b}\n"
                        "{r=0.5}\n");
}

static void test_line_cleaning(void **state)
{
    (void)state;
    /* CRLF, a lone CR, tabs, quotes, comments, a blank line, free text. */
    const char *good = "# header\r\n"
                       "\"c\"\tcategorical\t{'a','b'}\t[b]\t# note ] |\r\n"
                       "\r\n"
                       "x real [0.125,1] [0.25]log  \r"
                       "\tsome free text without brackets\n"
                       "x | c == a";
    smac_cs *cs = read_new(good);
    assert_int_equal(smac_cs_n_params(cs), 2);
    assert_int_equal(smac_cs_n_conditions(cs), 1);
    char *out = write_new(cs);
    assert_string_equal(out, "c categorical {a, b} [b]\nx real [0.125, 1.0] [0.25]log\n\nx | c == a");
    free(out);
    smac_cs_free(cs);

    cs = read_new("");
    assert_int_equal(smac_cs_n_params(cs), 0);
    out = write_new(cs);
    assert_string_equal(out, "");
    free(out);
    smac_cs_free(cs);
}

static void test_huge_numbers(void **state)
{
    (void)state;
    assert_writes("huge_integer integer [900000000,18000000000] [9000000000]\n"
                  "huge_float real [900000000,18000000000] [9000000000]\n"
                  "tiny real [1e-300, 1e300] [1]log\n"
                  "neg integer [-123456789012, -5] [-6]\n",
                  "huge_float real [900000000.0, 18000000000.0] [9000000000.0]\n"
                  "huge_integer integer [900000000, 18000000000] [9000000000]\n"
                  "neg integer [-123456789012, -5] [-6]\n"
                  "tiny real [1e-300, 1e+300] [1.0]log");
}

/* Builds a space with the builder for what the PCS readers cannot produce. */
static smac_cs *finish(cs_builder *b)
{
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    if (smac_cs_builder_finish(b, SMAC_CS_JSON, &cs, &err) != 0)
        fail_msg("%s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

static void test_constant_written_as_categorical(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "1.5", CS_VALUE_FLOAT, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "q", 0, 100, 1, 50, 0, 5, &err), 0);
    smac_cs *cs = finish(b);
    char *out = write_new(cs);
    /* ConfigSpace writes a quantised parameter with a "Q<q>_" name prefix. */
    assert_string_equal(out, "k categorical {1.5} [1.5]\nQ5_q integer [0, 100] [50]");
    free(out);
    smac_cs_free(cs);
}

static void test_and_of_or_written_in_normal_form(void **state)
{
    (void)state;
    /* AND(OR(a==x, a==y), b<3) cannot be written as is in pcs_new (no
     * parentheses); its normal form a==x && b<3 || a==y && b<3 is. */
    cs_builder *b = smac_cs_builder_new();
    smac_error err;
    smac_error_clear(&err);
    const char *abc[] = {"x", "y", "z"};
    assert_int_equal(smac_cs_builder_add_categorical(b, "a", 3, abc, NULL, "x", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "b", 0, 9, 1, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "c", 0, 1, 1, 0, 0, 0, &err), 0);
    const char *vx[] = {"x"}, *vy[] = {"y"}, *v3[] = {"3"};
    cs_cond_spec ors[2] = {
        {.op = CS_COND_EQ, .parent = "a", .n_values = 1, .values = vx},
        {.op = CS_COND_EQ, .parent = "a", .n_values = 1, .values = vy},
    };
    cs_cond_spec ands[2] = {
        {.op = CS_COND_OR, .n_parts = 2, .parts = ors},
        {.op = CS_COND_LT, .parent = "b", .n_values = 1, .values = v3},
    };
    cs_cond_spec root = {.op = CS_COND_AND, .n_parts = 2, .parts = ands};
    assert_int_equal(smac_cs_builder_add_condition(b, "c", &root, &err), 0);
    smac_cs *cs = finish(b);
    char *out = write_new(cs);
    assert_string_equal(out, "a categorical {x, y, z} [x]\n"
                             "b integer [0, 9] [0]\n"
                             "c real [0.0, 1.0] [0.0]\n"
                             "\n"
                             "c | a == x && b < 3 || a == y && b < 3");
    free(out);
    smac_cs_free(cs);
}

static void test_writer_refusals(void **state)
{
    (void)state;
    smac_error err;
    smac_error_clear(&err);
    cs_builder *b = smac_cs_builder_new();
    const char *ch[] = {"a", "b c"};
    assert_int_equal(smac_cs_builder_add_categorical(b, "p", 2, ch, NULL, "a", NULL, &err), 0);
    smac_cs *cs = finish(b);
    assert_null(cs_write_pcs_new(cs, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "'b c'"));
    smac_cs_free(cs);

    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_integer(b, "x", 0, 9, 1, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "y", 0, 9, 1, 5, 0, 0, &err), 0);
    cs_forbid_spec rel = {.op = CS_FORBID_LESS, .param = "y", .other = "x"};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &rel, &err), 0);
    cs = finish(b);
    smac_error_clear(&err);
    assert_null(cs_write_pcs_new(cs, &err));
    assert_non_null(strstr(err.message, "relations"));
    smac_cs_free(cs);
}

static void test_auto_detection(void **state)
{
    (void)state;
    const char *old_text = "a {x, y} [x]\nb [0, 1] [0.5]\nb | a in {y}\n";
    const char *new_text = "a categorical {x, y} [x]\nb real [0, 1] [0.5]\nb | a == y\n";
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_cs_read_text(old_text, strlen(old_text), "s.pcs", SMAC_CS_AUTO, &cs, &err), 0);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS);
    char *a = write_new(cs);
    smac_cs_free(cs);
    assert_int_equal(smac_cs_read_text(new_text, strlen(new_text), "s.pcs", SMAC_CS_AUTO, &cs, &err), 0);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS_NEW);
    char *b = write_new(cs);
    smac_cs_free(cs);
    /* Both describe the same space. */
    assert_string_equal(a, b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_writer_exact_text),
        cmocka_unit_test(test_every_operator),
        cmocka_unit_test(test_and_or),
        cmocka_unit_test(test_multi_level_and_condition_order),
        cmocka_unit_test(test_forbiddens),
        cmocka_unit_test(test_line_cleaning),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_constant_written_as_categorical),
        cmocka_unit_test(test_and_of_or_written_in_normal_form),
        cmocka_unit_test(test_writer_refusals),
        cmocka_unit_test(test_auto_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
