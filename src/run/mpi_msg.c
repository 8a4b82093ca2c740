/*
 * Encoding and decoding of the MPI messages (mpi_msg.h). Readers never trust
 * a length: every field is bounds-checked and a malformed message is reported
 * as such (the optimiser treats it like a lost worker), never read past.
 */
#include "run/mpi_msg.h"
#include "run/run_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

#define MSG_MAGIC 0x534d5057 /* "SMPW" */
/* No string we send comes near this; a larger length is a corrupt message. */
#define MSG_STR_MAX ((int64_t)1 << 30)

static void put_bytes(smac_msg *m, const void *p, size_t n)
{
    if (m->failed)
        return;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < m->len + n)
            cap *= 2;
        unsigned char *d = realloc(m->data, cap);
        if (!d) {
            m->failed = 1;
            return;
        }
        m->data = d;
        m->cap = cap;
    }
    memcpy(m->data + m->len, p, n);
    m->len += n;
}

void smac_msg_init(smac_msg *m, int kind)
{
    memset(m, 0, sizeof *m);
    smac_msg_put_i64(m, MSG_MAGIC);
    smac_msg_put_i64(m, kind);
}

void smac_msg_free(smac_msg *m)
{
    free(m->data);
    memset(m, 0, sizeof *m);
}

void smac_msg_put_i64(smac_msg *m, int64_t x) { put_bytes(m, &x, sizeof x); }
void smac_msg_put_f64(smac_msg *m, double x) { put_bytes(m, &x, sizeof x); }

void smac_msg_put_str(smac_msg *m, const char *s)
{
    if (!s) {
        smac_msg_put_i64(m, -1);
        return;
    }
    size_t n = strlen(s);
    smac_msg_put_i64(m, (int64_t)n);
    put_bytes(m, s, n);
}

static int get_bytes(smac_msg_reader *r, void *p, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        memset(p, 0, n);
        return -1;
    }
    memcpy(p, r->data + r->pos, n);
    r->pos += n;
    return 0;
}

int64_t smac_msg_get_i64(smac_msg_reader *r)
{
    int64_t x;
    get_bytes(r, &x, sizeof x);
    return x;
}

double smac_msg_get_f64(smac_msg_reader *r)
{
    double x;
    get_bytes(r, &x, sizeof x);
    return x;
}

char *smac_msg_get_str(smac_msg_reader *r)
{
    int64_t n = smac_msg_get_i64(r);
    if (r->bad || n == -1)
        return NULL;
    if (n < 0 || n > MSG_STR_MAX || (uint64_t)n > r->len - r->pos) {
        r->bad = 1;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, r->data + r->pos, (size_t)n);
    s[n] = '\0';
    r->pos += (size_t)n;
    if (strlen(s) != (size_t)n) { /* a NUL inside: not a string we sent */
        free(s);
        r->bad = 1;
        return NULL;
    }
    return s;
}

int smac_msg_open(smac_msg_reader *r, const void *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    int64_t magic = smac_msg_get_i64(r);
    int64_t kind = smac_msg_get_i64(r);
    if (r->bad || magic != MSG_MAGIC || kind < SMAC_MSG_HELLO || kind > SMAC_MSG_BYE) {
        r->bad = 1;
        return -1;
    }
    r->kind = (int)kind;
    return 0;
}

/* A count read from a message: in [0, max], else the message is bad. */
static int get_count(smac_msg_reader *r, int64_t max)
{
    int64_t n = smac_msg_get_i64(r);
    if (r->bad || n < 0 || n > max) {
        r->bad = 1;
        return 0;
    }
    return (int)n;
}

/* ----------------------------------------------------------------- HELLO */

void smac_worker_setup_free(smac_worker_setup *s)
{
    if (!s)
        return;
    smac_argv_free(s->algo);
    free(s->execdir);
    memset(s, 0, sizeof *s);
}

