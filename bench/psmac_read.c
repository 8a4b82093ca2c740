/*
 * bench-psmac_read: what pSMAC sharing costs and what it buys.
 *
 * (a) The cost of one shared-model read (smac_psmac_read, run before every
 *     SMBO iteration) with 8, 32 and 64 peer runs of 10,000 runs each: the
 *     first read (everything new), a read when nothing changed, and a read
 *     after one peer rewrote its file with 1 or 100 more runs. SMAC3 v1.1
 *     re-reads and re-parses every peer file on every read; the anchor
 *     (shared/anchors/RESULTS.md) is 4.2-4.4 s wall (1.4 s CPU) for one peer
 *     file of 10,000 runs already known, so 64 peers cost it ~275 s a read.
 *
 *         bench-psmac_read [--peers 8,32,64] [--runs 10000] [--repeat 200]
 *
 * (b) --speedup [--full]: wall-clock time until a group first reaches a
 *     target cost, for 1, 2, 4 (full: 8) `smac` processes sharing their runs
 *     against as many independent processes, on Branin with a target that
 *     sleeps for a time proportional to its cost (so good configurations are
 *     also cheap, as in algorithm configuration). Needs the `smac` binary
 *     next to this one. The default is one quick repetition; --full runs
 *     five seeds per setting and prints medians.
 *
 * Temp files go to $TMPDIR (default /tmp) and are removed at the end.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "psmac/psmac.h"
#include "runhistory/runhistory.h"
#include "smac.h"
#include "util/fsutil.h"
#include "util/log.h"

/* A space like a small algorithm-configuration problem: 4 reals, an
 * integer and a categorical. */
