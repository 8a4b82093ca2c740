/*
 * Growing one tree (spec algorithms.md §7.2, pyrfr's k_ary_random_tree::fit
 * with binary_split_one_feature_rss_loss as SMAC3 configures them).
 *
 * How the work is organised, and why:
 *   - The matrix is transposed once to column-major, and every numeric column
 *     is sorted once per training. A tree filters those orders down to the
 *     rows its bootstrap drew, so no node ever sorts: each node owns the same
 *     segment [begin, end) of every column's order array (and of a "base"
 *     list in row order), and a split stably partitions each segment into
 *     left then right, which keeps every order sorted for the children.
 *     The values travel with the sorted orders and categorical columns are
 *     pre-converted to integer codes, so the scans read memory mostly in
 *     sequence (this, not arithmetic, is what bounds the speed).
 *   - Nodes are numbered breadth-first like pyrfr's (its queue pops in
 *     creation order, and children are created in pairs), so the node budget
 *     max_num_nodes cuts the tree where pyrfr's would be cut.
 *   - The split search compares sum(w*y)^2/W of both children (the RSS loss
 *     is the node's total sum of squares minus that), on responses centred on
 *     the node's mean so large costs with small spreads keep their precision.
 *   - Each tree has its own generator stream and its own workspace, so trees
 *     can grow on any number of threads with identical results.
 */
#include "model/forest_grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

typedef struct node_span {
    int32_t begin, end;     /* segment of the order arrays */
    int32_t depth;
} node_span;

/* Per-category sums during a categorical scan, kept together: one access per row. */
typedef struct cat_acc {
    double w;               /* weight */
    double s;               /* sum of w * (y - node mean) */
    int32_t n;              /* distinct rows */
} cat_acc;

typedef struct cat_key {
    double mean;
    int32_t cat;
} cat_key;

/* What the split search needs of a row, in one place: one memory access. */
typedef struct row_stat {
    double w;               /* bootstrap count (0 = absent from the tree) */
    double cwy;             /* w * (y - node mean), refreshed at every split search */
} row_stat;

/* Scratch for growing trees: one per thread, reused for all its trees. */
struct forest_ws {
    row_stat *rs;           /* n */
    uint8_t *side;          /* n: 1 = goes right at the current split */
    int32_t *order;         /* (n_numeric + 1) * n: sorted present rows per numeric column, then base */
    double *vals;           /* n_numeric * n: the column's values along each sorted order, so
                               the scan reads them sequentially */
    int32_t *tmp;           /* n */
    double *tmpv;           /* n */
    int32_t *perm;          /* n: row shuffle without bootstrapping */
    int32_t *feats;         /* n_cols: persistent permutation for feature subsets */
    cat_acc *cat;           /* max_k */
    cat_key *cat_keys;      /* max_k */
    uint64_t *set_cand;     /* max_words */
    uint64_t *set_best;     /* max_words */
    SMAC_VEC(node_span) spans;
};

void forest_ws_free(forest_ws *ws)
{
    if (!ws)
        return;
    free(ws->rs);
    free(ws->side);
    free(ws->order);
    free(ws->vals);
    free(ws->tmp);
    free(ws->tmpv);
    free(ws->perm);
    free(ws->feats);
    free(ws->cat);
    free(ws->cat_keys);
    free(ws->set_cand);
    free(ws->set_best);
    SMAC_VEC_FREE(&ws->spans);
    free(ws);
}

forest_ws *forest_ws_new(const forest_data *d)
{
    size_t n = (size_t)d->n;
    size_t k = d->max_k > 0 ? (size_t)d->max_k : 1;
    size_t words = d->max_words > 0 ? (size_t)d->max_words : 1;
    forest_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->rs = malloc(n * sizeof *ws->rs);
    ws->side = malloc(n);
    ws->order = malloc(((size_t)d->n_numeric + 1) * n * sizeof *ws->order);
    ws->vals = malloc((d->n_numeric > 0 ? (size_t)d->n_numeric : 1) * n * sizeof *ws->vals);
    ws->tmp = malloc(n * sizeof *ws->tmp);
    ws->tmpv = malloc(n * sizeof *ws->tmpv);
    ws->perm = malloc(n * sizeof *ws->perm);
    ws->feats = malloc((size_t)d->n_cols * sizeof *ws->feats);
    ws->cat = malloc(k * sizeof *ws->cat);
    ws->cat_keys = malloc(k * sizeof *ws->cat_keys);
    ws->set_cand = malloc(words * sizeof *ws->set_cand);
    ws->set_best = malloc(words * sizeof *ws->set_best);
    if (!ws->rs || !ws->side || !ws->order || !ws->vals || !ws->tmp || !ws->tmpv || !ws->perm ||
        !ws->feats || !ws->cat || !ws->cat_keys || !ws->set_cand || !ws->set_best) {
        forest_ws_free(ws);
        return NULL;
    }
    return ws;
}

