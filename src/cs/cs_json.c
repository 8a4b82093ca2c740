/*
 * ConfigSpace JSON (json_format_version 0.2, formats.md §3.4): the reader
 * turns a document into builder calls, the writer prints a finished space
 * byte-for-byte as ConfigSpace 0.4.21's json.write() does (Python's
 * json.dumps with indent=2, no final newline).
 *
 * Reading uses jansson, which knows line:column only for syntax errors; for
 * semantic errors the message names the JSON path instead
 * ("hyperparameters[3] (\"lr\"): \"lower\" must be a number").
 *
 * Choice values keep the JSON type they were read with (cs_value_kind) and
 * are passed to the builder as Python's str() of the value, so writing
 * reproduces `1`, `1.5`, `true` and `"a"` where ConfigSpace would. The
 * writer also derives three things the finished structs do not hold as
 * ConfigSpace prints them: the get_conditions() order of conditions, the
 * name of a forbidden AND (its first literal's parameter), and categorical
 * weights normalised the way numpy computes weights / sum(weights).
 *
 * Two things 0.4.21 cannot express are written the way later ConfigSpace
 * versions do, so our own files still read back: a quantisation step as a
 * "q" key after "default" (only when set), and forbidden relations as
 * {"left", "right", "type": "RELATION", "lambda"}.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/floatfmt.h"
#include "util/strbuf.h"
#include "util/vec.h"

/* Deeper AND/OR nesting than this is refused; it bounds our recursion
 * (jansson alone would allow 2048 levels). */
#define MAX_NESTING 64

/* ================================================================ reader */

typedef struct jreader {
    const char *file;
    smac_error *err;
    cs_builder *b;
    /* Scratch memory for the item being read (texts, spec arrays, paths);
     * released after each item, so error paths need no bookkeeping. */
    SMAC_VEC(void *) scratch;
} jreader;

static int fail(jreader *r, int code, const char *fmt, ...) SMAC_PRINTF(3, 4);

static int fail(jreader *r, int code, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return smac_error_set_at(r->err, code, r->file, 0, 0, "%s", text);
}

static int nomem(jreader *r)
{
    return smac_error_set(r->err, SMAC_ERR_NOMEM, "out of memory reading %s", r->file);
}

static void *scratch_alloc(jreader *r, size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (!p)
        return NULL;
    if (SMAC_VEC_RESERVE(&r->scratch, r->scratch.len + 1) != 0) {
        free(p);
        return NULL;
    }
    r->scratch.items[r->scratch.len++] = p;
    return p;
}

static void scratch_release(jreader *r)
{
    for (size_t i = 0; i < r->scratch.len; i++)
        free(r->scratch.items[i]);
    r->scratch.len = 0;
}

/* A path like `conditions[2].conditions[0]`, kept in scratch memory (nested
 * conditions would otherwise need a path buffer per stack frame). */
static const char *path_printf(jreader *r, const char *fmt, ...) SMAC_PRINTF(2, 3);

