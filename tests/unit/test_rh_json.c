/*
 * runhistory.json: the reader and writer against text written by Python's
 * json module (byte-exact round trips, Python's Infinity/NaN, escapes,
 * 3-element run keys), every SMAC3 v1.1 fixture file (load, write back
 * byte-identical, merge pSMAC peers with remapped ids), malformed and
 * truncated files (error with file:line:column, nothing added, no crash).
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rh_test_util.h"
#include "runhistory/rh_internal.h"
#include "runhistory/rh_json_lex.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

/* Written by Python 3.11's json.dump(..., indent=2) from a SMAC3-shaped
 * run history over the test space: non-ASCII, quotes, a lone surrogate,
 * Infinity/NaN, a nested additional_info, an int cost, a RUNNING placeholder. */
static const char golden[] =
    "{\n"
    "  \"data\": [\n"
    "    [\n"
    "      [\n"
    "        1,\n"
    "        \"inst\\u00e9 \\\"q\\\" \\\\ /\\t\",\n"
    "        42,\n"
    "        0.0\n"
    "      ],\n"
    "      [\n"
    "        Infinity,\n"
    "        NaN,\n"
    "        {\n"
    "          \"__enum__\": \"StatusType.SUCCESS\"\n"
    "        },\n"
    "        -Infinity,\n"
    "        1e-05,\n"
    "        {\n"
    "          \"a\": NaN,\n"
    "          \"b\": [\n"
    "            Infinity,\n"
    "            -Infinity,\n"
    "            1.5,\n"
    "            10,\n"
    "            -0.0,\n"
    "            true,\n"
    "            false,\n"
    "            null,\n"
    "            \"\\u00e9\\ud83d\\ude00\\u007f\"\n"
    "          ],\n"
    "          \"c\": {},\n"
    "          \"d\": [],\n"
    "          \"e\": {\n"
    "            \"nested\": {\n"
    "              \"deep\": [\n"
    "                1,\n"
    "                [\n"
    "                  2,\n"
    "                  [\n"
    "                    3\n"
    "                  ]\n"
    "                ]\n"
    "              ]\n"
    "            }\n"
    "          }\n"
    "        }\n"
    "      ]\n"
    "    ],\n"
    "    [\n"
    "      [\n"
    "        2,\n"
    "        null,\n"
    "        -1,\n"
    "        2.5\n"
    "      ],\n"
    "      [\n"
    "        10,\n"
    "        1.0,\n"
    "        {\n"
    "          \"__enum__\": \"StatusType.CAPPED\"\n"
    "        },\n"
    "        0.0,\n"
    "        0.0,\n"
    "        null\n"
    "      ]\n"
    "    ],\n"
    "    [\n"
    "      [\n"
    "        1,\n"
    "        \"\\ud800lone\",\n"
    "        1,\n"
    "        0.0\n"
    "      ],\n"
    "      [\n"
    "        2147483647.0,\n"
    "        0.0,\n"
    "        {\n"
    "          \"__enum__\": \"StatusType.RUNNING\"\n"
    "        },\n"
    "        0.0,\n"
    "        0.0,\n"
    "        null\n"
    "      ]\n"
    "    ],\n"
    "    [\n"
    "      [\n"
    "        3,\n"
    "        null,\n"
    "        7,\n"
    "        0.0\n"
    "      ],\n"
    "      [\n"
    "        0.25,\n"
    "        0.5,\n"
    "        {\n"
    "          \"__enum__\": \"StatusType.TIMEOUT\"\n"
    "        },\n"
    "        1634740000.123,\n"
    "        1634740000.633,\n"
    "        {\n"
    "          \"additional_info\": \"x\"\n"
    "        }\n"
    "      ]\n"
    "    ]\n"
    "  ],\n"
    "  \"config_origins\": {\n"
    "    \"1\": \"Default\",\n"
    "    \"2\": \"Random Search (sorted) \\u00e9\"\n"
    "  },\n"
    "  \"configs\": {\n"
    "    \"1\": {\n"
    "      \"n\": 8,\n"
    "      \"solver\": \"a\",\n"
    "      \"use_boost\": \"no\",\n"
    "      \"x1\": 0.0\n"
    "    },\n"
    "    \"2\": {\n"
    "      \"n\": 64,\n"
    "      \"solver\": \"c\",\n"
    "      \"use_boost\": \"no\",\n"
    "      \"x1\": -5.0\n"
    "    },\n"
    "    \"3\": {\n"
    "      \"n\": 1,\n"
    "      \"solver\": \"b\",\n"
    "      \"use_boost\": \"yes\",\n"
    "      \"x1\": 9.999999999999998,\n"
    "      \"boost\": 0.01\n"
    "    }\n"
    "  }\n"
    "}"
;

/* The same content as `golden` in another spelling: compact, keys in another
 * order, raw UTF-8 (and a raw DEL), other escapes and number forms. */
