/* Values and the unit encoding (formats.md §3.5): round trips for every
 * parameter type including log scales, quantisation and huge integers;
 * value texts as Python's str(); parsing values from text; and the
 * ConfigSpace Configuration.__repr__ layout. */
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
#include "util/floatfmt.h"

#define ARR(...) ((const char *const[]){__VA_ARGS__})

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static smac_cs *finish(cs_builder *b)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    if (smac_cs_builder_finish(b, SMAC_CS_PCS_NEW, &cs, &err) != 0)
        fail_msg("finish: %s", err.message);
    smac_cs_builder_free(b);
    return cs;
}

static const cs_param *param(const smac_cs *cs, const char *name)
{
    int i = smac_cs_param_index(cs, name);
    assert_true(i >= 0);
    return &cs->params[i];
}

static smac_cs *numeric_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_real(b, "x", -5, 10, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "lr", 1e-5, 1, 1, 0.01, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "n", 1, 100, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "m", 1, 1024, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "huge", 900000000, 18000000000.0, 0, 0, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "hugelog", 900000000, 18000000000.0, 0, 0, 1, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "qr", 0, 1, 0, 0, 0, 0.25, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "qlog", 1, 100, 0, 0, 1, 1, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "qi", 0, 9, 0, 0, 0, 3, &err), 0);
    return finish(b);
}

static void test_real_encoding(void **state)
{
    (void)state;
    smac_cs *cs = numeric_space();
    const cs_param *x = param(cs, "x");
    assert_true(cs_param_to_unit(x, -5) == 0.0);
    assert_true(cs_param_to_unit(x, 10) == 1.0);
    assert_true(cs_param_to_unit(x, 2.5) == 0.5);
    assert_true(cs_param_to_unit(x, -100) == 0.0); /* clipped */
    assert_true(cs_param_to_unit(x, 100) == 1.0);
    assert_true(cs_param_from_unit(x, 0.5) == 2.5);
    assert_true(cs_param_from_unit(x, 0.0) == -5);
    assert_true(cs_param_from_unit(x, 1.0) == 10);
    assert_true(cs_param_from_unit(x, 1.5) == 10); /* clamped to the range */
    assert_true(isnan(cs_param_from_unit(x, NAN)));
    assert_true(isnan(cs_param_to_unit(x, NAN)));

    const cs_param *lr = param(cs, "lr");
    assert_true(cs_param_to_unit(lr, 1e-5) == 0.0);
    assert_true(cs_param_to_unit(lr, 1.0) == 1.0);
    assert_true(fabs(cs_param_to_unit(lr, 0.01) - 0.6) < 1e-12);
    assert_true(fabs(cs_param_to_unit(lr, 1e-3) - 0.4) < 1e-12);
    assert_true(fabs(cs_param_from_unit(lr, 0.2) - 1e-4) < 1e-16);

    /* decode(encode(v)) stays within a few ulps, and a decoded value is
     * its own repr round trip */
    for (int k = 0; k <= 1000; k++) {
        double v = -5 + 15.0 * k / 1000.0;
        double back = cs_param_from_unit(x, cs_param_to_unit(x, v));
        assert_true(fabs(back - v) <= 1e-14 * 15);
        double w = 1e-5 * pow(1e5, k / 1000.0);
        double wb = cs_param_from_unit(lr, cs_param_to_unit(lr, w));
        assert_true(fabs(wb - w) <= 1e-13 * w);
        char text[SMAC_DOUBLE_TEXT];
        double parsed;
        smac_format_double(wb, text);
        assert_int_equal(smac_parse_double(text, &parsed), 0);
        assert_true(parsed == wb);
    }
    smac_cs_free(cs);
}

