/* The pSMAC journal (see journal.h for the protocol and why no locks). */
#include "psmac/journal.h"
#include "util/error.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOGGER "smac.optimizer.smbo.SMBO"

void smac_journal_writer_free(smac_journal_writer *w)
{
    free(w->done);
    memset(w, 0, sizeof *w);
}

static int grow_done(smac_journal_writer *w, size_t n)
{
    if (n <= w->cap) {
        if (n > w->n_done)
            memset(w->done + w->n_done, 0, n - w->n_done);
        w->n_done = n > w->n_done ? n : w->n_done;
        return 0;
    }
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < n)
        cap *= 2;
    unsigned char *d = realloc(w->done, cap);
    if (!d)
        return -1;
    memset(d + w->n_done, 0, cap - w->n_done);
    w->done = d;
    w->cap = cap;
    w->n_done = n;
    return 0;
}

/* One run as a one-line runhistory.json document: the writer's own text
 * with its layout newlines and indentation removed (a JSON string never
 * holds a raw newline, so every newline is layout). */
static int append_run_line(const smac_runhistory *rh, const smac_rh_run *r, smac_strbuf *out, smac_error *err)
{
    smac_runhistory *one = smac_runhistory_new(smac_rh_space(rh), smac_rh_get_options(rh));
    if (!one)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    int id, rc = 0;
    if (smac_rh_intern_config(one, smac_rh_config(rh, r->config_id), smac_rh_config_origin(rh, r->config_id), &id) < 0)
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    if (rc == 0 && smac_rh_add(one, id, r->instance_name, r->seed, r->budget, &r->value, SMAC_RH_INTERNAL, 1, err) < 0)
        rc = err ? err->code : SMAC_ERR_INVALID;
    char *text = rc == 0 ? smac_rh_to_json(one, err) : NULL;
    if (rc == 0 && !text)
        rc = err ? err->code : SMAC_ERR_NOMEM;
    if (text) {
        for (const char *s = text; *s; s++) {
            if (*s == '\n') {
                while (s[1] == ' ')
                    s++;
                continue;
            }
            smac_strbuf_putc(out, *s);
        }
        smac_strbuf_putc(out, '\n');
    }
    free(text);
    smac_runhistory_free(one);
    return rc;
}

int smac_journal_append(smac_journal_writer *w, const smac_runhistory *rh, const char *run_dir, smac_error *err)
{
    size_t n = smac_rh_size(rh);
    if (grow_done(w, n) != 0)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    smac_strbuf sb;
    smac_strbuf_init(&sb);
    int rc = 0;
    for (size_t i = w->first_pending; i < n && rc == 0; i++) {
        if (w->done[i])
            continue;
        const smac_rh_run *r = smac_rh_run_at(rh, i);
        if (r->origin != SMAC_RH_INTERNAL) {
            w->done[i] = 1; /* imports are never published by us */
            continue;
        }
        if (r->value.status == SMAC_STATUS_RUNNING)
            continue; /* journaled once it has its result */
        rc = append_run_line(rh, r, &sb, err);
        if (rc == 0)
            w->done[i] = 1;
    }
    while (w->first_pending < n && w->done[w->first_pending])
        w->first_pending++;
    if (rc == 0 && sb.failed)
        rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    if (rc == 0 && sb.len > 0) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", run_dir, SMAC_JOURNAL_NAME);
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            rc = smac_error_set(err, SMAC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        } else {
            const char *p = sb.data;
            size_t left = sb.len;
            while (left > 0 && rc == 0) {
                ssize_t k = write(fd, p, left);
                if (k < 0 && errno == EINTR)
                    continue;
                if (k < 0)
                    rc = smac_error_set(err, SMAC_ERR_IO, "%s: cannot append: %s", path, strerror(errno));
                else {
                    p += k;
                    left -= (size_t)k;
                }
            }
            fsync(fd);
            close(fd);
        }
    }
    smac_strbuf_free(&sb);
    return rc;
}

int smac_journal_read(smac_journal_cursor *c, smac_runhistory *rh, const char *path, int *n_new, smac_error *err)
{
    *n_new = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return 0;
    }
    if (st.st_dev != c->dev || st.st_ino != c->ino || st.st_size < c->offset) {
        c->dev = st.st_dev; /* another journal (a new run in that folder): from the start */
        c->ino = st.st_ino;
        c->offset = 0;
    }
    if (st.st_size == c->offset) {
        close(fd);
        return 0;
    }
    size_t want = (size_t)(st.st_size - c->offset);
    char *buf = malloc(want + 1);
    if (!buf) {
        close(fd);
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    }
    ssize_t got = pread(fd, buf, want, c->offset);
    close(fd);
    if (got <= 0) {
        free(buf);
        return 0;
    }
    size_t start = 0;
    int rc = 0;
    for (size_t i = 0; i < (size_t)got && rc == 0; i++) {
        if (buf[i] != '\n')
            continue;
        size_t before = smac_rh_size(rh);
        smac_error lerr;
        if (i > start && smac_rh_load_json_text(rh, buf + start, i - start, path, SMAC_RH_EXTERNAL_SAME, NULL, &lerr) != 0) {
            if (lerr.code == SMAC_ERR_NOMEM)
                rc = smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            else
                SMAC_WARNING(LOGGER, "Shared model mode: skipping a corrupt line of %s: %s", path, lerr.message);
        }
        *n_new += (int)(smac_rh_size(rh) - before);
        start = i + 1;
    }
    /* A torn last line (no newline yet) waits for the next round. */
    c->offset += (off_t)start;
    free(buf);
    return rc;
}