/* ------------------------------------------------------------- tree output */

typedef struct tree_build {
    SMAC_VEC(forest_node) nodes;
    SMAC_VEC(forest_leaf) leaves;
    SMAC_VEC(uint64_t) catsets;
    double *values, *weights;  /* exactly one slot per present row */
    int n_values;
    int depth;
} tree_build;

static void build_free(tree_build *b)
{
    SMAC_VEC_FREE(&b->nodes);
    SMAC_VEC_FREE(&b->leaves);
    SMAC_VEC_FREE(&b->catsets);
    free(b->values);
    free(b->weights);
    memset(b, 0, sizeof *b);
}

/* log(exp(a) + exp(b)) without overflow. */
static double log_add_exp(double a, double b)
{
    if (a < b) {
        double t = a;
        a = b;
        b = t;
    }
    return a + log1p(exp(b - a));
}

static int make_leaf(tree_build *b, const forest_ws *ws, const forest_data *d, const node_span *s,
                     forest_node *node)
{
    const int32_t *base = ws->order + (size_t)d->n_numeric * (size_t)d->n;
    forest_leaf lf;
    int32_t off = b->n_values;
    double W = 0.0, swy = 0.0, sum = 0.0, mx = -INFINITY;
    for (int32_t i = s->begin; i < s->end; i++) {
        int32_t r = base[i];
        double y = d->y[r], w = ws->rs[r].w;
        b->values[b->n_values] = y;
        b->weights[b->n_values] = w;
        b->n_values++;
        W += w;
        swy += w * y;
        sum += y;
        if (y > mx)
            mx = y;
    }
    int32_t nv = b->n_values - off;
    /* One correction pass makes the weighted mean accurate to rounding. */
    double mu = swy / W, corr = 0.0, sumexp = 0.0;
    for (int32_t i = off; i < b->n_values; i++) {
        corr += b->weights[i] * (b->values[i] - mu);
        sumexp += exp(b->values[i] - mx);
    }
    lf.mean = mu + corr / W;
    lf.sum = sum;
    lf.max = mx;
    lf.sumexp = sumexp;
    lf.log_pred = log_add_exp(mx + log(sumexp / (double)nv), log(FOREST_LOG_EPS));
    lf.n_values = nv;
    lf.offset = off;
    SMAC_VEC_PUSH(&b->leaves, lf, nomem);
    node->feature = -1;
    node->child = (int32_t)(b->leaves.len - 1);
    node->u.threshold = 0.0;
    if (s->depth > b->depth)
        b->depth = s->depth;
    return 0;
nomem:
    return SMAC_ERR_NOMEM;
}

/* ----------------------------------------------------------- split search */

typedef struct node_stats {
    int32_t begin, end;
    int32_t n_rows;         /* distinct rows */
    double W;               /* total weight */
    double S;               /* sum of w * (y - mean), ~0 */
    int min_leaf;
} node_stats;

/* Best cut of a numeric column; returns its score (higher is better) or
 * -INFINITY if no cut leaves both children big enough. */
static double scan_numeric(const forest_ws *ws, const forest_data *d, int c, const node_stats *ns,
                           smac_rng *rng, double *threshold)
{
    const int32_t *ord = ws->order + (size_t)d->num_index[c] * (size_t)d->n;
    const double *xs = ws->vals + (size_t)d->num_index[c] * (size_t)d->n;
    const row_stat *rs = ws->rs;
    int32_t nl = 0, k = ns->begin, best_k = -1;
    double Wl = 0.0, Sl = 0.0, best = -INFINITY, best_psv = 0.0;

    for (;;) {
        /* A run: the values within FOREST_RUN_DELTA of its first go left together. */
        double psv = xs[k] + FOREST_RUN_DELTA;
        do {
            const row_stat *st = &rs[ord[k]];
            nl++;
            Wl += st->w;
            Sl += st->cwy;
            k++;
        } while (k < ns->end && xs[k] <= psv);
        if (k == ns->end)
            break;
        if (nl < ns->min_leaf || Wl < FOREST_MIN_WEIGHT_IN_LEAF)
            continue;
        double Wr = ns->W - Wl;
        if (ns->n_rows - nl < ns->min_leaf || Wr < FOREST_MIN_WEIGHT_IN_LEAF)
            break;
        double Sr = ns->S - Sl;
        double g = Sl * Sl / Wl + Sr * Sr / Wr;
        if (g > best) {
            best = g;
            best_k = k;
            best_psv = psv;
        }
    }
    if (best_k >= 0) {
        double next = xs[best_k];
        double t = best_psv + smac_rng_uniform(rng) * (next - best_psv);
        /* Rounding must not put the threshold on the next value (it would
         * change sides); psv itself is strictly below it. */
        *threshold = t < next ? t : best_psv;
    }
    return best;
}