static const char SPACE[] = "a [0, 1] [0.5]\n"
                            "b [0.001, 100] [1] l\n"
                            "c [-5, 5] [0]\n"
                            "d [0, 10] [5]\n"
                            "n [1, 64] [8] il\n"
                            "kind {x, y, z} [x]\n";

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void die(const char *what, const smac_error *err)
{
    fprintf(stderr, "bench-psmac_read: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
    exit(1);
}

/* ------------------------------------------------------------- (a) */

typedef struct peer {
    char dir[PATH_MAX];
    smac_runhistory *rh;
    smac_rng rng;
} peer;

/* Adds `n` runs of new random configurations to a peer's history. */
static void grow(peer *p, const smac_cs *cs, int n)
{
    double vec[16]; /* the space has 6 parameters */
    smac_error err;
    for (int i = 0; i < n; i++) {
        if (smac_cs_sample(cs, &p->rng, vec, &err) != 0)
            die("sampling", &err);
        int id;
        if (smac_rh_intern_config(p->rh, vec, "Random Search", &id) < 0)
            die("out of memory", NULL);
        double cost = smac_rng_uniform(&p->rng) * 100;
        smac_run_value v = {cost, cost / 10, SMAC_STATUS_SUCCESS, 1.8e9, 1.8e9 + cost / 10, NULL};
        if (smac_rh_add(p->rh, id, NULL, (int64_t)smac_rng_below(&p->rng, 1u << 30), 0.0, &v, SMAC_RH_INTERNAL, 0,
                        &err) < 0)
            die("adding a run", &err);
    }
}

static void publish(peer *p)
{
    smac_error err;
    if (smac_psmac_write(p->rh, p->dir, &err) != 0)
        die("writing a peer file", &err);
}

typedef struct timing {
    double wall_ms, cpu_ms;
} timing;

static timing timed_read(smac_psmac *ps, smac_runhistory *rh, int *n_new)
{
    smac_error err;
    double w = wall(), c = cpu();
    if (smac_psmac_read(ps, rh, n_new, &err) != 0)
        die("reading", &err);
    timing t = {(wall() - w) * 1e3, (cpu() - c) * 1e3};
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void bench_reads(const int *peer_counts, int n_counts, int runs, int repeat)
{
    smac_error err;
    smac_cs *cs;
    if (smac_cs_read_text(SPACE, strlen(SPACE), "bench.pcs", SMAC_CS_PCS, &cs, &err) != 0)
        die("the space", &err);
    int max_peers = 0;
    for (int i = 0; i < n_counts; i++)
        max_peers = peer_counts[i] > max_peers ? peer_counts[i] : max_peers;
    const char *tmp = getenv("TMPDIR");
    char base[1024];
    snprintf(base, sizeof base, "%s/bench-psmac-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base))
        die("cannot create a temp folder", NULL);

    /* The peers' folders: <base>/set<P>/smac3-output_<k>/run_<k+1>/runhistory.json,
     * written for the largest P; the smaller sets get real folders with hard
     * links to the same files (no symlinks: a reader would resolve them on
     * every stat). Peer 0 publishes into the set being measured. */
    printf("generating %d peer files of %d runs each in %s ...\n", max_peers, runs, base);
    fflush(stdout);
    double t0 = wall();
    peer *peers = calloc((size_t)max_peers, sizeof *peers);
    size_t bytes = 0;
    for (int k = 0; k < max_peers; k++) {
        snprintf(peers[k].dir, sizeof peers[k].dir, "%s/set%d/smac3-output_%02d/run_%d", base, max_peers, k, k + 1);
        if (smac_mkdirs(peers[k].dir, &err) != 0)
            die("mkdir", &err);
        peers[k].rh = smac_runhistory_new(cs, NULL);
        smac_rng_seed(&peers[k].rng, (uint64_t)k + 1, 7);
        grow(&peers[k], cs, runs);
        publish(&peers[k]);
        struct stat st;
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/runhistory.json", peers[k].dir);
        if (stat(path, &st) == 0)
            bytes += (size_t)st.st_size;
        /* Only the one peer that keeps writing needs its history in memory. */
        if (k > 0) {
            smac_runhistory_free(peers[k].rh);
            peers[k].rh = NULL;
        }
    }
    printf("generated in %.1f s (%.1f MB per file)\n\n", wall() - t0, (double)bytes / max_peers / 1e6);
    printf("%6s %10s | %14s | %21s | %17s | %17s | %16s %9s\n", "peers", "runs/peer", "first read", "unchanged (per read)",
           "1 new run", "100 new runs", "SMAC3 v1.1/read", "ratio");
    printf("%6s %10s | %14s | %21s | %17s | %17s | %16s %9s\n", "", "", "ms wall", "ms wall (ms CPU)", "ms wall (CPU)",
           "ms wall (CPU)", "s wall (est.)", "unchanged");

    for (int c = 0; c < n_counts; c++) {
        int P = peer_counts[c];
        char set[PATH_MAX], pattern[PATH_MAX + 32];
        snprintf(set, sizeof set, "%s/set%d", base, P);
        for (int k = 0; P != max_peers && k < P; k++) {
            char dir[PATH_MAX + 64], from[PATH_MAX + 32], to[PATH_MAX + 128];
            snprintf(dir, sizeof dir, "%s/smac3-output_%02d/run_%d", set, k, k + 1);
            snprintf(from, sizeof from, "%s/runhistory.json", peers[k].dir);
            snprintf(to, sizeof to, "%s/runhistory.json", dir);
            if (smac_mkdirs(dir, &err) != 0)
                die("mkdir", &err);
            if (link(from, to) != 0 && errno != EEXIST)
                die("cannot link a peer file", NULL);
        }
        char writer_dir[PATH_MAX + 32];
        snprintf(writer_dir, sizeof writer_dir, "%s/smac3-output_00/run_1", set);
        if (smac_psmac_write(peers[0].rh, writer_dir, &err) != 0) /* with what earlier sets added */
            die("writing a peer file", &err);
        snprintf(pattern, sizeof pattern, "%s/smac3-output*", set);
        smac_psmac *ps = smac_psmac_new(pattern, NULL, &err);
        smac_runhistory *rh = smac_runhistory_new(cs, NULL);
        if (!ps || !rh)
            die("reader", &err);
        int n_new;
        timing first = timed_read(ps, rh, &n_new);
        /* Peer 0 keeps the runs the earlier rounds added. */
        int expected = (P - 1) * runs + (int)smac_rh_size(peers[0].rh);
        if (n_new != expected)
            fprintf(stderr, "warning: first read found %d runs, expected %d\n", n_new, expected);

        double *w = malloc((size_t)repeat * sizeof *w);
        double cpu_sum = 0;
        for (int r = 0; r < repeat; r++) {
            timing t = timed_read(ps, rh, &n_new);
            w[r] = t.wall_ms;
            cpu_sum += t.cpu_ms;
            if (n_new != 0)
                die("an unchanged read found new runs", NULL);
        }
        qsort(w, (size_t)repeat, sizeof *w, cmp_double);
        double unchanged = w[repeat / 2];

        timing news[2] = {{0, 0}, {0, 0}};
        const int sizes[2] = {1, 100};
        const int reps = 5;
        for (int s = 0; s < 2; s++) {
            for (int r = 0; r < reps; r++) {
                grow(&peers[0], cs, sizes[s]);
                if (smac_psmac_write(peers[0].rh, writer_dir, &err) != 0)
                    die("writing a peer file", &err);
                timing t = timed_read(ps, rh, &n_new);
                if (n_new != sizes[s])
                    fprintf(stderr, "warning: expected %d new runs, read %d\n", sizes[s], n_new);
                news[s].wall_ms += t.wall_ms / reps;
                news[s].cpu_ms += t.cpu_ms / reps;
            }
        }
        double smac3 = 4.3 * P * runs / 10000.0; /* s: every peer file re-read and re-parsed */
        printf("%6d %10d | %14.1f | %12.4f (%6.4f) | %8.1f (%6.1f) | %8.1f (%6.1f) | %16.0f %9.0fx\n", P, runs,
               first.wall_ms, unchanged, cpu_sum / repeat, news[0].wall_ms, news[0].cpu_ms, news[1].wall_ms,
               news[1].cpu_ms, smac3, smac3 * 1e3 / unchanged);
        fflush(stdout);
        free(w);
        smac_runhistory_free(rh);
        smac_psmac_free(ps);
    }
    printf("\nunchanged: median of %d reads; ratio = SMAC3 v1.1's estimated read (4.3 s per peer file,\n"
           "anchor) / ours. A read with news re-parses the one changed file (~%.1f MB).\n",
           repeat, (double)bytes / max_peers / 1e6);
    for (int k = 0; k < max_peers; k++)
        smac_runhistory_free(peers[k].rh);
    free(peers);
    smac_cs_free(cs);
    remove_tree(base);
}

/* ------------------------------------------------------------- (b) */

/* Target: Branin; sleeps `scale` s per unit of cost above the optimum. */
static const char TARGET[] =
    "#!/bin/sh\n"
    "# <instance> <specific> <cutoff> <runlength> <seed> -x1 V -x2 V\n"
    "out=$(awk -v seed=\"$5\" -v scale=\"$SLEEP_SCALE\" 'BEGIN {\n"
    "  x1 = ARGV[7] + 0; x2 = ARGV[9] + 0; ARGC = 1\n"
    "  pi = atan2(0, -1); b = 5.1 / (4 * pi * pi); c = 5 / pi; t = 1 / (8 * pi)\n"
    "  f = (x2 - b * x1 * x1 + c * x1 - 6) ^ 2 + 10 * (1 - t) * cos(x1) + 10\n"
    "  s = (f - 0.397887) * scale; if (s > 1) s = 1\n"
    "  printf \"%.4f %.10g %s\\n\", s, f, seed }' \"$@\")\n"
    "set -- $out\n"
    "sleep \"$1\"\n"
    "echo \"Result of this algorithm run: SUCCESS, $1, 0, $2, $3\"\n";

static const char SCENARIO[] = "algo = sh target.sh\n"
                               "paramfile = branin.pcs\n"
                               "run_obj = quality\n"
                               "deterministic = true\n"
                               "runcount_limit = 400\n";

static const char BRANIN_PCS[] = "x1 [-5, 10] [2.5]\nx2 [0, 15] [7.5]\n";

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return smac_atomic_write(path, text, strlen(text), NULL);
}

/* Best cost in a run folder's traj.json so far (INFINITY if none). */
static double best_in_traj(const char *run_dir)
{
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/traj.json", run_dir);
    FILE *f = fopen(path, "r");
    double best = INFINITY;
    if (!f)
        return best;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        const char *c = strstr(line, "\"cost\": ");
        double x;
        if (c && sscanf(c + 8, "%lf", &x) == 1 && x < best && x < 2147483647.0)
            best = x;
    }
    fclose(f);
    return best;
}

/* Starts n smac processes in `dir` (sharing or not) and returns the seconds
 * until one of them reports an incumbent with cost <= target (or `limit`). */
static double race(const char *smac, const char *dir, int n, int share, int seed0, double target, double limit)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    char out[PATH_MAX + 32];
    snprintf(out, sizeof out, "%s/out", dir);
    double start = wall();
    for (int i = 0; i < n; i++) {
        char seed[32];
        snprintf(seed, sizeof seed, "%d", seed0 + i);
        pid_t pid = fork();
        if (pid == 0) {
            if (chdir(dir) != 0)
                _exit(127);
            int devnull = open("/dev/null", O_WRONLY);
            if (devnull >= 0) {
                dup2(devnull, 1);
                dup2(devnull, 2);
            }
            if (share)
                execl(smac, smac, "--scenario", "scenario.txt", "--seed", seed, "--output_dir", "out",
                      "--shared_model", "True", "--input_psmac_dirs", "out/run_*", (char *)NULL);
            else
                execl(smac, smac, "--scenario", "scenario.txt", "--seed", seed, "--output_dir", "out", (char *)NULL);
            _exit(127);
        }
        pids[i] = pid;
    }
    double reached = limit;
    int alive = n;
    while (alive > 0 && wall() - start < limit) {
        for (int i = 0; i < n; i++) {
            char run[PATH_MAX + 64];
            snprintf(run, sizeof run, "%s/run_%d", out, seed0 + i);
            if (best_in_traj(run) <= target) {
                reached = wall() - start;
                goto done;
            }
        }
        alive = 0;
        for (int i = 0; i < n; i++)
            if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == 0)
                alive++;
        struct timespec nap = {0, 20 * 1000000L};
        nanosleep(&nap, NULL);
    }
