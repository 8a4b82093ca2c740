/* The model's view of the run history, refreshed at the start of every
 * intensification iteration (algorithms.md §6, §9.5): rows from the
 * history (with censored runtimes imputed), then a fresh training. */
#include "engine/optimizer_internal.h"
#include "util/error.h"

int smac_engine_build_training_data(smac_optimizer *o, smac_error *err)
{
    const smac_epm_instance_map *rows = NULL;
    if (o->epm.n_features > 0) {
        int rc = smac_epm_instance_map_update(&o->feature_rows, o->rh, o->train_names, o->sc->train.n, err);
        if (rc != 0)
            return rc;
        rows = &o->feature_rows;
    }
    int rc = smac_epm_build(o->rh, &o->epm, rows, o->model, &o->data, err);
    if (rc != 0 || o->data.n_rows == 0)
        return rc;
    return smac_rf_model_train(o->model, o->data.X, o->data.instance, o->data.y, o->data.n_rows, err);
}
