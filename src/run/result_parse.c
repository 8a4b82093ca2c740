/*
 * Result lines of target calls (formats.md §5.1, §5.2), read the way SMAC3
 * v1.1's runners read them — including where they raise: those cases return
 * SMAC_ERR_PARSE and the caller sends the run down SMAC3's exception path
 * (CRASHED with cost_for_crash). The line handed in is already the last
 * result line of stdout (outscan.c picks it).
 */
#include "run/runner.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/floatfmt.h"
#include "util/log.h"
#include "util/strbuf.h"

#define OLD_LOGGER "smac.tae.execute_ta_run_old.ExecuteTARunOld"
#define ACLIB_LOGGER "smac.tae.execute_ta_run_aclib.ExecuteTARunAClib"

/* What both runners print when a target said nothing usable. */
#define NO_RESULT_VALUE 1234567890.0

void smac_ta_result_clear(smac_ta_result *r)
{
    if (!r)
        return;
    free(r->additional_info);
    memset(r, 0, sizeof *r);
}

static int set_info(smac_ta_result *r, char *text, smac_error *err)
{
    if (!text)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a result line");
    free(r->additional_info);
    r->additional_info = text;
    return 0;
}

/* Status words of both conventions; `fold` = compare case-insensitively (old). */
static int status_word(const char *w, int fold, smac_status *st)
{
    static const struct { const char *word; smac_status status; } words[] = {
        {"SAT", SMAC_STATUS_SUCCESS},   {"UNSAT", SMAC_STATUS_SUCCESS}, {"SUCCESS", SMAC_STATUS_SUCCESS},
        {"TIMEOUT", SMAC_STATUS_TIMEOUT}, {"CRASHED", SMAC_STATUS_CRASHED}, {"ABORT", SMAC_STATUS_ABORT},
        {"MEMOUT", SMAC_STATUS_MEMOUT},
        /* Not a SMAC3 word: the shared scenarios' README asks parsers to take it. */
        {"CRASH", SMAC_STATUS_CRASHED},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *a = w, *b = words[i].word;
        if (fold) {
            while (*a && *b && toupper((unsigned char)*a) == *b)
                a++, b++;
        } else {
            while (*a && *b && *a == *b)
                a++, b++;
        }
        if (!*a && !*b) {
            *st = words[i].status;
            return 1;
        }
    }
    return 0;
}

/* Python's str.strip(" "): spaces only, not tabs. */
static void strip_spaces(const char **s, size_t *n)
{
    while (*n && **s == ' ')
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

/* float(text) on a field; 0 or -1. */
static int field_double(const char *s, size_t n, double *out)
{
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int rc = smac_parse_double(buf, out);
    if (buf != small)
        free(buf);
    return rc;
}

int smac_parse_result_old(const char *line, double cutoff_used, int run_obj_runtime,
                          smac_ta_result *out, smac_error *err)
{
    memset(out, 0, sizeof *out);
    if (!line) {
        out->status = SMAC_STATUS_CRASHED;
        out->status_known = 1;
        out->runtime = NO_RESULT_VALUE;
        out->cost = NO_RESULT_VALUE;
        return set_info(out, strdup("{}"), err);
    }
    /* line.split(":")[1]: the text between the first and the second colon. */
    const char *p = strchr(line, ':');
    if (!p)
        return smac_error_set(err, SMAC_ERR_PARSE, "IndexError: the result line has no ':'");
    p++;
    const char *q = strchr(p, ':');
    size_t body = q ? (size_t)(q - p) : strlen(p);

    enum { MAX_FIELDS = 6 };
    const char *f[MAX_FIELDS];
    size_t fl[MAX_FIELDS];
    int nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= body; i++) {
        if (i < body && p[i] != ',')
            continue;
        if (nf < MAX_FIELDS) {
            f[nf] = p + start;
            fl[nf] = i - start;
            strip_spaces(&f[nf], &fl[nf]);
        }
        nf++;
        start = i + 1;
    }
    if (nf != 5 && nf != 6)
        return smac_error_set(err, SMAC_ERR_PARSE,
                              "ValueError: the result line has %d comma-separated fields, expected 5 or 6", nf);

    double runtime, quality;
    if (field_double(f[1], fl[1], &runtime) != 0)
        return smac_error_set(err, SMAC_ERR_PARSE, "ValueError: could not convert runtime '%.*s' to float",
                              (int)(fl[1] > 200 ? 200 : fl[1]), f[1]);
    if (field_double(f[3], fl[3], &quality) != 0)
        return smac_error_set(err, SMAC_ERR_PARSE, "ValueError: could not convert quality '%.*s' to float",
                              (int)(fl[3] > 200 ? 200 : fl[3]), f[3]);
    /* min(runtime, cutoff) in Python keeps a NaN runtime (NaN compares false). */
    if (cutoff_used < runtime)
        runtime = cutoff_used;

    char *word = strndup(f[0], fl[0]);
    if (!word)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a result line");
    smac_status st;
    if (status_word(word, 1, &st)) {
        out->status = st;
        out->status_known = 1;
    } else {
        out->status = SMAC_STATUS_CRASHED;
        SMAC_WARNING(OLD_LOGGER, "Could not parse output of target algorithm. Expected format: "
                                 "\"Result of this algorithm run: <status>,<runtime>,<quality>,<seed>\"; "
                                 "Treating as CRASHED run.");
    }
    free(word);
    out->runtime = runtime;
    out->cost = run_obj_runtime ? runtime : quality;

    if (nf == 5)
        return set_info(out, strdup("{}"), err);
    char *extra = strndup(f[5], fl[5]);
    if (!extra)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a result line");
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_puts(&sb, "{\"additional_info\": ");
    smac_strbuf_json_string(&sb, extra);
    smac_strbuf_putc(&sb, '}');
    free(extra);
    return set_info(out, smac_strbuf_take(&sb), err);
}

