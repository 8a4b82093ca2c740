/*
 * The runhistory.json reader (SMAC3 v1.1 layout, formats.md §6.3).
 *
 * Two phases, so that a truncated or corrupt file adds nothing (pSMAC reads
 * peers' files while they may be rewritten, and SMAC3 likewise adds no run
 * from a file it cannot parse):
 *   1. parse: pull tokens (rh_json_lex.c) through the fixed layout into a
 *      private list of runs, configurations (checked against the space:
 *      legal values, activity, forbidden clauses) and origins; check that
 *      every run names a configuration of the file;
 *   2. apply: reserve all memory the history will need, then intern the
 *      configurations and add the runs with the usual rules (runhistory.c).
 * Config ids of the file are kept when restoring into an empty history;
 * otherwise configurations are matched by value and get local ids.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "runhistory/rh_internal.h"
#include "runhistory/rh_json_lex.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"

typedef struct pcfg {
    int id;          /* as in the file */
    int line, col;   /* of its '{' */
    char *origin;    /* owned until applied */
    int local;       /* position in the history once applied, -1 before */
    size_t n_runs;   /* runs of the file that name it */
} pcfg;

typedef struct prun {
    int cfg;         /* file id while parsing, then index into cfgs */
    int line, col;   /* of the run entry */
    int inst;        /* index into the file's instance names, -1 = none */
    int64_t seed;
    double budget, cost, time, start, end;
    smac_status status;
    unsigned ints;   /* RH_INT_*: which numbers were written as ints */
    char *info;      /* canonical; owned until applied */
} prun;

typedef struct porigin {
    int id;
    char *text;      /* owned, NULL = null */
} porigin;

typedef struct parse {
    rh_lex lx;
    const smac_cs *cs;
    int n_params;
    SMAC_VEC(prun) runs;
    SMAC_VEC(pcfg) cfgs;
    SMAC_VEC(double) keys, vecs; /* n_params per entry of cfgs */
    rh_table cfg_by_id;
    SMAC_VEC(char *) inst;
    rh_table inst_by_name;
    SMAC_VEC(porigin) origins;
    smac_strbuf info;            /* scratch for additional_info */
    smac_error *err;
} parse;

#define LX (&ps->lx)

static int nomem(parse *ps)
{
    return smac_error_set(ps->err, SMAC_ERR_NOMEM, "out of memory while reading %s", ps->lx.name);
}

static int next(parse *ps) { return rh_lex_next(LX); }

/* Checks the current token and moves past it. */
static int expect(parse *ps, rh_tok tok, const char *what)
{
    if (ps->lx.tok != tok)
        return rh_lex_error(LX, "expected %s but found %s", what, rh_lex_what(LX));
    return next(ps);
}

static int is_key(const parse *ps, const char *k)
{
    size_t n = strlen(k);
    return ps->lx.str_len == n && memcmp(ps->lx.str, k, n) == 0;
}

/* A config id written as a JSON object key: decimal digits, 1..INT_MAX. */
static int parse_id_text(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 10)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

static int number(parse *ps, const char *what, double *out)
{
    if (ps->lx.tok != RH_TOK_INT && ps->lx.tok != RH_TOK_FLOAT)
        return rh_lex_error(LX, "expected a number (%s) but found %s", what, rh_lex_what(LX));
    *out = ps->lx.num;
    return next(ps);
}

/* A number of the run value; remembers in *ints (bit `flag`) whether it was an int. */
static int value_number(parse *ps, const char *what, double *out, unsigned *ints, unsigned flag)
{
    if (ps->lx.tok == RH_TOK_INT)
        *ints |= flag;
    return number(ps, what, out);
}

static char *copy_str(const parse *ps)
{
    char *s = malloc(ps->lx.str_len + 1);
    if (s) {
        memcpy(s, ps->lx.str, ps->lx.str_len);
        s[ps->lx.str_len] = '\0';
    }
    return s;
}

