/*
 * Run history -> model rows, response transforms and x_best (the rules are
 * in epm_data.h; the imputation loop is in imputer.c).
 *
 * A build is two passes over the runs. The first counts, per distinct
 * budget, the runs of each row group that could make a row; that is enough
 * to pick the budget the way EPMChooser does (highest budget first, the
 * first with >= min_samples_model rows) without building every budget's
 * matrix - and, with imputation on, without training a model per budget as
 * SMAC3's loop does. The second pass writes the rows of the chosen budget
 * straight to their final places. Distinct budgets are few (one without
 * multi-fidelity, a handful with SH/HB), so they live in a small array
 * searched linearly with a last-hit shortcut.
 */
#include "epm/epm_data.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/log.h"
#include "util/vec.h"

#define LOG_FLOOR 1e-5        /* SMAC3's MINIMAL_COST_FOR_LOG */
#define VERY_SMALL 1e-10      /* SMAC3's VERY_SMALL_NUMBER */
#define LOGGER_CHOOSER "smac.optimizer.epm_configuration_chooser.EPMChooser"

/* Per-budget counts of runs that can make a row. */
typedef struct budget_count {
    double budget;
    int all;       /* every history entry on the budget */
    int success;   /* S at this budget */
    int lower;     /* lower_budget_states runs at this budget (S rows of higher budgets) */
    int timeout;   /* T */
    int censored;  /* C (only counted with imputation on) */
} budget_count;

struct smac_epm_work {
    SMAC_VEC(budget_count) budgets;
    size_t row_cap;        /* capacity of the per-row arrays of smac_epm_data */
    size_t x_cap;          /* capacity of X, in doubles */
    size_t cfg_cap;        /* capacity of x_ids / x_mean */
    size_t xcfg_cap;       /* capacity of x_configs, in doubles */
    SMAC_VEC(double) cens; /* censored values (C then T) while imputing */
    SMAC_VEC(double) scratch; /* statistics copy, imputer work */
};

/* ------------------------------------------------------------- options */

void smac_epm_options_init(smac_epm_options *o, const smac_rh_options *rh, smac_y_transform quality_transform,
                           int successive_halving)
{
    memset(o, 0, sizeof *o);
    o->run_obj_runtime = rh ? rh->run_obj_runtime : 0;
    o->cutoff = rh ? rh->cutoff : INFINITY;
    o->par_factor = rh ? rh->par_factor : 10.0;
    o->min_samples_model = 1;
    o->n_features = 0;
    o->impute_max_iter = 2;
    o->impute_change_threshold = 0.01;
    o->impute_var_floor = 0.01;
    o->scale_perc = 5.0;
    if (o->run_obj_runtime) {
        o->transform = SMAC_Y_LOG;
        o->impute_censored = 1;
        o->success_states = SMAC_EPM_STATE(SMAC_STATUS_SUCCESS);
    } else {
        o->transform = quality_transform;
        o->impute_censored = 0;
        o->success_states = SMAC_EPM_STATE(SMAC_STATUS_SUCCESS) | SMAC_EPM_STATE(SMAC_STATUS_CRASHED) |
                            SMAC_EPM_STATE(SMAC_STATUS_MEMOUT);
        if (successive_halving) {
            o->success_states |= SMAC_EPM_STATE(SMAC_STATUS_DONOTADVANCE);
            o->lower_budget_states = SMAC_EPM_STATE(SMAC_STATUS_DONOTADVANCE) |
                                     SMAC_EPM_STATE(SMAC_STATUS_TIMEOUT) | SMAC_EPM_STATE(SMAC_STATUS_CRASHED) |
                                     SMAC_EPM_STATE(SMAC_STATUS_MEMOUT);
        }
    }
}

