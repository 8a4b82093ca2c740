/* pSMAC file sharing (see psmac.h for the protocol and why no locks).
 *
 * A read when nothing changed costs a few stat() calls per peer: the own
 * folder is recognised by device and inode (no realpath(), which walks every
 * path component with readlink), and a glob whose wildcards sit in its last
 * component is expanded again only when a folder it looked into changed
 * (its mtime moves whenever an entry is created, removed or renamed). */
#include "psmac/psmac.h"
#include "psmac/journal.h"
#include "util/error.h"
#include "util/log.h"
#include "util/vec.h"

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define LOGGER "smac.optimizer.smbo.SMBO"

static const char *const SHARED_FILES[] = {"runhistory.json", "validated_runhistory.json"};

/* What a file looked like when we last loaded it successfully. */
typedef struct seen_file {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    smac_journal_cursor cursor; /* journals: how far we have read */
} seen_file;

/* A folder's identity and last change, to tell whether a glob could now
 * match something else. */
typedef struct dir_stamp {
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    int exists;
} dir_stamp;

/* One pattern and its last expansion (pattern, then pattern/run_*). */
typedef struct pattern_cache {
    char *pattern;
    char *parent;          /* the folder the last component is matched in; NULL: not cacheable */
    int valid;
    glob_t g;
    SMAC_VEC(dir_stamp) stamps; /* [0] parent, then one per match of the pattern itself */
    size_t n_top;               /* matches of the pattern itself (the first n_top of g) */
    int trusted;                /* every stamped mtime was well in the past when taken */
} pattern_cache;

struct smac_psmac {
    SMAC_VEC(pattern_cache) patterns;
    char *own_dir;           /* our run folder as given, or NULL */
    int warned_same_seed;    /* the same-seed warning is given once */
    SMAC_VEC(seen_file) seen;
    int n_peer_files;
    int n_loads;
    smac_journal_writer journal; /* our own runs appended so far */
};

static int has_magic(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '\\')
            return 1;
    return 0;
}

/* The folder part of a pattern whose wildcards are all in its last
 * component, or NULL when the pattern is not of that shape. */
static char *cache_parent(const char *pattern)
{
    const char *slash = strrchr(pattern, '/');
    if (!slash)
        return strdup(".");
    if (slash[1] == '\0' || has_magic(pattern, (size_t)(slash - pattern)))
        return NULL; /* a trailing slash or wildcards in the middle: glob every time */
    if (slash == pattern)
        return strdup("/");
    char *p = malloc((size_t)(slash - pattern) + 1);
    if (p) {
        memcpy(p, pattern, (size_t)(slash - pattern));
        p[slash - pattern] = '\0';
    }
    return p;
}

smac_psmac *smac_psmac_new(const char *pattern, const char *own_run_dir, smac_error *err)
{
    smac_psmac *p = calloc(1, sizeof *p);
    if (!p) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (own_run_dir && !(p->own_dir = strdup(own_run_dir))) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        free(p);
        return NULL;
    }
    if (pattern && smac_psmac_add_pattern(p, pattern, err) != 0) {
        smac_psmac_free(p);
        return NULL;
    }
    return p;
}

int smac_psmac_add_pattern(smac_psmac *p, const char *pattern, smac_error *err)
{
    pattern_cache c;
    memset(&c, 0, sizeof c);
    c.pattern = strdup(pattern);
    if (!c.pattern)
        goto nomem;
    c.parent = cache_parent(pattern); /* NULL (not cacheable) also when out of memory: still correct */
    SMAC_VEC_PUSH(&p->patterns, c, nomem);
    return 0;
nomem:
    free(c.pattern);
    free(c.parent);
    return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
}

static void drop_expansion(pattern_cache *c)
{
    if (c->valid)
        globfree(&c->g);
    c->valid = 0;
    c->stamps.len = 0;
}

