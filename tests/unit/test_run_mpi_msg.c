/*
 * The MPI backend's messages (mpi_msg.c), without MPI: every body survives
 * a round trip, and truncated, corrupted or hostile messages are refused
 * without reading past their end (ASan watches). The MPI transport itself is
 * tested end to end by tests/cli/mpi.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run/mpi_msg.h"
#include "run/mpi_pool.h"
#include "util/log.h"

static smac_cs *space(void)
{
    static const char pcs[] = "a [0, 10] [5]\nb {x, y, z} [y]\nc [1, 100] [10]il\n";
    smac_cs *cs = NULL;
    smac_error err;
    if (smac_cs_read_text(pcs, sizeof pcs - 1, "t.pcs", SMAC_CS_PCS, &cs, &err) != 0)
        fail_msg("%s", err.message);
    return cs;
}

/* Every prefix of a valid message is refused by its reader. */
typedef int (*reader_fn)(const unsigned char *data, size_t len);

static void check_prefixes(const smac_msg *m, reader_fn fn)
{
    assert_int_equal(fn(m->data, m->len), 0);
    for (size_t n = 0; n < m->len; n++) {
        unsigned char *copy = malloc(n ? n : 1); /* exact size: ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, m->data, n);
        assert_int_equal(fn(copy, n), -1);
        free(copy);
    }
}

static int read_hello(const unsigned char *data, size_t len)
{
    smac_msg_reader r;
    if (smac_msg_open(&r, data, len) != 0 || r.kind != SMAC_MSG_HELLO)
        return -1;
    smac_worker_setup s;
    if (smac_msg_get_hello(&r, &s) != 0)
        return -1;
    smac_worker_setup_free(&s);
    return 0;
}

static void test_hello_round_trip(void **state)
{
    (void)state;
    char *algo[] = {"python3", "wrapper.py", "--flag", ""};
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    cfg.kind = SMAC_TAE_ACLIB;
    cfg.algo_argv = algo;
    cfg.algo_argc = 4;
    cfg.execdir = "exec dir";
    cfg.run_obj_runtime = 1;
    cfg.par_factor = 10;
    cfg.cost_for_crash = 123.5;
    cfg.memory_limit_mb = 2048;
    cfg.limit_cpu_time = 1;
    cfg.kill_grace = 0.5;
    cfg.kill_delay = 3;
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_HELLO);
    assert_int_equal(smac_msg_put_hello(&m, &cfg, 3), 0);
    smac_msg_reader r;
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_int_equal(r.kind, SMAC_MSG_HELLO);
    smac_worker_setup s;
    assert_int_equal(smac_msg_get_hello(&r, &s), 0);
    assert_int_equal(s.cfg.kind, SMAC_TAE_ACLIB);
    assert_int_equal(s.cfg.algo_argc, 4);
    for (int i = 0; i < 4; i++)
        assert_string_equal(s.cfg.algo_argv[i], algo[i]);
    assert_null(s.cfg.algo_argv[4]);
    assert_string_equal(s.cfg.execdir, "exec dir");
    assert_true(s.cfg.run_obj_runtime && s.cfg.limit_cpu_time);
    assert_true(s.cfg.par_factor == 10 && s.cfg.cost_for_crash == 123.5 && s.cfg.memory_limit_mb == 2048);
    assert_true(s.cfg.kill_grace == 0.5 && s.cfg.kill_delay == 3);
    assert_int_equal(s.log_level, 3);
    assert_null(s.cfg.remote);
    smac_worker_setup_free(&s);
    check_prefixes(&m, read_hello);
    smac_msg_free(&m);

    /* No execdir travels as none; a callback kind is refused. */
    cfg.execdir = NULL;
    cfg.kind = SMAC_TAE_OLD;
    smac_msg_init(&m, SMAC_MSG_HELLO);
    smac_msg_put_hello(&m, &cfg, 0);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_int_equal(smac_msg_get_hello(&r, &s), 0);
    assert_null(s.cfg.execdir);
    smac_worker_setup_free(&s);
    smac_msg_free(&m);
    cfg.kind = SMAC_TAE_CALLBACK;
    smac_msg_init(&m, SMAC_MSG_HELLO);
    smac_msg_put_hello(&m, &cfg, 0);
    assert_int_equal(read_hello(m.data, m.len), -1);
    smac_msg_free(&m);
}

static int read_run(const unsigned char *data, size_t len)
{
    smac_msg_reader r;
    if (smac_msg_open(&r, data, len) != 0 || r.kind != SMAC_MSG_RUN)
        return -1;
    smac_remote_request q;
    if (smac_msg_get_run(&r, &q) != 0)
        return -1;
    smac_remote_request_free(&q);
    return 0;
}

static void test_run_round_trip(void **state)
{
    (void)state;
    smac_cs *cs = space();
    double x[3];
    smac_cs_default(cs, x);
    smac_run_request req = {.cs = cs, .config = x, .instance = "inst/a.cnf", .instance_specific = NULL,
                            .seed = 4294967296ULL + 7, .cutoff = 2.5, .capped = 1, .budget = 0};
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_RUN);
    assert_int_equal(smac_msg_put_run(&m, 42, &req, NULL), 0);
    smac_msg_reader r;
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    smac_remote_request q;
    assert_int_equal(smac_msg_get_run(&r, &q), 0);
    assert_true(q.job_id == 42);
    assert_true(q.req.seed == 4294967296ULL + 7);
    assert_true(q.req.cutoff == 2.5 && q.req.capped == 1 && q.req.budget == 0);
    assert_string_equal(q.req.instance, "inst/a.cnf");
    assert_null(q.req.instance_specific);
    assert_null(q.req.cs);
    assert_int_equal(q.n_params, 3);
    /* The texts the target would get: canonical order, Python str values. */
    assert_string_equal(q.pairs[0], "a");
    assert_string_equal(q.pairs[1], "5.0");
    assert_string_equal(q.pairs[2], "b");
    assert_string_equal(q.pairs[3], "y");
    assert_string_equal(q.pairs[4], "c");
    assert_string_equal(q.pairs[5], "10");
    smac_remote_request_free(&q);
    check_prefixes(&m, read_run);
    smac_msg_free(&m);

    /* An infinite cutoff travels as such. */
    req.cutoff = INFINITY;
    req.instance = NULL;
    smac_msg_init(&m, SMAC_MSG_RUN);
    assert_int_equal(smac_msg_put_run(&m, 1, &req, NULL), 0);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_int_equal(smac_msg_get_run(&r, &q), 0);
    assert_true(isinf(q.req.cutoff));
    assert_null(q.req.instance);
    smac_remote_request_free(&q);
    smac_msg_free(&m);
    smac_cs_free(cs);
}

