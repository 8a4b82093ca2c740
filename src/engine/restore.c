/*
 * Continuing an earlier run (`--restore_state DIR`, algorithms.md §12): its
 * run history (ids kept), its stats (budgets and wallclock continue), its
 * trajectory (copied into the new run folder) and its incumbent (the last
 * traj_aclib2.json entry). No initial design is run again.
 */
#include "engine/optimizer_internal.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGGER "smac.utils.io.restore"

/* The last non-empty line of text (in place), or NULL. */
static char *last_line(char *text)
{
    char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    if (end == text)
        return NULL;
    char *start = end;
    while (start > text && start[-1] != '\n')
        start--;
    return start;
}

/* Parses the "incumbent" list of a traj_aclib2.json line ("name='value'"
 * items) into a configuration; values lose all their quotes, as SMAC3's
 * reader does (formats.md §6.4). */
static int parse_aclib2_incumbent(const smac_cs *cs, const char *line, double *vec, const char *path,
                                  smac_error *err)
{
    const char *p = strstr(line, "\"incumbent\": [");
    if (!p)
        return smac_error_set(err, SMAC_ERR_PARSE, "%s: the last entry has no incumbent", path);
    p += strlen("\"incumbent\": [");
    int np = smac_cs_n_params(cs);
    for (int i = 0; i < np; i++)
        vec[i] = NAN;
    while (*p == '"') {
        const char *end = strchr(p + 1, '"');
        if (!end)
            return smac_error_set(err, SMAC_ERR_PARSE, "%s: unterminated incumbent item", path);
        char item[1024];
        size_t n = (size_t)(end - p - 1) < sizeof item - 1 ? (size_t)(end - p - 1) : sizeof item - 1;
        memcpy(item, p + 1, n);
        item[n] = '\0';
        char *eq = strchr(item, '=');
        if (!eq)
            return smac_error_set(err, SMAC_ERR_PARSE, "%s: incumbent item '%s' has no '='", path, item);
        *eq = '\0';
        char value[1024];
        size_t k = 0;
        for (const char *s = eq + 1; *s && k < sizeof value - 1; s++)
            if (*s != '\'')
                value[k++] = *s;
        value[k] = '\0';
        int idx = smac_cs_param_index(cs, item);
        if (idx < 0)
            return smac_error_set(err, SMAC_ERR_INVALID, "%s: the incumbent names '%s', which the space does not have",
                                  path, item);
        if (smac_cs_parse_value(cs, idx, value, &vec[idx], err) != 0)
            return smac_error_locate(err, path, 0, 0);
        p = end + 1;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return 0;
}

/* Budgets from the restored history: every own finished run counts as
 * submitted and finished, its reported time as target time. */
static void rebuild_stats(smac_optimizer *o)
{
    memset(&o->stats, 0, sizeof o->stats);
    for (size_t i = 0; i < smac_rh_size(o->rh); i++) {
        const smac_rh_run *r = smac_rh_run_at(o->rh, i);
        if (r->origin != SMAC_RH_INTERNAL || r->value.status == SMAC_STATUS_RUNNING)
            continue;
        o->stats.submitted_ta_runs++;
        o->stats.finished_ta_runs++;
        o->stats.ta_time_used += r->value.time;
    }
    o->stats.n_configs = smac_rh_n_configs(o->rh);
}

int smac_engine_restore(smac_optimizer *o, smac_error *err)
{
    const char *dir = o->sc->restore_state;
    char path[4096];
    int n_new;
    snprintf(path, sizeof path, "%s/runhistory.json", dir);
    int rc = smac_rh_load_json(o->rh, path, SMAC_RH_INTERNAL, &n_new, err);
    if (rc != 0)
        return rc;
    snprintf(path, sizeof path, "%s/stats.json", dir);
    int rebuilt = access(path, F_OK) != 0;
    if (rebuilt) {
        /* A run killed before its final save (SIGKILL, power loss) has
         * published runhistory.json but no stats.json: rebuild them. */
        rebuild_stats(o);
        SMAC_WARNING(LOGGER, "%s is missing: statistics rebuilt from the run history (%ld finished runs)",
                     path, o->stats.finished_ta_runs);
    } else if ((rc = smac_stats_load(&o->stats, path, err)) != 0) {
        return rc;
    }

    static const char *const traj_files[] = {"traj_aclib2.json", "traj_old.csv", "traj.json"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, traj_files[i]);
        char *text = NULL;
        size_t len = 0;
        if (smac_read_file(path, &text, &len, NULL) != 0) {
            if (i == 0)
                return smac_error_set(err, SMAC_ERR_IO, "%s: cannot read the trajectory to restore from", path);
            continue;
        }
        o->restored_traj[i] = text;
    }
    if (rebuilt) {
        /* inc_changed counts the trajectory's entries after the placeholder. */
        long lines = 0;
        for (const char *c = o->restored_traj[0]; *c; c++)
            lines += *c == '\n';
        o->stats.inc_changed = lines > 0 ? lines - 1 : 0;
    }
    char *copy = strdup(o->restored_traj[0]);
    if (!copy)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    char *line = last_line(copy);
    int np = smac_cs_n_params(o->cs);
    double *vec = malloc((size_t)(np > 0 ? np : 1) * sizeof *vec);
    if (!vec) {
        free(copy);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    snprintf(path, sizeof path, "%s/traj_aclib2.json", dir);
    rc = line ? parse_aclib2_incumbent(o->cs, line, vec, path, err)
              : smac_error_set(err, SMAC_ERR_PARSE, "%s: empty trajectory", path);
    if (rc == 0) {
        int id = smac_rh_find_config(o->rh, vec);
        if (id <= 0)
            rc = smac_rh_intern_config(o->rh, vec, NULL, &id) < 0 ? SMAC_ERR_NOMEM : 0;
        o->incumbent = id;
    }
    free(vec);
    free(copy);
    if (rc == 0)
        SMAC_INFO(LOGGER, "Restored %zu runs, %ld finished target runs and the incumbent from %s",
                  smac_rh_size(o->rh), o->stats.finished_ta_runs, dir);
    return rc;
}

int smac_engine_write_restored_trajectory(smac_optimizer *o, smac_error *err)
{
    static const char *const traj_files[] = {"traj_aclib2.json", "traj_old.csv", "traj.json"};
    for (int i = 0; i < 3; i++) {
        if (!o->restored_traj[i] || !o->run_dir)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o->run_dir, traj_files[i]);
        int rc = smac_atomic_write(path, o->restored_traj[i], strlen(o->restored_traj[i]), err);
        if (rc != 0)
            return rc;
    }
    return 0;
}
