/*
 * `smac-plot`: a picture of how the incumbent improved, one line per run.
 *
 *     smac-plot [-o out.svg] [--x wallclock|evaluations|cpu] [--log] [--title T] FOLDER...
 *
 * Each FOLDER is a run folder (one holding traj.json) or an output folder
 * whose run_* folders are all taken, so a pSMAC group folder plots all its
 * members. Reads every traj.json (formats.md §6.4; the placeholder entry
 * written before any run, cost 2147483648, is skipped) and writes one
 * self-contained SVG: the incumbent's estimated cost as a step function of
 * wallclock time, finished target runs or summed target runtime, a marker
 * at each incumbent, a legend and labelled axes. When the run folder's
 * stats.json can be read, each line runs on to where the run ended, so a
 * run that stopped improving early still shows how long it went on. A
 * short summary per run goes to stdout. Everything here is drawing; no
 * external plotting library, and the SVG is plain enough for any viewer.
 */
#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "smac.h"
#include "util/floatfmt.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

/* Layout of the picture, in SVG user units (pixels at 100%). */
enum { WIDTH = 800, HEIGHT = 500, PLOT_L = 80, PLOT_R = 600, PLOT_T = 50, PLOT_B = 440, LEGEND_X = 615 };
#define LEGEND_CHARS 22 /* longest legend label before it is shortened */
#define MAX_TICKS 40

/* The cost SMAC3 writes before the first run has finished (2^31). */
#define PLACEHOLDER_COST 2147483648.0
/* Largest |value| drawn on a linear axis. */
#define MAX_PLOTTABLE 1e300

static const char *const COLOURS[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define N_COLOURS (sizeof COLOURS / sizeof COLOURS[0])

typedef enum { X_WALLCLOCK, X_EVALUATIONS, X_CPU } x_kind;

static const struct {
    const char *option;    /* value of --x */
    const char *traj_key;  /* key in traj.json */
    const char *stats_key; /* key in stats.json telling where the run ended */
    const char *title;     /* axis title */
    const char *short_name;/* for the text summary */
} X_AXES[] = {
    [X_WALLCLOCK] = {"wallclock", "wallclock_time", "wallclock_time_used", "wallclock time [s]", "wallclock"},
    [X_EVALUATIONS] = {"evaluations", "evaluations", "finished_ta_runs", "finished target runs", "evaluations"},
    [X_CPU] = {"cpu", "cpu_time", "ta_time_used", "target CPU time [s] (sum of reported runtimes)", "cpu time"},
};

typedef struct {
    double x, cost;
    int line; /* in traj.json, for messages */
} point;

typedef struct {
    char *dir;   /* the run folder, as named */
    char *real;  /* its real path (NULL if unknown), to drop duplicates */
    char *label; /* legend text */
    point *pts;  /* real incumbents, in file order */
    size_t n, cap;
    double end_x; /* where the run ended (stats.json), if has_end */
    int has_end;
} run;

typedef struct {
    run *runs;
    size_t n, cap;
} run_list;

/* One axis: data range mapped onto a pixel range, linear or log10. */
typedef struct {
    double lo, hi; /* axis limits in data units (log10 of them when log) */
    int log;
    double p0, p1; /* pixels of lo and hi */
    double ticks[MAX_TICKS];
    char labels[MAX_TICKS][32];
    int n_ticks;
} axis;

static void usage(FILE *out)
{
    fputs("usage: smac-plot [-o FILE] [--x wallclock|evaluations|cpu] [--log] [--title TEXT] FOLDER...\n"
          "  Plots the incumbent's estimated cost of each run (its traj.json) as a step function,\n"
          "  one line per run, into one SVG file, and prints a summary per run.\n"
          "  FOLDER is a run folder (holding traj.json) or an output folder whose run_* folders\n"
          "  are all plotted (e.g. a pSMAC group folder).\n"
          "  -o, --output FILE   the SVG to write (default: smac-plot.svg)\n"
          "  --x AXIS            wallclock (default), evaluations (finished target runs) or cpu\n"
          "                      (sum of the runtimes the target reported)\n"
          "  --log               log10 scale for the cost (all costs must be > 0)\n"
          "  --title TEXT        the title above the plot\n",
          out);
}

/* ------------------------------------------------------------ finding run folders */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* Adds a run folder unless it is already there under another spelling
 * (a run folder named both directly and through its output folder). */
static int add_run(run_list *l, const char *dir)
{
    char *real = realpath(dir, NULL);
    if (real)
        for (size_t i = 0; i < l->n; i++)
            if (l->runs[i].real && strcmp(l->runs[i].real, real) == 0) {
                free(real);
                return 0;
            }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        run *bigger = realloc(l->runs, cap * sizeof *bigger);
        if (!bigger) {
            free(real);
            return -1;
        }
        l->runs = bigger;
        l->cap = cap;
    }
    run *r = &l->runs[l->n];
    memset(r, 0, sizeof *r);
    r->real = real;
    r->dir = strdup(dir);
    if (!r->dir) {
        free(real);
        return -1;
    }
    l->n++;
    return 0;
}