void smac_psmac_free(smac_psmac *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->patterns.len; i++) {
        pattern_cache *c = &p->patterns.items[i];
        drop_expansion(c);
        SMAC_VEC_FREE(&c->stamps);
        free(c->pattern);
        free(c->parent);
    }
    SMAC_VEC_FREE(&p->patterns);
    for (size_t i = 0; i < p->seen.len; i++)
        free(p->seen.items[i].path);
    SMAC_VEC_FREE(&p->seen);
    smac_journal_writer_free(&p->journal);
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

/* A peer's journal: only what it appended since our last read. */
static int read_journal(smac_psmac *p, smac_runhistory *rh, const char *path, int *n_new, smac_error *err)
{
    p->n_peer_files++;
    seen_file *s = find_seen(p, path);
    if (!s) {
        struct stat st = {0};
        if (remember(p, path, &st) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        s = find_seen(p, path);
    }
    off_t before = s->cursor.offset;
    int added = 0;
    int rc = smac_journal_read(&s->cursor, rh, path, &added, err);
    if (rc != 0)
        return rc;
    if (s->cursor.offset != before) {
        p->n_loads++;
        SMAC_DEBUG(LOGGER, "Shared model mode: Loaded %d new runs from %s", added, path);
    }
    *n_new += added;
    return 0;
}

static const char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *b = path + n;
    while (b > path && b[-1] != '/')
        b--;
    return b;
}

/* Another process's folder named like ours (run_<seed>) means another run
 * with our seed: it proposes the very same configurations (SMAC3 issue #445),
 * so the group wastes its work. Said once, loudly. */
static void warn_same_seed(smac_psmac *p, const char *dir)
{
    if (!p->own_dir || p->warned_same_seed)
        return;
    const char *mine = base_name(p->own_dir), *theirs = base_name(dir);
    size_t lm = strcspn(mine, "/"), lt = strcspn(theirs, "/");
    if (lm == lt && strncmp(mine, "run_", 4) == 0 && strncmp(mine, theirs, lm) == 0) {
        SMAC_WARNING(LOGGER, "Shared model mode: %s belongs to another run with the same seed as this one "
                             "(%.*s): both will propose the same configurations; give every run its own --seed",
                     dir, (int)lm, mine);
        p->warned_same_seed = 1;
    }
}

/* Reads the shared files of one matched folder (a run folder or an output
 * folder whose run_* children were matched separately). `own` is our run
 * folder's stat (st_ino 0: none). */