static int cmp_cat_key(const void *pa, const void *pb)
{
    const cat_key *a = pa, *b = pb;
    if (a->mean < b->mean)
        return -1;
    if (a->mean > b->mean)
        return 1;
    return (a->cat > b->cat) - (a->cat < b->cat);
}

/* Best left set of a categorical column (categories ordered by mean
 * response, best prefix; absent categories go left with probability 1/2),
 * written to `set`; returns its score or -INFINITY. */
static double scan_categorical(forest_ws *ws, const forest_data *d, int c, const node_stats *ns,
                               smac_rng *rng, uint64_t *set)
{
    int k = d->types[c];
    const int32_t *base = ws->order + (size_t)d->n_numeric * (size_t)d->n;
    const int32_t *code = d->codes + (size_t)d->cat_index[c] * (size_t)d->n;
    cat_acc *acc = ws->cat;

    memset(acc, 0, (size_t)k * sizeof *acc);
    for (int32_t i = ns->begin; i < ns->end; i++) {
        int32_t r = base[i];
        cat_acc *a = &acc[code[r]];
        a->n++;
        a->w += ws->rs[r].w;
        a->s += ws->rs[r].cwy;
    }
    int na = 0;
    for (int i = 0; i < k; i++) {
        if (acc[i].w > 0.0) {
            ws->cat_keys[na].mean = acc[i].s / acc[i].w;
            ws->cat_keys[na].cat = i;
            na++;
        }
    }
    if (na <= 1)
        return -INFINITY;
    qsort(ws->cat_keys, (size_t)na, sizeof *ws->cat_keys, cmp_cat_key);

    int32_t nl = 0;
    double Wl = 0.0, Sl = 0.0, best = -INFINITY;
    int best_i = 0;
    for (int i = 0; i + 1 < na; i++) {
        const cat_acc *a = &acc[ws->cat_keys[i].cat];
        nl += a->n;
        Wl += a->w;
        Sl += a->s;
        double Wr = ns->W - Wl;
        if (Wl < FOREST_MIN_WEIGHT_IN_LEAF || Wr < FOREST_MIN_WEIGHT_IN_LEAF)
            continue;
        if (nl < ns->min_leaf || ns->n_rows - nl < ns->min_leaf)
            continue;
        double Sr = ns->S - Sl;
        double g = Sl * Sl / Wl + Sr * Sr / Wr;
        if (g > best) {
            best = g;
            best_i = i + 1;
        }
    }
    if (best == -INFINITY)
        return best;
    int words = d->cat_words[c];
    memset(set, 0, (size_t)words * sizeof *set);
    for (int i = 0; i < best_i; i++) {
        int cat = ws->cat_keys[i].cat;
        set[cat >> 6] |= (uint64_t)1 << (cat & 63);
    }
    for (int i = 0; i < k; i++)
        if (acc[i].w == 0.0 && (smac_rng_u64(rng) >> 63))
            set[i >> 6] |= (uint64_t)1 << (i & 63);
    return best;
}

/* Chosen split of a node. */
typedef struct split_choice {
    int feature;            /* -1: none */
    double threshold;
} split_choice;

static void find_split(forest_ws *ws, const forest_data *d, const node_stats *ns, int max_features,
                       smac_rng *rng, split_choice *out)
{
    double best = -INFINITY;
    out->feature = -1;
    /* A partial Fisher-Yates shuffle: the first max_features entries become
     * a uniformly random subset, tried in random order. */
    for (int i = 0; i < max_features; i++) {
        int j = i + (int)smac_rng_below(rng, (uint64_t)(d->n_cols - i));
        int32_t t = ws->feats[i];
        ws->feats[i] = ws->feats[j];
        ws->feats[j] = t;
    }
    for (int i = 0; i < max_features; i++) {
        int c = ws->feats[i];
        if (d->types[c] == 0) {
            double thr = 0.0;
            double g = scan_numeric(ws, d, c, ns, rng, &thr);
            if (g > best) {
                best = g;
                out->feature = c;
                out->threshold = thr;
            }
        } else {
            double g = scan_categorical(ws, d, c, ns, rng, ws->set_cand);
            if (g > best) {
                best = g;
                out->feature = c;
                out->threshold = NAN;
                memcpy(ws->set_best, ws->set_cand, (size_t)d->cat_words[c] * sizeof *ws->set_best);
            }
        }
    }
}