/* ------------------------------------------------------------------ AClib2 */

/* Python's json.dumps of a parsed value (default separators, ensure_ascii). */
static void dump_json(smac_strbuf *sb, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        int first = 1;
        smac_strbuf_putc(sb, '{');
        json_object_foreach(v, key, val) {
            if (!first)
                smac_strbuf_puts(sb, ", ");
            first = 0;
            smac_strbuf_json_string(sb, key);
            smac_strbuf_puts(sb, ": ");
            dump_json(sb, val);
        }
        smac_strbuf_putc(sb, '}');
        break;
    }
    case JSON_ARRAY: {
        smac_strbuf_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                smac_strbuf_puts(sb, ", ");
            dump_json(sb, json_array_get(v, i));
        }
        smac_strbuf_putc(sb, ']');
        break;
    }
    case JSON_STRING:
        smac_strbuf_json_string(sb, json_string_value(v));
        break;
    case JSON_INTEGER:
        smac_strbuf_printf(sb, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        smac_strbuf_double(sb, json_real_value(v), 1);
        break;
    case JSON_TRUE:
        smac_strbuf_puts(sb, "true");
        break;
    case JSON_FALSE:
        smac_strbuf_puts(sb, "false");
        break;
    default:
        smac_strbuf_puts(sb, "null");
        break;
    }
}

/* Python's float(value) on a JSON value; 0 or -1 (TypeError/ValueError). */
static int json_float(json_t *v, double *out)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        *out = (double)json_integer_value(v);
        return 0;
    case JSON_REAL:
        *out = json_real_value(v);
        return 0;
    case JSON_TRUE:
        *out = 1.0;
        return 0;
    case JSON_FALSE:
        *out = 0.0;
        return 0;
    case JSON_STRING:
        return smac_parse_double(json_string_value(v), out);
    default:
        return -1;
    }
}

int smac_parse_result_aclib(const char *line, int run_obj_runtime, smac_ta_result *out, smac_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    if (!line) {
        root = json_pack("{s:s, s:i}", "status", "CRASHED", "cost", 1234567890);
        if (!root)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory reading a result line");
    } else {
        const char *p = strchr(line, ':');
        if (!p)
            return smac_error_set(err, SMAC_ERR_PARSE, "the result line has no ':'");
        json_error_t je;
        root = json_loads(p + 1, JSON_DECODE_ANY, &je);
        if (!root)
            return smac_error_set(err, SMAC_ERR_PARSE, "JSONDecodeError: %s (column %d of the JSON text)",
                                  je.text, je.column);
    }
    int rc = 0;
    if (!json_is_object(root)) {
        rc = smac_error_set(err, SMAC_ERR_PARSE, "TypeError: the result is not a JSON object");
        goto done;
    }
    json_t *status = json_object_get(root, "status");
    if (!status) {
        rc = smac_error_set(err, SMAC_ERR_PARSE, "KeyError: 'status'");
        goto done;
    }
    smac_status st;
    if (json_is_string(status) && status_word(json_string_value(status), 0, &st)) {
        out->status = st;
        out->status_known = 1;
    } else {
        out->status = SMAC_STATUS_CRASHED;
        SMAC_WARNING(ACLIB_LOGGER, "Could not identify status; should be one of the following: "
                                   "SAT, UNSAT, SUCCESS, TIMEOUT, CRASHED, ABORT or MEMOUT; "
                                   "Treating as CRASHED run.");
    }

    json_t *rt = json_object_get(root, "runtime");
    double runtime = 0.0;
    if (!rt || json_is_null(rt)) {
        SMAC_WARNING(ACLIB_LOGGER, "The target algorithm has not returned a runtime -- imputed by 0.");
    } else if (json_float(rt, &runtime) != 0) {
        rc = smac_error_set(err, SMAC_ERR_PARSE, "ValueError: could not convert runtime to float");
        goto done;
    }
    double cost = runtime;
    if (!run_obj_runtime) {
        json_t *c = json_object_get(root, "cost");
        if (!c || json_is_null(c)) {
            SMAC_ERROR(ACLIB_LOGGER, "The target algorithm has not returned a quality/cost value although "
                                     "we optimize cost.");
            cost = 0.0;
        } else if (json_float(c, &cost) != 0) {
            rc = smac_error_set(err, SMAC_ERR_PARSE, "ValueError: could not convert cost to float");
            goto done;
        }
    }
    out->runtime = runtime;
    out->cost = cost;

    json_object_del(root, "status");
    json_object_del(root, "runtime");
    json_object_del(root, "cost");
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    dump_json(&sb, root);
    rc = set_info(out, smac_strbuf_take(&sb), err);
done:
    json_decref(root);
    if (rc)
        smac_ta_result_clear(out);
    return rc;
}
