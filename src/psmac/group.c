/*
 * pSMAC groups: starting N sharing `smac` processes and turning their run
 * folders into one answer (see group.h for the rules and parallel.md §2 for
 * SMAC3's PSMAC facade, which this replaces).
 *
 * Process handling, and why it looks like this:
 *   - members are fork + exec of the smac binary, not threads in this
 *     process: each is an ordinary run that can be watched, killed and
 *     restored (--restore_state) on its own, exactly like a hand-started
 *     pSMAC process;
 *   - each member gets its own process group, so a Ctrl-C at the terminal
 *     reaches only this process, which passes it on once: a member that got
 *     SIGINT twice would take the second as "die now" and lose its last runs;
 *   - SIGINT, SIGTERM and SIGCHLD are blocked and taken with sigtimedwait()
 *     instead of a handler, which needs no global state in the library.
 */
#include "psmac/group.h"
#include "output/output_dir.h"
#include "util/error.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/vec.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOGGER "smac.facade.psmac_facade.PSMAC"

/* ------------------------------------------------------- member argv */

/* The options the group decides for its members (canonical names). */
static const char *const GROUP_OPTIONS[] = {"mode", "seed", "output_dir", "n_optimizers", "shared_model",
                                            "input_psmac_dirs", "psmac_validate", "incumbents_per_round"};

static int is_flag(const char *arg) { return arg[0] == '-' && arg[1] == '-' && arg[2] != '\0'; }

static int group_option(const smac_option *opt, int keep_psmac_dirs)
{
    for (size_t i = 0; i < sizeof GROUP_OPTIONS / sizeof GROUP_OPTIONS[0]; i++)
        if (strcmp(opt->name, GROUP_OPTIONS[i]) == 0)
            return !(keep_psmac_dirs && strcmp(opt->name, "input_psmac_dirs") == 0);
    return 0;
}

void smac_psmac_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}

char **smac_psmac_member_argv(const char *exe, int argc, char **argv, uint64_t seed, const char *group_dir,
                              const char *pattern)
{
    /* exe + the caller's words + at most 10 of ours + NULL */
    size_t cap = (size_t)(argc > 0 ? argc : 0) + 12;
    char **out = calloc(cap, sizeof *out);
    if (!out)
        return NULL;
    size_t n = 0;
    int user_dirs = 0;
    if (!(out[n++] = strdup(exe)))
        goto nomem;
    /* Walk the words as smac_scenario_parse_args does, so a value is never
     * mistaken for a flag: a PATHLIST flag takes the words up to the next
     * flag, any other flag one word unless written --name=value. A member
     * keeps the user's --input_psmac_dirs when it shares. */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const smac_option *opt = NULL;
        int has_eq = 0;
        if (is_flag(arg)) {
            char name[128];
            const char *eq = strchr(arg, '=');
            size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, arg, len);
            name[len] = '\0';
            opt = smac_scenario_option_find(name + 2);
            has_eq = eq != NULL;
        }
        int words = 1;
        if (opt && !has_eq) {
            if (opt->type == SMAC_OPT_PATHLIST) {
                while (i + words < argc && !is_flag(argv[i + words]))
                    words++;
            } else if (opt->type != SMAC_OPT_HELP && i + 1 < argc && !is_flag(argv[i + 1])) {
                words = 2;
            }
        }
        if (opt && group_option(opt, pattern != NULL)) {
            i += words - 1;
            continue;
        }
        if (opt && strcmp(opt->name, "input_psmac_dirs") == 0)
            user_dirs = 1;
        for (int k = 0; k < words; k++)
            if (!(out[n++] = strdup(argv[i + k])))
                goto nomem;
        i += words - 1;
    }
    char seed_text[32];
    snprintf(seed_text, sizeof seed_text, "%llu", (unsigned long long)seed);
    const char *ours[] = {"--mode", "SMAC4AC", "--seed", seed_text, "--output_dir", group_dir};
    for (size_t k = 0; k < sizeof ours / sizeof ours[0]; k++)
        if (!(out[n++] = strdup(ours[k])))
            goto nomem;
    /* Independent members are told so: a scenario file could say otherwise. */
    const char *share[] = {"--shared_model", pattern ? "True" : "False", "--input_psmac_dirs", pattern};
    size_t n_share = pattern && !user_dirs ? 4 : 2;
    for (size_t k = 0; k < n_share; k++)
        if (!(out[n++] = strdup(share[k])))
            goto nomem;
    out[n] = NULL;
    return out;
