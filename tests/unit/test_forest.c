/* The random forest (src/model/forest*.c) against hand-computed trees on
 * tiny data, the prediction rules of spec §7.3 recomputed from the leaves'
 * raw contents, the stopping rules, determinism across seeds and thread
 * counts, the instance-marginalised prediction, a regression sanity check,
 * and every argument error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/forest.h"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static void assert_close(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%.17g != %.17g (tolerance %g)", a, b, tol);
}

/* One deterministic tree over every row: the hand-computable setting. */
static smac_forest_options plain_options(void)
{
    smac_forest_options o;
    smac_forest_default_options(&o);
    o.num_trees = 1;
    o.do_bootstrapping = 0;
    o.ratio_features = 1.0;
    return o;
}

static smac_forest *train_ok(int n_cols, const int *types, const smac_forest_options *o,
                             const double *X, const double *y, int n)
{
    smac_error err = {0};
    smac_forest *f = smac_forest_new(n_cols, types, o, &err);
    if (!f)
        fail_msg("smac_forest_new: %s", err.message);
    if (smac_forest_train(f, X, y, n, &err) != 0)
        fail_msg("smac_forest_train: %s", err.message);
    return f;
}

static double predict1(const smac_forest *f, const double *x, double *var)
{
    double m = NAN, v = NAN;
    smac_error err = {0};
    if (smac_forest_predict(f, x, 1, &m, &v, &err) != 0)
        fail_msg("predict: %s", err.message);
    if (var)
        *var = v;
    return m;
}

static double uniform01(uint64_t *s)
{
    /* A small LCG-free generator for test data: splitmix64. */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------ hand trees */

static void test_single_valid_cut(void **state)
{
    (void)state;
    /* min_samples_leaf 3 on 6 rows: the only legal cut is after x = 2. */
    double X[] = { 0, 1, 2, 3, 4, 5 };
    double y[] = { 1, 1, 1, 5, 5, 5 };
    int types[] = { 0 };
    smac_forest_options o = plain_options();
    smac_forest *f = train_ok(1, types, &o, X, y, 6);
    assert_int_equal(smac_forest_n_trees(f), 1);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 3);
    assert_int_equal(smac_forest_tree_n_leaves(f, 0), 2);
    assert_int_equal(smac_forest_tree_depth(f, 0), 1);

    smac_forest_node_info root;
    assert_int_equal(smac_forest_node(f, 0, 0, &root, NULL), 0);
    assert_false(root.is_leaf);
    assert_int_equal(root.feature, 0);
    assert_int_equal(root.left, 1);
    assert_int_equal(root.right, 2);
    /* Drawn uniformly between (left value + 1e-6) and the next value. */
    assert_true(root.threshold >= 2.0 + 1e-6 && root.threshold < 3.0);

    smac_forest_node_info left, right;
    assert_int_equal(smac_forest_node(f, 0, 1, &left, NULL), 0);
    assert_int_equal(smac_forest_node(f, 0, 2, &right, NULL), 0);
    assert_true(left.is_leaf && right.is_leaf);
    assert_int_equal(left.n_values, 3);
    assert_int_equal(right.n_values, 3);
    assert_close(left.mean, 1.0, 0);
    assert_close(right.mean, 5.0, 0);
    for (int i = 0; i < 3; i++) {
        assert_close(left.values[i], 1.0, 0);
        assert_close(left.weights[i], 1.0, 0);
    }

    double var;
    double x0 = 0.0, x5 = 5.0, mid = 2.0000005;
    assert_close(predict1(f, &x0, &var), 1.0, 0);
    assert_close(var, 0.0, 0); /* one tree: no spread */
    assert_close(predict1(f, &x5, &var), 5.0, 0);
    /* Values within 1e-6 of 2 are on 2's side of the cut. */
    assert_close(predict1(f, &mid, NULL), 1.0, 0);
    smac_forest_free(f);
}

