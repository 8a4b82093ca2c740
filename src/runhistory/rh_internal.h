/*
 * Internals of the run history, shared by the files of src/runhistory/ only:
 *
 *   rh_table.c       an open-addressing table of int indices (all lookups)
 *   config_intern.c  configurations interned by value, and instance names
 *   runhistory.c     runs, the add rules and the cached aggregates
 *   rh_json_lex.c    a tokenizer for Python's JSON dialect
 *   rh_info.c        additional_info: canonical compact text, indented output
 *   rh_json_read.c   the runhistory.json reader (parse all, then apply)
 *   rh_json_write.c  the runhistory.json writer
 *
 * Index conventions: configurations, runs, pairs and instances live in
 * arrays and are referred to by their position (int). Config *ids* are the
 * numbers users and files see; rh_config_index maps an id to a position.
 */
#ifndef SMAC_RH_INTERNAL_H
#define SMAC_RH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "runhistory/runhistory.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/vec.h"

/* ---------------------------------------------------------------- table */

/* Maps a 32-bit hash to int indices into some array; equality of keys is
 * decided by a callback, so one table type serves every lookup. Slots with
 * hash 0 are empty (stored hashes are never 0). Load factor <= 1/2. */
typedef struct rh_table {
    uint32_t *hash;
    int32_t *idx;
    uint32_t mask; /* capacity - 1; capacity is a power of two, 0 before the first insert */
    size_t n;
} rh_table;

typedef int (*rh_table_eq)(const void *ctx, int32_t idx, const void *key);

void rh_table_free(rh_table *t);
/* Makes room for n entries in total without further allocation. */
int rh_table_reserve(rh_table *t, size_t n);
/* The index stored for a key with hash h for which eq(ctx, idx, key) holds, or -1. */
int32_t rh_table_find(const rh_table *t, uint32_t h, rh_table_eq eq, const void *ctx, const void *key);
/* Adds idx under hash h (the caller knows the key is absent). 0 or SMAC_ERR_NOMEM. */
int rh_table_insert(rh_table *t, uint32_t h, int32_t idx);

/* Hashing helpers: a 64-bit mixer folded to a non-zero 32-bit value. */
uint64_t rh_mix64(uint64_t x);
static inline uint32_t rh_fold(uint64_t h)
{
    uint32_t r = (uint32_t)(rh_mix64(h) >> 32);
    return r ? r : 1u;
}
/* The bits of a double with -0.0 folded onto 0.0 and every NaN onto one. */
uint64_t rh_double_bits(double x);
uint32_t rh_hash_bytes(const char *s, size_t n);

/* ------------------------------------------------------------- records */

/* Shared text of the by far most common additional_info, "{}": runs point at
 * it instead of owning a copy (never freed). */
extern const char rh_empty_object[];
#define RH_EMPTY_OBJECT ((char *)rh_empty_object)
static inline void rh_info_release(char *info)
{
    if (info && info != rh_empty_object)
        free(info);
}

typedef struct rh_config {
    int id;
    char *origin;                 /* owned, or NULL */
    double cost, min_cost;        /* NaN while n_pairs == 0 */
    SMAC_VEC(smac_rh_isb) isb;    /* listed pairs with their highest budget */
    SMAC_VEC(int) isb_pair;       /* parallel to isb: the pair's index */
} rh_config;

/* The counted runs of one configuration on one (instance, seed). */
typedef struct rh_pair {
    int cfg;                      /* config position */
    int instance;
    int64_t seed;
    int pos;                      /* position in the config's isb list, -1 while it has no runs */
    int max_run;                  /* run at the highest budget */
    int n_runs;                   /* counted runs, in the order they were counted: */
    int run0;                     /*   the first (nearly always the only one) */
    SMAC_VEC(int) more;           /*   and the others */
} rh_pair;

static inline int rh_pair_run(const rh_pair *p, int j) { return j == 0 ? p->run0 : p->more.items[j - 1]; }

/* Which numbers of a run value are Python ints rather than floats. SMAC3
 * keeps `par_factor * cutoff` (both ints) as the cost of unsuccessful
 * runtime runs, and json writes them as `10`, not `10.0`. */
enum {
    RH_INT_COST = 1,
    RH_INT_TIME = 2,
    RH_INT_START = 4,
    RH_INT_END = 8
};

typedef struct rh_run {
    smac_rh_run pub;
    int cfg;                      /* config position */
    int pair;                     /* pair index while the run counts, else -1 */
    unsigned ints;                /* RH_INT_* */
} rh_run;

