/*
 * What one target call costs through the runner (fork of the shepherd,
 * fork/exec of the target, pipes, supervision, reaping, result parsing),
 * against the same trivial wrapper started through the shell with system()
 * and through a bare posix_spawn + waitpid (the floor for any exec).
 *
 *   bench-run_overhead [calls] [wrapper.sh]
 *
 * Without a wrapper a trivial one is written to a temporary folder (and
 * removed). Prints milliseconds per call and the ratios.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/runner.h"
#include "util/clock.h"
#include "util/log.h"

extern char **environ;

static const char trivial[] = "#!/bin/sh\necho \"Result of this algorithm run: SUCCESS, 0.01, 0, 1, $5\"\n";

static double bench_runner(const char *wrapper, int calls, int *failures)
{
    char *argv[] = {"sh", (char *)wrapper};
    smac_runner_config cfg;
    smac_runner_config_init(&cfg);
    cfg.algo_argv = argv;
    cfg.algo_argc = 2;
    smac_run_request req;
    memset(&req, 0, sizeof req);
    req.instance = "inst";
    req.cutoff = 5;
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < calls; i++) {
        req.seed = (uint64_t)i;
        smac_run_value v;
        smac_error err;
        if (smac_runner_run(&cfg, &req, &v, NULL, &err) != 0 || v.status != SMAC_STATUS_SUCCESS) {
            if (*failures == 0)
                fprintf(stderr, "runner call failed: %s\n", err.message);
            (*failures)++;
        }
        free(v.additional_info);
    }
    return (smac_clock_monotonic() - t0) / calls;
}

static double bench_system(const char *wrapper, int calls, int *failures)
{
    char cmd[8192];
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < calls; i++) {
        snprintf(cmd, sizeof cmd, "sh '%s' inst 0 5 0 %d > /dev/null", wrapper, i);
        if (system(cmd) != 0)
            (*failures)++;
    }
    return (smac_clock_monotonic() - t0) / calls;
}

static double bench_spawn(const char *wrapper, int calls, int *failures)
{
    double t0 = smac_clock_monotonic();
    for (int i = 0; i < calls; i++) {
        char seed[32];
        snprintf(seed, sizeof seed, "%d", i);
        char *argv[] = {"sh", (char *)wrapper, "inst", "0", "5", "0", seed, NULL};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
        pid_t pid;
        int st = 1;
        if (posix_spawnp(&pid, "sh", &fa, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) != pid || st != 0)
            (*failures)++;
        posix_spawn_file_actions_destroy(&fa);
    }
    return (smac_clock_monotonic() - t0) / calls;
}

int main(int argc, char **argv)
{
    int calls = argc > 1 ? atoi(argv[1]) : 200;
    if (calls < 1)
        calls = 200;
    smac_log_set_level(SMAC_LOG_OFF);
    char dir[] = "/tmp/smac-bench-XXXXXX";
    char path[4096];
    const char *wrapper;
    int made = 0;
    if (argc > 2) {
        wrapper = argv[2];
    } else {
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
        snprintf(path, sizeof path, "%s/trivial.sh", dir);
        FILE *f = fopen(path, "w");
        if (!f || fputs(trivial, f) < 0 || fclose(f) != 0) {
            perror(path);
            return 1;
        }
        wrapper = path;
        made = 1;
    }

    int fail_runner = 0, fail_system = 0, fail_spawn = 0;
    /* Warm up the page cache and the dynamic loader. */
    bench_runner(wrapper, 5, &fail_runner);
    bench_system(wrapper, 5, &fail_system);
    fail_runner = fail_system = 0;

    double runner = bench_runner(wrapper, calls, &fail_runner);
    double shell = bench_system(wrapper, calls, &fail_system);
    double spawn = bench_spawn(wrapper, calls, &fail_spawn);

    printf("target calls of a trivial sh wrapper, %d each\n", calls);
    printf("  runner (shepherd, pipes, limits, parse): %8.3f ms/call\n", runner * 1e3);
    printf("  system() through /bin/sh:                %8.3f ms/call\n", shell * 1e3);
    printf("  posix_spawn + waitpid (no capture):      %8.3f ms/call\n", spawn * 1e3);
    printf("  runner / system() = %.2f, runner / posix_spawn = %.2f, overhead vs spawn = %.3f ms\n",
           runner / shell, runner / spawn, (runner - spawn) * 1e3);
    if (fail_runner || fail_system || fail_spawn)
        printf("  failures: runner %d, system %d, spawn %d\n", fail_runner, fail_system, fail_spawn);

    if (made) {
        unlink(path);
        rmdir(dir);
    }
    return fail_runner || fail_system || fail_spawn;
}