static void test_best_cut_and_recursion(void **state)
{
    (void)state;
    /* With min_samples_leaf 1 the best root cut separates {0,0,1} from
     * {10,10,11} (RSS 2/3 + 2/3); each side then splits off its odd value. */
    double X[] = { 0, 1, 2, 3, 4, 5 };
    double y[] = { 0, 0, 1, 10, 10, 11 };
    int types[] = { 0 };
    smac_forest_options o = plain_options();
    o.min_samples_leaf = 1;
    smac_forest *f = train_ok(1, types, &o, X, y, 6);

    smac_forest_node_info root, n1, n2;
    assert_int_equal(smac_forest_node(f, 0, 0, &root, NULL), 0);
    assert_true(root.threshold >= 2.0 + 1e-6 && root.threshold < 3.0);
    assert_int_equal(smac_forest_node(f, 0, 1, &n1, NULL), 0);
    assert_int_equal(smac_forest_node(f, 0, 2, &n2, NULL), 0);
    assert_false(n1.is_leaf);
    assert_false(n2.is_leaf);
    assert_true(n1.threshold >= 1.0 + 1e-6 && n1.threshold < 2.0);
    assert_true(n2.threshold >= 4.0 + 1e-6 && n2.threshold < 5.0);
    /* Breadth-first numbering: node 1's children are 3 and 4, node 2's 5 and 6. */
    assert_int_equal(n1.left, 3);
    assert_int_equal(n2.left, 5);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 7);
    /* Leaves of size 2 (< min_samples_split 3) are not split again. */
    smac_forest_node_info l3;
    assert_int_equal(smac_forest_node(f, 0, 3, &l3, NULL), 0);
    assert_true(l3.is_leaf);
    assert_int_equal(l3.n_values, 2);

    double expect[] = { 0, 0, 1, 10, 10, 11 };
    for (int i = 0; i < 6; i++)
        assert_close(predict1(f, &X[i], NULL), expect[i], 0);
    smac_forest_free(f);
}

static void test_log_y_leaf_rule(void **state)
{
    (void)state;
    /* Four rows and min_samples_leaf 3: no legal cut, one leaf holding
     * ln 1, ln 3, ln 1, ln 3. */
    double X[] = { 0, 1, 2, 3 };
    double y[] = { 0.0, log(3.0), 0.0, log(3.0) };
    int types[] = { 0 };
    smac_forest_options o = plain_options();
    smac_forest *f = train_ok(1, types, &o, X, y, 4);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 1);
    double var;
    assert_close(predict1(f, &X[0], &var), log(3.0) / 2.0, 1e-15);
    assert_close(var, 0.0, 0);
    smac_forest_free(f);

    o.log_y = 1;
    f = train_ok(1, types, &o, X, y, 4);
    /* ln(mean(exp(values)) + 1e-10) = ln(2 + 1e-10). */
    assert_close(predict1(f, &X[0], &var), log(2.0 + 1e-10), 1e-15);
    assert_close(var, 0.0, 0);
    smac_forest_free(f);

    /* Huge log-costs must not overflow exp(). */
    double big[] = { 800.0, 800.0, 800.0, 800.0 };
    f = train_ok(1, types, &o, X, big, 4);
    assert_close(predict1(f, &X[0], NULL), 800.0, 1e-12);
    smac_forest_free(f);
}

/* Per-tree values recomputed from each leaf's raw values and weights. */
static void check_rules_against_leaves(const smac_forest *f, const double *x, int log_y)
{
    int T = smac_forest_n_trees(f);
    double vals[64];
    assert_true(T <= 64);
    for (int t = 0; t < T; t++) {
        int node = smac_forest_leaf_node(f, t, x);
        assert_true(node >= 0);
        smac_forest_node_info info;
        assert_int_equal(smac_forest_node(f, t, node, &info, NULL), 0);
        assert_true(info.is_leaf);
        double sw = 0, swy = 0, se = 0;
        for (int i = 0; i < info.n_values; i++) {
            sw += info.weights[i];
            swy += info.weights[i] * info.values[i];
            se += exp(info.values[i]);
        }
        assert_close(info.mean, swy / sw, 1e-12);
        vals[t] = log_y ? log(se / info.n_values + 1e-10) : swy / sw;
        const double *lv;
        assert_int_equal(smac_forest_leaf_values(f, t, x, &lv), info.n_values);
        assert_ptr_equal(lv, info.values);
    }
    double mean = 0;
    for (int t = 0; t < T; t++)
        mean += vals[t];
    mean /= T;
    double ss = 0;
    for (int t = 0; t < T; t++)
        ss += (vals[t] - mean) * (vals[t] - mean);
    double var_expect = log_y ? ss / T : (T > 1 ? ss / (T - 1) : 0.0);
    double var;
    double m = predict1(f, x, &var);
    assert_close(m, mean, 1e-12);
    assert_close(var, var_expect, 1e-12);
}

