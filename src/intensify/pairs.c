/*
 * (instance, seed, budget) pair sets for racing (spec algorithms.md §4.2):
 * which instance the incumbent runs on next, which pairs a challenger still
 * needs, the incumbent's summed cost on them and the adaptive-capping cutoff.
 *
 * Pairs come from the run history (smac_rh_config_runs: counted runs only,
 * highest budget per pair). SMAC3 uses Python sets here; where it sorts we
 * sort the same way (instance name, seed, budget) so that the intensifier's
 * generator is the only source of order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intensify/intensify_internal.h"

int intens_pair_eq(smac_rh_isb a, smac_rh_isb b)
{
    return a.instance == b.instance && a.seed == b.seed && a.budget == b.budget;
}

int intens_pairs_contains(const smac_rh_isb *p, size_t n, smac_rh_isb x)
{
    for (size_t i = 0; i < n; i++)
        if (intens_pair_eq(p[i], x))
            return 1;
    return 0;
}

/* Numeric order, only for membership tests by binary search. */
static int cmp_key(const void *pa, const void *pb)
{
    const smac_rh_isb *a = pa, *b = pb;
    if (a->instance != b->instance)
        return a->instance < b->instance ? -1 : 1;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->budget != b->budget)
        return a->budget < b->budget ? -1 : 1;
    return 0;
}

int intens_set_build(intens_pairs *set, const smac_rh_isb *a, size_t na, const smac_rh_isb *b, size_t nb)
{
    set->len = 0;
    if (SMAC_VEC_RESERVE(set, na + nb) != 0)
        return SMAC_ERR_NOMEM;
    if (na && a != set->items)
        memmove(set->items, a, na * sizeof *a);
    if (nb)
        memcpy(set->items + na, b, nb * sizeof *b);
    set->len = na + nb;
    if (set->len > 1)
        qsort(set->items, set->len, sizeof *set->items, cmp_key);
    return 0;
}

int intens_set_contains(const intens_pairs *set, smac_rh_isb x)
{
    return set->len && bsearch(&x, set->items, set->len, sizeof x, cmp_key) != NULL;
}

int intens_inc_available(smac_intensifier *it, int inc, const smac_rh_isb *extra, size_t n_extra)
{
    size_t n_pairs = 0;
    const smac_rh_isb *pairs = smac_rh_config_runs(it->rh, inc, &n_pairs);
    /* counts[index + 1]: index -1 (no instance) has a slot too. */
    size_t slots = (size_t)smac_rh_n_instances(it->rh) + 1;
    if (SMAC_VEC_RESERVE(&it->counts, slots) != 0)
        return SMAC_ERR_NOMEM;
    memset(it->counts.items, 0, slots * sizeof *it->counts.items);
    it->counts.len = slots;
    int max_runs = 0;
    for (size_t k = 0; k < n_pairs + n_extra; k++) {
        /* A run in flight whose pair has a result already (a pSMAC peer's) counts once. */
        if (k >= n_pairs && intens_pairs_contains(pairs, n_pairs, extra[k - n_pairs]))
            continue;
        int inst = k < n_pairs ? pairs[k].instance : extra[k - n_pairs].instance;
        if (inst + 1 < 0 || (size_t)(inst + 1) >= slots)
            continue;
        int c = ++it->counts.items[inst + 1];
        if (c > max_runs)
            max_runs = c;
    }
    it->avail.len = 0;
    if (SMAC_VEC_RESERVE(&it->avail, (size_t)it->n_inst) != 0)
        return SMAC_ERR_NOMEM;
    /* Instances run as often as the most-run one are used up for now. */
    for (int i = 0; i < it->n_inst; i++) {
        int inst = it->inst_sorted[i];
        if (max_runs == 0 || it->counts.items[inst + 1] != max_runs)
            it->avail.items[it->avail.len++] = inst;
    }
    if (it->avail.len == 0 && !it->o.deterministic) {
        for (int i = 0; i < it->n_inst; i++)
            it->avail.items[it->avail.len++] = it->inst[i];
    }
    return 0;
}

smac_rh_isb intens_draw_inc_run(smac_intensifier *it, const int *avail, size_t n_avail)
{
    smac_rh_isb r;
    r.instance = avail[smac_rng_below(&it->rng, n_avail)];
    r.seed = it->o.deterministic ? 0 : (int64_t)smac_rng_below(&it->rng, (uint64_t)INTENS_MAXINT);
    r.budget = 0.0;
    return r;
}

