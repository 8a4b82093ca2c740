/*
 * Malformed PCS input: every file in tests/data/pcs_bad/ must be refused
 * with a non-zero status and a message that names file:line:column and what
 * was expected (the table below; a file missing from the table fails the
 * test), without crashing or leaking. Then a few inputs that are easier to
 * build in code: arbitrary bytes, very long lines and names, and the
 * automatic format detection when neither format fits.
 *
 * Files named old_* are read as the old format, new_* as pcs_new.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/fsutil.h"

#define BAD_DIR SMAC_SOURCE_DIR "/tests/data/pcs_bad"

typedef struct bad_case {
    const char *file;
    smac_cs_format format;
    int code;
    const char *fragment;
} bad_case;

static const bad_case CASES[] = {
    {"new_choices_for_real.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_choices_for_real.pcs:1:8: expected '[' to open the range, found '{'"},
    {"new_cond_not_integer.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_cond_not_integer.pcs:3:10: condition of 'b': '2.5' is not an integer (a is integer)"},
    {"new_cond_not_number.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_cond_not_number.pcs:3:9: condition of 'b': 'big' is not a number (a is real)"},
    {"new_cond_unknown_parent.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_cond_unknown_parent.pcs:3:14: condition of 'b': unknown parent parameter 'zz'"},
    {"new_cond_value_range.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_cond_value_range.pcs:3:9: condition of 'b': 12 is outside [0, 9] of 'a'"},
    {"new_crlf_error.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_crlf_error.pcs:2:16: parameter 'x': default value 2.0 is outside [0.0, 1.0]"},
    {"new_cycle3.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_cycle3.pcs:6:1: the conditions form a cycle"},
    {"new_dangling_and.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_dangling_and.pcs:3:14: expected the name of a parent parameter, found end of line"},
    {"new_empty_ordinal.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_empty_ordinal.pcs:1:12: empty list of the values of 'o'"},
    {"new_forbidden_default.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_forbidden_default.pcs:3:1: the default configuration"},
    {"new_forbidden_range.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_forbidden_range.pcs:2:4: forbidden clause: 11 is outside [0, 10] of 'n'"},
    {"new_in_without_braces.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_in_without_braces.pcs:3:10: expected '{' after 'in', found 'x'"},
    {"new_int_default_fraction.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_int_default_fraction.pcs:1:20: integer parameter 'n': default value 2.5 is not an integer"},
    {"new_log_int_zero.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_log_int_zero.pcs:1:12: parameter 'n': a log scale needs a positive lower bound, not 0"},
    {"new_log_typo.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_log_typo.pcs:1:19: unexpected 'lg' after the default value"},
    {"new_lt_categorical.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_lt_categorical.pcs:3:7: condition of 'b': '<' needs a real, integer or ordinal parent, but 'a' is categorical"},
    {"new_missing_operator.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_missing_operator.pcs:3:6: expected an operator (in, ==, !=, < or >) after the parent parameter, found end of line"},
    {"new_missing_type.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_missing_type.pcs:1:3: expected a parameter type (real, integer, categorical or ordinal), found '['"},
    {"new_non_ascii_name.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_non_ascii_name.pcs:1:4: expected a parameter type (real, integer, categorical or ordinal), found '\\xc3'"},
    {"new_ordinal_bad_default.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_ordinal_bad_default.pcs:1:21: parameter 'o': default value 'mid' is not one of its values"},
    {"new_ordinal_duplicate.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_ordinal_duplicate.pcs:1:21: parameter 'o': value 'lo' is listed twice"},
    {"new_range_for_categorical.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_range_for_categorical.pcs:1:15: expected '{' to open the list of values, found '['"},
    {"new_second_condition.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_second_condition.pcs:4:1: second condition for 'b' (the first is on line 3)"},
    {"new_self_condition.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_INVALID,
     "new_self_condition.pcs:2:5: condition of 'a': a parameter cannot be its own parent"},
    {"new_unknown_operator.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_unknown_operator.pcs:3:7: unknown operator '<=' (expected in, ==, !=, < or >)"},
    {"new_unknown_type.pcs", SMAC_CS_PCS_NEW, SMAC_ERR_PARSE,
     "new_unknown_type.pcs:1:3: unknown parameter type 'float'"},
    {"old_bad_number.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_bad_number.pcs:1:7: expected a number for the upper bound, found '1.5.2'"},
    {"old_cond_illegal_value.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_cond_illegal_value.pcs:3:14: condition of 'b': 'w' is not a value of 'a'"},
    {"old_cond_operator.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_cond_operator.pcs:3:7: expected 'in' after the parent parameter (the old pcs format has no other operator)"},
    {"old_cond_unknown_child.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_cond_unknown_child.pcs:2:1: condition on unknown parameter 'q'"},
    {"old_cond_unknown_parent.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_cond_unknown_parent.pcs:3:5: condition of 'b': unknown parent parameter 'zz'"},
    {"old_cycle.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_cycle.pcs:4:1: the conditions form a cycle"},
    {"old_default_not_choice.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_default_not_choice.pcs:1:11: parameter 'c': default value 'z' is not one of its values"},
    {"old_default_out_of_range.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_default_out_of_range.pcs:1:12: parameter 'n': default value 11 is outside [1, 10]"},
    {"old_duplicate_choice.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_duplicate_choice.pcs:1:10: parameter 'c': value 'a' is listed twice"},
    {"old_duplicate_name.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_duplicate_name.pcs:3:1: parameter 'a'"},
    {"old_duplicate_choice_first.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_duplicate_choice_first.pcs:1:10: parameter 'c': value 'b' is listed twice"},
    {"old_empty_choices.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_empty_choices.pcs:1:4: empty list of the values of 'c'"},
    {"old_forbidden_default.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_forbidden_default.pcs:4:1: the default configuration"},
    {"old_forbidden_illegal.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_forbidden_illegal.pcs:2:4: forbidden clause: 'w' is not a value of 'a'"},
    {"old_forbidden_no_value.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_forbidden_no_value.pcs:2:3: expected '=' after the parameter name in a forbidden clause, found '}'"},
    {"old_forbidden_unknown.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_forbidden_unknown.pcs:2:7: forbidden clause on unknown parameter 'zz'"},
    {"old_forbidden_unterminated.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_forbidden_unterminated.pcs:2:5: expected '}' or ',' after a value in the forbidden clause, found end of line"},
    {"old_garbage_after_default.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_garbage_after_default.pcs:1:14: unexpected 'extra' after the default value"},
    {"old_huge_number.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_huge_number.pcs:1:7: upper bound 1e999 is too large"},
    {"old_int_fraction.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_int_fraction.pcs:1:4: integer parameter 'n': lower bound 0.5 is not an integer"},
    {"old_log_nonpositive.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_log_nonpositive.pcs:1:5: parameter 'lr': a log scale needs a positive lower bound, not 0.0"},
    {"old_lower_ge_upper.pcs", SMAC_CS_PCS, SMAC_ERR_INVALID,
     "old_lower_ge_upper.pcs:1:4: parameter 'x': lower bound 5.0 must be smaller than upper bound 1.0"},
    {"old_missing_comma.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_missing_comma.pcs:1:6: expected ',' after the lower bound, found '1'"},
    {"old_missing_default.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_missing_default.pcs:1:9: expected '[' to open the default value, found end of line"},
    {"old_missing_name.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_missing_name.pcs:1:1: expected a parameter name, found '['"},
    {"old_new_syntax.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_new_syntax.pcs:1:3: expected '[' (a numeric range) or '{' (a list of values) after the parameter name, found 'real'"},
    {"old_nul_byte.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_nul_byte.pcs:1:13: unexpected '\\x00' after the default value"},
    {"old_trailing_dot.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_trailing_dot.pcs:1:7: expected a number for the upper bound, found '5.'"},
    {"old_unknown_flag.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_unknown_flag.pcs:1:13: unexpected 'q' after the default value"},
    {"old_unterminated_choices.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_unterminated_choices.pcs:1:8: expected ',' or '}' after one of the values of 'c', found end of line"},
    {"old_unterminated_range.pcs", SMAC_CS_PCS, SMAC_ERR_PARSE,
     "old_unterminated_range.pcs:2:8: expected ']' after the upper bound, found end of line"},
};

#define N_CASES (sizeof CASES / sizeof *CASES)

static void check_case(const bad_case *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", BAD_DIR, c->file);
    char *text;
    size_t len;
    smac_error err;
    smac_error_clear(&err);
    if (smac_read_file(path, &text, &len, &err) != 0)
        fail_msg("cannot read %s: %s", path, err.message);
    smac_cs *cs = NULL;
    smac_error_clear(&err);
    int rc = smac_cs_read_text(text, len, c->file, c->format, &cs, &err);
    free(text);
    if (rc == 0) {
        smac_cs_free(cs);
        fail_msg("%s was accepted", c->file);
    }
    assert_null(cs);
    if (rc != c->code || err.code != c->code)
        fail_msg("%s: status %d (error code %d), expected %d: %s", c->file, rc, err.code, c->code,
                 err.message);
    if (!strstr(err.message, c->fragment))
        fail_msg("%s: message\n  %s\nlacks\n  %s", c->file, err.message, c->fragment);
}

static void test_every_bad_file(void **state)
{
    (void)state;
    assert_true(N_CASES >= 30);
    for (size_t i = 0; i < N_CASES; i++)
        check_case(&CASES[i]);
}

/* Every file of the folder has its row, so none is silently untested. */
static void test_folder_matches_table(void **state)
{
    (void)state;
    DIR *d = opendir(BAD_DIR);
    assert_non_null(d);
    size_t seen = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t i = 0;
        while (i < N_CASES && strcmp(CASES[i].file, e->d_name) != 0)
            i++;
        if (i == N_CASES) {
            closedir(d);
            fail_msg("%s has no row in the table", e->d_name);
        }
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, N_CASES);
}

