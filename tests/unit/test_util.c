/* The util module: repr(float) against Python's own output, strict number
 * parsing, the random number generator (determinism, streams, uniformity),
 * crash-safe file writes, JSON string escaping as Python's json does it, and
 * the layout of error locations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smac.h"
#include "util/error.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

/* ------------------------------------------------------------ repr */

static void test_format_double_matches_python(void **state)
{
    (void)state;
    /* Expected texts are what CPython 3 prints for repr(x). */
    static const struct {
        double x;
        const char *repr;
    } table[] = {
        {0.1, "0.1"},
        {5.0, "5.0"},
        {1e-05, "1e-05"},
        {0.0001, "0.0001"},
        {9.9e-05, "9.9e-05"},
        {0.00012345, "0.00012345"},
        {1e16, "1e+16"},
        {1.5e16, "1.5e+16"},
        {1e15, "1000000000000000.0"},
        {9999999999999998.0, "9999999999999998.0"},
        {123456789012345.0, "123456789012345.0"},
        {12345678901234567.0, "1.2345678901234568e+16"},
        {1e22, "1e+22"},
        {2.5e-07, "2.5e-07"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {1.0 / 3.0, "0.3333333333333333"},
        {2.0 / 3.0, "0.6666666666666666"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1e-320, "1e-320"},
        {5e-324, "5e-324"},
        {1.7976931348623157e+308, "1.7976931348623157e+308"},
        {9000000000.0, "9000000000.0"},
        {1234.5, "1234.5"},
        {-2.5, "-2.5"},
        {100.0, "100.0"},
    };
    char buf[SMAC_DOUBLE_TEXT];
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        int n = smac_format_double(table[i].x, buf);
        if (strcmp(buf, table[i].repr) != 0)
            fail_msg("repr(%.17g): expected %s, got %s", table[i].x, table[i].repr, buf);
        assert_int_equal(n, (int)strlen(table[i].repr));
    }
    smac_format_double(INFINITY, buf);
    assert_string_equal(buf, "inf");
    smac_format_double(-INFINITY, buf);
    assert_string_equal(buf, "-inf");
    smac_format_double(NAN, buf);
    assert_string_equal(buf, "nan");
    smac_format_double_json(INFINITY, buf);
    assert_string_equal(buf, "Infinity");
    smac_format_double_json(-INFINITY, buf);
    assert_string_equal(buf, "-Infinity");
    smac_format_double_json(NAN, buf);
    assert_string_equal(buf, "NaN");
    smac_format_double_json(0.5, buf);
    assert_string_equal(buf, "0.5");
}

static void test_format_double_round_trips(void **state)
{
    (void)state;
    /* Shortest text must read back to the very same double, for values of
     * every magnitude. */
    smac_rng rng;
    smac_rng_seed(&rng, 7, 0);
    char buf[SMAC_DOUBLE_TEXT];
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = smac_rng_u64(&rng);
        double x;
        memcpy(&x, &bits, sizeof x);
        if (!isfinite(x))
            continue;
        smac_format_double(x, buf);
        double back;
        assert_int_equal(smac_parse_double(buf, &back), 0);
        if (memcmp(&back, &x, sizeof x) != 0)
            fail_msg("%s does not read back to %.17g", buf, x);
        /* and no longer than %.17g needs */
        assert_true(strlen(buf) < SMAC_DOUBLE_TEXT);
    }
}

/* ------------------------------------------------------- parsing */

static void test_parse_double(void **state)
{
    (void)state;
    double x;
    assert_int_equal(smac_parse_double("1.5", &x), 0);
    assert_true(x == 1.5);
    assert_int_equal(smac_parse_double("  -2e-3 ", &x), 0);
    assert_true(x == -2e-3);
    assert_int_equal(smac_parse_double(".5", &x), 0);
    assert_true(x == 0.5);
    assert_int_equal(smac_parse_double("1E5", &x), 0);
    assert_true(x == 1e5);
    assert_int_equal(smac_parse_double("inf", &x), 0);
    assert_true(isinf(x) && x > 0);
    assert_int_equal(smac_parse_double("-Infinity", &x), 0);
    assert_true(isinf(x) && x < 0);
    assert_int_equal(smac_parse_double("nan", &x), 0);
    assert_true(isnan(x));
    assert_int_equal(smac_parse_double("1e-320", &x), 0);
    assert_true(x > 0 && x < 1e-300);

    const char *bad[] = {"", "   ", "abc", "1.5x", "1,5", "0x10", "-0X1p3", "1.5 2", "--1", "e5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        x = 123.0;
        if (smac_parse_double(bad[i], &x) == 0)
            fail_msg("'%s' was accepted as %g", bad[i], x);
    }
}