/* ---------------------------------------------------------- id tables */

static int cfg_id_eq(const void *ctx, int32_t idx, const void *key)
{
    return ((const parse *)ctx)->cfgs.items[idx].id == *(const int *)key;
}

static int find_cfg(const parse *ps, int id)
{
    return rh_table_find(&ps->cfg_by_id, rh_fold((uint64_t)(uint32_t)id), cfg_id_eq, ps, &id);
}

typedef struct span {
    const char *s;
    size_t n;
} span;

static int inst_eq(const void *ctx, int32_t idx, const void *key)
{
    const char *have = ((const parse *)ctx)->inst.items[idx];
    const span *k = key;
    return strncmp(have, k->s, k->n) == 0 && have[k->n] == '\0';
}

static int intern_instance(parse *ps, int *out)
{
    if (ps->lx.str_has_nul)
        return rh_lex_error(LX, "an instance name must not contain U+0000");
    span k = {ps->lx.str, ps->lx.str_len};
    uint32_t h = rh_hash_bytes(k.s, k.n);
    int idx = rh_table_find(&ps->inst_by_name, h, inst_eq, ps, &k);
    if (idx >= 0) {
        *out = idx;
        return 0;
    }
    char *copy = copy_str(ps);
    if (!copy)
        return nomem(ps);
    idx = (int)ps->inst.len;
    SMAC_VEC_PUSH(&ps->inst, copy, fail);
    if (rh_table_insert(&ps->inst_by_name, h, idx) != 0)
        return nomem(ps);
    *out = idx;
    return 0;
fail:
    free(copy);
    return nomem(ps);
}

/* ---------------------------------------------------------------- data */

static int status_value(parse *ps, smac_status *out)
{
    int rc;
    if (ps->lx.tok == RH_TOK_INT) {
        /* StatusType(1) is what SMAC3 does with a bare number. */
        if (!ps->lx.int_ok || ps->lx.ival < 1 || ps->lx.ival > 9)
            return rh_lex_error(LX, "status %.*s is not a StatusType", (int)ps->lx.tok_len, ps->lx.tok_start);
        *out = (smac_status)ps->lx.ival;
        return next(ps);
    }
    if (ps->lx.tok != RH_TOK_LBRACE)
        return rh_lex_error(LX, "expected a status ({\"__enum__\": \"StatusType.NAME\"}) but found %s",
                            rh_lex_what(LX));
    if ((rc = next(ps)) != 0)
        return rc;
    if (ps->lx.tok != RH_TOK_STRING || !is_key(ps, "__enum__"))
        return rh_lex_error(LX, "expected the key \"__enum__\" of a status");
    if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COLON, "':'")) != 0)
        return rc;
    if (ps->lx.tok != RH_TOK_STRING)
        return rh_lex_error(LX, "expected a status name (\"StatusType.NAME\") but found %s", rh_lex_what(LX));
    char name[32];
    int st = -1;
    if (ps->lx.str_len > 11 && ps->lx.str_len < sizeof name && memcmp(ps->lx.str, "StatusType.", 11) == 0) {
        memcpy(name, ps->lx.str, ps->lx.str_len);
        name[ps->lx.str_len] = '\0';
        st = smac_status_parse(name);
    }
    if (st < 0)
        return rh_lex_error(LX, "unknown status \"%.*s\" (expected StatusType.SUCCESS, ...)",
                            (int)(ps->lx.str_len > 64 ? 64 : ps->lx.str_len), ps->lx.str);
    *out = (smac_status)st;
    if ((rc = next(ps)) != 0)
        return rc;
    return expect(ps, RH_TOK_RBRACE, "'}' after the status name");
}

