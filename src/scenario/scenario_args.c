/*
 * Command-line flags (formats.md §1) and the --help text.
 *
 * Flags are `--name value` or `--name=value`, with every name in its '_' and
 * '-' spelling. SMAC3 parses its command line in three argparse passes that
 * together let the command line override the scenario file; here every flag
 * is applied with command-line rank first and the file named by --scenario is
 * read afterwards with file rank, which gives the same result whatever the
 * order of the arguments. A value may begin with '-' (a negative number) but
 * not with "--", which almost always means a forgotten value; use
 * `--name=--text` for such a value.
 */
#include "scenario/scenario_internal.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

static int is_flag(const char *arg) { return arg[0] == '-' && arg[1] == '-' && arg[2] != '\0'; }

int smac_scenario_parse_args(smac_scenario *sc, int argc, char **argv, smac_error *err)
{
    if (!sc)
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario given");
    if (sc->state->finished)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "the scenario is finished; its options can no longer change");
    /* --help wins over everything else on the line, as in argparse. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "--help-all") == 0 ||
            strcmp(argv[i], "--help_all") == 0) {
            sc->help = argv[i][6] ? 2 : 1;
            return 0;
        }
    }
    const char *scenario_file = NULL;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *arg = argv[i];
        if (!is_flag(arg))
            return smac_error_set(err, SMAC_ERR_INVALID,
                                  "unexpected argument '%s' (options are written --name value)", arg);
        char name[128];
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name)
            nlen = sizeof name - 1;
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        const smac_option *opt = scen_option_lookup(name + 2, SCEN_CTX_FLAG);
        if (!opt)
            return smac_error_set(err, SMAC_ERR_INVALID, "unknown option '%s' (did you mean '--%s'?)",
                                  name, scen_option_closest(name + 2, SCEN_CTX_FLAG));
        scen_origin o = {SCEN_SRC_ARGS, NULL, 0, name};
        if (opt->type == SMAC_OPT_PATHLIST && !eq) {
            /* 0..n words up to the next flag, kept as one quoted text */
            smac_strbuf sb;
            smac_strbuf_init(&sb);
            while (i + 1 < argc && !is_flag(argv[i + 1])) {
                if (sb.len)
                    smac_strbuf_putc(&sb, ' ');
                scen_shlex_quote(&sb, argv[++i]);
            }
            char *text = smac_strbuf_take(&sb);
            if (!text)
                return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            rc = scen_option_set(sc, opt, text, &o, err);
            free(text);
            continue;
        }
        const char *value;
        if (eq) {
            value = eq + 1;
        } else {
            if (i + 1 >= argc || is_flag(argv[i + 1]))
                return smac_error_set(err, SMAC_ERR_INVALID, "option '%s' expects a value", name);
            value = argv[++i];
        }
        if (opt->offset == offsetof(struct smac_scenario, scenario_file))
            scenario_file = value;
        rc = scen_option_set(sc, opt, value, &o, err);
    }
    if (rc == 0 && scenario_file && scenario_file[0])
        rc = smac_scenario_read_file(sc, scenario_file, err);
    return rc;
}

/* ------------------------------------------------------------------- help */

static const char *metavar(const smac_option *o)
{
    switch (o->type) {
    case SMAC_OPT_BOOL: return "BOOL";
    case SMAC_OPT_PYBOOL: return "TEXT";
    case SMAC_OPT_INT: return "INT";
    case SMAC_OPT_SEED: return "INT";
    case SMAC_OPT_FLOAT: return "FLOAT";
    case SMAC_OPT_STRING: return "TEXT";
    case SMAC_OPT_PATH: return "PATH";
    case SMAC_OPT_CHOICE: return NULL;
    case SMAC_OPT_ARGV: return "COMMAND";
    case SMAC_OPT_PATHLIST: return "[FILE ...]";
    case SMAC_OPT_OBJECTIVE: return "PARx|MEANx";
    case SMAC_OPT_HELP: return "";
    }
    return "";
}

static void print_option(FILE *out, const smac_option *o, int all)
{
    fputs("  ", out);
    for (const char *const *f = o->flags; f && *f; f++)
        fprintf(out, "%s--%s", f == o->flags ? "" : ", ", *f);
    if (o->type == SMAC_OPT_CHOICE) {
        fputs(" {", out);
        for (const char *const *c = o->choices; *c; c++)
            fprintf(out, "%s%s", c == o->choices ? "" : ",", *c);
        fputc('}', out);
    } else if (o->type != SMAC_OPT_HELP) {
        fprintf(out, " %s", metavar(o));
    }
    fprintf(out, "\n      %s", o->help);
    if (o->default_text)
        fprintf(out, " (default: %s)", o->default_text);
    fputc('\n', out);
    if (all && o->kind != SMAC_OPT_MAIN) {
        fprintf(out, "      scenario file: %s", o->name);
        for (const char *const *a = o->aliases; a && *a; a++)
            fprintf(out, ", %s", *a);
        fputc('\n', out);
    }
}

void smac_scenario_print_help(FILE *out, const char *prog, int all)
{
    static const struct {
        smac_option_kind kind;
        const char *title;
    } groups[] = {
        {SMAC_OPT_MAIN, "Main options (command line only)"},
        {SMAC_OPT_SMAC, "SMAC options (command line or scenario file)"},
        {SMAC_OPT_SCENARIO, "Scenario options (command line or scenario file; the command line wins)"},
    };
    size_t n;
    const smac_option *opts = smac_scenario_options(&n);
    fprintf(out, "usage: %s --scenario FILE [--name value ...]\n", prog ? prog : "smac");
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        fprintf(out, "\n%s:\n", groups[g].title);
        for (size_t i = 0; i < n; i++)
            if (opts[i].kind == groups[g].kind && (all || !opts[i].hidden))
                print_option(out, &opts[i], all);
    }
    if (!all)
        fputs("\n--help-all also shows the options for experts and SMAC3 compatibility.\n", out);
}
