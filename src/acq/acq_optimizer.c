/*
 * The acquisition optimiser object and LocalAndSortedRandomSearch, SMAC's
 * default maximiser (algorithms.md §9.4). The two searches live in
 * random_search.c and local_search.c; this file owns their shared state and
 * glues them together.
 *
 * Why random results are listed first: while the forest still predicts a
 * constant, every value ties, and the stable sort then keeps the random
 * configurations ahead of the local-search ones -- so early challengers are
 * spread over the space instead of clustering around the start points.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "acq/acq_internal.h"
#include "util/error.h"

/* ------------------------------------------------------------- helpers */

int acq_grow(void **p, size_t *cap, size_t need, size_t size, smac_error *err)
{
    if (need == 0)
        need = 1; /* never hand out NULL, even for empty spaces or lists */
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory in the acquisition optimiser");
    *p = q;
    *cap = c;
    return 0;
}

double acq_clean(double v) { return isnan(v) ? -DBL_MAX : v; }

/* Best first: value descending, then key descending, then index. */
static inline int rank_before(const acq_rank *a, const acq_rank *b)
{
    if (a->value != b->value)
        return a->value > b->value;
    if (a->key != b->key)
        return a->key > b->key;
    return a->idx < b->idx;
}

static inline void rank_swap(acq_rank *a, acq_rank *b)
{
    acq_rank t = *a;
    *a = *b;
    *b = t;
}

static void rank_insertion_sort(acq_rank *r, int n)
{
    for (int i = 1; i < n; i++) {
        acq_rank x = r[i];
        int j = i;
        for (; j > 0 && rank_before(&x, &r[j - 1]); j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
}

static void rank_sift_down(acq_rank *r, int root, int n)
{
    for (;;) {
        int c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && rank_before(&r[c], &r[c + 1]))
            c++;
        if (!rank_before(&r[root], &r[c]))
            return;
        rank_swap(&r[root], &r[c]);
        root = c;
    }
}

/* Guard of the introsort below: worst case n log n whatever the values. */
static void rank_heap_sort(acq_rank *r, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        rank_sift_down(r, i, n);
    for (int end = n - 1; end > 0; end--) {
        rank_swap(&r[0], &r[end]);
        rank_sift_down(r, 0, end);
    }
}

static void rank_introsort(acq_rank *r, int n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            rank_heap_sort(r, n);
            return;
        }
        /* median of three to r[0], then Hoare partition around it */
        int m = n / 2;
        if (rank_before(&r[m], &r[0]))
            rank_swap(&r[m], &r[0]);
        if (rank_before(&r[n - 1], &r[0]))
            rank_swap(&r[n - 1], &r[0]);
        if (rank_before(&r[n - 1], &r[m]))
            rank_swap(&r[n - 1], &r[m]);
        rank_swap(&r[0], &r[m]);
        acq_rank pivot = r[0];
        int i = 0, j = n;
        for (;;) {
            do
                i++;
            while (i < n && rank_before(&r[i], &pivot));
            do
                j--;
            while (rank_before(&pivot, &r[j]));
            if (i >= j)
                break;
            rank_swap(&r[i], &r[j]);
        }
        rank_swap(&r[0], &r[j]);
        /* recurse into the smaller side, loop on the larger */
        if (j < n - j - 1) {
            rank_introsort(r, j, depth);
            r += j + 1;
            n -= j + 1;
        } else {
            rank_introsort(r + j + 1, n - j - 1, depth);
            n = j;
        }
    }
    rank_insertion_sort(r, n);
}

/* The order is total (the index breaks every tie), so the result does not
 * depend on the algorithm; this one avoids qsort's call per comparison,
 * which showed in profiles of the 10,000-point random search. */
void acq_rank_sort(acq_rank *r, int n)
{
    int depth = 0;
    for (int k = n; k > 1; k >>= 1)
        depth += 2;
    if (n > 1)
        rank_introsort(r, n, depth);
}