static const char variant[] =
    "{\"configs\":{\"1\":{\"n\":8,\"solver\":\"a\",\"use_boost\":\"no\",\"x1\":0.0},\"2\":{\"n\":64,\"solv"
    "er\":\"c\",\"use_boost\":\"no\",\"x1\":-5},\"3\":{\"n\":1,\"solver\":\"b\",\"use_boost\":\"yes\",\"x1\""
    ":9.999999999999998,\"boost\":0.01}},\"data\":[[[1,\"inst\303\251 \\\"q\\\" \\\\ \\/\\t\",42,0.0],[Inf"
    "inity,NaN,{\"__enum__\":\"StatusType.SUCCESS\"},-Infinity,1e-05,{\"a\":NaN,\"b\":[Infini"
    "ty,-Infinity,15E-1,10,-0.0,true,false,null,\"\303\251\360\237\230\200\177\"],\"c\":{},\"d\":[],\"e\":{\"nested"
    "\":{\"d\\u0065ep\":[1,[2,[3]]]}}}]],[[2,null,-1,2.5],[10,1.0,{\"__enum__\":\"StatusType"
    ".CAPPED\"},0.0,0.0,null]],[[1,\"\\ud800lone\",1,0.0],[2147483647.0,0.0,{\"__enum__\":\""
    "StatusType.RUNNING\"},0.0,0.0,null]],[[3,null,7,0.0],[2.5e-1,0.5,{\"__enum__\":\"Sta"
    "tusType.TIMEOUT\"},1634740000.123,1634740000.633,{\"additional\\u005finfo\":\"\\u0078\"}]]"
    "],\"config_origins\":{\"1\":\"Default\",\"2\":\"Random Search (sorted) \303\251\"}}"
;

typedef rh_fixture fixture;
static int setup(void **state) { return rh_test_setup(state); }
static int teardown(void **state) { return rh_test_teardown(state); }

static int load(smac_runhistory *rh, const char *text, int external, int *n_new, smac_error *err)
{
    return smac_rh_load_json_text(rh, text, strlen(text), "t.json", external, n_new, err);
}

static void assert_writes(const smac_runhistory *rh, const char *want, size_t n)
{
    smac_error err;
    char *text = smac_rh_to_json(rh, &err);
    assert_non_null(text);
    assert_true(rh_test_same_text(text, strlen(text), want, n));
    free(text);
}

/* ------------------------------------------------------ golden texts */

static void test_golden_round_trip(void **state)
{
    fixture *f = *state;
    smac_error err;
    int n_new = -1;
    int rc = load(f->rh, golden, 0, &n_new, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, 0);
    assert_int_equal(n_new, 4);
    assert_writes(f->rh, golden, sizeof golden - 1);

    const smac_rh_run *r = smac_rh_run_at(f->rh, 0);
    assert_string_equal(r->instance_name, "inst\xc3\xa9 \"q\" \\ /\t");
    assert_true(isinf(r->value.cost) && r->value.cost > 0);
    assert_true(isnan(r->value.time));
    assert_true(isinf(r->value.starttime) && r->value.starttime < 0);
    assert_true(r->value.endtime == 1e-05);
    assert_int_equal(r->seed, 42);
    assert_string_equal(r->value.additional_info,
                        "{\"a\": NaN, \"b\": [Infinity, -Infinity, 1.5, 10, -0.0, true, false, null, "
                        "\"\\u00e9\\ud83d\\ude00\\u007f\"], \"c\": {}, \"d\": [], \"e\": {\"nested\": {\"deep\": "
                        "[1, [2, [3]]]}}}");
    r = smac_rh_run_at(f->rh, 1);
    assert_null(r->instance_name);
    assert_int_equal(r->seed, -1);
    assert_true(r->budget == 2.5);
    assert_int_equal(r->value.status, SMAC_STATUS_CAPPED);
    assert_string_equal(smac_rh_run_at(f->rh, 2)->instance_name, "\xed\xa0\x80lone"); /* WTF-8 */
    assert_int_equal(smac_rh_run_at(f->rh, 2)->value.status, SMAC_STATUS_RUNNING);

    /* Configurations: values decoded into the space, origins kept. */
    assert_int_equal(smac_rh_n_configs(f->rh), 3);
    assert_string_equal(smac_rh_config_origin(f->rh, 2), "Random Search (sorted) \xc3\xa9");
    assert_null(smac_rh_config_origin(f->rh, 3));
    const double *c3 = smac_rh_config(f->rh, 3);
    assert_non_null(c3);
    assert_true(c3[P_SOLVER] == 1 && c3[P_USE_BOOST] == 0 && c3[P_BOOST] == 0.0);
    assert_true(isnan(smac_rh_config(f->rh, 1)[P_BOOST]));
    double v[N_PARAMS];
    rh_test_vec(f->cs, 8, 0, 1, 0.0, NAN, v); /* the default */
    assert_int_equal(smac_rh_find_config(f->rh, v), 1);
    /* Only the TIMEOUT run of config 3 counts (the others are CAPPED / RUNNING). */
    assert_true(smac_rh_cost(f->rh, 3) == 0.25);
    assert_true(smac_rh_cost(f->rh, 1) > 1e308);
    assert_true(isnan(smac_rh_cost(f->rh, 2)));
}

static void test_variant_spelling(void **state)
{
    fixture *f = *state;
    smac_error err;
    int rc = load(f->rh, variant, 0, NULL, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, 0);
    /* Python writes the same bytes whatever spelling it read; so do we. */
    assert_writes(f->rh, golden, sizeof golden - 1);
}