static const char *path_printf(jreader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = scratch_alloc(r, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* Reports a builder error under the JSON path of the item that caused it. */
static int builder_failed(jreader *r, const smac_error *be, const char *where)
{
    if (be->code == SMAC_ERR_NOMEM)
        return nomem(r);
    return fail(r, be->code ? be->code : SMAC_ERR_INVALID, "%s: %s", where, be->message);
}

/* Python's str() of a JSON scalar and the kind it had. Returns 0, 1 when the
 * value is not a string/number/bool, or SMAC_ERR_NOMEM. */
static int scalar_text(jreader *r, const json_t *v, const char **text, cs_value_kind *kind)
{
    char *buf;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *text = json_string_value(v);
        *kind = CS_VALUE_STRING;
        return 0;
    case JSON_INTEGER:
        if (!(buf = scratch_alloc(r, 32)))
            return SMAC_ERR_NOMEM;
        snprintf(buf, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *text = buf;
        *kind = CS_VALUE_INT;
        return 0;
    case JSON_REAL:
        if (!(buf = scratch_alloc(r, SMAC_DOUBLE_TEXT)))
            return SMAC_ERR_NOMEM;
        smac_format_double(json_real_value(v), buf);
        *text = buf;
        *kind = CS_VALUE_FLOAT;
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        *text = json_is_true(v) ? "True" : "False";
        *kind = CS_VALUE_BOOL;
        return 0;
    default:
        return 1;
    }
}

/* `obj[key]` as a scalar text. Missing or null gives *text = NULL when
 * optional. */
static int get_scalar(jreader *r, const json_t *obj, const char *key, const char *where,
                      int required, const char **text, cs_value_kind *kind)
{
    const json_t *v = json_object_get(obj, key);
    *text = NULL;
    if (!v || (json_is_null(v) && !required)) {
        if (required)
            return fail(r, SMAC_ERR_INVALID, "%s: missing \"%s\"", where, key);
        return 0;
    }
    int rc = scalar_text(r, v, text, kind);
    if (rc == SMAC_ERR_NOMEM)
        return nomem(r);
    if (rc)
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must be a string, number or boolean", where, key);
    return 0;
}

/* A non-empty array of scalars as texts (+ kinds, if asked). */
static int get_scalar_list(jreader *r, const json_t *obj, const char *key, const char *where,
                           int *n, const char ***texts, cs_value_kind **kinds)
{
    const json_t *arr = json_object_get(obj, key);
    if (!arr)
        return fail(r, SMAC_ERR_INVALID, "%s: missing \"%s\"", where, key);
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must be a non-empty list", where, key);
    size_t count = json_array_size(arr);
    if (count > (size_t)1 << 24)
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" has too many entries", where, key);
    const char **t = scratch_alloc(r, count * sizeof *t);
    cs_value_kind *k = scratch_alloc(r, count * sizeof *k);
    if (!t || !k)
        return nomem(r);
    for (size_t i = 0; i < count; i++) {
        int rc = scalar_text(r, json_array_get(arr, i), &t[i], &k[i]);
        if (rc == SMAC_ERR_NOMEM)
            return nomem(r);
        if (rc)
            return fail(r, SMAC_ERR_INVALID, "%s: \"%s\"[%zu] must be a string, number or boolean",
                        where, key, i);
    }
    *n = (int)count;
    *texts = t;
    if (kinds)
        *kinds = k;
    return 0;
}

static int get_string(jreader *r, const json_t *obj, const char *key, const char *where,
                      const char **out)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return fail(r, SMAC_ERR_INVALID, "%s: missing \"%s\"", where, key);
    if (!json_is_string(v))
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must be a string", where, key);
    *out = json_string_value(v);
    return 0;
}

/* A number; when optional, missing or null leave *present = 0. */
static int get_number(jreader *r, const json_t *obj, const char *key, const char *where,
                      int required, double *out, int *present)
{
    const json_t *v = json_object_get(obj, key);
    *present = 0;
    if (!v || (json_is_null(v) && !required)) {
        if (required)
            return fail(r, SMAC_ERR_INVALID, "%s: missing \"%s\"", where, key);
        return 0;
    }
    if (!json_is_number(v))
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must be a number", where, key);
    *out = json_number_value(v);
    *present = 1;
    return 0;
}

/* --------------------------------------------------------- parameters */

static int read_numeric(jreader *r, const json_t *hp, const char *where, const char *name,
                        int is_int)
{
    double lower = 0.0, upper = 0.0, def = 0.0, q = 0.0;
    int present, has_default, has_q, log = 0, rc;
    const json_t *jlog = json_object_get(hp, "log");
    if (jlog && !json_is_null(jlog)) {
        if (!json_is_boolean(jlog))
            return fail(r, SMAC_ERR_INVALID, "%s: \"log\" must be true or false", where);
        log = json_is_true(jlog);
    }
    if ((rc = get_number(r, hp, "lower", where, 1, &lower, &present)) != 0 ||
        (rc = get_number(r, hp, "upper", where, 1, &upper, &present)) != 0 ||
        (rc = get_number(r, hp, "default", where, 0, &def, &has_default)) != 0 ||
        (rc = get_number(r, hp, "q", where, 0, &q, &has_q)) != 0)
        return rc;
    if (has_q && !(q > 0.0))
        return fail(r, SMAC_ERR_INVALID, "%s: \"q\" must be positive", where);
    smac_error be = {0};
    rc = is_int ? smac_cs_builder_add_integer(r->b, name, lower, upper, has_default, def, log, q, &be)
                : smac_cs_builder_add_real(r->b, name, lower, upper, has_default, def, log, q, &be);
    return rc ? builder_failed(r, &be, where) : 0;
}

/* "probabilities" (0.4.x) or "weights" (later versions); NULL when absent. */
static int read_weights(jreader *r, const json_t *hp, const char *where, int n, double **out)
{
    const char *key = "probabilities";
    const json_t *w = json_object_get(hp, key);
    if (!w || json_is_null(w)) {
        key = "weights";
        w = json_object_get(hp, key);
    }
    *out = NULL;
    if (!w || json_is_null(w))
        return 0;
    if (!json_is_array(w) || json_array_size(w) != (size_t)n)
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must be a list of %d numbers, one per choice",
                    where, key, n);
    double *v = scratch_alloc(r, (size_t)n * sizeof *v);
    if (!v)
        return nomem(r);
    int positive = 0;
    for (int i = 0; i < n; i++) {
        const json_t *x = json_array_get(w, (size_t)i);
        if (!json_is_number(x))
            return fail(r, SMAC_ERR_INVALID, "%s: \"%s\"[%d] must be a number", where, key, i);
        v[i] = json_number_value(x);
        if (!(v[i] >= 0.0) || !isfinite(v[i]))
            return fail(r, SMAC_ERR_INVALID, "%s: \"%s\"[%d] must not be negative", where, key, i);
        positive |= v[i] > 0.0;
    }
    if (!positive)
        return fail(r, SMAC_ERR_INVALID, "%s: \"%s\" must not all be zero", where, key);
    *out = v;
    return 0;
}