static int run_key(parse *ps, prun *r)
{
    int rc;
    if ((rc = expect(ps, RH_TOK_LBRACKET, "'[' opening a run key [config_id, instance, seed, budget]")) != 0)
        return rc;
    if (ps->lx.tok != RH_TOK_INT || !ps->lx.int_ok || ps->lx.ival < 1 || ps->lx.ival > INT_MAX)
        return rh_lex_error(LX, "expected a config id (a positive integer) but found %s", rh_lex_what(LX));
    r->cfg = (int)ps->lx.ival;
    if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COMMA, "',' after the config id")) != 0)
        return rc;
    if (ps->lx.tok == RH_TOK_NULL)
        r->inst = -1;
    else if (ps->lx.tok == RH_TOK_STRING)
        rc = intern_instance(ps, &r->inst);
    else
        return rh_lex_error(LX, "expected an instance (a string or null) but found %s", rh_lex_what(LX));
    if (rc != 0 || (rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COMMA, "',' after the instance")) != 0)
        return rc;
    if (ps->lx.tok != RH_TOK_INT || !ps->lx.int_ok)
        return rh_lex_error(LX, "expected a seed (an integer of 64 bits) but found %s", rh_lex_what(LX));
    r->seed = ps->lx.ival;
    if ((rc = next(ps)) != 0)
        return rc;
    r->budget = 0.0; /* 3-element keys come from files without budgets */
    if (ps->lx.tok == RH_TOK_COMMA) {
        if ((rc = next(ps)) != 0 || (rc = number(ps, "the budget", &r->budget)) != 0)
            return rc;
        if (isnan(r->budget))
            return rh_lex_error(LX, "the budget of a run must not be NaN");
    }
    return expect(ps, RH_TOK_RBRACKET, "']' closing the run key (3 or 4 elements)");
}

static int run_value(parse *ps, prun *r)
{
    int rc;
    if ((rc = expect(ps, RH_TOK_LBRACKET,
                     "'[' opening a run value [cost, time, status, starttime, endtime, additional_info]")) != 0 ||
        (rc = value_number(ps, "the cost", &r->cost, &r->ints, RH_INT_COST)) != 0 ||
        (rc = expect(ps, RH_TOK_COMMA, "',' after the cost")) != 0 ||
        (rc = value_number(ps, "the time", &r->time, &r->ints, RH_INT_TIME)) != 0 ||
        (rc = expect(ps, RH_TOK_COMMA, "',' after the time")) != 0 ||
        (rc = status_value(ps, &r->status)) != 0 ||
        (rc = expect(ps, RH_TOK_COMMA, "',' after the status")) != 0 ||
        (rc = value_number(ps, "the start time", &r->start, &r->ints, RH_INT_START)) != 0 ||
        (rc = expect(ps, RH_TOK_COMMA, "',' after the start time")) != 0 ||
        (rc = value_number(ps, "the end time", &r->end, &r->ints, RH_INT_END)) != 0 ||
        (rc = expect(ps, RH_TOK_COMMA, "',' after the end time")) != 0)
        return rc;
    smac_strbuf_clear(&ps->info);
    if ((rc = rh_lex_value(LX, &ps->info)) != 0)
        return rc;
    if (ps->info.failed)
        return nomem(ps);
    if (ps->info.len == 2 && memcmp(ps->info.data, "{}", 2) == 0)
        r->info = RH_EMPTY_OBJECT;
    else if (ps->info.len == 4 && memcmp(ps->info.data, "null", 4) == 0)
        r->info = NULL;
    else if (!(r->info = strdup(ps->info.data)))
        return nomem(ps);
    return expect(ps, RH_TOK_RBRACKET, "']' closing the run value (6 elements)");
}

