/* Trajectory files (see trajectory.h). Each entry is appended as one whole
 * line in a single write() and fsync'd, so a reader or a crash never sees half
 * an entry and an incumbent change is never lost. */
#include "output/trajectory.h"
#include "cs/cs_config_format.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char OLD_HEADER[] =
    "\"CPU Time Used\",\"Estimated Training Performance\",\"Wallclock Time\",\"Incumbent ID\","
    "\"Automatic Configurator (CPU) Time\",\"Configuration...\"\n";

struct smac_trajectory {
    const smac_cs *cs;
    int fd_old, fd_aclib2, fd_json;
};

static int open_append(const char *dir, const char *name, int *fd, int *created, smac_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    *created = stat(path, &st) != 0;
    *fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (*fd < 0)
        return smac_error_set(err, SMAC_ERR_IO, "%s: cannot open for appending: %s", path, strerror(errno));
    return 0;
}

static int append_line(int fd, const char *text, smac_error *err)
{
    if (fd < 0)
        return 0;
    size_t len = strlen(text);
    const char *p = text;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return smac_error_set(err, SMAC_ERR_IO, "cannot append to a trajectory file: %s", strerror(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    fsync(fd);
    return 0;
}

smac_trajectory *smac_trajectory_open(const char *run_dir, const smac_cs *cs, smac_error *err)
{
    smac_trajectory *t = calloc(1, sizeof *t);
    if (!t) {
        smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    t->cs = cs;
    t->fd_old = t->fd_aclib2 = t->fd_json = -1;
    if (!run_dir || !*run_dir)
        return t;
    int created;
    if (open_append(run_dir, "traj_old.csv", &t->fd_old, &created, err) != 0)
        goto fail;
    if (created && append_line(t->fd_old, OLD_HEADER, err) != 0)
        goto fail;
    if (open_append(run_dir, "traj_aclib2.json", &t->fd_aclib2, &created, err) != 0 ||
        open_append(run_dir, "traj.json", &t->fd_json, &created, err) != 0)
        goto fail;
    return t;
fail:
    smac_trajectory_close(t);
    return NULL;
}

void smac_trajectory_close(smac_trajectory *t)
{
    if (!t)
        return;
    if (t->fd_old >= 0) close(t->fd_old);
    if (t->fd_aclib2 >= 0) close(t->fd_aclib2);
    if (t->fd_json >= 0) close(t->fd_json);
    free(t);
}

/* The cost as Python had it: the placeholder is the int 2**31, the rest floats. */
static void append_cost(smac_strbuf *sb, const smac_traj_entry *e)
{
    if (e->cost_is_placeholder)
        smac_strbuf_puts(sb, "2147483648");
    else
        smac_strbuf_double(sb, e->cost, 1);
}

char *smac_traj_old_line(const smac_cs *cs, const smac_traj_entry *e)
{
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    double cost = e->cost_is_placeholder ? 2147483648.0 : e->cost;
    smac_strbuf_printf(&sb, "%f, %f, %f, %d, %f, ", e->cpu_time, cost, e->wallclock_time,
                       e->incumbent_id, e->wallclock_time - e->cpu_time);
    int first = 1;
    for (int i = 0; i < cs->n_params; i++) {
        if (isnan(e->config[i]))
            continue;
        if (!first)
            smac_strbuf_puts(&sb, ", ");
        first = 0;
        cs_config_append_item(cs, i, e->config[i], &sb);
    }
    return smac_strbuf_take(&sb);
}

static void append_common(smac_strbuf *sb, const smac_traj_entry *e)
{
    smac_strbuf_puts(sb, "{\"cpu_time\": ");
    smac_strbuf_double(sb, e->cpu_time, 1);
    smac_strbuf_puts(sb, ", \"wallclock_time\": ");
    smac_strbuf_double(sb, e->wallclock_time, 1);
    smac_strbuf_printf(sb, ", \"evaluations\": %ld, \"cost\": ", e->evaluations);
    append_cost(sb, e);
    smac_strbuf_puts(sb, ", \"incumbent\": ");
}

static void append_origin(smac_strbuf *sb, const smac_traj_entry *e)
{
    smac_strbuf_puts(sb, ", \"origin\": ");
    if (e->origin)
        smac_strbuf_json_string(sb, e->origin);
    else
        smac_strbuf_puts(sb, "null");
    smac_strbuf_putc(sb, '}');
}

char *smac_traj_aclib2_line(const smac_cs *cs, const smac_traj_entry *e)
{
    smac_strbuf sb, item;
    smac_strbuf_init(&sb);
    smac_strbuf_init(&item);
    append_common(&sb, e);
    smac_strbuf_putc(&sb, '[');
    int first = 1;
    for (int i = 0; i < cs->n_params; i++) {
        if (isnan(e->config[i]))
            continue;
        if (!first)
            smac_strbuf_puts(&sb, ", ");
        first = 0;
        smac_strbuf_clear(&item);
        cs_config_append_item(cs, i, e->config[i], &item);
        smac_strbuf_json_string(&sb, item.data ? item.data : "");
    }
    smac_strbuf_putc(&sb, ']');
    append_origin(&sb, e);
    smac_strbuf_free(&item);
    return smac_strbuf_take(&sb);
}

char *smac_traj_json_line(const smac_cs *cs, const smac_traj_entry *e)
{
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    append_common(&sb, e);
    cs_config_append_json(cs, e->config, &sb, -1, 0);
    smac_strbuf_puts(&sb, ", \"budget\": ");
    /* SMAC3 writes the classic intensifier's budget as the int 0. */
    if (e->budget == floor(e->budget) && fabs(e->budget) < 1e15)
        smac_strbuf_printf(&sb, "%.0f", e->budget);
    else
        smac_strbuf_double(&sb, e->budget, 1);
    append_origin(&sb, e);
    return smac_strbuf_take(&sb);
}

static int add_line(int fd, char *line, smac_error *err)
{
    if (!line)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    size_t n = strlen(line);
    char *with_nl = realloc(line, n + 2);
    if (!with_nl) {
        free(line);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    with_nl[n] = '\n';
    with_nl[n + 1] = '\0';
    int rc = append_line(fd, with_nl, err);
    free(with_nl);
    return rc;
}

int smac_trajectory_add(smac_trajectory *t, const smac_traj_entry *e, smac_error *err)
{
    if (t->fd_old < 0)
        return 0;
    int rc = add_line(t->fd_old, smac_traj_old_line(t->cs, e), err);
    if (rc == 0)
        rc = add_line(t->fd_aclib2, smac_traj_aclib2_line(t->cs, e), err);
    if (rc == 0)
        rc = add_line(t->fd_json, smac_traj_json_line(t->cs, e), err);
    return rc;
}