static int read_choices(jreader *r, const json_t *hp, const char *where, const char *name,
                        int ordinal)
{
    int n, rc;
    const char **texts, *def;
    cs_value_kind *kinds, def_kind;
    double *weights = NULL;
    if ((rc = get_scalar_list(r, hp, ordinal ? "sequence" : "choices", where, &n, &texts, &kinds)) != 0 ||
        (rc = get_scalar(r, hp, "default", where, 0, &def, &def_kind)) != 0)
        return rc;
    if (!ordinal && (rc = read_weights(r, hp, where, n, &weights)) != 0)
        return rc;
    smac_error be = {0};
    rc = ordinal ? smac_cs_builder_add_ordinal(r->b, name, n, texts, kinds, def, &be)
                 : smac_cs_builder_add_categorical(r->b, name, n, texts, kinds, def, weights, &be);
    return rc ? builder_failed(r, &be, where) : 0;
}

static int read_constant(jreader *r, const json_t *hp, const char *where, const char *name)
{
    const char *value;
    cs_value_kind kind;
    int rc = get_scalar(r, hp, "value", where, 1, &value, &kind);
    if (rc)
        return rc;
    smac_error be = {0};
    rc = smac_cs_builder_add_constant(r->b, name, value, kind, &be);
    return rc ? builder_failed(r, &be, where) : 0;
}

static int read_param(jreader *r, const json_t *hp, size_t idx)
{
    const char *where = path_printf(r, "hyperparameters[%zu]", idx);
    const char *name = NULL, *type = NULL;
    if (!where)
        return nomem(r);
    if (!json_is_object(hp))
        return fail(r, SMAC_ERR_INVALID, "%s: must be an object", where);
    int rc = get_string(r, hp, "name", where, &name);
    if (rc)
        return rc;
    if (!(where = path_printf(r, "hyperparameters[%zu] (\"%s\")", idx, name)))
        return nomem(r);
    if ((rc = get_string(r, hp, "type", where, &type)) != 0)
        return rc;
    if (strcmp(type, "uniform_float") == 0)
        return read_numeric(r, hp, where, name, 0);
    if (strcmp(type, "uniform_int") == 0)
        return read_numeric(r, hp, where, name, 1);
    if (strcmp(type, "categorical") == 0)
        return read_choices(r, hp, where, name, 0);
    if (strcmp(type, "ordinal") == 0)
        return read_choices(r, hp, where, name, 1);
    /* An unparametrized hyperparameter samples exactly like a constant;
     * it is read as one (and written back as "constant"). */
    if (strcmp(type, "constant") == 0 || strcmp(type, "unparametrized") == 0)
        return read_constant(r, hp, where, name);
    if (strcmp(type, "normal_float") == 0 || strcmp(type, "normal_int") == 0 ||
        strcmp(type, "beta_float") == 0 || strcmp(type, "beta_int") == 0)
        return fail(r, SMAC_ERR_INVALID,
                    "%s: type \"%s\" is not supported (supported: uniform_float, uniform_int, "
                    "categorical, ordinal, constant)", where, type);
    return fail(r, SMAC_ERR_INVALID, "%s: unknown type \"%s\"", where, type);
}

/* The values of a condition leaf or forbidden clause: the list "values" for
 * IN, else the one "value". */
static int read_leaf_values(jreader *r, const json_t *obj, const char *where, int is_in, int *n,
                            const char *const **values)
{
    if (is_in) {
        const char **list;
        int rc = get_scalar_list(r, obj, "values", where, n, &list, NULL);
        if (rc == 0)
            *values = list;
        return rc;
    }
    const char **one = scratch_alloc(r, sizeof *one);
    cs_value_kind kind;
    if (!one)
        return nomem(r);
    int rc = get_scalar(r, obj, "value", where, 1, &one[0], &kind);
    if (rc != 0)
        return rc;
    *n = 1;
    *values = one;
    return 0;
}

/* --------------------------------------------------------- conditions */