static int data(parse *ps)
{
    int rc;
    if ((rc = expect(ps, RH_TOK_LBRACKET, "'[' (\"data\" is a list of runs)")) != 0)
        return rc;
    if (ps->lx.tok == RH_TOK_RBRACKET)
        return next(ps);
    for (;;) {
        if (ps->lx.tok == RH_TOK_LBRACE)
            return rh_lex_error(LX, "a run is an object here: this is SMAC3 2.x's layout; only the v1.1 "
                                    "layout [run_key, run_value] is read");
        prun r;
        memset(&r, 0, sizeof r);
        r.line = ps->lx.tok_line;
        r.col = ps->lx.tok_col;
        if ((rc = expect(ps, RH_TOK_LBRACKET, "'[' opening a run [run_key, run_value]")) != 0 ||
            (rc = run_key(ps, &r)) != 0 || (rc = expect(ps, RH_TOK_COMMA, "',' after the run key")) != 0)
            return rc;
        rc = run_value(ps, &r);
        if (rc == 0) {
            SMAC_VEC_PUSH(&ps->runs, r, fail);
        } else {
            rh_info_release(r.info);
            return rc;
        }
        if ((rc = expect(ps, RH_TOK_RBRACKET, "']' closing the run [run_key, run_value]")) != 0)
            return rc;
        if (ps->lx.tok == RH_TOK_RBRACKET)
            return next(ps);
        if ((rc = expect(ps, RH_TOK_COMMA, "',' or ']' after a run")) != 0)
            return rc;
    }
fail:
    return nomem(ps);
}

/* ------------------------------------------------------------- origins */

static int origins(parse *ps)
{
    int rc;
    if ((rc = expect(ps, RH_TOK_LBRACE, "'{' (\"config_origins\" is an object)")) != 0)
        return rc;
    if (ps->lx.tok == RH_TOK_RBRACE)
        return next(ps);
    for (;;) {
        if (ps->lx.tok != RH_TOK_STRING)
            return rh_lex_error(LX, "expected a config id (a string key) but found %s", rh_lex_what(LX));
        porigin o = {0, NULL};
        /* SMAC3 looks origins up by the keys of "configs"; a key that is no
         * config id can never be found, so it is ignored. */
        int usable = parse_id_text(ps->lx.str, ps->lx.str_len, &o.id) == 0;
        if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COLON, "':'")) != 0)
            return rc;
        if (ps->lx.tok == RH_TOK_STRING) {
            if (ps->lx.str_has_nul)
                return rh_lex_error(LX, "an origin must not contain U+0000");
            if (usable && !(o.text = copy_str(ps)))
                return nomem(ps);
        } else if (ps->lx.tok != RH_TOK_NULL) {
            return rh_lex_error(LX, "expected an origin (a string or null) but found %s", rh_lex_what(LX));
        }
        if (usable)
            SMAC_VEC_PUSH(&ps->origins, o, fail);
        if ((rc = next(ps)) != 0)
            return rc;
        if (ps->lx.tok == RH_TOK_RBRACE)
            return next(ps);
        if ((rc = expect(ps, RH_TOK_COMMA, "',' or '}' after an origin")) != 0)
            return rc;
    }
fail:
    return nomem(ps);
}

/* ------------------------------------------------------------- configs */

static int bad_value(parse *ps, int id, const cs_param *p, const char *why)
{
    if (ps->lx.tok == RH_TOK_STRING)
        return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, ps->lx.tok_line, ps->lx.tok_col,
                                 "config %d: \"%.*s\" is not a legal value of parameter '%s'%s", id,
                                 (int)(ps->lx.str_len > 80 ? 80 : ps->lx.str_len), ps->lx.str, p->name, why);
    return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, ps->lx.tok_line, ps->lx.tok_col,
                             "config %d: %.*s is not a legal value of parameter '%s'%s", id,
                             (int)(ps->lx.tok_len > 80 ? 80 : ps->lx.tok_len), ps->lx.tok_start, p->name, why);
}

