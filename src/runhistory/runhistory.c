/*
 * Runs, SMAC3 v1.1's add rules and the cached per-configuration aggregates
 * (spec algorithms.md §1).
 *
 * Invariants:
 *   - runs are never removed; a replaced run keeps its position (SMAC3's
 *     OrderedDict assignment), so the file order is first-insertion order;
 *   - a run "counts" (origin INTERNAL or EXTERNAL_SAME, status neither
 *     CAPPED nor RUNNING) exactly when it sits in its pair's run list;
 *   - a pair is listed in its configuration's isb list exactly while it has
 *     counted runs, with the budget of its highest-budget run;
 *   - cfg.cost is the mean over listed pairs of the cost at the pair's
 *     highest budget, cfg.min_cost the minimum over all counted runs.
 * The common case, a run on a new (instance, seed) pair, updates the mean
 * with SMAC3's running-mean formula in O(1). Anything else (a replaced
 * counted run, a new highest budget, a run that stops counting) recomputes
 * the configuration's aggregates from its own pairs, which also repairs
 * v1.1's double counting of forced overwrites (the spec's recommendation).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runhistory/rh_internal.h"

void smac_rh_options_init(smac_rh_options *o)
{
    if (!o)
        return;
    o->run_obj_runtime = 0;
    o->par_factor = 10.0;
    o->cutoff = INFINITY;
    o->cost_for_crash = 2147483647.0;
}

smac_runhistory *smac_runhistory_new(const smac_cs *cs, const smac_rh_options *o)
{
    if (!cs)
        return NULL;
    smac_runhistory *rh = calloc(1, sizeof *rh);
    if (!rh)
        return NULL;
    rh->cs = cs;
    if (o)
        rh->opts = *o;
    else
        smac_rh_options_init(&rh->opts);
    rh->n_params = smac_cs_n_params(cs);
    return rh;
}

void smac_runhistory_free(smac_runhistory *rh)
{
    if (!rh)
        return;
    for (size_t i = 0; i < rh->runs.len; i++)
        rh_info_release(rh->runs.items[i].pub.value.additional_info);
    SMAC_VEC_FREE(&rh->runs);
    rh_table_free(&rh->run_by_key);
    for (size_t i = 0; i < rh->pairs.len; i++)
        SMAC_VEC_FREE(&rh->pairs.items[i].more);
    SMAC_VEC_FREE(&rh->pairs);
    rh_table_free(&rh->pair_by_key);
    rh_config_free_all(rh);
    free(rh);
}

const smac_cs *smac_rh_space(const smac_runhistory *rh) { return rh ? rh->cs : NULL; }
const smac_rh_options *smac_rh_get_options(const smac_runhistory *rh) { return rh ? &rh->opts : NULL; }

/* ------------------------------------------------------------ lookups */

typedef struct run_key {
    int cfg;
    int instance;
    int64_t seed;
    double budget;
} run_key;

static uint32_t run_hash(const run_key *k)
{
    uint64_t h = rh_mix64((uint64_t)(uint32_t)k->cfg * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uint32_t)k->instance);
    h = rh_mix64(h ^ (uint64_t)k->seed);
    return rh_fold(h ^ rh_double_bits(k->budget));
}

static int run_eq(const void *ctx, int32_t idx, const void *key)
{
    const rh_run *r = &((const smac_runhistory *)ctx)->runs.items[idx];
    const run_key *k = key;
    return r->cfg == k->cfg && r->pub.instance == k->instance && r->pub.seed == k->seed &&
           r->pub.budget == k->budget;
}

static uint32_t pair_hash(int cfg, int instance, int64_t seed)
{
    uint64_t h = rh_mix64((uint64_t)(uint32_t)cfg * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uint32_t)instance);
    return rh_fold(h ^ (uint64_t)seed);
}

