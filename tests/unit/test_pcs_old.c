/*
 * Tests of the old (SMAC2/ParamILS) PCS reader and writer (src/cs/pcs_old.c):
 * every parameter kind and flag spelling, conditions (one line and several
 * lines AND-ed, multi-level), forbidden clauses, the line cleaning rules
 * (comments, quotes, CRLF, tabs, no final newline, empty files), the exact
 * text the writer produces, round trips, and the spaces the old format
 * cannot express. Malformed input lives in test_pcs_bad.c.
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

static smac_cs *read_old(const char *text) { return cs_test_read(text, SMAC_CS_PCS); }
static char *write_old(const smac_cs *cs) { return cs_test_write(cs, SMAC_CS_PCS); }
static const cs_param *param(const smac_cs *cs, const char *name) { return cs_test_param(cs, name); }
static const cs_condition *condition_of(const smac_cs *cs, const char *child) { return cs_test_condition(cs, child); }

/* Reads text, writes it, and checks the written text is `expected` and reads
 * back to a space that writes the same text again. */
static void assert_writes(const char *text, const char *expected)
{
    smac_cs *cs = read_old(text);
    char *out = write_old(cs);
    assert_string_equal(out, expected);
    smac_cs *again = read_old(out);
    char *out2 = write_old(again);
    assert_string_equal(out2, expected);
    free(out);
    free(out2);
    smac_cs_free(cs);
    smac_cs_free(again);
}

static void test_every_type_and_flag(void **state)
{
    (void)state;
    smac_cs *cs = read_old("x1 [-5, 10] [0]\n"
                           "lr [1e-5, 1] [0.01]l\n"
                           "n [1, 100] [10]i\n"
                           "m [1, 1024] [32]il\n"
                           "k [1, 1024] [32]li\n"
                           "j [1, 8] [2] i\n"
                           "c {a, b, c} [b]\n"
                           "one {only} [only]\n");
    assert_int_equal(smac_cs_n_params(cs), 8);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_PCS);

    const cs_param *p = param(cs, "x1");
    assert_int_equal(p->type, SMAC_PARAM_REAL);
    assert_false(p->log);
    assert_true(p->lower == -5 && p->upper == 10 && p->default_value == 0);

    p = param(cs, "lr");
    assert_int_equal(p->type, SMAC_PARAM_REAL);
    assert_true(p->log);
    assert_true(p->lower == 1e-5 && p->default_value == 0.01);

    p = param(cs, "n");
    assert_int_equal(p->type, SMAC_PARAM_INTEGER);
    assert_false(p->log);
    assert_true(p->default_value == 10);

    assert_int_equal(param(cs, "m")->type, SMAC_PARAM_INTEGER);
    assert_true(param(cs, "m")->log);
    assert_int_equal(param(cs, "k")->type, SMAC_PARAM_INTEGER);
    assert_true(param(cs, "k")->log);
    assert_int_equal(param(cs, "j")->type, SMAC_PARAM_INTEGER);

    p = param(cs, "c");
    assert_int_equal(p->type, SMAC_PARAM_CATEGORICAL);
    assert_int_equal(p->n_choices, 3);
    assert_string_equal(p->choices[2], "c");
    assert_true(p->default_value == 1);

    p = param(cs, "one");
    assert_int_equal(p->type, SMAC_PARAM_CATEGORICAL);
    assert_int_equal(p->n_choices, 1);
    smac_cs_free(cs);
}

static void test_writer_exact_text(void **state)
{
    (void)state;
    /* Canonical order (by name), reals as repr, integers plain, flags "i",
     * "l", "il"; no newline after the last line without forbiddens. */
    assert_writes("x1 [-5, 10] [0]\n"
                  "lr [1e-5, 1] [0.01]l\n"
                  "n [1, 100] [10]i\n"
                  "m [1, 1024] [32]li\n"
                  "c {a, b, c} [b]\n",
                  "c {a, b, c} [b]\n"
                  "lr [1e-05, 1.0] [0.01]l\n"
                  "m [1, 1024] [32]il\n"
                  "n [1, 100] [10]i\n"
                  "x1 [-5.0, 10.0] [0.0]");
}