int acq_same_config(const double *a, const double *b, int n_params)
{
    for (int j = 0; j < n_params; j++) {
        if (a[j] == b[j])
            continue;
        if (isnan(a[j]) && isnan(b[j]))
            continue;
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- lists */

void smac_acq_list_init(smac_acq_list *l, int n_params)
{
    memset(l, 0, sizeof *l);
    l->n_params = n_params;
}

void smac_acq_list_free(smac_acq_list *l)
{
    free(l->configs);
    free(l->values);
    free(l->origins);
    int p = l->n_params;
    smac_acq_list_init(l, p);
}

void smac_acq_list_clear(smac_acq_list *l) { l->n = 0; }

int smac_acq_list_reserve(smac_acq_list *l, int n, smac_error *err)
{
    if (n <= l->cap)
        return 0;
    int c = l->cap ? l->cap : 16;
    while (c < n) {
        if (c > (1 << 29))
            return smac_error_set(err, SMAC_ERR_NOMEM, "acquisition list of %d entries is too large", n);
        c *= 2;
    }
    size_t rowlen = (size_t)(l->n_params > 0 ? l->n_params : 1);
    double *cf = realloc(l->configs, (size_t)c * rowlen * sizeof *cf);
    if (!cf)
        goto nomem;
    l->configs = cf;
    double *v = realloc(l->values, (size_t)c * sizeof *v);
    if (!v)
        goto nomem;
    l->values = v;
    const char **o = realloc(l->origins, (size_t)c * sizeof *o);
    if (!o)
        goto nomem;
    l->origins = o;
    l->cap = c;
    return 0;
nomem:
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory growing an acquisition list");
}

int smac_acq_list_push(smac_acq_list *l, const double *config, double value, const char *origin,
                       smac_error *err)
{
    int rc = smac_acq_list_reserve(l, l->n + 1, err);
    if (rc)
        return rc;
    memcpy(&l->configs[(size_t)l->n * l->n_params], config, (size_t)l->n_params * sizeof *config);
    l->values[l->n] = value;
    l->origins[l->n] = origin;
    l->n++;
    return 0;
}

/* ------------------------------------------------------------ optimiser */

void smac_acq_opt_options_default(smac_acq_opt_options *o)
{
    o->n_sls_iterations = 10;
    o->n_steps_plateau_walk = 10;
    o->min_obtain = 2;
    o->max_obtain = 64;
}

smac_acq_optimizer *smac_acq_optimizer_new(const smac_cs *cs, const smac_acq_opt_options *o,
                                           uint64_t seed, smac_rng *sample_rng, smac_error *err)
{
    if (!cs) {
        smac_error_set(err, SMAC_ERR_INVALID, "the acquisition optimiser needs a configuration space");
        return NULL;
    }
    smac_acq_opt_options opts;
    if (o)
        opts = *o;
    else
        smac_acq_opt_options_default(&opts);
    if (opts.n_sls_iterations < 0 || opts.n_steps_plateau_walk < 0 || opts.min_obtain < 1 ||
        opts.max_obtain < opts.min_obtain) {
        smac_error_set(err, SMAC_ERR_INVALID,
                       "invalid local-search options: n_sls_iterations %d and n_steps_plateau_walk %d "
                       "must be >= 0, 1 <= min_obtain %d <= max_obtain %d",
                       opts.n_sls_iterations, opts.n_steps_plateau_walk, opts.min_obtain,
                       opts.max_obtain);
        return NULL;
    }
    smac_acq_optimizer *opt = calloc(1, sizeof *opt);
    if (!opt) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory creating the acquisition optimiser");
        return NULL;
    }
    opt->cs = cs;
    opt->n_params = smac_cs_n_params(cs);
    opt->o = opts;
    smac_rng_seed(&opt->rng, seed, 0);
    smac_rng_seed(&opt->own_sample, seed, 1);
    opt->sample_rng = sample_rng ? sample_rng : &opt->own_sample;
    smac_acq_list_init(&opt->rs_list, opt->n_params);
    smac_acq_list_init(&opt->ls_list, opt->n_params);
    return opt;
}

void smac_acq_optimizer_free(smac_acq_optimizer *opt)
{
    if (!opt)
        return;
    free(opt->rows);
    free(opt->vals);
    free(opt->ranks);
    smac_acq_list_free(&opt->rs_list);
    smac_acq_list_free(&opt->ls_list);
    free(opt->cand);
    free(opt->plateau);
    free(opt->cand_val);
    free(opt->active);
    free(opt->n_plateau);
    free(opt->obtain);
    free(opt->pulled);
    free(opt->improved);
    free(opt->new_nb);
    free(opt->has_plateau);
    free(opt->n_moves);
    if (opt->nbs)
        for (int i = 0; i < opt->ls_cap; i++)
            smac_neighbourhood_free(opt->nbs[i]);
    free(opt->nbs);
    free(opt->nb_rows);
    free(opt->nb_vals);
    free(opt);
}

void smac_acq_last_local_search(const smac_acq_optimizer *opt, smac_acq_ls_stats *out)
{
    *out = opt->stats;
}

/* Both inputs are sorted best first; taking the random one on ties makes
 * this exactly a stable sort of (random ++ local). */
static int merge_sorted(const smac_acq_list *a, const smac_acq_list *b, smac_acq_list *out,
                        smac_error *err)
{
    smac_acq_list_clear(out);
    int rc = smac_acq_list_reserve(out, a->n + b->n, err);
    if (rc)
        return rc;
    size_t row = (size_t)out->n_params * sizeof(double);
    int i = 0, j = 0;
    while (i < a->n || j < b->n) {
        const smac_acq_list *src;
        int k;
        if (j >= b->n || (i < a->n && a->values[i] >= b->values[j])) {
            src = a;
            k = i++;
        } else {
            src = b;
            k = j++;
        }
        memcpy(&out->configs[(size_t)out->n * out->n_params], &src->configs[(size_t)k * src->n_params], row);
        out->values[out->n] = src->values[k];
        out->origins[out->n] = src->origins[k];
        out->n++;
    }
    return 0;
}

int smac_acq_maximize(smac_acq_optimizer *opt, const smac_acq_history *hist, int num_points,
                      smac_acq_eval_fn eval, void *ctx, smac_acq_list *out, smac_error *err)
{
    if (!eval)
        return smac_error_set(err, SMAC_ERR_INVALID, "acquisition maximisation needs an evaluation callback");
    if (out->n_params != opt->n_params)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "result list holds %d parameters, the space has %d", out->n_params,
                              opt->n_params);
    int rc = smac_acq_random_search(opt, num_points, 1, eval, ctx, &opt->rs_list, err);
    if (rc)
        return rc;
    rc = smac_acq_local_search(opt, hist, opt->o.n_sls_iterations, &opt->rs_list, eval, ctx,
                               &opt->ls_list, err);
    if (rc)
        return rc;
    return merge_sorted(&opt->rs_list, &opt->ls_list, out, err);
}