static int read_cond(jreader *r, const json_t *c, const char *where, const char *child,
                     int depth, cs_cond_spec *out)
{
    if (!json_is_object(c))
        return fail(r, SMAC_ERR_INVALID, "%s: must be an object", where);
    if (depth > MAX_NESTING)
        return fail(r, SMAC_ERR_INVALID, "%s: conditions nested more than %d levels deep",
                    where, MAX_NESTING);
    /* Every part of a conjunction must condition the same child, as
     * ConfigSpace requires; nested parts may leave "child" out. */
    const json_t *jc = json_object_get(c, "child");
    if (jc && !json_is_string(jc))
        return fail(r, SMAC_ERR_INVALID, "%s: \"child\" must be a string", where);
    if (jc && strcmp(json_string_value(jc), child) != 0)
        return fail(r, SMAC_ERR_INVALID, "%s: \"child\" is \"%s\" but the condition is for \"%s\"",
                    where, json_string_value(jc), child);
    const char *type = NULL;
    int rc = get_string(r, c, "type", where, &type);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if (strcmp(type, "AND") == 0 || strcmp(type, "OR") == 0) {
        out->op = type[0] == 'A' ? CS_COND_AND : CS_COND_OR;
        const json_t *parts = json_object_get(c, "conditions");
        if (!parts)
            return fail(r, SMAC_ERR_INVALID, "%s: missing \"conditions\"", where);
        if (!json_is_array(parts) || json_array_size(parts) < 2)
            return fail(r, SMAC_ERR_INVALID, "%s: \"conditions\" of %s must be a list of at least two",
                        where, type);
        size_t n = json_array_size(parts);
        cs_cond_spec *specs = scratch_alloc(r, n * sizeof *specs);
        if (!specs)
            return nomem(r);
        for (size_t i = 0; i < n; i++) {
            const char *sub = path_printf(r, "%s.conditions[%zu]", where, i);
            if (!sub)
                return nomem(r);
            if ((rc = read_cond(r, json_array_get(parts, i), sub, child, depth + 1, &specs[i])) != 0)
                return rc;
        }
        out->n_parts = (int)n;
        out->parts = specs;
        return 0;
    }
    if (strcmp(type, "EQ") == 0)
        out->op = CS_COND_EQ;
    else if (strcmp(type, "NEQ") == 0)
        out->op = CS_COND_NEQ;
    else if (strcmp(type, "LT") == 0)
        out->op = CS_COND_LT;
    else if (strcmp(type, "GT") == 0)
        out->op = CS_COND_GT;
    else if (strcmp(type, "IN") == 0)
        out->op = CS_COND_IN;
    else
        return fail(r, SMAC_ERR_INVALID, "%s: unknown condition type \"%s\"", where, type);
    if ((rc = get_string(r, c, "parent", where, &out->parent)) != 0)
        return rc;
    return read_leaf_values(r, c, where, out->op == CS_COND_IN, &out->n_values, &out->values);
}

static int read_condition(jreader *r, const json_t *c, size_t idx)
{
    const char *where = path_printf(r, "conditions[%zu]", idx);
    const char *child = NULL;
    if (!where)
        return nomem(r);
    if (!json_is_object(c))
        return fail(r, SMAC_ERR_INVALID, "%s: must be an object", where);
    int rc = get_string(r, c, "child", where, &child);
    if (rc)
        return rc;
    if (!(where = path_printf(r, "conditions[%zu] (child \"%s\")", idx, child)))
        return nomem(r);
    cs_cond_spec spec;
    if ((rc = read_cond(r, c, where, child, 0, &spec)) != 0)
        return rc;
    smac_error be = {0};
    rc = smac_cs_builder_add_condition(r->b, child, &spec, &be);
    return rc ? builder_failed(r, &be, where) : 0;
}

/* --------------------------------------------------------- forbiddens */