int smac_msg_put_hello(smac_msg *m, const smac_runner_config *cfg, int log_level)
{
    smac_msg_put_i64(m, cfg->kind);
    smac_msg_put_i64(m, cfg->run_obj_runtime);
    smac_msg_put_f64(m, cfg->par_factor);
    smac_msg_put_f64(m, cfg->cost_for_crash);
    smac_msg_put_f64(m, cfg->memory_limit_mb);
    smac_msg_put_i64(m, cfg->limit_cpu_time);
    smac_msg_put_f64(m, cfg->kill_grace);
    smac_msg_put_f64(m, cfg->kill_delay);
    smac_msg_put_i64(m, log_level);
    smac_msg_put_str(m, cfg->execdir);
    smac_msg_put_i64(m, cfg->algo_argc);
    for (int i = 0; i < cfg->algo_argc; i++)
        smac_msg_put_str(m, cfg->algo_argv[i]);
    return m->failed ? SMAC_ERR_NOMEM : 0;
}

int smac_msg_get_hello(smac_msg_reader *r, smac_worker_setup *out)
{
    memset(out, 0, sizeof *out);
    smac_runner_config_init(&out->cfg);
    int64_t kind = smac_msg_get_i64(r);
    if (kind != SMAC_TAE_OLD && kind != SMAC_TAE_ACLIB)
        r->bad = 1;
    out->cfg.kind = (smac_tae_kind)kind;
    out->cfg.run_obj_runtime = smac_msg_get_i64(r) != 0;
    out->cfg.par_factor = smac_msg_get_f64(r);
    out->cfg.cost_for_crash = smac_msg_get_f64(r);
    out->cfg.memory_limit_mb = smac_msg_get_f64(r);
    out->cfg.limit_cpu_time = smac_msg_get_i64(r) != 0;
    out->cfg.kill_grace = smac_msg_get_f64(r);
    out->cfg.kill_delay = smac_msg_get_f64(r);
    out->log_level = (int)smac_msg_get_i64(r);
    out->execdir = smac_msg_get_str(r);
    int argc = get_count(r, 65536);
    if (!r->bad && argc < 1)
        r->bad = 1;
    if (!r->bad) {
        out->algo = calloc((size_t)argc + 1, sizeof *out->algo);
        if (!out->algo)
            r->bad = 1;
    }
    for (int i = 0; i < argc && !r->bad; i++)
        if (!(out->algo[i] = smac_msg_get_str(r)))
            r->bad = 1;
    if (r->bad) {
        smac_worker_setup_free(out);
        return -1;
    }
    out->cfg.algo_argv = out->algo;
    out->cfg.algo_argc = argc;
    out->cfg.execdir = out->execdir;
    return 0;
}

/* ------------------------------------------------------------------- RUN */

void smac_remote_request_free(smac_remote_request *q)
{
    if (!q)
        return;
    free(q->instance);
    free(q->instance_specific);
    for (int i = 0; q->pairs && i < 2 * q->n_params; i++)
        free(q->pairs[i]);
    free(q->pairs);
    memset(q, 0, sizeof *q);
}

int smac_msg_put_run(smac_msg *m, int64_t job_id, const smac_run_request *req, smac_error *err)
{
    const char **pairs = NULL;
    char *block = NULL;
    int n = 0;
    int rc = smac_param_texts(req, &pairs, &block, &n, err);
    if (rc)
        return rc;
    smac_msg_put_i64(m, job_id);
    smac_msg_put_i64(m, (int64_t)req->seed);
    smac_msg_put_f64(m, req->cutoff);
    smac_msg_put_i64(m, req->capped);
    smac_msg_put_f64(m, req->budget);
    smac_msg_put_str(m, req->instance);
    smac_msg_put_str(m, req->instance_specific);
    smac_msg_put_i64(m, n);
    for (int i = 0; i < 2 * n; i++)
        smac_msg_put_str(m, pairs[i]);
    free(pairs);
    free(block);
    return m->failed ? smac_error_set(err, SMAC_ERR_NOMEM, "out of memory sending a run") : 0;
}

