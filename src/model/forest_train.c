/*
 * Training the forest (spec algorithms.md §7.2): checks the data, prepares
 * the matrix once for all trees (column-major copy, each numeric column
 * sorted, categorical columns as integer codes) and grows the trees, on
 * pthreads when asked. Tree t always draws from stream (base seed, t), and
 * each thread has its own workspace, so the result is the same for any
 * number of threads. A new fit replaces the old one only when every tree
 * grew.
 */
#include "model/forest_grow.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* ------------------------------------------------------------- threads */

typedef struct train_job {
    const forest_data *d;
    const smac_forest_options *o;
    int max_features;
    uint64_t base_seed;
    forest_tree *trees;
    int n_trees;
    int first, stride;
    int rc;
} train_job;

static void *train_worker(void *arg)
{
    train_job *job = arg;
    forest_ws *ws = forest_ws_new(job->d);
    job->rc = ws ? 0 : SMAC_ERR_NOMEM;
    for (int t = job->first; job->rc == 0 && t < job->n_trees; t += job->stride) {
        smac_rng rng;
        smac_rng_seed(&rng, job->base_seed, (uint64_t)t);
        job->rc = forest_grow_tree(&job->trees[t], ws, job->d, job->o, job->max_features, &rng);
    }
    forest_ws_free(ws);
    return NULL;
}

/* ---------------------------------------------------------- preparation */

typedef struct value_row {
    double v;
    int32_t r;
} value_row;

static inline int vr_less(const value_row *a, const value_row *b)
{
    return a->v < b->v || (a->v == b->v && a->r < b->r);
}

/* Quicksort (median of three, insertion sort below 16) on (value, row):
 * inlined comparisons make it several times faster than qsort here. Keys are
 * unique thanks to the row, so the result does not depend on the algorithm. */