static void test_three_element_keys(void **state)
{
    fixture *f = *state;
    static const char text[] =
        "{\"data\": [[[1, \"i\", 3], [0.5, 0.5, {\"__enum__\": \"StatusType.SUCCESS\"}, 1.0, 2.0, {}]]],\n"
        " \"configs\": {\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}}}";
    assert_int_equal(load(f->rh, text, 0, NULL, NULL), 0);
    assert_true(smac_rh_run_at(f->rh, 0)->budget == 0.0);
    assert_non_null(smac_rh_find(f->rh, 1, "i", 3, 0.0));
    static const char want[] = "{\n  \"data\": [\n    [\n      [\n        1,\n        \"i\",\n        3,\n"
                               "        0.0\n      ],\n      [\n        0.5,\n        0.5,\n        {\n"
                               "          \"__enum__\": \"StatusType.SUCCESS\"\n        },\n        1.0,\n"
                               "        2.0,\n        {}\n      ]\n    ]\n  ],\n  \"config_origins\": {},\n"
                               "  \"configs\": {\n    \"1\": {\n      \"n\": 8,\n      \"solver\": \"a\",\n"
                               "      \"use_boost\": \"no\",\n      \"x1\": 0.0\n    }\n  }\n}";
    assert_writes(f->rh, want, sizeof want - 1);
    /* A status given as its number (StatusType(1)) is read too. */
    static const char numeric[] = "{\"data\": [[[1, null, 0, 0.0], [1, 2, 1, 0, 0, null]]], \"config_origins\": "
                                  "{\"1\": null, \"x\": \"y\"}, \"configs\": {\"1\": {\"n\": 9, \"solver\": \"a\", "
                                  "\"use_boost\": \"no\", \"x1\": 1}}, \"stats\": {\"ignored\": [1, {}]}}";
    smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
    smac_error err;
    int rc = load(rh, numeric, 0, NULL, &err);
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, 0);
    assert_int_equal(smac_rh_run_at(rh, 0)->value.status, SMAC_STATUS_SUCCESS);
    assert_null(smac_rh_config_origin(rh, 1));
    char *out = smac_rh_to_json(rh, NULL);
    assert_true(rh_test_contains(out, "[\n        1,\n        2,\n        {\n          \"__enum__\": \"StatusType.SUCCESS\"\n"
                                      "        },\n        0,\n        0,\n        null\n      ]"));
    assert_true(rh_test_contains(out, "\"x1\": 1.0\n")); /* reals are written as floats */
    free(out);
    smac_runhistory_free(rh);
}

/* ------------------------------------------------------ malformed input */

#define CFG1 "\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}"
#define RUN(key, value) "[" key ", " value "]"
#define OKVAL "[1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, {}]"
#define FILE_OF(runs, cfgs) "{\"data\": [" runs "], \"configs\": {" cfgs "}}"