/* Keeps the rows of a[b, e) going left before those going right, each group
 * in its previous order, so sorted orders stay sorted. */
static void stable_partition(int32_t *a, int32_t b, int32_t e, const uint8_t *side, int32_t *tmp)
{
    /* Branch-free: sides are unpredictable, so write both places and
     * advance one cursor. */
    int32_t L = b, R = 0;
    for (int32_t i = b; i < e; i++) {
        int32_t r = a[i];
        int s = side[r];
        a[L] = r;
        tmp[R] = r;
        L += 1 - s;
        R += s;
    }
    memcpy(a + L, tmp, (size_t)R * sizeof *a);
}

/* The same for a sorted order and its values, moved together. */
static void stable_partition_sorted(int32_t *a, double *v, int32_t b, int32_t e, const uint8_t *side,
                                    int32_t *tmp, double *tmpv)
{
    int32_t L = b, R = 0;
    for (int32_t i = b; i < e; i++) {
        int32_t r = a[i];
        double x = v[i];
        int s = side[r];
        a[L] = r;
        v[L] = x;
        tmp[R] = r;
        tmpv[R] = x;
        L += 1 - s;
        R += s;
    }
    memcpy(a + L, tmp, (size_t)R * sizeof *a);
    memcpy(v + L, tmpv, (size_t)R * sizeof *v);
}

/* ------------------------------------------------------------ one tree */

static void draw_sample(forest_ws *ws, const forest_data *d, const smac_forest_options *o,
                        smac_rng *rng)
{
    int n = d->n;
    int n_points = o->n_points_per_tree > 0 ? o->n_points_per_tree : n;
    for (int i = 0; i < n; i++)
        ws->rs[i].w = 0.0;
    if (o->do_bootstrapping) {
        for (int i = 0; i < n_points; i++)
            ws->rs[smac_rng_below(rng, (uint64_t)n)].w += 1.0;
    } else {
        /* A shuffled subset; with n_points = n every row once, as SMAC uses it. */
        for (int i = 0; i < n; i++)
            ws->perm[i] = i;
        for (int i = 0; i < n_points; i++) {
            int j = i + (int)smac_rng_below(rng, (uint64_t)(n - i));
            int32_t t = ws->perm[i];
            ws->perm[i] = ws->perm[j];
            ws->perm[j] = t;
            ws->rs[ws->perm[i]].w = 1.0;
        }
    }
}

