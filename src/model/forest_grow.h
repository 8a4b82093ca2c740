/*
 * Growing one tree, the unit of work smac_forest_train (forest_train.c)
 * hands to its threads. forest_train.c prepares the training matrix once in
 * the layout below; forest_grow.c grows a tree from it with a workspace that
 * a thread reuses for all its trees.
 */
#ifndef SMAC_MODEL_FOREST_GROW_H
#define SMAC_MODEL_FOREST_GROW_H

#include "model/forest_internal.h"

/* The training matrix in the layout the split search wants. */
typedef struct forest_data {
    int n;                  /* rows */
    int n_cols;
    const int *types;
    const int *cat_words;
    const double *Xt;       /* column-major: Xt[c * n + r] */
    const double *y;
    const int32_t *sorted;  /* numeric column c: rows by increasing value, at sorted[num_index[c] * n] */
    const int *num_index;   /* column -> index among the numeric columns, -1 if categorical */
    int n_numeric;
    const int32_t *codes;   /* categorical column c: category of each row, at codes[cat_index[c] * n] */
    const int *cat_index;   /* column -> index among the categorical columns, -1 if numeric */
    int max_k;              /* most categories of any column */
    int max_words;          /* most set words of any column */
} forest_data;

/* Scratch memory for growing trees on one thread. */
typedef struct forest_ws forest_ws;

/* NULL when out of memory. */
forest_ws *forest_ws_new(const forest_data *d);
void forest_ws_free(forest_ws *ws);

/* Grows one tree (spec §7.2) into *out (which must be zeroed or cleared),
 * drawing all its randomness from rng. 0 or SMAC_ERR_NOMEM. */
int forest_grow_tree(forest_tree *out, forest_ws *ws, const forest_data *d,
                     const smac_forest_options *o, int max_features, smac_rng *rng);

#endif