static int read_result(const unsigned char *data, size_t len)
{
    smac_msg_reader r;
    if (smac_msg_open(&r, data, len) != 0 || r.kind != SMAC_MSG_RESULT)
        return -1;
    int64_t id;
    smac_run_value v;
    smac_run_measure m;
    if (smac_msg_get_result(&r, &id, &v, &m) != 0)
        return -1;
    free(v.additional_info);
    smac_run_measure_free(&m);
    return 0;
}

static void test_result_round_trip(void **state)
{
    (void)state;
    smac_run_value v = {.cost = 0.125, .time = 3.5, .status = SMAC_STATUS_TIMEOUT, .starttime = 1700000000.25,
                        .endtime = 1700000003.75, .additional_info = "{\"error\": \"killed\"}"};
    smac_run_measure ms = {.wall_time = 3.5, .cpu_time = 3.25, .max_rss_kb = 1234, .pid = 99, .exit_status = -1,
                           .term_signal = 9, .killed_at_cutoff = 1, .had_result_line = 0,
                           .stdout_tail = "out\n", .stderr_tail = NULL};
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_RESULT);
    assert_int_equal(smac_msg_put_result(&m, 7, &v, &ms), 0);
    smac_msg_reader r;
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    int64_t id;
    smac_run_value v2;
    smac_run_measure m2;
    assert_int_equal(smac_msg_get_result(&r, &id, &v2, &m2), 0);
    assert_true(id == 7);
    assert_true(v2.cost == v.cost && v2.time == v.time && v2.status == v.status);
    assert_true(v2.starttime == v.starttime && v2.endtime == v.endtime);
    assert_string_equal(v2.additional_info, v.additional_info);
    assert_true(m2.wall_time == 3.5 && m2.cpu_time == 3.25 && m2.max_rss_kb == 1234 && m2.pid == 99);
    assert_true(m2.exit_status == -1 && m2.term_signal == 9 && m2.killed_at_cutoff == 1);
    assert_string_equal(m2.stdout_tail, "out\n");
    assert_null(m2.stderr_tail);
    free(v2.additional_info);
    smac_run_measure_free(&m2);
    check_prefixes(&m, read_result);
    smac_msg_free(&m);

    /* A status outside the enum is refused. */
    v.status = (smac_status)77;
    smac_msg_init(&m, SMAC_MSG_RESULT);
    smac_msg_put_result(&m, 7, &v, &ms);
    assert_int_equal(read_result(m.data, m.len), -1);
    smac_msg_free(&m);
}

