/*
 * How the incumbent changes (spec algorithms.md §4.4): compare a challenger
 * with the incumbent on the (instance, seed) pairs both have run.
 *
 *   B = pairs(inc) ∩ pairs(chal); ci, ii = their mean costs on B (NaN if B is empty)
 *   ci > ii and the challenger has >= minR runs  -> the incumbent stays (early reject)
 *   the challenger has every pair of the incumbent:
 *       ci >= ii -> the incumbent stays (ties keep it)
 *       else     -> the challenger is the new incumbent
 *   otherwise undecided: the race goes on.
 *
 * The comparison also keeps SMAC3's trajectory bookkeeping: the first time an
 * incumbent is confirmed (stats.inc_changed still 0) it gets its first
 * trajectory entry with a real cost, and every change gets one.
 *
 * by_instance (the SimpleIntensifier with random seeds, §5.1 recommendation):
 * pairs never match across configurations there, so instances take the place
 * of pairs and a configuration's cost on an instance is its mean over seeds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_config_format.h"
#include "intensify/intensify_internal.h"
#include "util/log.h"
#include "util/strbuf.h"

void intens_log_inc_cost(smac_intensifier *it, int inc)
{
    SMAC_INFO(it->logger, "Updated estimated cost of incumbent on %d runs: %.4f", smac_rh_n_runs(it->rh, inc),
              smac_rh_cost(it->rh, inc));
}

/* ---------------------------------------------------- per-instance view */

/* Mean cost of `config` over its pairs on `instance` (NaN if none). */
static double instance_mean(smac_intensifier *it, int config, int instance, intens_pairs *keys)
{
    size_t n = 0;
    const smac_rh_isb *p = smac_rh_config_runs(it->rh, config, &n);
    keys->len = 0;
    if (SMAC_VEC_RESERVE(keys, n) != 0)
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (p[i].instance == instance)
            keys->items[keys->len++] = p[i];
    return smac_rh_average_cost(it->rh, config, keys->items, keys->len);
}

static int has_instance(const smac_rh_isb *p, size_t n, int instance)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].instance == instance)
            return 1;
    return 0;
}

/* ci, ii over the common instances; *subset = every instance of inc is in chal. */
static int compare_by_instance(smac_intensifier *it, int inc, int chal, double *ci, double *ii, int *subset)
{
    size_t n_i = 0, n_c = 0;
    const smac_rh_isb *ip = smac_rh_config_runs(it->rh, inc, &n_i);
    const smac_rh_isb *cp = smac_rh_config_runs(it->rh, chal, &n_c);
    double sum_c = 0.0, sum_i = 0.0;
    size_t n_common = 0;
    *subset = 1;
    for (size_t k = 0; k < n_i; k++) {
        int inst = ip[k].instance;
        if (has_instance(ip, k, inst))
            continue; /* instance already seen */
        if (!has_instance(cp, n_c, inst)) {
            *subset = 0;
            continue;
        }
        sum_c += instance_mean(it, chal, inst, &it->tmp_a);
        sum_i += instance_mean(it, inc, inst, &it->tmp_a);
        n_common++;
    }
    *ci = n_common ? sum_c / (double)n_common : NAN;
    *ii = n_common ? sum_i / (double)n_common : NAN;
    return 0;
}

/* ------------------------------------------------------ the change log */

static int cmp_name(const void *a, const void *b, const smac_cs *cs)
{
    return strcmp(smac_cs_param_name(cs, *(const int *)a), smac_cs_param_name(cs, *(const int *)b));
}