static void test_conditions(void **state)
{
    (void)state;
    const char *text = "a {on, off, auto} [on]\n"
                       "b {x, y} [x]\n"
                       "n [1, 10] [5]i\n"
                       "c [0, 1] [0.5]\n"
                       "d {p, q} [p]\n"
                       "c | a in {on, auto}\n"
                       "c | b in {y}\n"      /* second line for c: AND */
                       "n | a in {off}\n"    /* one value: equality */
                       "d | n in {3, 4}\n";  /* multi-level, numeric parent */
    smac_cs *cs = read_old(text);
    assert_int_equal(smac_cs_n_conditions(cs), 3);

    const cs_condition *c = condition_of(cs, "c");
    assert_int_equal(c->root.op, CS_COND_AND);
    assert_int_equal(c->root.n_parts, 2);
    assert_int_equal(c->root.parts[0].op, CS_COND_IN);
    assert_int_equal(c->root.parts[0].parent, smac_cs_param_index(cs, "a"));
    assert_int_equal(c->root.parts[0].n_values, 2);
    assert_true(c->root.parts[0].values[0] == 0 && c->root.parts[0].values[1] == 2);
    assert_int_equal(c->root.parts[1].op, CS_COND_EQ);
    assert_true(c->root.parts[1].values[0] == 1);

    const cs_condition *n = condition_of(cs, "n");
    assert_int_equal(n->root.op, CS_COND_EQ);
    assert_true(n->root.values[0] == 1);

    const cs_condition *d = condition_of(cs, "d");
    assert_int_equal(d->root.op, CS_COND_IN);
    assert_true(d->root.values[0] == 3 && d->root.values[1] == 4);
    /* d hangs below n, which hangs below a. */
    assert_int_equal(param(cs, "n")->level, 2);
    assert_int_equal(param(cs, "d")->level, 3);
    smac_cs_free(cs);

    /* Written back: parents in canonical order, AND as several lines in
     * their original order, a numeric parent's values as numbers. */
    assert_writes(text, "a {on, off, auto} [on]\n"
                        "b {x, y} [x]\n"
                        "c [0.0, 1.0] [0.5]\n"
                        "n [1, 10] [5]i\n"
                        "d {p, q} [p]\n"
                        "\n"
                        "c | a in {on, auto}\n"
                        "c | b in {y}\n"
                        "n | a in {off}\n"
                        "d | n in {3, 4}");
}

static void test_condition_lines_keep_file_order(void **state)
{
    (void)state;
    /* Conditions may come before the parameters they name; an AND keeps
     * the order of its lines, even when the later line names an earlier
     * parent. */
    assert_writes("z | b in {1}\n"
                  "z | a in {0}\n"
                  "z {u, v} [u]\n"
                  "a {0, 1} [0]\n"
                  "b {0, 1} [1]\n",
                  "a {0, 1} [0]\n"
                  "b {0, 1} [1]\n"
                  "z {u, v} [u]\n"
                  "\n"
                  "z | b in {1}\n"
                  "z | a in {0}");
}

static void test_forbiddens(void **state)
{
    (void)state;
    const char *text = "a {x, y, z} [x]\n"
                       "b {1, 2} [1]\n"
                       "n [0, 10] [0]i\n"
                       "{a=y, b=2}\n"
                       "{b=2,a=z}\n"
                       "{a=y, b=2}\n"; /* a duplicate is kept, as ConfigSpace keeps it */
    smac_cs *cs = read_old(text);
    assert_int_equal(smac_cs_n_forbiddens(cs), 3);
    const cs_forbidden *f = &cs->forbiddens[1];
    assert_int_equal(f->op, CS_FORBID_AND);
    assert_int_equal(f->n_parts, 2);
    assert_int_equal(f->parts[0].op, CS_FORBID_EQUALS);
    assert_int_equal(f->parts[0].param, smac_cs_param_index(cs, "b"));
    assert_true(f->parts[0].values[0] == 1);
    assert_true(f->parts[1].values[0] == 2);
    smac_cs_free(cs);

    /* Forbidden lines are sorted and each ends in a newline. */
    assert_writes(text, "a {x, y, z} [x]\n"
                        "b {1, 2} [1]\n"
                        "n [0, 10] [0]i\n"
                        "\n"
                        "{a=y, b=2}\n"
                        "{a=y, b=2}\n"
                        "{b=2, a=z}\n");
}

