/*
 * Forest prediction (spec algorithms.md §7.3, SMAC3 v1.1
 * RandomForestWithInstances._predict and predict_marginalized_over_instances).
 *
 * Every rule reduces a tree to one number per row, then takes the mean and a
 * variance over trees; the per-leaf pieces each rule needs were computed at
 * training (forest_leaf), so a plain prediction is one walk per tree.
 *
 * The instance-marginalised prediction pools, per tree, the leaf values of
 * (x, f_j) over all instances j. Which instances can reach a node through
 * the instance-feature splits above it does not depend on x, so each call
 * first counts, for every node, the instances that pass the feature splits
 * on its path (cost: the sum of those counts over nodes, once per call).
 * A row then walks each tree once: a configuration split goes one way, a
 * feature split both ways (where instances arrive), and a leaf contributes
 * its statistics times its count. No row ever touches an individual
 * instance.
 */
#include "model/forest_internal.h"

#include <math.h>
#include <stdlib.h>

#include "util/error.h"

#define VAR_FLOOR 1e-10

/* Running mean and sum of squared deviations (Welford) over trees. */
static inline void welford(double v, int t, double *mean, double *m2)
{
    double d = v - *mean;
    *mean += d / (double)(t + 1);
    *m2 += d * (v - *mean);
}

/* Rows walked through a tree side by side: their node loads are independent,
 * so the processor overlaps them instead of waiting on one path at a time. */
#define LANES 8

int smac_forest_predict(const smac_forest *f, const double *X, int n_rows, double *mean, double *var,
                        smac_error *err)
{
    if (!f || (n_rows > 0 && (!X || !mean)))
        return smac_error_set(err, SMAC_ERR_INVALID, "forest prediction: missing argument");
    if (f->n_trees == 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest prediction before training");
    int T = f->n_trees;
    int log_y = f->opt.log_y;
    size_t nc = (size_t)f->n_cols;
    for (int r0 = 0; r0 < n_rows; r0 += LANES) {
        int nl = n_rows - r0 < LANES ? n_rows - r0 : LANES;
        double mu[LANES] = { 0 }, m2[LANES] = { 0 };
        for (int t = 0; t < T; t++) {
            const forest_tree *tr = &f->trees[t];
            const forest_node *nodes = tr->nodes;
            int32_t idx[LANES] = { 0 };
            int moving = 1;
            while (moving) {
                moving = 0;
                for (int l = 0; l < nl; l++) {
                    const forest_node *nd = &nodes[idx[l]];
                    int c = nd->feature;
                    if (c < 0)
                        continue;
                    double v = X[(size_t)(r0 + l) * nc + (size_t)c];
                    idx[l] = nd->child + forest_goes_right(tr, nd, f->types[c], v);
                    moving = 1;
                }
            }
            for (int l = 0; l < nl; l++) {
                const forest_leaf *lf = &tr->leaves[nodes[idx[l]].child];
                welford(log_y ? lf->log_pred : lf->mean, t, &mu[l], &m2[l]);
            }
        }
        for (int l = 0; l < nl; l++) {
            mean[r0 + l] = mu[l];
            if (var) {
                /* pyrfr's predict_mean_var: sample variance of the tree means;
                 * SMAC's log_y path: numpy's var, i.e. population variance. */
                if (log_y)
                    var[r0 + l] = m2[l] / (double)T;
                else
                    var[r0 + l] = T > 1 ? m2[l] / (double)(T - 1) : 0.0;
            }
        }
    }
    return 0;
}

/* Pooled leaf values of one tree over a set of instances. */
typedef struct pool {
    double sum;     /* log_y off: sum of values */
    double max;     /* log_y on: values as max + log(sumexp) */
    double sumexp;
    double count;
} pool;

static inline void pool_add(pool *p, const forest_leaf *lf, int times)
{
    double c = (double)times;
    p->sum += c * lf->sum;
    p->count += c * (double)lf->n_values;
    if (lf->max > p->max) {
        p->sumexp = p->sumexp * exp(p->max - lf->max) + c * lf->sumexp;
        p->max = lf->max;
    } else {
        p->sumexp += c * lf->sumexp * exp(lf->max - p->max);
    }
}

typedef struct walk_item {
    int32_t node;
    int32_t lo, hi;  /* range of the instance index buffer */
} walk_item;

/* cnt[v] = instances (of idx[0, n_inst), reordered) whose features pass the
 * feature splits on the path to node v; configuration splits pass the whole
 * set to both children. cnt must be zeroed; `stack` holds depth + 2 items. */
static void count_instances(const forest_tree *t, const int *types, int n_cfg,
                            const double *features, int n_features, int32_t *idx, int n_inst,
                            walk_item *stack, int32_t *cnt)
{
    int sp = 0;
    stack[sp++] = (walk_item){ 0, 0, n_inst };
    while (sp > 0) {
        walk_item it = stack[--sp];
        const forest_node *nd = &t->nodes[it.node];
        cnt[it.node] = it.hi - it.lo;
        if (nd->feature < 0)
            continue;
        int c = nd->feature;
        if (c < n_cfg) {
            /* Either child may be taken, by the same instances. A sibling's
             * later reordering of idx[lo, hi) keeps the set the same. */
            stack[sp++] = (walk_item){ nd->child + 1, it.lo, it.hi };
            stack[sp++] = (walk_item){ nd->child, it.lo, it.hi };
            continue;
        }
        /* A feature split: left instances first, then right. */
        int fc = c - n_cfg;
        int32_t i = it.lo, j = it.hi;
        while (i < j) {
            double v = features[(size_t)idx[i] * (size_t)n_features + (size_t)fc];
            if (forest_goes_right(t, nd, types[c], v)) {
                int32_t tmp = idx[i];
                idx[i] = idx[--j];
                idx[j] = tmp;
            } else {
                i++;
            }
        }
        if (i < it.hi)
            stack[sp++] = (walk_item){ nd->child + 1, i, it.hi };
        if (i > it.lo)
            stack[sp++] = (walk_item){ nd->child, it.lo, i };
    }
}

/* Pools the leaves that (x, f_j) reach over all instances j, given the
 * per-node counts of count_instances. `stack` holds depth + 2 node indices. */
static void pool_tree(const forest_tree *t, const int *types, const double *x, int n_cfg,
                      const int32_t *cnt, int32_t *stack, pool *p)
{
    int sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
        int32_t v = stack[--sp];
        for (;;) {
            const forest_node *nd = &t->nodes[v];
            if (nd->feature < 0) {
                pool_add(p, &t->leaves[nd->child], cnt[v]);
                break;
            }
            int c = nd->feature;
            if (c < n_cfg) {
                /* Decided by the configuration: all instances go one way. */
                v = nd->child + forest_goes_right(t, nd, types[c], x[c]);
                continue;
            }
            /* Decided per instance: follow both children that instances reach. */
            int32_t l = nd->child, r = nd->child + 1;
            if (cnt[r] > 0)
                stack[sp++] = r;
            if (cnt[l] > 0) {
                v = l;
                continue;
            }
            break;
        }
    }
}

