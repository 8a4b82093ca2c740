/*
 * SMAC's random-forest surrogate (see rf_model.h): encoding of
 * configurations for the forest, the instance-feature transform, and the
 * train / predict entry points the optimiser calls.
 *
 * Per training the model builds the whole matrix once (rows x (params +
 * feature columns)); predictions impute configurations in fixed-size chunks
 * so a call allocates one small buffer whatever the number of rows.
 */
#include "model/rf_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/error.h"

/* Rows imputed at a time during prediction. */
#define PREDICT_CHUNK 256

struct smac_rf_model {
    int n_params;
    int *param_types;        /* n_params: forest types of the parameter columns */
    double *impute;          /* n_params: value for an inactive parameter; NaN = unconditional */
    int n_instances;
    int n_features;
    double *features;        /* n_instances x n_features, raw */
    smac_rf_model_options opt;
    smac_rng rng;            /* seeds each training's forest */

    /* State of the last successful training. */
    smac_forest *forest;
    int n_columns;
    int *types;              /* n_columns */
    int pca_on;
    smac_feature_pca pca;
    double *tfeatures;       /* n_instances x pca.n_out when pca_on */
};

void smac_rf_model_default_options(smac_rf_model_options *o)
{
    smac_forest_default_options(&o->forest);
    o->pca_components = 7;
}

void smac_rf_column_types(const smac_cs *cs, int *types, double *impute)
{
    for (int i = 0; i < cs->n_params; i++) {
        const cs_param *p = &cs->params[i];
        int conditional = p->condition >= 0;
        int t = 0;
        double v = -1.0;
        switch (p->type) {
        case SMAC_PARAM_CATEGORICAL:
            t = p->n_choices + (conditional ? 1 : 0);
            v = (double)p->n_choices;
            break;
        case SMAC_PARAM_CONSTANT:
            /* Numeric when it can never be inactive; otherwise {active, inactive}. */
            t = conditional ? 2 : 0;
            v = 1.0;
            break;
        case SMAC_PARAM_ORDINAL:
            /* v1.1 raises for a conditional ordinal; the spec recommends -1. */
        case SMAC_PARAM_REAL:
        case SMAC_PARAM_INTEGER:
        default:
            t = 0;
            v = -1.0;
            break;
        }
        if (types)
            types[i] = t;
        if (impute)
            impute[i] = conditional ? v : NAN;
    }
}

smac_rf_model *smac_rf_model_new(const smac_cs *cs, const double *features, int n_instances,
                                 int n_features, const smac_rf_model_options *o, smac_error *err)
{
    if (!cs || !o) {
        smac_error_set(err, SMAC_ERR_INVALID, "random-forest model: missing argument");
        return NULL;
    }
    if (n_instances < 0 || n_features < 0 || (n_features > 0 && (n_instances == 0 || !features))) {
        smac_error_set(err, SMAC_ERR_INVALID,
                       "random-forest model: %d instance features for %d instances do not make a "
                       "feature table",
                       n_features, n_instances);
        return NULL;
    }
    if (o->pca_components < 0) {
        smac_error_set(err, SMAC_ERR_INVALID, "pca_components must not be negative (got %d)",
                       o->pca_components);
        return NULL;
    }
    if (smac_forest_check_options(&o->forest, err) != 0)
        return NULL;
    if (n_features == 0)
        n_instances = 0;
    for (size_t i = 0; i < (size_t)n_instances * (size_t)n_features; i++) {
        if (!isfinite(features[i])) {
            smac_error_set(err, SMAC_ERR_INVALID, "instance %zu: feature %zu is not finite",
                           i / (size_t)n_features, i % (size_t)n_features);
            return NULL;
        }
    }

    smac_rf_model *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->n_params = cs->n_params;
    size_t np = cs->n_params > 0 ? (size_t)cs->n_params : 1;
    m->param_types = malloc(np * sizeof *m->param_types);
    m->impute = malloc(np * sizeof *m->impute);
    if (!m->param_types || !m->impute)
        goto nomem;
    smac_rf_column_types(cs, m->param_types, m->impute);
    m->n_instances = n_instances;
    m->n_features = n_features;
    if (n_features > 0) {
        size_t nf = (size_t)n_instances * (size_t)n_features;
        m->features = malloc(nf * sizeof *m->features);
        if (!m->features)
            goto nomem;
        memcpy(m->features, features, nf * sizeof *m->features);
    }
    m->opt = *o;
    smac_rng_seed(&m->rng, o->forest.seed, 0);
    return m;

nomem:
    smac_rf_model_free(m);
    smac_error_set(err, SMAC_ERR_NOMEM, "out of memory creating a random-forest model");
    return NULL;
}