/* Reads text in all three PCS modes; whatever happens, no crash, and an
 * error always carries a message. */
static void read_any(const char *text, size_t len)
{
    const smac_cs_format fmts[] = {SMAC_CS_PCS, SMAC_CS_PCS_NEW, SMAC_CS_AUTO};
    for (size_t f = 0; f < 3; f++) {
        smac_cs *cs = NULL;
        smac_error err;
        smac_error_clear(&err);
        int rc = smac_cs_read_text(text, len, "x.pcs", fmts[f], &cs, &err);
        if (rc != 0) {
            assert_true(rc < 0);
            assert_null(cs);
            assert_true(strlen(err.message) > 0);
        } else {
            assert_non_null(cs);
            smac_cs_free(cs);
        }
    }
}

static void test_arbitrary_bytes(void **state)
{
    (void)state;
    /* A fixed pseudo-random stream (LCG), biased towards PCS punctuation. */
    static const char alphabet[] = "ab01 ,.-+e[]{}|=<>!&#\"'\t\r\n\0xyzil";
    unsigned long long s = 12345;
    char buf[256];
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(round % 200);
        for (size_t i = 0; i < len; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(s >> 33);
            buf[i] = (r & 7) == 0 ? (char)(r >> 8) : alphabet[(r >> 8) % (sizeof alphabet - 1)];
        }
        read_any(buf, len);
    }
}

