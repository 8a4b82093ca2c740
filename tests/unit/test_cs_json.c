/*
 * Tests of the ConfigSpace JSON reader and writer (src/cs/cs_json.c): every
 * parameter, condition and forbidden kind read and written back byte for
 * byte, malformed documents with their messages, and every real space in
 * shared/pcs/ compared with what ConfigSpace 0.4.21 writes for it.
 *
 * The hand-written spaces below are laid out exactly as Python's
 * json.dumps(indent=2) prints them, with parameters in canonical order and
 * conditions in ConfigSpace's get_conditions() order (by the first parent in
 * canonical order, then by child: c_in_int and c_or, whose first parent is
 * ichoice, come before c_gt), so reading and writing must reproduce them
 * unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cs/cs_internal.h"
#include "util/fsutil.h"

static const char SPACE_KINDS[] =
    "{\n"
    "  \"name\": \"space \\\"A\\\"\",\n"
    "  \"hyperparameters\": [\n"
    "    {\n"
    "      \"name\": \"a_real\",\n"
    "      \"type\": \"uniform_float\",\n"
    "      \"log\": false,\n"
    "      \"lower\": -5.0,\n"
    "      \"upper\": 10.0,\n"
    "      \"default\": 0.5\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"b_log\",\n"
    "      \"type\": \"uniform_float\",\n"
    "      \"log\": true,\n"
    "      \"lower\": 1e-05,\n"
    "      \"upper\": 1.0,\n"
    "      \"default\": 0.01\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_int\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": -3,\n"
    "      \"upper\": 18000000000,\n"
    "      \"default\": 7\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"d_intlog\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": true,\n"
    "      \"lower\": 1,\n"
    "      \"upper\": 1024,\n"
    "      \"default\": 32\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"e_cat\",\n"
    "      \"type\": \"categorical\",\n"
    "      \"choices\": [\n"
    "        \"x\",\n"
    "        1,\n"
    "        2.5,\n"
    "        true,\n"
    "        \"caf\\u00e9\"\n"
    "      ],\n"
    "      \"default\": 2.5,\n"
    "      \"probabilities\": [\n"
    "        0.125,\n"
    "        0.25,\n"
    "        0.25,\n"
    "        0.25,\n"
    "        0.125\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"f_ord\",\n"
    "      \"type\": \"ordinal\",\n"
    "      \"sequence\": [\n"
    "        1,\n"
    "        2,\n"
    "        3\n"
    "      ],\n"
    "      \"default\": 2\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"g_const\",\n"
    "      \"type\": \"constant\",\n"
    "      \"value\": \"fixed\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"h_const_int\",\n"
    "      \"type\": \"constant\",\n"
    "      \"value\": 3\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"i_const_bool\",\n"
    "      \"type\": \"constant\",\n"
    "      \"value\": false\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"j_const_float\",\n"
    "      \"type\": \"constant\",\n"
    "      \"value\": 0.1\n"
    "    }\n"
    "  ],\n"
    "  \"conditions\": [],\n"
    "  \"forbiddens\": [],\n"
    "  \"python_module_version\": \"0.4.21\",\n"
    "  \"json_format_version\": 0.2\n"
    "}";

static const char SPACE_CONDITIONS[] =
    "{\n"
    "  \"hyperparameters\": [\n"
    "    {\n"
    "      \"name\": \"cat\",\n"
    "      \"type\": \"categorical\",\n"
    "      \"choices\": [\n"
    "        \"a\",\n"
    "        \"b\",\n"
    "        \"c\"\n"
    "      ],\n"
    "      \"default\": \"a\",\n"
    "      \"probabilities\": null\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"ichoice\",\n"
    "      \"type\": \"categorical\",\n"
    "      \"choices\": [\n"
    "        1,\n"
    "        2,\n"
    "        3\n"
    "      ],\n"
    "      \"default\": 1,\n"
    "      \"probabilities\": null\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"int\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 10,\n"
    "      \"default\": 5\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"num\",\n"
    "      \"type\": \"uniform_float\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0.0,\n"
    "      \"upper\": 10.0,\n"
    "      \"default\": 5.0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"ord\",\n"
    "      \"type\": \"ordinal\",\n"
    "      \"sequence\": [\n"
    "        \"low\",\n"
    "        \"mid\",\n"
    "        \"high\"\n"
    "      ],\n"
    "      \"default\": \"mid\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_and\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_eq\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_gt\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_in\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_in_int\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_lt\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_neq\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_or\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c_ord_lt\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 1,\n"
    "      \"default\": 0\n"
    "    }\n"
    "  ],\n"
    "  \"conditions\": [\n"
    "    {\n"
    "      \"child\": \"c_and\",\n"
    "      \"type\": \"AND\",\n"
    "      \"conditions\": [\n"
    "        {\n"
    "          \"child\": \"c_and\",\n"
    "          \"parent\": \"cat\",\n"
    "          \"type\": \"EQ\",\n"
    "          \"value\": \"a\"\n"
    "        },\n"
    "        {\n"
    "          \"child\": \"c_and\",\n"
    "          \"parent\": \"int\",\n"
    "          \"type\": \"GT\",\n"
    "          \"value\": 3\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_eq\",\n"
    "      \"parent\": \"cat\",\n"
    "      \"type\": \"EQ\",\n"
    "      \"value\": \"a\"\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_in\",\n"
    "      \"parent\": \"cat\",\n"
    "      \"type\": \"IN\",\n"
    "      \"values\": [\n"
    "        \"c\",\n"
    "        \"a\"\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_neq\",\n"
    "      \"parent\": \"cat\",\n"
    "      \"type\": \"NEQ\",\n"
    "      \"value\": \"b\"\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_in_int\",\n"
    "      \"parent\": \"ichoice\",\n"
    "      \"type\": \"IN\",\n"
    "      \"values\": [\n"
    "        1,\n"
    "        3\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_or\",\n"
    "      \"type\": \"OR\",\n"
    "      \"conditions\": [\n"
    "        {\n"
    "          \"child\": \"c_or\",\n"
    "          \"type\": \"AND\",\n"
    "          \"conditions\": [\n"
    "            {\n"
    "              \"child\": \"c_or\",\n"
    "              \"parent\": \"ord\",\n"
    "              \"type\": \"GT\",\n"
    "              \"value\": \"low\"\n"
    "            },\n"
    "            {\n"
    "              \"child\": \"c_or\",\n"
    "              \"parent\": \"num\",\n"
    "              \"type\": \"LT\",\n"
    "              \"value\": 7.5\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"child\": \"c_or\",\n"
    "          \"parent\": \"ichoice\",\n"
    "          \"type\": \"EQ\",\n"
    "          \"value\": 2\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_gt\",\n"
    "      \"parent\": \"int\",\n"
    "      \"type\": \"GT\",\n"
    "      \"value\": 3\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_lt\",\n"
    "      \"parent\": \"num\",\n"
    "      \"type\": \"LT\",\n"
    "      \"value\": 2.5\n"
    "    },\n"
    "    {\n"
    "      \"child\": \"c_ord_lt\",\n"
    "      \"parent\": \"ord\",\n"
    "      \"type\": \"LT\",\n"
    "      \"value\": \"high\"\n"
    "    }\n"
    "  ],\n"
    "  \"forbiddens\": [],\n"
    "  \"python_module_version\": \"0.4.21\",\n"
    "  \"json_format_version\": 0.2\n"
    "}";

static const char SPACE_FORBIDDENS[] =
    "{\n"
    "  \"hyperparameters\": [\n"
    "    {\n"
    "      \"name\": \"a\",\n"
    "      \"type\": \"categorical\",\n"
    "      \"choices\": [\n"
    "        \"x\",\n"
    "        \"y\",\n"
    "        \"z\"\n"
    "      ],\n"
    "      \"default\": \"x\",\n"
    "      \"probabilities\": null\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"b\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 10,\n"
    "      \"default\": 0\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c\",\n"
    "      \"type\": \"uniform_float\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0.0,\n"
    "      \"upper\": 1.0,\n"
    "      \"default\": 0.5\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"d\",\n"
    "      \"type\": \"uniform_int\",\n"
    "      \"log\": false,\n"
    "      \"lower\": 0,\n"
    "      \"upper\": 10,\n"
    "      \"default\": 5\n"
    "    }\n"
    "  ],\n"
    "  \"conditions\": [],\n"
    "  \"forbiddens\": [\n"
    "    {\n"
    "      \"name\": \"a\",\n"
    "      \"type\": \"EQUALS\",\n"
    "      \"value\": \"y\"\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"b\",\n"
    "      \"type\": \"IN\",\n"
    "      \"values\": [\n"
    "        9,\n"
    "        7\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"a\",\n"
    "      \"type\": \"AND\",\n"
    "      \"clauses\": [\n"
    "        {\n"
    "          \"name\": \"a\",\n"
    "          \"type\": \"EQUALS\",\n"
    "          \"value\": \"z\"\n"
    "        },\n"
    "        {\n"
    "          \"name\": \"b\",\n"
    "          \"type\": \"IN\",\n"
    "          \"values\": [\n"
    "            1,\n"
    "            2\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"c\",\n"
    "      \"type\": \"AND\",\n"
    "      \"clauses\": [\n"
    "        {\n"
    "          \"name\": \"c\",\n"
    "          \"type\": \"EQUALS\",\n"
    "          \"value\": 0.25\n"
    "        },\n"
    "        {\n"
    "          \"name\": \"a\",\n"
    "          \"type\": \"EQUALS\",\n"
    "          \"value\": \"y\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"left\": \"d\",\n"
    "      \"right\": \"b\",\n"
    "      \"type\": \"RELATION\",\n"
    "      \"lambda\": \"LESS\"\n"
    "    },\n"
    "    {\n"
    "      \"left\": \"b\",\n"
    "      \"right\": \"d\",\n"
    "      \"type\": \"RELATION\",\n"
    "      \"lambda\": \"GREATER\"\n"
    "    },\n"
    "    {\n"
    "      \"left\": \"b\",\n"
    "      \"right\": \"d\",\n"
    "      \"type\": \"RELATION\",\n"
    "      \"lambda\": \"EQUALS\"\n"
    "    }\n"
    "  ],\n"
    "  \"python_module_version\": \"0.4.21\",\n"
    "  \"json_format_version\": 0.2\n"
    "}";

static const char SPACE_EMPTY[] =
    "{\n"
    "  \"hyperparameters\": [],\n"
    "  \"conditions\": [],\n"
    "  \"forbiddens\": [],\n"
    "  \"python_module_version\": \"0.4.21\",\n"
    "  \"json_format_version\": 0.2\n"
    "}";

/* ------------------------------------------------------------ helpers */

