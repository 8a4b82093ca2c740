/* The output folder (see output_dir.h). */
#include "output/output_dir.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/log.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

char *smac_output_default_name(const char *prefix)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    time_t secs = tv.tv_sec;
    localtime_r(&secs, &tm);
    char stamp[64];
    strftime(stamp, sizeof stamp, "%Y-%m-%d_%H:%M:%S", &tm);
    size_t n = strlen(prefix) + strlen(stamp) + 16;
    char *name = malloc(n);
    if (name)
        snprintf(name, n, "%s_%s_%06ld", prefix, stamp, (long)tv.tv_usec);
    return name;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Moves `dir` aside to the first free dir.OLD, dir.OLD.OLD, ... */
static int move_aside(const char *dir, smac_error *err)
{
    size_t n = strlen(dir) + 5;
    char *target = malloc(n);
    if (!target)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    snprintf(target, n, "%s.OLD", dir);
    while (exists(target)) {
        n += 4;
        char *longer = realloc(target, n);
        if (!longer) {
            free(target);
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        }
        target = longer;
        strcat(target, ".OLD");
    }
    SMAC_WARNING("smac.utils.io.output_directory",
                 "Output directory \"%s\" already exists! Moving old folder to \"%s\".", dir, target);
    int rc = 0;
    if (rename(dir, target) != 0)
        rc = smac_error_set(err, SMAC_ERR_IO, "cannot move \"%s\" to \"%s\": %s", dir, target, strerror(errno));
    free(target);
    return rc;
}

/* The owner mark of a run folder: "<pid> <process start time> <host>", so a
 * second process given the same folder (same --seed and output_dir) is
 * refused instead of moving a live run's folder away (SMAC3 does that). The
 * start time tells a live owner from a reused pid. */
#define OWNER_FILE ".smac_owner"

static unsigned long long process_start_time(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Field 22, counted after the ")" that ends the command name. */
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long long start = 0;
    int field = 2;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " "))
        if (++field == 22) {
            start = strtoull(tok, NULL, 10);
            break;
        }
    return start;
}

static void host_name(char *buf, size_t n)
{
    if (gethostname(buf, n) != 0)
        snprintf(buf, n, "?");
    buf[n - 1] = '\0';
}

/* 1 if a live process on this host owns dir (and it is not us). */
static int owned_by_live_process(const char *dir, long *owner)
{
    char path[4096], host[256], their_host[256] = "";
    snprintf(path, sizeof path, "%s/%s", dir, OWNER_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long pid = 0;
    unsigned long long start = 0;
    int got = fscanf(f, "%ld %llu %255s", &pid, &start, their_host);
    fclose(f);
    host_name(host, sizeof host);
    if (got != 3 || strcmp(host, their_host) != 0 || pid <= 0 || pid == (long)getpid())
        return 0;
    *owner = pid;
    return start != 0 && process_start_time(pid) == start;
}

static void mark_owner(const char *dir)
{
    char path[4096], host[256], text[400];
    snprintf(path, sizeof path, "%s/%s", dir, OWNER_FILE);
    host_name(host, sizeof host);
    long pid = (long)getpid();
    int n = snprintf(text, sizeof text, "%ld %llu %s\n", pid, process_start_time(pid), host);
    smac_atomic_write(path, text, (size_t)n, NULL);
}

int smac_output_prepare(const char *output_dir, long run_id, int reuse, char **run_dir, smac_error *err)
{
    *run_dir = NULL;
    size_t n = strlen(output_dir) + 32;
    char *dir = malloc(n);
    if (!dir)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    snprintf(dir, n, "%s/run_%ld", output_dir, run_id);
    int rc = 0;
    long owner = 0;
    if (exists(dir) && owned_by_live_process(dir, &owner))
        rc = smac_error_set(err, SMAC_ERR_INVALID,
                            "the run folder \"%s\" is in use by process %ld: another run with the same seed "
                            "and output_dir is still going; give every run its own --seed",
                            dir, owner);
    else if (exists(dir) && !reuse)
        rc = move_aside(dir, err);
    if (rc == 0)
        rc = smac_mkdirs(dir, err);
    if (rc != 0) {
        free(dir);
        return rc;
    }
    mark_owner(dir);
    *run_dir = dir;
    return 0;
}

int smac_output_copy_file(const char *src, const char *dir, char **copy_path, smac_error *err)
{
    *copy_path = NULL;
    char *data;
    size_t len;
    int rc = smac_read_file(src, &data, &len, err);
    if (rc != 0)
        return rc;
    char *srccopy = strdup(src);
    size_t n = strlen(dir) + strlen(src) + 2;
    char *dst = malloc(n);
    if (!srccopy || !dst) {
        free(data);
        free(srccopy);
        free(dst);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    snprintf(dst, n, "%s/%s", dir, basename(srccopy));
    free(srccopy);
    rc = smac_atomic_write(dst, data, len, err);
    free(data);
    if (rc != 0) {
        free(dst);
        return rc;
    }
    *copy_path = dst;
    return 0;
}