static void test_bad_headers_and_strings(void **state)
{
    (void)state;
    smac_msg_reader r;
    /* Wrong magic, unknown kind, empty. */
    smac_msg m;
    smac_msg_init(&m, SMAC_MSG_BEAT);
    smac_msg_put_i64(&m, 5);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_int_equal(r.kind, SMAC_MSG_BEAT);
    assert_true(smac_msg_get_i64(&r) == 5);
    assert_false(r.bad);
    (void)smac_msg_get_i64(&r); /* past the end */
    assert_true(r.bad);
    m.data[0] ^= 0xff;
    assert_int_equal(smac_msg_open(&r, m.data, m.len), -1);
    smac_msg_free(&m);
    smac_msg_init(&m, 99);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), -1);
    smac_msg_free(&m);
    assert_int_equal(smac_msg_open(&r, "", 0), -1);

    /* A string longer than the message, a negative length, a NUL inside. */
    smac_msg_init(&m, SMAC_MSG_BEAT);
    smac_msg_put_i64(&m, 1000);
    smac_msg_put_str(&m, NULL);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_null(smac_msg_get_str(&r));
    assert_true(r.bad);
    smac_msg_free(&m);
    smac_msg_init(&m, SMAC_MSG_BEAT);
    smac_msg_put_i64(&m, -5);
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_null(smac_msg_get_str(&r));
    assert_true(r.bad);
    smac_msg_free(&m);
    smac_msg_init(&m, SMAC_MSG_BEAT);
    smac_msg_put_i64(&m, 3);
    smac_msg_put_f64(&m, 0); /* 8 zero bytes: "\0\0\0" */
    assert_int_equal(smac_msg_open(&r, m.data, m.len), 0);
    assert_null(smac_msg_get_str(&r));
    assert_true(r.bad);
    smac_msg_free(&m);

    /* A HELLO claiming a huge argument count. */
    smac_msg_init(&m, SMAC_MSG_HELLO);
    smac_msg_put_i64(&m, SMAC_TAE_OLD);
    for (int i = 0; i < 8; i++)
        smac_msg_put_i64(&m, 0);
    smac_msg_put_str(&m, NULL);
    smac_msg_put_i64(&m, (int64_t)1 << 40);
    assert_int_equal(read_hello(m.data, m.len), -1);
    smac_msg_free(&m);
}

/* Without MPI in this process, the launch detection reads the environment
 * and nothing else. */
static void test_launch_detection(void **state)
{
    (void)state;
    const char *old = getenv("OMPI_COMM_WORLD_SIZE");
    char *saved = old ? strdup(old) : NULL;
    setenv("OMPI_COMM_WORLD_SIZE", "1", 1);
    unsetenv("PMI_SIZE");
    unsetenv("PMIX_SIZE");
    unsetenv("MPI_LOCALNRANKS");
    unsetenv("PMIX_RANK");
    unsetenv("PMI_RANK");
    assert_int_equal(smac_mpi_launched(), 0);
    setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
    assert_int_equal(smac_mpi_launched(), 1);
    if (saved) {
        setenv("OMPI_COMM_WORLD_SIZE", saved, 1);
        free(saved);
    } else {
        unsetenv("OMPI_COMM_WORLD_SIZE");
    }
    smac_error err;
    if (!smac_mpi_built()) {
        assert_null(smac_mpi_pool_new(0, &err));
        assert_int_equal(err.code, SMAC_ERR_INVALID);
        assert_int_equal(smac_mpi_worker_main(&err), SMAC_ERR_INVALID);
    } else {
        /* MPI is not initialised in this process: the pool refuses. */
        assert_null(smac_mpi_pool_new(0, &err));
    }
}

int main(void)
{
    smac_log_set_level(SMAC_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_round_trip),
        cmocka_unit_test(test_run_round_trip),
        cmocka_unit_test(test_result_round_trip),
        cmocka_unit_test(test_bad_headers_and_strings),
        cmocka_unit_test(test_launch_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
