/*
 * Interning of configurations and instance names.
 *
 * A configuration's identity is its vector decoded to values (see
 * runhistory.h): that is ConfigSpace's equality, which SMAC3 relies on to
 * recognise one configuration across pSMAC processes, and it is what a file
 * holds, so a configuration read back from runhistory.json keeps exactly the
 * values it was written with. Both the key and the vector are stored, flat,
 * n_params doubles per configuration.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "runhistory/rh_internal.h"

void rh_config_key(const smac_runhistory *rh, const double *vec, double *key)
{
    const smac_cs *cs = rh->cs;
    for (int i = 0; i < rh->n_params; i++) {
        double u = vec[i], k;
        if (isnan(u)) {
            key[i] = NAN;
            continue;
        }
        const cs_param *p = &cs->params[i];
        switch (p->type) {
        case SMAC_PARAM_REAL:
        case SMAC_PARAM_INTEGER:
            k = cs_param_from_unit(p, u);
            break;
        case SMAC_PARAM_CATEGORICAL:
        case SMAC_PARAM_ORDINAL:
            k = u;
            break;
        default:
            k = 0.0;
            break;
        }
        key[i] = k == 0.0 ? 0.0 : k; /* no -0.0 in keys */
    }
}

static uint32_t key_hash(const double *key, int n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < n; i++)
        h = rh_mix64(h ^ rh_double_bits(key[i])) + (uint64_t)i;
    return rh_fold(h);
}

static int key_eq(const void *ctx, int32_t idx, const void *key)
{
    const smac_runhistory *rh = ctx;
    const double *a = rh_key_at(rh, idx), *b = key;
    for (int i = 0; i < rh->n_params; i++)
        if (!(a[i] == b[i] || (isnan(a[i]) && isnan(b[i]))))
            return 0;
    return 1;
}

int rh_config_find_key(const smac_runhistory *rh, const double *key)
{
    return rh_table_find(&rh->cfg_by_key, key_hash(key, rh->n_params), key_eq, rh, key);
}

static int id_eq(const void *ctx, int32_t idx, const void *key)
{
    const smac_runhistory *rh = ctx;
    return rh->cfg_ids.items[idx] == *(const int *)key;
}

static uint32_t id_hash(int id) { return rh_fold((uint64_t)(uint32_t)id); }

int rh_config_index(const smac_runhistory *rh, int id)
{
    if (id <= 0)
        return -1;
    return rh_table_find(&rh->cfg_by_id, id_hash(id), id_eq, rh, &id);
}

int rh_config_reserve(smac_runhistory *rh, size_t n, size_t m)
{
    size_t c = rh->cfgs.len + n, p = (size_t)rh->n_params;
    if (SMAC_VEC_RESERVE(&rh->cfgs, c) || SMAC_VEC_RESERVE(&rh->cfg_ids, c) ||
        (p && (SMAC_VEC_RESERVE(&rh->keys, c * p) || SMAC_VEC_RESERVE(&rh->vecs, c * p))) ||
        rh_table_reserve(&rh->cfg_by_key, c) || rh_table_reserve(&rh->cfg_by_id, c) ||
        SMAC_VEC_RESERVE(&rh->inst_names, rh->inst_names.len + m) ||
        rh_table_reserve(&rh->inst_by_name, rh->inst_names.len + m))
        return SMAC_ERR_NOMEM;
    return 0;
}

int rh_config_add(smac_runhistory *rh, const double *key, const double *vec, const char *origin, int id)
{
    char *org = NULL;
    if (origin && !(org = strdup(origin)))
        return SMAC_ERR_NOMEM;
    return rh_config_add_owned(rh, key, vec, org, id);
}

int rh_config_add_owned(smac_runhistory *rh, const double *key, const double *vec, char *org, int id)
{
    if (id == 0) {
        if (rh->max_id == INT_MAX) {
            free(org);
            return SMAC_ERR_NOMEM; /* 2^31 configurations: nothing sensible left to do */
        }
        id = rh->max_id + 1;
    }
    if (rh_config_reserve(rh, 1, 0) != 0) {
        free(org);
        return SMAC_ERR_NOMEM;
    }
    /* Nothing below can fail: every array and table has room. */
    int pos = (int)rh->cfgs.len;
    size_t p = (size_t)rh->n_params;
    rh_config c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.origin = org;
    c.cost = NAN;
    c.min_cost = NAN;
    rh->cfgs.items[rh->cfgs.len++] = c;
    rh->cfg_ids.items[rh->cfg_ids.len++] = id;
    if (p) {
        memcpy(rh->keys.items + rh->keys.len, key, p * sizeof *key);
        memcpy(rh->vecs.items + rh->vecs.len, vec, p * sizeof *vec);
        rh->keys.len += p;
        rh->vecs.len += p;
    }
    rh_table_insert(&rh->cfg_by_key, key_hash(key, rh->n_params), pos);
    rh_table_insert(&rh->cfg_by_id, id_hash(id), pos);
    if (id > rh->max_id)
        rh->max_id = id;
    return pos;
}

