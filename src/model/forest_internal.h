/*
 * The forest's data layout, shared by forest.c (life cycle, inspection),
 * forest_train.c and forest_grow.c (growing trees) and forest_predict.c
 * (walking them). Nothing outside src/model/forest*.c includes this.
 *
 * A tree is flat arrays: nodes in breadth-first order (children of a node
 * are adjacent, so one index finds both), leaf statistics in the order the
 * leaves were made, the leaves' responses and weights in one array each, and
 * the categorical split sets in one pool of 64-bit words.
 */
#ifndef SMAC_MODEL_FOREST_INTERNAL_H
#define SMAC_MODEL_FOREST_INTERNAL_H

#include <stdint.h>

#include "model/forest.h"

/* The constant SMAC3 adds inside the log for log_y predictions. */
#define FOREST_LOG_EPS 1e-10
/* Values within this of the first value of a run share one side of a numeric cut. */
#define FOREST_RUN_DELTA 1e-6
/* pyrfr's weight limits, fixed in SMAC (spec §7.2). */
#define FOREST_MIN_WEIGHT_TO_SPLIT 2.0
#define FOREST_MIN_WEIGHT_IN_LEAF 1.0

typedef struct forest_node {
    int32_t feature;   /* split column, or -1 for a leaf */
    int32_t child;     /* internal: left child (right = child + 1); leaf: leaf index */
    union {
        double threshold; /* numeric split */
        uint64_t catset;  /* categorical split: offset of its words in tree->catsets */
    } u;
} forest_node;

/* Everything a prediction rule needs from a leaf, computed once at training. */
typedef struct forest_leaf {
    double mean;     /* weighted mean of the responses (plain prediction) */
    double log_pred; /* ln(mean(exp(values)) + 1e-10), unweighted (log_y prediction) */
    double sum;      /* unweighted sum of the values (instance-marginalised, log_y off) */
    double max;      /* largest value, and sum of exp(value - max): a log-sum-exp that */
    double sumexp;   /* never overflows (instance-marginalised, log_y on) */
    int32_t n_values;
    int32_t offset;  /* into tree->values / tree->weights */
} forest_leaf;

typedef struct forest_tree {
    forest_node *nodes;
    int n_nodes;
    forest_leaf *leaves;
    int n_leaves;
    double *values;
    double *weights;
    int n_values;
    uint64_t *catsets;
    size_t n_catwords;
    int depth;
} forest_tree;

struct smac_forest {
    int n_cols;
    int *types;
    int *cat_words;          /* per column: 64-bit words of a categorical set (0 for numeric) */
    smac_forest_options opt;
    int max_features;
    smac_rng rng;            /* draws one base seed per training */
    int n_trees;             /* 0 until trained */
    forest_tree *trees;
};

/* Frees a tree's arrays and zeroes it. */
void forest_tree_clear(forest_tree *t);

/* The split rule: 1 if value v of the node's column goes to the right child.
 * Numeric: v > threshold (NaN goes left). Categorical: right unless v's
 * category is in the left set; out-of-range or NaN categories are in no set. */
static inline int forest_goes_right(const forest_tree *t, const forest_node *nd, int type, double v)
{
    if (type == 0)
        return v > nd->u.threshold;
    if (!(v >= 0.0 && v < (double)type))
        return 1;
    int cat = (int)v;
    return !((t->catsets[nd->u.catset + (uint64_t)(cat >> 6)] >> (cat & 63)) & 1u);
}

/* The leaf a row falls into. The row is read as x[c] for c < n_first and
 * rest[c - n_first] after, so configuration and instance features need not
 * be copied into one vector. */
static inline const forest_leaf *forest_find_leaf(const forest_tree *t, const int *types,
                                                  const double *x, int n_first, const double *rest)
{
    const forest_node *nodes = t->nodes;
    int32_t i = 0;
    while (nodes[i].feature >= 0) {
        const forest_node *nd = &nodes[i];
        int c = nd->feature;
        double v = c < n_first ? x[c] : rest[c - n_first];
        i = nd->child + forest_goes_right(t, nd, types[c], v);
    }
    return &t->leaves[nodes[i].child];
}

#endif