static int read_dir(smac_psmac *p, smac_runhistory *rh, const char *dir, const struct stat *own, int *n_new,
                    smac_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0; /* SMAC3 crashes on a non-folder match; we skip it */
    if (own->st_ino != 0 && st.st_dev == own->st_dev && st.st_ino == own->st_ino)
        return 0;
    warn_same_seed(p, dir);
    /* A peer of this project keeps a journal: read what it appended instead
     * of parsing its whole runhistory.json again. */
    char jpath[PATH_MAX];
    int jlen = snprintf(jpath, sizeof jpath, "%s/%s", dir, SMAC_JOURNAL_NAME);
    int has_journal = jlen > 0 && (size_t)jlen < sizeof jpath && stat(jpath, &st) == 0 && S_ISREG(st.st_mode);
    if (has_journal) {
        int rc = read_journal(p, rh, jpath, n_new, err);
        if (rc != 0)
            return rc;
    }
    for (size_t i = has_journal ? 1 : 0; i < sizeof SHARED_FILES / sizeof SHARED_FILES[0]; i++) {
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

static void stamp_of(const char *dir, dir_stamp *s)
{
    struct stat st;
    memset(s, 0, sizeof *s);
    if (stat(dir, &st) == 0) {
        s->exists = 1;
        s->dev = st.st_dev;
        s->ino = st.st_ino;
        s->mtime = st.st_mtim;
    }
}

static int same_stamp(const dir_stamp *a, const dir_stamp *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Whether the last expansion still holds: the parent and every folder the
 * run_* glob looked into are unchanged. An mtime only moves from one clock
 * tick to the next, so a folder changed again within the tick in which it
 * was stamped would look unchanged: stamps whose mtime was less than two
 * seconds old when taken are not trusted, and the pattern is globbed again
 * until the folders have been quiet that long. */
static int expansion_current(pattern_cache *c)
{
    if (!c->parent || !c->valid || !c->trusted)
        return 0;
    dir_stamp now;
    stamp_of(c->parent, &now);
    if (!same_stamp(&now, &c->stamps.items[0]))
        return 0;
    for (size_t i = 0; i < c->n_top; i++) {
        stamp_of(c->g.gl_pathv[i], &now);
        if (!same_stamp(&now, &c->stamps.items[i + 1]))
            return 0;
    }
    return 1;
}

/* glob() of the pattern and of pattern + "/run_*" (parallel.md §1.3), sorted
 * so the merge order — and so config ids — do not depend on directory order.
 * The folders are stamped *before* they are listed, so a change made while
 * listing shows up as a changed stamp next time. */
static int expand(pattern_cache *c)
{
    if (expansion_current(c))
        return 0;
    drop_expansion(c);
    dir_stamp parent;
    struct timespec taken;
    clock_gettime(CLOCK_REALTIME, &taken);
    if (c->parent)
        stamp_of(c->parent, &parent);
    memset(&c->g, 0, sizeof c->g);
    int rc = glob(c->pattern, 0, NULL, &c->g);
    if (rc != 0 && rc != GLOB_NOMATCH) {
        globfree(&c->g);
        return -1;
    }
    c->valid = 1;
    c->n_top = c->g.gl_pathc;
    if (c->parent) {
        SMAC_VEC_PUSH(&c->stamps, parent, nomem);
        for (size_t i = 0; i < c->n_top; i++) {
            dir_stamp s;
            stamp_of(c->g.gl_pathv[i], &s);
            SMAC_VEC_PUSH(&c->stamps, s, nomem);
        }
    }
    c->trusted = c->parent != NULL;
    for (size_t i = 0; i < c->stamps.len; i++)
        if (c->stamps.items[i].exists && c->stamps.items[i].mtime.tv_sec + 2 > taken.tv_sec)
            c->trusted = 0;
    size_t n = strlen(c->pattern) + 8;
    char *sub = malloc(n);
    if (!sub)
        goto nomem;
    snprintf(sub, n, "%s/run_*", c->pattern);
    rc = glob(sub, rc == GLOB_NOMATCH ? 0 : GLOB_APPEND, NULL, &c->g);
    free(sub);
    if (rc != 0 && rc != GLOB_NOMATCH)
        goto nomem;
    return 0;
nomem:
    drop_expansion(c);
    return -1;
}

int smac_psmac_read(smac_psmac *p, smac_runhistory *rh, int *n_new, smac_error *err)
{
    int total = 0;
    p->n_peer_files = 0;
    p->n_loads = 0;
    struct stat own;
    memset(&own, 0, sizeof own);
    if (p->own_dir && stat(p->own_dir, &own) != 0)
        memset(&own, 0, sizeof own);
    for (size_t k = 0; k < p->patterns.len; k++) {
        pattern_cache *c = &p->patterns.items[k];
        if (expand(c) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "cannot expand \"%s\"", c->pattern);
        for (size_t i = 0; i < c->g.gl_pathc; i++) {
            int rc = read_dir(p, rh, c->g.gl_pathv[i], &own, &total, err);
            if (rc != 0)
                return rc;
        }
    }
    if (p->n_peer_files == 0) {
        SMAC_WARNING(LOGGER, "Shared model mode: input_psmac_dirs \"%s\" matches no run folder of another "
                             "process yet: nothing is shared until one appears",
                     p->patterns.len ? p->patterns.items[0].pattern : "");
    }
    SMAC_INFO(LOGGER, "Shared model mode: Finished loading new runs, found %d new runs.", total);
    if (n_new)
        *n_new = total;
    return 0;
}

int smac_psmac_publish(smac_psmac *p, const smac_runhistory *rh, const char *run_dir, smac_error *err)
{
    int rc = smac_psmac_write(rh, run_dir, err);
    if (rc == 0)
        rc = smac_journal_append(&p->journal, rh, run_dir, err);
    return rc;
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