static int choice_of(const parse *ps, const cs_param *p)
{
    for (int c = 0; c < p->n_choices; c++) {
        cs_value_kind kind = p->kinds ? p->kinds[c] : CS_VALUE_STRING;
        const char *text = p->choices[c];
        switch (ps->lx.tok) {
        case RH_TOK_STRING:
            if (kind == CS_VALUE_STRING && strlen(text) == ps->lx.str_len &&
                memcmp(text, ps->lx.str, ps->lx.str_len) == 0)
                return c;
            break;
        case RH_TOK_INT:
        case RH_TOK_FLOAT: {
            double v; /* Python: 1 == 1.0 */
            if ((kind == CS_VALUE_INT || kind == CS_VALUE_FLOAT) && smac_parse_double(text, &v) == 0 &&
                v == ps->lx.num)
                return c;
            break;
        }
        case RH_TOK_TRUE:
        case RH_TOK_FALSE:
            if (kind == CS_VALUE_BOOL && strcmp(text, ps->lx.tok == RH_TOK_TRUE ? "True" : "False") == 0)
                return c;
            break;
        default:
            break;
        }
    }
    return -1;
}

/* One "name": value of config `id`: the value (key) and the unit encoding. */
static int param_value(parse *ps, int id, const cs_param *p, double *key, double *unit)
{
    switch (p->type) {
    case SMAC_PARAM_REAL:
        if (ps->lx.tok != RH_TOK_INT && ps->lx.tok != RH_TOK_FLOAT)
            return bad_value(ps, id, p, " (a number is expected)");
        if (!(ps->lx.num >= p->lower && ps->lx.num <= p->upper))
            return bad_value(ps, id, p, " (outside its range)");
        *key = ps->lx.num;
        *unit = cs_param_to_unit(p, *key);
        return 0;
    case SMAC_PARAM_INTEGER:
        /* ConfigSpace takes Python ints only: 5.0 is not a legal integer value. */
        if (ps->lx.tok != RH_TOK_INT || !ps->lx.int_ok)
            return bad_value(ps, id, p, " (an integer is expected)");
        if (!(ps->lx.num >= p->lower && ps->lx.num <= p->upper))
            return bad_value(ps, id, p, " (outside its range)");
        *key = ps->lx.num;
        *unit = cs_param_to_unit(p, *key);
        return 0;
    default: {
        int c = choice_of(ps, p);
        if (c < 0)
            return bad_value(ps, id, p, "");
        *key = p->type == SMAC_PARAM_CONSTANT ? 0.0 : (double)c;
        *unit = *key;
        return 0;
    }
    }
}

static int param_index(parse *ps, int hint)
{
    const char *s = ps->lx.str;
    size_t n = ps->lx.str_len;
    /* Files list parameters in canonical order: try the next one first. */
    if (hint < ps->n_params) {
        const char *name = ps->cs->params[hint].name;
        if (strlen(name) == n && memcmp(name, s, n) == 0)
            return hint;
    }
    if (ps->lx.str_has_nul)
        return -1;
    char small[128];
    char *tmp = n < sizeof small ? small : malloc(n + 1);
    if (!tmp)
        return -2;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int i = smac_cs_param_index(ps->cs, tmp);
    if (tmp != small)
        free(tmp);
    return i;
}

