/*
 * Private plumbing of the acquisition optimiser (acq_optimizer.c,
 * random_search.c, local_search.c): the optimiser's struct with its reusable
 * scratch buffers, and the ranking helper both searches sort with.
 */
#ifndef SMAC_ACQ_INTERNAL_H
#define SMAC_ACQ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "acq/acq_optimizer.h"

/* One entry to rank: sorted by value descending, then by a random key, which
 * makes ties fall in random order (SMAC3's lexsort with a random column). */
typedef struct acq_rank {
    double value;
    uint64_t key;
    int idx;
} acq_rank;

struct smac_acq_optimizer {
    const smac_cs *cs;
    int n_params;
    smac_acq_opt_options o;
    smac_rng rng;          /* decisions: tie-breaks, neighbourhood seeds */
    smac_rng own_sample;   /* sampler stream when the caller gives none */
    smac_rng *sample_rng;

    /* scratch for random search and ranking of the history */
    double *rows;
    size_t rows_cap;       /* in doubles */
    double *vals;
    size_t vals_cap;
    acq_rank *ranks;
    size_t ranks_cap;

    /* the two halves of smac_acq_maximize */
    smac_acq_list rs_list;
    smac_acq_list ls_list;

    /* local search state, one slot per search */
    int ls_cap;
    double *cand;          /* ls_cap x n_params */
    double *plateau;       /* first neighbour of equal value, per search */
    double *cand_val;
    int *active, *n_plateau, *obtain, *pulled, *improved, *new_nb, *has_plateau, *n_moves;
    smac_neighbourhood **nbs;
    double *nb_rows;       /* neighbours pulled in one round */
    size_t nb_cap;         /* in doubles */
    double *nb_vals;
    size_t nb_vals_cap;

    smac_acq_ls_stats stats;
};

/* Grows *p to hold `need` elements of `size` bytes; 0 or SMAC_ERR_NOMEM. */
int acq_grow(void **p, size_t *cap, size_t need, size_t size, smac_error *err);

/* NaN -> -DBL_MAX, so that orderings are total. */
double acq_clean(double v);

/* Sorts r[0..n) best first (value descending, then key descending). */
void acq_rank_sort(acq_rank *r, int n);

/* Equality of two configurations' vectors (NaN == NaN: both inactive). */
int acq_same_config(const double *a, const double *b, int n_params);

#endif