void smac_rf_model_free(smac_rf_model *m)
{
    if (!m)
        return;
    free(m->param_types);
    free(m->impute);
    free(m->features);
    smac_forest_free(m->forest);
    free(m->types);
    smac_feature_pca_free(&m->pca);
    free(m->tfeatures);
    free(m);
}

void smac_rf_model_impute(const smac_rf_model *m, const double *config, double *out)
{
    for (int i = 0; i < m->n_params; i++) {
        double v = config[i];
        /* SMAC3 imputes every non-finite value of a conditional parameter. */
        if (!isfinite(v) && !isnan(m->impute[i]))
            v = m->impute[i];
        out[i] = v;
    }
}

/* The feature table the forest saw in the last training, and its width. */
static const double *feature_table(const smac_rf_model *m, int *width)
{
    if (m->pca_on) {
        *width = m->pca.n_out;
        return m->tfeatures;
    }
    *width = m->n_features;
    return m->features;
}

static int check_instances(const smac_rf_model *m, const int *instances, int n_rows, smac_error *err)
{
    if (m->n_features == 0)
        return 0;
    if (!instances)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "the model has instance features: rows need instance indices");
    for (int r = 0; r < n_rows; r++)
        if (instances[r] < 0 || instances[r] >= m->n_instances)
            return smac_error_set(err, SMAC_ERR_INVALID, "row %d: instance %d outside 0..%d", r,
                                  instances[r], m->n_instances - 1);
    return 0;
}

int smac_rf_model_train(smac_rf_model *m, const double *configs, const int *instances,
                        const double *y, int n_rows, smac_error *err)
{
    if (!m || !configs || !y)
        return smac_error_set(err, SMAC_ERR_INVALID, "random-forest training: missing argument");
    if (n_rows < 1)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "random-forest training needs at least one row (got %d)", n_rows);
    int rc = check_instances(m, instances, n_rows, err);
    if (rc != 0)
        return rc;
    for (int r = 0; r < n_rows; r++)
        for (int i = 0; i < m->n_params; i++)
            if (!isfinite(configs[(size_t)r * m->n_params + i]) && isnan(m->impute[i]))
                return smac_error_set(err, SMAC_ERR_INVALID,
                                      "row %d: parameter %d has no condition but its value is "
                                      "not finite",
                                      r, i);

    int pcs = m->opt.pca_components;
    int pca_on = m->n_features > 0 && pcs > 0 && n_rows > pcs && m->n_features >= pcs;
    smac_feature_pca pca;
    memset(&pca, 0, sizeof pca);
    double *tfeatures = NULL, *counts = NULL, *X = NULL;
    int *types = NULL;
    smac_forest *forest = NULL;
    int fw = pca_on ? pcs : m->n_features;
    int n_cols = m->n_params + fw;

    if (pca_on) {
        /* Fit on the training rows: each instance weighted by its runs. */
        counts = calloc((size_t)m->n_instances, sizeof *counts);
        tfeatures = malloc((size_t)m->n_instances * (size_t)pcs * sizeof *tfeatures);
        if (!counts || !tfeatures)
            goto nomem;
        for (int r = 0; r < n_rows; r++)
            counts[instances[r]] += 1.0;
        rc = smac_feature_pca_fit(&pca, m->features, counts, m->n_instances, m->n_features, pcs, err);
        if (rc != 0)
            goto done;
        for (int j = 0; j < m->n_instances; j++)
            smac_feature_pca_transform(&pca, m->features + (size_t)j * (size_t)m->n_features,
                                       tfeatures + (size_t)j * (size_t)pcs);
    }
    const double *table = pca_on ? tfeatures : m->features;

    types = malloc((size_t)(n_cols > 0 ? n_cols : 1) * sizeof *types);
    X = malloc((size_t)n_rows * (size_t)(n_cols > 0 ? n_cols : 1) * sizeof *X);
    if (!types || !X)
        goto nomem;
    memcpy(types, m->param_types, (size_t)m->n_params * sizeof *types);
    for (int j = 0; j < fw; j++)
        types[m->n_params + j] = 0;
    for (int r = 0; r < n_rows; r++) {
        double *row = X + (size_t)r * (size_t)n_cols;
        smac_rf_model_impute(m, configs + (size_t)r * (size_t)m->n_params, row);
        if (fw > 0)
            memcpy(row + m->n_params, table + (size_t)instances[r] * (size_t)fw,
                   (size_t)fw * sizeof *row);
    }

    smac_forest_options fo = m->opt.forest;
    if (fo.max_features == 0) {
        /* SMAC3 counts the columns before PCA: len(types) with raw features. */
        int cols = m->n_params + m->n_features;
        double want = (double)cols * fo.ratio_features;
        fo.max_features = want >= (double)cols ? cols : (int)want;
        if (fo.max_features < 1)
            fo.max_features = 1;
    }
    fo.seed = smac_rng_u64(&m->rng);
    forest = smac_forest_new(n_cols, types, &fo, err);
    if (!forest) {
        rc = err ? err->code : SMAC_ERR_INVALID;
        if (rc == 0)
            rc = SMAC_ERR_INVALID;
        goto done;
    }
    rc = smac_forest_train(forest, X, y, n_rows, err);
    if (rc != 0)
        goto done;

    /* Commit the new fit. */
    smac_forest_free(m->forest);
    m->forest = forest;
    forest = NULL;
    free(m->types);
    m->types = types;
    types = NULL;
    m->n_columns = n_cols;
    smac_feature_pca_free(&m->pca);
    m->pca = pca;
    memset(&pca, 0, sizeof pca);
    free(m->tfeatures);
    m->tfeatures = tfeatures;
    tfeatures = NULL;
    m->pca_on = pca_on;
    goto done;