/* run_2 before run_10: compare the numbers after "run_" when both have one. */
static int cmp_run_names(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    char *ex, *ey;
    errno = 0;
    unsigned long long nx = strtoull(x + 4, &ex, 10), ny = strtoull(y + 4, &ey, 10);
    if (ex != x + 4 && ey != y + 4 && *ex == '\0' && *ey == '\0' && nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x, y);
}

/* A run folder is taken as it is; otherwise its run_* subfolders, in order.
 * Returns 0, or 1 after printing why (2 when out of memory, also printed). */
static int collect_runs(const char *arg, run_list *out)
{
    char *dir = strdup(arg);
    if (!dir)
        goto nomem;
    for (size_t len = strlen(dir); len > 1 && dir[len - 1] == '/'; len--)
        dir[len - 1] = '\0';
    char *traj = join(dir, "traj.json");
    if (!traj) {
        free(dir);
        goto nomem;
    }
    int direct = exists(traj);
    free(traj);
    if (direct) {
        int rc = add_run(out, dir);
        free(dir);
        return rc == 0 ? 0 : (fprintf(stderr, "smac-plot: out of memory\n"), 2);
    }
    if (!is_dir(dir)) {
        fprintf(stderr, "smac-plot: %s: %s\n", dir, exists(dir) ? "not a folder" : strerror(ENOENT));
        free(dir);
        return 1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "smac-plot: %s: cannot open: %s\n", dir, strerror(errno));
        free(dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, "run_", 4) != 0)
            continue;
        char *child = join(dir, e->d_name);
        if (!child) {
            rc = 2;
            break;
        }
        int keep = is_dir(child);
        free(child);
        if (!keep)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            char **bigger = realloc(names, cap * sizeof *bigger);
            if (!bigger) {
                rc = 2;
                break;
            }
            names = bigger;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = 2;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0 && n == 0) {
        fprintf(stderr, "smac-plot: %s/traj.json: %s, and %s holds no run_* folders\n", dir, strerror(ENOENT), dir);
        rc = 1;
    }
    if (rc == 0) {
        qsort(names, n, sizeof *names, cmp_run_names);
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *child = join(dir, names[i]);
            if (!child || add_run(out, child) != 0)
                rc = 2;
            free(child);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    if (rc == 2)
        fprintf(stderr, "smac-plot: out of memory\n");
    return rc;
nomem:
    fprintf(stderr, "smac-plot: out of memory\n");
    return 2;
}

/* ------------------------------------------------------------ reading traj.json */

static int number_field(const json_t *obj, const char *key, double *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || !json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return isfinite(*out) ? 0 : -1;
}