/* Test documents are written with ' for " to stay readable; no test needs a
 * literal apostrophe. */
static char *dq(const char *s)
{
    char *t = strdup(s);
    assert_non_null(t);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

static int read_doc(const char *text, smac_cs **cs, smac_error *err)
{
    char *t = dq(text);
    int rc = cs_read_json(t, strlen(t), "t.json", cs, err);
    free(t);
    return rc;
}

/* Reads `text`, writes it back and insists on the identical text. */
static smac_cs *assert_round_trip(const char *text)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    int rc = cs_read_json(text, strlen(text), "t.json", &cs, &err);
    if (rc != 0)
        fail_msg("read failed: %s", err.message);
    char *out = cs_write_json(cs, &err);
    assert_non_null(out);
    assert_string_equal(out, text);
    free(out);
    return cs;
}

static int index_of(const smac_cs *cs, const char *name)
{
    int i = smac_cs_param_index(cs, name);
    if (i < 0)
        fail_msg("no parameter %s", name);
    return i;
}

static const cs_condition *condition_of(const smac_cs *cs, const char *child)
{
    int i = index_of(cs, child);
    for (int k = 0; k < cs->n_conditions; k++)
        if (cs->conditions[k].child == i)
            return &cs->conditions[k];
    fail_msg("no condition for %s", child);
    return NULL;
}