static void sort_value_rows(value_row *a, int32_t n)
{
    while (n > 16) {
        int32_t mid = n / 2;
        if (vr_less(&a[mid], &a[0])) {
            value_row t = a[mid]; a[mid] = a[0]; a[0] = t;
        }
        if (vr_less(&a[n - 1], &a[0])) {
            value_row t = a[n - 1]; a[n - 1] = a[0]; a[0] = t;
        }
        if (vr_less(&a[n - 1], &a[mid])) {
            value_row t = a[n - 1]; a[n - 1] = a[mid]; a[mid] = t;
        }
        value_row pivot = a[mid];
        int32_t i = 0, j = n - 1;
        for (;;) {
            while (vr_less(&a[i], &pivot))
                i++;
            while (vr_less(&pivot, &a[j]))
                j--;
            if (i >= j)
                break;
            value_row t = a[i]; a[i] = a[j]; a[j] = t;
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger: bounded stack. */
        int32_t left_n = j + 1;
        if (left_n < n - left_n) {
            sort_value_rows(a, left_n);
            a += left_n;
            n -= left_n;
        } else {
            sort_value_rows(a + left_n, n - left_n);
            n = left_n;
        }
    }
    for (int32_t i = 1; i < n; i++) {
        value_row x = a[i];
        int32_t j = i;
        while (j > 0 && vr_less(&x, &a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static int check_data(const smac_forest *f, const double *X, const double *y, int n_rows,
                      smac_error *err)
{
    for (int r = 0; r < n_rows; r++) {
        if (!isfinite(y[r]))
            return smac_error_set(err, SMAC_ERR_INVALID, "row %d: response is not finite (%g)", r,
                                  y[r]);
        const double *x = X + (size_t)r * (size_t)f->n_cols;
        for (int c = 0; c < f->n_cols; c++) {
            double v = x[c];
            if (!isfinite(v))
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "row %d, column %d: value is not finite (%g); "
                                      "inactive values must be imputed before training",
                                      r, c, v);
            if (f->types[c] > 0 && !(v >= 0.0 && v < (double)f->types[c]))
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "row %d, column %d: category %g outside 0..%d", r, c, v,
                                      f->types[c] - 1);
        }
    }
    return 0;
}

int smac_forest_train(smac_forest *f, const double *X, const double *y, int n_rows, smac_error *err)
{
    if (!f || !X || !y)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest training: missing argument");
    if (n_rows < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "forest training needs at least one row (got %d)",
                              n_rows);
    const smac_forest_options *o = &f->opt;
    if (!o->do_bootstrapping && o->n_points_per_tree > n_rows)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "n_points_per_tree (%d) exceeds the %d rows; without bootstrapping "
                              "a tree cannot use more rows than there are",
                              o->n_points_per_tree, n_rows);
    int rc = check_data(f, X, y, n_rows, err);
    if (rc != 0)
        return rc;

    size_t n = (size_t)n_rows, nc = (size_t)f->n_cols;
    int n_numeric = 0, max_k = 0, max_words = 0;
    for (int c = 0; c < f->n_cols; c++) {
        if (f->types[c] == 0)
            n_numeric++;
        if (f->types[c] > max_k)
            max_k = f->types[c];
        if (f->cat_words[c] > max_words)
            max_words = f->cat_words[c];
    }

    double *Xt = malloc(nc * n * sizeof *Xt);
    int32_t *sorted = malloc((n_numeric > 0 ? (size_t)n_numeric : 1) * n * sizeof *sorted);
    int *num_index = malloc(nc * sizeof *num_index);
    int *cat_index = malloc(nc * sizeof *cat_index);
    int n_cat = f->n_cols - n_numeric;
    int32_t *codes = malloc((n_cat > 0 ? (size_t)n_cat : 1) * n * sizeof *codes);
    value_row *vr = malloc(n * sizeof *vr);
    int n_trees = o->num_trees;
    forest_tree *trees = calloc((size_t)n_trees, sizeof *trees);
    if (!Xt || !sorted || !num_index || !cat_index || !codes || !vr || !trees) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory training a forest on %d rows", n_rows);
        goto done;
    }
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < nc; c++)
            Xt[c * n + r] = X[r * nc + c];
    for (int c = 0, k = 0, kc = 0; c < f->n_cols; c++) {
        if (f->types[c] != 0) {
            num_index[c] = -1;
            cat_index[c] = kc;
            int32_t *code = codes + (size_t)kc * n;
            for (size_t r = 0; r < n; r++)
                code[r] = (int32_t)Xt[(size_t)c * n + r];
            kc++;
            continue;
        }
        cat_index[c] = -1;
        num_index[c] = k;
        for (size_t r = 0; r < n; r++) {
            vr[r].v = Xt[(size_t)c * n + r];
            vr[r].r = (int32_t)r;
        }
        sort_value_rows(vr, (int32_t)n);
        int32_t *dst = sorted + (size_t)k * n;
        for (size_t r = 0; r < n; r++)
            dst[r] = vr[r].r;
        k++;
    }

    forest_data d = { .n = n_rows, .n_cols = f->n_cols, .types = f->types, .cat_words = f->cat_words,
                      .Xt = Xt, .y = y, .sorted = sorted, .num_index = num_index,
                      .n_numeric = n_numeric, .codes = codes, .cat_index = cat_index,
                      .max_k = max_k, .max_words = max_words };

    int n_threads = o->n_threads < n_trees ? o->n_threads : n_trees;
    /* Starting a thread costs about as much as growing ten trees on a few
     * hundred values; below that, threads only slow training down. */
    if (n * nc < 1024)
        n_threads = 1;
    train_job jobs[64];
    pthread_t tids[64];
    int started[64] = { 0 };
    if (n_threads > 64)
        n_threads = 64;
    uint64_t base_seed = smac_rng_u64(&f->rng);
    for (int i = 0; i < n_threads; i++) {
        jobs[i] = (train_job){ .d = &d, .o = o, .max_features = f->max_features,
                               .base_seed = base_seed, .trees = trees, .n_trees = n_trees,
                               .first = i, .stride = n_threads, .rc = 0 };
    }
    /* Helpers on their own threads; job 0 on the caller's. A thread that
     * cannot start is run here instead: same trees, just later. */
    for (int i = 1; i < n_threads; i++)
        started[i] = pthread_create(&tids[i], NULL, train_worker, &jobs[i]) == 0;
    train_worker(&jobs[0]);
    for (int i = 1; i < n_threads; i++) {
        if (started[i])
            pthread_join(tids[i], NULL);
        else
            train_worker(&jobs[i]);
    }
    for (int i = 0; i < n_threads; i++) {
        if (jobs[i].rc != 0) {
            rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory growing a tree on %d rows",
                                n_rows);
            goto done;
        }
    }

    /* Success: replace the previous fit. */
    for (int t = 0; t < f->n_trees; t++)
        forest_tree_clear(&f->trees[t]);
    free(f->trees);
    f->trees = trees;
    f->n_trees = n_trees;
    trees = NULL;

done:
    if (trees) {
        for (int t = 0; t < n_trees; t++)
            forest_tree_clear(&trees[t]);
        free(trees);
    }
    free(Xt);
    free(sorted);
    free(num_index);
    free(cat_index);
    free(codes);
    free(vr);
    return rc;
}