static void test_line_cleaning(void **state)
{
    (void)state;
    /* CRLF, lone CR, tabs, comments, quotes, lines without brackets
     * ("Conditionals:"), blank lines and no final newline. */
    const char *text = "# a comment line\r\n"
                       "\t\"c\" {'a', \"b\"} [a]   # trailing comment with ] and |\r\n"
                       "Conditionals:\r"
                       "   \r\n"
                       "x\t[0,\t1]\t[0.5]\t#c\r\n"
                       "x | c in {b}";
    smac_cs *cs = read_old(text);
    assert_int_equal(smac_cs_n_params(cs), 2);
    assert_int_equal(smac_cs_n_conditions(cs), 1);
    assert_string_equal(param(cs, "c")->choices[1], "b");
    char *out = write_old(cs);
    assert_string_equal(out, "c {a, b} [a]\nx [0.0, 1.0] [0.5]\n\nx | c in {b}");
    free(out);
    smac_cs_free(cs);
}

static void test_empty_files(void **state)
{
    (void)state;
    const char *texts[] = {"", "\n", "# nothing\n\n   \n", "Conditionals:\nForbidden:\n"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        smac_cs *cs = read_old(texts[i]);
        assert_int_equal(smac_cs_n_params(cs), 0);
        char *out = write_old(cs);
        assert_string_equal(out, "");
        free(out);
        smac_cs_free(cs);
    }
}

static void test_numbers(void **state)
{
    (void)state;
    smac_cs *cs = read_old("a [-.5, +2.5e1] [1E-1]\n"
                           "big [900000000, 18000000000] [9000000000]i\n"
                           "tiny [1e-300, 1e300] [1]l\n");
    assert_true(param(cs, "a")->lower == -0.5);
    assert_true(param(cs, "a")->upper == 25.0);
    assert_true(param(cs, "a")->default_value == 0.1);
    assert_true(param(cs, "big")->upper == 18000000000.0);
    char *out = write_old(cs);
    assert_string_equal(out, "a [-0.5, 25.0] [0.1]\n"
                             "big [900000000, 18000000000] [9000000000]i\n"
                             "tiny [1e-300, 1e+300] [1.0]l");
    free(out);
    smac_cs_free(cs);
}

static void test_names_with_special_characters(void **state)
{
    (void)state;
    assert_writes("@1:S:del-grow {yes, no} [no]\n"
                  "lib/x.y?!$%&*+<> [1, 2] [1]i\n"
                  "@1:0:del-cfl {no, yes} [no]\n"
                  "lib/x.y?!$%&*+<> | @1:S:del-grow in {yes}\n"
                  "{@1:S:del-grow=yes, @1:0:del-cfl=no}\n",
                  "@1:0:del-cfl {no, yes} [no]\n"
                  "@1:S:del-grow {yes, no} [no]\n"
                  "lib/x.y?!$%&*+<> [1, 2] [1]i\n"
                  "\n"
                  "lib/x.y?!$%&*+<> | @1:S:del-grow in {yes}\n"
                  "\n"
                  "{@1:S:del-grow=yes, @1:0:del-cfl=no}\n");
}

/* A space the old format cannot hold must be refused, not mangled. */
static void assert_write_fails(const char *pcs_new_text, const char *fragment)
{
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    int rc = smac_cs_read_text(pcs_new_text, strlen(pcs_new_text), "t.pcs", SMAC_CS_PCS_NEW, &cs, &err);
    if (rc != 0)
        fail_msg("%s", err.message);
    smac_error_clear(&err);
    char *out = cs_write_pcs_old(cs, &err);
    assert_null(out);
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    if (!strstr(err.message, fragment))
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
    smac_cs_free(cs);
}

