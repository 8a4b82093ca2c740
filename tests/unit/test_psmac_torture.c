/* The pSMAC file protocol under stress: one process rewrites a peer's
 * runhistory.json over and over (smac_psmac_write, a history that grows by
 * one run per write) while this process reads it in a tight loop, both with
 * smac_rh_load_json and through smac_psmac_read. A reader must never see a
 * torn file: every load succeeds and holds a consistent history (run i has
 * seed i and cost i + 1, so a count and a prefix the writer encodes can be
 * checked). Also: writers SIGKILLed at random moments leave a whole file
 * behind, and a file cut short anywhere is refused as a whole, never half
 * loaded. Every loop is bounded in time. */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#include "util/fsutil.h"
#include "util/log.h"

enum { MAX_WRITES = 5000, MIN_WRITES = 100, GROW_EVERY = 4 };
static const double WRITER_SECONDS = 2.0;
static const char PCS[] = "x [0, 1] [0.5]\n";

typedef struct fixture {
    char base[256];
    char peer_dir[300];
    char own_dir[300];
    char file[320];
    char pattern[300];
    smac_cs *cs;
} fixture;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->base, sizeof f->base, "%s/smac-torture-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->base))
        return -1;
    snprintf(f->peer_dir, sizeof f->peer_dir, "%s/peer/run_1", f->base);
    snprintf(f->own_dir, sizeof f->own_dir, "%s/own/run_2", f->base);
    snprintf(f->file, sizeof f->file, "%s/runhistory.json", f->peer_dir);
    snprintf(f->pattern, sizeof f->pattern, "%s/*", f->base);
    if (smac_mkdirs(f->peer_dir, NULL) != 0 || smac_mkdirs(f->own_dir, NULL) != 0)
        return -1;
    if (smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &f->cs, NULL) != 0)
        return -1;
    /* The reader logs a line per read; keep the test output readable. */
    smac_log_set_level(SMAC_LOG_ERROR);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = nftw(f->base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    smac_cs_free(f->cs);
    free(f);
    return rc;
}

/* Adds run j: configuration x = (j + 0.5) / MAX_WRITES, seed j, cost j + 1. */
static int add_run(smac_runhistory *rh, int j)
{
    double x = (j + 0.5) / MAX_WRITES;
    int id;
    if (smac_rh_intern_config(rh, &x, "Random Search", &id) < 0)
        return -1;
    smac_run_value v = {j + 1.0, 0.25, SMAC_STATUS_SUCCESS, 1000.0 + j, 1001.0 + j, NULL};
    return smac_rh_add(rh, id, NULL, j, 0.0, &v, SMAC_RH_INTERNAL, 0, NULL) == 1 ? 0 : -1;
}

/* The writer process: rewrites the file until the time or write budget is
 * used up, but at least MIN_WRITES times, so that a loaded machine (slow
 * fsync) still gives the reader something to race (or forever when
 * `forever`: it is killed), with one more run every
 * GROW_EVERY writes — a pSMAC process also rewrites its file when nothing
 * changed, and small files let the loop run thousands of times. Reports its
 * run count on `fd`. Never returns. */
static void writer(const fixture *f, int fd, int forever)
{
    smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
    int n = 0, k = 0;
    double stop = now() + (forever ? 30.0 : WRITER_SECONDS);
    for (; rh && (forever || k < MAX_WRITES) && (now() < stop || (!forever && k < MIN_WRITES)); k++) {
        if (k % GROW_EVERY == 0 && add_run(rh, n++) != 0)
            _exit(2);
        if (smac_psmac_write(rh, f->peer_dir, NULL) != 0)
            _exit(2);
    }
    int counts[2] = {n, k};
    if (fd >= 0 && write(fd, counts, sizeof counts) != (ssize_t)sizeof counts)
        _exit(3);
    smac_runhistory_free(rh);
    _exit(0);
}

/* 0 when rh holds runs 0..n-1 of the writer in order (prefix property),
 * else prints what is wrong. */