static int add_point(run *r, double x, double cost, int line)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        point *bigger = realloc(r->pts, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        r->pts = bigger;
        r->cap = cap;
    }
    r->pts[r->n++] = (point){x, cost, line};
    return 0;
}

/* Reads <dir>/traj.json into r->pts. Every non-blank line must be a JSON
 * object with a numeric cost and x value. Returns 0, or 1 after printing
 * a message naming the file and line. */
static int read_trajectory(run *r, x_kind xk)
{
    char *path = join(r->dir, "traj.json");
    if (!path) {
        fprintf(stderr, "smac-plot: out of memory\n");
        return 1;
    }
    smac_error err;
    char *text = NULL;
    size_t len = 0;
    if (smac_read_file(path, &text, &len, &err) != 0) {
        fprintf(stderr, "smac-plot: %s\n", err.message);
        free(path);
        return 1;
    }
    const char *key = X_AXES[xk].traj_key;
    int status = 0, line_no = 0;
    for (size_t pos = 0; pos < len && status == 0;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        line_no++;
        size_t k = 0;
        while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
            k++;
        if (k == n)
            continue;
        json_error_t jerr;
        json_t *obj = json_loadb(line, n, 0, &jerr);
        double x, cost;
        if (!obj) {
            fprintf(stderr, "smac-plot: %s:%d: not a JSON line: %s\n", path, line_no, jerr.text);
            status = 1;
        } else if (!json_is_object(obj)) {
            fprintf(stderr, "smac-plot: %s:%d: not a trajectory entry (expected a JSON object)\n", path, line_no);
            status = 1;
        } else if (number_field(obj, "cost", &cost) != 0) {
            fprintf(stderr, "smac-plot: %s:%d: no numeric \"cost\"\n", path, line_no);
            status = 1;
        } else if (number_field(obj, key, &x) != 0) {
            fprintf(stderr, "smac-plot: %s:%d: no numeric \"%s\"\n", path, line_no, key);
            status = 1;
        } else if (cost != PLACEHOLDER_COST && add_point(r, x, cost, line_no) != 0) {
            fprintf(stderr, "smac-plot: out of memory\n");
            status = 1;
        }
        json_decref(obj);
    }
    free(text);
    free(path);
    return status;
}

/* Where the run ended on the x axis, from stats.json. Optional: a run still
 * going, or one from elsewhere, may have none, and then the line stops at
 * its last incumbent. */
static void read_run_end(run *r, x_kind xk)
{
    char *path = join(r->dir, "stats.json");
    if (!path)
        return;
    json_error_t jerr;
    json_t *obj = json_load_file(path, 0, &jerr);
    free(path);
    double end;
    if (obj && json_is_object(obj) && number_field(obj, X_AXES[xk].stats_key, &end) == 0 &&
        fabs(end) <= MAX_PLOTTABLE) {
        r->end_x = end;
        r->has_end = 1;
    }
    json_decref(obj);
}

/* ------------------------------------------------------------ labels */

static const char *base_name(const char *path, size_t *len)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    *len = strlen(b);
    return b;
}

/* The folder's name, or parent/name when two runs would share a name
 * (run_1 of two different output folders). */
