/*
 * Random forest: options, life cycle and inspection. Growing the trees is in
 * forest_train.c, walking them in forest_predict.c; the layout they share is
 * in forest_internal.h.
 */
#include "model/forest_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

void smac_forest_default_options(smac_forest_options *o)
{
    memset(o, 0, sizeof *o);
    o->num_trees = 10;
    o->do_bootstrapping = 1;
    o->ratio_features = 5.0 / 6.0;
    o->max_features = 0;
    o->n_points_per_tree = 0;
    o->min_samples_split = 3;
    o->min_samples_leaf = 3;
    o->max_depth = 20;
    o->eps_purity = 1e-8;
    o->max_num_nodes = 1 << 20;
    o->log_y = 0;
    o->n_threads = 1;
    o->seed = 0;
}

int smac_forest_check_options(const smac_forest_options *o, smac_error *err)
{
    if (!o)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest options missing");
    if (o->num_trees < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "num_trees must be at least 1 (got %d)",
                              o->num_trees);
    if (o->max_features < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "max_features must not be negative (got %d)",
                              o->max_features);
    if (o->max_features == 0 && !(o->ratio_features > 0.0 && isfinite(o->ratio_features)))
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "ratio_features must be a positive number (got %g)", o->ratio_features);
    if (o->n_points_per_tree < 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "n_points_per_tree must not be negative (got %d)", o->n_points_per_tree);
    if (o->min_samples_split < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "min_samples_split must be at least 1 (got %d)",
                              o->min_samples_split);
    if (o->min_samples_leaf < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "min_samples_leaf must be at least 1 (got %d)",
                              o->min_samples_leaf);
    if (o->max_depth < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "max_depth must not be negative (got %d)",
                              o->max_depth);
    if (!(o->eps_purity >= 0.0))
        return smac_error_set(err, SMAC_ERR_INVALID, "eps_purity must not be negative (got %g)",
                              o->eps_purity);
    if (o->max_num_nodes < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "max_num_nodes must be at least 1 (got %d)",
                              o->max_num_nodes);
    if (o->n_threads < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "n_threads must be at least 1 (got %d)",
                              o->n_threads);
    return 0;
}

/* SMAC3: max(1, int(len(types) * ratio)), then pyrfr caps it at the columns. */
static int compute_max_features(const smac_forest_options *o, int n_cols)
{
    long m;
    if (o->max_features > 0) {
        m = o->max_features;
    } else {
        double r = (double)n_cols * o->ratio_features;
        m = r >= (double)n_cols ? n_cols : (long)r;
    }
    if (m < 1)
        m = 1;
    if (m > n_cols)
        m = n_cols;
    return (int)m;
}

smac_forest *smac_forest_new(int n_cols, const int *types, const smac_forest_options *o,
                             smac_error *err)
{
    if (n_cols < 1) {
        smac_error_set(err, SMAC_ERR_INVALID, "a forest needs at least one column (got %d)", n_cols);
        return NULL;
    }
    if (!types) {
        smac_error_set(err, SMAC_ERR_INVALID, "forest column types missing");
        return NULL;
    }
    for (int j = 0; j < n_cols; j++) {
        if (types[j] < 0) {
            smac_error_set(err, SMAC_ERR_INVALID,
                           "column %d: type must be 0 (numeric) or a category count (got %d)", j,
                           types[j]);
            return NULL;
        }
    }
    if (smac_forest_check_options(o, err) != 0)
        return NULL;

    smac_forest *f = calloc(1, sizeof *f);
    if (!f)
        goto nomem;
    f->types = malloc((size_t)n_cols * sizeof *f->types);
    f->cat_words = malloc((size_t)n_cols * sizeof *f->cat_words);
    if (!f->types || !f->cat_words)
        goto nomem;
    memcpy(f->types, types, (size_t)n_cols * sizeof *f->types);
    for (int j = 0; j < n_cols; j++)
        f->cat_words[j] = types[j] > 0 ? (types[j] + 63) / 64 : 0;
    f->n_cols = n_cols;
    f->opt = *o;
    f->max_features = compute_max_features(o, n_cols);
    smac_rng_seed(&f->rng, o->seed, 0);
    return f;

nomem:
    smac_forest_free(f);
    smac_error_set(err, SMAC_ERR_NOMEM, "out of memory creating a forest");
    return NULL;
}