static int consistent(const smac_runhistory *rh, size_t from)
{
    size_t n = smac_rh_size(rh);
    for (size_t i = from; i < n; i++) {
        const smac_rh_run *r = smac_rh_run_at(rh, i);
        const double *x = smac_rh_config(rh, r->config_id);
        double want_x = ((double)i + 0.5) / MAX_WRITES;
        if (r->seed != (int64_t)i || r->value.cost != (double)i + 1 || r->value.status != SMAC_STATUS_SUCCESS ||
            !x || fabs(x[0] - want_x) > 1e-12) {
            fprintf(stderr, "run %zu of %zu: seed %lld cost %g\n", i, n, (long long)r->seed, r->value.cost);
            return -1;
        }
    }
    return 0;
}

static pid_t start_writer(const fixture *f, int fd, int forever)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        writer(f, fd, forever);
    return pid;
}

/* One writer, one reader, thousands of rewrites: no load ever fails or is
 * inconsistent, and the pSMAC reader ends with exactly the writer's runs. */
static void test_reader_never_sees_a_torn_file(void **state)
{
    fixture *f = *state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = start_writer(f, fds[1], 0);
    assert_true(pid > 0);
    close(fds[1]);

    smac_psmac *ps = smac_psmac_new(f->pattern, f->own_dir, NULL);
    smac_runhistory *shared = smac_runhistory_new(f->cs, NULL);
    assert_non_null(ps);
    assert_non_null(shared);
    long loads = 0, psmac_reads = 0, changes = 0;
    size_t last = 0, checked = 0;
    int done = 0, status = 0;
    double give_up = now() + 60.0;
    while (!done) {
        done = waitpid(pid, &status, WNOHANG) == pid;
        /* 1. A fresh history from the file, as a restore or smac-merge reads it. */
        smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
        assert_non_null(rh);
        smac_error err;
        int rc = smac_rh_load_json(rh, f->file, SMAC_RH_EXTERNAL_SAME, NULL, &err);
        if (rc != 0 && !(err.code == SMAC_ERR_IO && access(f->file, F_OK) != 0)) {
            fprintf(stderr, "load %ld failed: %s\n", loads, err.message);
            fail();
        }
        if (rc == 0) {
            loads++;
            assert_int_equal(consistent(rh, 0), 0);
        }
        smac_runhistory_free(rh);
        /* 2. The pSMAC reader, with its change detection. */
        int n_new = -1;
        assert_int_equal(smac_psmac_read(ps, shared, &n_new, &err), 0);
        psmac_reads++;
        size_t size = smac_rh_size(shared);
        assert_true(size >= last);
        assert_int_equal((size_t)n_new, size - last);
        changes += size > last;
        last = size;
        assert_int_equal(consistent(shared, checked), 0);
        checked = size;
        assert_true(now() < give_up);
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    int counts[2] = {0, 0}; /* runs, writes */
    assert_int_equal(read(fds[0], counts, sizeof counts), (ssize_t)sizeof counts);
    int written = counts[0];
    close(fds[0]);
    /* After the last write the reader catches up completely. */
    int n_new;
    assert_int_equal(smac_psmac_read(ps, shared, &n_new, NULL), 0);
    assert_int_equal(smac_rh_size(shared), (size_t)written);
    assert_int_equal(consistent(shared, 0), 0);
    /* An unchanged file is not parsed again. */
    assert_int_equal(smac_psmac_read(ps, shared, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_psmac_n_loads(ps), 0);
    assert_int_equal(smac_psmac_n_peer_files(ps), 1);
    fprintf(stderr, "writer: %d writes, %d runs; reader: %ld whole-file loads, %ld pSMAC reads (%ld saw news)\n",
            counts[1], written,
            loads, psmac_reads, changes);
    assert_true(written >= 20);
    assert_true(loads >= 10);
    smac_runhistory_free(shared);
    smac_psmac_free(ps);
}

/* Writers SIGKILLed at random moments (mid-write included): the file left
 * behind is always whole, and stray temp files are never read. */
static void test_killed_writers_leave_whole_files(void **state)
{
    fixture *f = *state;
    srand((unsigned)time(NULL));
    smac_psmac *ps = smac_psmac_new(f->pattern, f->own_dir, NULL);
    assert_non_null(ps);
    for (int round = 0; round < 15; round++) {
        pid_t pid = start_writer(f, -1, 1);
        assert_true(pid > 0);
        struct timespec nap = {0, (long)(1 + rand() % 40) * 1000000L};
        nanosleep(&nap, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (access(f->file, F_OK) != 0)
            continue; /* killed before its first write */
        smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
        smac_error err;
        int rc = smac_rh_load_json(rh, f->file, SMAC_RH_EXTERNAL_SAME, NULL, &err);
        if (rc != 0)
            fprintf(stderr, "round %d: %s\n", round, err.message);
        assert_int_equal(rc, 0);
        assert_true(smac_rh_size(rh) > 0);
        assert_int_equal(consistent(rh, 0), 0);
        /* A fresh pSMAC reader gets exactly that file, whatever temp files lie around. */
        smac_runhistory *shared = smac_runhistory_new(f->cs, NULL);
        smac_psmac *fresh = smac_psmac_new(f->pattern, f->own_dir, NULL);
        int n_new;
        assert_int_equal(smac_psmac_read(fresh, shared, &n_new, NULL), 0);
        assert_int_equal(smac_psmac_n_peer_files(fresh), 1);
        assert_int_equal(smac_rh_size(shared), smac_rh_size(rh));
        smac_psmac_free(fresh);
        smac_runhistory_free(shared);
        smac_runhistory_free(rh);
        /* The long-lived reader follows every new writer's file (each starts
         * again from one run: a new history is merged without loss). */
        assert_int_equal(smac_psmac_read(ps, rh = smac_runhistory_new(f->cs, NULL), &n_new, NULL), 0);
        assert_int_equal(consistent(rh, 0), 0);
        smac_runhistory_free(rh);
    }
    smac_psmac_free(ps);
}

/* A file cut anywhere (a non-atomic writer, a full disk) is refused as a
 * whole: nothing of it is loaded, and the pSMAC reader takes it once whole. */
static void test_cut_files_are_refused_whole(void **state)
{
    fixture *f = *state;
    smac_runhistory *rh = smac_runhistory_new(f->cs, NULL);
    for (int j = 0; j < 3; j++)
        assert_int_equal(add_run(rh, j), 0);
    char *text = smac_rh_to_json(rh, NULL);
    assert_non_null(text);
    size_t len = strlen(text);
    smac_psmac *ps = smac_psmac_new(f->pattern, f->own_dir, NULL);
    smac_runhistory *shared = smac_runhistory_new(f->cs, NULL);
    for (size_t cut = 0; cut < len; cut++) {
        smac_runhistory *part = smac_runhistory_new(f->cs, NULL);
        smac_error err;
        int n_new = -1;
        int rc = smac_rh_load_json_text(part, text, cut, "cut.json", SMAC_RH_EXTERNAL_SAME, &n_new, &err);
        if (rc == 0)
            fprintf(stderr, "a file cut at %zu of %zu bytes was accepted\n", cut, len);
        assert_int_not_equal(rc, 0);
        assert_int_equal(smac_rh_size(part), 0);
        smac_runhistory_free(part);
        /* The same through the file system, every 7th length (each read is a file write). */
        if (cut % 7 == 0) {
            FILE *out = fopen(f->file, "wb");
            assert_non_null(out);
            assert_int_equal(fwrite(text, 1, cut, out), cut);
            fclose(out);
            assert_int_equal(smac_psmac_read(ps, shared, &n_new, NULL), 0);
            assert_int_equal(n_new, 0);
            assert_int_equal(smac_rh_size(shared), 0);
        }
    }
    assert_int_equal(smac_psmac_write(rh, f->peer_dir, NULL), 0);
    int n_new;
    assert_int_equal(smac_psmac_read(ps, shared, &n_new, NULL), 0);
    assert_int_equal(n_new, 3);
    assert_int_equal(consistent(shared, 0), 0);
    free(text);
    smac_runhistory_free(shared);
    smac_psmac_free(ps);
    smac_runhistory_free(rh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reader_never_sees_a_torn_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_writers_leave_whole_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_files_are_refused_whole, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