nomem:
    rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory training the random-forest model");
done:
    smac_forest_free(forest);
    smac_feature_pca_free(&pca);
    free(tfeatures);
    free(counts);
    free(types);
    free(X);
    return rc;
}

int smac_rf_model_is_trained(const smac_rf_model *m) { return m && m->forest; }

int smac_rf_model_predict(const smac_rf_model *m, const double *configs, const int *instances,
                          int n_rows, double *mean, double *var, smac_error *err)
{
    if (!m || (n_rows > 0 && (!configs || !mean)))
        return smac_error_set(err, SMAC_ERR_INVALID, "random-forest prediction: missing argument");
    if (!m->forest)
        return smac_error_set(err, SMAC_ERR_INVALID, "random-forest prediction before training");
    int rc = check_instances(m, instances, n_rows, err);
    if (rc != 0)
        return rc;
    int fw;
    const double *table = feature_table(m, &fw);
    int n_cols = m->n_columns;
    int chunk = n_rows < PREDICT_CHUNK ? n_rows : PREDICT_CHUNK;
    double *buf = malloc((size_t)(chunk > 0 ? chunk : 1) * (size_t)n_cols * sizeof *buf);
    if (!buf)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory in random-forest prediction");
    for (int r0 = 0; r0 < n_rows && rc == 0; r0 += chunk) {
        int k = n_rows - r0 < chunk ? n_rows - r0 : chunk;
        for (int i = 0; i < k; i++) {
            double *row = buf + (size_t)i * (size_t)n_cols;
            smac_rf_model_impute(m, configs + (size_t)(r0 + i) * (size_t)m->n_params, row);
            if (fw > 0)
                memcpy(row + m->n_params, table + (size_t)instances[r0 + i] * (size_t)fw,
                       (size_t)fw * sizeof *row);
        }
        rc = smac_forest_predict(m->forest, buf, k, mean + r0, var ? var + r0 : NULL, err);
    }
    free(buf);
    return rc;
}

int smac_rf_model_predict_marginal(const smac_rf_model *m, const double *configs, int n_rows,
                                   double *mean, double *var, smac_error *err)
{
    if (!m || (n_rows > 0 && (!configs || !mean)))
        return smac_error_set(err, SMAC_ERR_INVALID, "random-forest prediction: missing argument");
    if (!m->forest)
        return smac_error_set(err, SMAC_ERR_INVALID, "random-forest prediction before training");
    int fw;
    const double *table = feature_table(m, &fw);
    int n_inst = fw > 0 ? m->n_instances : 0;
    int np = m->n_params;
    int chunk = n_rows < PREDICT_CHUNK ? n_rows : PREDICT_CHUNK;
    double *buf = malloc((size_t)(chunk > 0 ? chunk : 1) * (size_t)(np > 0 ? np : 1) * sizeof *buf);
    if (!buf)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory in random-forest prediction");
    int rc = 0;
    for (int r0 = 0; r0 < n_rows && rc == 0; r0 += chunk) {
        int k = n_rows - r0 < chunk ? n_rows - r0 : chunk;
        for (int i = 0; i < k; i++)
            smac_rf_model_impute(m, configs + (size_t)(r0 + i) * (size_t)np, buf + (size_t)i * (size_t)np);
        rc = smac_forest_predict_marginal(m->forest, buf, k, table, n_inst, fw, mean + r0,
                                          var ? var + r0 : NULL, err);
    }
    free(buf);
    return rc;
}

int smac_rf_model_n_params(const smac_rf_model *m) { return m ? m->n_params : 0; }
int smac_rf_model_n_columns(const smac_rf_model *m) { return m && m->forest ? m->n_columns : 0; }
const int *smac_rf_model_column_types(const smac_rf_model *m) { return m && m->forest ? m->types : NULL; }
const smac_feature_pca *smac_rf_model_pca(const smac_rf_model *m)
{
    return m && m->forest && m->pca_on ? &m->pca : NULL;
}
const smac_forest *smac_rf_model_forest(const smac_rf_model *m) { return m ? m->forest : NULL; }
