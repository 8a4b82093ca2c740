/*
 * smac-pcs: inspect, convert and sample configuration spaces from the
 * command line. A thin main over libsmac's configuration-space API, handy for
 * checking a PCS file before a long run and for moving spaces between the
 * old PCS, pcs_new and ConfigSpace JSON formats.
 *
 * Exit status: 0 success, 1 the space (or an output file) had an error,
 * 2 the command line was wrong.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smac.h"
#include "util/fsutil.h"

static const char usage_text[] =
    "usage: smac-pcs check [--format F] FILE\n"
    "       smac-pcs convert --to pcs|pcs_new|json [-o OUT] [--format F] FILE\n"
    "       smac-pcs sample [-n N] [--seed S] [--format F] FILE\n"
    "\n"
    "  check    read FILE, print its format, parameter counts by type, the number\n"
    "           of conditions and forbidden clauses and the default configuration\n"
    "  convert  write the space in another format to stdout (or atomically to OUT)\n"
    "  sample   print N random configurations (default 1, seed default 0), one per\n"
    "           line as target calls get them: -name 'value' for active parameters\n"
    "\n"
    "  --format pcs|pcs_new|json  read FILE in this format (default: detect as SMAC3\n"
    "                             does: *.json is JSON, else old PCS, else pcs_new)\n"
    "  -h, --help                 show this help\n";

enum { EXIT_BAD_SPACE = 1, EXIT_USAGE = 2 };

typedef struct options {
    const char *command;
    const char *file;
    const char *out;
    smac_cs_format format;
    smac_cs_format to;
    int has_to;
    int has_sample_option; /* -n or --seed given */
    long long n;
    uint64_t seed;
} options;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "smac-pcs: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_text);
    return EXIT_USAGE;
}

static int parse_format(const char *s, smac_cs_format *out)
{
    if (strcmp(s, "pcs") == 0)
        *out = SMAC_CS_PCS;
    else if (strcmp(s, "pcs_new") == 0)
        *out = SMAC_CS_PCS_NEW;
    else if (strcmp(s, "json") == 0)
        *out = SMAC_CS_JSON;
    else
        return -1;
    return 0;
}

static const char *format_name(smac_cs_format f)
{
    switch (f) {
    case SMAC_CS_PCS: return "pcs";
    case SMAC_CS_PCS_NEW: return "pcs_new";
    case SMAC_CS_JSON: return "json";
    case SMAC_CS_AUTO: break;
    }
    return "auto";
}

/* Strict unsigned decimal. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Parses argv into *o; returns 0, EXIT_USAGE, or -1 after printing --help. */
static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->format = SMAC_CS_AUTO;
    o->n = 1;
    if (argc < 2)
        return usage_error("%s", "missing command");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return -1;
        }
    }
    o->command = argv[1];
    if (strcmp(o->command, "check") != 0 && strcmp(o->command, "convert") != 0 &&
        strcmp(o->command, "sample") != 0)
        return usage_error("unknown command '%s'", o->command);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int takes_value = strcmp(a, "--format") == 0 || strcmp(a, "--to") == 0 ||
                          strcmp(a, "-o") == 0 || strcmp(a, "-n") == 0 || strcmp(a, "--seed") == 0;
        if (takes_value) {
            if (i + 1 >= argc)
                return usage_error("option %s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--format") == 0) {
                if (parse_format(v, &o->format) != 0)
                    return usage_error("--format must be pcs, pcs_new or json, not '%s'", v);
            } else if (strcmp(a, "--to") == 0) {
                if (parse_format(v, &o->to) != 0)
                    return usage_error("--to must be pcs, pcs_new or json, not '%s'", v);
                o->has_to = 1;
            } else if (strcmp(a, "-o") == 0) {
                o->out = v;
            } else if (strcmp(a, "-n") == 0) {
                uint64_t n;
                o->has_sample_option = 1;
                if (parse_u64(v, &n) != 0 || n > 100000000)
                    return usage_error("-n must be a whole number from 0 to 100000000, not '%s'", v);
                o->n = (long long)n;
            } else {
                o->has_sample_option = 1;
                if (parse_u64(v, &o->seed) != 0)
                    return usage_error("--seed must be a non-negative whole number, not '%s'", v);
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->file) {
            return usage_error("more than one FILE given ('%s')", a);
        } else {
            o->file = a;
        }
    }
    if (!o->file)
        return usage_error("%s", "missing FILE");
    int convert = strcmp(o->command, "convert") == 0;
    int sample = strcmp(o->command, "sample") == 0;
    if (convert && !o->has_to)
        return usage_error("%s", "convert needs --to pcs|pcs_new|json");
    if (!convert && (o->has_to || o->out))
        return usage_error("--to and -o belong to convert, not %s", o->command);
    if (!sample && o->has_sample_option)
        return usage_error("-n and --seed belong to sample, not %s", o->command);
    return 0;
}

/* ConfigSpace's class names, as SUMMARY-style reports use them. */
static const char *type_name(smac_param_type t)
{
    switch (t) {
    case SMAC_PARAM_REAL: return "UniformFloatHyperparameter";
    case SMAC_PARAM_INTEGER: return "UniformIntegerHyperparameter";
    case SMAC_PARAM_CATEGORICAL: return "CategoricalHyperparameter";
    case SMAC_PARAM_ORDINAL: return "OrdinalHyperparameter";
    case SMAC_PARAM_CONSTANT: return "Constant";
    }
    return "?";
}