static int read_forbid(jreader *r, const json_t *f, const char *where, int depth, cs_forbid_spec *out)
{
    if (!json_is_object(f))
        return fail(r, SMAC_ERR_INVALID, "%s: must be an object", where);
    if (depth > MAX_NESTING)
        return fail(r, SMAC_ERR_INVALID, "%s: clauses nested more than %d levels deep",
                    where, MAX_NESTING);
    const char *type = NULL;
    int rc = get_string(r, f, "type", where, &type);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    if (strcmp(type, "EQUALS") == 0 || strcmp(type, "IN") == 0) {
        out->op = type[0] == 'E' ? CS_FORBID_EQUALS : CS_FORBID_IN;
        if ((rc = get_string(r, f, "name", where, &out->param)) != 0)
            return rc;
        return read_leaf_values(r, f, where, out->op == CS_FORBID_IN, &out->n_values, &out->values);
    }
    if (strcmp(type, "AND") == 0) {
        out->op = CS_FORBID_AND;
        const json_t *parts = json_object_get(f, "clauses");
        if (!parts)
            return fail(r, SMAC_ERR_INVALID, "%s: missing \"clauses\"", where);
        if (!json_is_array(parts) || json_array_size(parts) == 0)
            return fail(r, SMAC_ERR_INVALID, "%s: \"clauses\" must be a non-empty list", where);
        size_t n = json_array_size(parts);
        cs_forbid_spec *specs = scratch_alloc(r, n * sizeof *specs);
        if (!specs)
            return nomem(r);
        for (size_t i = 0; i < n; i++) {
            const char *sub = path_printf(r, "%s.clauses[%zu]", where, i);
            if (!sub)
                return nomem(r);
            if ((rc = read_forbid(r, json_array_get(parts, i), sub, depth + 1, &specs[i])) != 0)
                return rc;
        }
        out->n_parts = (int)n;
        out->parts = specs;
        return 0;
    }
    if (strcmp(type, "RELATION") == 0) {
        const char *lambda = NULL;
        if ((rc = get_string(r, f, "left", where, &out->param)) != 0 ||
            (rc = get_string(r, f, "right", where, &out->other)) != 0 ||
            (rc = get_string(r, f, "lambda", where, &lambda)) != 0)
            return rc;
        if (strcmp(lambda, "LESS") == 0)
            out->op = CS_FORBID_LESS;
        else if (strcmp(lambda, "EQUALS") == 0)
            out->op = CS_FORBID_EQUALS_REL;
        else if (strcmp(lambda, "GREATER") == 0)
            out->op = CS_FORBID_GREATER;
        else if (strcmp(lambda, "CALLABLE") == 0)
            return fail(r, SMAC_ERR_INVALID, "%s: callable (pickled Python) relations are not supported",
                        where);
        else
            return fail(r, SMAC_ERR_INVALID, "%s: unknown relation \"%s\"", where, lambda);
        return 0;
    }
    return fail(r, SMAC_ERR_INVALID, "%s: unknown forbidden type \"%s\"", where, type);
}

static int read_forbidden(jreader *r, const json_t *f, size_t idx)
{
    const char *where = path_printf(r, "forbiddens[%zu]", idx);
    if (!where)
        return nomem(r);
    cs_forbid_spec spec;
    int rc = read_forbid(r, f, where, 0, &spec);
    if (rc)
        return rc;
    smac_error be = {0};
    rc = smac_cs_builder_add_forbidden(r->b, &spec, &be);
    return rc ? builder_failed(r, &be, where) : 0;
}

/* ------------------------------------------------------------ document */

/* A list member of the document; missing or null count as empty (ConfigSpace
 * itself insists on "conditions" and "forbiddens"; hand-written files often
 * leave them out). */
static int get_list(jreader *r, const json_t *root, const char *key, int required, const json_t **out)
{
    const json_t *v = json_object_get(root, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return fail(r, SMAC_ERR_INVALID, "missing \"%s\"", key);
        return 0;
    }
    if (!json_is_array(v))
        return fail(r, SMAC_ERR_INVALID, "\"%s\" must be a list", key);
    *out = v;
    return 0;
}

static int read_document(jreader *r, const json_t *root)
{
    const json_t *hps, *conds, *forbs, *name = json_object_get(root, "name");
    int rc;
    if (name && !json_is_null(name)) {
        if (!json_is_string(name))
            return fail(r, SMAC_ERR_INVALID, "\"name\" must be a string");
        smac_error be = {0};
        if (smac_cs_builder_set_name(r->b, json_string_value(name), &be) != 0)
            return builder_failed(r, &be, "name");
    }
    if ((rc = get_list(r, root, "hyperparameters", 1, &hps)) != 0 ||
        (rc = get_list(r, root, "conditions", 0, &conds)) != 0 ||
        (rc = get_list(r, root, "forbiddens", 0, &forbs)) != 0)
        return rc;
    for (size_t i = 0; i < json_array_size(hps); i++) {
        rc = read_param(r, json_array_get(hps, i), i);
        scratch_release(r);
        if (rc)
            return rc;
    }
    for (size_t i = 0; conds && i < json_array_size(conds); i++) {
        rc = read_condition(r, json_array_get(conds, i), i);
        scratch_release(r);
        if (rc)
            return rc;
    }
    for (size_t i = 0; forbs && i < json_array_size(forbs); i++) {
        rc = read_forbidden(r, json_array_get(forbs, i), i);
        scratch_release(r);
        if (rc)
            return rc;
    }
    return 0;
}

int cs_read_json(const char *text, size_t len, const char *filename, smac_cs **out, smac_error *err)
{
    jreader r = { .file = filename ? filename : "<json>", .err = err };
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root) {
        /* jansson reports 1-based lines and columns; column 0 (end of input)
         * is left out of the location. */
        return smac_error_set_at(err, SMAC_ERR_PARSE, r.file, je.line > 0 ? je.line : 0,
                                 je.column > 0 ? je.column : 0, "%s", je.text);
    }
    int rc;
    if (!json_is_object(root)) {
        rc = fail(&r, SMAC_ERR_PARSE, "a configuration space must be a JSON object, not a list");
        goto done;
    }
    if (!(r.b = smac_cs_builder_new())) {
        rc = nomem(&r);
        goto done;
    }
    if ((rc = read_document(&r, root)) != 0)
        goto done;
    smac_error be = {0};
    if ((rc = smac_cs_builder_finish(r.b, SMAC_CS_JSON, out, &be)) != 0)
        rc = be.code == SMAC_ERR_NOMEM ? nomem(&r)
                                        : fail(&r, be.code ? be.code : SMAC_ERR_INVALID, "%s", be.message);
