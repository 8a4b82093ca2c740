/*
 * Result lines of target calls (formats.md §5.1 "old", §5.2 AClib2) and the
 * bounded output scanner that picks the last result line out of a stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/run_internal.h"
#include "run/runner.h"
#include "util/log.h"

#define NONE 99999999999999.0

static int quiet(void **state)
{
    (void)state;
    smac_log_set_level(SMAC_LOG_OFF); /* the parsers warn as SMAC3 does */
    return 0;
}

/* Parses an old-convention line that must succeed. */
static smac_ta_result old_ok(const char *line, double cutoff, int runtime_obj)
{
    smac_ta_result r;
    smac_error err;
    int rc = smac_parse_result_old(line, cutoff, runtime_obj, &r, &err);
    if (rc)
        fail_msg("'%s': %s", line ? line : "(none)", err.message);
    return r;
}

static void old_fails(const char *line, const char *why)
{
    smac_ta_result r;
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_parse_result_old(line, 5, 0, &r, &err), SMAC_ERR_PARSE);
    assert_non_null(strstr(err.message, why));
    assert_null(r.additional_info);
}

static void test_old_no_line(void **state)
{
    (void)state;
    smac_ta_result r = old_ok(NULL, 5, 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_true(r.status_known);
    assert_true(r.runtime == 1234567890.0);
    assert_true(r.cost == 1234567890.0);
    assert_string_equal(r.additional_info, "{}");
    smac_ta_result_clear(&r);
    /* Not clamped to the cutoff: §5.3 turns it into a TIMEOUT later. */
    r = old_ok(NULL, 5, 1);
    assert_true(r.runtime == 1234567890.0 && r.cost == 1234567890.0);
    smac_ta_result_clear(&r);
}

static void test_old_five_fields(void **state)
{
    (void)state;
    smac_ta_result r = old_ok("Result of this algorithm run: SUCCESS, 1.5, 0, 3.25, 42", 5, 0);
    assert_int_equal(r.status, SMAC_STATUS_SUCCESS);
    assert_true(r.runtime == 1.5);
    assert_true(r.cost == 3.25);
    assert_string_equal(r.additional_info, "{}");
    smac_ta_result_clear(&r);
    /* Runtime objective: the cost is the runtime. */
    r = old_ok("Result of this algorithm run: SUCCESS, 1.5, 0, 3.25, 42", 5, 1);
    assert_true(r.cost == 1.5);
    smac_ta_result_clear(&r);
    /* The branin example: negative runtime accepted, seed ignored. */
    r = old_ok("Result for SMAC: SUCCESS, -1, -1, 0.397887, 12345", NONE, 0);
    assert_true(r.runtime == -1.0);
    assert_true(r.cost == 0.397887);
    smac_ta_result_clear(&r);
    r = old_ok("Result for ParamILS: SAT, 2, 0, 0, not-a-seed", 5, 1);
    assert_int_equal(r.status, SMAC_STATUS_SUCCESS);
    assert_true(r.cost == 2.0);
    smac_ta_result_clear(&r);
}

static void test_old_six_fields(void **state)
{
    (void)state;
    smac_ta_result r = old_ok("Result of this algorithm run: TIMEOUT, 5, 0, 0, 1, hello world ", 5, 0);
    assert_int_equal(r.status, SMAC_STATUS_TIMEOUT);
    assert_string_equal(r.additional_info, "{\"additional_info\": \"hello world\"}");
    smac_ta_result_clear(&r);
    /* A ':' ends the fields (line.split(":")[1]). */
    r = old_ok("Result for SMAC: SUCCESS, 1, 0, 2, 3, note: more text", 5, 0);
    assert_string_equal(r.additional_info, "{\"additional_info\": \"note\"}");
    smac_ta_result_clear(&r);
    /* JSON escaping as Python's json (ensure_ascii). */
    r = old_ok("Result for SMAC: SUCCESS, 1, 0, 2, 3, say \"hi\" \\ caf\xc3\xa9", 5, 0);
    assert_string_equal(r.additional_info, "{\"additional_info\": \"say \\\"hi\\\" \\\\ caf\\u00e9\"}");
    smac_ta_result_clear(&r);
    /* An empty sixth field still counts. */
    r = old_ok("Result for SMAC: SUCCESS, 1, 0, 2, 3,", 5, 0);
    assert_string_equal(r.additional_info, "{\"additional_info\": \"\"}");
    smac_ta_result_clear(&r);
}

static void test_old_status_words(void **state)
{
    (void)state;
    static const struct { const char *word; smac_status st; int known; } cases[] = {
        {"SAT", SMAC_STATUS_SUCCESS, 1},     {"unsat", SMAC_STATUS_SUCCESS, 1},
        {"Success", SMAC_STATUS_SUCCESS, 1}, {"timeout", SMAC_STATUS_TIMEOUT, 1},
        {"CRASHED", SMAC_STATUS_CRASHED, 1}, {"Crash", SMAC_STATUS_CRASHED, 1},
        {"abort", SMAC_STATUS_ABORT, 1},     {"MEMOUT", SMAC_STATUS_MEMOUT, 1},
        {"banana", SMAC_STATUS_CRASHED, 0},  {"SUCCESS\t", SMAC_STATUS_CRASHED, 0},
        {"", SMAC_STATUS_CRASHED, 0},        {"CAPPED", SMAC_STATUS_CRASHED, 0},
        {"SUCCESSFUL", SMAC_STATUS_CRASHED, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "Result of this algorithm run:  %s , 1, 0, 2, 3", cases[i].word);
        smac_ta_result r = old_ok(line, 5, 0);
        if (r.status != cases[i].st || r.status_known != cases[i].known)
            fail_msg("'%s' gave status %d known %d", cases[i].word, r.status, r.status_known);
        /* An unknown word keeps the numbers (SMAC3 maps the status only). */
        assert_true(r.cost == 2.0 && r.runtime == 1.0);
        smac_ta_result_clear(&r);
    }
}

static void test_old_runtime_clamp(void **state)
{
    (void)state;
    smac_ta_result r = old_ok("Result of this algorithm run: SUCCESS, 10, 0, 1, 1", 5, 1);
    assert_true(r.runtime == 5.0 && r.cost == 5.0);
    smac_ta_result_clear(&r);
    r = old_ok("Result of this algorithm run: SUCCESS, inf, 0, 1, 1", 5, 1);
    assert_true(r.runtime == 5.0);
    smac_ta_result_clear(&r);
    /* min(nan, cutoff) is nan in Python: §5.3 makes it a crash later. */
    r = old_ok("Result of this algorithm run: SUCCESS, nan, 0, 1, 1", 5, 1);
    assert_true(isnan(r.runtime));
    smac_ta_result_clear(&r);
    /* No cutoff: the clamp is 99999999999999.0. */
    r = old_ok("Result of this algorithm run: SUCCESS, 1e20, 0, 1, 1", NONE, 0);
    assert_true(r.runtime == NONE);
    smac_ta_result_clear(&r);
    /* Long number texts are fine. */
    char longline[512];
    snprintf(longline, sizeof longline, "Result for SMAC: SUCCESS, 0.%0300d5, 0, 1, 1", 0);
    r = old_ok(longline, 5, 1);
    assert_true(r.runtime > 0 && r.runtime < 1e-299);
    smac_ta_result_clear(&r);
    /* Python float() text: spaces around, exponents, signs. */
    r = old_ok("Result of this algorithm run: SUCCESS,   2.5e-1 , 0, -3E2, 1", 5, 0);
    assert_true(r.runtime == 0.25 && r.cost == -300.0);
    smac_ta_result_clear(&r);
}

static void test_old_malformed(void **state)
{
    (void)state;
    old_fails("Result for SMAC SUCCESS, 1, 0, 2, 3", "no ':'");
    old_fails("Result of this algorithm run: SUCCESS, 1, 0, 2", "4 comma-separated fields");
    old_fails("Result of this algorithm run: SUCCESS, 1, 0, 2, 3, 4, 5", "7 comma-separated fields");
    old_fails("Result of this algorithm run: SUCCESS", "1 comma-separated fields");
    old_fails("Result of this algorithm run:", "1 comma-separated fields");
    old_fails("Result of this algorithm run: SUCCESS, abc, 0, 2, 3", "runtime 'abc'");
    old_fails("Result of this algorithm run: SUCCESS, , 0, 2, 3", "runtime ''");
    old_fails("Result of this algorithm run: SUCCESS, 1, 0, 2x, 3", "quality '2x'");
    old_fails("Result of this algorithm run: SUCCESS, 0x10, 0, 2, 3", "runtime");
    /* A colon inside a number cuts the fields short. */
    old_fails("Result of this algorithm run: SUCCESS, 1, 0, 12:30, 3", "4 comma-separated fields");
}

/* ------------------------------------------------------------------ AClib2 */

static smac_ta_result aclib_ok(const char *line, int runtime_obj)
{
    smac_ta_result r;
    smac_error err;
    int rc = smac_parse_result_aclib(line, runtime_obj, &r, &err);
    if (rc)
        fail_msg("'%s': %s", line ? line : "(none)", err.message);
    return r;
}

static void aclib_fails(const char *line, int runtime_obj, const char *why)
{
    smac_ta_result r;
    smac_error err;
    smac_error_clear(&err);
    assert_int_equal(smac_parse_result_aclib(line, runtime_obj, &r, &err), SMAC_ERR_PARSE);
    if (!strstr(err.message, why))
        fail_msg("'%s': message '%s' lacks '%s'", line, err.message, why);
    assert_null(r.additional_info);
}

static void test_aclib_lines(void **state)
{
    (void)state;
    smac_ta_result r = aclib_ok(NULL, 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_true(r.cost == 1234567890.0);
    assert_true(r.runtime == 0.0); /* missing runtime -> 0 */
    assert_string_equal(r.additional_info, "{}");
    smac_ta_result_clear(&r);

    r = aclib_ok("Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": 2.0, \"runtime\": 3.0, \"misc\": \"\"}", 0);
    assert_int_equal(r.status, SMAC_STATUS_SUCCESS);
    assert_true(r.cost == 2.0 && r.runtime == 3.0);
    assert_string_equal(r.additional_info, "{\"misc\": \"\"}");
    smac_ta_result_clear(&r);

    /* Runtime objective: cost = runtime, the cost key is dropped unread. */
    r = aclib_ok("Result of this algorithm run: {\"status\": \"TIMEOUT\", \"cost\": \"junk\", \"runtime\": 7}", 1);
    assert_int_equal(r.status, SMAC_STATUS_TIMEOUT);
    assert_true(r.cost == 7.0 && r.runtime == 7.0);
    assert_string_equal(r.additional_info, "{}");
    smac_ta_result_clear(&r);

    /* Status words are case-sensitive here; CRASH accepted. */
    r = aclib_ok("Result of this algorithm run: {\"status\": \"success\", \"cost\": 1}", 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_false(r.status_known);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run: {\"status\": \"CRASH\", \"cost\": 1}", 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_true(r.status_known);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run: {\"status\": 1, \"cost\": 1}", 0);
    assert_int_equal(r.status, SMAC_STATUS_CRASHED);
    assert_false(r.status_known);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run: {\"status\": \"UNSAT\", \"cost\": 1}", 0);
    assert_int_equal(r.status, SMAC_STATUS_SUCCESS);
    smac_ta_result_clear(&r);

    /* Missing or null cost (quality) -> 0; numbers as Python's float() takes them. */
    r = aclib_ok("Result of this algorithm run: {\"status\": \"SUCCESS\"}", 0);
    assert_true(r.cost == 0.0 && r.runtime == 0.0);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": null, \"runtime\": null}", 0);
    assert_true(r.cost == 0.0 && r.runtime == 0.0);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": \" 1.5 \", \"runtime\": true}", 0);
    assert_true(r.cost == 1.5 && r.runtime == 1.0);
    smac_ta_result_clear(&r);
    r = aclib_ok("Result of this algorithm run:{\"status\":\"SUCCESS\",\"cost\":\"inf\"}", 0);
    assert_true(isinf(r.cost));
    smac_ta_result_clear(&r);

    /* Extra keys, in order, re-serialised as Python's json.dumps. */
    r = aclib_ok("Result of this algorithm run: {\"z\": 1.0, \"status\": \"SUCCESS\", \"a\": [1, 2.50, \"x:y\", null, true, false],"
                 " \"cost\": 4, \"m\": {\"k\": 0.00001, \"big\": 1e16}, \"s\": \"caf\\u00e9\"}",
                 0);
    assert_true(r.cost == 4.0);
    assert_string_equal(r.additional_info, "{\"z\": 1.0, \"a\": [1, 2.5, \"x:y\", null, true, false], "
                                           "\"m\": {\"k\": 1e-05, \"big\": 1e+16}, \"s\": \"caf\\u00e9\"}");
    smac_ta_result_clear(&r);
}

static void test_aclib_malformed(void **state)
{
    (void)state;
    aclib_fails("Result of this algorithm run [1]", 0, "no ':'");
    /* Everything after the first ':' is the JSON text, wherever that colon is. */
    aclib_fails("Result of this algorithm run {\"status\": \"SUCCESS\"}", 0, "JSONDecodeError");
    aclib_fails("Result of this algorithm run: {\"cost\": 1}", 0, "KeyError");
    aclib_fails("Result of this algorithm run: [1, 2]", 0, "not a JSON object");
    aclib_fails("Result of this algorithm run: \"SUCCESS\"", 0, "not a JSON object");
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\"", 0, "JSONDecodeError");
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\"} trailing", 0, "JSONDecodeError");
    aclib_fails("Result of this algorithm run: ", 0, "JSONDecodeError");
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\", \"runtime\": \"abc\"}", 0, "runtime");
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\", \"runtime\": [1]}", 1, "runtime");
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": {}}", 0, "cost");
    /* Documented deviation: strict JSON, so bare NaN is unreadable. */
    aclib_fails("Result of this algorithm run: {\"status\": \"SUCCESS\", \"cost\": NaN}", 0, "JSONDecodeError");
}

