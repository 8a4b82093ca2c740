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

int smac_output_prepare(const char *output_dir, long run_id, int reuse, char **run_dir, smac_error *err)
{
    *run_dir = NULL;
    size_t n = strlen(output_dir) + 32;
    char *dir = malloc(n);
    if (!dir)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    snprintf(dir, n, "%s/run_%ld", output_dir, run_id);
    int rc = 0;
    if (exists(dir) && !reuse)
        rc = move_aside(dir, err);
    if (rc == 0)
        rc = smac_mkdirs(dir, err);
    if (rc != 0) {
        free(dir);
        return rc;
    }
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