done:
    scratch_release(&r);
    SMAC_VEC_FREE(&r.scratch);
    smac_cs_builder_free(r.b);
    json_decref(root);
    return rc;
}

/* ================================================================ writer */

/* Python's json.dumps(indent=2) layout: every list/object member on its own
 * line, indented two spaces per level; empty containers as [] and {}. */
typedef struct jwriter {
    smac_strbuf *sb;
    int depth;
    int first;      /* no member written yet in the open container */
} jwriter;

static void newline(jwriter *w)
{
    smac_strbuf_putc(w->sb, '\n');
    for (int i = 0; i < w->depth; i++)
        smac_strbuf_puts(w->sb, "  ");
}

static void open_container(jwriter *w, char c)
{
    smac_strbuf_putc(w->sb, c);
    w->depth++;
    w->first = 1;
}

static void close_container(jwriter *w, char c)
{
    w->depth--;
    if (!w->first)  /* json.dumps writes an empty container as [] / {} */
        newline(w);
    smac_strbuf_putc(w->sb, c);
    w->first = 0;
}

/* Starts the next member of the open container. */
static void member(jwriter *w)
{
    if (!w->first)
        smac_strbuf_putc(w->sb, ',');
    newline(w);
    w->first = 0;
}

static void key(jwriter *w, const char *k)
{
    member(w);
    smac_strbuf_json_string(w->sb, k);
    smac_strbuf_puts(w->sb, ": ");
}

/* Python int of an integral double (bounds and defaults of uniform_int). */
static void put_int(smac_strbuf *sb, double x)
{
    if (!isfinite(x))
        smac_strbuf_double(sb, x, 1);
    else if (x == 0.0)
        smac_strbuf_putc(sb, '0');  /* never "-0" */
    else
        smac_strbuf_printf(sb, "%.0f", x);
}

/* A choice value with the JSON type it was read with. */
static void put_choice(smac_strbuf *sb, const cs_param *p, int idx)
{
    if (idx < 0 || idx >= p->n_choices) {
        smac_strbuf_puts(sb, "null");  /* cannot happen for a finished space */
        return;
    }
    const char *t = p->choices[idx];
    cs_value_kind kind = p->kinds ? p->kinds[idx] : CS_VALUE_STRING;
    long long iv;
    double dv;
    switch (kind) {
    case CS_VALUE_INT:
        if (smac_parse_long(t, &iv) == 0) {
            smac_strbuf_printf(sb, "%lld", iv);
            return;
        }
        break;
    case CS_VALUE_FLOAT:
        if (smac_parse_double(t, &dv) == 0) {
            smac_strbuf_double(sb, dv, 1);
            return;
        }
        break;
    case CS_VALUE_BOOL:
        smac_strbuf_puts(sb, strcmp(t, "True") == 0 ? "true" : "false");
        return;
    case CS_VALUE_STRING:
        break;
    }
    smac_strbuf_json_string(sb, t);
}

/* A condition/forbidden value, stored in the parameter's terms (see cs_cond
 * in cs_internal.h): a choice index, or the number itself. */
static void put_value(smac_strbuf *sb, const cs_param *p, double v)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
        smac_strbuf_double(sb, v, 1);
        break;
    case SMAC_PARAM_INTEGER:
        put_int(sb, v);
        break;
    default:
        put_choice(sb, p, isfinite(v) ? (int)v : -1);
        break;
    }
}

static void put_number(smac_strbuf *sb, const cs_param *p, double v)
{
    if (p->type == SMAC_PARAM_INTEGER)
        put_int(sb, v);
    else
        smac_strbuf_double(sb, v, 1);
}

/* numpy's sum of a float64 array (pairwise summation with eight
 * accumulators), so the normalised probabilities have the last bits
 * ConfigSpace's `weights / np.sum(weights)` gives them. */
static double numpy_sum(const double *a, int n)
{
    if (n < 8) {
        double s = 0.0;
        for (int i = 0; i < n; i++)
            s += a[i];
        return s;
    }
    if (n <= 128) {
        double acc[8];
        int i;
        for (i = 0; i < 8; i++)
            acc[i] = a[i];
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                acc[j] += a[i + j];
        double s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (; i < n; i++)
            s += a[i];
        return s;
    }
    int half = n / 2;
    half -= half % 8;
    return numpy_sum(a, half) + numpy_sum(a + half, n - half);
}