/* ------------------------------------------------- reading and writing */

static void test_parameter_kinds_round_trip(void **state)
{
    (void)state;
    smac_cs *cs = assert_round_trip(SPACE_KINDS);
    assert_int_equal(smac_cs_n_params(cs), 10);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_JSON);
    assert_string_equal(cs->name, "space \"A\"");

    const cs_param *p = &cs->params[index_of(cs, "a_real")];
    assert_int_equal(p->type, SMAC_PARAM_REAL);
    assert_false(p->log);
    assert_true(p->lower == -5.0 && p->upper == 10.0 && p->default_value == 0.5);
    p = &cs->params[index_of(cs, "b_log")];
    assert_true(p->log);
    assert_true(p->lower == 1e-05 && p->default_value == 0.01);
    p = &cs->params[index_of(cs, "c_int")];
    assert_int_equal(p->type, SMAC_PARAM_INTEGER);
    assert_true(p->lower == -3.0 && p->upper == 18000000000.0 && p->default_value == 7.0);
    assert_true(cs->params[index_of(cs, "d_intlog")].log);

    /* Mixed choice kinds keep their JSON type and read as Python's str(). */
    p = &cs->params[index_of(cs, "e_cat")];
    assert_int_equal(p->type, SMAC_PARAM_CATEGORICAL);
    assert_int_equal(p->n_choices, 5);
    static const char *const texts[] = { "x", "1", "2.5", "True", "caf\xc3\xa9" };
    static const cs_value_kind kinds[] = { CS_VALUE_STRING, CS_VALUE_INT, CS_VALUE_FLOAT,
                                           CS_VALUE_BOOL, CS_VALUE_STRING };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(p->choices[i], texts[i]);
        assert_int_equal(p->kinds[i], kinds[i]);
    }
    assert_true(p->default_value == 2.0);
    assert_non_null(p->weights);
    assert_true(p->weights[0] == 0.125 && p->weights[1] == 0.25);

    p = &cs->params[index_of(cs, "f_ord")];
    assert_int_equal(p->type, SMAC_PARAM_ORDINAL);
    assert_int_equal(p->kinds[0], CS_VALUE_INT);
    assert_true(p->default_value == 1.0);

    p = &cs->params[index_of(cs, "g_const")];
    assert_int_equal(p->type, SMAC_PARAM_CONSTANT);
    assert_string_equal(p->choices[0], "fixed");
    p = &cs->params[index_of(cs, "h_const_int")];
    assert_string_equal(p->choices[0], "3");
    assert_int_equal(p->kinds[0], CS_VALUE_INT);
    p = &cs->params[index_of(cs, "i_const_bool")];
    assert_string_equal(p->choices[0], "False");
    assert_int_equal(p->kinds[0], CS_VALUE_BOOL);
    p = &cs->params[index_of(cs, "j_const_float")];
    assert_string_equal(p->choices[0], "0.1");
    assert_int_equal(p->kinds[0], CS_VALUE_FLOAT);
    smac_cs_free(cs);
}

static void test_conditions_round_trip(void **state)
{
    (void)state;
    smac_cs *cs = assert_round_trip(SPACE_CONDITIONS);
    assert_int_equal(smac_cs_n_params(cs), 14);
    assert_int_equal(smac_cs_n_conditions(cs), 9);
    const cs_condition *c = condition_of(cs, "c_and");
    assert_int_equal(c->root.op, CS_COND_AND);
    assert_int_equal(c->root.n_parts, 2);
    /* Leaf values are stored in the parent's terms: a choice index ... */
    assert_int_equal(c->root.parts[0].op, CS_COND_EQ);
    assert_true(c->root.parts[0].values[0] == 0.0);
    /* ... or the number itself. */
    assert_int_equal(c->root.parts[1].op, CS_COND_GT);
    assert_true(c->root.parts[1].values[0] == 3.0);
    c = condition_of(cs, "c_in");
    assert_int_equal(c->root.op, CS_COND_IN);
    assert_int_equal(c->root.n_values, 2);
    assert_true(c->root.values[0] == 2.0 && c->root.values[1] == 0.0);
    c = condition_of(cs, "c_or");
    assert_int_equal(c->root.op, CS_COND_OR);
    assert_int_equal(c->root.parts[0].op, CS_COND_AND);
    smac_cs_free(cs);
}

static void test_forbiddens_round_trip(void **state)
{
    (void)state;
    smac_cs *cs = assert_round_trip(SPACE_FORBIDDENS);
    assert_int_equal(smac_cs_n_forbiddens(cs), 7);
    const cs_forbidden *f = cs->forbiddens;
    assert_int_equal(f[0].op, CS_FORBID_EQUALS);
    assert_int_equal(f[1].op, CS_FORBID_IN);
    assert_true(f[1].values[0] == 9.0 && f[1].values[1] == 7.0);
    assert_int_equal(f[2].op, CS_FORBID_AND);
    assert_int_equal(f[2].n_parts, 2);
    assert_int_equal(f[3].parts[0].op, CS_FORBID_EQUALS);
    assert_true(f[3].parts[0].values[0] == 0.25);
    assert_int_equal(f[4].op, CS_FORBID_LESS);
    assert_string_equal(cs->params[f[4].param].name, "d");
    assert_string_equal(cs->params[f[4].other].name, "b");
    assert_int_equal(f[5].op, CS_FORBID_GREATER);
    assert_int_equal(f[6].op, CS_FORBID_EQUALS_REL);
    smac_cs_free(cs);
}