nomem:
    smac_psmac_argv_free(out);
    return NULL;
}

/* The folder as a glob that matches only itself, followed by "/run_*". */
static char *run_glob(const char *dir)
{
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    for (const char *s = dir; *s; s++) {
        if (strchr("*?[]\\", *s))
            smac_strbuf_putc(&sb, '\\');
        smac_strbuf_putc(&sb, *s);
    }
    smac_strbuf_puts(&sb, "/run_*");
    return smac_strbuf_take(&sb);
}

/* ----------------------------------------------------- the processes */

typedef struct member {
    uint64_t seed;
    pid_t pid;      /* 0 once reaped */
    int status;     /* waitpid status */
    char **argv;
    char *run_dir;
} member;

static void exec_member(char **argv, const sigset_t *old_mask)
{
    setpgid(0, 0);
    pthread_sigmask(SIG_SETMASK, old_mask, NULL);
    if (strchr(argv[0], '/'))
        execv(argv[0], argv);
    else
        execvp(argv[0], argv);
    /* Only async-signal-safe calls between fork and exec. */
    static const char msg[] = "smac: PSMAC: cannot start a group member\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(127);
}

/* Reaps every finished member; returns how many are still running. */
static int reap(member *m, int n)
{
    int running = 0;
    for (int i = 0; i < n; i++) {
        if (m[i].pid <= 0)
            continue;
        int st;
        pid_t r = waitpid(m[i].pid, &st, WNOHANG);
        if (r == m[i].pid || (r < 0 && errno == ECHILD)) {
            m[i].status = r == m[i].pid ? st : -1;
            m[i].pid = 0;
        } else {
            running++;
        }
    }
    return running;
}

static void forward(member *m, int n, int sig)
{
    for (int i = 0; i < n; i++)
        if (m[i].pid > 0)
            kill(m[i].pid, sig);
}

/* Starts every member and waits for all of them, passing SIGINT/SIGTERM on.
 * Returns the number of signals received. */
static int run_members(member *m, int n, smac_error *err, int *started)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int signals = 0, rc = 0;
    *started = 0;
    for (int i = 0; i < n; i++) {
        fflush(NULL); /* else the child's copy of our stdio buffers is printed twice */
        pid_t pid = fork();
        if (pid < 0) {
            rc = smac_error_set(err, SMAC_ERR_RUNTIME, "PSMAC: cannot start member %d: %s", i + 1, strerror(errno));
            forward(m, i, SIGTERM);
            break;
        }
        if (pid == 0)
            exec_member(m[i].argv, &old);
        setpgid(pid, pid); /* also here: whichever runs first */
        m[i].pid = pid;
        (*started)++;
    }
    while (reap(m, *started) > 0) {
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&block, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            signals++;
            SMAC_INFO(LOGGER, "PSMAC: got signal %d, passing it on to the members", sig);
            forward(m, *started, sig);
        }
    }
    /* A signal that arrived after the last member ended is taken here, not
     * delivered (and fatal) when the mask is restored. */
    struct timespec zero = {0, 0};
    int sig;
    while ((sig = sigtimedwait(&block, NULL, &zero)) > 0)
        if (sig != SIGCHLD)
            signals++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return rc;
    return signals;
}

/* This process's executable, so members run the same binary whatever the
 * current folder and PATH are. */
static char *self_exe(const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (len > 0) {
        buf[len] = '\0';
        return strdup(buf);
    }
    return strdup(argv0 ? argv0 : "smac");
}

/* --------------------------------------------------------- reporting */