static void write_param(jwriter *w, const cs_param *p)
{
    smac_strbuf *sb = w->sb;
    member(w);
    open_container(w, '{');
    key(w, "name");
    smac_strbuf_json_string(sb, p->name);
    key(w, "type");
    switch (p->type) {
    case SMAC_PARAM_REAL:
    case SMAC_PARAM_INTEGER:
        smac_strbuf_json_string(sb, p->type == SMAC_PARAM_REAL ? "uniform_float" : "uniform_int");
        key(w, "log");
        smac_strbuf_puts(sb, p->log ? "true" : "false");
        key(w, "lower");
        put_number(sb, p, p->lower);
        key(w, "upper");
        put_number(sb, p, p->upper);
        key(w, "default");
        put_number(sb, p, p->default_value);
        if (p->q > 0.0) {
            key(w, "q");
            put_number(sb, p, p->q);
        }
        break;
    case SMAC_PARAM_CATEGORICAL:
    case SMAC_PARAM_ORDINAL: {
        int cat = p->type == SMAC_PARAM_CATEGORICAL;
        smac_strbuf_json_string(sb, cat ? "categorical" : "ordinal");
        key(w, cat ? "choices" : "sequence");
        open_container(w, '[');
        for (int i = 0; i < p->n_choices; i++) {
            member(w);
            put_choice(sb, p, i);
        }
        close_container(w, ']');
        key(w, "default");
        put_choice(sb, p, (int)p->default_value);
        if (cat) {
            key(w, "probabilities");
            if (!p->weights) {
                smac_strbuf_puts(sb, "null");
                break;
            }
            double total = numpy_sum(p->weights, p->n_choices);
            open_container(w, '[');
            for (int i = 0; i < p->n_choices; i++) {
                member(w);
                smac_strbuf_double(sb, p->weights[i] / total, 1);
            }
            close_container(w, ']');
        }
        break;
    }
    case SMAC_PARAM_CONSTANT:
        smac_strbuf_json_string(sb, "constant");
        key(w, "value");
        put_choice(sb, p, 0);
        break;
    }
    close_container(w, '}');
}

static const char *cond_type_name(cs_cond_op op)
{
    switch (op) {
    case CS_COND_EQ: return "EQ";
    case CS_COND_NEQ: return "NEQ";
    case CS_COND_LT: return "LT";
    case CS_COND_GT: return "GT";
    case CS_COND_IN: return "IN";
    case CS_COND_AND: return "AND";
    case CS_COND_OR: return "OR";
    }
    return "?";
}

static void write_cond(jwriter *w, const smac_cs *cs, const char *child, const cs_cond *c)
{
    smac_strbuf *sb = w->sb;
    open_container(w, '{');
    key(w, "child");
    smac_strbuf_json_string(sb, child);
    if (c->op == CS_COND_AND || c->op == CS_COND_OR) {
        key(w, "type");
        smac_strbuf_json_string(sb, cond_type_name(c->op));
        key(w, "conditions");
        open_container(w, '[');
        for (int i = 0; i < c->n_parts; i++) {
            member(w);
            write_cond(w, cs, child, &c->parts[i]);
        }
        close_container(w, ']');
    } else {
        const cs_param *parent = &cs->params[c->parent];
        key(w, "parent");
        smac_strbuf_json_string(sb, parent->name);
        key(w, "type");
        smac_strbuf_json_string(sb, cond_type_name(c->op));
        if (c->op == CS_COND_IN) {
            key(w, "values");
            open_container(w, '[');
            for (int i = 0; i < c->n_values; i++) {
                member(w);
                put_value(sb, parent, c->values[i]);
            }
            close_container(w, ']');
        } else {
            key(w, "value");
            put_value(sb, parent, c->n_values > 0 ? c->values[0] : NAN);
        }
    }
    close_container(w, '}');
}

/* ConfigSpace names a forbidden conjunction after its first literal clause. */
static int first_literal_param(const cs_forbidden *f)
{
    while (f->op == CS_FORBID_AND && f->n_parts > 0)
        f = &f->parts[0];
    return f->param;
}