static int make_labels(run_list *l)
{
    int clash = 0;
    for (size_t i = 0; i < l->n && !clash; i++)
        for (size_t j = i + 1; j < l->n && !clash; j++) {
            size_t a, b;
            const char *x = base_name(l->runs[i].dir, &a), *y = base_name(l->runs[j].dir, &b);
            clash = a == b && memcmp(x, y, a) == 0;
        }
    for (size_t i = 0; i < l->n; i++) {
        const char *dir = l->runs[i].dir, *start;
        size_t len;
        start = base_name(dir, &len);
        if (clash && start > dir) {
            const char *p = start - 1; /* the slash */
            while (p > dir && p[-1] != '/')
                p--;
            start = p;
        }
        if (!(l->runs[i].label = strdup(start)))
            return -1;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 for a byte that
 * does not start one. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t len = c < 0x80                  ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    for (size_t k = 1; k < len; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
        return 0; /* overlong, or a surrogate */
    if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
        return 0;
    return len;
}

/* Appends text to an SVG text node or attribute: XML-escaped, with control
 * characters and bytes that are not UTF-8 replaced by '?', so that any
 * folder name gives a well-formed file. At most max_chars characters
 * (0: all); a longer text keeps its start and end around an ellipsis. */
static void put_xml_text(smac_strbuf *sb, const char *s, size_t max_chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n_chars = 0;
    for (size_t i = 0; u[i]; n_chars++) {
        size_t len = utf8_len(u + i);
        i += len ? len : 1;
    }
    size_t head = n_chars, tail_from = n_chars;
    if (max_chars > 0 && n_chars > max_chars) {
        head = (max_chars - 1) / 2;
        tail_from = n_chars - (max_chars - 1 - head);
    }
    size_t ci = 0;
    for (size_t i = 0; u[i]; ci++) {
        size_t len = utf8_len(u + i);
        unsigned c = u[i];
        if (ci == head && head < tail_from)
            smac_strbuf_puts(sb, "\xE2\x80\xA6"); /* an ellipsis */
        if (ci < head || ci >= tail_from) {
            if (len == 0 || (len == 1 && c < 0x20) || c == 0x7F)
                smac_strbuf_putc(sb, '?');
            else if (c == '&')
                smac_strbuf_puts(sb, "&amp;");
            else if (c == '<')
                smac_strbuf_puts(sb, "&lt;");
            else if (c == '>')
                smac_strbuf_puts(sb, "&gt;");
            else if (c == '"')
                smac_strbuf_puts(sb, "&quot;");
            else
                smac_strbuf_append(sb, s + i, len);
        }
        i += len ? len : 1;
    }
}

/* ------------------------------------------------------------ axes */

/* 1, 2 or 5 times a power of ten, at least r. */
static double nice_step(double r)
{
    double e = floor(log10(r)), base = pow(10.0, e), f = r / base;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * base;
}

static void format_tick(double v, double step, char out[32])
{
    if (fabs(v) < step * 1e-9)
        v = 0.0;
    double mag = fmax(fabs(v), step);
    if (v == 0.0) {
        snprintf(out, 32, "0");
    } else if (mag >= 1e-4 && mag < 1e7) {
        int dec = (int)fmax(0.0, -floor(log10(step) + 1e-9));
        snprintf(out, 32, "%.*f", dec, v);
    } else {
        int digits = (int)(floor(log10(fabs(v)) + 1e-9) - floor(log10(step) + 1e-9)) + 1;
        snprintf(out, 32, "%.*e", digits < 1 ? 0 : digits > 14 ? 14 : digits - 1, v);
    }
}

/* Linear axis over [min, max] ending on round ticks. */
static void linear_axis(axis *a, double min, double max)
{
    if (max <= min) {
        double pad = min != 0.0 ? fabs(min) * 0.1 : 1.0;
        min -= pad;
        max += pad;
    }
    double step = nice_step((max - min) / 5.0);
    a->log = 0;
    a->lo = floor(min / step) * step;
    a->hi = ceil(max / step) * step;
    a->n_ticks = 0;
    for (double k = ceil(a->lo / step - 1e-9); a->n_ticks < MAX_TICKS; k++) {
        double v = k * step;
        if (v > a->hi + step * 1e-9)
            break;
        a->ticks[a->n_ticks] = v;
        format_tick(v, step, a->labels[a->n_ticks]);
        a->n_ticks++;
    }
}

static void format_power(int e, double mantissa, char out[32])
{
    if (e >= -4 && e <= 6)
        snprintf(out, 32, "%.*f", e < 0 ? -e : 0, mantissa * pow(10.0, e));
    else if (mantissa == 1.0)
        snprintf(out, 32, "1e%d", e);
    else
        snprintf(out, 32, "%ge%d", mantissa, e);
}

/* log10 axis over [min, max] (both > 0) ending on powers of ten; ticks at
 * every decade (every 2, 5, 10, ... decades when there are many), and at 2
 * and 5 too when the range is narrow. Limits and ticks are stored as log10
 * values. */
static void log_axis(axis *a, double min, double max)
{
    int lo = (int)floor(log10(min)), hi = (int)ceil(log10(max));
    if (hi <= lo)
        hi = lo + 1;
    int every = hi - lo <= 8 ? 1 : (int)nice_step((hi - lo) / 8.0);
    lo = (int)floor((double)lo / every) * every;
    hi = (int)ceil((double)hi / every) * every;
    a->log = 1;
    a->lo = lo;
    a->hi = hi;
    a->n_ticks = 0;
    for (int e = lo; e <= hi && a->n_ticks < MAX_TICKS; e += every) {
        a->ticks[a->n_ticks] = e;
        format_power(e, 1.0, a->labels[a->n_ticks]);
        a->n_ticks++;
        if (hi - lo <= 2 && e < hi)
            for (int m = 2; m <= 5 && a->n_ticks < MAX_TICKS; m += 3) {
                a->ticks[a->n_ticks] = e + log10((double)m);
                format_power(e, m, a->labels[a->n_ticks]);
                a->n_ticks++;
            }
    }
}

static double to_pixel(const axis *a, double v)
{
    double t = a->log ? log10(v) : v;
    return a->p0 + (t - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

static double tick_pixel(const axis *a, int i)
{
    return a->p0 + (a->ticks[i] - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

/* ------------------------------------------------------------ drawing */

static void draw_axes(smac_strbuf *sb, const axis *xa, const axis *ya, const char *x_title, const char *y_title)
{
    smac_strbuf_puts(sb, "<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
    for (int i = 0; i < xa->n_ticks; i++)
        smac_strbuf_printf(sb, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>\n", tick_pixel(xa, i), PLOT_T,
                           tick_pixel(xa, i), PLOT_B);
    for (int i = 0; i < ya->n_ticks; i++)
        smac_strbuf_printf(sb, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>\n", PLOT_L, tick_pixel(ya, i),
                           PLOT_R, tick_pixel(ya, i));
    smac_strbuf_puts(sb, "</g>\n");
    smac_strbuf_printf(sb,
                       "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\" "
                       "stroke-width=\"1\"/>\n",
                       PLOT_L, PLOT_T, PLOT_R - PLOT_L, PLOT_B - PLOT_T);
    smac_strbuf_puts(sb, "<g stroke=\"#333\" stroke-width=\"1\">\n");
    for (int i = 0; i < xa->n_ticks; i++)
        smac_strbuf_printf(sb, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>\n", tick_pixel(xa, i), PLOT_B,
                           tick_pixel(xa, i), PLOT_B + 5);
    for (int i = 0; i < ya->n_ticks; i++)
        smac_strbuf_printf(sb, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>\n", PLOT_L - 5,
                           tick_pixel(ya, i), PLOT_L, tick_pixel(ya, i));
    smac_strbuf_puts(sb, "</g>\n<g font-size=\"11\" fill=\"#333\" text-anchor=\"middle\">\n");
    for (int i = 0; i < xa->n_ticks; i++)
        smac_strbuf_printf(sb, "<text x=\"%.2f\" y=\"%d\">%s</text>\n", tick_pixel(xa, i), PLOT_B + 18,
                           xa->labels[i]);
    smac_strbuf_puts(sb, "</g>\n<g font-size=\"11\" fill=\"#333\" text-anchor=\"end\">\n");
    for (int i = 0; i < ya->n_ticks; i++)
        smac_strbuf_printf(sb, "<text x=\"%d\" y=\"%.2f\">%s</text>\n", PLOT_L - 8, tick_pixel(ya, i) + 4,
                           ya->labels[i]);
    smac_strbuf_puts(sb, "</g>\n");
    smac_strbuf_printf(sb, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">%s</text>\n",
                       (PLOT_L + PLOT_R) / 2, PLOT_B + 42, x_title);
    smac_strbuf_printf(sb,
                       "<text x=\"18\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" "
                       "transform=\"rotate(-90 18 %d)\">%s</text>\n",
                       (PLOT_T + PLOT_B) / 2, (PLOT_T + PLOT_B) / 2, y_title);
}

/* The run's incumbent cost as a step function: each cost holds from its x
 * until the next incumbent's, the last one until the run ended. */
static void draw_run(smac_strbuf *sb, const run *r, size_t index, const axis *xa, const axis *ya)
{
    const char *colour = COLOURS[index % N_COLOURS];
    /* beyond ten runs the colours repeat, so the dash pattern tells them apart */
    const char *dash = (index / N_COLOURS) % 2 ? " stroke-dasharray=\"6 3\"" : "";
    smac_strbuf_printf(sb, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", colour, dash);
    for (size_t i = 0; i < r->n; i++) {
        double px = to_pixel(xa, r->pts[i].x), py = to_pixel(ya, r->pts[i].cost);
        if (i > 0)
            smac_strbuf_printf(sb, " %.2f,%.2f", px, to_pixel(ya, r->pts[i - 1].cost));
        smac_strbuf_printf(sb, "%s%.2f,%.2f", i ? " " : "", px, py);
    }
    double last_x = r->pts[r->n - 1].x;
    double end = r->has_end && r->end_x > last_x ? r->end_x : last_x;
    smac_strbuf_printf(sb, " %.2f,%.2f\"><title>", to_pixel(xa, end), to_pixel(ya, r->pts[r->n - 1].cost));
    put_xml_text(sb, r->dir, 0);
    smac_strbuf_puts(sb, "</title></polyline>\n");
    smac_strbuf_printf(sb, "<g fill=\"%s\" stroke=\"white\" stroke-width=\"1\">\n", colour);
    for (size_t i = 0; i < r->n; i++)
        smac_strbuf_printf(sb, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\"/>\n", to_pixel(xa, r->pts[i].x),
                           to_pixel(ya, r->pts[i].cost));
    smac_strbuf_puts(sb, "</g>\n");
}

static void draw_legend(smac_strbuf *sb, const run_list *l)
{
    const int row = 20, top = PLOT_T + 10;
    size_t fit = (size_t)((PLOT_B - top) / row);
    size_t shown = l->n <= fit ? l->n : fit - 1;
    smac_strbuf_puts(sb, "<g font-size=\"12\" fill=\"#222\">\n");
    for (size_t i = 0; i < shown; i++) {
        int y = top + (int)i * row;
        const char *dash = (i / N_COLOURS) % 2 ? " stroke-dasharray=\"6 3\"" : "";
        smac_strbuf_printf(sb,
                           "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                           LEGEND_X, y, LEGEND_X + 24, y, COLOURS[i % N_COLOURS], dash);
        smac_strbuf_printf(sb, "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"%s\"/>\n", LEGEND_X + 12, y,
                           COLOURS[i % N_COLOURS]);
        smac_strbuf_printf(sb, "<text x=\"%d\" y=\"%d\">", LEGEND_X + 30, y + 4);
        put_xml_text(sb, l->runs[i].label, LEGEND_CHARS);
        if (l->runs[i].n == 0)
            smac_strbuf_puts(sb, " (none)");
        smac_strbuf_puts(sb, "</text>\n");
    }
    if (shown < l->n)
        smac_strbuf_printf(sb, "<text x=\"%d\" y=\"%d\">and %zu more</text>\n", LEGEND_X + 30,
                           top + (int)shown * row + 4, l->n - shown);
    smac_strbuf_puts(sb, "</g>\n");
}

static char *render(const run_list *l, x_kind xk, int log_y, const char *title)
{
    double xmin = 0.0, xmax = -DBL_MAX, ymin = DBL_MAX, ymax = -DBL_MAX;
    size_t n_points = 0;
    for (size_t i = 0; i < l->n; i++) {
        const run *r = &l->runs[i];
        for (size_t k = 0; k < r->n; k++) {
            xmin = fmin(xmin, r->pts[k].x);
            xmax = fmax(xmax, r->pts[k].x);
            ymin = fmin(ymin, r->pts[k].cost);
            ymax = fmax(ymax, r->pts[k].cost);
        }
        if (r->n > 0 && r->has_end)
            xmax = fmax(xmax, r->end_x);
        n_points += r->n;
    }
    if (n_points == 0) { /* empty axes rather than no picture */
        xmax = 1.0;
        ymin = log_y ? 1.0 : 0.0;
        ymax = log_y ? 10.0 : 1.0;
    }
    axis xa, ya;
    linear_axis(&xa, xmin, xmax);
    if (log_y)
        log_axis(&ya, ymin, ymax);
    else
        linear_axis(&ya, ymin, ymax);
    xa.p0 = PLOT_L;
    xa.p1 = PLOT_R;
    ya.p0 = PLOT_B;
    ya.p1 = PLOT_T;

    smac_strbuf sb;
    smac_strbuf_init(&sb);
    smac_strbuf_printf(&sb,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                       "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
                       "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
                       WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT);
    smac_strbuf_printf(&sb, "<text x=\"%d\" y=\"30\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">",
                       (PLOT_L + PLOT_R) / 2);
    put_xml_text(&sb, title, 80);
    smac_strbuf_puts(&sb, "</text>\n");
    draw_axes(&sb, &xa, &ya, X_AXES[xk].title,
              log_y ? "estimated cost of the incumbent (log scale)" : "estimated cost of the incumbent");
    if (n_points == 0)
        smac_strbuf_printf(&sb, "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" fill=\"#666\">"
                                "no incumbent yet</text>\n",
                           (PLOT_L + PLOT_R) / 2, (PLOT_T + PLOT_B) / 2);
    for (size_t i = 0; i < l->n; i++)
        if (l->runs[i].n > 0)
            draw_run(&sb, &l->runs[i], i, &xa, &ya);
    draw_legend(&sb, l);
    smac_strbuf_puts(&sb, "</svg>\n");
    return smac_strbuf_take(&sb);
}

/* ------------------------------------------------------------ main */

static void print_summary(const run *r, x_kind xk)
{
    if (r->n == 0) {
        printf("%s: no incumbent yet (no finished run in traj.json)\n", r->dir);
        return;
    }
    char cost[SMAC_DOUBLE_TEXT];
    smac_format_double(r->pts[r->n - 1].cost, cost);
    printf("%s: final cost %s, %zu incumbent%s (%zu change%s), last at %s %g", r->dir, cost, r->n,
           r->n == 1 ? "" : "s", r->n - 1, r->n == 2 ? "" : "s", X_AXES[xk].short_name, r->pts[r->n - 1].x);
    if (r->has_end)
        printf(" (run ended at %g)", r->end_x);
    putchar('\n');
}

static void free_runs(run_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->runs[i].dir);
        free(l->runs[i].real);
        free(l->runs[i].label);
        free(l->runs[i].pts);
    }
    free(l->runs);
}

int main(int argc, char **argv)
{
    const char *output = "smac-plot.svg", *title = NULL;
    x_kind xk = X_WALLCLOCK;
    int log_y = 0, n_folders = 0;
    char **folders = calloc((size_t)(argc > 0 ? argc : 1), sizeof *folders);
    if (!folders) {
        fprintf(stderr, "smac-plot: out of memory\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(folders);
            return 0;
        }
        if (strcmp(a, "--log") == 0) {
            log_y = 1;
            continue;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--x") == 0 ||
            strcmp(a, "--title") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smac-plot: %s expects a value\n", a);
                usage(stderr);
                free(folders);
                return 2;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--x") == 0) {
                int found = 0;
                for (int k = 0; k < 3; k++)
                    if (strcmp(v, X_AXES[k].option) == 0) {
                        xk = (x_kind)k;
                        found = 1;
                    }
                if (!found) {
                    fprintf(stderr, "smac-plot: --x takes wallclock, evaluations or cpu, not '%s'\n", v);
                    usage(stderr);
                    free(folders);
                    return 2;
                }
            } else if (strcmp(a, "--title") == 0) {
                title = v;
            } else {
                output = v;
            }
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "smac-plot: unknown option '%s'\n", a);
            usage(stderr);
            free(folders);
            return 2;
        }
        folders[n_folders++] = argv[i];
    }
    if (n_folders == 0) {
        usage(stderr);
        free(folders);
        return 2;
    }

    run_list runs = {NULL, 0, 0};
    char *svg = NULL, *default_title = NULL;
    int status = 1;
    for (int i = 0; i < n_folders; i++)
        if (collect_runs(folders[i], &runs) != 0)
            goto out;
    for (size_t i = 0; i < runs.n; i++) {
        if (read_trajectory(&runs.runs[i], xk) != 0)
            goto out;
        read_run_end(&runs.runs[i], xk);
    }
    /* beyond this the axis arithmetic (spans, rounding to ticks) overflows */
    for (size_t i = 0; i < runs.n; i++)
        for (size_t k = 0; k < runs.runs[i].n; k++) {
            const point *p = &runs.runs[i].pts[k];
            if (fabs(p->x) > MAX_PLOTTABLE || (!log_y && fabs(p->cost) > MAX_PLOTTABLE)) {
                fprintf(stderr, "smac-plot: %s/traj.json:%d: value too large to plot (%g, %g)\n", runs.runs[i].dir,
                        p->line, p->x, p->cost);
                goto out;
            }
        }
    if (log_y)
        for (size_t i = 0; i < runs.n; i++)
            for (size_t k = 0; k < runs.runs[i].n; k++)
                if (runs.runs[i].pts[k].cost <= 0.0) {
                    fprintf(stderr,
                            "smac-plot: --log needs costs above 0, but %s/traj.json:%d has cost %g; "
                            "plot without --log\n",
                            runs.runs[i].dir, runs.runs[i].pts[k].line, runs.runs[i].pts[k].cost);
                    goto out;
                }
    if (make_labels(&runs) != 0)
        goto nomem;
    if (!title) {
        smac_strbuf tb;
        smac_strbuf_init(&tb);
        if (runs.n == 1)
            smac_strbuf_printf(&tb, "Incumbent cost of %s", runs.runs[0].label);
        else
            smac_strbuf_printf(&tb, "Incumbent cost of %zu runs", runs.n);
        if (!(default_title = smac_strbuf_take(&tb)))
            goto nomem;
        title = default_title;
    }
    if (!(svg = render(&runs, xk, log_y, title)))
        goto nomem;
    smac_error err;
    if (smac_atomic_write(output, svg, strlen(svg), &err) != 0) {
        fprintf(stderr, "smac-plot: %s\n", err.message);
        goto out;
    }
    for (size_t i = 0; i < runs.n; i++)
        print_summary(&runs.runs[i], xk);
    printf("Wrote %s (%zu run%s, x axis: %s%s)\n", output, runs.n, runs.n == 1 ? "" : "s", X_AXES[xk].option,
           log_y ? ", log cost" : "");
    status = 0;
    goto out;
nomem:
    fprintf(stderr, "smac-plot: out of memory\n");
out:
    free(svg);
    free(default_title);
    free_runs(&runs);
    free(folders);
    return status;
}