struct smac_runhistory {
    const smac_cs *cs;
    smac_rh_options opts;
    int n_params;

    /* configurations (config_intern.c) */
    SMAC_VEC(rh_config) cfgs;
    SMAC_VEC(int) cfg_ids;        /* id of each position (smac_rh_config_ids) */
    SMAC_VEC(double) keys;        /* n_params values per config: the identity */
    SMAC_VEC(double) vecs;        /* n_params unit values per config */
    rh_table cfg_by_key;
    rh_table cfg_by_id;
    int max_id;

    /* instances (config_intern.c) */
    SMAC_VEC(char *) inst_names;
    rh_table inst_by_name;

    /* runs and pairs (runhistory.c) */
    SMAC_VEC(rh_run) runs;
    rh_table run_by_key;
    SMAC_VEC(rh_pair) pairs;
    rh_table pair_by_key;
};

/* ------------------------------------------------- config_intern.c */

/* Identity key of a vector: values decoded as described in runhistory.h. */
void rh_config_key(const smac_runhistory *rh, const double *vec, double *key);
/* Position of a configuration by key, or -1. */
int rh_config_find_key(const smac_runhistory *rh, const double *key);
/* Adds a new configuration (its key must be absent) with the given id
 * (0 = max id + 1). `origin` is copied. Returns its position or SMAC_ERR_NOMEM. */
int rh_config_add(smac_runhistory *rh, const double *key, const double *vec, const char *origin, int id);
/* The same taking ownership of `origin` (malloc'd or NULL; freed on failure).
 * Cannot fail after rh_config_reserve made room. */
int rh_config_add_owned(smac_runhistory *rh, const double *key, const double *vec, char *origin, int id);
/* Position of an id, or -1. */
int rh_config_index(const smac_runhistory *rh, int id);
static inline const double *rh_key_at(const smac_runhistory *rh, int pos)
{
    return rh->keys.items + (size_t)pos * (size_t)rh->n_params;
}
/* Makes room for n more configurations and m more instances. */
int rh_config_reserve(smac_runhistory *rh, size_t n, size_t m);
void rh_config_free_all(smac_runhistory *rh);
/* Instance index of a string of n bytes (no NUL inside), interning it. */
int rh_instance_intern(smac_runhistory *rh, const char *s, size_t n, int *index);

/* ---------------------------------------------------- runhistory.c */

/* The add rules on positions (cfg, instance index) with an additional_info
 * that is already canonical: ownership of `info` passes to the history
 * (when the run is ignored it is released). Returns 1 stored, 0 ignored,
 * SMAC_ERR_NOMEM. */
int rh_add_run(smac_runhistory *rh, int cfg, int instance, int64_t seed, double budget,
               double cost, double time, smac_status status, double start, double end, char *info,
               unsigned ints, smac_rh_origin origin, int force);
/* Makes room for n more runs (so that adding them cannot run out of memory
 * except for a configuration's new pairs beyond rh_config_reserve_pairs and
 * for pairs with several counted budgets). */
int rh_runs_reserve(smac_runhistory *rh, size_t n);
/* Makes room for n more listed pairs of configuration position cfg. */
int rh_config_reserve_pairs(smac_runhistory *rh, int cfg, size_t n);

/* ------------------------------------------------------ rh_info.c */

/* Checks JSON text (Python dialect, one value) and produces the canonical
 * compact form: Python's json.dumps with default separators (", " and
 * ": "), floats as repr, strings re-escaped with ensure_ascii. *out is
 * rh_empty_object for "{}", NULL for "null", else malloc'd. */
int rh_info_canonical(const char *text, size_t len, char **out, smac_error *err);
/* Appends a canonical text as json.dump(indent=2) lays it out when the
 * value starts at nesting depth `depth` (its first line is not indented). */
void rh_info_write_indented(smac_strbuf *sb, const char *canon, int depth);
/* Appends s (n bytes, UTF-8 or WTF-8) as a JSON string with Python's
 * ensure_ascii escaping. */
void rh_json_string(smac_strbuf *sb, const char *s, size_t n);

/* ------------------------------------------------------ rh_repr.c */

/* repr(x) with json's Infinity/NaN spellings: smac_format_double_json's
 * text, faster. buf holds SMAC_DOUBLE_TEXT bytes; returns the length. */
int rh_repr_double(double x, char *buf);

#endif