static void test_empty_space(void **state)
{
    (void)state;
    smac_cs *cs = assert_round_trip(SPACE_EMPTY);
    assert_int_equal(smac_cs_n_params(cs), 0);
    assert_null(cs->name);
    smac_cs_free(cs);
}

/* Through the public dispatch: AUTO picks JSON for *.json, and smac_cs_write
 * reaches our writer. */
static void test_public_dispatch(void **state)
{
    (void)state;
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(smac_cs_read_text(SPACE_CONDITIONS, strlen(SPACE_CONDITIONS), "space.json",
                                       SMAC_CS_AUTO, &cs, &err), 0);
    assert_int_equal(smac_cs_source_format(cs), SMAC_CS_JSON);
    char *out = smac_cs_write(cs, SMAC_CS_JSON, &err);
    assert_non_null(out);
    assert_string_equal(out, SPACE_CONDITIONS);
    free(out);
    smac_cs_free(cs);
}

/* Our text must match the expected one; `name` labels the failure. */
static void assert_writes(const char *doc, const char *expected)
{
    smac_cs *cs = NULL;
    smac_error err = {0};
    if (read_doc(doc, &cs, &err) != 0)
        fail_msg("read failed: %s", err.message);
    char *out = cs_write_json(cs, &err);
    assert_non_null(out);
    char *want = dq(expected);
    assert_string_equal(out, want);
    free(want);
    free(out);
    smac_cs_free(cs);
}

/* Leaving out what ConfigSpace can compute: defaults (formats.md §3.5),
 * "log", "probabilities", "conditions", "forbiddens". */
static void test_missing_optional_keys(void **state)
{
    (void)state;
    assert_writes(
        "{'hyperparameters': [{'name': 'a', 'type': 'uniform_float', 'lower': 0, 'upper': 10},"
        " {'name': 'b', 'type': 'uniform_int', 'log': false, 'lower': 1, 'upper': 5, 'default': null},"
        " {'name': 'c', 'type': 'categorical', 'choices': ['u', 'v']},"
        " {'name': 'd', 'type': 'ordinal', 'sequence': ['lo', 'hi']}]}",
        "{\n"
        "  'hyperparameters': [\n"
        "    {\n      'name': 'a',\n      'type': 'uniform_float',\n      'log': false,\n"
        "      'lower': 0.0,\n      'upper': 10.0,\n      'default': 5.0\n    },\n"
        "    {\n      'name': 'b',\n      'type': 'uniform_int',\n      'log': false,\n"
        "      'lower': 1,\n      'upper': 5,\n      'default': 3\n    },\n"
        "    {\n      'name': 'c',\n      'type': 'categorical',\n      'choices': [\n"
        "        'u',\n        'v'\n      ],\n      'default': 'u',\n      'probabilities': null\n    },\n"
        "    {\n      'name': 'd',\n      'type': 'ordinal',\n      'sequence': [\n"
        "        'lo',\n        'hi'\n      ],\n      'default': 'lo'\n    }\n"
        "  ],\n"
        "  'conditions': [],\n"
        "  'forbiddens': [],\n"
        "  'python_module_version': '0.4.21',\n"
        "  'json_format_version': 0.2\n"
        "}");
}

/* ConfigSpace 0.4.21 writes weights normalised (weights / np.sum(weights));
 * later versions call the key "weights", which is read too. */
static void test_probabilities_normalised(void **state)
{
    (void)state;
    static const char tail[] =
        "  ],\n  'conditions': [],\n  'forbiddens': [],\n"
        "  'python_module_version': '0.4.21',\n  'json_format_version': 0.2\n}";
    char want[2048];
    snprintf(want, sizeof want,
             "{\n  'hyperparameters': [\n"
             "    {\n      'name': 'c',\n      'type': 'categorical',\n      'choices': [\n"
             "        'u',\n        'v'\n      ],\n      'default': 'v',\n"
             "      'probabilities': [\n        0.25,\n        0.75\n      ]\n    }\n%s", tail);
    assert_writes("{'hyperparameters': [{'name': 'c', 'type': 'categorical', 'choices': ['u', 'v'],"
                  " 'default': 'v', 'probabilities': [1, 3]}]}", want);
    assert_writes("{'hyperparameters': [{'name': 'c', 'type': 'categorical', 'choices': ['u', 'v'],"
                  " 'default': 'v', 'weights': [2.5, 7.5]}]}", want);

    /* numpy sums ten 0.1 pairwise (to exactly 1.0, where a plain loop gives
     * 0.9999999999999999), so every probability stays 0.1. */
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(read_doc("{'hyperparameters': [{'name': 'c', 'type': 'categorical',"
                              " 'choices': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],"
                              " 'probabilities': [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]}]}",
                              &cs, &err), 0);
    char *out = cs_write_json(cs, &err);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"probabilities\": [\n        0.1,\n        0.1,\n"));
    assert_null(strstr(out, "0.10000000000000002"));
    free(out);
    smac_cs_free(cs);
}

/* "q" is not part of ConfigSpace 0.4.21's JSON; it is read when present and
 * written (after "default", as later versions place it) only when set. */
static void test_quantisation(void **state)
{
    (void)state;
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(read_doc("{'hyperparameters': ["
                              "{'name': 'a', 'type': 'uniform_float', 'log': false, 'lower': 0,"
                              " 'upper': 10, 'default': 5, 'q': 0.5},"
                              "{'name': 'b', 'type': 'uniform_int', 'log': false, 'lower': 0,"
                              " 'upper': 10, 'default': 4, 'q': 2},"
                              "{'name': 'c', 'type': 'uniform_int', 'log': false, 'lower': 0,"
                              " 'upper': 10, 'default': 4, 'q': null}]}", &cs, &err), 0);
    assert_true(cs->params[0].q == 0.5 && cs->params[1].q == 2.0 && cs->params[2].q == 0.0);
    char *out = cs_write_json(cs, &err);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"default\": 5.0,\n      \"q\": 0.5\n    }"));
    assert_non_null(strstr(out, "\"default\": 4,\n      \"q\": 2\n    }"));
    assert_non_null(strstr(out, "\"name\": \"c\",\n      \"type\": \"uniform_int\",\n      \"log\": false,\n"
                                "      \"lower\": 0,\n      \"upper\": 10,\n      \"default\": 4\n    }"));
    free(out);
    smac_cs_free(cs);
}