static int config(parse *ps, int id)
{
    int rc;
    pcfg c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.local = -1;
    c.line = ps->lx.tok_line;
    c.col = ps->lx.tok_col;
    size_t np = (size_t)ps->n_params, off = ps->keys.len;
    if (SMAC_VEC_RESERVE(&ps->keys, off + np + 1) || SMAC_VEC_RESERVE(&ps->vecs, off + np + 1))
        return nomem(ps);
    double *key = ps->keys.items + off, *vec = ps->vecs.items + off;
    for (size_t i = 0; i < np; i++)
        key[i] = vec[i] = NAN;
    if ((rc = expect(ps, RH_TOK_LBRACE, "'{' opening a configuration")) != 0)
        return rc;
    int hint = 0;
    if (ps->lx.tok != RH_TOK_RBRACE) {
        for (;;) {
            if (ps->lx.tok != RH_TOK_STRING)
                return rh_lex_error(LX, "expected a parameter name but found %s", rh_lex_what(LX));
            int i = param_index(ps, hint);
            if (i == -2)
                return nomem(ps);
            if (i < 0)
                return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, ps->lx.tok_line, ps->lx.tok_col,
                                         "config %d: unknown parameter '%.*s'", id,
                                         (int)(ps->lx.str_len > 80 ? 80 : ps->lx.str_len), ps->lx.str);
            const cs_param *p = &ps->cs->params[i];
            if (!isnan(key[i]))
                return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, ps->lx.tok_line, ps->lx.tok_col,
                                         "config %d: parameter '%s' is given twice", id, p->name);
            if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COLON, "':'")) != 0)
                return rc;
            if ((rc = param_value(ps, id, p, &key[i], &vec[i])) != 0 || (rc = next(ps)) != 0)
                return rc;
            hint = i + 1;
            if (ps->lx.tok == RH_TOK_RBRACE)
                break;
            if ((rc = expect(ps, RH_TOK_COMMA, "',' or '}' after a parameter value")) != 0)
                return rc;
        }
    }
    smac_error e; /* filled by smac_cs_check on failure only: not cleared, it is 1.5 KB */
    e.message[0] = '\0';
    if (smac_cs_check(ps->cs, vec, &e) != 0)
        return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, c.line, c.col,
                                 "config %d is not a valid configuration of the space: %s", id, e.message);
    ps->keys.len += np;
    ps->vecs.len += np;
    int idx = (int)ps->cfgs.len;
    SMAC_VEC_PUSH(&ps->cfgs, c, fail);
    if (rh_table_insert(&ps->cfg_by_id, rh_fold((uint64_t)(uint32_t)id), idx) != 0)
        return nomem(ps);
    return next(ps); /* past '}' */
fail:
    return nomem(ps);
}

static int configs(parse *ps)
{
    int rc;
    if ((rc = expect(ps, RH_TOK_LBRACE, "'{' (\"configs\" is an object)")) != 0)
        return rc;
    if (ps->lx.tok == RH_TOK_RBRACE)
        return next(ps);
    for (;;) {
        int id;
        if (ps->lx.tok != RH_TOK_STRING)
            return rh_lex_error(LX, "expected a config id (a string key) but found %s", rh_lex_what(LX));
        if (parse_id_text(ps->lx.str, ps->lx.str_len, &id) != 0)
            return rh_lex_error(LX, "config id \"%.*s\" is not a positive integer",
                                (int)(ps->lx.str_len > 40 ? 40 : ps->lx.str_len), ps->lx.str);
        if (find_cfg(ps, id) >= 0)
            return rh_lex_error(LX, "config id %d appears twice in \"configs\"", id);
        if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COLON, "':'")) != 0 || (rc = config(ps, id)) != 0)
            return rc;
        if (ps->lx.tok == RH_TOK_RBRACE)
            return next(ps);
        if ((rc = expect(ps, RH_TOK_COMMA, "',' or '}' after a configuration")) != 0)
            return rc;
    }
}

/* ------------------------------------------------------------ the file */