static void test_variance_rules(void **state)
{
    (void)state;
    enum { N = 60 };
    double X[N * 2], y[N];
    uint64_t s = 7;
    for (int i = 0; i < N; i++) {
        X[2 * i] = uniform01(&s);
        X[2 * i + 1] = uniform01(&s);
        y[i] = X[2 * i] * 3 + X[2 * i + 1] + 0.3 * uniform01(&s);
    }
    int types[] = { 0, 0 };
    for (int log_y = 0; log_y <= 1; log_y++) {
        int tree_counts[] = { 1, 2, 10 };
        for (int k = 0; k < 3; k++) {
            smac_forest_options o;
            smac_forest_default_options(&o);
            o.num_trees = tree_counts[k];
            o.log_y = log_y;
            o.seed = 11;
            smac_forest *f = train_ok(2, types, &o, X, y, N);
            for (int i = 0; i < 5; i++) {
                double x[2] = { uniform01(&s), uniform01(&s) };
                check_rules_against_leaves(f, x, log_y);
            }
            /* Bootstrap bookkeeping: weights are draw counts summing to N. */
            for (int t = 0; t < smac_forest_n_trees(f); t++) {
                double total = 0;
                for (int nd = 0; nd < smac_forest_tree_n_nodes(f, t); nd++) {
                    smac_forest_node_info info;
                    assert_int_equal(smac_forest_node(f, t, nd, &info, NULL), 0);
                    for (int i = 0; info.is_leaf && i < info.n_values; i++) {
                        assert_true(info.weights[i] >= 1.0);
                        assert_true(info.weights[i] == floor(info.weights[i]));
                        total += info.weights[i];
                    }
                }
                assert_close(total, N, 0);
            }
            smac_forest_free(f);
        }
    }
    /* Two hand-made trees of one leaf each: T = 2 gives the sample variance. */
    double X2[] = { 0, 0, 0 };
    double y2[] = { 1, 2, 6 };
    int t1[] = { 0 };
    smac_forest_options o = plain_options();
    o.num_trees = 2;
    smac_forest *f = train_ok(1, t1, &o, X2, y2, 3);
    double var;
    assert_close(predict1(f, X2, &var), 3.0, 1e-15); /* both trees: mean 3 */
    assert_close(var, 0.0, 0);
    smac_forest_free(f);
}

static void test_categorical_split(void **state)
{
    (void)state;
    /* Category means: 0 -> 5, 1 -> 1, 2 -> 2, 3 absent. Ranked 1, 2, 0; the
     * best prefix is {1, 2} (RSS 1.5 vs 13.5 for {1}). */
    double X[9], y[9];
    int cats[] = { 0, 1, 2 };
    double resp[] = { 5, 1, 2 };
    for (int i = 0; i < 9; i++) {
        X[i] = cats[i % 3];
        y[i] = resp[i % 3];
    }
    int types[] = { 4 };
    int left3 = 0, runs = 200;
    for (int seed = 0; seed < runs; seed++) {
        smac_forest_options o = plain_options();
        o.seed = (uint64_t)seed;
        smac_forest *f = train_ok(1, types, &o, X, y, 9);
        smac_forest_node_info root;
        assert_int_equal(smac_forest_node(f, 0, 0, &root, NULL), 0);
        assert_false(root.is_leaf);
        assert_non_null(root.left_set);
        assert_true(isnan(root.threshold));
        uint64_t set = root.left_set[0];
        assert_true(set & 2u);   /* category 1 left */
        assert_true(set & 4u);   /* category 2 left */
        assert_false(set & 1u);  /* category 0 right */
        left3 += (set & 8u) != 0;
        double c0 = 0, c1 = 1, c2 = 2, c3 = 3;
        assert_close(predict1(f, &c0, NULL), 5.0, 0);
        assert_close(predict1(f, &c1, NULL), 1.0, 0);
        assert_close(predict1(f, &c2, NULL), 2.0, 0);
        double p3 = predict1(f, &c3, NULL);
        assert_true(p3 == 1.0 || p3 == 2.0 || p3 == 5.0);
        /* Out-of-range or NaN categories are in no set: right child. */
        double bad[] = { 4.0, -1.0, NAN, 1e300 };
        for (int i = 0; i < 4; i++)
            assert_close(predict1(f, &bad[i], NULL), 5.0, 0);
        smac_forest_free(f);
    }
    /* The absent category goes left with probability 1/2. */
    assert_true(left3 > runs * 35 / 100 && left3 < runs * 65 / 100);
}