/* Bool/number choices match condition and forbidden values given as JSON
 * values of the same type, and unparametrized reads as a constant. */
static void test_typed_values(void **state)
{
    (void)state;
    smac_cs *cs = NULL;
    smac_error err = {0};
    int rc = read_doc("{'hyperparameters': ["
                      "{'name': 'flag', 'type': 'categorical', 'choices': [true, false], 'default': false},"
                      "{'name': 'k', 'type': 'unparametrized', 'value': 'v'},"
                      "{'name': 'x', 'type': 'uniform_int', 'log': false, 'lower': 0, 'upper': 3, 'default': 0}],"
                      " 'conditions': [{'child': 'x', 'parent': 'flag', 'type': 'EQ', 'value': true}],"
                      " 'forbiddens': [{'name': 'flag', 'type': 'IN', 'values': [false, true]},"
                      " {'name': 'x', 'type': 'EQUALS', 'value': 3}]}",
                      &cs, &err);
    /* The forbidden IN covers every value, so the default is forbidden. */
    assert_int_not_equal(rc, 0);
    assert_null(cs);
    rc = read_doc("{'hyperparameters': ["
                  "{'name': 'flag', 'type': 'categorical', 'choices': [true, false], 'default': false},"
                  "{'name': 'k', 'type': 'unparametrized', 'value': 'v'},"
                  "{'name': 'x', 'type': 'uniform_int', 'log': false, 'lower': 0, 'upper': 3, 'default': 0}],"
                  " 'conditions': [{'child': 'x', 'parent': 'flag', 'type': 'EQ', 'value': true}],"
                  " 'forbiddens': [{'name': 'flag', 'type': 'IN', 'values': [true]},"
                  " {'name': 'x', 'type': 'EQUALS', 'value': 3}]}",
                  &cs, &err);
    if (rc != 0)
        fail_msg("read failed: %s", err.message);
    const cs_param *flag = &cs->params[index_of(cs, "flag")];
    assert_true(flag->default_value == 1.0);
    assert_int_equal(cs->params[index_of(cs, "k")].type, SMAC_PARAM_CONSTANT);
    char *out = cs_write_json(cs, &err);
    assert_non_null(out);
    assert_non_null(strstr(out, "\"choices\": [\n        true,\n        false\n      ],\n"
                                "      \"default\": false,"));
    assert_non_null(strstr(out, "\"type\": \"constant\",\n      \"value\": \"v\""));
    assert_non_null(strstr(out, "\"type\": \"EQ\",\n      \"value\": true\n"));
    assert_non_null(strstr(out, "\"type\": \"IN\",\n      \"values\": [\n        true\n      ]"));
    assert_non_null(strstr(out, "\"type\": \"EQUALS\",\n      \"value\": 3\n"));
    free(out);
    smac_cs_free(cs);
}

/* ensure_ascii: non-ASCII names come out as \uXXXX (surrogate pairs above
 * U+FFFF) and read back to the same UTF-8. */
static void test_non_ascii_names(void **state)
{
    (void)state;
    static const char doc[] =
        "{\n  \"hyperparameters\": [\n    {\n      \"name\": \"\\u00e9t\\u00e9\\ud83d\\ude00\",\n"
        "      \"type\": \"constant\",\n      \"value\": \"\\u4e2d\\\\\\\"\\n\"\n    }\n  ],\n"
        "  \"conditions\": [],\n  \"forbiddens\": [],\n  \"python_module_version\": \"0.4.21\",\n"
        "  \"json_format_version\": 0.2\n}";
    smac_cs *cs = assert_round_trip(doc);
    assert_string_equal(cs->params[0].name, "\xc3\xa9t\xc3\xa9\xf0\x9f\x98\x80");
    assert_string_equal(cs->params[0].choices[0], "\xe4\xb8\xad\\\"\n");
    smac_cs_free(cs);
}

/* ------------------------------------------------------ malformed input */

static void test_syntax_errors_have_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line, column;
        const char *message;
    } cases[] = {
        { "{\n  \"hyperparameters\": [\n    x\n  ]\n}", 3, 5,
          "t.json:3:5: invalid token near 'x'" },
        { "{\n  \"hyperparameters\": [],\n}", 3, 1,
          "t.json:3:1: string or '}' expected near '}'" },
        { "{\"hyperparameters\": [] } trailing", 1, 33,
          "t.json:1:33: end of file expected near 'trailing'" },
        { "{\n\"hyperparameters\": [\n", 3, 0,
          "t.json:3: ']' expected near end of file" },
        { "", 1, 0, "t.json:1: '[' or '{' expected near end of file" },
        { "{\"a\": NaN}", 1, 9, "t.json:1:9: invalid token near 'NaN'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        smac_cs *cs = (smac_cs *)&cases;  /* must be reset to NULL */
        smac_error err = {0};
        int rc = cs_read_json(cases[i].text, strlen(cases[i].text), "t.json", &cs, &err);
        assert_int_equal(rc, SMAC_ERR_PARSE);
        assert_null(cs);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.column, cases[i].column);
        assert_string_equal(err.message, cases[i].message);
    }
}

/* Length-delimited input: bytes after `len` are not read. */
static void test_length_is_respected(void **state)
{
    (void)state;
    static const char text[] = "{\"hyperparameters\": []}garbage";
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(cs_read_json(text, strlen(text) - 7, "t.json", &cs, &err), 0);
    smac_cs_free(cs);
    assert_int_equal(cs_read_json(text, strlen(text), "t.json", &cs, &err), SMAC_ERR_PARSE);
}