static int whole_file(parse *ps)
{
    int rc, seen_data = 0, seen_origins = 0, seen_configs = 0;
    if ((rc = next(ps)) != 0)
        return rc;
    if (ps->lx.tok == RH_TOK_EOF)
        return rh_lex_error(LX, "the file is empty");
    if ((rc = expect(ps, RH_TOK_LBRACE, "'{' (a run history is a JSON object)")) != 0)
        return rc;
    while (ps->lx.tok != RH_TOK_RBRACE) {
        if (ps->lx.tok != RH_TOK_STRING)
            return rh_lex_error(LX, "expected a key (\"data\", \"config_origins\", \"configs\") but found %s",
                                rh_lex_what(LX));
        int which = is_key(ps, "data") ? 1 : is_key(ps, "config_origins") ? 2 : is_key(ps, "configs") ? 3 : 0;
        int *seen = which == 1 ? &seen_data : which == 2 ? &seen_origins : which == 3 ? &seen_configs : NULL;
        if (seen && *seen)
            return rh_lex_error(LX, "the key \"%.*s\" appears twice", (int)ps->lx.str_len, ps->lx.str);
        if (seen)
            *seen = 1;
        if ((rc = next(ps)) != 0 || (rc = expect(ps, RH_TOK_COLON, "':'")) != 0)
            return rc;
        rc = which == 1 ? data(ps) : which == 2 ? origins(ps) : which == 3 ? configs(ps) : rh_lex_value(LX, NULL);
        if (rc != 0)
            return rc;
        if (ps->lx.tok == RH_TOK_RBRACE)
            break;
        if ((rc = expect(ps, RH_TOK_COMMA, "',' or '}' after a top-level value")) != 0)
            return rc;
    }
    if (next(ps) != 0 || ps->lx.tok != RH_TOK_EOF) /* Python: "Extra data" */
        return rh_lex_error(LX, "extra data after the run history object");
    if (!seen_data || !seen_configs)
        return smac_error_set_at(ps->err, SMAC_ERR_PARSE, ps->lx.name, 0, 0, "the run history has no \"%s\"",
                                 seen_data ? "configs" : "data");
    /* Every run must name a configuration of the file. */
    for (size_t i = 0; i < ps->runs.len; i++) {
        prun *r = &ps->runs.items[i];
        int c = find_cfg(ps, r->cfg);
        if (c < 0)
            return smac_error_set_at(ps->err, SMAC_ERR_INVALID, ps->lx.name, r->line, r->col,
                                     "the run refers to config id %d, which \"configs\" does not define", r->cfg);
        r->cfg = c;
        ps->cfgs.items[c].n_runs++;
    }
    for (size_t i = 0; i < ps->origins.len; i++) {
        int c = find_cfg(ps, ps->origins.items[i].id);
        if (c >= 0) { /* a later duplicate key wins, as in a Python dict */
            free(ps->cfgs.items[c].origin);
            ps->cfgs.items[c].origin = ps->origins.items[i].text;
            ps->origins.items[i].text = NULL;
        }
    }
    return 0;
}

/* -------------------------------------------------------------- apply */

/* Gives file config i its position in the history (room was reserved). */
static int intern_cfg(parse *ps, smac_runhistory *rh, size_t i, int keep_id)
{
    size_t np = (size_t)ps->n_params;
    pcfg *c = &ps->cfgs.items[i];
    const double *key = ps->keys.items + i * np;
    int pos = rh_config_find_key(rh, key);
    if (pos < 0) {
        pos = rh_config_add_owned(rh, key, ps->vecs.items + i * np, c->origin, keep_id ? c->id : 0);
        c->origin = NULL;
    }
    c->local = pos;
    return pos < 0 ? pos : 0;
}