static int pair_eq(const void *ctx, int32_t idx, const void *key)
{
    const rh_pair *p = &((const smac_runhistory *)ctx)->pairs.items[idx];
    const run_key *k = key;
    return p->cfg == k->cfg && p->instance == k->instance && p->seed == k->seed;
}

static int find_run(const smac_runhistory *rh, const run_key *k)
{
    return rh_table_find(&rh->run_by_key, run_hash(k), run_eq, rh, k);
}

static int counts(smac_rh_origin origin, smac_status status)
{
    return origin != SMAC_RH_EXTERNAL_DIFFERENT && status != SMAC_STATUS_CAPPED &&
           status != SMAC_STATUS_RUNNING;
}

/* --------------------------------------------------------- aggregates */

static double run_cost(const smac_runhistory *rh, int r) { return rh->runs.items[r].pub.value.cost; }

/* numpy's min: NaN as soon as one value is NaN. */
static double min_with(double m, double x) { return (isnan(m) || isnan(x)) ? NAN : (x < m ? x : m); }

static void recompute(smac_runhistory *rh, int cfg)
{
    rh_config *c = &rh->cfgs.items[cfg];
    size_t n = c->isb.len;
    if (n == 0) {
        c->cost = NAN;
        c->min_cost = NAN;
        return;
    }
    double sum = 0.0, mn = INFINITY;
    for (size_t k = 0; k < n; k++) {
        const rh_pair *p = &rh->pairs.items[c->isb_pair.items[k]];
        sum += run_cost(rh, p->max_run);
        for (int j = 0; j < p->n_runs; j++)
            mn = min_with(mn, run_cost(rh, rh_pair_run(p, j)));
    }
    c->cost = sum / (double)n;
    c->min_cost = mn;
}

/* Makes sure counting run r cannot fail: room for a new pair, for one more
 * run in the pair and one more listed pair in the configuration. Returns the
 * existing pair (or -1 when a new one will be made) through *pair. */
static int count_reserve(smac_runhistory *rh, int cfg, int instance, int64_t seed, int *pair)
{
    run_key k = {cfg, instance, seed, 0.0};
    int p = rh_table_find(&rh->pair_by_key, pair_hash(cfg, instance, seed), pair_eq, rh, &k);
    rh_config *c = &rh->cfgs.items[cfg];
    if (SMAC_VEC_RESERVE(&c->isb, c->isb.len + 1) || SMAC_VEC_RESERVE(&c->isb_pair, c->isb_pair.len + 1))
        return SMAC_ERR_NOMEM;
    if (p < 0) {
        if (SMAC_VEC_RESERVE(&rh->pairs, rh->pairs.len + 1) ||
            rh_table_reserve(&rh->pair_by_key, rh->pairs.len + 1))
            return SMAC_ERR_NOMEM;
    } else if (rh->pairs.items[p].n_runs > 0 &&
               SMAC_VEC_RESERVE(&rh->pairs.items[p].more, (size_t)rh->pairs.items[p].n_runs)) {
        return SMAC_ERR_NOMEM;
    }
    *pair = p;
    return 0;
}