static void test_many_categories(void **state)
{
    (void)state;
    /* 200 categories need four 64-bit words per set. */
    enum { K = 200, N = 600 };
    static double X[N], y[N];
    for (int i = 0; i < N; i++) {
        X[i] = i % K;
        y[i] = (i % K) >= 150 ? 10.0 : ((i % K) < 64 ? 0.0 : 5.0);
    }
    int types[] = { K };
    smac_forest_options o = plain_options();
    smac_forest *f = train_ok(1, types, &o, X, y, N);
    for (int c = 0; c < K; c++) {
        double x = c;
        assert_close(predict1(f, &x, NULL), y[c], 0);
    }
    smac_forest_free(f);
}

/* Distinct rows under node `nd` (sum over its leaves); checks the limits on the way. */
static int check_subtree(const smac_forest *f, int t, int nd, int depth, const smac_forest_options *o,
                         int *max_depth_seen)
{
    smac_forest_node_info info;
    assert_int_equal(smac_forest_node(f, t, nd, &info, NULL), 0);
    if (depth > *max_depth_seen)
        *max_depth_seen = depth;
    if (info.is_leaf) {
        if (depth > 0)
            assert_true(info.n_values >= o->min_samples_leaf);
        return info.n_values;
    }
    assert_true(depth < o->max_depth);
    int n = check_subtree(f, t, info.left, depth + 1, o, max_depth_seen) +
            check_subtree(f, t, info.right, depth + 1, o, max_depth_seen);
    assert_true(n >= o->min_samples_split);
    return n;
}

static void test_limits_respected(void **state)
{
    (void)state;
    enum { N = 300 };
    static double X[N * 3], y[N];
    uint64_t s = 3;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 3; j++)
            X[3 * i + j] = uniform01(&s);
        y[i] = sin(6 * X[3 * i]) + X[3 * i + 1] + uniform01(&s);
    }
    int types[] = { 0, 0, 0 };
    struct { int split, leaf, depth; } cases[] = { { 3, 3, 20 }, { 10, 5, 20 }, { 2, 1, 3 }, { 20, 8, 5 } };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        smac_forest_options o;
        smac_forest_default_options(&o);
        o.min_samples_split = cases[c].split;
        o.min_samples_leaf = cases[c].leaf;
        o.max_depth = cases[c].depth;
        o.num_trees = 4;
        smac_forest *f = train_ok(3, types, &o, X, y, N);
        for (int t = 0; t < smac_forest_n_trees(f); t++) {
            int seen = 0;
            check_subtree(f, t, 0, 0, &o, &seen);
            assert_int_equal(seen, smac_forest_tree_depth(f, t));
            assert_true(seen <= o.max_depth);
        }
        smac_forest_free(f);
    }
    /* max_depth 0: the root is a leaf. */
    smac_forest_options o;
    smac_forest_default_options(&o);
    o.max_depth = 0;
    smac_forest *f = train_ok(3, types, &o, X, y, N);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 1);
    smac_forest_free(f);
    /* Node budget: three nodes allow exactly one split; one node none. */
    smac_forest_default_options(&o);
    o.max_num_nodes = 3;
    f = train_ok(3, types, &o, X, y, N);
    for (int t = 0; t < smac_forest_n_trees(f); t++)
        assert_int_equal(smac_forest_tree_n_nodes(f, t), 3);
    smac_forest_free(f);
    o.max_num_nodes = 4;
    f = train_ok(3, types, &o, X, y, N);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 3);
    smac_forest_free(f);
    o.max_num_nodes = 1;
    f = train_ok(3, types, &o, X, y, N);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 1);
    smac_forest_free(f);
}

static void test_purity_stop(void **state)
{
    (void)state;
    double X[20], y[20];
    for (int i = 0; i < 20; i++) {
        X[i] = i;
        y[i] = 1.0 + 1e-10 * i; /* spread 1.9e-9 < eps_purity 1e-8 */
    }
    int types[] = { 0 };
    smac_forest_options o = plain_options();
    smac_forest *f = train_ok(1, types, &o, X, y, 20);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 1);
    smac_forest_free(f);
    o.eps_purity = 1e-12;
    f = train_ok(1, types, &o, X, y, 20);
    assert_true(smac_forest_tree_n_nodes(f, 0) > 1);
    smac_forest_free(f);
    /* Identical feature values: impure but unsplittable -> one leaf. */
    for (int i = 0; i < 20; i++)
        X[i] = 0.5;
    o.eps_purity = 1e-8;
    for (int i = 0; i < 20; i++)
        y[i] = i;
    f = train_ok(1, types, &o, X, y, 20);
    assert_int_equal(smac_forest_tree_n_nodes(f, 0), 1);
    assert_close(predict1(f, X, NULL), 9.5, 1e-12);
    smac_forest_free(f);
}