/* qsort has no context argument: a small insertion sort by name instead. */
static void sort_by_name(int *idx, int n, const smac_cs *cs)
{
    for (int i = 1; i < n; i++) {
        int v = idx[i], j = i;
        while (j > 0 && cmp_name(&idx[j - 1], &v, cs) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

/* "Changes in incumbent:" then "  name : old -> new" for every parameter
 * active in the challenger whose value differs (by name; an inactive old
 * value prints as None). */
static void log_incumbent_changes(smac_intensifier *it, int inc, int chal)
{
    if (!smac_log_enabled(SMAC_LOG_INFO))
        return;
    const smac_cs *cs = smac_rh_space(it->rh);
    const double *iv = smac_rh_config(it->rh, inc);
    const double *cv = smac_rh_config(it->rh, chal);
    SMAC_INFO(it->logger, "Changes in incumbent:");
    if (!cs || !cv)
        return;
    int n = smac_cs_n_params(cs);
    int *idx = malloc((size_t)(n > 0 ? n : 1) * sizeof *idx);
    if (!idx)
        return;
    for (int i = 0; i < n; i++)
        idx[i] = i;
    sort_by_name(idx, n, cs);
    smac_strbuf a, b;
    smac_strbuf_init(&a);
    smac_strbuf_init(&b);
    for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (isnan(cv[i]))
            continue;
        smac_strbuf_clear(&a);
        smac_strbuf_clear(&b);
        if (!iv || isnan(iv[i]))
            smac_strbuf_puts(&a, "None");
        else
            cs_value_append_repr(cs, i, iv[i], &a);
        cs_value_append_repr(cs, i, cv[i], &b);
        if (a.failed || b.failed)
            break;
        const char *as = a.data ? a.data : "", *bs = b.data ? b.data : "";
        if (strcmp(as, bs) != 0)
            SMAC_INFO(it->logger, "  %s : %s -> %s", smac_cs_param_name(cs, i), as, bs);
        else
            SMAC_DEBUG(it->logger, "  %s remains unchanged: %s", smac_cs_param_name(cs, i), as);
    }
    smac_strbuf_free(&a);
    smac_strbuf_free(&b);
    free(idx);
}

/* -------------------------------------------------------- comparison */

int intens_compare(smac_intensifier *it, int inc, int chal, int by_instance, smac_intensifier_event *ev,
                   intens_outcome *outcome, smac_error *err)
{
    size_t n_i = 0, n_c = 0;
    const smac_rh_isb *ip = smac_rh_config_runs(it->rh, inc, &n_i);
    const smac_rh_isb *cp = smac_rh_config_runs(it->rh, chal, &n_c);
    double ci, ii;
    int subset = 1;
    if (by_instance) {
        compare_by_instance(it, inc, chal, &ci, &ii, &subset);
    } else {
        intens_pairs *common = &it->tmp_a;
        common->len = 0;
        if (SMAC_VEC_RESERVE(common, n_i) != 0 || intens_set_build(&it->tmp_b, cp, n_c, NULL, 0) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < n_i; k++) {
            if (intens_set_contains(&it->tmp_b, ip[k]))
                common->items[common->len++] = ip[k];
            else
                subset = 0;
        }
        ci = smac_rh_average_cost(it->rh, chal, common->items, common->len);
        ii = smac_rh_average_cost(it->rh, inc, common->items, common->len);
    }
    int n_chal = (int)n_c;

    if (ci > ii && n_chal >= it->o.min_r) {
        SMAC_DEBUG(it->logger, "Incumbent (%.4f) is better than challenger (%.4f) on %d runs.", ii, ci, n_chal);
        *outcome = INTENS_KEEP;
        return 0;
    }
    if (!subset) {
        *outcome = INTENS_UNDECIDED;
        return 0;
    }
    if (ci >= ii) {
        SMAC_DEBUG(it->logger, "Incumbent (%.4f) is at least as good as the challenger (%.4f) on %d runs.", ii, ci,
                   n_chal);
        if (it->inc_changed == 0) {
            /* The first incumbent's first entry with a real cost. */
            it->inc_changed++;
            ev->traj_entry = 1;
            ev->changed = 0;
            ev->old_incumbent = inc;
            ev->incumbent = inc;
            ev->traj_cost = ii;
            ev->inc_changed = it->inc_changed;
        }
        *outcome = INTENS_KEEP;
        return 0;
    }
    SMAC_INFO(it->logger, "Challenger (%.4f) is better than incumbent (%.4f) on %d runs.", ci, ii, n_chal);
    log_incumbent_changes(it, inc, chal);
    it->inc_changed++;
    ev->traj_entry = 1;
    ev->changed = 1;
    ev->old_incumbent = inc;
    ev->incumbent = chal;
    ev->traj_cost = ci;
    ev->inc_changed = it->inc_changed;
    *outcome = INTENS_CHANGE;
    return 0;
}
