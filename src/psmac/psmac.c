/* pSMAC file sharing (see psmac.h for the protocol and why no locks). */
#include "psmac/psmac.h"
#include "util/error.h"
#include "util/log.h"
#include "util/vec.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOGGER "smac.optimizer.smbo.SMBO"

static const char *const SHARED_FILES[] = {"runhistory.json", "validated_runhistory.json"};

/* What a file looked like when we last loaded it successfully. */
typedef struct seen_file {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} seen_file;

struct smac_psmac {
    SMAC_VEC(char *) patterns;
    char *own_dir;           /* realpath of our run folder, or NULL */
    SMAC_VEC(seen_file) seen;
    int n_peer_files;
    int n_loads;
};

static char *resolve(const char *path)
{
    char buf[PATH_MAX];
    return realpath(path, buf) ? strdup(buf) : NULL;
}

smac_psmac *smac_psmac_new(const char *pattern, const char *own_run_dir, smac_error *err)
{
    smac_psmac *p = calloc(1, sizeof *p);
    if (!p) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (own_run_dir)
        p->own_dir = resolve(own_run_dir);
    if (pattern && smac_psmac_add_pattern(p, pattern, err) != 0) {
        smac_psmac_free(p);
        return NULL;
    }
    return p;
}

int smac_psmac_add_pattern(smac_psmac *p, const char *pattern, smac_error *err)
{
    char *copy = strdup(pattern);
    if (!copy)
        goto nomem;
    SMAC_VEC_PUSH(&p->patterns, copy, nomem);
    return 0;
nomem:
    free(copy);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

void smac_psmac_free(smac_psmac *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->patterns.len; i++)
        free(p->patterns.items[i]);
    SMAC_VEC_FREE(&p->patterns);
    for (size_t i = 0; i < p->seen.len; i++)
        free(p->seen.items[i].path);
    SMAC_VEC_FREE(&p->seen);
    free(p->own_dir);
    free(p);
}

int smac_psmac_n_peer_files(const smac_psmac *p) { return p->n_peer_files; }
int smac_psmac_n_loads(const smac_psmac *p) { return p->n_loads; }

static seen_file *find_seen(smac_psmac *p, const char *path)
{
    for (size_t i = 0; i < p->seen.len; i++)
        if (strcmp(p->seen.items[i].path, path) == 0)
            return &p->seen.items[i];
    return NULL;
}

static int same_stat(const seen_file *s, const struct stat *st)
{
    return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
           s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static int remember(smac_psmac *p, const char *path, const struct stat *st)
{
    seen_file *s = find_seen(p, path);
    if (!s) {
        seen_file fresh = {0};
        fresh.path = strdup(path);
        if (!fresh.path)
            return -1;
        SMAC_VEC_PUSH(&p->seen, fresh, fail);
        s = &p->seen.items[p->seen.len - 1];
        goto fill;
    fail:
        free(fresh.path);
        return -1;
    }
fill:
    s->dev = st->st_dev;
    s->ino = st->st_ino;
    s->size = st->st_size;
    s->mtime = st->st_mtim;
    return 0;
}

/* Loads one peer file if it changed since we last read it. */
static int read_file(smac_psmac *p, smac_runhistory *rh, const char *path, int *n_new, smac_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    p->n_peer_files++;
    seen_file *s = find_seen(p, path);
    if (s && same_stat(s, &st))
        return 0;
    smac_error lerr;
    p->n_loads++;
    /* SMAC3 counts new keys (len(runhistory) before and after), not runs that
     * replaced a placeholder; the log lines keep that meaning. */
    size_t before = smac_rh_size(rh);
    if (smac_rh_load_json(rh, path, SMAC_RH_EXTERNAL_SAME, NULL, &lerr) != 0) {
        if (lerr.code == SMAC_ERR_NOMEM)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        /* A peer's bad file is "no news this round": read it again later. */
        SMAC_WARNING(LOGGER, "Shared model mode: skipping %s this round: %s", path, lerr.message);
        return 0;
    }
    int added = (int)(smac_rh_size(rh) - before);
    SMAC_DEBUG(LOGGER, "Shared model mode: Loaded %d new runs from %s", added, path);
    *n_new += added;
    if (remember(p, path, &st) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    return 0;
}

/* Reads the shared files of one matched folder (a run folder or an output
 * folder whose run_* children were matched separately). */
static int read_dir(smac_psmac *p, smac_runhistory *rh, const char *dir, int *n_new, smac_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0; /* SMAC3 crashes on a non-folder match; we skip it */
    char *real = resolve(dir);
    int own = real && p->own_dir && strcmp(real, p->own_dir) == 0;
    free(real);
    if (own)
        return 0;
    for (size_t i = 0; i < sizeof SHARED_FILES / sizeof SHARED_FILES[0]; i++) {
        char path[PATH_MAX];
        int len = snprintf(path, sizeof path, "%s/%s", dir, SHARED_FILES[i]);
        if (len < 0 || (size_t)len >= sizeof path)
            continue;
        int rc = read_file(p, rh, path, n_new, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* glob() of the pattern and of pattern + "/run_*" (parallel.md §1.3), sorted so the
 * merge order — and so config ids — do not depend on directory order. */
static int expand(const char *pattern, glob_t *g)
{
    int rc = glob(pattern, 0, NULL, g);
    if (rc != 0 && rc != GLOB_NOMATCH)
        return -1;
    size_t n = strlen(pattern) + 8;
    char *sub = malloc(n);
    if (!sub)
        return -1;
    snprintf(sub, n, "%s/run_*", pattern);
    rc = glob(sub, rc == GLOB_NOMATCH ? 0 : GLOB_APPEND, NULL, g);
    free(sub);
    return rc == 0 || rc == GLOB_NOMATCH ? 0 : -1;
}

int smac_psmac_read(smac_psmac *p, smac_runhistory *rh, int *n_new, smac_error *err)
{
    int total = 0;
    p->n_peer_files = 0;
    p->n_loads = 0;
    for (size_t k = 0; k < p->patterns.len; k++) {
        glob_t g;
        memset(&g, 0, sizeof g);
        if (expand(p->patterns.items[k], &g) != 0) {
            globfree(&g);
            return smac_error_set(err, SMAC_ERR_NOMEM, "cannot expand \"%s\"", p->patterns.items[k]);
        }
        for (size_t i = 0; i < g.gl_pathc; i++) {
            int rc = read_dir(p, rh, g.gl_pathv[i], &total, err);
            if (rc != 0) {
                globfree(&g);
                return rc;
            }
        }
        globfree(&g);
    }
    if (p->n_peer_files == 0) {
        SMAC_WARNING(LOGGER, "Shared model mode: input_psmac_dirs \"%s\" matches no run folder of another "
                             "process yet: nothing is shared until one appears",
                     p->patterns.len ? p->patterns.items[0] : "");
    }
    SMAC_INFO(LOGGER, "Shared model mode: Finished loading new runs, found %d new runs.", total);
    if (n_new)
        *n_new = total;
    return 0;
}

int smac_psmac_write(const smac_runhistory *rh, const char *run_dir, smac_error *err)
{
    char path[PATH_MAX];
    int len = snprintf(path, sizeof path, "%s/runhistory.json", run_dir);
    if (len < 0 || (size_t)len >= sizeof path)
        return smac_error_set(err, SMAC_ERR_IO, "%s: path too long", run_dir);
    SMAC_DEBUG(LOGGER, "Saving runhistory to %s", path);
    return smac_rh_save_json(rh, path, err);
}