static void test_integer_encoding(void **state)
{
    (void)state;
    smac_cs *cs = numeric_space();
    const cs_param *n = param(cs, "n");
    /* widened range: [0.50001, 100.49999] */
    assert_true(fabs(cs_param_to_unit(n, 1) - (0.49999 / 99.99998)) < 1e-15);
    assert_true(cs_param_from_unit(n, 0.0) == 1);
    assert_true(cs_param_from_unit(n, 1.0) == 100);
    assert_true(cs_param_from_unit(n, 0.5) == 50 || cs_param_from_unit(n, 0.5) == 51);
    for (int v = 1; v <= 100; v++)
        assert_true(cs_param_from_unit(n, cs_param_to_unit(n, v)) == v);
    /* each integer owns a slice of equal width */
    double w1 = (1.5 - 0.50001) / 99.99998, w50 = 1.0 / 99.99998;
    assert_true(fabs(w1 - w50) < 1e-4);

    const cs_param *m = param(cs, "m");
    for (int v = 1; v <= 1024; v++)
        assert_true(cs_param_from_unit(m, cs_param_to_unit(m, v)) == v);
    assert_true(cs_param_from_unit(m, 0.0) == 1);
    assert_true(cs_param_from_unit(m, 1.0) == 1024);
    /* log scale on the widened range [0.50001, 1024.49999] */
    double expect = (log(32) - log(0.50001)) / (log(1024.49999) - log(0.50001));
    assert_true(fabs(cs_param_to_unit(m, 32) - expect) < 1e-15);

    const char *names[] = {"huge", "hugelog"};
    for (int t = 0; t < 2; t++) {
        const cs_param *h = param(cs, names[t]);
        double vals[] = {900000000.0, 900000001.0, 1234567891.0, 9000000000.0, 17999999999.0, 18000000000.0};
        for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) {
            double u = cs_param_to_unit(h, vals[k]);
            assert_true(u >= 0 && u <= 1);
            if (cs_param_from_unit(h, u) != vals[k])
                fail_msg("%s: %.0f -> %.17g -> %.0f", names[t], vals[k], u, cs_param_from_unit(h, u));
        }
        assert_true(cs_param_from_unit(h, 0.0) == 900000000.0);
        assert_true(cs_param_from_unit(h, 1.0) == 18000000000.0);
        char text[64];
        int idx = smac_cs_param_index(cs, names[t]);
        smac_cs_value_text(cs, idx, 1.0, text, sizeof text);
        assert_string_equal(text, "18000000000");
    }
    smac_cs_free(cs);
}

static void test_quantised(void **state)
{
    (void)state;
    smac_cs *cs = numeric_space();
    const cs_param *qr = param(cs, "qr");
    for (int k = 0; k <= 200; k++) {
        double v = cs_param_from_unit(qr, k / 200.0);
        double steps = v / 0.25;
        assert_true(steps == rint(steps));
        assert_true(v >= 0 && v <= 1);
    }
    assert_true(cs_param_from_unit(qr, 0.0) == 0.0);
    assert_true(cs_param_from_unit(qr, 1.0) == 1.0);
    for (double v = 0; v <= 1.0; v += 0.25)
        assert_true(cs_param_from_unit(qr, cs_param_to_unit(qr, v)) == v);

    const cs_param *ql = param(cs, "qlog");
    for (int k = 0; k <= 200; k++) {
        double v = cs_param_from_unit(ql, k / 200.0);
        assert_true(v == rint(v) && v >= 1 && v <= 100);
    }

    const cs_param *qi = param(cs, "qi");
    int seen[10] = {0};
    for (int k = 0; k <= 1000; k++) {
        double v = cs_param_from_unit(qi, k / 1000.0);
        assert_true(v >= 0 && v <= 9);
        seen[(int)v]++;
    }
    for (int v = 0; v <= 9; v++)
        assert_true((seen[v] > 0) == (v % 3 == 0));
    smac_cs_free(cs);
}