static void print_incumbent(const smac_cs *cs, const double *vec, double cost)
{
    char *repr = smac_cs_config_repr(cs, vec);
    SMAC_INFO(LOGGER, "Final Incumbent: %s", repr ? repr : "?");
    free(repr);
    SMAC_INFO(LOGGER, "Estimated cost of incumbent: %f", cost);
}

/* Merges the members' folders, writes merged_runhistory.json and prints the
 * group's incumbent. */
static int report(const smac_scenario *sc, const char *group_dir, member *m, int n, smac_error *err)
{
    smac_rh_options ro;
    smac_rh_options_init(&ro);
    ro.run_obj_runtime = sc->run_obj == SMAC_RUN_OBJ_RUNTIME;
    ro.par_factor = sc->par_factor;
    ro.cutoff = sc->cutoff;
    ro.cost_for_crash = sc->cost_for_crash;
    smac_runhistory *rh = smac_runhistory_new(sc->cs, &ro);
    char **dirs = calloc((size_t)n, sizeof *dirs);
    size_t *counts = calloc((size_t)n, sizeof *counts);
    int *ids = calloc((size_t)n, sizeof *ids);
    int *owner = calloc((size_t)n, sizeof *owner);
    int np = smac_cs_n_params(sc->cs);
    double *vec = malloc((size_t)(np > 0 ? np : 1) * sizeof *vec);
    int rc = 0;
    if (!rh || !dirs || !counts || !ids || !owner || !vec) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* Members that saved nothing (failed to start) are left out. */
    size_t nd = 0;
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/runhistory.json", m[i].run_dir);
        if (access(path, R_OK) == 0) {
            owner[nd] = i;
            dirs[nd++] = m[i].run_dir;
        } else {
            SMAC_WARNING(LOGGER, "PSMAC: %s has no runhistory.json; left out of the merge", m[i].run_dir);
        }
    }
    if ((rc = smac_psmac_merge_run_dirs(rh, dirs, nd, counts, err)) != 0)
        goto out;
    size_t total = 0;
    for (size_t i = 0; i < nd; i++)
        total += counts[i];
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/merged_runhistory.json", group_dir);
    if ((rc = smac_rh_save_json(rh, path, err)) != 0)
        goto out;
    SMAC_INFO(LOGGER, "PSMAC: merged %zu runs of %zu run folders (%zu distinct) into %s", total, nd,
              smac_rh_size(rh), path);
    for (size_t i = 0; i < nd; i++) {
        smac_error ierr;
        int found = smac_psmac_run_incumbent(sc->cs, dirs[i], vec, &ierr);
        if (found < 0)
            SMAC_WARNING(LOGGER, "PSMAC: %s", ierr.message);
        ids[i] = found > 0 ? smac_rh_find_config(rh, vec) : 0;
    }
    double score;
    int covered, n_inst;
    int best = smac_psmac_rank_incumbents(rh, ids, nd, &score, &covered, &n_inst);
    if (best < 0) {
        SMAC_INFO(LOGGER, "PSMAC: no member has an incumbent with a finished run");
        SMAC_INFO(LOGGER, "Final Incumbent: None");
        goto out;
    }
    SMAC_INFO(LOGGER,
              "PSMAC: group incumbent = the incumbent of run_%llu, the best of %zu members' incumbents "
              "on the merged runs (%d of %d instances)",
              (unsigned long long)m[owner[best]].seed, nd, covered, n_inst);
    print_incumbent(sc->cs, smac_rh_config(rh, ids[best]), score);
out:
    free(vec);
    free(owner);
    free(ids);
    free(counts);
    free(dirs);
    smac_runhistory_free(rh);
    return rc;
}