/* -------------------------------------------------------------- scanner */

static void feed_all(smac_outscan *s, const char *text, size_t chunk)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i += chunk)
        smac_outscan_feed(s, text + i, n - i < chunk ? n - i : chunk);
    smac_outscan_end(s);
}

static void expect_result(smac_tae_kind kind, const char *text, const char *want)
{
    static const size_t chunks[] = {1, 2, 3, 7, 64, 100000};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        smac_outscan s;
        assert_int_equal(smac_outscan_init(&s, kind), 0);
        feed_all(&s, text, chunks[c]);
        if (!want) {
            assert_false(s.have_result);
        } else {
            if (!s.have_result)
                fail_msg("chunk %zu: no result line in '%s'", chunks[c], text);
            assert_int_equal(s.result_len, strlen(want));
            assert_memory_equal(s.result, want, strlen(want));
            assert_false(s.result_over);
        }
        smac_outscan_free(&s);
    }
}

static void test_scan_last_line(void **state)
{
    (void)state;
    expect_result(SMAC_TAE_OLD, "", NULL);
    expect_result(SMAC_TAE_OLD, "hello\nworld\n", NULL);
    expect_result(SMAC_TAE_OLD, "x\nResult for SMAC: SUCCESS, 1, 0, 2, 3\ny\n", "Result for SMAC: SUCCESS, 1, 0, 2, 3");
    /* The last one wins; prefixes only at the start of a line. */
    expect_result(SMAC_TAE_OLD,
                  "Result for SMAC: A, 1, 0, 2, 3\n  Result for SMAC: B\nResult for ParamILS: C, 1, 0, 2, 3\nno Result for SMAC: D\n",
                  "Result for ParamILS: C, 1, 0, 2, 3");
    /* CR and CRLF end lines too (universal newlines); an unterminated last line counts. */
    expect_result(SMAC_TAE_OLD, "a\r\nResult of this algorithm run: SAT, 1, 0, 2, 3\r\n", "Result of this algorithm run: SAT, 1, 0, 2, 3");
    expect_result(SMAC_TAE_OLD, "progress 10%\rprogress 90%\rResult for SMAC: SAT, 1, 0, 2, 3", "Result for SMAC: SAT, 1, 0, 2, 3");
    /* A near miss is not a result line. */
    expect_result(SMAC_TAE_OLD, "Result for SMA: SUCCESS, 1, 0, 2, 3\nResult of this algorithm run\n", NULL);
    /* AClib2 knows only one prefix. */
    expect_result(SMAC_TAE_ACLIB, "Result for SMAC: {}\n", NULL);
    expect_result(SMAC_TAE_ACLIB, "Result of this algorithm run: {\"status\": \"SAT\"}\n",
                  "Result of this algorithm run: {\"status\": \"SAT\"}");
    /* The bare prefix is a (garbled) result line. */
    expect_result(SMAC_TAE_OLD, "Result for SMAC\n", "Result for SMAC");
    assert_true(smac_is_result_line(SMAC_TAE_OLD, "Result for ParamILS: x", 22));
    assert_false(smac_is_result_line(SMAC_TAE_ACLIB, "Result for ParamILS: x", 22));
    assert_false(smac_is_result_line(SMAC_TAE_OLD, "Result", 6));
}