static void test_long_lines_and_names(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 64);
    assert_non_null(text);
    /* A 100 kB name: accepted, and written back whole. */
    memset(text, 'n', n);
    strcpy(text + n, " {a, b} [a]\n");
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_cs_read_text(text, strlen(text), "long.pcs", SMAC_CS_PCS, &cs, &err), 0);
    char *out = cs_write_pcs_old(cs, &err);
    assert_non_null(out);
    assert_int_equal(strlen(out), n + strlen(" {a, b} [a]"));
    free(out);
    smac_cs_free(cs);

    /* The same name with an error: the message is cut, not overflowed. */
    strcpy(text + n, " {a, b} [c]\n");
    smac_error_clear(&err);
    assert_int_equal(smac_cs_read_text(text, strlen(text), "long.pcs", SMAC_CS_PCS, &cs, &err),
                     SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "long.pcs:1:100010: "));

    /* Three hundred digits are still just a number. */
    text[0] = 'x';
    strcpy(text + 1, " [0, ");
    memset(text + 6, '9', 300);
    strcpy(text + 306, "] [1]\n");
    assert_int_equal(smac_cs_read_text(text, strlen(text), "big.pcs", SMAC_CS_PCS, &cs, &err), 0);
    smac_cs_free(cs);
    /* ... unless it overflows a double. */
    memset(text + 6, '9', 400);
    strcpy(text + 406, "] [1]\n");
    assert_int_equal(smac_cs_read_text(text, strlen(text), "big.pcs", SMAC_CS_PCS, &cs, &err),
                     SMAC_ERR_PARSE);
    assert_non_null(strstr(err.message, "big.pcs:1:7: upper bound 9999"));
    free(text);
}

static void test_auto_reports_the_likely_format(void **state)
{
    (void)state;
    /* Both parsers fail; the text looks like pcs_new, so its error is shown. */
    const char *text = "x real [0, 1] [0.5]\ny integer [0, 5] [9]\n";
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    int rc = smac_cs_read_text(text, strlen(text), "s.pcs", SMAC_CS_AUTO, &cs, &err);
    assert_int_equal(rc, SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "s.pcs:2:19: parameter 'y': default value 9 is outside [0, 5]"));

    /* An unterminated old-format line is an error, not a lost parameter. */
    text = "a [0, 1] [0]\nb {x, y\n";
    smac_error_clear(&err);
    rc = smac_cs_read_text(text, strlen(text), "u.pcs", SMAC_CS_AUTO, &cs, &err);
    assert_int_equal(rc, SMAC_ERR_PARSE);
    assert_null(cs);
    assert_non_null(strstr(err.message, "u.pcs:2:8: expected ',' or '}' after one of the values of 'b'"));
}

static void test_null_output_argument(void **state)
{
    (void)state;
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(cs_read_pcs_old("a {x} [x]", 9, "n.pcs", NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(cs_read_pcs_new("a categorical {x} [x]", 21, "n.pcs", NULL, NULL),
                     SMAC_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_bad_file),
        cmocka_unit_test(test_folder_matches_table),
        cmocka_unit_test(test_arbitrary_bytes),
        cmocka_unit_test(test_long_lines_and_names),
        cmocka_unit_test(test_auto_reports_the_likely_format),
        cmocka_unit_test(test_null_output_argument),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
