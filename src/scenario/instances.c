/*
 * Instance files and feature files (formats.md §4).
 *
 * Instance file: one instance per line, split on blanks; the first word is
 * the name, the rest (joined by single spaces) the instance-specific text,
 * "0" when absent. SMAC3 crashes on a blank line; we skip blank lines and
 * lines starting with '#' (the spec's recommendation). Duplicates stay in the
 * file-order list and are dropped from the list intensification uses.
 *
 * Feature file: CSV without quoting. The first line is a header whose first
 * column is ignored; every other line is `name,v1,v2,...`. Every training
 * instance needs a row (SMAC3 crashes with a KeyError otherwise; we say which
 * instance); a repeated name keeps its last row, as a Python dict does.
 *
 * Names are looked up through a small open-addressing hash index, so files
 * with many thousands of instances load in linear time.
 */
#include "scenario/scenario_internal.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/vec.h"

#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- name index */

struct scen_name_index {
    size_t cap;     /* power of two, at least twice the number of names */
    size_t *slots;  /* index into the caller's name array, or SIZE_MAX */
};

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static struct scen_name_index *index_new(size_t n)
{
    struct scen_name_index *ix = malloc(sizeof *ix);
    if (!ix)
        return NULL;
    ix->cap = 16;
    while (ix->cap < 2 * n + 2)
        ix->cap *= 2;
    ix->slots = malloc(ix->cap * sizeof *ix->slots);
    if (!ix->slots) {
        free(ix);
        return NULL;
    }
    for (size_t i = 0; i < ix->cap; i++)
        ix->slots[i] = SIZE_MAX;
    return ix;
}

static void index_free(struct scen_name_index *ix)
{
    if (ix) {
        free(ix->slots);
        free(ix);
    }
}

/* The slot holding `name`, or the empty slot where it would go. */
static size_t *index_slot(const struct scen_name_index *ix, char *const *names, const char *name)
{
    size_t mask = ix->cap - 1;
    for (size_t i = (size_t)hash_name(name) & mask;; i = (i + 1) & mask)
        if (ix->slots[i] == SIZE_MAX || strcmp(names[ix->slots[i]], name) == 0)
            return &ix->slots[i];
}

/* ------------------------------------------------------------------ lines */

static int blank(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* Next line of [*p, end) as [*s, *e), trimmed, with *raw at its first
 * character (for columns); lines end at \n, \r\n or \r. */
static int next_line(const char **p, const char *end, const char **raw, const char **s, const char **e)
{
    if (*p >= end)
        return 0;
    const char *a = *p, *b = *p;
    *raw = a;
    while (b < end && *b != '\n' && *b != '\r')
        b++;
    *p = b < end ? ((*b == '\r' && b + 1 < end && b[1] == '\n') ? b + 2 : b + 1) : end;
    while (a < b && blank((unsigned char)*a))
        a++;
    while (b > a && blank((unsigned char)b[-1]))
        b--;
    *s = a;
    *e = b;
    return 1;
}

static char *copy_range(const char *s, const char *e)
{
    char *c = malloc((size_t)(e - s) + 1);
    if (c) {
        memcpy(c, s, (size_t)(e - s));
        c[e - s] = '\0';
    }
    return c;
}

/* -------------------------------------------------------------- instances */

void scen_instances_free(smac_instance_set *set)
{
    for (size_t i = 0; i < set->n_all; i++) {
        free(set->all[i].name);
        free(set->all[i].specific);
    }
    free(set->all);
    free(set->items);
    memset(set, 0, sizeof *set);
}

/* Fills set->items with the first occurrence of every name. */
static int dedupe(smac_instance_set *set)
{
    set->items = malloc((set->n_all ? set->n_all : 1) * sizeof *set->items);
    char **names = malloc((set->n_all ? set->n_all : 1) * sizeof *names);
    struct scen_name_index *ix = index_new(set->n_all);
    int rc = 0;
    if (!set->items || !names || !ix) {
        rc = -1;
        goto out;
    }
    set->n = 0;
    for (size_t i = 0; i < set->n_all; i++) {
        size_t *slot = index_slot(ix, names, set->all[i].name);
        if (*slot != SIZE_MAX)
            continue;
        names[set->n] = set->all[i].name;
        *slot = set->n;
        set->items[set->n++] = set->all[i];
    }
out:
    free(names);
    index_free(ix);
    return rc;
}

int scen_read_instances(const char *path, smac_instance_set *out, smac_error *err)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    int rc = smac_read_file(path, &text, &len, err);
    if (rc != 0)
        return rc;
    SMAC_VEC(smac_instance) all = {0};
    const char *p = text, *end = text + len, *raw, *s, *e;
    int lineno = 0;
    while (next_line(&p, end, &raw, &s, &e)) {
        lineno++;
        if (memchr(s, '\0', (size_t)(e - s))) {
            rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, 0, "NUL byte in an instance file");
            goto fail;
        }
        if (s == e || *s == '#')
            continue;
        const char *ne = s;
        while (ne < e && !blank((unsigned char)*ne))
            ne++;
        smac_strbuf rest;
        smac_strbuf_init(&rest);
        for (const char *w = ne; w < e;) {
            while (w < e && blank((unsigned char)*w))
                w++;
            const char *we = w;
            while (we < e && !blank((unsigned char)*we))
                we++;
            if (we > w) {
                if (rest.len)
                    smac_strbuf_putc(&rest, ' ');
                smac_strbuf_append(&rest, w, (size_t)(we - w));
            }
            w = we;
        }
        if (rest.len == 0)
            smac_strbuf_putc(&rest, '0');
        smac_instance inst = {copy_range(s, ne), smac_strbuf_take(&rest)};
        if (!inst.name || !inst.specific || SMAC_VEC_RESERVE(&all, all.len + 1) != 0) {
            free(inst.name);
            free(inst.specific);
            rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            goto fail;
        }
        all.items[all.len++] = inst;
    }
    free(text);
    out->all = all.items;
    out->n_all = all.len;
    if (dedupe(out) != 0) {
        scen_instances_free(out);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    return 0;
fail:
    free(text);
    out->all = all.items;
    out->n_all = all.len;
    scen_instances_free(out);
    return rc;
}