/* Counts run r (after count_reserve said `pair`); cannot fail. */
static void count_apply(smac_runhistory *rh, int r, int pair)
{
    rh_run *run = &rh->runs.items[r];
    int cfg = run->cfg;
    if (pair < 0) {
        rh_pair np;
        memset(&np, 0, sizeof np);
        np.cfg = cfg;
        np.instance = run->pub.instance;
        np.seed = run->pub.seed;
        np.pos = -1;
        np.max_run = -1;
        pair = (int)rh->pairs.len;
        rh->pairs.items[rh->pairs.len++] = np;
        rh_table_insert(&rh->pair_by_key, pair_hash(cfg, np.instance, np.seed), pair);
    }
    rh_pair *p = &rh->pairs.items[pair];
    rh_config *c = &rh->cfgs.items[cfg];
    if (p->n_runs == 0)
        p->run0 = r;
    else
        p->more.items[p->more.len++] = r;
    p->n_runs++;
    run->pair = pair;
    double x = run->pub.value.cost;
    if (p->pos < 0) {
        /* A new pair: SMAC3's running mean. */
        size_t n = c->isb.len;
        p->pos = (int)n;
        p->max_run = r;
        smac_rh_isb e = {p->instance, p->seed, run->pub.budget};
        c->isb.items[c->isb.len++] = e;
        c->isb_pair.items[c->isb_pair.len++] = pair;
        if (n == 0) {
            c->cost = x;
            c->min_cost = x;
        } else {
            c->cost = (c->cost * (double)n + x) / (double)(n + 1);
            c->min_cost = min_with(c->min_cost, x);
        }
    } else if (run->pub.budget > rh->runs.items[p->max_run].pub.budget) {
        p->max_run = r;
        c->isb.items[p->pos].budget = run->pub.budget;
        recompute(rh, cfg);
    } else {
        c->min_cost = min_with(c->min_cost, x); /* the pair's highest budget is unchanged */
    }
}

/* Run r stops counting (a forced CAPPED/RUNNING value, or a warm-start
 * origin, replaced a counted one). */
static void uncount(smac_runhistory *rh, int r)
{
    rh_run *run = &rh->runs.items[r];
    rh_pair *p = &rh->pairs.items[run->pair];
    rh_config *c = &rh->cfgs.items[run->cfg];
    /* Drop r from the pair's runs, keeping the order of the others. */
    int j = 0;
    while (j < p->n_runs && rh_pair_run(p, j) != r)
        j++;
    if (j == 0 && p->n_runs > 1)
        p->run0 = p->more.items[0];
    size_t from = j == 0 ? 0 : (size_t)j - 1;
    if (p->more.len > from) {
        memmove(p->more.items + from, p->more.items + from + 1, (p->more.len - from - 1) * sizeof *p->more.items);
        p->more.len--;
    }
    p->n_runs--;
    run->pair = -1;
    if (p->n_runs == 0) {
        size_t pos = (size_t)p->pos, tail = c->isb.len - pos - 1;
        memmove(c->isb.items + pos, c->isb.items + pos + 1, tail * sizeof *c->isb.items);
        memmove(c->isb_pair.items + pos, c->isb_pair.items + pos + 1, tail * sizeof *c->isb_pair.items);
        c->isb.len--;
        c->isb_pair.len--;
        for (size_t k = pos; k < c->isb.len; k++)
            rh->pairs.items[c->isb_pair.items[k]].pos = (int)k;
        p->pos = -1;
        p->max_run = -1;
    } else if (p->max_run == r) {
        int best = p->run0;
        for (int k = 1; k < p->n_runs; k++)
            if (rh->runs.items[rh_pair_run(p, k)].pub.budget > rh->runs.items[best].pub.budget)
                best = rh_pair_run(p, k);
        p->max_run = best;
        c->isb.items[p->pos].budget = rh->runs.items[best].pub.budget;
    }
    recompute(rh, run->cfg);
}

/* ---------------------------------------------------------- add rules */

int rh_config_reserve_pairs(smac_runhistory *rh, int cfg, size_t n)
{
    rh_config *c = &rh->cfgs.items[cfg];
    if (SMAC_VEC_RESERVE(&c->isb, c->isb.len + n) || SMAC_VEC_RESERVE(&c->isb_pair, c->isb_pair.len + n))
        return SMAC_ERR_NOMEM;
    return 0;
}

int rh_runs_reserve(smac_runhistory *rh, size_t n)
{
    if (SMAC_VEC_RESERVE(&rh->runs, rh->runs.len + n) || rh_table_reserve(&rh->run_by_key, rh->runs.len + n) ||
        SMAC_VEC_RESERVE(&rh->pairs, rh->pairs.len + n) || rh_table_reserve(&rh->pair_by_key, rh->pairs.len + n))
        return SMAC_ERR_NOMEM;
    return 0;
}