void rh_config_free_all(smac_runhistory *rh)
{
    for (size_t i = 0; i < rh->cfgs.len; i++) {
        free(rh->cfgs.items[i].origin);
        SMAC_VEC_FREE(&rh->cfgs.items[i].isb);
        SMAC_VEC_FREE(&rh->cfgs.items[i].isb_pair);
    }
    SMAC_VEC_FREE(&rh->cfgs);
    SMAC_VEC_FREE(&rh->cfg_ids);
    SMAC_VEC_FREE(&rh->keys);
    SMAC_VEC_FREE(&rh->vecs);
    rh_table_free(&rh->cfg_by_key);
    rh_table_free(&rh->cfg_by_id);
    for (size_t i = 0; i < rh->inst_names.len; i++)
        free(rh->inst_names.items[i]);
    SMAC_VEC_FREE(&rh->inst_names);
    rh_table_free(&rh->inst_by_name);
}

/* ------------------------------------------------------------ public */

int smac_rh_intern_config(smac_runhistory *rh, const double *vec, const char *origin, int *id)
{
    if (!rh || !vec || !id)
        return SMAC_ERR_INVALID;
    double stack_key[64];
    double *key = rh->n_params <= 64 ? stack_key : malloc((size_t)rh->n_params * sizeof *key);
    if (!key)
        return SMAC_ERR_NOMEM;
    rh_config_key(rh, vec, key);
    int pos = rh_config_find_key(rh, key), rc = 0;
    if (pos < 0) {
        pos = rh_config_add(rh, key, vec, origin, 0);
        rc = pos < 0 ? pos : 1;
    }
    if (key != stack_key)
        free(key);
    if (pos >= 0)
        *id = rh->cfgs.items[pos].id;
    return rc;
}

int smac_rh_find_config(const smac_runhistory *rh, const double *vec)
{
    if (!rh || !vec)
        return 0;
    double stack_key[64];
    double *key = rh->n_params <= 64 ? stack_key : malloc((size_t)rh->n_params * sizeof *key);
    if (!key)
        return 0;
    rh_config_key(rh, vec, key);
    int pos = rh_config_find_key(rh, key);
    if (key != stack_key)
        free(key);
    return pos < 0 ? 0 : rh->cfgs.items[pos].id;
}

int smac_rh_n_configs(const smac_runhistory *rh) { return rh ? (int)rh->cfgs.len : 0; }
const int *smac_rh_config_ids(const smac_runhistory *rh) { return rh ? rh->cfg_ids.items : NULL; }
int smac_rh_max_config_id(const smac_runhistory *rh) { return rh ? rh->max_id : 0; }

const double *smac_rh_config(const smac_runhistory *rh, int id)
{
    int pos = rh ? rh_config_index(rh, id) : -1;
    if (pos < 0)
        return NULL;
    static const double no_params[1] = {0.0}; /* a space without parameters still has configs */
    return rh->n_params ? rh->vecs.items + (size_t)pos * (size_t)rh->n_params : no_params;
}

const char *smac_rh_config_origin(const smac_runhistory *rh, int id)
{
    int pos = rh ? rh_config_index(rh, id) : -1;
    return pos < 0 ? NULL : rh->cfgs.items[pos].origin;
}

/* ---------------------------------------------------------- instances */

typedef struct name_key {
    const char *s;
    size_t n;
} name_key;

static int name_eq(const void *ctx, int32_t idx, const void *key)
{
    const smac_runhistory *rh = ctx;
    const name_key *k = key;
    const char *have = rh->inst_names.items[idx];
    return strncmp(have, k->s, k->n) == 0 && have[k->n] == '\0';
}

static int instance_lookup(const smac_runhistory *rh, const char *s, size_t n, uint32_t *h)
{
    name_key k = {s, n};
    *h = rh_hash_bytes(s, n);
    return rh_table_find(&rh->inst_by_name, *h, name_eq, rh, &k);
}

int rh_instance_intern(smac_runhistory *rh, const char *s, size_t n, int *index)
{
    uint32_t h;
    int pos = instance_lookup(rh, s, n, &h);
    if (pos >= 0) {
        *index = pos;
        return 0;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return SMAC_ERR_NOMEM;
    memcpy(copy, s, n);
    copy[n] = '\0';
    if (SMAC_VEC_RESERVE(&rh->inst_names, rh->inst_names.len + 1) != 0 ||
        rh_table_reserve(&rh->inst_by_name, rh->inst_names.len + 1) != 0) {
        free(copy);
        return SMAC_ERR_NOMEM;
    }
    pos = (int)rh->inst_names.len;
    rh->inst_names.items[rh->inst_names.len++] = copy;
    rh_table_insert(&rh->inst_by_name, h, pos);
    *index = pos;
    return 0;
}

int smac_rh_intern_instance(smac_runhistory *rh, const char *name, int *index)
{
    if (!rh || !index)
        return SMAC_ERR_INVALID;
    if (!name) {
        *index = -1;
        return 0;
    }
    return rh_instance_intern(rh, name, strlen(name), index);
}

int smac_rh_find_instance(const smac_runhistory *rh, const char *name)
{
    if (!name)
        return -1;
    if (!rh)
        return -2;
    uint32_t h;
    int pos = instance_lookup(rh, name, strlen(name), &h);
    return pos < 0 ? -2 : pos;
}

const char *smac_rh_instance_name(const smac_runhistory *rh, int index)
{
    if (!rh || index < 0 || (size_t)index >= rh->inst_names.len)
        return NULL;
    return rh->inst_names.items[index];
}

int smac_rh_n_instances(const smac_runhistory *rh) { return rh ? (int)rh->inst_names.len : 0; }