/* --------------------------------------------------------------- features */

void scen_features_free(smac_features *f)
{
    for (size_t i = 0; i < f->n_features; i++)
        free(f->names[i]);
    free(f->names);
    for (size_t i = 0; i < f->n_rows; i++)
        free(f->row_names[i]);
    free(f->row_names);
    free(f->rows);
    free(f->train);
    index_free(f->index);
    memset(f, 0, sizeof *f);
}

/* Splits the header into trimmed feature names (the first column is the
 * instance column and is ignored). */
static int read_header(const char *s, const char *e, smac_features *f)
{
    SMAC_VEC(char *) names = {0};
    const char *c = memchr(s, ',', (size_t)(e - s));
    while (c) {
        const char *a = c + 1;
        c = memchr(a, ',', (size_t)(e - a));
        const char *b = c ? c : e;
        while (a < b && blank((unsigned char)*a))
            a++;
        while (b > a && blank((unsigned char)b[-1]))
            b--;
        char *name = copy_range(a, b);
        if (!name || SMAC_VEC_RESERVE(&names, names.len + 1) != 0) {
            free(name);
            for (size_t i = 0; i < names.len; i++)
                free(names.items[i]);
            SMAC_VEC_FREE(&names);
            return -1;
        }
        names.items[names.len++] = name;
    }
    f->names = names.items;
    f->n_features = names.len;
    return 0;
}

/* Parses the values of one row into `values` (n_features of them). */
static int read_row_values(const char *path, int lineno, const char *line, const char *s,
                           const char *e, const char *name, const smac_features *f, double *values,
                           smac_error *err)
{
    size_t k = 0;
    const char *c = memchr(s, ',', (size_t)(e - s));
    while (c) {
        const char *a = c + 1;
        c = memchr(a, ',', (size_t)(e - a));
        const char *b = c ? c : e;
        if (k < f->n_features) {
            char buf[128];
            size_t n = (size_t)(b - a);
            int col = (int)(a - line) + 1;
            if (n >= sizeof buf)
                return smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, col,
                                         "expected a number, got a field of %zu characters", n);
            memcpy(buf, a, n);
            buf[n] = '\0';
            if (smac_parse_double(buf, &values[k]) != 0)
                return smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, col,
                                         "expected a number, got '%s'", buf);
        }
        k++;
    }
    if (k != f->n_features)
        return smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, 0,
                                 "instance '%s' has %zu feature values but the header names %zu",
                                 name, k, f->n_features);
    return 0;
}