/* ----------------------------------------------------------- determinism */

static void make_data(double *X, double *y, int n, int cols, uint64_t seed)
{
    uint64_t s = seed;
    for (int i = 0; i < n; i++) {
        double acc = 0;
        for (int j = 0; j < cols; j++) {
            X[i * cols + j] = j == cols - 1 ? floor(uniform01(&s) * 4) : uniform01(&s);
            acc += (j + 1) * X[i * cols + j];
        }
        y[i] = sin(acc) + 0.1 * uniform01(&s);
    }
}

static void test_determinism(void **state)
{
    (void)state;
    enum { N = 400, C = 5, P = 50 };
    static double X[N * C], y[N], Q[P * C], m1[P], v1[P], m2[P], v2[P], m3[P], v3[P];
    make_data(X, y, N, C, 1);
    make_data(Q, m1, P, C, 2);
    int types[] = { 0, 0, 0, 0, 4 };
    smac_forest_options o;
    smac_forest_default_options(&o);
    o.seed = 42;
    smac_forest *a = train_ok(C, types, &o, X, y, N);
    smac_forest *b = train_ok(C, types, &o, X, y, N);
    o.n_threads = 2;
    smac_forest *c = train_ok(C, types, &o, X, y, N);
    o.n_threads = 3;
    smac_forest *c3 = train_ok(C, types, &o, X, y, N);
    o.n_threads = 1;
    o.seed = 43;
    smac_forest *d = train_ok(C, types, &o, X, y, N);
    assert_int_equal(smac_forest_predict(a, Q, P, m1, v1, NULL), 0);
    assert_int_equal(smac_forest_predict(b, Q, P, m2, v2, NULL), 0);
    assert_memory_equal(m1, m2, sizeof m1);
    assert_memory_equal(v1, v2, sizeof v1);
    assert_int_equal(smac_forest_predict(c, Q, P, m2, v2, NULL), 0);
    assert_memory_equal(m1, m2, sizeof m1);
    assert_memory_equal(v1, v2, sizeof v1);
    assert_int_equal(smac_forest_predict(c3, Q, P, m2, v2, NULL), 0);
    assert_memory_equal(m1, m2, sizeof m1);
    for (int t = 0; t < smac_forest_n_trees(a); t++)
        assert_int_equal(smac_forest_tree_n_nodes(a, t), smac_forest_tree_n_nodes(c, t));
    assert_int_equal(smac_forest_predict(d, Q, P, m3, v3, NULL), 0);
    assert_true(memcmp(m1, m3, sizeof m1) != 0);
    /* A refit on the same data draws new randomness (one engine across refits). */
    assert_int_equal(smac_forest_train(a, X, y, N, NULL), 0);
    assert_int_equal(smac_forest_predict(a, Q, P, m3, v3, NULL), 0);
    assert_true(memcmp(m1, m3, sizeof m1) != 0);
    /* ... and the same sequence of refits repeats exactly. */
    assert_int_equal(smac_forest_train(b, X, y, N, NULL), 0);
    assert_int_equal(smac_forest_predict(b, Q, P, m2, v2, NULL), 0);
    assert_memory_equal(m3, m2, sizeof m2);
    /* Batch prediction equals row-by-row prediction. */
    for (int i = 0; i < P; i++) {
        double v;
        assert_close(predict1(b, Q + i * C, &v), m2[i], 0);
        assert_close(v, v2[i], 0);
    }
    smac_forest_free(a);
    smac_forest_free(b);
    smac_forest_free(c);
    smac_forest_free(c3);
    smac_forest_free(d);
}

/* -------------------------------------------------------- marginalisation */

/* §7.3 by the letter: pool leaf values over instances per tree. */
static void marginal_by_hand(const smac_forest *f, const double *x, int n_cfg, const double *F,
                             int n_inst, int n_feat, int log_y, double *mean, double *var)
{
    int T = smac_forest_n_trees(f);
    double vals[64];
    double row[16];
    for (int t = 0; t < T; t++) {
        double s = 0, cnt = 0;
        for (int j = 0; j < n_inst; j++) {
            memcpy(row, x, (size_t)n_cfg * sizeof *row);
            memcpy(row + n_cfg, F + j * n_feat, (size_t)n_feat * sizeof *row);
            const double *lv;
            int n = smac_forest_leaf_values(f, t, row, &lv);
            for (int i = 0; i < n; i++)
                s += log_y ? exp(lv[i]) : lv[i];
            cnt += n;
        }
        vals[t] = log_y ? log(s / cnt) : s / cnt;
    }
    double m = 0, ss = 0;
    for (int t = 0; t < T; t++)
        m += vals[t];
    m /= T;
    for (int t = 0; t < T; t++)
        ss += (vals[t] - m) * (vals[t] - m);
    *mean = m;
    *var = ss / T < 1e-10 ? 1e-10 : ss / T;
}