static smac_cs *choice_space(void)
{
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(smac_cs_builder_add_categorical(b, "c", 3, ARR("a", "it's", "x\"y'z"), NULL, NULL, NULL, &err), 0);
    cs_value_kind kinds[3] = {CS_VALUE_INT, CS_VALUE_INT, CS_VALUE_INT};
    assert_int_equal(smac_cs_builder_add_categorical(b, "num", 3, ARR("1", "2", "3"), kinds, "2", NULL, &err), 0);
    cs_value_kind bk[2] = {CS_VALUE_BOOL, CS_VALUE_BOOL};
    assert_int_equal(smac_cs_builder_add_categorical(b, "flag", 2, ARR("True", "False"), bk, NULL, NULL, &err), 0);
    assert_int_equal(smac_cs_builder_add_ordinal(b, "o", 3, ARR("low", "mid", "high"), NULL, "mid", &err), 0);
    assert_int_equal(smac_cs_builder_add_constant(b, "K", "fixed", CS_VALUE_STRING, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "Zr", 0, 1, 1, 0.1, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_integer(b, "an", 1, 10, 1, 5, 0, 0, &err), 0);
    assert_int_equal(smac_cs_builder_add_real(b, "child", 1e-5, 1, 1, 1e-5, 1, 0, &err), 0);
    cs_cond_spec s = {.op = CS_COND_EQ, .parent = "o", .n_values = 1, .values = ARR("high")};
    assert_int_equal(smac_cs_builder_add_condition(b, "child", &s, &err), 0);
    return finish(b);
}

static void test_choice_encoding_and_texts(void **state)
{
    (void)state;
    smac_cs *cs = choice_space();
    const cs_param *c = param(cs, "c");
    assert_true(cs_param_to_unit(c, 2) == 2.0);
    assert_true(cs_param_from_unit(c, 1) == 1.0);
    const cs_param *k = param(cs, "K");
    assert_true(cs_param_to_unit(k, 0) == 0.0);

    char buf[64];
    int ci = smac_cs_param_index(cs, "c");
    assert_int_equal(smac_cs_value_text(cs, ci, 1, buf, sizeof buf), 4);
    assert_string_equal(buf, "it's");
    assert_int_equal(smac_cs_value_text(cs, ci, 3, buf, sizeof buf), -1); /* no such choice */
    assert_string_equal(buf, "");
    assert_int_equal(smac_cs_value_text(cs, ci, NAN, buf, sizeof buf), -1);
    assert_int_equal(smac_cs_value_text(cs, 99, 0, buf, sizeof buf), -1);
    int ri = smac_cs_param_index(cs, "Zr");
    smac_cs_value_text(cs, ri, 0.1, buf, sizeof buf);
    assert_string_equal(buf, "0.1");
    smac_cs_value_text(cs, ri, 1.0, buf, sizeof buf);
    assert_string_equal(buf, "1.0");
    smac_cs_value_text(cs, ri, 1e-05, buf, sizeof buf);
    assert_string_equal(buf, "1e-05");
    int ni = smac_cs_param_index(cs, "an");
    double u;
    assert_int_equal(smac_cs_parse_value(cs, ni, "7", &u, NULL), 0);
    assert_int_equal(smac_cs_value_text(cs, ni, u, buf, sizeof buf), 1);
    assert_string_equal(buf, "7");
    /* snprintf semantics: truncated text, full length returned */
    char small[3];
    assert_int_equal(smac_cs_value_text(cs, ri, 0.123456, small, sizeof small), 8);
    assert_string_equal(small, "0.");
    int ki = smac_cs_param_index(cs, "K");
    smac_cs_value_text(cs, ki, 0, buf, sizeof buf);
    assert_string_equal(buf, "fixed");
    smac_cs_free(cs);
}

static void test_parse_value(void **state)
{
    (void)state;
    smac_cs *cs = choice_space();
    smac_error err = {0};
    double u;
    int c = smac_cs_param_index(cs, "c"), num = smac_cs_param_index(cs, "num");
    int r = smac_cs_param_index(cs, "Zr"), n = smac_cs_param_index(cs, "an");
    int o = smac_cs_param_index(cs, "o"), k = smac_cs_param_index(cs, "K");
    assert_int_equal(smac_cs_parse_value(cs, c, "it's", &u, &err), 0);
    assert_true(u == 1.0);
    assert_int_equal(smac_cs_parse_value(cs, c, "b", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "'b' is not a legal value of parameter 'c' (legal: a, it's, x\"y'z)");
    assert_int_equal(smac_cs_parse_value(cs, num, "3", &u, &err), 0);
    assert_true(u == 2.0);
    assert_int_equal(smac_cs_parse_value(cs, num, "3.0", &u, &err), 0); /* numeric choice: 3 == 3.0 */
    assert_true(u == 2.0);
    assert_int_equal(smac_cs_parse_value(cs, num, "4", &u, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_cs_parse_value(cs, c, "0", &u, &err), SMAC_ERR_INVALID); /* strings do not */
    assert_int_equal(smac_cs_parse_value(cs, o, "high", &u, &err), 0);
    assert_true(u == 2.0);
    assert_int_equal(smac_cs_parse_value(cs, k, "fixed", &u, &err), 0);
    assert_true(u == 0.0);
    assert_int_equal(smac_cs_parse_value(cs, k, "other", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "parameter 'K'");
    assert_int_equal(smac_cs_parse_value(cs, r, "0.25", &u, &err), 0);
    assert_true(u == 0.25);
    assert_int_equal(smac_cs_parse_value(cs, r, "abc", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "value 'abc' of parameter 'Zr' is not a number");
    assert_int_equal(smac_cs_parse_value(cs, r, "1.5", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "value 1.5 of parameter 'Zr' is outside [0.0, 1.0]");
    assert_int_equal(smac_cs_parse_value(cs, r, "nan", &u, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_cs_parse_value(cs, n, "5.0", &u, &err), 0);
    assert_true(cs_param_from_unit(&cs->params[n], u) == 5.0);
    assert_int_equal(smac_cs_parse_value(cs, n, "5.5", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "not an integer");
    assert_int_equal(smac_cs_parse_value(cs, n, "11", &u, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "outside [1, 10]");
    assert_int_equal(smac_cs_parse_value(cs, -1, "1", &u, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_cs_parse_value(cs, 0, NULL, &u, &err), SMAC_ERR_INVALID);
    smac_cs_free(cs);
}

static void test_config_repr(void **state)
{
    (void)state;
    smac_cs *cs = choice_space();
    double v[8];
    smac_cs_default(cs, v);
    char *s = smac_cs_config_repr(cs, v);
    assert_non_null(s);
    /* sorted by name (upper case first), inactive 'child' left out,
     * strings quoted as Python's repr does, numbers and bools bare */
    assert_string_equal(s, "Configuration(values={\n"
                           "  'K': 'fixed',\n"
                           "  'Zr': 0.1,\n"
                           "  'an': 5,\n"
                           "  'c': 'a',\n"
                           "  'flag': True,\n"
                           "  'num': 2,\n"
                           "  'o': 'mid',\n"
                           "})\n");
    free(s);
    int c = smac_cs_param_index(cs, "c"), o = smac_cs_param_index(cs, "o");
    int child = smac_cs_param_index(cs, "child");
    v[c] = 1;
    v[o] = 2;
    v[child] = 0.0;
    s = smac_cs_config_repr(cs, v);
    assert_contains(s, "  'c': \"it's\",\n");
    assert_contains(s, "  'child': 1e-05,\n");
    assert_contains(s, "  'o': 'high',\n");
    free(s);
    v[c] = 2;
    s = smac_cs_config_repr(cs, v);
    assert_contains(s, "  'c': 'x\"y\\'z',\n");
    free(s);
    smac_cs_free(cs);
}

static void test_repr_escapes(void **state)
{
    (void)state;
    cs_builder *b = smac_cs_builder_new();
    smac_error err = {0};
    assert_int_equal(
        smac_cs_builder_add_categorical(b, "c", 4, ARR("back\\slash", "tab\there", "caf\xc3\xa9", "nl\n"), NULL, NULL,
                                        NULL, &err),
        0);
    smac_cs *cs = finish(b);
    const char *expect[] = {"'back\\\\slash'", "'tab\\there'", "'caf\xc3\xa9'", "'nl\\n'"};
    for (int k = 0; k < 4; k++) {
        double v[1] = {k};
        char *s = smac_cs_config_repr(cs, v);
        char line[64];
        snprintf(line, sizeof line, "  'c': %s,\n", expect[k]);
        assert_contains(s, line);
        free(s);
    }
    smac_cs_free(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_encoding),
        cmocka_unit_test(test_integer_encoding),
        cmocka_unit_test(test_quantised),
        cmocka_unit_test(test_choice_encoding_and_texts),
        cmocka_unit_test(test_parse_value),
        cmocka_unit_test(test_config_repr),
        cmocka_unit_test(test_repr_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