int scen_read_features(const char *path, smac_features *f, smac_error *err)
{
    memset(f, 0, sizeof *f);
    char *text;
    size_t len;
    int rc = smac_read_file(path, &text, &len, err);
    if (rc != 0)
        return rc;
    const char *p = text, *end = text + len, *line, *s, *e;
    int lineno = 0, have_header = 0;
    size_t cap = 0; /* rows allocated in row_names and rows */
    double *values = NULL;
    while (next_line(&p, end, &line, &s, &e)) {
        lineno++;
        if (memchr(s, '\0', (size_t)(e - s))) {
            rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, 0, "NUL byte in a feature file");
            goto fail;
        }
        if (s == e || *s == '#')
            continue;
        if (!have_header) {
            have_header = 1;
            if (read_header(s, e, f) != 0 || !(f->index = index_new(64)))
                goto nomem;
            values = malloc((f->n_features ? f->n_features : 1) * sizeof *values);
            if (!values)
                goto nomem;
            continue;
        }
        const char *ne = memchr(s, ',', (size_t)(e - s));
        if (!ne)
            ne = e;
        const char *nb = s, *nend = ne;
        while (nend > nb && blank((unsigned char)nend[-1]))
            nend--;
        if (nend == nb) {
            rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, lineno, (int)(s - line) + 1,
                                   "missing instance name");
            goto fail;
        }
        char *name = copy_range(nb, nend);
        if (!name)
            goto nomem;
        rc = read_row_values(path, lineno, line, s, e, name, f, values, err);
        if (rc != 0) {
            free(name);
            goto fail;
        }
        size_t *slot = index_slot(f->index, f->row_names, name);
        size_t row = *slot;
        if (row != SIZE_MAX) {
            free(name); /* a repeated name: the last row wins */
        } else {
            if (f->n_rows == cap) {
                /* names and rows grow together, so one capacity serves both */
                size_t bigger = cap ? 2 * cap : 64;
                char **grown_names = realloc(f->row_names, bigger * sizeof *grown_names);
                if (grown_names)
                    f->row_names = grown_names;
                double *grown_rows =
                    realloc(f->rows, bigger * (f->n_features ? f->n_features : 1) * sizeof *grown_rows);
                if (grown_rows)
                    f->rows = grown_rows;
                if (!grown_names || !grown_rows) {
                    free(name);
                    goto nomem;
                }
                cap = bigger;
            }
            row = f->n_rows++;
            f->row_names[row] = name;
            if (2 * f->n_rows + 2 > f->index->cap) {
                /* keep the index at most half full: rebuild it larger */
                struct scen_name_index *larger = index_new(2 * f->n_rows);
                if (!larger)
                    goto nomem;
                for (size_t i = 0; i < f->n_rows; i++)
                    *index_slot(larger, f->row_names, f->row_names[i]) = i;
                index_free(f->index);
                f->index = larger;
            } else {
                *index_slot(f->index, f->row_names, name) = row;
            }
        }
        memcpy(f->rows + row * f->n_features, values, f->n_features * sizeof *values);
    }
    if (!have_header) {
        rc = smac_error_set_at(err, SMAC_ERR_PARSE, path, 0, 0,
                               "the feature file is empty (expected a header line 'instance,f1,f2,...')");
        goto fail;
    }
    free(values);
    free(text);
    return 0;
nomem:
    rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
fail:
    free(values);
    free(text);
    scen_features_free(f);
    return rc;
}

int scen_features_for_train(smac_features *f, const smac_instance_set *train, const char *path,
                            smac_error *err)
{
    size_t n = train->n ? train->n : 1, m = f->n_features ? f->n_features : 1;
    free(f->train);
    f->train = malloc(n * m * sizeof *f->train);
    if (!f->train)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < train->n; i++) {
        size_t row = *index_slot(f->index, f->row_names, train->items[i].name);
        if (row == SIZE_MAX)
            return smac_error_set_at(err, SMAC_ERR_INVALID, path, 0, 0,
                                     "no features for training instance '%s'", train->items[i].name);
        memcpy(f->train + i * f->n_features, f->rows + row * f->n_features,
               f->n_features * sizeof *f->train);
    }
    return 0;
}

const double *smac_scenario_features_of(const smac_scenario *sc, const char *instance)
{
    if (!sc || !instance || !sc->has_features || !sc->features.index)
        return NULL;
    const smac_features *f = &sc->features;
    size_t row = *index_slot(f->index, f->row_names, instance);
    return row == SIZE_MAX ? NULL : f->rows + row * f->n_features;
}