static int apply(parse *ps, smac_runhistory *rh, smac_rh_origin origin, int *n_new)
{
    int restore = origin == SMAC_RH_INTERNAL && rh->cfgs.len == 0 && rh->runs.len == 0, stored = 0;
    if (rh_config_reserve(rh, ps->cfgs.len, ps->inst.len) != 0 || rh_runs_reserve(rh, ps->runs.len) != 0)
        return nomem(ps);
    /* File instance index -> history instance index. */
    int *inst = malloc((ps->inst.len + 1) * sizeof *inst);
    if (!inst)
        return nomem(ps);
    for (size_t i = 0; i < ps->inst.len; i++)
        if (rh_instance_intern(rh, ps->inst.items[i], strlen(ps->inst.items[i]), &inst[i]) != 0) {
            free(inst);
            return nomem(ps);
        }
    /* Configurations. Restoring keeps the file's ids and every config;
     * merging interns them in the order their first run appears in "data"
     * (what SMAC3's update() does), new ones getting max id + 1. */
    if (restore) {
        for (size_t i = 0; i < ps->cfgs.len; i++)
            if (intern_cfg(ps, rh, i, 1) != 0)
                goto fail;
    } else {
        for (size_t i = 0; i < ps->runs.len; i++) {
            size_t c = (size_t)ps->runs.items[i].cfg;
            if (ps->cfgs.items[c].local < 0 && intern_cfg(ps, rh, c, 0) != 0)
                goto fail;
        }
    }
    for (size_t i = 0; i < ps->cfgs.len; i++) {
        const pcfg *c = &ps->cfgs.items[i];
        if (c->local >= 0 && rh_config_reserve_pairs(rh, c->local, c->n_runs) != 0)
            goto fail;
    }
    for (size_t i = 0; i < ps->runs.len; i++) {
        prun *r = &ps->runs.items[i];
        char *info = r->info;
        r->info = NULL;
        int rc = rh_add_run(rh, ps->cfgs.items[r->cfg].local, r->inst >= 0 ? inst[r->inst] : -1, r->seed,
                            r->budget, r->cost, r->time, r->status, r->start, r->end, info, r->ints, origin, 0);
        if (rc < 0)
            goto fail;
        stored += rc;
    }
    free(inst);
    *n_new = stored;
    return 0;
fail:
    free(inst);
    return nomem(ps);
}

static void parse_free(parse *ps)
{
    for (size_t i = 0; i < ps->runs.len; i++)
        rh_info_release(ps->runs.items[i].info);
    SMAC_VEC_FREE(&ps->runs);
    for (size_t i = 0; i < ps->cfgs.len; i++)
        free(ps->cfgs.items[i].origin);
    SMAC_VEC_FREE(&ps->cfgs);
    SMAC_VEC_FREE(&ps->keys);
    SMAC_VEC_FREE(&ps->vecs);
    rh_table_free(&ps->cfg_by_id);
    for (size_t i = 0; i < ps->inst.len; i++)
        free(ps->inst.items[i]);
    SMAC_VEC_FREE(&ps->inst);
    rh_table_free(&ps->inst_by_name);
    for (size_t i = 0; i < ps->origins.len; i++)
        free(ps->origins.items[i].text);
    SMAC_VEC_FREE(&ps->origins);
    smac_strbuf_free(&ps->info);
    rh_lex_free(&ps->lx);
}

int smac_rh_load_json_text(smac_runhistory *rh, const char *text, size_t len, const char *name, int external,
                           int *n_new, smac_error *err)
{
    if (n_new)
        *n_new = 0;
    if (!rh || (!text && len))
        return smac_error_set(err, SMAC_ERR_INVALID, "run history load: no history or no text");
    if (external < SMAC_RH_INTERNAL || external > SMAC_RH_EXTERNAL_DIFFERENT)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history load: unknown origin %d", external);
    parse ps;
    memset(&ps, 0, sizeof ps);
    rh_lex_init(&ps.lx, text ? text : "", len, name, err);
    ps.cs = rh->cs;
    ps.n_params = rh->n_params;
    ps.err = err;
    smac_strbuf_init(&ps.info);
    int stored = 0;
    int rc = whole_file(&ps);
    if (rc == 0)
        rc = apply(&ps, rh, (smac_rh_origin)external, &stored);
    parse_free(&ps);
    if (n_new)
        *n_new = stored;
    return rc;
}

int smac_rh_load_json(smac_runhistory *rh, const char *path, int external, int *n_new, smac_error *err)
{
    if (n_new)
        *n_new = 0;
    if (!path)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history load: no path");
    char *text;
    size_t len;
    int rc = smac_read_file(path, &text, &len, err);
    if (rc != 0)
        return rc;
    rc = smac_rh_load_json_text(rh, text, len, path, external, n_new, err);
    free(text);
    return rc;
}