done:
    for (int i = 0; i < n; i++)
        if (pids[i] > 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], NULL, 0);
        }
    free(pids);
    remove_tree(out);
    return reached;
}

static void bench_speedup(int full)
{
    char self[PATH_MAX], smac[PATH_MAX + 8];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        die("cannot find this binary's folder", NULL);
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    *slash = '\0';
    snprintf(smac, sizeof smac, "%s/smac", self);
    if (access(smac, X_OK) != 0)
        die("the smac binary is not next to this one (build the smac target)", NULL);
    const char *tmp = getenv("TMPDIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/bench-speedup-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        die("cannot create a temp folder", NULL);
    if (write_text(dir, "target.sh", TARGET) || write_text(dir, "scenario.txt", SCENARIO) ||
        write_text(dir, "branin.pcs", BRANIN_PCS))
        die("cannot write the scenario", NULL);
    const double target = 1.0, scale = 0.005, limit = full ? 300 : 60;
    char scale_text[32];
    snprintf(scale_text, sizeof scale_text, "%g", scale);
    setenv("SLEEP_SCALE", scale_text, 1);
    const int counts[] = {1, 2, 4, 8};
    const int n_counts = full ? 4 : 3, reps = full ? 5 : 1;
    printf("\n(b) seconds until the first process reaches Branin cost <= %.2f (optimum 0.398), target sleeps\n"
           "    %g s per unit of cost above the optimum (max 1 s); %s\n",
           target, scale, full ? "median of 5 seeds" : "one repetition (--full for 5)");
    printf("%6s | %12s | %12s | %20s\n", "procs", "sharing (s)", "independent", "speed-up vs 1 (share/indep)");
    double base_share = 0, base_ind = 0;
    for (int c = 0; c < n_counts; c++) {
        double s[5], in[5];
        for (int r = 0; r < reps; r++) {
            s[r] = race(smac, dir, counts[c], 1, 1 + 10 * r, target, limit);
            in[r] = race(smac, dir, counts[c], 0, 1 + 10 * r, target, limit);
        }
        qsort(s, (size_t)reps, sizeof *s, cmp_double);
        qsort(in, (size_t)reps, sizeof *in, cmp_double);
        double ms = s[reps / 2], mi = in[reps / 2];
        if (c == 0) {
            base_share = ms;
            base_ind = mi;
        }
        printf("%6d | %12.2f | %12.2f | %9.2fx / %.2fx\n", counts[c], ms, mi, base_share / ms, base_ind / mi);
        fflush(stdout);
    }
    remove_tree(dir);
}

/* ------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    int peer_counts[16] = {8, 32, 64}, n_counts = 3, runs = 10000, repeat = 200, speedup = 0, full = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--peers") == 0 && i + 1 < argc) {
            n_counts = 0;
            for (char *tok = strtok(argv[++i], ","); tok && n_counts < 16; tok = strtok(NULL, ","))
                peer_counts[n_counts++] = atoi(tok);
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--speedup") == 0) {
            speedup = 1;
        } else if (strcmp(argv[i], "--full") == 0) {
            speedup = full = 1;
        } else {
            fprintf(stderr, "usage: %s [--peers 8,32,64] [--runs 10000] [--repeat 200] [--speedup [--full]]\n",
                    argv[0]);
            return 2;
        }
    }
    if (runs < 1 || repeat < 1 || n_counts < 1)
        die("--runs, --repeat and --peers must be positive", NULL);
    for (int i = 0; i < n_counts; i++)
        if (peer_counts[i] < 1 || peer_counts[i] > 999)
            die("--peers: 1..999 each", NULL);
    smac_log_set_level(SMAC_LOG_ERROR); /* the reader logs a line per read */
    if (speedup)
        bench_speedup(full);
    else
        bench_reads(peer_counts, n_counts, runs, repeat);
    return 0;
}
