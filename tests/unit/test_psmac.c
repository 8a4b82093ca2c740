/* pSMAC file sharing: peers' runs are merged, unchanged files are not read
 * again, a corrupt file adds nothing and is read again once it is whole, and
 * our own folder is never read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "psmac/psmac.h"
#include "runhistory/runhistory.h"
#include "util/fsutil.h"

static const char PCS[] = "x [0, 10] [5]\nc {a, b} [a]\n";

typedef struct fixture {
    char base[64];
    smac_cs *cs;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->base, sizeof f->base, "/tmp/smac-psmac-XXXXXX");
    if (!mkdtemp(f->base))
        return -1;
    if (smac_cs_read_text(PCS, strlen(PCS), "t.pcs", SMAC_CS_PCS, &f->cs, NULL) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->base);
    int rc = system(cmd);
    smac_cs_free(f->cs);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* A history with n runs of distinct configurations. */
static smac_runhistory *history_with_runs(const smac_cs *cs, int n, double shift)
{
    smac_runhistory *rh = smac_runhistory_new(cs, NULL);
    for (int i = 0; i < n; i++) {
        /* canonical order: c before x */
        double vec[2] = {(double)(i % 2), fmod(0.05 * i + shift, 1.0)};
        int id;
        assert_true(smac_rh_intern_config(rh, vec, "Random Search", &id) >= 0);
        smac_run_value v = {1.0 + i, 0.5, SMAC_STATUS_SUCCESS, 100.0, 101.0, NULL};
        assert_int_equal(smac_rh_add(rh, id, NULL, 0, 0.0, &v, SMAC_RH_INTERNAL, 0, NULL), 1);
    }
    return rh;
}

static char *run_dir(const fixture *f, const char *out, int seed)
{
    char *dir = malloc(256);
    snprintf(dir, 256, "%s/%s/run_%d", f->base, out, seed);
    assert_int_equal(smac_mkdirs(dir, NULL), 0);
    return dir;
}

static void test_peers_merged_and_unchanged_files_skipped(void **state)
{
    fixture *f = *state;
    char *mine = run_dir(f, "smac3-output_a", 1);
    char *peer = run_dir(f, "smac3-output_b", 2);
    smac_runhistory *own = history_with_runs(f->cs, 3, 0.0);
    smac_runhistory *other = history_with_runs(f->cs, 5, 0.51);
    assert_int_equal(smac_psmac_write(own, mine, NULL), 0);
    assert_int_equal(smac_psmac_write(other, peer, NULL), 0);

    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/smac3-output*", f->base);
    smac_psmac *p = smac_psmac_new(pattern, mine, NULL);
    assert_non_null(p);
    int n_new = -1;
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 5);             /* the peer's runs, not our own again */
    assert_int_equal(smac_psmac_n_loads(p), 1);
    assert_int_equal(smac_rh_size(own), 8);
    assert_int_equal(smac_psmac_n_peer_files(p), 1);

    /* Nothing changed: nothing new, and the file is not parsed again. */
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_psmac_n_loads(p), 0);

    /* The peer publishes again (same content, new file): parsed, nothing new. */
    assert_int_equal(smac_psmac_write(other, peer, NULL), 0);
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(smac_psmac_n_loads(p), 1);
    assert_int_equal(n_new, 0);

    /* Imported runs are never published again by us. */
    assert_int_equal(smac_psmac_write(own, mine, NULL), 0);
    smac_runhistory *check = smac_runhistory_new(f->cs, NULL);
    char path[300];
    snprintf(path, sizeof path, "%s/runhistory.json", mine);
    assert_int_equal(smac_rh_load_json(check, path, SMAC_RH_INTERNAL, &n_new, NULL), 0);
    assert_int_equal(smac_rh_size(check), 3);

    smac_runhistory_free(check);
    smac_psmac_free(p);
    smac_runhistory_free(own);
    smac_runhistory_free(other);
    free(mine);
    free(peer);
}

static void test_corrupt_file_skipped_then_read(void **state)
{
    fixture *f = *state;
    char *mine = run_dir(f, "smac3-output_a", 1);
    char *peer = run_dir(f, "smac3-output_b", 2);
    smac_runhistory *other = history_with_runs(f->cs, 4, 0.3);
    char *text = smac_rh_to_json(other, NULL);
    char path[300];
    snprintf(path, sizeof path, "%s/runhistory.json", peer);
    /* Half a file, as a writer without atomic replace would leave it. */
    assert_int_equal(smac_atomic_write(path, text, strlen(text) / 2, NULL), 0);

    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/smac3-output*", f->base);
    smac_psmac *p = smac_psmac_new(pattern, mine, NULL);
    smac_runhistory *own = smac_runhistory_new(f->cs, NULL);
    int n_new = -1;
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_rh_size(own), 0);

    /* Whole again: read now. */
    assert_int_equal(smac_atomic_write(path, text, strlen(text), NULL), 0);
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 4);

    free(text);
    smac_psmac_free(p);
    smac_runhistory_free(own);
    smac_runhistory_free(other);
    free(mine);
    free(peer);
}