static void test_marginal(void **state)
{
    (void)state;
    /* Two configuration columns (one categorical), two instance features. */
    enum { N = 240, NI = 12, P = 40 };
    static double X[N * 4], y[N], F[NI * 2], Q[P * 2];
    uint64_t s = 5;
    for (int j = 0; j < NI; j++) {
        F[2 * j] = uniform01(&s);
        F[2 * j + 1] = uniform01(&s) * 10;
    }
    for (int i = 0; i < N; i++) {
        int inst = i % NI;
        X[4 * i] = uniform01(&s);
        X[4 * i + 1] = floor(uniform01(&s) * 3);
        X[4 * i + 2] = F[2 * inst];
        X[4 * i + 3] = F[2 * inst + 1];
        y[i] = X[4 * i] * 2 + X[4 * i + 1] + F[2 * inst] * 3 + 0.1 * F[2 * inst + 1];
    }
    for (int i = 0; i < P; i++) {
        Q[2 * i] = uniform01(&s);
        Q[2 * i + 1] = floor(uniform01(&s) * 3);
    }
    int types[] = { 0, 3, 0, 0 };
    for (int log_y = 0; log_y <= 1; log_y++) {
        smac_forest_options o;
        smac_forest_default_options(&o);
        o.log_y = log_y;
        o.min_samples_leaf = 1;
        o.min_samples_split = 2;
        smac_forest *f = train_ok(4, types, &o, X, y, N);
        double mean[P], var[P];
        assert_int_equal(smac_forest_predict_marginal(f, Q, P, F, NI, 2, mean, var, NULL), 0);
        for (int i = 0; i < P; i++) {
            double em, ev;
            marginal_by_hand(f, Q + 2 * i, 2, F, NI, 2, log_y, &em, &ev);
            assert_close(mean[i], em, 1e-9 * (1 + fabs(em)));
            assert_close(var[i], ev, 1e-9 * (1 + ev));
        }
        smac_forest_free(f);
    }

    /* Without instances: the plain prediction with the variance floored. */
    double X1[] = { 0, 0, 0, 0 };
    double y1[] = { 1, 2, 3, 4 };
    int t1[] = { 0 };
    smac_forest_options o = plain_options();
    smac_forest *f = train_ok(1, t1, &o, X1, y1, 4);
    double m, v;
    assert_int_equal(smac_forest_predict_marginal(f, X1, 1, NULL, 0, 0, &m, &v, NULL), 0);
    assert_close(m, 2.5, 1e-15);
    assert_close(v, 1e-10, 0);
    smac_forest_free(f);

    /* With bootstrapping, no features: equals predict except for the floor. */
    enum { M = 100 };
    static double X2[M * 2], y2[M], mp[M], vp[M], mm[M], vm[M];
    make_data(X2, y2, M, 2, 9);
    int t2[] = { 0, 4 };
    smac_forest_options o2;
    smac_forest_default_options(&o2);
    f = train_ok(2, t2, &o2, X2, y2, M);
    assert_int_equal(smac_forest_predict(f, X2, M, mp, vp, NULL), 0);
    assert_int_equal(smac_forest_predict_marginal(f, X2, M, NULL, 0, 0, mm, vm, NULL), 0);
    for (int i = 0; i < M; i++) {
        assert_close(mm[i], mp[i], 0);
        assert_close(vm[i], vp[i] < 1e-10 ? 1e-10 : vp[i], 0);
    }
    smac_forest_free(f);
}

/* ------------------------------------------------------------- regression */

