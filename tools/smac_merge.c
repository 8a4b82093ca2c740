/*
 * `smac-merge`: one run history from the run folders of a pSMAC group.
 *
 *     smac-merge [-o merged_runhistory.json] [--pcs FILE] FOLDER...
 *
 * Each pSMAC process only knows its own incumbent (SMAC3 issue #446); this
 * pools the runhistory.json files of finished runs (folders or quoted globs
 * of run folders or of output folders holding run_* folders), writes the
 * pool atomically in SMAC3's runhistory.json layout, and names the best
 * configuration: the one with the most (instance, seed) runs, and among
 * those the lowest mean cost (ties: the one known first). Configurations
 * are matched by value in the space of the first run folder (its copy of
 * the configuration space) or of --pcs FILE. A key found in several
 * folders keeps its first run, except that a final result replaces a
 * RUNNING or CAPPED one (the pSMAC merge rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "psmac/group.h"
#include "runhistory/runhistory.h"
#include "smac.h"
#include "util/log.h"

static void usage(FILE *out)
{
    fputs("usage: smac-merge [-o FILE] [--pcs FILE] FOLDER...\n"
          "  Merges the runhistory.json files of the run folders named by FOLDER (run folders,\n"
          "  output folders holding run_* folders, or quoted globs of either) into one file\n"
          "  and prints the configuration with the most runs and, among those, the lowest cost.\n"
          "  -o, --output FILE   where to write the merged history (default: merged_runhistory.json)\n"
          "  --pcs FILE          the configuration space (default: the first run folder's copy)\n",
          out);
}

int main(int argc, char **argv)
{
    const char *output = "merged_runhistory.json", *pcs = NULL;
    char **folders = calloc((size_t)(argc > 0 ? argc : 1), sizeof *folders);
    int n_folders = 0;
    if (!folders) {
        fprintf(stderr, "smac-merge: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(folders);
            return 0;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--pcs") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smac-merge: %s expects a file name\n", a);
                free(folders);
                return 2;
            }
            if (strcmp(a, "--pcs") == 0)
                pcs = argv[++i];
            else
                output = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "smac-merge: unknown option '%s'\n", a);
            usage(stderr);
            free(folders);
            return 2;
        }
        folders[n_folders++] = argv[i];
    }
    if (n_folders == 0) {
        usage(stderr);
        free(folders);
        return 2;
    }

    smac_error err;
    smac_strlist dirs = {NULL, 0};
    smac_cs *cs = NULL;
    smac_runhistory *rh = NULL;
    size_t *counts = NULL;
    int status = 1;
    if (smac_psmac_find_run_dirs(folders, n_folders, &dirs, &err) != 0)
        goto fail;
    if (dirs.n == 0) {
        fprintf(stderr, "smac-merge: no run folder with a runhistory.json among the folders given\n");
        goto out;
    }
    if ((pcs ? smac_cs_read_file(pcs, SMAC_CS_AUTO, &cs, &err) : smac_psmac_read_run_space(dirs.items[0], &cs, &err)) !=
        0)
        goto fail;
    rh = smac_runhistory_new(cs, NULL);
    counts = calloc(dirs.n, sizeof *counts);
    if (!rh || !counts) {
        fprintf(stderr, "smac-merge: out of memory\n");
        goto out;
    }
    if (smac_psmac_merge_run_dirs(rh, dirs.items, dirs.n, counts, &err) != 0)
        goto fail;
    if (smac_rh_save_json(rh, output, &err) != 0)
        goto fail;
    size_t total = 0;
    for (size_t i = 0; i < dirs.n; i++) {
        printf("%s: %zu runs\n", dirs.items[i], counts[i]);
        total += counts[i];
    }
    printf("Merged %zu runs from %zu run folders: %zu distinct runs of %d configurations, written to %s\n", total,
           dirs.n, smac_rh_size(rh), smac_rh_n_configs(rh), output);
    double cost;
    int best = smac_psmac_best_config(rh, &cost);
    if (best > 0) {
        char *repr = smac_cs_config_repr(cs, smac_rh_config(rh, best));
        printf("Best configuration (id %d, %d runs; the most runs, then the lowest cost): %s", best,
               smac_rh_n_runs(rh, best), repr ? repr : "?\n");
        printf("Estimated cost of best configuration: %f\n", cost);
        free(repr);
    } else {
        printf("Best configuration: None (no finished run)\n");
    }
    status = 0;
    goto out;
fail:
    fprintf(stderr, "smac-merge: %s\n", err.message);
out:
    free(counts);
    smac_runhistory_free(rh);
    smac_cs_free(cs);
    smac_psmac_strlist_free(&dirs);
    free(folders);
    return status;
}