static void test_run_folder_glob_and_non_folders(void **state)
{
    fixture *f = *state;
    char *peer = run_dir(f, "smac3-output_b", 2);
    smac_runhistory *other = history_with_runs(f->cs, 2, 0.7);
    assert_int_equal(smac_psmac_write(other, peer, NULL), 0);
    /* A plain file matched by the glob is skipped, not fatal (SMAC3 crashes). */
    char junk[300];
    snprintf(junk, sizeof junk, "%s/smac3-output_file", f->base);
    assert_int_equal(smac_atomic_write(junk, "x", 1, NULL), 0);

    char pattern[160];
    snprintf(pattern, sizeof pattern, "%s/smac3-output*/run_*", f->base);
    smac_psmac *p = smac_psmac_new(pattern, NULL, NULL);
    smac_runhistory *own = smac_runhistory_new(f->cs, NULL);
    int n_new = -1;
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 2);
    smac_psmac_free(p);

    /* A glob that matches nothing: no runs, no error. */
    snprintf(pattern, sizeof pattern, "%s/nothing-here*", f->base);
    p = smac_psmac_new(pattern, NULL, NULL);
    assert_int_equal(smac_psmac_read(p, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_psmac_n_peer_files(p), 0);

    smac_psmac_free(p);
    smac_runhistory_free(own);
    smac_runhistory_free(other);
    free(peer);
}

/* A peer of this project is read through its journal: only what it
 * appended, a torn last line waits, a corrupt line is skipped. */
static void test_journal_carries_only_new_runs(void **state)
{
    fixture *f = *state;
    char *mine = run_dir(f, "smac3-output_a", 1);
    char *peer = run_dir(f, "smac3-output_b", 2);
    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/smac3-output*", f->base);
    smac_psmac *writer = smac_psmac_new(pattern, peer, NULL);
    smac_psmac *reader = smac_psmac_new(pattern, mine, NULL);
    smac_runhistory *theirs = history_with_runs(f->cs, 3, 0.2);
    smac_runhistory *own = smac_runhistory_new(f->cs, NULL);
    assert_int_equal(smac_psmac_publish(writer, theirs, peer, NULL), 0);
    int n_new = -1;
    assert_int_equal(smac_psmac_read(reader, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 3);

    /* Two more runs: the reader takes just those two lines. */
    for (int i = 0; i < 2; i++) {
        double vec[2] = {1.0, 0.9 - 0.1 * i};
        int id;
        assert_true(smac_rh_intern_config(theirs, vec, NULL, &id) >= 0);
        smac_run_value v = {0.5, 0.1, SMAC_STATUS_SUCCESS, 1.0, 2.0, NULL};
        assert_int_equal(smac_rh_add(theirs, id, NULL, 0, 0.0, &v, SMAC_RH_INTERNAL, 0, NULL), 1);
    }
    assert_int_equal(smac_psmac_publish(writer, theirs, peer, NULL), 0);
    char jpath[300];
    snprintf(jpath, sizeof jpath, "%s/runhistory.journal", peer);
    char *text;
    size_t len;
    assert_int_equal(smac_read_file(jpath, &text, &len, NULL), 0);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    assert_int_equal(lines, 5); /* each run once, never the whole history again */
    free(text);
    assert_int_equal(smac_psmac_read(reader, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 2);
    assert_int_equal(smac_rh_size(own), 5);
    /* Nothing appended: nothing parsed. */
    assert_int_equal(smac_psmac_read(reader, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    assert_int_equal(smac_psmac_n_loads(reader), 0);

    /* A torn line (a writer killed mid-write) waits; a corrupt whole line is skipped. */
    FILE *j = fopen(jpath, "a");
    fputs("{\"data\": [[[1, null, 0, 0.0], [1.0, 1.0, {\"__enum__\": \"StatusType.SUC", j);
    fclose(j);
    assert_int_equal(smac_psmac_read(reader, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 0);
    j = fopen(jpath, "a");
    fputs("CESS\"}, 1.0, 2.0, {}]]], \"configs\": {\"1\": {\"c\": \"b\", \"x\": 3.25}}}\nnot json\n", j);
    fclose(j);
    assert_int_equal(smac_psmac_read(reader, own, &n_new, NULL), 0);
    assert_int_equal(n_new, 1); /* the completed line; the garbage line is skipped */
    assert_int_equal(smac_rh_size(own), 6);

    smac_runhistory_free(own);
    smac_runhistory_free(theirs);
    smac_psmac_free(reader);
    smac_psmac_free(writer);
    free(mine);
    free(peer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_peers_merged_and_unchanged_files_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_file_skipped_then_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_folder_glob_and_non_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journal_carries_only_new_runs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