static void test_writer_refuses_what_it_cannot_express(void **state)
{
    (void)state;
    assert_write_fails("o ordinal {a, b} [a]\n", "ordinal parameter 'o'");
    assert_write_fails("a categorical {x, y} [x]\nb real [0, 1] [0]\nb | a != x\n", "'!='");
    assert_write_fails("a integer [0, 9] [0]\nb real [0, 1] [0]\nb | a > 3\n", "'>'");
    assert_write_fails("a categorical {x, y} [x]\nb real [0, 1] [0]\nb | a == x || a == y\n", "'||'");
}

static void test_writer_constant_and_weights(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    assert_non_null(b);
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_cs_builder_add_constant(b, "k", "value", CS_VALUE_STRING, &err), 0);
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_JSON, &cs, &err), 0);
    smac_cs_builder_free(b);
    char *out = write_old(cs);
    assert_string_equal(out, "k {value} [value]");
    free(out);
    smac_cs_free(cs);

    b = smac_cs_builder_new();
    const char *choices[] = {"a", "b"};
    const double weights[] = {0.25, 0.75};
    assert_int_equal(smac_cs_builder_add_categorical(b, "w", 2, choices, NULL, "b", weights, &err), 0);
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_JSON, &cs, &err), 0);
    smac_cs_builder_free(b);
    smac_error_clear(&err);
    assert_null(cs_write_pcs_old(cs, &err));
    assert_non_null(strstr(err.message, "probabilities"));
    smac_cs_free(cs);

    /* A name with a blank could not be read back: refused. */
    b = smac_cs_builder_new();
    assert_int_equal(smac_cs_builder_add_real(b, "a b", 0, 1, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_JSON, &cs, &err), 0);
    smac_cs_builder_free(b);
    smac_error_clear(&err);
    assert_null(cs_write_pcs_old(cs, &err));
    assert_non_null(strstr(err.message, "'a b'"));
    smac_cs_free(cs);
}

static void test_forbidden_in_clause_expands(void **state)
{
    (void)state;
    /* An IN clause (from JSON) becomes one line per value, as ConfigSpace
     * writes it: IN-derived equalities first, then the others. */
    cs_builder *b = smac_cs_builder_new();
    smac_error err;
    smac_error_clear(&err);
    const char *ab[] = {"a", "b", "c"};
    const char *xy[] = {"x", "y"};
    assert_int_equal(smac_cs_builder_add_categorical(b, "p", 3, ab, NULL, "a", NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_categorical(b, "q", 2, xy, NULL, "x", NULL, &err), 0);
    const char *in_vals[] = {"c", "b"};
    const char *eq_val[] = {"y"};
    cs_forbid_spec parts[2] = {
        {.op = CS_FORBID_EQUALS, .param = "q", .n_values = 1, .values = eq_val},
        {.op = CS_FORBID_IN, .param = "p", .n_values = 2, .values = in_vals},
    };
    cs_forbid_spec all = {.op = CS_FORBID_AND, .n_parts = 2, .parts = parts};
    assert_int_equal(smac_cs_builder_add_forbidden(b, &all, &err), 0);
    smac_cs *cs = NULL;
    assert_int_equal(smac_cs_builder_finish(b, SMAC_CS_JSON, &cs, &err), 0);
    smac_cs_builder_free(b);
    char *out = write_old(cs);
    assert_string_equal(out, "p {a, b, c} [a]\nq {x, y} [x]\n\n{p=b, q=y}\n{p=c, q=y}\n");
    free(out);
    smac_cs_free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_and_flag),
        cmocka_unit_test(test_writer_exact_text),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_condition_lines_keep_file_order),
        cmocka_unit_test(test_forbiddens),
        cmocka_unit_test(test_line_cleaning),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_names_with_special_characters),
        cmocka_unit_test(test_writer_refuses_what_it_cannot_express),
        cmocka_unit_test(test_writer_constant_and_weights),
        cmocka_unit_test(test_forbidden_in_clause_expands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
