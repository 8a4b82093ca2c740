/* Output files: trajectory lines and stats.json are byte-identical to what
 * SMAC3 v1.1 wrote in the shared fixtures; the run folder is moved aside as
 * SMAC3 does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/output_dir.h"
#include "output/stats.h"
#include "output/trajectory.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"

#define MIXED SMAC_SHARED_DIR "/fixtures/smac3-v1.1-psmac-mixed-runtime"

/* Finds the fixture's run_1 folder (its parent carries a timestamp). */
static int find_run_dir(char *out, size_t n)
{
    DIR *d = opendir(MIXED);
    if (!d)
        return -1;
    struct dirent *e;
    int found = -1;
    while ((e = readdir(d))) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/run_1", MIXED, e->d_name);
        struct stat st;
        if (strncmp(e->d_name, "smac3-output", 12) == 0 && stat(path, &st) == 0) {
            snprintf(out, n, "%s", path);
            found = 0;
            break;
        }
    }
    closedir(d);
    return found;
}

/* Reads the n-th line (0-based) of a file without its newline. */
static char *nth_line(const char *path, int n)
{
    char *text;
    size_t len;
    if (smac_read_file(path, &text, &len, NULL) != 0)
        return NULL;
    char *line = text;
    for (int i = 0; i < n && line; i++) {
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    char *copy = NULL;
    if (line && *line) {
        size_t l = strcspn(line, "\n");
        copy = strndup(line, l);
    }
    free(text);
    return copy;
}

static void config_from_json(const smac_cs *cs, json_t *obj, double *vec)
{
    for (int i = 0; i < smac_cs_n_params(cs); i++)
        vec[i] = NAN;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int i = smac_cs_param_index(cs, key);
        assert_true(i >= 0);
        char text[64];
        if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            smac_format_double(json_real_value(v), text);
        else
            snprintf(text, sizeof text, "%s", json_string_value(v));
        assert_int_equal(smac_cs_parse_value(cs, i, text, &vec[i], NULL), 0);
    }
}

static void test_trajectory_lines_match_fixture(void **state)
{
    (void)state;
    char run[1024];
    if (find_run_dir(run, sizeof run) != 0) {
        print_message("shared fixtures absent: skipped\n");
        skip();
    }
    char path[1200];
    smac_cs *cs = NULL;
    smac_error err;
    snprintf(path, sizeof path, "%s/mixed.json", run);
    assert_int_equal(smac_cs_read_file(path, SMAC_CS_AUTO, &cs, &err), 0);
    double vec[64];
    for (int k = 0;; k++) {
        snprintf(path, sizeof path, "%s/traj.json", run);
        char *json_line = nth_line(path, k);
        if (!json_line)
            break;
        json_t *o = json_loads(json_line, 0, NULL);
        assert_non_null(o);
        smac_traj_entry e = {0};
        e.cpu_time = json_number_value(json_object_get(o, "cpu_time"));
        e.wallclock_time = json_number_value(json_object_get(o, "wallclock_time"));
        e.evaluations = (long)json_integer_value(json_object_get(o, "evaluations"));
        json_t *cost = json_object_get(o, "cost");
        e.cost_is_placeholder = json_is_integer(cost);
        e.cost = json_number_value(cost);
        e.incumbent_id = k == 0 ? 1 : k;
        e.origin = json_string_value(json_object_get(o, "origin"));
        e.budget = json_number_value(json_object_get(o, "budget"));
        config_from_json(cs, json_object_get(o, "incumbent"), vec);
        e.config = vec;

        char *mine = smac_traj_json_line(cs, &e);
        assert_string_equal(mine, json_line);
        free(mine);

        snprintf(path, sizeof path, "%s/traj_aclib2.json", run);
        char *aclib = nth_line(path, k);
        mine = smac_traj_aclib2_line(cs, &e);
        assert_string_equal(mine, aclib);
        free(mine);
        free(aclib);

        snprintf(path, sizeof path, "%s/traj_old.csv", run);
        char *old = nth_line(path, k + 1);
        /* The fixture's incumbent ids count changes; take the id it printed. */
        e.incumbent_id = atoi(strchr(strchr(strchr(old, ',') + 1, ',') + 1, ',') + 1);
        mine = smac_traj_old_line(cs, &e);
        assert_string_equal(mine, old);
        free(mine);
        free(old);
        json_decref(o);
        free(json_line);
    }
    smac_cs_free(cs);
}