typedef struct named_pair {
    const char *name;
    smac_rh_isb p;
} named_pair;

/* Python's sort of (instance, seed, budget) tuples; "no instance" first. */
static int cmp_named(const void *pa, const void *pb)
{
    const named_pair *a = pa, *b = pb;
    if (a->name != b->name) {
        if (!a->name)
            return -1;
        if (!b->name)
            return 1;
        int c = strcmp(a->name, b->name);
        if (c)
            return c;
    }
    if (a->p.seed != b->p.seed)
        return a->p.seed < b->p.seed ? -1 : 1;
    if (a->p.budget != b->p.budget)
        return a->p.budget < b->p.budget ? -1 : 1;
    return 0;
}

int intens_instances_to_run(smac_intensifier *it, int inc, int chal, int N, const smac_rh_isb *exclude,
                            size_t n_exclude, intens_pairs *to_run, double *inc_sum_cost)
{
    size_t n_inc = 0, n_chal = 0;
    const smac_rh_isb *inc_pairs = smac_rh_config_runs(it->rh, inc, &n_inc);
    const smac_rh_isb *chal_pairs = smac_rh_config_runs(it->rh, chal, &n_chal);

    /* What the challenger has (or has in flight), sorted for lookups. */
    intens_pairs *have = &it->tmp_b;
    if (intens_set_build(have, chal_pairs, n_chal, exclude, n_exclude) != 0)
        return SMAC_ERR_NOMEM;

    named_pair *missing = malloc((n_inc ? n_inc : 1) * sizeof *missing);
    if (!missing)
        return SMAC_ERR_NOMEM;
    size_t n_missing = 0;
    for (size_t i = 0; i < n_inc; i++) {
        if (intens_set_contains(have, inc_pairs[i]))
            continue;
        missing[n_missing].name = smac_rh_instance_name(it->rh, inc_pairs[i].instance);
        missing[n_missing].p = inc_pairs[i];
        n_missing++;
    }
    if (n_missing > 1)
        qsort(missing, n_missing, sizeof *missing, cmp_named);
    /* numpy's shuffle: Fisher-Yates from the back. */
    for (size_t i = n_missing; i > 1; i--) {
        size_t j = (size_t)smac_rng_below(&it->rng, (uint64_t)i);
        named_pair t = missing[i - 1];
        missing[i - 1] = missing[j];
        missing[j] = t;
    }
    size_t take = (size_t)(N < 0 ? 0 : N);
    if (take > n_missing)
        take = n_missing;
    to_run->len = 0;
    if (SMAC_VEC_RESERVE(to_run, take) != 0) {
        free(missing);
        return SMAC_ERR_NOMEM;
    }
    for (size_t i = 0; i < take; i++)
        to_run->items[to_run->len++] = missing[i].p;

    /* The incumbent's cost on the pairs the challenger will have after this
     * batch: its pairs minus the missing ones left for later. */
    intens_pairs *rest = &it->tmp_c;
    rest->len = 0;
    if (SMAC_VEC_RESERVE(rest, n_missing - take) != 0) {
        free(missing);
        return SMAC_ERR_NOMEM;
    }
    for (size_t i = take; i < n_missing; i++)
        rest->items[rest->len++] = missing[i].p;
    free(missing);
    if (intens_set_build(rest, rest->items, rest->len, NULL, 0) != 0)
        return SMAC_ERR_NOMEM;
    intens_pairs *keys = &it->tmp_a;
    keys->len = 0;
    if (SMAC_VEC_RESERVE(keys, n_inc) != 0)
        return SMAC_ERR_NOMEM;
    for (size_t i = 0; i < n_inc; i++)
        if (!intens_set_contains(rest, inc_pairs[i]))
            keys->items[keys->len++] = inc_pairs[i];
    *inc_sum_cost = smac_rh_sum_cost(it->rh, inc, keys->items, keys->len);
    return 0;
}

double intens_adapted_cutoff(smac_intensifier *it, int chal, double inc_sum_cost)
{
    size_t n = 0;
    const smac_rh_isb *pairs = smac_rh_config_runs(it->rh, chal, &n);
    double chal_sum = smac_rh_sum_cost(it->rh, chal, pairs, n);
    double x = inc_sum_cost * it->o.slack - chal_sum;
    /* Python's min(cutoff, x): x only if strictly smaller (NaN keeps the cutoff). */
    return x < it->o.cutoff ? x : it->o.cutoff;
}