int forest_grow_tree(forest_tree *out, forest_ws *ws, const forest_data *d,
                     const smac_forest_options *o, int max_features, smac_rng *rng)
{
    int n = d->n;
    tree_build b;
    memset(&b, 0, sizeof b);
    ws->spans.len = 0;

    draw_sample(ws, d, o, rng);
    int32_t *base = ws->order + (size_t)d->n_numeric * (size_t)n;
    int32_t m = 0;
    for (int r = 0; r < n; r++)
        if (ws->rs[r].w > 0.0)
            base[m++] = r;
    for (int c = 0; c < d->n_cols; c++) {
        if (d->num_index[c] < 0)
            continue;
        const int32_t *src = d->sorted + (size_t)d->num_index[c] * (size_t)n;
        int32_t *dst = ws->order + (size_t)d->num_index[c] * (size_t)n;
        double *dv = ws->vals + (size_t)d->num_index[c] * (size_t)n;
        const double *xc = d->Xt + (size_t)c * (size_t)n;
        int32_t j = 0;
        for (int i = 0; i < n; i++) {
            if (ws->rs[src[i]].w > 0.0) {
                dst[j] = src[i];
                dv[j++] = xc[src[i]];
            }
        }
    }
    for (int c = 0; c < d->n_cols; c++)
        ws->feats[c] = c;

    b.values = malloc((size_t)m * sizeof *b.values);
    b.weights = malloc((size_t)m * sizeof *b.weights);
    if (!b.values || !b.weights)
        goto nomem;

    forest_node root = { .feature = -1 };
    node_span root_span = { 0, m, 0 };
    SMAC_VEC_PUSH(&b.nodes, root, nomem);
    SMAC_VEC_PUSH(&ws->spans, root_span, nomem);

    /* Breadth-first: nodes are processed in creation order. */
    for (size_t i = 0; i < b.nodes.len; i++) {
        node_span s = ws->spans.items[i];
        node_stats ns = { .begin = s.begin, .end = s.end, .n_rows = s.end - s.begin,
                          .min_leaf = o->min_samples_leaf };
        double y0 = d->y[base[s.begin]];
        int pure = 1;
        double W = 0.0, swy = 0.0;
        for (int32_t k = s.begin; k < s.end; k++) {
            int32_t r = base[k];
            double y = d->y[r];
            if (fabs(y - y0) > o->eps_purity)
                pure = 0;
            W += ws->rs[r].w;
            swy += ws->rs[r].w * y;
        }
        ns.W = W;

        split_choice sc = { .feature = -1 };
        if (s.depth < o->max_depth && ns.n_rows >= o->min_samples_split &&
            W >= FOREST_MIN_WEIGHT_TO_SPLIT && !pure && b.nodes.len + 2 <= (size_t)o->max_num_nodes) {
            double mu = swy / W, S = 0.0;
            for (int32_t k = s.begin; k < s.end; k++) {
                int32_t r = base[k];
                ws->rs[r].cwy = ws->rs[r].w * (d->y[r] - mu);
                S += ws->rs[r].cwy;
            }
            ns.S = S;
            find_split(ws, d, &ns, max_features, rng, &sc);
        }

        int32_t nl = 0;
        if (sc.feature >= 0) {
            int c = sc.feature;
            const double *xc = d->Xt + (size_t)c * (size_t)n;
            for (int32_t k = s.begin; k < s.end; k++) {
                int32_t r = base[k];
                double v = xc[r];
                uint8_t right;
                if (d->types[c] == 0) {
                    right = v > sc.threshold;
                } else {
                    int cat = (int)v;
                    right = !((ws->set_best[cat >> 6] >> (cat & 63)) & 1u);
                }
                ws->side[r] = right;
                nl += !right;
            }
            /* The scan guarantees both sides are non-empty; stay safe anyway. */
            if (nl == 0 || nl == ns.n_rows)
                sc.feature = -1;
        }

        if (sc.feature < 0) {
            forest_node leaf;
            if (make_leaf(&b, ws, d, &s, &leaf) != 0)
                goto nomem;
            b.nodes.items[i] = leaf;
            continue;
        }

        forest_node node;
        node.feature = sc.feature;
        node.child = (int32_t)b.nodes.len;
        if (d->types[sc.feature] == 0) {
            node.u.threshold = sc.threshold;
        } else {
            node.u.catset = (uint64_t)b.catsets.len;
            int words = d->cat_words[sc.feature];
            if (SMAC_VEC_RESERVE(&b.catsets, b.catsets.len + (size_t)words) != 0)
                goto nomem;
            memcpy(b.catsets.items + b.catsets.len, ws->set_best, (size_t)words * sizeof(uint64_t));
            b.catsets.len += (size_t)words;
        }
        b.nodes.items[i] = node;

        /* Children that will be leaves only need the base list; skip sorting
         * work for them. */
        int32_t nr = ns.n_rows - nl;
        int children_split = s.depth + 1 < o->max_depth &&
                             (nl >= o->min_samples_split || nr >= o->min_samples_split);
        stable_partition(base, s.begin, s.end, ws->side, ws->tmp);
        if (children_split)
            for (int k = 0; k < d->n_numeric; k++)
                stable_partition_sorted(ws->order + (size_t)k * (size_t)n,
                                        ws->vals + (size_t)k * (size_t)n, s.begin, s.end, ws->side,
                                        ws->tmp, ws->tmpv);

        forest_node pending = { .feature = -1 };
        node_span ls = { s.begin, s.begin + nl, s.depth + 1 };
        node_span rs = { s.begin + nl, s.end, s.depth + 1 };
        SMAC_VEC_PUSH(&b.nodes, pending, nomem);
        SMAC_VEC_PUSH(&b.nodes, pending, nomem);
        SMAC_VEC_PUSH(&ws->spans, ls, nomem);
        SMAC_VEC_PUSH(&ws->spans, rs, nomem);
    }

    forest_tree_clear(out);
    out->nodes = b.nodes.items;
    out->n_nodes = (int)b.nodes.len;
    out->leaves = b.leaves.items;
    out->n_leaves = (int)b.leaves.len;
    out->values = b.values;
    out->weights = b.weights;
    out->n_values = b.n_values;
    out->catsets = b.catsets.items;
    out->n_catwords = b.catsets.len;
    out->depth = b.depth;
    return 0;

nomem:
    build_free(&b);
    return SMAC_ERR_NOMEM;
}