static void write_forbid(jwriter *w, const smac_cs *cs, const cs_forbidden *f)
{
    smac_strbuf *sb = w->sb;
    open_container(w, '{');
    switch (f->op) {
    case CS_FORBID_EQUALS:
    case CS_FORBID_IN: {
        const cs_param *p = &cs->params[f->param];
        key(w, "name");
        smac_strbuf_json_string(sb, p->name);
        key(w, "type");
        if (f->op == CS_FORBID_EQUALS) {
            smac_strbuf_json_string(sb, "EQUALS");
            key(w, "value");
            put_value(sb, p, f->n_values > 0 ? f->values[0] : NAN);
        } else {
            smac_strbuf_json_string(sb, "IN");
            key(w, "values");
            open_container(w, '[');
            for (int i = 0; i < f->n_values; i++) {
                member(w);
                put_value(sb, p, f->values[i]);
            }
            close_container(w, ']');
        }
        break;
    }
    case CS_FORBID_AND:
        key(w, "name");
        smac_strbuf_json_string(sb, cs->params[first_literal_param(f)].name);
        key(w, "type");
        smac_strbuf_json_string(sb, "AND");
        key(w, "clauses");
        open_container(w, '[');
        for (int i = 0; i < f->n_parts; i++) {
            member(w);
            write_forbid(w, cs, &f->parts[i]);
        }
        close_container(w, ']');
        break;
    case CS_FORBID_LESS:
    case CS_FORBID_EQUALS_REL:
    case CS_FORBID_GREATER:
        key(w, "left");
        smac_strbuf_json_string(sb, cs->params[f->param].name);
        key(w, "right");
        smac_strbuf_json_string(sb, cs->params[f->other].name);
        key(w, "type");
        smac_strbuf_json_string(sb, "RELATION");
        key(w, "lambda");
        smac_strbuf_json_string(sb, f->op == CS_FORBID_LESS ? "LESS"
                                    : f->op == CS_FORBID_GREATER ? "GREATER" : "EQUALS");
        break;
    }
    close_container(w, '}');
}

/* The smallest canonical index among the parents a condition tree names. */
static int first_parent(const cs_cond *c)
{
    if (c->op != CS_COND_AND && c->op != CS_COND_OR)
        return c->parent;
    int best = -1;
    for (int i = 0; i < c->n_parts; i++) {
        int p = first_parent(&c->parts[i]);
        if (p >= 0 && (best < 0 || p < best))
            best = p;
    }
    return best;
}

typedef struct cond_rank {
    int first_parent, child, index;
} cond_rank;

static int cmp_cond_rank(const void *a, const void *b)
{
    const cond_rank *x = a, *y = b;
    if (x->first_parent != y->first_parent)
        return x->first_parent < y->first_parent ? -1 : 1;
    return x->child < y->child ? -1 : x->child > y->child;
}

/* ConfigSpace lists conditions by walking the parameters in canonical order
 * and, for each, its children in canonical order, taking each child's
 * condition the first time the child is met: so by (first parent, child).
 * Returns a malloc'd permutation of the condition indices, or NULL. */
static int *condition_order(const smac_cs *cs)
{
    size_t n = cs->n_conditions > 0 ? (size_t)cs->n_conditions : 1;
    cond_rank *rank = malloc(n * sizeof *rank);
    int *order = malloc(n * sizeof *order);
    if (!rank || !order) {
        free(rank);
        free(order);
        return NULL;
    }
    for (int i = 0; i < cs->n_conditions; i++) {
        rank[i].first_parent = first_parent(&cs->conditions[i].root);
        rank[i].child = cs->conditions[i].child;
        rank[i].index = i;
    }
    qsort(rank, (size_t)cs->n_conditions, sizeof *rank, cmp_cond_rank);
    for (int i = 0; i < cs->n_conditions; i++)
        order[i] = rank[i].index;
    free(rank);
    return order;
}

char *cs_write_json(const smac_cs *cs, smac_error *err)
{
    int *order = condition_order(cs);
    if (!order) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory writing the configuration space as JSON");
        return NULL;
    }
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    jwriter w = { .sb = &sb };
    open_container(&w, '{');
    if (cs->name) {
        key(&w, "name");
        smac_strbuf_json_string(&sb, cs->name);
    }
    key(&w, "hyperparameters");
    open_container(&w, '[');
    for (int i = 0; i < cs->n_params; i++)
        write_param(&w, &cs->params[i]);
    close_container(&w, ']');
    key(&w, "conditions");
    open_container(&w, '[');
    for (int i = 0; i < cs->n_conditions; i++) {
        const cs_condition *c = &cs->conditions[order[i]];
        member(&w);
        write_cond(&w, cs, cs->params[c->child].name, &c->root);
    }
    free(order);
    close_container(&w, ']');
    key(&w, "forbiddens");
    open_container(&w, '[');
    for (int i = 0; i < cs->n_forbiddens; i++) {
        member(&w);
        write_forbid(&w, cs, &cs->forbiddens[i]);
    }
    close_container(&w, ']');
    key(&w, "python_module_version");
    smac_strbuf_json_string(&sb, "0.4.21");
    key(&w, "json_format_version");
    smac_strbuf_puts(&sb, "0.2");
    close_container(&w, '}');
    char *text = smac_strbuf_take(&sb);
    if (!text)
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory writing the configuration space as JSON");
    return text;
}