static void test_regression_sanity(void **state)
{
    (void)state;
    enum { N = 200, P = 200 };
    static double X[N * 2], y[N], Q[P * 2], truth[P], mean[P], var[P];
    uint64_t s = 17;
    double ym = 0, ys = 0;
    for (int i = 0; i < N; i++) {
        X[2 * i] = uniform01(&s);
        X[2 * i + 1] = uniform01(&s);
        y[i] = sin(3 * X[2 * i]) + X[2 * i + 1] * X[2 * i + 1];
        ym += y[i];
    }
    ym /= N;
    for (int i = 0; i < N; i++)
        ys += (y[i] - ym) * (y[i] - ym);
    ys = sqrt(ys / N);
    for (int i = 0; i < P; i++) {
        Q[2 * i] = uniform01(&s);
        Q[2 * i + 1] = uniform01(&s);
        truth[i] = sin(3 * Q[2 * i]) + Q[2 * i + 1] * Q[2 * i + 1];
    }
    int types[] = { 0, 0 };
    smac_forest_options o;
    smac_forest_default_options(&o);
    o.seed = 1;
    smac_forest *f = train_ok(2, types, &o, X, y, N);
    assert_int_equal(smac_forest_max_features(f), 1); /* int(2 * 5/6) = 1 */
    assert_int_equal(smac_forest_predict(f, Q, P, mean, var, NULL), 0);
    double se = 0;
    for (int i = 0; i < P; i++) {
        se += (mean[i] - truth[i]) * (mean[i] - truth[i]);
        assert_true(var[i] >= 0);
    }
    double rmse = sqrt(se / P);
    if (!(rmse < 0.35 * ys))
        fail_msg("rmse %g vs response sd %g", rmse, ys);
    smac_forest_free(f);
}

/* ------------------------------------------------------------------ errors */