int smac_epm_check_options(const smac_epm_options *o, smac_error *err)
{
    if (!o)
        return smac_error_set(err, SMAC_ERR_INVALID, "no EPM options given");
    if ((int)o->transform < SMAC_Y_COST || (int)o->transform > SMAC_Y_INV_SCALED)
        return smac_error_set(err, SMAC_ERR_INVALID, "unknown response transform %d", (int)o->transform);
    if (o->min_samples_model < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "min_samples_model must be >= 0, not %d",
                              o->min_samples_model);
    if (o->n_features < 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "n_features must be >= 0, not %d", o->n_features);
    if (isnan(o->cutoff))
        return smac_error_set(err, SMAC_ERR_INVALID, "the cutoff is NaN");
    if (!(o->scale_perc >= 0.0 && o->scale_perc <= 100.0))
        return smac_error_set(err, SMAC_ERR_INVALID, "scale_perc must lie in [0, 100], not %g", o->scale_perc);
    if (!o->impute_censored)
        return 0;
    if (!o->run_obj_runtime)
        return smac_error_set(err, SMAC_ERR_INVALID, "censored data can only be imputed when optimizing runtime");
    if (!(o->cutoff > 0.0))
        return smac_error_set(err, SMAC_ERR_INVALID, "imputing censored data needs a cutoff > 0, not %g", o->cutoff);
    if (!(o->par_factor > 0.0) || !isfinite(o->par_factor))
        return smac_error_set(err, SMAC_ERR_INVALID, "imputing censored data needs a par_factor > 0, not %g",
                              o->par_factor);
    if (o->impute_max_iter < 1)
        return smac_error_set(err, SMAC_ERR_INVALID, "impute_max_iter must be >= 1, not %d", o->impute_max_iter);
    if (!(o->impute_var_floor >= 0.0) || !isfinite(o->impute_var_floor))
        return smac_error_set(err, SMAC_ERR_INVALID, "impute_var_floor must be finite and >= 0, not %g",
                              o->impute_var_floor);
    if (isnan(o->impute_change_threshold))
        return smac_error_set(err, SMAC_ERR_INVALID, "impute_change_threshold is NaN");
    return 0;
}

/* ---------------------------------------------------------- data struct */

void smac_epm_data_init(smac_epm_data *d)
{
    memset(d, 0, sizeof *d);
    d->stats.min = d->stats.max = d->stats.perc = NAN;
}

void smac_epm_data_free(smac_epm_data *d)
{
    if (!d)
        return;
    free(d->X);
    free(d->instance);
    free(d->y);
    free(d->config_ids);
    free(d->run_index);
    free(d->x_ids);
    free(d->x_configs);
    free(d->x_mean);
    if (d->work) {
        SMAC_VEC_FREE(&d->work->budgets);
        SMAC_VEC_FREE(&d->work->cens);
        SMAC_VEC_FREE(&d->work->scratch);
        free(d->work);
    }
    smac_epm_data_init(d);
}

/* Grows *p (elements of `size` bytes) to hold n, geometrically. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    return smac_vec_reserve_(p, cap, n, size) == 0 ? 0 : SMAC_ERR_NOMEM;
}

static int reserve_rows(smac_epm_data *d, size_t n_rows, size_t n_params)
{
    struct smac_epm_work *w = d->work;
    if (n_rows > w->row_cap) {
        size_t c = w->row_cap;
        /* Each array grows to the same new capacity; grow() may round up. */
        size_t target = n_rows;
        size_t c1 = c, c2 = c, c3 = c, c4 = c;
        if (grow((void **)&d->instance, &c1, target, sizeof *d->instance) ||
            grow((void **)&d->y, &c2, target, sizeof *d->y) ||
            grow((void **)&d->config_ids, &c3, target, sizeof *d->config_ids) ||
            grow((void **)&d->run_index, &c4, target, sizeof *d->run_index))
            return SMAC_ERR_NOMEM;
        size_t m = c1 < c2 ? c1 : c2;
        m = m < c3 ? m : c3;
        w->row_cap = m < c4 ? m : c4;
    }
    if (grow((void **)&d->X, &w->x_cap, n_rows * n_params, sizeof *d->X))
        return SMAC_ERR_NOMEM;
    return 0;
}

static int reserve_configs(smac_epm_data *d, size_t n, size_t n_params)
{
    struct smac_epm_work *w = d->work;
    if (n > w->cfg_cap) {
        size_t c1 = w->cfg_cap, c2 = w->cfg_cap;
        if (grow((void **)&d->x_ids, &c1, n, sizeof *d->x_ids) || grow((void **)&d->x_mean, &c2, n, sizeof *d->x_mean))
            return SMAC_ERR_NOMEM;
        w->cfg_cap = c1 < c2 ? c1 : c2;
    }
    if (grow((void **)&d->x_configs, &w->xcfg_cap, n * n_params, sizeof *d->x_configs))
        return SMAC_ERR_NOMEM;
    return 0;
}