static void test_stats_round_trip_fixture(void **state)
{
    (void)state;
    char run[1024];
    if (find_run_dir(run, sizeof run) != 0) {
        print_message("shared fixtures absent: skipped\n");
        skip();
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/stats.json", run);
    smac_stats s;
    smac_error err;
    assert_int_equal(smac_stats_load(&s, path, &err), 0);
    assert_int_equal(s.finished_ta_runs, 80);
    char *mine = smac_stats_to_json(&s);
    char *theirs;
    size_t len;
    assert_int_equal(smac_read_file(path, &theirs, &len, NULL), 0);
    assert_string_equal(mine, theirs);
    free(mine);
    free(theirs);
}

static void test_stats_rejects_unknown_key(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/smac-stats-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    const char *text = "{\"submitted_ta_runs\": 1, \"bogus\": 2}";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    smac_stats s;
    smac_error err;
    assert_int_not_equal(smac_stats_load(&s, tmpl, &err), 0);
    assert_non_null(strstr(err.message, "Stats does not recognize bogus"));
    unlink(tmpl);
}

static void test_run_dir_moved_aside(void **state)
{
    (void)state;
    char base[] = "/tmp/smac-out-XXXXXX";
    assert_non_null(mkdtemp(base));
    char *run = NULL;
    assert_int_equal(smac_output_prepare(base, 3, 0, &run, NULL), 0);
    char marker[512];
    snprintf(marker, sizeof marker, "%s/marker", run);
    assert_int_equal(smac_atomic_write(marker, "x", 1, NULL), 0);
    char *run2 = NULL;
    assert_int_equal(smac_output_prepare(base, 3, 0, &run2, NULL), 0);
    assert_string_equal(run, run2);
    char old[600];
    snprintf(old, sizeof old, "%s/run_3.OLD/marker", base);
    assert_int_equal(access(old, F_OK), 0);
    assert_int_not_equal(access(marker, F_OK), 0);
    char *run3 = NULL;
    assert_int_equal(smac_output_prepare(base, 3, 0, &run3, NULL), 0);
    snprintf(old, sizeof old, "%s/run_3.OLD.OLD", base);
    assert_int_equal(access(old, F_OK), 0);
    /* reuse keeps the folder as it is (restore). */
    assert_int_equal(smac_atomic_write(marker, "y", 1, NULL), 0);
    char *run4 = NULL;
    assert_int_equal(smac_output_prepare(base, 3, 1, &run4, NULL), 0);
    assert_int_equal(access(marker, F_OK), 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
    free(run);
    free(run2);
    free(run3);
    free(run4);
}

static void test_default_name_layout(void **state)
{
    (void)state;
    char *name = smac_output_default_name("smac3-output");
    /* smac3-output_YYYY-MM-DD_HH:MM:SS_ffffff */
    assert_int_equal(strlen(name), strlen("smac3-output_2021-10-20_21:11:15_123456"));
    assert_int_equal(name[12], '_');
    assert_int_equal(name[23], '_');
    assert_int_equal(name[32], '_');
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectory_lines_match_fixture),
        cmocka_unit_test(test_stats_round_trip_fixture),
        cmocka_unit_test(test_stats_rejects_unknown_key),
        cmocka_unit_test(test_run_dir_moved_aside),
        cmocka_unit_test(test_default_name_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
