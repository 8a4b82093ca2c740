/*
 * The random-forest regression model SMAC uses as its surrogate: an
 * equivalent of pyrfr's binary_rss_forest as SMAC3 v1.1 configures it
 * (spec algorithms.md §7). It knows nothing of configuration spaces: it sees a
 * dense row-major matrix of doubles whose columns are numeric or categorical,
 * and responses. src/model/rf_model.h builds that matrix from configurations
 * (imputing inactive values, transforming instance features) and is what the
 * optimiser calls.
 *
 * Training grows `num_trees` binary trees breadth-first on bootstrap samples;
 * split search minimises the weighted residual sum of squares over a random
 * subset of `max_features` columns. Prediction is a walk per tree; the
 * per-leaf statistics every prediction rule needs are computed at training
 * time, so predicting allocates nothing (the instance-marginalised prediction
 * allocates one small buffer per call, never per row or node).
 *
 * Randomness: the forest owns one generator seeded from `seed`. Each call to
 * smac_forest_train draws one value from it and gives tree t its own stream
 * (that value, t), so the trees do not depend on how many threads grow them,
 * and refits draw fresh randomness as SMAC3's single engine does.
 *
 * Thread safety: a trained forest is read-only during prediction; any number
 * of threads may predict at once. Training needs exclusive access.
 */
#ifndef SMAC_MODEL_FOREST_H
#define SMAC_MODEL_FOREST_H

#include <stdint.h>

#include "smac.h"

typedef struct smac_forest_options {
    int num_trees;          /* 10 */
    int do_bootstrapping;   /* 1: rows drawn with replacement; 0: every row once */
    double ratio_features;  /* 5/6: max_features = max(1, (int)(ratio * n_cols)) */
    int max_features;       /* 0 = from ratio_features; > 0 overrides it (capped at n_cols) */
    int n_points_per_tree;  /* 0 = the number of training rows */
    int min_samples_split;  /* 3: fewest distinct rows a node needs to be split */
    int min_samples_leaf;   /* 3: fewest distinct rows in each child of a split */
    int max_depth;          /* 20: the root has depth 0; nodes at max_depth are leaves */
    double eps_purity;      /* 1e-8: responses within this of the node's first are "equal" */
    int max_num_nodes;      /* 2^20 per tree */
    int log_y;              /* responses are ln-costs: prediction rules of §7.3 */
    int n_threads;          /* threads growing trees; 1 = the calling thread only */
    uint64_t seed;
} smac_forest_options;

/* The defaults above (SMAC4AC's forest). */
void smac_forest_default_options(smac_forest_options *o);
/* 0 if the options are usable, else SMAC_ERR_INVALID with a sentence naming
 * the bad field. smac_forest_new calls it. */
int smac_forest_check_options(const smac_forest_options *o, smac_error *err);

typedef struct smac_forest smac_forest;

/* A forest over n_cols columns. types[j]: 0 = numeric column, k > 0 =
 * categorical with k categories (values 0..k-1 stored as doubles; any k).
 * Copies types and options. Returns NULL with err set on bad arguments or
 * out of memory. Free with smac_forest_free. */
smac_forest *smac_forest_new(int n_cols, const int *types, const smac_forest_options *o,
                             smac_error *err);
void smac_forest_free(smac_forest *f);

/* Fits the forest to X (row-major n_rows x n_cols) and y (n_rows). Inactive
 * values must already be imputed (rf_model.c does §7.1): a NaN or infinite
 * feature, a categorical value outside [0, k) or a non-finite response is
 * SMAC_ERR_INVALID. Neither X nor y is kept. On failure the previous fit (if
 * any) is left in place. With o->n_threads > 1 trees grow on that many
 * pthreads; the result is the same for any thread count. */
int smac_forest_train(smac_forest *f, const double *X, const double *y, int n_rows, smac_error *err);

/* 1 once a smac_forest_train succeeded. */
int smac_forest_is_trained(const smac_forest *f);

/* Mean and variance for each of the n_rows rows of X (n_cols columns each),
 * §7.3 without marginalisation: log_y off -> mean of the trees' leaf weighted
 * means and their sample variance (0 for one tree); log_y on -> per tree
 * ln(mean(exp(leaf values)) + 1e-10), then mean and population variance over
 * trees. `var` may be NULL. Categorical values outside [0, k) (or NaN) go to
 * the right child; numeric NaN goes left. SMAC_ERR_INVALID if untrained. */
int smac_forest_predict(const smac_forest *f, const double *X, int n_rows, double *mean, double *var,
                        smac_error *err);

/* §7.3 marginalised over instances. Each row of X holds the configuration
 * part only (n_cols - n_features columns); `features` is n_instances x
 * n_features (the instance-feature columns, last in the training matrix).
 * With n_instances = 0 this is smac_forest_predict with the variance floored
 * at 1e-10 (NaN -> 1e-10). Otherwise, per tree, the leaf values reached by
 * (x, f_j) for every instance j are pooled: tree value = their mean (log_y:
 * ln(mean(exp(values)))); mean and population variance over trees, variance
 * floored at 1e-10. `var` may be NULL. Allocates one buffer per call. */
int smac_forest_predict_marginal(const smac_forest *f, const double *X, int n_rows,
                                 const double *features, int n_instances, int n_features,
                                 double *mean, double *var, smac_error *err);

/* ------------------------------------------------------------ inspection
 * For tests, debugging and the censored-data imputer; none is on a hot path. */

int smac_forest_n_cols(const smac_forest *f);
int smac_forest_n_trees(const smac_forest *f);            /* 0 before training */
int smac_forest_max_features(const smac_forest *f);       /* after the ratio rule and cap */
int smac_forest_tree_n_nodes(const smac_forest *f, int tree);
int smac_forest_tree_n_leaves(const smac_forest *f, int tree);
int smac_forest_tree_depth(const smac_forest *f, int tree); /* depth of the deepest leaf */

typedef struct smac_forest_node_info {
    int is_leaf;
    /* internal nodes */
    int feature;            /* split column */
    int left, right;        /* child node indices */
    double threshold;       /* numeric split: value > threshold -> right */
    const uint64_t *left_set; /* categorical split: bit c set -> category c goes left */
    /* leaves */
    double mean;            /* weighted mean of the responses */
    int n_values;           /* distinct training rows in the leaf */
    const double *values;   /* their responses ... */
    const double *weights;  /* ... and weights (bootstrap counts) */
} smac_forest_node_info;

/* Fills *out for node `node` of tree `tree` (node 0 is the root). Pointers in
 * *out stay valid until the next train or free. SMAC_ERR_INVALID if out of range. */
int smac_forest_node(const smac_forest *f, int tree, int node, smac_forest_node_info *out,
                     smac_error *err);

/* The index of the leaf node that row x (n_cols values) falls into in tree
 * `tree` (for smac_forest_node), or -1 if untrained / out of range. */
int smac_forest_leaf_node(const smac_forest *f, int tree, const double *x);

/* pyrfr's all_leaf_values for one tree: the responses stored in the leaf that
 * row x (n_cols values) falls into. Returns their number and points *values
 * at them, or -1 if the forest is untrained or tree is out of range. */
int smac_forest_leaf_values(const smac_forest *f, int tree, const double *x, const double **values);

#endif