static void test_parse_long(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(smac_parse_long("42", &v), 0);
    assert_true(v == 42);
    assert_int_equal(smac_parse_long(" -7 ", &v), 0);
    assert_true(v == -7);
    assert_int_equal(smac_parse_long("18000000000", &v), 0);
    assert_true(v == 18000000000LL);
    const char *bad[] = {"", "4.2", "12a", "99999999999999999999", "abc", " ", "1 2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (smac_parse_long(bad[i], &v) == 0)
            fail_msg("'%s' was accepted as %lld", bad[i], v);
}

/* ----------------------------------------------------------- rng */

static void test_rng_determinism_and_streams(void **state)
{
    (void)state;
    smac_rng a, b, c, d;
    smac_rng_seed(&a, 42, 0);
    smac_rng_seed(&b, 42, 0);
    smac_rng_seed(&c, 42, 1);
    smac_rng_seed(&d, 43, 0);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = smac_rng_u64(&a);
        assert_true(x == smac_rng_u64(&b));
        same_c += x == smac_rng_u64(&c);
        same_d += x == smac_rng_u64(&d);
    }
    assert_int_equal(same_c, 0);
    assert_int_equal(same_d, 0);

    /* a copy continues the same sequence */
    smac_rng copy = a;
    assert_true(smac_rng_u64(&copy) == smac_rng_u64(&a));

    /* fixed first value for seed 1, stream 0: guards the algorithm against
     * silent changes (run histories depend on it) */
    smac_rng e, f;
    smac_rng_seed(&e, 1, 0);
    smac_rng_seed(&f, 1, 0);
    uint64_t first = smac_rng_u64(&e);
    assert_true(first == smac_rng_u64(&f));
    assert_true(first != 0);
}

static void test_rng_uniform_and_below(void **state)
{
    (void)state;
    smac_rng rng;
    smac_rng_seed(&rng, 123, 0);
    enum { N = 200000, K = 10 };
    int bins[K] = {0};
    double sum = 0;
    for (int i = 0; i < N; i++) {
        double u = smac_rng_uniform(&rng);
        assert_true(u >= 0.0 && u < 1.0);
        bins[(int)(u * K)]++;
        sum += u;
    }
    assert_true(fabs(sum / N - 0.5) < 0.005);
    double chi = 0;
    for (int k = 0; k < K; k++)
        chi += (bins[k] - N / (double)K) * (bins[k] - N / (double)K) / (N / (double)K);
    assert_true(chi < 30.0); /* 9 degrees of freedom: p < 0.001 at 27.9 */

    /* below(n): every value reachable, none outside, chi-square uniform */
    enum { M = 7 };
    int counts[M] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t v = smac_rng_below(&rng, M);
        assert_true(v < M);
        counts[v]++;
    }
    chi = 0;
    for (int k = 0; k < M; k++)
        chi += (counts[k] - 10000.0) * (counts[k] - 10000.0) / 10000.0;
    assert_true(chi < 25.0); /* 6 degrees of freedom */
    assert_true(smac_rng_below(&rng, 1) == 0);
    /* a huge bound */
    uint64_t big = (1ULL << 63) + 12345;
    for (int i = 0; i < 1000; i++)
        assert_true(smac_rng_below(&rng, big) < big);

    /* normal: mean 0, variance 1 */
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double z = smac_rng_normal(&rng);
        s += z;
        s2 += z * z;
    }
    assert_true(fabs(s / N) < 0.01);
    assert_true(fabs(s2 / N - 1.0) < 0.02);
}

/* ----------------------------------------------------------- files */

static void test_atomic_write(void **state)
{
    (void)state;
    /* a fresh folder inside the build folder, removed at the end */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/smac-test-util-XXXXXX", SMAC_BINARY_DIR);
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/out.json", dir);
    smac_error err = {0};
    const char *first = "{\"a\": 1}\n";
    assert_int_equal(smac_atomic_write(path, first, strlen(first), &err), 0);
    const char *second = "{\"a\": 2, \"b\": [1, 2, 3]}\n";
    assert_int_equal(smac_atomic_write(path, second, strlen(second), &err), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(smac_read_file(path, &text, &len, &err), 0);
    assert_int_equal(len, strlen(second));
    assert_string_equal(text, second);
    free(text);
    /* no temp file left behind */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        entries++;
        assert_string_equal(e->d_name, "out.json");
    }
    closedir(d);
    assert_int_equal(entries, 1);
    /* a folder that does not exist: an I/O error naming the path */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/missing/x.json", dir);
    assert_int_equal(smac_atomic_write(bad, "x", 1, &err), SMAC_ERR_IO);
    assert_non_null(strstr(err.message, "missing"));
    assert_int_equal(smac_read_file(bad, &text, &len, &err), SMAC_ERR_IO);
    unlink(path);
    rmdir(dir);
}