static int should_replace(const smac_run_value *old, smac_status status, double cost, int force)
{
    if (force)
        return 1;
    if (old->status == SMAC_STATUS_RUNNING && status != SMAC_STATUS_RUNNING)
        return 1; /* a placeholder takes the final result (parallel.md §1.4 repaired) */
    if (old->status == SMAC_STATUS_CAPPED && status != SMAC_STATUS_CAPPED)
        return 1;
    return old->status == SMAC_STATUS_CAPPED && status == SMAC_STATUS_CAPPED && cost > old->cost;
}

int rh_add_run(smac_runhistory *rh, int cfg, int instance, int64_t seed, double budget, double cost,
               double time, smac_status status, double start, double end, char *info, unsigned ints,
               smac_rh_origin origin, int force)
{
    run_key k = {cfg, instance, seed, budget == 0.0 ? 0.0 : budget};
    int r = find_run(rh, &k);
    int now_counts = counts(origin, status), pair = -1;
    if (r >= 0) {
        rh_run *run = &rh->runs.items[r];
        if (!should_replace(&run->pub.value, status, cost, force)) {
            rh_info_release(info);
            return 0;
        }
        int was_counted = run->pair >= 0;
        if (now_counts && !was_counted && count_reserve(rh, cfg, instance, seed, &pair) != 0) {
            rh_info_release(info);
            return SMAC_ERR_NOMEM;
        }
        run = &rh->runs.items[r];
        rh_info_release(run->pub.value.additional_info);
        run->pub.value = (smac_run_value){cost, time, status, start, end, info};
        run->pub.origin = origin;
        run->ints = ints;
        if (was_counted && now_counts)
            recompute(rh, cfg); /* same pair, same budget: only the value changed */
        else if (was_counted)
            uncount(rh, r);
        else if (now_counts)
            count_apply(rh, r, pair);
        return 1;
    }
    if (SMAC_VEC_RESERVE(&rh->runs, rh->runs.len + 1) || rh_table_reserve(&rh->run_by_key, rh->runs.len + 1) ||
        (now_counts && count_reserve(rh, cfg, instance, seed, &pair) != 0)) {
        rh_info_release(info);
        return SMAC_ERR_NOMEM;
    }
    r = (int)rh->runs.len;
    rh_run *run = &rh->runs.items[rh->runs.len++];
    memset(run, 0, sizeof *run);
    run->cfg = cfg;
    run->pair = -1;
    run->pub.config_id = rh->cfgs.items[cfg].id;
    run->pub.instance = instance;
    run->pub.instance_name = instance >= 0 ? rh->inst_names.items[instance] : NULL;
    run->pub.seed = seed;
    run->pub.budget = k.budget;
    run->pub.value = (smac_run_value){cost, time, status, start, end, info};
    run->pub.origin = origin;
    run->ints = ints;
    rh_table_insert(&rh->run_by_key, run_hash(&k), r);
    if (now_counts)
        count_apply(rh, r, pair);
    return 1;
}

static int integral(double x) { return isfinite(x) && x == floor(x) && fabs(x) < 9.0e18; }

/* SMAC3's runner (formats.md §5.3) makes the cost of an unsuccessful run of a
 * runtime scenario the int par_factor * ceil(cutoff), and clamps a runtime
 * above it to that same int: those numbers are ints in its files. */
static unsigned infer_ints(const smac_runhistory *rh, const smac_run_value *v)
{
    if (!rh->opts.run_obj_runtime || v->status == SMAC_STATUS_SUCCESS || v->status == SMAC_STATUS_RUNNING ||
        !integral(v->cost))
        return 0;
    unsigned ints = RH_INT_COST;
    if ((v->status == SMAC_STATUS_TIMEOUT || v->status == SMAC_STATUS_CAPPED) && v->time == v->cost)
        ints |= RH_INT_TIME;
    return ints;
}