int smac_forest_predict_marginal(const smac_forest *f, const double *X, int n_rows,
                                 const double *features, int n_instances, int n_features,
                                 double *mean, double *var, smac_error *err)
{
    if (!f)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest prediction: missing argument");
    if (n_instances < 0 || n_features < 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "marginal prediction: negative instance or feature count");
    if (n_instances == 0) {
        int rc = smac_forest_predict(f, X, n_rows, mean, var, err);
        if (rc == 0 && var)
            for (int r = 0; r < n_rows; r++)
                if (!(var[r] >= VAR_FLOOR))
                    var[r] = VAR_FLOOR;
        return rc;
    }
    if (f->n_trees == 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest prediction before training");
    if (n_features > f->n_cols)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "marginal prediction: %d instance features but the forest has %d "
                              "columns",
                              n_features, f->n_cols);
    if (n_rows > 0 && (!X || !mean || !features))
        return smac_error_set(err, SMAC_ERR_INVALID, "forest prediction: missing argument");
    int n_cfg = f->n_cols - n_features;
    int T = f->n_trees;
    int max_depth = 0;
    for (int t = 0; t < T; t++)
        if (f->trees[t].depth > max_depth)
            max_depth = f->trees[t].depth;

    size_t total_nodes = 0;
    for (int t = 0; t < T; t++)
        total_nodes += (size_t)f->trees[t].n_nodes;
    int32_t *idx = malloc((size_t)n_instances * sizeof *idx);
    int32_t *cnt = calloc(total_nodes, sizeof *cnt);
    /* Depth-first with one pending sibling per level at most. */
    walk_item *stack = malloc(((size_t)max_depth + 2) * sizeof *stack);
    int32_t *nstack = malloc(((size_t)max_depth + 2) * sizeof *nstack);
    if (!idx || !cnt || !stack || !nstack) {
        free(idx);
        free(cnt);
        free(stack);
        free(nstack);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory in marginal prediction");
    }
    for (int j = 0; j < n_instances; j++)
        idx[j] = j;
    size_t off = 0;
    for (int t = 0; t < T; t++) {
        count_instances(&f->trees[t], f->types, n_cfg, features, n_features, idx, n_instances,
                        stack, cnt + off);
        off += (size_t)f->trees[t].n_nodes;
    }
    int log_y = f->opt.log_y;
    for (int r = 0; r < n_rows; r++) {
        const double *x = X + (size_t)r * (size_t)n_cfg;
        double mu = 0.0, m2 = 0.0;
        off = 0;
        for (int t = 0; t < T; t++) {
            pool p = { 0.0, -INFINITY, 0.0, 0.0 };
            pool_tree(&f->trees[t], f->types, x, n_cfg, cnt + off, nstack, &p);
            off += (size_t)f->trees[t].n_nodes;
            double v = log_y ? p.max + log(p.sumexp / p.count) : p.sum / p.count;
            welford(v, t, &mu, &m2);
        }
        mean[r] = mu;
        if (var) {
            double v = m2 / (double)T;
            var[r] = v >= VAR_FLOOR ? v : VAR_FLOOR;
        }
    }
    free(idx);
    free(cnt);
    free(stack);
    free(nstack);
    return 0;
}