static int cmd_check(const smac_cs *cs)
{
    /* Counts by type, printed in name order like ConfigSpace summaries. */
    static const smac_param_type by_name[] = { SMAC_PARAM_CATEGORICAL, SMAC_PARAM_CONSTANT,
                                               SMAC_PARAM_ORDINAL, SMAC_PARAM_REAL,
                                               SMAC_PARAM_INTEGER };
    int n = smac_cs_n_params(cs);
    printf("format: %s\n", format_name(smac_cs_source_format(cs)));
    printf("parameters: %d\n", n);
    for (size_t t = 0; t < sizeof by_name / sizeof *by_name; t++) {
        int count = 0;
        for (int i = 0; i < n; i++)
            count += smac_cs_param_type(cs, i) == by_name[t];
        if (count)
            printf("  %s: %d\n", type_name(by_name[t]), count);
    }
    printf("conditions: %d\n", smac_cs_n_conditions(cs));
    printf("forbiddens: %d\n", smac_cs_n_forbiddens(cs));
    double *vec = malloc((size_t)(n > 0 ? n : 1) * sizeof *vec);
    if (!vec) {
        fprintf(stderr, "smac-pcs: out of memory\n");
        return EXIT_BAD_SPACE;
    }
    smac_cs_default(cs, vec);
    char *repr = smac_cs_config_repr(cs, vec);
    free(vec);
    if (!repr) {
        fprintf(stderr, "smac-pcs: out of memory\n");
        return EXIT_BAD_SPACE;
    }
    size_t len = strlen(repr);
    printf("default configuration:\n%s%s", repr, len && repr[len - 1] == '\n' ? "" : "\n");
    free(repr);
    return 0;
}

static int cmd_convert(const smac_cs *cs, const options *o)
{
    smac_error err = {0};
    char *text = smac_cs_write(cs, o->to, &err);
    if (!text) {
        fprintf(stderr, "%s\n", err.message);
        return EXIT_BAD_SPACE;
    }
    int rc = 0;
    size_t len = strlen(text);
    if (o->out) {
        if (smac_atomic_write(o->out, text, len, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            rc = EXIT_BAD_SPACE;
        }
    } else if (fwrite(text, 1, len, stdout) != len) {
        fprintf(stderr, "smac-pcs: cannot write to stdout\n");
        rc = EXIT_BAD_SPACE;
    }
    free(text);
    return rc;
}

/* Writes s in single quotes for a shell-like line (' becomes '\''). */
static void put_quoted(const char *s)
{
    putchar('\'');
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    }
    putchar('\'');
}

static int cmd_sample(const smac_cs *cs, const options *o)
{
    int n = smac_cs_n_params(cs);
    double *vec = malloc((size_t)(n > 0 ? n : 1) * sizeof *vec);
    size_t cap = 256;
    char *buf = malloc(cap);
    int rc = 0;
    if (!vec || !buf) {
        fprintf(stderr, "smac-pcs: out of memory\n");
        rc = EXIT_BAD_SPACE;
        goto done;
    }
    smac_rng rng;
    smac_rng_seed(&rng, o->seed, 0);
    for (long long k = 0; k < o->n; k++) {
        smac_error err = {0};
        if (smac_cs_sample(cs, &rng, vec, &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            rc = EXIT_BAD_SPACE;
            goto done;
        }
        int first = 1;
        for (int i = 0; i < n; i++) {
            if (isnan(vec[i]))
                continue;  /* inactive: absent, as in target calls */
            int len = smac_cs_value_text(cs, i, vec[i], buf, cap);
            if (len >= 0 && (size_t)len >= cap) {
                char *bigger = realloc(buf, (size_t)len + 1);
                if (!bigger) {
                    fprintf(stderr, "smac-pcs: out of memory\n");
                    rc = EXIT_BAD_SPACE;
                    goto done;
                }
                buf = bigger;
                cap = (size_t)len + 1;
                len = smac_cs_value_text(cs, i, vec[i], buf, cap);
            }
            if (len < 0) {
                fprintf(stderr, "smac-pcs: cannot print the value of %s\n", smac_cs_param_name(cs, i));
                rc = EXIT_BAD_SPACE;
                goto done;
            }
            printf("%s-%s ", first ? "" : " ", smac_cs_param_name(cs, i));
            put_quoted(buf);
            first = 0;
        }
        putchar('\n');
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "smac-pcs: cannot write to stdout\n");
        rc = EXIT_BAD_SPACE;
    }
done:
    free(vec);
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        return 0;  /* --help */
    if (rc)
        return rc;
    smac_cs *cs = NULL;
    smac_error err = {0};
    if (smac_cs_read_file(o.file, o.format, &cs, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return EXIT_BAD_SPACE;
    }
    if (strcmp(o.command, "check") == 0)
        rc = cmd_check(cs);
    else if (strcmp(o.command, "convert") == 0)
        rc = cmd_convert(cs, &o);
    else
        rc = cmd_sample(cs, &o);
    smac_cs_free(cs);
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "smac-pcs: cannot write to stdout\n");
        rc = EXIT_BAD_SPACE;
    }
    return rc;
}