typedef struct bad_case {
    const char *text;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    {"", "t.json:1:1: the file is empty"},
    {"  \n ", "t.json:2:2: the file is empty"},
    {"[]", "t.json:1:1: expected '{' (a run history is a JSON object) but found '['"},
    {"{\"data\": [], \"configs\": {}", "t.json:1:27: expected ',' or '}' after a top-level value but found end of file"},
    {"{\"data\": []}", "t.json: the run history has no \"configs\""},
    {"{\"configs\": {}}", "t.json: the run history has no \"data\""},
    {"{\"data\": [], \"data\": [], \"configs\": {}}", "t.json:1:14: the key \"data\" appears twice"},
    {"{\"data\": [], \"configs\": {}} x", "t.json:1:29: extra data after the run history object"},
    {"{\"data\": [], \"configs\": {}}}", "t.json:1:28: extra data"},
    {"{\"data\": {}, \"configs\": {}}", "t.json:1:10: expected '[' (\"data\" is a list of runs) but found '{'"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", OKVAL), ""),
     "t.json:1:11: the run refers to config id 1, which \"configs\" does not define"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"StatusType.FINE\"}, 0.0, 0.0, {}]"), CFG1),
     "t.json:1:55: unknown status \"StatusType.FINE\""},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"SUCCESS\"}, 0.0, 0.0, {}]"), CFG1),
     "unknown status \"SUCCESS\""},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"status\": 1}, 0.0, 0.0, {}]"), CFG1),
     "t.json:1:43: expected the key \"__enum__\" of a status"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, 12, 0.0, 0.0, {}]"), CFG1), "t.json:1:42: status 12 is not a StatusType"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0]"), CFG1),
     "t.json:1:86: expected ',' after the end time but found ']'"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, {}, 1]"), CFG1),
     "t.json:1:90: expected ']' closing the run value (6 elements) but found ','"},
    {FILE_OF(RUN("[1, null]", OKVAL), CFG1), "t.json:1:20: expected ',' after the instance but found ']'"},
    {FILE_OF(RUN("[1, null, 0, 0.0, 1]", OKVAL), CFG1), "expected ']' closing the run key (3 or 4 elements)"},
    {FILE_OF(RUN("[1, 5, 0, 0.0]", OKVAL), CFG1), "t.json:1:16: expected an instance (a string or null) but found a number"},
    {FILE_OF(RUN("[1, null, 0.5, 0.0]", OKVAL), CFG1), "t.json:1:22: expected a seed (an integer of 64 bits) but found a number"},
    {FILE_OF(RUN("[1, null, 99999999999999999999, 0.0]", OKVAL), CFG1), "expected a seed (an integer of 64 bits)"},
    {FILE_OF(RUN("[1, null, 0, NaN]", OKVAL), CFG1), "the budget of a run must not be NaN"},
    {FILE_OF(RUN("[0, null, 0, 0.0]", OKVAL), CFG1), "t.json:1:13: expected a config id (a positive integer) but found a number"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[\"1.0\", 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, {}]"), CFG1),
     "t.json:1:32: expected a number (the cost) but found a string"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, {\"a\": [1,]}]"), CFG1),
     "t.json:1:97: expected a value but found ']'"},
    {FILE_OF(RUN("[1, null, 0, 0.0]", "[1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, {\"a\" 1}]"), CFG1),
     "t.json:1:93: expected ':' after a key but found a number"},
    {"{\"data\": [{\"config_id\": 1}], \"configs\": {}}", "t.json:1:11: a run is an object here: this is SMAC3 2.x's layout"},
    {FILE_OF("", "\"abc\": {}"), "t.json:1:26: config id \"abc\" is not a positive integer"},
    {FILE_OF("", CFG1 ", " CFG1), "t.json:1:86: config id 1 appears twice in \"configs\""},
    {FILE_OF("", "\"1\": {\"n\": 8, \"zz\": 1}"), "t.json:1:40: config 1: unknown parameter 'zz'"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"n\": 9}"), "t.json:1:40: config 1: parameter 'n' is given twice"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": \"d\", \"use_boost\": \"no\", \"x1\": 0.0}"),
     "t.json:1:50: config 1: \"d\" is not a legal value of parameter 'solver'"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": 1, \"use_boost\": \"no\", \"x1\": 0.0}"),
     "config 1: 1 is not a legal value of parameter 'solver'"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 10.5}"),
     "config 1: 10.5 is not a legal value of parameter 'x1' (outside its range)"},
    {FILE_OF("", "\"1\": {\"n\": 8.0, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}"),
     "t.json:1:37: config 1: 8.0 is not a legal value of parameter 'n' (an integer is expected)"},
    {FILE_OF("", "\"1\": {\"n\": 65, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}"),
     "config 1: 65 is not a legal value of parameter 'n' (outside its range)"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": \"0.0\"}"),
     "parameter 'x1' (a number is expected)"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0, \"boost\": 1.0}"),
     "t.json:1:31: config 1 is not a valid configuration of the space: parameter 'boost' is inactive"},
    {FILE_OF("", "\"1\": {\"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}"),
     "config 1 is not a valid configuration of the space: parameter 'n'"},
    {FILE_OF("", "\"1\": {\"n\": 8, \"solver\": \"c\", \"use_boost\": \"yes\", \"x1\": 0.0, \"boost\": 1.0}"),
     "config 1 is not a valid configuration of the space: the configuration violates the forbidden clause"},
    {"{\"data\": [],\n \"configs\": {\n  \"1\": {\"n\": 8,\n   \"solver\": \"a\", \"x\": 1}}}",
     "t.json:4:19: config 1: unknown parameter 'x'"},
    {FILE_OF(RUN("[1, \"a\\qb\", 0, 0.0]", OKVAL), CFG1), "t.json:1:18: invalid escape '\\q' in string"},
    {FILE_OF(RUN("[1, \"a\\u12\", 0, 0.0]", OKVAL), CFG1), "t.json:1:18: invalid \\u escape"},
    {FILE_OF(RUN("[1, \"a\tb\", 0, 0.0]", OKVAL), CFG1), "t.json:1:18: invalid control character in string"},
    {FILE_OF(RUN("[1, \"a\xff\", 0, 0.0]", OKVAL), CFG1), "t.json:1:18: invalid UTF-8 byte 0xff in string"},
    {FILE_OF(RUN("[1, \"a\xed\xa0\x80\", 0, 0.0]", OKVAL), CFG1), "invalid UTF-8 byte 0xed"},
    {FILE_OF(RUN("[1, \"a\xc0\xaf\", 0, 0.0]", OKVAL), CFG1), "invalid UTF-8 byte 0xc0"},
    {FILE_OF(RUN("[1, \"a\\u0000b\", 0, 0.0]", OKVAL), CFG1), "t.json:1:16: an instance name must not contain U+0000"},
    {"{\"data\": [[[1, \"ab", "t.json:1:16: unterminated string"},
    {"{\"data\": [], \"configs\": {}, NaNx}", "t.json:1:29: expected a key"},
    {"{\"data\": [Infinit], \"configs\": {}}", "t.json:1:11: invalid literal (expected Infinity)"},
    {"{\"data\": [], \"configs\": {}, \"x\": -}", "t.json:1:34: invalid number"},
    {"{\"data\": [], \"configs\": {}, \"x\": 1.}", "t.json:1:36: invalid number: digits expected after '.'"},
    {"{\"data\": [], \"configs\": {}, \"x\": 1e+}", "invalid number: digits expected in the exponent"},
    {"{\"data\": [], \"configs\": {}, \"x\": tru}", "t.json:1:34: invalid literal (expected true)"},
    {"{\"data\": [], \"configs\": {}, \"x\": @}", "t.json:1:34: unexpected character '@'"},
    {"\xef\xbb\xbf{\"data\": [], \"configs\": {}}", "t.json:1:1: unexpected byte 0xef"},
};