static void test_scan_overlong(void **state)
{
    (void)state;
    smac_outscan s;
    assert_int_equal(smac_outscan_init(&s, SMAC_TAE_OLD), 0);
    const char *head = "Result for SMAC: SUCCESS, 1, 0, 2, 3, ";
    smac_outscan_feed(&s, head, strlen(head));
    char *junk = malloc(100000);
    assert_non_null(junk);
    memset(junk, 'x', 100000);
    smac_outscan_feed(&s, junk, 100000);
    smac_outscan_feed(&s, "\n", 1);
    assert_true(s.have_result);
    assert_true(s.result_over);
    assert_int_equal(s.result_len, SMAC_RUN_LINE_MAX);
    /* A later normal result line replaces it. */
    const char *ok = "Result for SMAC: SAT, 1, 0, 2, 3\n";
    smac_outscan_feed(&s, ok, strlen(ok));
    /* Long non-result lines are skipped without buffering. */
    smac_outscan_feed(&s, junk, 100000);
    smac_outscan_end(&s);
    assert_false(s.result_over);
    assert_int_equal(s.result_len, strlen(ok) - 1);
    free(junk);
    smac_outscan_free(&s);
}

static void test_tail_ring(void **state)
{
    (void)state;
    smac_tail t;
    assert_int_equal(smac_tail_init(&t, 8), 0);
    char out[32];
    const char *a, *b;
    size_t al, bl;
#define TAIL_TEXT()                                   \
    do {                                              \
        smac_tail_pieces(&t, &a, &al, &b, &bl);       \
        memcpy(out, a, al);                           \
        memcpy(out + al, b, bl);                      \
        out[al + bl] = '\0';                          \
    } while (0)
    TAIL_TEXT();
    assert_string_equal(out, "");
    smac_tail_feed(&t, "abc", 3);
    TAIL_TEXT();
    assert_string_equal(out, "abc");
    smac_tail_feed(&t, "defgh", 5);
    TAIL_TEXT();
    assert_string_equal(out, "abcdefgh");
    smac_tail_feed(&t, "ij", 2);
    TAIL_TEXT();
    assert_string_equal(out, "cdefghij");
    smac_tail_feed(&t, "0123456789AB", 12); /* longer than the ring */
    TAIL_TEXT();
    assert_string_equal(out, "456789AB");
    smac_tail_feed(&t, "Z", 1);
    TAIL_TEXT();
    assert_string_equal(out, "56789ABZ");
    assert_int_equal(smac_tail_len(&t), 8);
    smac_tail_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_no_line),     cmocka_unit_test(test_old_five_fields),
        cmocka_unit_test(test_old_six_fields),  cmocka_unit_test(test_old_status_words),
        cmocka_unit_test(test_old_runtime_clamp), cmocka_unit_test(test_old_malformed),
        cmocka_unit_test(test_aclib_lines),     cmocka_unit_test(test_aclib_malformed),
        cmocka_unit_test(test_scan_last_line),  cmocka_unit_test(test_scan_overlong),
        cmocka_unit_test(test_tail_ring),
    };
    return cmocka_run_group_tests(tests, quiet, NULL);
}