/* ------------------------------------------------- JSON escaping */

static char *json_of(const char *s)
{
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_json_string(&sb, s);
    return smac_strbuf_take(&sb);
}

static void test_json_escaping(void **state)
{
    (void)state;
    /* expected texts are Python's json.dumps output */
    static const struct {
        const char *in, *out;
    } table[] = {
        {"plain", "\"plain\""},
        {"caf\xc3\xa9", "\"caf\\u00e9\""},
        {"\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\""},
        {"\xe2\x82\xac", "\"\\u20ac\""},
        {"q\"b\\s/", "\"q\\\"b\\\\s/\""},
        {"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
        {"\x01", "\"\\u0001\""},
        {"a\x7f" "b", "\"a\\u007fb\""},
        {"", "\"\""},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        char *got = json_of(table[i].in);
        assert_non_null(got);
        char copy[64];
        snprintf(copy, sizeof copy, "%s", got);
        free(got);
        if (strcmp(copy, table[i].out) != 0)
            fail_msg("json of case %zu: expected %s, got %s", i, table[i].out, copy);
    }
}

static void test_strbuf_basics(void **state)
{
    (void)state;
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    for (int i = 0; i < 1000; i++)
        smac_strbuf_printf(&sb, "%d,", i);
    smac_strbuf_double(&sb, 1e-05, 0);
    smac_strbuf_putc(&sb, ' ');
    smac_strbuf_double(&sb, INFINITY, 1);
    char *s = smac_strbuf_take(&sb);
    assert_non_null(s);
    assert_true(strncmp(s, "0,1,2,", 6) == 0);
    const char *tail = "999,1e-05 Infinity";
    assert_string_equal(s + strlen(s) - strlen(tail), tail);
    free(s);
}

/* ---------------------------------------------------------- errors */

static void test_error_locations(void **state)
{
    (void)state;
    smac_error err;
    assert_int_equal(smac_error_set_at(&err, SMAC_ERR_PARSE, "space.pcs", 12, 7, "expected '%c'", ']'),
                     SMAC_ERR_PARSE);
    assert_string_equal(err.message, "space.pcs:12:7: expected ']'");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.column, 7);
    assert_string_equal(err.file, "space.pcs");

    smac_error_set_at(&err, SMAC_ERR_PARSE, "space.pcs", 3, 0, "bad line");
    assert_string_equal(err.message, "space.pcs:3: bad line");
    smac_error_set_at(&err, SMAC_ERR_IO, "space.pcs", 0, 0, "cannot read");
    assert_string_equal(err.message, "space.pcs: cannot read");

    /* locate adds a location once, and keeps an existing one */
    assert_int_equal(smac_error_set(&err, SMAC_ERR_INVALID, "unknown parameter 'x'"), SMAC_ERR_INVALID);
    assert_string_equal(err.message, "unknown parameter 'x'");
    assert_int_equal(smac_error_locate(&err, "a.pcs", 4, 2), SMAC_ERR_INVALID);
    assert_string_equal(err.message, "a.pcs:4:2: unknown parameter 'x'");
    smac_error_locate(&err, "b.pcs", 9, 9);
    assert_string_equal(err.message, "a.pcs:4:2: unknown parameter 'x'");

    /* NULL error pointers are accepted everywhere */
    assert_int_equal(smac_error_set(NULL, SMAC_ERR_IO, "x"), SMAC_ERR_IO);
    assert_int_equal(smac_error_set_at(NULL, SMAC_ERR_IO, "f", 1, 1, "x"), SMAC_ERR_IO);
    smac_error_clear(NULL);

    /* long messages are cut, never overflowed */
    char longtext[3000];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    smac_error_set_at(&err, SMAC_ERR_PARSE, longtext, 1, 1, "%s", longtext);
    assert_true(strlen(err.message) < sizeof err.message);
    smac_error_clear(&err);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.message, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_double_matches_python),
        cmocka_unit_test(test_format_double_round_trips),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_rng_determinism_and_streams),
        cmocka_unit_test(test_rng_uniform_and_below),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_strbuf_basics),
        cmocka_unit_test(test_error_locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