/* Messages of our own checks: the exact text, JSON path included. */
static void test_semantic_errors(void **state)
{
    (void)state;
#define HP(body) "{'hyperparameters': [" body "]}"
#define AB "{'name': 'a', 'type': 'categorical', 'choices': ['x', 'y']}, " \
           "{'name': 'b', 'type': 'uniform_int', 'lower': 0, 'upper': 9}"
    static const struct {
        const char *doc;
        const char *message;
    } cases[] = {
        { "[1, 2]", "t.json: a configuration space must be a JSON object, not a list" },
        { "{}", "t.json: missing \"hyperparameters\"" },
        { "{'hyperparameters': {}}", "t.json: \"hyperparameters\" must be a list" },
        { "{'hyperparameters': [], 'conditions': 3}", "t.json: \"conditions\" must be a list" },
        { "{'hyperparameters': [], 'forbiddens': 'x'}", "t.json: \"forbiddens\" must be a list" },
        { "{'name': 5, 'hyperparameters': []}", "t.json: \"name\" must be a string" },
        { HP("3"), "t.json: hyperparameters[0]: must be an object" },
        { HP("{'type': 'constant', 'value': 1}"), "t.json: hyperparameters[0]: missing \"name\"" },
        { HP("{'name': 1, 'type': 'constant', 'value': 1}"),
          "t.json: hyperparameters[0]: \"name\" must be a string" },
        { HP("{'name': 'lr', 'value': 1}"), "t.json: hyperparameters[0] (\"lr\"): missing \"type\"" },
        { HP("{'name': 'lr', 'type': 7}"), "t.json: hyperparameters[0] (\"lr\"): \"type\" must be a string" },
        { HP("{'name': 'a', 'type': 'constant', 'value': 1}, {'name': 'lr', 'type': 'gaussian'}"),
          "t.json: hyperparameters[1] (\"lr\"): unknown type \"gaussian\"" },
        { HP("{'name': 'lr', 'type': 'normal_float', 'mu': 0, 'sigma': 1, 'default': 0, 'log': false}"),
          "t.json: hyperparameters[0] (\"lr\"): type \"normal_float\" is not supported (supported: "
          "uniform_float, uniform_int, categorical, ordinal, constant)" },
        { HP("{'name': 'n', 'type': 'normal_int', 'mu': 0, 'sigma': 1}"),
          "t.json: hyperparameters[0] (\"n\"): type \"normal_int\" is not supported (supported: "
          "uniform_float, uniform_int, categorical, ordinal, constant)" },
        { HP("{'name': 'n', 'type': 'beta_float', 'alpha': 1, 'beta': 1}"),
          "t.json: hyperparameters[0] (\"n\"): type \"beta_float\" is not supported (supported: "
          "uniform_float, uniform_int, categorical, ordinal, constant)" },
        { HP("{'name': 'lr', 'type': 'uniform_float', 'lower': '0', 'upper': 1}"),
          "t.json: hyperparameters[0] (\"lr\"): \"lower\" must be a number" },
        { HP("{'name': 'lr', 'type': 'uniform_float', 'lower': 0}"),
          "t.json: hyperparameters[0] (\"lr\"): missing \"upper\"" },
        { HP("{'name': 'lr', 'type': 'uniform_float', 'lower': 0, 'upper': null}"),
          "t.json: hyperparameters[0] (\"lr\"): \"upper\" must be a number" },
        { HP("{'name': 'lr', 'type': 'uniform_int', 'lower': 0, 'upper': 1, 'default': 'x'}"),
          "t.json: hyperparameters[0] (\"lr\"): \"default\" must be a number" },
        { HP("{'name': 'lr', 'type': 'uniform_float', 'log': 'yes', 'lower': 0, 'upper': 1}"),
          "t.json: hyperparameters[0] (\"lr\"): \"log\" must be true or false" },
        { HP("{'name': 'lr', 'type': 'uniform_float', 'lower': 0, 'upper': 1, 'q': -0.5}"),
          "t.json: hyperparameters[0] (\"lr\"): \"q\" must be positive" },
        { HP("{'name': 'c', 'type': 'categorical'}"), "t.json: hyperparameters[0] (\"c\"): missing \"choices\"" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': []}"),
          "t.json: hyperparameters[0] (\"c\"): \"choices\" must be a non-empty list" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': 'abc'}"),
          "t.json: hyperparameters[0] (\"c\"): \"choices\" must be a non-empty list" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', null]}"),
          "t.json: hyperparameters[0] (\"c\"): \"choices\"[1] must be a string, number or boolean" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'default': []}"),
          "t.json: hyperparameters[0] (\"c\"): \"default\" must be a string, number or boolean" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'probabilities': [1]}"),
          "t.json: hyperparameters[0] (\"c\"): \"probabilities\" must be a list of 2 numbers, one per choice" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'weights': 0.5}"),
          "t.json: hyperparameters[0] (\"c\"): \"weights\" must be a list of 2 numbers, one per choice" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'probabilities': [1, 'x']}"),
          "t.json: hyperparameters[0] (\"c\"): \"probabilities\"[1] must be a number" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'probabilities': [1, -1]}"),
          "t.json: hyperparameters[0] (\"c\"): \"probabilities\"[1] must not be negative" },
        { HP("{'name': 'c', 'type': 'categorical', 'choices': ['a', 'b'], 'probabilities': [0, 0]}"),
          "t.json: hyperparameters[0] (\"c\"): \"probabilities\" must not all be zero" },
        { HP("{'name': 'o', 'type': 'ordinal', 'choices': ['a', 'b']}"),
          "t.json: hyperparameters[0] (\"o\"): missing \"sequence\"" },
        { HP("{'name': 'k', 'type': 'constant'}"), "t.json: hyperparameters[0] (\"k\"): missing \"value\"" },
        { HP("{'name': 'k', 'type': 'constant', 'value': null}"),
          "t.json: hyperparameters[0] (\"k\"): \"value\" must be a string, number or boolean" },
        { "{'hyperparameters': [" AB "], 'conditions': [[]]}", "t.json: conditions[0]: must be an object" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'parent': 'a', 'type': 'EQ', 'value': 'x'}]}",
          "t.json: conditions[0]: missing \"child\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'value': 'x'}]}",
          "t.json: conditions[0] (child \"b\"): missing \"type\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'XOR'}]}",
          "t.json: conditions[0] (child \"b\"): unknown condition type \"XOR\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'type': 'EQ', 'value': 'x'}]}",
          "t.json: conditions[0] (child \"b\"): missing \"parent\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'NEQ'}]}",
          "t.json: conditions[0] (child \"b\"): missing \"value\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': {}}]}",
          "t.json: conditions[0] (child \"b\"): \"value\" must be a string, number or boolean" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'IN', 'values': 'x'}]}",
          "t.json: conditions[0] (child \"b\"): \"values\" must be a non-empty list" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'type': 'AND', 'conditions':"
          " [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'}]}]}",
          "t.json: conditions[0] (child \"b\"): \"conditions\" of AND must be a list of at least two" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'type': 'OR'}]}",
          "t.json: conditions[0] (child \"b\"): missing \"conditions\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'type': 'OR', 'conditions':"
          " [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'},"
          " {'child': 'a', 'parent': 'b', 'type': 'EQ', 'value': 1}]}]}",
          "t.json: conditions[0] (child \"b\").conditions[1]: \"child\" is \"a\" but the condition is for \"b\"" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'type': 'OR', 'conditions':"
          " [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'},"
          " {'parent': 'a', 'type': 'LT'}]}]}",
          "t.json: conditions[0] (child \"b\").conditions[1]: missing \"value\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'value': 'x'}]}",
          "t.json: forbiddens[0]: missing \"type\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'NOT', 'value': 'x'}]}",
          "t.json: forbiddens[0]: unknown forbidden type \"NOT\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'type': 'EQUALS', 'value': 'x'}]}",
          "t.json: forbiddens[0]: missing \"name\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'IN', 'values': []}]}",
          "t.json: forbiddens[0]: \"values\" must be a non-empty list" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'AND'}]}",
          "t.json: forbiddens[0]: missing \"clauses\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'AND', 'clauses':"
          " [{'name': 'a', 'type': 'EQUALS', 'value': 'y'}, {'name': 'b', 'type': 'EQUALS'}]}]}",
          "t.json: forbiddens[0].clauses[1]: missing \"value\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'left': 'b', 'right': 'b', 'type': 'RELATION',"
          " 'lambda': 'SIMILAR'}]}",
          "t.json: forbiddens[0]: unknown relation \"SIMILAR\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'left': 'b', 'type': 'RELATION', 'lambda': 'LESS'}]}",
          "t.json: forbiddens[0]: missing \"right\"" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'left': 'b', 'right': 'b', 'type': 'RELATION',"
          " 'lambda': 'CALLABLE', 'callable': 'gASV'}]}",
          "t.json: forbiddens[0]: callable (pickled Python) relations are not supported" },
    };