void forest_tree_clear(forest_tree *t)
{
    free(t->nodes);
    free(t->leaves);
    free(t->values);
    free(t->weights);
    free(t->catsets);
    memset(t, 0, sizeof *t);
}

void smac_forest_free(smac_forest *f)
{
    if (!f)
        return;
    for (int t = 0; t < f->n_trees; t++)
        forest_tree_clear(&f->trees[t]);
    free(f->trees);
    free(f->types);
    free(f->cat_words);
    free(f);
}

int smac_forest_is_trained(const smac_forest *f) { return f && f->n_trees > 0; }
int smac_forest_n_cols(const smac_forest *f) { return f ? f->n_cols : 0; }
int smac_forest_n_trees(const smac_forest *f) { return f ? f->n_trees : 0; }
int smac_forest_max_features(const smac_forest *f) { return f ? f->max_features : 0; }

static const forest_tree *get_tree(const smac_forest *f, int tree)
{
    if (!f || tree < 0 || tree >= f->n_trees)
        return NULL;
    return &f->trees[tree];
}

int smac_forest_tree_n_nodes(const smac_forest *f, int tree)
{
    const forest_tree *t = get_tree(f, tree);
    return t ? t->n_nodes : 0;
}

int smac_forest_tree_n_leaves(const smac_forest *f, int tree)
{
    const forest_tree *t = get_tree(f, tree);
    return t ? t->n_leaves : 0;
}

int smac_forest_tree_depth(const smac_forest *f, int tree)
{
    const forest_tree *t = get_tree(f, tree);
    return t ? t->depth : 0;
}

int smac_forest_node(const smac_forest *f, int tree, int node, smac_forest_node_info *out,
                     smac_error *err)
{
    const forest_tree *t = get_tree(f, tree);
    if (!t)
        return smac_error_set(err, SMAC_ERR_INVALID, "no tree %d in this forest", tree);
    if (node < 0 || node >= t->n_nodes)
        return smac_error_set(err, SMAC_ERR_INVALID, "tree %d has no node %d", tree, node);
    memset(out, 0, sizeof *out);
    const forest_node *nd = &t->nodes[node];
    if (nd->feature < 0) {
        const forest_leaf *lf = &t->leaves[nd->child];
        out->is_leaf = 1;
        out->feature = -1;
        out->left = out->right = -1;
        out->threshold = NAN;
        out->mean = lf->mean;
        out->n_values = lf->n_values;
        out->values = t->values + lf->offset;
        out->weights = t->weights + lf->offset;
        return 0;
    }
    out->feature = nd->feature;
    out->left = nd->child;
    out->right = nd->child + 1;
    out->mean = NAN;
    if (f->types[nd->feature] == 0) {
        out->threshold = nd->u.threshold;
    } else {
        out->threshold = NAN;
        out->left_set = t->catsets + nd->u.catset;
    }
    return 0;
}

int smac_forest_leaf_values(const smac_forest *f, int tree, const double *x, const double **values)
{
    const forest_tree *t = get_tree(f, tree);
    if (!t || !x)
        return -1;
    const forest_leaf *lf = forest_find_leaf(t, f->types, x, f->n_cols, NULL);
    if (values)
        *values = t->values + lf->offset;
    return lf->n_values;
}

int smac_forest_leaf_node(const smac_forest *f, int tree, const double *x)
{
    const forest_tree *t = get_tree(f, tree);
    if (!t || !x)
        return -1;
    int32_t i = 0;
    while (t->nodes[i].feature >= 0) {
        const forest_node *nd = &t->nodes[i];
        i = nd->child + forest_goes_right(t, nd, f->types[nd->feature], x[nd->feature]);
    }
    return i;
}
