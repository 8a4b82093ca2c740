/* Helpers shared by the configuration-space tests: read or write a space in
 * one format, failing the test with the library's message; look parameters
 * and conditions up by name. Include after <cmocka.h>. */
#ifndef SMAC_TESTS_CS_TEST_UTIL_H
#define SMAC_TESTS_CS_TEST_UTIL_H

#include <string.h>

#include "cs/cs_internal.h"

static inline smac_cs *cs_test_read(const char *text, smac_cs_format fmt)
{
    smac_cs *cs = NULL;
    smac_error err;
    smac_error_clear(&err);
    if (smac_cs_read_text(text, strlen(text), "t.pcs", fmt, &cs, &err) != 0)
        fail_msg("unexpected error: %s", err.message);
    assert_non_null(cs);
    return cs;
}

static inline char *cs_test_write(const smac_cs *cs, smac_cs_format fmt)
{
    smac_error err;
    smac_error_clear(&err);
    char *text = smac_cs_write(cs, fmt, &err);
    if (!text)
        fail_msg("writer failed: %s", err.message);
    return text;
}

static inline const cs_param *cs_test_param(const smac_cs *cs, const char *name)
{
    int i = smac_cs_param_index(cs, name);
    if (i < 0)
        fail_msg("no parameter %s", name);
    return &cs->params[i];
}

static inline const cs_condition *cs_test_condition(const smac_cs *cs, const char *child)
{
    const cs_param *p = cs_test_param(cs, child);
    assert_true(p->condition >= 0);
    return &cs->conditions[p->condition];
}

#endif