#undef HP
#undef AB
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        smac_cs *cs = NULL;
        smac_error err = {0};
        int rc = read_doc(cases[i].doc, &cs, &err);
        if (rc == 0 || strcmp(err.message, cases[i].message) != 0)
            fail_msg("case %zu: rc %d, got  '%s'\n expected '%s'", i, rc, err.message, cases[i].message);
        assert_null(cs);
        assert_true(rc == SMAC_ERR_INVALID || rc == SMAC_ERR_PARSE);
        assert_int_equal(err.line, 0);
        assert_string_equal(err.file, "t.json");
    }
}

/* Errors found by the builder keep its wording but get the JSON path. */
static void test_builder_errors_are_located(void **state)
{
    (void)state;
#define AB "{'name': 'a', 'type': 'categorical', 'choices': ['x', 'y']}, " \
           "{'name': 'b', 'type': 'uniform_int', 'lower': 0, 'upper': 9}"
    static const struct {
        const char *doc;
        const char *prefix;
        const char *mentions;
    } cases[] = {
        { "{'hyperparameters': [" AB ", {'name': 'a', 'type': 'constant', 'value': 1}]}",
          "t.json: hyperparameters[2] (\"a\"): ", "a" },
        { "{'hyperparameters': [{'name': 'u', 'type': 'uniform_float', 'lower': 1, 'upper': 1}]}",
          "t.json: hyperparameters[0] (\"u\"): ", NULL },
        { "{'hyperparameters': [{'name': 'u', 'type': 'uniform_float', 'log': true, 'lower': 0, 'upper': 1}]}",
          "t.json: hyperparameters[0] (\"u\"): ", NULL },
        { "{'hyperparameters': [{'name': 'u', 'type': 'uniform_int', 'lower': 0.5, 'upper': 3}]}",
          "t.json: hyperparameters[0] (\"u\"): ", NULL },
        { "{'hyperparameters': [{'name': 'u', 'type': 'uniform_float', 'lower': 0, 'upper': 1, 'default': 2}]}",
          "t.json: hyperparameters[0] (\"u\"): ", NULL },
        { "{'hyperparameters': [{'name': 'c', 'type': 'categorical', 'choices': ['x', 'y'], 'default': 'z'}]}",
          "t.json: hyperparameters[0] (\"c\"): ", "z" },
        { "{'hyperparameters': [{'name': 'c', 'type': 'categorical', 'choices': ['x', 'x']}]}",
          "t.json: hyperparameters[0] (\"c\"): ", "x" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'nope', 'type': 'EQ', 'value': 'x'}]}",
          "t.json: conditions[0] (child \"b\"): ", "nope" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'nope', 'parent': 'a', 'type': 'EQ', 'value': 'x'}]}",
          "t.json: conditions[0] (child \"nope\"): ", "nope" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'q'}]}",
          "t.json: conditions[0] (child \"b\"): ", "q" },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'},"
          " {'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'y'}]}",
          "t.json: conditions[1] (child \"b\"): ", NULL },
        { "{'hyperparameters': [" AB "], 'conditions': [{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'},"
          " {'child': 'a', 'parent': 'b', 'type': 'GT', 'value': 2}]}",
          "t.json: ", NULL },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'nope', 'type': 'EQUALS', 'value': 'x'}]}",
          "t.json: forbiddens[0]: ", "nope" },
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'EQUALS', 'value': 'w'}]}",
          "t.json: forbiddens[0]: ", "w" },
        /* The default configuration (a = x) is forbidden. */
        { "{'hyperparameters': [" AB "], 'forbiddens': [{'name': 'a', 'type': 'EQUALS', 'value': 'x'}]}",
          "t.json: ", NULL },
    };