/* ------------------------------------------------------------ statistics */

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Moves the k-th smallest of v[0..n) to v[k], smaller ones before it and
 * larger ones after (quickselect with a three-way partition, so runs of
 * equal costs - crashed runs all cost the same - stay linear). */
static double select_kth(double *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        /* median of three as pivot */
        if (v[mid] < v[lo])
            swap_d(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap_d(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap_d(&v[hi], &v[mid]);
        double pivot = v[mid];
        int lt = lo, i = lo, gt = hi;
        while (i <= gt) {
            if (v[i] < pivot)
                swap_d(&v[lt++], &v[i++]);
            else if (v[i] > pivot)
                swap_d(&v[i], &v[gt--]);
            else
                i++;
        }
        if (k < lt)
            hi = lt - 1;
        else if (k > gt)
            lo = gt + 1;
        else
            return v[k];
    }
    return v[k];
}

double smac_epm_percentile(double *values, int n, double p)
{
    if (!values || n <= 0)
        return NAN;
    /* numpy's "linear" method: virtual index (n - 1) q, then its _lerp,
     * which interpolates from the nearer end for accuracy. */
    double q = p / 100.0;
    double virt = (double)(n - 1) * q;
    double fl = floor(virt);
    if (fl < 0.0)
        fl = 0.0;
    if (fl > (double)(n - 1))
        fl = (double)(n - 1);
    int lo = (int)fl;
    double t = virt - fl;
    double a = select_kth(values, n, lo);
    double b = a;
    if (lo + 1 < n) {
        b = values[lo + 1];
        for (int i = lo + 2; i < n; i++)
            if (values[i] < b)
                b = values[i];
    }
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

static void compute_stats(const double *y, int n, double perc, double *buf, smac_epm_stats *st)
{
    double mn = y[0], mx = y[0];
    for (int i = 0; i < n; i++) {
        buf[i] = y[i];
        if (y[i] < mn)
            mn = y[i];
        if (y[i] > mx)
            mx = y[i];
    }
    st->min = mn;
    st->max = mx;
    st->perc = smac_epm_percentile(buf, n, perc);
    st->valid = 1;
}

/* ------------------------------------------------------------ transforms */

/* The shifted minimum of the scaled transforms. */
static double scaled_min(const smac_epm_stats *st)
{
    double m = st->min - (st->perc - st->min);
    m -= VERY_SMALL;
    if (m == st->max)
        m *= 1.0 - 1e-10; /* keeps max - m away from 0 when 1e-10 is below max's ulp */
    return m;
}

int smac_epm_transform_values(smac_y_transform t, const smac_epm_stats *st, double *y, int n)
{
    int floored = 0;
    switch (t) {
    case SMAC_Y_COST:
        break;
    case SMAC_Y_LOG: {
        int any = 0;
        for (int i = 0; i < n; i++)
            if (y[i] <= 0.0)
                any = 1;
        if (any) {
            floored = 1;
            for (int i = 0; i < n; i++)
                if (y[i] < LOG_FLOOR)
                    y[i] = LOG_FLOOR;
        }
        for (int i = 0; i < n; i++)
            y[i] = log(y[i]);
        break;
    }
    case SMAC_Y_LOG_SCALED:
    case SMAC_Y_INV_SCALED: {
        double m = st && st->valid ? scaled_min(st) : NAN, range = st && st->valid ? st->max - m : NAN;
        for (int i = 0; i < n; i++) {
            double v = (y[i] - m) / range;
            y[i] = t == SMAC_Y_LOG_SCALED ? log(v) : 1.0 - 1.0 / v;
        }
        break;
    }
    }
    return floored;
}

double smac_epm_transform(const smac_epm_data *d, double cost)
{
    if (!d)
        return NAN;
    double v = cost;
    smac_epm_transform_values(d->transform, &d->stats, &v, 1);
    return v;
}

static const char *transformer_logger(smac_y_transform t)
{
    switch (t) {
    case SMAC_Y_LOG:
        return "smac.runhistory.runhistory2epm.RunHistory2EPM4LogCost";
    case SMAC_Y_LOG_SCALED:
        return "smac.runhistory.runhistory2epm.RunHistory2EPM4LogScaledCost";
    case SMAC_Y_INV_SCALED:
        return "smac.runhistory.runhistory2epm.RunHistory2EPM4InvScaledCost";
    case SMAC_Y_COST:
    default:
        return "smac.runhistory.runhistory2epm.RunHistory2EPM4Cost";
    }
}

/* One group (one of SMAC3's _build_matrix calls), with its warning. */
static void transform_group(const smac_epm_data *d, double *y, int n)
{
    if (n > 0 && smac_epm_transform_values(d->transform, &d->stats, y, n))
        SMAC_WARNING(transformer_logger(d->transform),
                     "Got cost of smaller/equal to 0. Replace by %f since we use log cost.", LOG_FLOOR);
}

/* ------------------------------------------------------------ row groups */

/* What a run can be, for a given build. */
enum { K_S = 1, K_LOW = 2, K_T = 4, K_C = 8 };

static unsigned run_kinds(const smac_epm_options *o, const smac_rh_run *r)
{
    unsigned bit = SMAC_EPM_STATE(r->value.status), k = 0;
    if (o->success_states & bit)
        k |= K_S;
    if (o->lower_budget_states & bit)
        k |= K_LOW;
    /* With no cutoff (quality) only an infinite time reaches it: SMAC3
     * v1.1 compares with None there and fails; the spec's recommendation
     * reads the missing cutoff as infinity. */
    if (r->value.status == SMAC_STATUS_TIMEOUT && r->value.time >= o->cutoff)
        k |= K_T;
    if (o->impute_censored && r->value.status == SMAC_STATUS_CAPPED && r->value.time < o->cutoff)
        k |= K_C;
    return k;
}

/* The kinds among `k` whose y value is usable (finite). T needs both
 * values: cost without imputation, time with it. */
static unsigned finite_kinds(const smac_rh_run *r, unsigned k)
{
    int cost_ok = isfinite(r->value.cost), time_ok = isfinite(r->value.time);
    if (!cost_ok)
        k &= ~(unsigned)(K_S | K_LOW);
    if (!cost_ok || !time_ok)
        k &= ~(unsigned)K_T;
    if (!time_ok)
        k &= ~(unsigned)K_C;
    return k;
}

/* The run's feature row: -1 without features, -2 when it has none. */
static int feature_row_of(const smac_epm_options *o, const int *map, int n_map, const smac_rh_run *r)
{
    if (o->n_features <= 0)
        return -1;
    if (!map || r->instance < 0 || r->instance >= n_map || map[r->instance] < 0)
        return -2;
    return map[r->instance];
}

static int budget_slot(struct smac_epm_work *w, double budget, size_t *last)
{
    if (*last < w->budgets.len && w->budgets.items[*last].budget == budget)
        return (int)*last;
    for (size_t i = 0; i < w->budgets.len; i++)
        if (w->budgets.items[i].budget == budget) {
            *last = i;
            return (int)i;
        }
    budget_count b = {budget, 0, 0, 0, 0, 0};
    SMAC_VEC_PUSH(&w->budgets, b, nomem);
    *last = w->budgets.len - 1;
    return (int)*last;
nomem:
    return -1;
}

/* Rows the budget at index k would give (EPMChooser's X.shape[0]). */
static long rows_for_budget(const struct smac_epm_work *w, size_t k, long *n_s)
{
    const budget_count *b = &w->budgets.items[k];
    long s = b->success;
    for (size_t j = 0; j < w->budgets.len; j++)
        if (w->budgets.items[j].budget < b->budget)
            s += w->budgets.items[j].lower;
    *n_s = s;
    return s > 0 ? s + b->timeout + b->censored : b->timeout;
}

static void put_row(smac_epm_data *d, int row, const double *vec, int frow, const smac_rh_run *r, size_t run,
                    double y)
{
    if (d->n_params > 0)
        memcpy(d->X + (size_t)row * (size_t)d->n_params, vec, (size_t)d->n_params * sizeof *vec);
    d->instance[row] = frow;
    d->config_ids[row] = r->config_id;
    d->run_index[row] = run;
    d->y[row] = y;
}

static void move_row(smac_epm_data *d, int to, int from)
{
    if (to == from)
        return;
    if (d->n_params > 0)
        memcpy(d->X + (size_t)to * (size_t)d->n_params, d->X + (size_t)from * (size_t)d->n_params,
               (size_t)d->n_params * sizeof *d->X);
    d->instance[to] = d->instance[from];
    d->config_ids[to] = d->config_ids[from];
    d->run_index[to] = d->run_index[from];
    d->y[to] = d->y[from];
}

/* Drops rows [from, n_rows) whose value (y, or cens[i - from] while
 * imputing) is not finite after the transform - a T cost below the scaled
 * transforms' shifted minimum, say - and keeps cens aligned. Returns the
 * number dropped from [from, from + n_c) (C rows) in *drop_c. */
static int drop_nonfinite(smac_epm_data *d, int from, int n_c, double *cens, int *drop_c)
{
    int out = from, dropped = 0;
    *drop_c = 0;
    for (int i = from; i < d->n_rows; i++) {
        double v = cens ? cens[i - from] : d->y[i];
        if (!isfinite(v)) {
            dropped++;
            if (i < from + n_c)
                (*drop_c)++;
            continue;
        }
        move_row(d, out, i);
        if (cens)
            cens[out - from] = v;
        out++;
    }
    d->n_rows = out;
    return dropped;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* x_best candidates: distinct configurations of the S and T rows. */
static int collect_configs(smac_epm_data *d, const smac_runhistory *rh, smac_error *err)
{
    int n_s = d->n_success, n_t = d->n_timeout, t0 = d->n_rows - n_t;
    if (reserve_configs(d, (size_t)(n_s + n_t), (size_t)d->n_params) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory collecting the evaluated configurations");
    int n = 0;
    for (int i = 0; i < d->n_rows; i++) {
        if (i >= n_s && i < t0)
            continue;
        int id = d->config_ids[i];
        if (n > 0 && d->x_ids[n - 1] == id) /* runs of one config often follow each other */
            continue;
        d->x_ids[n++] = id;
    }
    qsort(d->x_ids, (size_t)n, sizeof *d->x_ids, cmp_int);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (m == 0 || d->x_ids[m - 1] != d->x_ids[i])
            d->x_ids[m++] = d->x_ids[i];
    for (int i = 0; i < m; i++) {
        const double *vec = smac_rh_config(rh, d->x_ids[i]);
        if (!vec)
            return smac_error_set(err, SMAC_ERR_RUNTIME, "run history has no configuration %d", d->x_ids[i]);
        if (d->n_params > 0)
            memcpy(d->x_configs + (size_t)i * (size_t)d->n_params, vec, (size_t)d->n_params * sizeof *vec);
        d->x_mean[i] = NAN;
    }
    d->n_configs = m;
    return 0;
}

static void clear_rows(smac_epm_data *d)
{
    d->n_rows = d->n_success = d->n_censored = d->n_timeout = 0;
    d->n_configs = 0;
    d->imputed = 0;
    d->n_skipped = 0;
    d->impute_info = (smac_epm_impute_info){0, 0, 0.0};
}

/* The imputation thresholds in the space of the transformed responses. */
static void impute_params(const smac_epm_data *d, const smac_epm_options *o, smac_epm_impute_params *p)
{
    if (d->transform == SMAC_Y_LOG || d->transform == SMAC_Y_LOG_SCALED) {
        /* SMAC3 with transform_y LOG/LOGS: ln(cutoff) + ln(par), not ln(cutoff * par). */
        p->cutoff = log(o->cutoff);
        p->threshold = p->cutoff + log(o->par_factor);
    } else {
        p->cutoff = smac_epm_transform(d, o->cutoff);
        p->threshold = smac_epm_transform(d, o->cutoff * o->par_factor);
    }
    p->max_iter = o->impute_max_iter;
    p->change_threshold = o->impute_change_threshold;
    p->var_floor = o->impute_var_floor;
}

/* ---------------------------------------------------------------- build */

/* What one build works with; the steps below fill it in order. */
typedef struct build_ctx {
    const smac_runhistory *rh;
    const smac_epm_options *o;
    const int *map;
    int n_map;
    size_t n_runs;
    budget_count chosen; /* counts of the chosen budget */
    int n_s, n_c, n_t;   /* row groups, as planned */
    int imputing;        /* C is not empty: C and T rows carry times */
} build_ctx;

/* Pass 1: per-budget counts of the runs that can make a row. */
static int count_runs(build_ctx *c, struct smac_epm_work *w, smac_error *err)
{
    w->budgets.len = 0;
    size_t last = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        const smac_rh_run *r = smac_rh_run_at(c->rh, i);
        int k = budget_slot(w, r->budget, &last);
        if (k < 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory counting runs per budget");
        budget_count *b = &w->budgets.items[k];
        b->all++;
        unsigned kinds = finite_kinds(r, run_kinds(c->o, r));
        if (!kinds || feature_row_of(c->o, c->map, c->n_map, r) == -2)
            continue;
        b->success += (kinds & K_S) != 0;
        b->lower += (kinds & K_LOW) != 0;
        b->timeout += (kinds & K_T) != 0;
        b->censored += (kinds & K_C) != 0;
    }
    return 0;
}

/* The highest budget with >= min_samples_model rows
 * (EPMChooser._collect_data_to_train_model); 0 if there is none. */
static int choose_budget(build_ctx *c, const struct smac_epm_work *w)
{
    int chosen = -1;
    long n_s = 0;
    for (;;) {
        int next = -1; /* the highest budget below the last one tried */
        for (size_t k = 0; k < w->budgets.len; k++) {
            double b = w->budgets.items[k].budget;
            if ((chosen < 0 || b < w->budgets.items[chosen].budget) &&
                (next < 0 || b > w->budgets.items[next].budget))
                next = (int)k;
        }
        if (next < 0)
            return 0;
        chosen = next;
        if (rows_for_budget(w, (size_t)chosen, &n_s) >= c->o->min_samples_model)
            break;
    }
    c->chosen = w->budgets.items[chosen];
    c->n_s = (int)(n_s > INT32_MAX ? INT32_MAX : n_s);
    c->n_c = n_s > 0 ? c->chosen.censored : 0;
    c->n_t = c->chosen.timeout;
    c->imputing = c->n_c > 0;
    return 1;
}

/* Pass 2: every row straight to its place - S at the budget, S from lower
 * budgets, C, T - keeping the history's order within each; y raw. */
static int fill_rows(const build_ctx *c, smac_epm_data *d, smac_error *err)
{
    double budget = c->chosen.budget;
    int ps = 0, pl = c->chosen.success, pc = c->n_s, pt = c->n_s + c->n_c, skipped = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        const smac_rh_run *r = smac_rh_run_at(c->rh, i);
        unsigned kinds = run_kinds(c->o, r);
        if (r->budget == budget)
            kinds &= ~(unsigned)K_LOW;
        else if (c->n_s > 0 && r->budget < budget)
            kinds &= K_LOW;
        else
            continue;
        if (c->n_s == 0)
            kinds &= K_T;
        if (!kinds)
            continue;
        unsigned ok = finite_kinds(r, kinds);
        int frow = feature_row_of(c->o, c->map, c->n_map, r);
        if (ok != kinds || frow == -2)
            skipped++;
        if (!ok || frow == -2)
            continue;
        const double *vec = smac_rh_config(c->rh, r->config_id);
        if (!vec)
            return smac_error_set(err, SMAC_ERR_RUNTIME, "run history has no configuration %d", r->config_id);
        if (ok & K_S)
            put_row(d, ps++, vec, frow, r, i, r->value.cost);
        if (ok & K_LOW)
            put_row(d, pl++, vec, frow, r, i, r->value.cost);
        if (ok & K_C)
            put_row(d, pc++, vec, frow, r, i, r->value.time);
        if (ok & K_T)
            put_row(d, pt++, vec, frow, r, i, c->imputing ? r->value.time : r->value.cost);
    }
    d->n_rows = c->n_s + c->n_c + c->n_t;
    d->n_success = c->n_s;
    d->n_censored = c->n_c;
    d->n_timeout = c->n_t;
    d->n_skipped = skipped;
    if (skipped > 0)
        SMAC_DEBUG(LOGGER_CHOOSER, "Skipped %d runs without instance features or with a non-finite cost/time",
                   skipped);
    return 0;
}

/* Statistics, then each group transformed as its own matrix (SMAC3's
 * _build_matrix calls). While imputing, the censored values (C then T, as
 * the rows) go to w->cens and *cens points there. */
static int transform_rows(const build_ctx *c, smac_epm_data *d, double **cens, smac_error *err)
{
    struct smac_epm_work *w = d->work;
    int n_s = c->n_s, n_c = c->n_c, n_t = c->n_t;
    /* With no S rows: the previous build's statistics (SMAC3 keeps them
     * in the transformer), or on a first build the T values'. */
    if (n_s > 0 || (!d->stats.valid && n_t > 0)) {
        int from = n_s > 0 ? 0 : n_c, n = n_s > 0 ? n_s : n_t;
        if (SMAC_VEC_RESERVE(&w->scratch, (size_t)n) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        compute_stats(d->y + from, n, c->o->scale_perc, w->scratch.items, &d->stats);
    }
    transform_group(d, d->y, n_s);
    *cens = NULL;
    if (c->imputing) {
        if (SMAC_VEC_RESERVE(&w->cens, (size_t)(n_c + n_t)) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        *cens = w->cens.items;
        memcpy(*cens, d->y + n_s, (size_t)(n_c + n_t) * sizeof **cens);
        transform_group(d, *cens, n_c);
        transform_group(d, *cens + n_c, n_t);
    } else {
        transform_group(d, d->y + n_s, n_t);
    }
    int drop_c = 0, dropped = drop_nonfinite(d, n_s, n_c, *cens, &drop_c);
    if (dropped > 0) {
        SMAC_WARNING(transformer_logger(c->o->transform),
                     "Dropped %d censored/timeout runs whose transformed value is not finite", dropped);
        d->n_censored -= drop_c;
        d->n_timeout -= dropped - drop_c;
    }
    return 0;
}

static int impute_rows(const build_ctx *c, smac_epm_data *d, const double *cens, smac_rf_model *model,
                       smac_error *err)
{
    int n_c = d->n_rows - c->n_s;
    if (!c->imputing || n_c == 0) {
        if (c->o->impute_censored && c->n_s > 0)
            SMAC_DEBUG(transformer_logger(c->o->transform), "No censored data found, skip imputation");
        return 0;
    }
    if (!model)
        return smac_error_set(err, SMAC_ERR_INVALID, "censored runs need a model for imputation");
    SMAC_DEBUG(transformer_logger(c->o->transform), "%d TIMEOUTS, %d CAPPED, %d SUCC", d->n_timeout,
               d->n_censored, c->n_s);
    if (SMAC_VEC_RESERVE(&d->work->scratch, 3 * (size_t)n_c) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    smac_epm_impute_params p;
    impute_params(d, c->o, &p);
    int rc = smac_epm_impute(model, d->X, c->o->n_features > 0 ? d->instance : NULL, d->y, c->n_s, n_c, cens, &p,
                             d->work->scratch.items, &d->impute_info, err);
    if (rc == 0)
        d->imputed = 1;
    return rc;
}

int smac_epm_build(const smac_runhistory *rh, const smac_epm_options *o, const smac_epm_instance_map *features,
                   smac_rf_model *model, smac_epm_data *out, smac_error *err)
{
    int rc;
    if (!rh || !out)
        return smac_error_set(err, SMAC_ERR_INVALID, "smac_epm_build: missing run history or output");
    if ((rc = smac_epm_check_options(o, err)) != 0)
        return rc;
    if (o->n_features > 0 && !features && smac_rh_n_instances(rh) > 0)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "instance features are on but no instance-to-feature-row map was given");
    if (!out->work && !(out->work = calloc(1, sizeof *out->work)))
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    build_ctx c = {rh, o, features ? features->row : NULL, features ? features->n : 0, smac_rh_size(rh),
                   {0, 0, 0, 0, 0, 0}, 0, 0, 0, 0};
    out->n_params = smac_cs_n_params(smac_rh_space(rh));
    out->transform = o->transform;
    clear_rows(out);
    SMAC_DEBUG(transformer_logger(o->transform), "Transform runhistory into X,y format");

    if ((rc = count_runs(&c, out->work, err)) != 0)
        return rc;
    if (!choose_budget(&c, out->work)) {
        SMAC_DEBUG(LOGGER_CHOOSER, "No budget has %d training rows yet", o->min_samples_model);
        return 0;
    }
    size_t total = (size_t)c.n_s + (size_t)c.n_c + (size_t)c.n_t;
    if (total > INT32_MAX)
        return smac_error_set(err, SMAC_ERR_INVALID, "too many runs for one model (%zu)", total);
    if (reserve_rows(out, total, (size_t)out->n_params) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory building %zu training rows", total);
    out->budget = c.chosen.budget;
    out->n_budget_runs = c.chosen.all;

    double *cens = NULL;
    if ((rc = fill_rows(&c, out, err)) != 0 || (rc = transform_rows(&c, out, &cens, err)) != 0 ||
        (rc = impute_rows(&c, out, cens, model, err)) != 0 || (rc = collect_configs(out, rh, err)) != 0) {
        clear_rows(out);
        return rc;
    }
    SMAC_DEBUG(transformer_logger(o->transform), "Converted %d observations", out->n_rows);
    return 0;
}

/* --------------------------------------------------------------- x_best */

int smac_epm_x_best(smac_epm_data *d, const smac_rf_model *m, double *eta, int *config_id, smac_error *err)
{
    int rc;
    if (!d || !m || !eta)
        return smac_error_set(err, SMAC_ERR_INVALID, "smac_epm_x_best: missing argument");
    if (d->n_configs <= 0)
        return smac_error_set(err, SMAC_ERR_INVALID, "x_best: no configuration has training rows");
    if (!smac_rf_model_is_trained(m))
        return smac_error_set(err, SMAC_ERR_INVALID, "x_best: the model is not trained");
    if ((rc = smac_rf_model_predict_marginal(m, d->x_configs, d->n_configs, d->x_mean, NULL, err)) != 0)
        return rc;
    int best = -1;
    for (int i = 0; i < d->n_configs; i++) /* ids ascend: the first of equal means wins */
        if (!isnan(d->x_mean[i]) && (best < 0 || d->x_mean[i] < d->x_mean[best]))
            best = i;
    if (best < 0)
        return smac_error_set(err, SMAC_ERR_RUNTIME, "x_best: the model predicted NaN for every configuration");
    *eta = d->x_mean[best];
    if (config_id)
        *config_id = d->x_ids[best];
    return 0;
}

/* ----------------------------------------------------- instance map */

int smac_epm_instance_map_update(smac_epm_instance_map *m, const smac_runhistory *rh, const char *const *names,
                                 size_t n_names, smac_error *err)
{
    if (!m || !rh || (n_names > 0 && !names))
        return smac_error_set(err, SMAC_ERR_INVALID, "smac_epm_instance_map_update: missing argument");
    int n = smac_rh_n_instances(rh), old = m->n;
    if (n <= old)
        return 0;
    size_t cap = (size_t)m->cap;
    if (grow((void **)&m->row, &cap, (size_t)n, sizeof *m->row) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory mapping instances to features");
    m->cap = cap > INT32_MAX ? INT32_MAX : (int)cap;
    for (int i = old; i < n; i++)
        m->row[i] = -1;
    /* The history interns names in a hash table: ask it where each feature
     * row's instance went, instead of searching the names per instance. */
    for (size_t j = 0; j < n_names; j++) {
        if (!names[j])
            continue;
        int idx = smac_rh_find_instance(rh, names[j]);
        if (idx >= old && idx < n && m->row[idx] < 0)
            m->row[idx] = (int)j;
    }
    m->n = n;
    return 0;
}

void smac_epm_instance_map_free(smac_epm_instance_map *m)
{
    if (!m)
        return;
    free(m->row);
    m->row = NULL;
    m->n = m->cap = 0;
}