int smac_rh_add(smac_runhistory *rh, int config_id, const char *instance, int64_t seed, double budget,
                const smac_run_value *v, int external, int force_update, smac_error *err)
{
    if (!rh || !v)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history add: no history or no run value");
    int cfg = rh_config_index(rh, config_id);
    if (cfg < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history add: unknown config id %d", config_id);
    if (!smac_status_name(v->status))
        return smac_error_set(err, SMAC_ERR_INVALID, "run history add: status %d is not a StatusType",
                              (int)v->status);
    if (isnan(budget))
        return smac_error_set(err, SMAC_ERR_INVALID, "run history add: the budget is NaN");
    if (external < SMAC_RH_INTERNAL || external > SMAC_RH_EXTERNAL_DIFFERENT)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history add: unknown origin %d", external);
    char *info = NULL;
    if (v->additional_info) {
        int rc = rh_info_canonical(v->additional_info, strlen(v->additional_info), &info, err);
        if (rc != 0)
            return rc;
    }
    int inst = -1;
    if (instance && rh_instance_intern(rh, instance, strlen(instance), &inst) != 0) {
        rh_info_release(info);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    int rc = rh_add_run(rh, cfg, inst, seed, budget, v->cost, v->time, v->status, v->starttime, v->endtime,
                        info, infer_ints(rh, v), (smac_rh_origin)external, force_update);
    if (rc < 0)
        return smac_error_set(err, rc, "out of memory");
    return rc;
}

/* ------------------------------------------------------------ queries */

size_t smac_rh_size(const smac_runhistory *rh) { return rh ? rh->runs.len : 0; }

const smac_rh_run *smac_rh_run_at(const smac_runhistory *rh, size_t i)
{
    return rh && i < rh->runs.len ? &rh->runs.items[i].pub : NULL;
}

const smac_rh_run *smac_rh_find_idx(const smac_runhistory *rh, int config_id, int instance_index,
                                    int64_t seed, double budget)
{
    if (!rh)
        return NULL;
    run_key k = {rh_config_index(rh, config_id), instance_index, seed, budget};
    if (k.cfg < 0 || instance_index < -1)
        return NULL;
    int r = find_run(rh, &k);
    return r < 0 ? NULL : &rh->runs.items[r].pub;
}

const smac_rh_run *smac_rh_find(const smac_runhistory *rh, int config_id, const char *instance,
                                int64_t seed, double budget)
{
    int inst = smac_rh_find_instance(rh, instance);
    return inst < -1 ? NULL : smac_rh_find_idx(rh, config_id, inst, seed, budget);
}

static const rh_config *config_of(const smac_runhistory *rh, int id)
{
    int pos = rh ? rh_config_index(rh, id) : -1;
    return pos < 0 ? NULL : &rh->cfgs.items[pos];
}

double smac_rh_cost(const smac_runhistory *rh, int id)
{
    const rh_config *c = config_of(rh, id);
    return c ? c->cost : NAN;
}

double smac_rh_min_cost(const smac_runhistory *rh, int id)
{
    const rh_config *c = config_of(rh, id);
    return c ? c->min_cost : NAN;
}

int smac_rh_n_runs(const smac_runhistory *rh, int id)
{
    const rh_config *c = config_of(rh, id);
    return c ? (int)c->isb.len : 0;
}

const smac_rh_isb *smac_rh_config_runs(const smac_runhistory *rh, int id, size_t *n)
{
    const rh_config *c = config_of(rh, id);
    if (n)
        *n = c ? c->isb.len : 0;
    return c && c->isb.len ? c->isb.items : NULL;
}

size_t smac_rh_config_runs_all(const smac_runhistory *rh, int id, smac_rh_isb *out, size_t cap)
{
    const rh_config *c = config_of(rh, id);
    if (!c)
        return 0;
    size_t total = 0;
    for (size_t k = 0; k < c->isb.len; k++) {
        const rh_pair *p = &rh->pairs.items[c->isb_pair.items[k]];
        for (int j = 0; j < p->n_runs; j++, total++) {
            if (out && total < cap) {
                smac_rh_isb e = {p->instance, p->seed, rh->runs.items[rh_pair_run(p, j)].pub.budget};
                out[total] = e;
            }
        }
    }
    return total;
}

static int key_costs(const smac_runhistory *rh, int id, const smac_rh_isb *keys, size_t n, double *sum)
{
    *sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        const smac_rh_run *r = smac_rh_find_idx(rh, id, keys[i].instance, keys[i].seed, keys[i].budget);
        if (!r)
            return -1;
        *sum += r->value.cost;
    }
    return 0;
}

double smac_rh_average_cost(const smac_runhistory *rh, int id, const smac_rh_isb *keys, size_t n)
{
    double sum;
    if (n == 0 || !keys || key_costs(rh, id, keys, n, &sum) != 0)
        return NAN;
    return sum / (double)n;
}

double smac_rh_sum_cost(const smac_runhistory *rh, int id, const smac_rh_isb *keys, size_t n)
{
    double sum;
    if (n > 0 && (!keys || key_costs(rh, id, keys, n, &sum) != 0))
        return NAN;
    return n == 0 ? 0.0 : sum;
}

/* ------------------------------------------------------------- merging */

int smac_rh_merge(smac_runhistory *rh, const smac_runhistory *other, int external, int *n_new,
                  smac_error *err)
{
    if (n_new)
        *n_new = 0;
    if (!rh || !other)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history merge: no history");
    if (other->n_params != rh->n_params)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "run history merge: the spaces differ (%d and %d parameters)", other->n_params,
                              rh->n_params);
    if (external < SMAC_RH_INTERNAL || external > SMAC_RH_EXTERNAL_DIFFERENT)
        return smac_error_set(err, SMAC_ERR_INVALID, "run history merge: unknown origin %d", external);
    if (rh == other)
        return 0;
    /* Local position of each of other's configs, filled on first use. */
    int *local = malloc((other->cfgs.len + 1) * sizeof *local);
    if (!local)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < other->cfgs.len; i++)
        local[i] = -1;
    int stored = 0, rc = 0;
    for (size_t i = 0; i < other->runs.len && rc == 0; i++) {
        const rh_run *o = &other->runs.items[i];
        if (local[o->cfg] < 0) {
            const double *key = rh_key_at(other, o->cfg);
            int pos = rh_config_find_key(rh, key);
            if (pos < 0)
                pos = rh_config_add(rh, key, other->vecs.items + (size_t)o->cfg * (size_t)other->n_params,
                                    other->cfgs.items[o->cfg].origin, 0);
            if (pos < 0) {
                rc = pos;
                break;
            }
            local[o->cfg] = pos;
        }
        int inst = -1;
        const char *name = o->pub.instance_name;
        if (name && (rc = rh_instance_intern(rh, name, strlen(name), &inst)) != 0)
            break;
        char *info = o->pub.value.additional_info;
        if (info && info != rh_empty_object && !(info = strdup(info))) {
            rc = SMAC_ERR_NOMEM;
            break;
        }
        const smac_run_value *v = &o->pub.value;
        rc = rh_add_run(rh, local[o->cfg], inst, o->pub.seed, o->pub.budget, v->cost, v->time, v->status,
                        v->starttime, v->endtime, info, o->ints, (smac_rh_origin)external, 0);
        if (rc > 0)
            stored++;
        if (rc > 0)
            rc = 0;
    }
    free(local);
    if (n_new)
        *n_new = stored;
    if (rc < 0)
        return smac_error_set(err, rc, "out of memory while merging run histories");
    return 0;
}