int smac_msg_get_run(smac_msg_reader *r, smac_remote_request *out)
{
    memset(out, 0, sizeof *out);
    out->job_id = smac_msg_get_i64(r);
    out->req.seed = (uint64_t)smac_msg_get_i64(r);
    out->req.cutoff = smac_msg_get_f64(r);
    out->req.capped = smac_msg_get_i64(r) != 0;
    out->req.budget = smac_msg_get_f64(r);
    out->instance = smac_msg_get_str(r);
    out->instance_specific = smac_msg_get_str(r);
    int n = get_count(r, 1 << 20);
    if (!r->bad && n > 0 && !(out->pairs = calloc(2 * (size_t)n, sizeof *out->pairs)))
        r->bad = 1;
    if (!r->bad)
        out->n_params = n;
    for (int i = 0; i < 2 * out->n_params && !r->bad; i++)
        if (!(out->pairs[i] = smac_msg_get_str(r)))
            r->bad = 1;
    if (r->bad) {
        smac_remote_request_free(out);
        return -1;
    }
    out->req.instance = out->instance;
    out->req.instance_specific = out->instance_specific;
    return 0;
}

/* ---------------------------------------------------------------- RESULT */

int smac_msg_put_result(smac_msg *m, int64_t job_id, const smac_run_value *v, const smac_run_measure *ms)
{
    smac_msg_put_i64(m, job_id);
    smac_msg_put_i64(m, v->status);
    smac_msg_put_f64(m, v->cost);
    smac_msg_put_f64(m, v->time);
    smac_msg_put_f64(m, v->starttime);
    smac_msg_put_f64(m, v->endtime);
    smac_msg_put_str(m, v->additional_info);
    smac_msg_put_f64(m, ms->wall_time);
    smac_msg_put_f64(m, ms->cpu_time);
    smac_msg_put_i64(m, ms->max_rss_kb);
    smac_msg_put_i64(m, ms->pid);
    smac_msg_put_i64(m, ms->exit_status);
    smac_msg_put_i64(m, ms->term_signal);
    smac_msg_put_i64(m, ms->killed_at_cutoff);
    smac_msg_put_i64(m, ms->killed_on_request);
    smac_msg_put_i64(m, ms->memout);
    smac_msg_put_i64(m, ms->had_result_line);
    smac_msg_put_i64(m, ms->leftovers);
    smac_msg_put_str(m, ms->stdout_tail);
    smac_msg_put_str(m, ms->stderr_tail);
    return m->failed ? SMAC_ERR_NOMEM : 0;
}

int smac_msg_get_result(smac_msg_reader *r, int64_t *job_id, smac_run_value *v, smac_run_measure *ms)
{
    memset(v, 0, sizeof *v);
    memset(ms, 0, sizeof *ms);
    *job_id = smac_msg_get_i64(r);
    int64_t st = smac_msg_get_i64(r);
    if (!smac_status_name((smac_status)st))
        r->bad = 1;
    v->status = (smac_status)st;
    v->cost = smac_msg_get_f64(r);
    v->time = smac_msg_get_f64(r);
    v->starttime = smac_msg_get_f64(r);
    v->endtime = smac_msg_get_f64(r);
    v->additional_info = smac_msg_get_str(r);
    ms->wall_time = smac_msg_get_f64(r);
    ms->cpu_time = smac_msg_get_f64(r);
    ms->max_rss_kb = (long)smac_msg_get_i64(r);
    ms->pid = (int)smac_msg_get_i64(r);
    ms->exit_status = (int)smac_msg_get_i64(r);
    ms->term_signal = (int)smac_msg_get_i64(r);
    ms->killed_at_cutoff = (int)smac_msg_get_i64(r);
    ms->killed_on_request = (int)smac_msg_get_i64(r);
    ms->memout = (int)smac_msg_get_i64(r);
    ms->had_result_line = (int)smac_msg_get_i64(r);
    ms->leftovers = (int)smac_msg_get_i64(r);
    ms->stdout_tail = smac_msg_get_str(r);
    ms->stderr_tail = smac_msg_get_str(r);
    if (r->bad) {
        free(v->additional_info);
        v->additional_info = NULL;
        smac_run_measure_free(ms);
        return -1;
    }
    return 0;
}