int smac_psmac_group_run(smac_scenario *sc, const char *smac_exe, int argc, char **argv, smac_error *err)
{
    int rc = smac_scenario_finish(sc, err);
    if (rc != 0)
        return rc;
    if (sc->restore_state)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "--restore_state continues one run: restore each member of a group with "
                              "--mode SMAC4AC and its own --seed");
    if (sc->output_dir && !*sc->output_dir)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "PSMAC members share their runs through files: --output_dir cannot be empty");
    /* SMAC3 runs at least two optimisers. */
    int n = sc->n_optimizers < 2 ? 2 : sc->n_optimizers;
    if (sc->seed + (uint64_t)(n - 1) > 4294967295u)
        return smac_error_set(err, SMAC_ERR_INVALID, "PSMAC: seeds %llu..%llu leave the range 0..2^32-1",
                              (unsigned long long)sc->seed, (unsigned long long)sc->seed + (uint64_t)(n - 1));
    /* An output folder the user chose is the group folder; SMAC3 always makes a new one. */
    char *group_dir = smac_scenario_is_set(sc, "output_dir") ? strdup(sc->output_dir)
                                                             : smac_output_default_name("psmac3-output");
    char *exe = smac_exe ? strdup(smac_exe) : self_exe(argc > 0 ? argv[0] : NULL);
    int share = !(smac_scenario_is_set(sc, "shared_model") && !sc->shared_model);
    char *pattern = share ? run_glob(group_dir ? group_dir : "") : NULL;
    member *m = calloc((size_t)n, sizeof *m);
    int started = 0;
    if (!group_dir || !exe || (share && !pattern) || !m) {
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = smac_mkdirs(group_dir, err)) != 0)
        goto out;
    for (int i = 0; i < n; i++) {
        m[i].seed = sc->seed + (uint64_t)i;
        m[i].argv = smac_psmac_member_argv(exe, argc, argv, m[i].seed, group_dir, pattern);
        size_t len = strlen(group_dir) + 32;
        m[i].run_dir = malloc(len);
        if (!m[i].argv || !m[i].run_dir) {
            rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            goto out;
        }
        snprintf(m[i].run_dir, len, "%s/run_%llu", group_dir, (unsigned long long)m[i].seed);
    }
    SMAC_INFO(LOGGER, "PSMAC: starting %d optimizers (seeds %llu..%llu) in %s%s", n, (unsigned long long)sc->seed,
              (unsigned long long)m[n - 1].seed, group_dir, share ? ", sharing their runs" : ", independent");
    int signals = run_members(m, n, err, &started);
    if (signals < 0) {
        rc = signals;
        goto out;
    }
    int failed = 0;
    for (int i = 0; i < started; i++) {
        int st = m[i].status;
        if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
            continue;
        failed++;
        if (st != -1 && WIFSIGNALED(st))
            SMAC_WARNING(LOGGER, "PSMAC: the optimizer with seed %llu was killed by signal %d",
                         (unsigned long long)m[i].seed, WTERMSIG(st));
        else
            SMAC_WARNING(LOGGER, "PSMAC: the optimizer with seed %llu exited with status %d",
                         (unsigned long long)m[i].seed, st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    if ((rc = report(sc, group_dir, m, started, err)) != 0)
        goto out;
    if (failed || signals)
        rc = smac_error_set(err, SMAC_ERR_RUNTIME, "PSMAC: %d of %d optimizers did not finish normally%s", failed,
                            n, signals ? " (stopped by a signal)" : "");
out:
    for (int i = 0; m && i < n; i++) {
        smac_psmac_argv_free(m[i].argv);
        free(m[i].run_dir);
    }
    free(m);
    free(pattern);
    free(exe);
    free(group_dir);
    return rc;
}

/* ---------------------------------------------------- run folders */

void smac_psmac_strlist_free(smac_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int has_file(const char *dir, const char *name)
{
    char path[PATH_MAX];
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return len > 0 && (size_t)len < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int add_run_dir(smac_strlist *out, char ***reals, const char *dir, smac_error *err)
{
    char buf[PATH_MAX];
    const char *real = realpath(dir, buf) ? buf : dir;
    for (size_t i = 0; i < out->n; i++)
        if (strcmp((*reals)[i], real) == 0)
            return 0;
    char **items = realloc(out->items, (out->n + 1) * sizeof *items);
    if (items)
        out->items = items;
    char **r = realloc(*reals, (out->n + 1) * sizeof *r);
    if (r)
        *reals = r;
    if (!items || !r)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    items[out->n] = strdup(dir);
    r[out->n] = strdup(real);
    if (!items[out->n] || !r[out->n]) {
        free(items[out->n]);
        free(r[out->n]);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    out->n++;
    return 0;
}

int smac_psmac_find_run_dirs(char *const *args, int n_args, smac_strlist *out, smac_error *err)
{
    char **reals = NULL;
    /* Folders already in `out` count as found (compared by real path). */
    if (out->n) {
        reals = calloc(out->n, sizeof *reals);
        if (!reals)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < out->n; i++) {
            char buf[PATH_MAX];
            reals[i] = strdup(realpath(out->items[i], buf) ? buf : out->items[i]);
            if (!reals[i]) {
                for (size_t k = 0; k < i; k++)
                    free(reals[k]);
                free(reals);
                return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            }
        }
    }
    int rc = 0;
    for (int a = 0; a < n_args && rc == 0; a++) {
        glob_t g;
        memset(&g, 0, sizeof g);
        int grc = glob(args[a], 0, NULL, &g);
        if (grc != 0 && grc != GLOB_NOMATCH) {
            globfree(&g);
            rc = smac_error_set(err, SMAC_ERR_NOMEM, "cannot expand \"%s\"", args[a]);
            break;
        }
        for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
            const char *path = g.gl_pathv[i];
            if (!is_dir(path))
                continue;
            if (has_file(path, "runhistory.json")) {
                rc = add_run_dir(out, &reals, path, err);
                continue;
            }
            /* The folder name may contain glob characters of its own. */
            char *pat = run_glob(path);
            if (!pat) {
                rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
                break;
            }
            glob_t gs;
            memset(&gs, 0, sizeof gs);
            if (glob(pat, 0, NULL, &gs) == 0)
                for (size_t k = 0; k < gs.gl_pathc && rc == 0; k++)
                    if (is_dir(gs.gl_pathv[k]) && has_file(gs.gl_pathv[k], "runhistory.json"))
                        rc = add_run_dir(out, &reals, gs.gl_pathv[k], err);
            globfree(&gs);
            free(pat);
        }
        globfree(&g);
    }
    for (size_t i = 0; i < out->n; i++)
        free(reals ? reals[i] : NULL);
    free(reals);
    return rc;
}

/* ------------------------------------------------ the space of a run */

static const char *const OWN_OUTPUTS[] = {"runhistory.json", "validated_runhistory.json", "stats.json",
                                          "traj.json", "traj_aclib2.json", "merged_runhistory.json",
                                          "validated_runhistory_EPM.json"};

static int own_output(const char *name)
{
    for (size_t i = 0; i < sizeof OWN_OUTPUTS / sizeof OWN_OUTPUTS[0]; i++)
        if (strcmp(name, OWN_OUTPUTS[i]) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The base name of the space file scenario.txt names, or "" (in buf). */
static void scenario_space_name(const char *run_dir, char *buf, size_t cap)
{
    buf[0] = '\0';
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/scenario.txt", run_dir);
    char *text = NULL;
    size_t len;
    if (smac_read_file(path, &text, &len, NULL) != 0)
        return;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '\t')
            line++;
        size_t key = strcspn(line, " \t=:");
        if (!((key == 6 && strncmp(line, "pcs_fn", 6) == 0) || (key == 9 && strncmp(line, "paramfile", 9) == 0)))
            continue;
        char *v = line + key;
        while (*v == ' ' || *v == '\t' || *v == '=' || *v == ':')
            v++;
        char *end = v + strlen(v);
        while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            *--end = '\0';
        const char *base = strrchr(v, '/');
        snprintf(buf, cap, "%s", base ? base + 1 : v);
        break;
    }
    free(text);
}

int smac_psmac_read_run_space(const char *run_dir, smac_cs **out, smac_error *err)
{
    char name[NAME_MAX + 1];
    scenario_space_name(run_dir, name, sizeof name);
    if (!name[0] || !has_file(run_dir, name)) {
        snprintf(name, sizeof name, "configspace.json");
        if (!has_file(run_dir, name)) {
            /* Another .json (ours: <stem>.json for a .pcs), else a .pcs copy. */
            name[0] = '\0';
            DIR *d = opendir(run_dir);
            char pcs[NAME_MAX + 1] = "";
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                if (ends_with(e->d_name, ".json") && !own_output(e->d_name) && strchr(e->d_name, '.') &&
                    (!name[0] || strcmp(e->d_name, name) < 0))
                    snprintf(name, sizeof name, "%s", e->d_name);
                if (ends_with(e->d_name, ".pcs") && (!pcs[0] || strcmp(e->d_name, pcs) < 0))
                    snprintf(pcs, sizeof pcs, "%s", e->d_name);
            }
            if (d)
                closedir(d);
            if (!name[0])
                snprintf(name, sizeof name, "%s", pcs);
        }
    }
    if (!name[0])
        return smac_error_set(err, SMAC_ERR_IO,
                              "%s: no configuration space found in the run folder (give one with --pcs)", run_dir);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", run_dir, name);
    return smac_cs_read_file(path, SMAC_CS_AUTO, out, err);
}

/* ------------------------------------------------------- merging */

int smac_psmac_merge_run_dirs(smac_runhistory *rh, char *const *dirs, size_t n, size_t *n_read, smac_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        int len = snprintf(path, sizeof path, "%s/runhistory.json", dirs[i]);
        if (len < 0 || (size_t)len >= sizeof path)
            return smac_error_set(err, SMAC_ERR_IO, "%s: path too long", dirs[i]);
        /* Each file into a history of its own first: its run count is what
         * the folder contributed before duplicates are dropped. */
        smac_runhistory *part = smac_runhistory_new(smac_rh_space(rh), smac_rh_get_options(rh));
        if (!part)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        int rc = smac_rh_load_json(part, path, SMAC_RH_INTERNAL, NULL, err);
        if (rc == 0)
            rc = smac_rh_merge(rh, part, SMAC_RH_INTERNAL, NULL, err);
        if (rc == 0 && n_read)
            n_read[i] = smac_rh_size(part);
        smac_runhistory_free(part);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------- incumbents */

/* The last non-empty line of a file (malloc'd), or NULL with *found = 0. */
static int last_line(const char *path, char **line, smac_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *line = NULL;
    if (smac_read_file(path, &text, &len, NULL) != 0)
        return 0;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    if (len == 0) {
        free(text);
        return 0;
    }
    char *start = text + len;
    while (start > text && start[-1] != '\n')
        start--;
    *line = strdup(start);
    free(text);
    if (!*line)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    return 1;
}

/* One value of traj.json's "incumbent" object as the space's text. */
static int value_text(const json_t *v, char *buf, size_t cap)
{
    if (json_is_string(v))
        return snprintf(buf, cap, "%s", json_string_value(v)) < (int)cap ? 0 : -1;
    if (json_is_integer(v))
        return snprintf(buf, cap, "%lld", (long long)json_integer_value(v)), 0;
    if (json_is_real(v)) {
        char tmp[SMAC_DOUBLE_TEXT];
        smac_format_double(json_real_value(v), tmp);
        return snprintf(buf, cap, "%s", tmp), 0;
    }
    return -1;
}

int smac_psmac_run_incumbent(const smac_cs *cs, const char *run_dir, double *vec, smac_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/traj.json", run_dir);
    char *line = NULL;
    int found = last_line(path, &line, err);
    if (found <= 0)
        return found;
    json_error_t jerr;
    json_t *entry = json_loads(line, 0, &jerr);
    free(line);
    json_t *inc = entry ? json_object_get(entry, "incumbent") : NULL;
    if (!json_is_object(inc)) {
        json_decref(entry);
        return smac_error_set(err, SMAC_ERR_PARSE, "%s: the last line is not a trajectory entry", path);
    }
    int np = smac_cs_n_params(cs), rc = 1;
    for (int i = 0; i < np && rc == 1; i++) {
        const json_t *v = json_object_get(inc, smac_cs_param_name(cs, i));
        vec[i] = NAN;
        if (!v)
            continue; /* inactive */
        char text[512];
        if (value_text(v, text, sizeof text) != 0)
            rc = smac_error_set(err, SMAC_ERR_PARSE, "%s: the value of '%s' is not a number or text", path,
                                smac_cs_param_name(cs, i));
        else if (smac_cs_parse_value(cs, i, text, &vec[i], err) != 0)
            rc = smac_error_locate(err, path, 0, 0);
    }
    json_decref(entry);
    return rc;
}

/* Mean cost of configuration `id` per instance (index + 1; slot 0 = no
 * instance): sums[k] / counts[k], over its counted pairs. */
static void per_instance(const smac_runhistory *rh, int id, double *sums, int *counts, int slots)
{
    for (int k = 0; k < slots; k++) {
        sums[k] = 0;
        counts[k] = 0;
    }
    size_t n;
    const smac_rh_isb *pairs = smac_rh_config_runs(rh, id, &n);
    for (size_t i = 0; i < n; i++) {
        int k = pairs[i].instance + 1;
        double c = smac_rh_average_cost(rh, id, &pairs[i], 1);
        if (k < 0 || k >= slots || isnan(c))
            continue;
        sums[k] += c;
        counts[k]++;
    }
}

int smac_psmac_rank_incumbents(const smac_runhistory *rh, const int *ids, size_t n, double *score, int *n_covered,
                               int *n_instances)
{
    int slots = smac_rh_n_instances(rh) + 1;
    double *sums = malloc((size_t)slots * sizeof *sums);
    int *counts = malloc((size_t)slots * sizeof *counts);
    char *in_i = calloc((size_t)slots, 1);
    if (!sums || !counts || !in_i) {
        free(sums);
        free(counts);
        free(in_i);
        return -1;
    }
    /* I: every instance any candidate has a counted run on. */
    int size_i = 0;
    for (size_t c = 0; c < n; c++) {
        if (ids[c] <= 0)
            continue;
        per_instance(rh, ids[c], sums, counts, slots);
        for (int k = 0; k < slots; k++)
            if (counts[k] && !in_i[k]) {
                in_i[k] = 1;
                size_i++;
            }
    }
    int best = -1, best_cov = 0, best_pairs = 0;
    double best_score = NAN;
    for (size_t c = 0; c < n; c++) {
        if (ids[c] <= 0 || smac_rh_n_runs(rh, ids[c]) == 0)
            continue;
        per_instance(rh, ids[c], sums, counts, slots);
        int cov = 0;
        double total = 0;
        for (int k = 0; k < slots; k++)
            if (in_i[k] && counts[k]) {
                cov++;
                total += sums[k] / counts[k];
            }
        double s = total / cov;
        int pairs = smac_rh_n_runs(rh, ids[c]);
        int better = best < 0 || cov > best_cov ||
                     (cov == best_cov && (s < best_score || (s == best_score && pairs > best_pairs)));
        if (better) {
            best = (int)c;
            best_cov = cov;
            best_score = s;
            best_pairs = pairs;
        }
    }
    free(sums);
    free(counts);
    free(in_i);
    if (score)
        *score = best_score;
    if (n_covered)
        *n_covered = best_cov;
    if (n_instances)
        *n_instances = size_i;
    return best;
}

int smac_psmac_best_config(const smac_runhistory *rh, double *cost)
{
    int n = smac_rh_n_configs(rh);
    const int *ids = smac_rh_config_ids(rh);
    int best = 0, best_runs = 0;
    double best_cost = NAN;
    for (int i = 0; i < n; i++) {
        int runs = smac_rh_n_runs(rh, ids[i]);
        double c = smac_rh_cost(rh, ids[i]);
        if (runs == 0 || isnan(c))
            continue;
        if (runs > best_runs || (runs == best_runs && (c < best_cost || (c == best_cost && ids[i] < best)))) {
            best = ids[i];
            best_runs = runs;
            best_cost = c;
        }
    }
    if (cost)
        *cost = best_cost;
    return best;
}