static void test_argument_errors(void **state)
{
    (void)state;
    smac_error err = {0};
    int t1[] = { 0 };
    int tneg[] = { -1 };
    smac_forest_options o;
    smac_forest_default_options(&o);

    assert_null(smac_forest_new(0, t1, &o, &err));
    assert_int_equal(err.code, SMAC_ERR_INVALID);
    assert_null(smac_forest_new(1, NULL, &o, &err));
    assert_null(smac_forest_new(1, tneg, &o, &err));
    assert_contains(err.message, "column 0");

    const char *bad[] = { "num_trees", "ratio_features", "min_samples_split", "min_samples_leaf",
                          "max_depth", "eps_purity", "max_num_nodes", "n_threads", "max_features",
                          "n_points_per_tree" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        smac_forest_options b;
        smac_forest_default_options(&b);
        switch (i) {
        case 0: b.num_trees = 0; break;
        case 1: b.ratio_features = NAN; break;
        case 2: b.min_samples_split = 0; break;
        case 3: b.min_samples_leaf = 0; break;
        case 4: b.max_depth = -1; break;
        case 5: b.eps_purity = -1; break;
        case 6: b.max_num_nodes = 0; break;
        case 7: b.n_threads = 0; break;
        case 8: b.max_features = -2; break;
        case 9: b.n_points_per_tree = -1; break;
        }
        memset(&err, 0, sizeof err);
        assert_null(smac_forest_new(1, t1, &b, &err));
        assert_int_equal(err.code, SMAC_ERR_INVALID);
        assert_contains(err.message, bad[i]);
    }
    assert_int_equal(smac_forest_check_options(NULL, &err), SMAC_ERR_INVALID);

    int types[] = { 0, 3 };
    smac_forest *f = smac_forest_new(2, types, &o, &err);
    assert_non_null(f);
    double X[] = { 0.1, 0, 0.2, 1, 0.3, 2 };
    double y[] = { 1, 2, 3 };
    double m, v;
    /* Prediction before training. */
    assert_int_equal(smac_forest_predict(f, X, 1, &m, &v, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "before training");
    assert_int_equal(smac_forest_predict_marginal(f, X, 1, X, 1, 1, &m, &v, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_leaf_values(f, 0, X, NULL), -1);
    assert_int_equal(smac_forest_leaf_node(f, 0, X), -1);
    assert_false(smac_forest_is_trained(f));

    assert_int_equal(smac_forest_train(f, X, y, 0, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_train(f, NULL, y, 3, &err), SMAC_ERR_INVALID);
    double Xnan[] = { 0.1, 0, NAN, 1, 0.3, 2 };
    assert_int_equal(smac_forest_train(f, Xnan, y, 3, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "row 1, column 0");
    assert_contains(err.message, "imputed");
    double Xcat[] = { 0.1, 0, 0.2, 3, 0.3, 2 };
    assert_int_equal(smac_forest_train(f, Xcat, y, 3, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "category 3 outside 0..2");
    double Xneg[] = { 0.1, -1, 0.2, 1, 0.3, 2 };
    assert_int_equal(smac_forest_train(f, Xneg, y, 3, &err), SMAC_ERR_INVALID);
    double yinf[] = { 1, INFINITY, 3 };
    assert_int_equal(smac_forest_train(f, X, yinf, 3, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "row 1: response");
    assert_false(smac_forest_is_trained(f));

    /* A good fit, then a bad one: the good fit stays. */
    assert_int_equal(smac_forest_train(f, X, y, 3, &err), 0);
    assert_true(smac_forest_is_trained(f));
    double before = NAN, after = NAN;
    assert_int_equal(smac_forest_predict(f, X, 1, &before, NULL, &err), 0);
    assert_int_equal(smac_forest_train(f, Xnan, y, 3, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_predict(f, X, 1, &after, NULL, &err), 0);
    assert_close(after, before, 0);
    assert_int_equal(smac_forest_predict_marginal(f, X, 1, X, 1, 3, &m, &v, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_predict_marginal(f, X, 1, X, -1, 1, &m, &v, &err), SMAC_ERR_INVALID);
    smac_forest_node_info info;
    assert_int_equal(smac_forest_node(f, 0, 99999, &info, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_node(f, 10, 0, &info, &err), SMAC_ERR_INVALID);
    assert_int_equal(smac_forest_node(f, -1, 0, &info, &err), SMAC_ERR_INVALID);
    smac_forest_free(f);

    /* Without bootstrapping a tree cannot take more rows than exist. */
    smac_forest_options nb;
    smac_forest_default_options(&nb);
    nb.do_bootstrapping = 0;
    nb.n_points_per_tree = 4;
    f = smac_forest_new(2, types, &nb, &err);
    assert_non_null(f);
    assert_int_equal(smac_forest_train(f, X, y, 3, &err), SMAC_ERR_INVALID);
    assert_contains(err.message, "n_points_per_tree");
    nb.n_points_per_tree = 2;
    smac_forest_free(f);
    f = smac_forest_new(2, types, &nb, &err);
    assert_int_equal(smac_forest_train(f, X, y, 3, &err), 0);
    for (int t = 0; t < smac_forest_n_trees(f); t++) {
        smac_forest_node_info root;
        assert_int_equal(smac_forest_node(f, t, 0, &root, NULL), 0);
        assert_true(root.is_leaf);
        assert_int_equal(root.n_values, 2);
    }
    smac_forest_free(f);
    smac_forest_free(NULL);
}

static void test_one_row_and_options(void **state)
{
    (void)state;
    double X[] = { 0.5, 1 };
    double y[] = { 7 };
    int types[] = { 0, 2 };
    smac_forest_options o;
    smac_forest_default_options(&o);
    assert_int_equal(o.num_trees, 10);
    assert_int_equal(o.min_samples_split, 3);
    assert_int_equal(o.min_samples_leaf, 3);
    assert_int_equal(o.max_depth, 20);
    assert_int_equal(o.max_num_nodes, 1 << 20);
    smac_forest *f = train_ok(2, types, &o, X, y, 1);
    double var;
    assert_close(predict1(f, X, &var), 7.0, 0);
    assert_close(var, 0.0, 0);
    assert_int_equal(smac_forest_n_cols(f), 2);
    smac_forest_free(f);
    /* max_features: ratio rule, override, cap. */
    int t6[] = { 0, 0, 0, 0, 0, 0 };
    f = smac_forest_new(6, t6, &o, NULL);
    assert_int_equal(smac_forest_max_features(f), 5);
    smac_forest_free(f);
    o.max_features = 100;
    f = smac_forest_new(6, t6, &o, NULL);
    assert_int_equal(smac_forest_max_features(f), 6);
    smac_forest_free(f);
    o.max_features = 0;
    o.ratio_features = 0.01;
    f = smac_forest_new(6, t6, &o, NULL);
    assert_int_equal(smac_forest_max_features(f), 1);
    smac_forest_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_valid_cut),
        cmocka_unit_test(test_best_cut_and_recursion),
        cmocka_unit_test(test_log_y_leaf_rule),
        cmocka_unit_test(test_variance_rules),
        cmocka_unit_test(test_categorical_split),
        cmocka_unit_test(test_many_categories),
        cmocka_unit_test(test_limits_respected),
        cmocka_unit_test(test_purity_stop),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_marginal),
        cmocka_unit_test(test_regression_sanity),
        cmocka_unit_test(test_argument_errors),
        cmocka_unit_test(test_one_row_and_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