static void test_malformed(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f->rh, golden, 0, NULL, NULL), 0);
    char *before = smac_rh_to_json(f->rh, NULL);
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        smac_error err;
        smac_error_clear(&err);
        int n_new = -1;
        int rc = load(f->rh, bad_cases[i].text, 1, &n_new, &err);
        if (rc == 0)
            fprintf(stderr, "case %zu was accepted: %s\n", i, bad_cases[i].text);
        assert_true(rc == SMAC_ERR_PARSE || rc == SMAC_ERR_INVALID);
        assert_true(rh_test_contains(err.message, bad_cases[i].message));
        assert_int_equal(n_new, 0);
        assert_int_equal((int)smac_rh_size(f->rh), 4);
        assert_int_equal(smac_rh_n_configs(f->rh), 3);
    }
    char *after = smac_rh_to_json(f->rh, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_deep_nesting(void **state)
{
    fixture *f = *state;
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_puts(&sb, "{\"data\": [[[1, null, 0, 0.0], [1.0, 1.0, {\"__enum__\": \"StatusType.SUCCESS\"}, 0.0, 0.0, ");
    for (int i = 0; i < 600; i++)
        smac_strbuf_putc(&sb, '[');
    for (int i = 0; i < 600; i++)
        smac_strbuf_putc(&sb, ']');
    smac_strbuf_puts(&sb, "]]], \"configs\": {" CFG1 "}}");
    char *text = smac_strbuf_take(&sb);
    smac_error err;
    assert_int_equal(load(f->rh, text, 0, NULL, &err), SMAC_ERR_PARSE);
    assert_true(rh_test_contains(err.message, "nested more than 512 deep"));
    assert_int_equal((int)smac_rh_size(f->rh), 0);
    free(text);
}

static void test_nothing_added_on_late_error(void **state)
{
    fixture *f = *state;
    static const char text[] = "{\"data\": [" RUN("[1, \"a\", 0, 0.0]", OKVAL) ", " RUN("[1, \"b\", 0, 0.0]", OKVAL)
                               "], \"configs\": {" CFG1 ", \"2\": {\"n\": 0}}}";
    smac_error err;
    assert_int_equal(load(f->rh, text, 0, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal((int)smac_rh_size(f->rh), 0);
    assert_int_equal(smac_rh_n_configs(f->rh), 0);
    assert_int_equal(smac_rh_n_instances(f->rh), 0);
}

/* Damage a file: every 97th prefix must fail and change nothing in a history
 * that already holds runs (`holder`, loaded first; pSMAC's situation); with
 * every 97th byte replaced, a load into an empty history either fails and
 * adds nothing, or succeeds and then writes a text that reads back to itself. */
static void check_damage(const smac_cs *cs, const char *holder, size_t holder_len, const char *text, size_t len,
                         const char *name)
{
    smac_runhistory *rh = smac_runhistory_new(cs, NULL);
    assert_non_null(rh);
    if (holder)
        assert_int_equal(smac_rh_load_json_text(rh, holder, holder_len, "holder", 0, NULL, NULL), 0);
    char *before = smac_rh_to_json(rh, NULL);
    size_t size0 = smac_rh_size(rh);
    int cfg0 = smac_rh_n_configs(rh), inst0 = smac_rh_n_instances(rh);
    for (size_t cut = 0; cut < len; cut += 97) {
        smac_error err;
        int n_new = -1;
        int rc = smac_rh_load_json_text(rh, text, cut, name, SMAC_RH_EXTERNAL_SAME, &n_new, &err);
        if (rc == 0)
            fprintf(stderr, "%s: the prefix of %zu bytes was accepted\n", name, cut);
        assert_true(rc == SMAC_ERR_PARSE || rc == SMAC_ERR_INVALID);
        assert_true(err.line > 0 || rc == SMAC_ERR_INVALID); /* syntax errors have a location */
        assert_int_equal(n_new, 0);
        assert_int_equal((int)smac_rh_size(rh), (int)size0);
        assert_int_equal(smac_rh_n_configs(rh), cfg0);
        assert_int_equal(smac_rh_n_instances(rh), inst0);
    }
    char *after = smac_rh_to_json(rh, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    smac_runhistory_free(rh);

    static const char junk[] = "}]\"x9\0\xff,:{[ -e.";
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    for (size_t pos = 0, k = 0; pos < len; pos += 97, k++) {
        memcpy(copy, text, len);
        copy[pos] = junk[k % (sizeof junk - 1)];
        smac_runhistory *fresh = smac_runhistory_new(cs, NULL);
        int rc = smac_rh_load_json_text(fresh, copy, len, name, 0, NULL, NULL);
        if (rc != 0) {
            assert_int_equal((int)smac_rh_size(fresh), 0);
            assert_int_equal(smac_rh_n_configs(fresh), 0);
        } else {
            char *once = smac_rh_to_json(fresh, NULL);
            smac_runhistory *again = smac_runhistory_new(cs, NULL);
            assert_int_equal(smac_rh_load_json_text(again, once, strlen(once), "again", 0, NULL, NULL), 0);
            char *twice = smac_rh_to_json(again, NULL);
            assert_string_equal(once, twice);
            free(once);
            free(twice);
            smac_runhistory_free(again);
        }
        smac_runhistory_free(fresh);
    }
    free(copy);
}

static const char small_file[] =
    "{\"data\": [[[1, \"i\", 3], [0.5, 0.5, {\"__enum__\": \"StatusType.SUCCESS\"}, 1.0, 2.0, {}]]],\n"
    " \"configs\": {\"1\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}}}";

static void test_damaged_golden(void **state)
{
    fixture *f = *state;
    check_damage(f->cs, small_file, sizeof small_file - 1, golden, sizeof golden - 1, "golden.json");
    check_damage(f->cs, golden, sizeof golden - 1, variant, sizeof variant - 1, "variant.json");
}

/* -------------------------------------------------- ids, restore, files */

static void test_restore_keeps_ids(void **state)
{
    fixture *f = *state;
    static const char text[] =
        "{\"data\": [" RUN("[5, null, 0, 0.0]", OKVAL) ", " RUN("[2, null, 0, 0.0]", OKVAL) "], "
        "\"config_origins\": {\"5\": \"Local Search\"}, \"configs\": {"
        "\"2\": {\"n\": 8, \"solver\": \"a\", \"use_boost\": \"no\", \"x1\": 0.0}, "
        "\"5\": {\"n\": 2, \"solver\": \"b\", \"use_boost\": \"no\", \"x1\": 1.5}}}";
    /* Restoring (internal, empty history): the file's ids, holes included. */
    assert_int_equal(load(f->rh, text, SMAC_RH_INTERNAL, NULL, NULL), 0);
    assert_int_equal(smac_rh_max_config_id(f->rh), 5);
    assert_non_null(smac_rh_config(f->rh, 2));
    assert_string_equal(smac_rh_config_origin(f->rh, 5), "Local Search");
    assert_int_equal(smac_rh_run_at(f->rh, 0)->config_id, 5);
    double v[N_PARAMS];
    rh_test_vec(f->cs, 3, 0, 1, 0.0, NAN, v);
    int id = 0;
    smac_rh_intern_config(f->rh, v, NULL, &id);
    assert_int_equal(id, 6); /* max id + 1, not "number of configs + 1" */
    char *out = smac_rh_to_json(f->rh, NULL);
    assert_true(rh_test_contains(out, "\"configs\": {\n    \"2\": {"));
    assert_true(rh_test_contains(out, "\"config_origins\": {\n    \"5\": \"Local Search\"\n  },"));
    free(out);
    /* The same file again adds nothing. */
    int n_new = -1;
    assert_int_equal(load(f->rh, text, SMAC_RH_EXTERNAL_SAME, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_rh_n_configs(f->rh), 3);

    /* Into a history that already has a configuration, ids are local and
     * follow the order of first appearance in "data" (5 before 2). */
    smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
    smac_rh_intern_config(rh, v, "Default", &id);
    assert_int_equal(load(rh, text, SMAC_RH_EXTERNAL_SAME, &n_new, NULL), 0);
    assert_int_equal(n_new, 2);
    assert_int_equal(smac_rh_run_at(rh, 0)->config_id, 2);
    assert_int_equal(smac_rh_run_at(rh, 1)->config_id, 3);
    assert_string_equal(smac_rh_config_origin(rh, 2), "Local Search");
    /* Imported runs are not written: only the (run-less) history's own text remains. */
    out = smac_rh_to_json(rh, NULL);
    assert_string_equal(out, "{\n  \"data\": [],\n  \"config_origins\": {},\n  \"configs\": {}\n}");
    free(out);
    smac_runhistory_free(rh);
}

static void test_save_and_load_file(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/smac-rh-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/runhistory.json", dir);
    assert_int_equal(load(f->rh, golden, 0, NULL, NULL), 0);
    smac_error err;
    assert_int_equal(smac_rh_save_json(f->rh, path, &err), 0);
    smac_runhistory *back = smac_runhistory_new(f->cs, NULL);
    int n_new = 0;
    assert_int_equal(smac_rh_load_json(back, path, 0, &n_new, &err), 0);
    assert_int_equal(n_new, 4);
    assert_writes(back, golden, sizeof golden - 1);
    smac_runhistory_free(back);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    /* A missing file is an I/O error and adds nothing. */
    assert_int_equal(smac_rh_load_json(f->rh, path, 1, &n_new, &err), SMAC_ERR_IO);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_rh_save_json(f->rh, NULL, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_rh_load_json_text(f->rh, golden, 10, "x", 9, NULL, &err), SMAC_ERR_INVALID);
}

/* ------------------------------------------------------------- numbers */

static double lex_number_text(const char *text)
{
    rh_lex lx;
    rh_lex_init(&lx, text, strlen(text), "n", NULL);
    assert_int_equal(rh_lex_next(&lx), 0);
    assert_true(lx.tok == RH_TOK_INT || lx.tok == RH_TOK_FLOAT);
    assert_int_equal((int)lx.tok_len, (int)strlen(text));
    double v = lx.num;
    rh_lex_free(&lx);
    return v;
}

static int same_double(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* The reader converts numbers itself (exactly, without strtod for up to 19
 * digits): it must agree with strtod bit for bit. */
static void test_number_reading(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "9007199254740993.0", /* exactly between two doubles: ties to even */
        "9007199254740995.0", "9007199254740993.00001", "9007199254740993", "18014398509481985.0",
        "1795991837.7546027", "0.1", "-0.0", "1e-05", "2.5e-07", "123456789012345678", "1.7976931348623157e308",
        "2.2250738585072014e-308", "4.9406564584124654e-324", "1e400", "-1e400", "1e-400", "0.30000000000000004",
        "12345678901234567890", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "0.000000000000000000000000001", "7.0e-10", "1E22", "1e23", "8.98846567431158e307"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double want = strtod(cases[i], NULL);
        if (!same_double(lex_number_text(cases[i]), want))
            fprintf(stderr, "%s\n", cases[i]);
        assert_true(same_double(lex_number_text(cases[i]), want));
    }
    /* An int is a Python int: -0 is 0, and float(0) is +0.0. */
    assert_true(same_double(lex_number_text("-0"), 0.0));
    smac_rng rng;
    smac_rng_seed(&rng, 99, 0);
    char buf[64];
    for (int i = 0; i < 100000; i++) {
        int nd = 1 + (int)smac_rng_below(&rng, 19), point = (int)smac_rng_below(&rng, (uint64_t)nd + 1);
        char d[24];
        for (int k = 0; k < nd; k++)
            d[k] = (char)('0' + smac_rng_below(&rng, 10));
        if (d[0] == '0' && nd > 1)
            d[0] = '1';
        int ex = (int)smac_rng_below(&rng, 50) - 25;
        if (point == 0 || point == nd)
            snprintf(buf, sizeof buf, "%s%.*se%d", i & 1 ? "-" : "", nd, d, ex);
        else
            snprintf(buf, sizeof buf, "%s%.*s.%.*s", i & 1 ? "-" : "", point, d, nd - point, d + point);
        double want = strtod(buf, NULL);
        if (!same_double(lex_number_text(buf), want))
            fprintf(stderr, "%s\n", buf);
        assert_true(same_double(lex_number_text(buf), want));
    }
}

/* The writer's repr is util's smac_format_double_json, only faster. */
static void test_repr_matches_util(void **state)
{
    (void)state;
    smac_rng rng;
    smac_rng_seed(&rng, 17, 0);
    char a[SMAC_DOUBLE_TEXT], b[SMAC_DOUBLE_TEXT];
    static const double specials[] = {0.0, 1e16, 1e15, 9999999999999998.0, 1e-5, 1e-4, 0.1, 1.0 / 3, 5e-324,
                                      2.2250738585072014e-308, 1.7976931348623157e308, 1e22, 1e23,
                                      123456789012345.0, 1234567890123456.0, 12345678901234567.0, 2.5e-07,
                                      1795991837.7546027, 2147483647.0, 4.35, 0.15, 5.0, 100.0};
    for (int i = 0; i < 24000; i++) {
        double x;
        if (i < (int)(sizeof specials / sizeof *specials)) {
            x = specials[i];
        } else if (i < 2200) {
            x = ldexp(1.0, i - 1100) * (i & 1 ? 1.0 : 1.0000000000000002); /* powers of two and neighbours */
        } else if (i % 3 == 0) {
            uint64_t bits = smac_rng_u64(&rng);
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x))
                continue;
        } else if (i % 3 == 1) {
            x = smac_rng_uniform(&rng) * 15 - 5;
        } else {
            x = 1795991837.0 + smac_rng_uniform(&rng);
        }
        for (int sign = 0; sign < 2; sign++, x = -x) {
            rh_repr_double(x, a);
            smac_format_double_json(x, b);
            if (strcmp(a, b) != 0)
                fprintf(stderr, "%.17g: %s vs %s\n", x, a, b);
            assert_string_equal(a, b);
        }
    }
    rh_repr_double(NAN, a);
    assert_string_equal(a, "NaN");
    rh_repr_double(-INFINITY, a);
    assert_string_equal(a, "-Infinity");
}

/* ------------------------------------------------------ SMAC3 fixtures */

static int have_fixtures(void)
{
    struct stat st;
    if (stat(SMAC_SHARED_DIR "/fixtures", &st) == 0 && S_ISDIR(st.st_mode))
        return 1;
    print_message("skipped: %s/fixtures is not there\n", SMAC_SHARED_DIR);
    return 0;
}

static int is_space_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, "runhistory.json") != 0 && strcmp(base, "stats.json") != 0 &&
           strncmp(base, "traj", 4) != 0 && strncmp(base, "validated_", 10) != 0;
}

/* The spaces written beside a run history: its .json and .pcs files. */
static void spaces_beside(const char *rh_path, glob_t *g)
{
    char pattern[1024];
    size_t dir = (size_t)(strrchr(rh_path, '/') - rh_path);
    snprintf(pattern, sizeof pattern, "%.*s/*.json", (int)dir, rh_path);
    glob(pattern, 0, NULL, g);
    snprintf(pattern, sizeof pattern, "%.*s/*.pcs", (int)dir, rh_path);
    glob(pattern, GLOB_APPEND, NULL, g);
}

static smac_cs *space_beside(const char *rh_path)
{
    glob_t g;
    smac_cs *cs = NULL;
    spaces_beside(rh_path, &g);
    for (size_t i = 0; i < g.gl_pathc && !cs; i++) {
        smac_error err;
        if (is_space_file(g.gl_pathv[i]) && smac_cs_read_file(g.gl_pathv[i], SMAC_CS_AUTO, &cs, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            cs = NULL;
        }
    }
    globfree(&g);
    return cs;
}

static void test_fixtures_round_trip(void **state)
{
    (void)state;
    if (!have_fixtures())
        skip();
    glob_t g;
    glob(SMAC_SHARED_DIR "/fixtures/*/*/run_*/runhistory.json", 0, NULL, &g);
    glob(SMAC_SHARED_DIR "/fixtures/*/run_*/runhistory.json", GLOB_APPEND, NULL, &g);
    assert_true(g.gl_pathc >= 1);
    int checked = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char *text;
        size_t len;
        smac_error err;
        assert_int_equal(smac_read_file(g.gl_pathv[i], &text, &len, &err), 0);
        glob_t sp;
        spaces_beside(g.gl_pathv[i], &sp);
        smac_cs *first = NULL;
        for (size_t k = 0; k < sp.gl_pathc; k++) {
            if (!is_space_file(sp.gl_pathv[k]))
                continue;
            smac_cs *cs;
            if (smac_cs_read_file(sp.gl_pathv[k], SMAC_CS_AUTO, &cs, &err) != 0) {
                fprintf(stderr, "%s\n", err.message);
                fail();
            }
            smac_runhistory *rh = smac_runhistory_new(cs, NULL);
            int n_new = 0, rc = smac_rh_load_json(rh, g.gl_pathv[i], 0, &n_new, &err);
            if (rc)
                fprintf(stderr, "%s\n", err.message);
            assert_int_equal(rc, 0);
            assert_true(n_new > 0);
            assert_int_equal((int)smac_rh_size(rh), n_new);
            char *out = smac_rh_to_json(rh, &err);
            if (!rh_test_same_text(out, strlen(out), text, len))
                fprintf(stderr, "%s with %s\n", g.gl_pathv[i], sp.gl_pathv[k]);
            assert_true(strlen(out) == len && memcmp(out, text, len) == 0);
            free(out);
            smac_runhistory_free(rh);
            checked++;
            if (!first)
                first = cs;
            else
                smac_cs_free(cs);
        }
        globfree(&sp);
        assert_non_null(first);
        check_damage(first, NULL, 0, text, len, g.gl_pathv[i]);
        smac_cs_free(first);
        free(text);
    }
    globfree(&g);
    assert_true(checked >= 2);
}

/* Two pSMAC processes' files: each one's own file plus the peer's. The
 * totals were counted with Python over configuration values. */
static void merge_peers(const char *pattern, int want_configs, int want_runs)
{
    glob_t g;
    glob(pattern, 0, NULL, &g);
    assert_int_equal((int)g.gl_pathc, 2);
    smac_cs *cs = space_beside(g.gl_pathv[0]);
    assert_non_null(cs);
    for (int own = 0; own < 2; own++) {
        const char *mine = g.gl_pathv[own], *peer = g.gl_pathv[1 - own];
        smac_error err;
        char *text;
        size_t len;
        assert_int_equal(smac_read_file(mine, &text, &len, &err), 0);
        smac_runhistory *rh = smac_runhistory_new(cs, NULL);
        int n_own = 0, n_peer = 0;
        assert_int_equal(smac_rh_load_json(rh, mine, SMAC_RH_INTERNAL, &n_own, &err), 0);
        int max_own = smac_rh_max_config_id(rh);
        int rc = smac_rh_load_json(rh, peer, SMAC_RH_EXTERNAL_SAME, &n_peer, &err);
        if (rc)
            fprintf(stderr, "%s\n", err.message);
        assert_int_equal(rc, 0);
        assert_int_equal(smac_rh_n_configs(rh), want_configs);
        assert_int_equal((int)smac_rh_size(rh), want_runs);
        assert_int_equal(n_own + n_peer, want_runs);
        /* The peer's new configurations got the next ids, in the order of
         * their first run in the peer's file. */
        int next = max_own + 1;
        for (size_t i = (size_t)n_own; i < smac_rh_size(rh); i++) {
            int id = smac_rh_run_at(rh, i)->config_id;
            assert_int_equal(smac_rh_run_at(rh, i)->origin, SMAC_RH_EXTERNAL_SAME);
            if (id > max_own) {
                assert_true(id <= next);
                if (id == next)
                    next++;
            }
        }
        assert_int_equal(next - 1, smac_rh_max_config_id(rh));
        /* The default ran in both processes: its pairs are the union of the
         * counted runs of both files. */
        int pairs = 0;
        for (size_t i = 0; i < smac_rh_size(rh); i++) {
            const smac_rh_run *r = smac_rh_run_at(rh, i);
            pairs += r->config_id == 1 && r->value.status != SMAC_STATUS_CAPPED &&
                     r->value.status != SMAC_STATUS_RUNNING;
        }
        assert_int_equal(smac_rh_n_runs(rh, 1), pairs);
        /* Reading the peer again finds nothing new; our file is unchanged. */
        assert_int_equal(smac_rh_load_json(rh, peer, SMAC_RH_EXTERNAL_SAME, &n_peer, &err), 0);
        assert_int_equal(n_peer, 0);
        char *out = smac_rh_to_json(rh, &err);
        assert_true(rh_test_same_text(out, strlen(out), text, len));
        free(out);
        free(text);
        smac_runhistory_free(rh);
    }
    smac_cs_free(cs);
    globfree(&g);
}

static void test_fixtures_merge_peers(void **state)
{
    (void)state;
    if (!have_fixtures())
        skip();
    merge_peers(SMAC_SHARED_DIR "/fixtures/smac3-v1.1-psmac-mixed-runtime/*/run_*/runhistory.json", 89, 159);
    merge_peers(SMAC_SHARED_DIR "/fixtures/smac3-v1.1-psmac-branin/*/run_*/runhistory.json", 59, 59);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_golden_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variant_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_three_element_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_added_on_late_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_and_load_file, setup, teardown),
        cmocka_unit_test(test_number_reading),
        cmocka_unit_test(test_repr_matches_util),
        cmocka_unit_test(test_fixtures_round_trip),
        cmocka_unit_test(test_fixtures_merge_peers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