#undef AB
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        smac_cs *cs = NULL;
        smac_error err = {0};
        int rc = read_doc(cases[i].doc, &cs, &err);
        if (rc == 0)
            fail_msg("case %zu: accepted", i);
        assert_null(cs);
        if (strncmp(err.message, cases[i].prefix, strlen(cases[i].prefix)) != 0 ||
            strlen(err.message) <= strlen(cases[i].prefix) ||
            (cases[i].mentions && !strstr(err.message + strlen(cases[i].prefix), cases[i].mentions)))
            fail_msg("case %zu: got '%s', expected it to start with '%s'%s%s", i, err.message,
                     cases[i].prefix, cases[i].mentions ? " and mention " : "",
                     cases[i].mentions ? cases[i].mentions : "");
        assert_int_equal(rc, SMAC_ERR_INVALID);
    }
}

/* Deep nesting is refused with a message, not a stack overflow. */
static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 200, cap = depth * 128 + 1024;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t n = (size_t)snprintf(doc, cap,
                                "{'hyperparameters': [{'name': 'a', 'type': 'categorical', 'choices': ['x', 'y']},"
                                " {'name': 'b', 'type': 'constant', 'value': 1}], 'conditions': [");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(doc + n, cap - n, "{'child': 'b', 'type': 'AND', 'conditions': [");
    n += (size_t)snprintf(doc + n, cap - n, "{'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'}");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)snprintf(doc + n, cap - n, ", {'child': 'b', 'parent': 'a', 'type': 'EQ', 'value': 'x'}]}");
    snprintf(doc + n, cap - n, "]}");
    smac_cs *cs = NULL;
    smac_error err = {0};
    assert_int_equal(read_doc(doc, &cs, &err), SMAC_ERR_INVALID);
    assert_non_null(strstr(err.message, "nested more than 64 levels deep"));
    free(doc);
}

/* --------------------------------------------- the shared real spaces */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Prints where two texts first differ (line number and both lines). */
static void print_first_difference(const char *what, const char *got, const char *want)
{
    int line = 1;
    const char *g = got, *w = want, *gl = got, *wl = want;
    while (*g && *g == *w) {
        if (*g == '\n') {
            line++;
            gl = g + 1;
            wl = w + 1;
        }
        g++;
        w++;
    }
    print_error("%s: first difference at line %d:\n  ours:     %.*s\n  expected: %.*s\n", what, line,
                (int)strcspn(gl, "\n"), gl, (int)strcspn(wl, "\n"), wl);
}

/* For every NAME.expected.json: JSON -> space -> JSON is the identical text,
 * and NAME.pcs read with format detection writes the same text. */
static void test_shared_spaces(void **state)
{
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/pcs", SMAC_SHARED_DIR);
    DIR *d = opendir(dir);
    if (!d) {
        print_message("skipped: %s not found\n", dir);
        skip();
    }
    int files = 0, failures = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, ".expected.json"))
            continue;
        files++;
        char path[2048], pcs[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(pcs, sizeof pcs, "%s/%.*s.pcs", dir, (int)(strlen(e->d_name) - strlen(".expected.json")),
                 e->d_name);
        char *want = NULL;
        size_t len = 0;
        smac_error err = {0};
        assert_int_equal(smac_read_file(path, &want, &len, &err), 0);

        smac_cs *cs = NULL;
        if (cs_read_json(want, len, path, &cs, &err) != 0) {
            print_error("%s\n", err.message);
            failures++;
        } else {
            char *got = cs_write_json(cs, &err);
            assert_non_null(got);
            if (strcmp(got, want) != 0) {
                print_first_difference(path, got, want);
                failures++;
            }
            free(got);
            smac_cs_free(cs);
        }

        cs = NULL;
        if (smac_cs_read_file(pcs, SMAC_CS_AUTO, &cs, &err) != 0) {
            print_error("%s\n", err.message);
            failures++;
        } else {
            char *got = cs_write_json(cs, &err);
            assert_non_null(got);
            if (strcmp(got, want) != 0) {
                print_first_difference(pcs, got, want);
                failures++;
            }
            free(got);
            smac_cs_free(cs);
        }
        free(want);
    }
    closedir(d);
    assert_true(files >= 18);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameter_kinds_round_trip),
        cmocka_unit_test(test_conditions_round_trip),
        cmocka_unit_test(test_forbiddens_round_trip),
        cmocka_unit_test(test_empty_space),
        cmocka_unit_test(test_public_dispatch),
        cmocka_unit_test(test_missing_optional_keys),
        cmocka_unit_test(test_probabilities_normalised),
        cmocka_unit_test(test_quantisation),
        cmocka_unit_test(test_typed_values),
        cmocka_unit_test(test_non_ascii_names),
        cmocka_unit_test(test_syntax_errors_have_line_and_column),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_semantic_errors),
        cmocka_unit_test(test_builder_errors_are_located),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_shared_spaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
