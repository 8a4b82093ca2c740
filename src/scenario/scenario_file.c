/*
 * Scenario files (formats.md §2), read exactly as SMAC3 v1.1 reads them:
 *
 *   1. strip spaces at both ends of the line;
 *   2. cut everything from the first '#' (no escaping: a '#' in a path cuts it);
 *   3. skip empty lines;
 *   4. a line with '=' is split at EVERY '='; each piece has its blank runs
 *      collapsed to one space; the key is the first piece and the value the
 *      other pieces joined by spaces ("algo = ./a.sh --x=1" gives the value
 *      "./a.sh --x 1" -- SMAC3's quirk, kept so files mean the same);
 *      a line without '=' is key, then value words joined by single spaces;
 *   5. keys are looked up with SMAC3's old aliases as well as flag spellings;
 *   6. a later line for the same option replaces an earlier one.
 *
 * Two deliberate differences: an unknown key is an error that names the
 * nearest known option (SMAC3 warns and keeps it, which hides typos such as
 * "cutoff_tme" until the run behaves strangely), and a line of blanks other
 * than spaces is skipped (SMAC3 crashes on it). Command-line-only options
 * found in a file are ignored with a warning, as in SMAC3.
 */
#include "scenario/scenario_internal.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOGGER "smac.utils.io.cmd_reader.CMDReader"

/* Python's str.split() blanks (ASCII part). */
static int py_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Appends the words of [s, e) to sb, separated by single spaces. */
static void append_words(smac_strbuf *sb, const char *s, const char *e)
{
    int first = sb->len == 0;
    while (s < e) {
        while (s < e && py_space((unsigned char)*s))
            s++;
        const char *w = s;
        while (s < e && !py_space((unsigned char)*s))
            s++;
        if (s > w) {
            if (!first)
                smac_strbuf_putc(sb, ' ');
            smac_strbuf_append(sb, w, (size_t)(s - w));
            first = 0;
        }
    }
}

/* One key = value line, before it is applied. */
typedef struct entry {
    const smac_option *opt;
    char *key;
    char *value;
    int line;
} entry;

typedef struct entries {
    entry *items;
    size_t n;
} entries;

static void entries_free(entries *es)
{
    for (size_t i = 0; i < es->n; i++) {
        free(es->items[i].key);
        free(es->items[i].value);
    }
    free(es->items);
}

/* Splits one line (without its newline) into key and value; *key = NULL for
 * a line that holds nothing. Returns -1 if memory runs out. */
static int split_line(const char *s, const char *e, char **key, char **value)
{
    *key = *value = NULL;
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    const char *hash = memchr(s, '#', (size_t)(e - s));
    if (hash)
        e = hash;
    if (s == e)
        return 0;
    smac_strbuf k, v;
    smac_strbuf_init(&k);
    smac_strbuf_init(&v);
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (eq) {
        append_words(&k, s, eq);
        /* Python: " ".join(piece collapsed for piece in pieces[1:]) -- empty
         * pieces still get their separator. */
        const char *piece = eq + 1;
        for (int first = 1;; first = 0) {
            const char *next = memchr(piece, '=', (size_t)(e - piece));
            const char *pe = next ? next : e;
            if (!first)
                smac_strbuf_putc(&v, ' ');
            smac_strbuf words;
            smac_strbuf_init(&words);
            append_words(&words, piece, pe);
            if (words.len)
                smac_strbuf_append(&v, words.data, words.len);
            v.failed |= words.failed;
            smac_strbuf_free(&words);
            if (!next)
                break;
            piece = next + 1;
        }
    } else {
        while (s < e && py_space((unsigned char)*s))
            s++;
        const char *ke = s;
        while (ke < e && !py_space((unsigned char)*ke))
            ke++;
        if (ke == s)
            return 0; /* only blanks other than spaces */
        smac_strbuf_append(&k, s, (size_t)(ke - s));
        append_words(&v, ke, e);
    }
    *key = smac_strbuf_take(&k);
    *value = smac_strbuf_take(&v);
    if (!*key || !*value) {
        free(*key);
        free(*value);
        *key = *value = NULL;
        return -1;
    }
    return 0;
}

/* Keeps the file's name for as long as values point at it. */
static const char *remember_file(smac_scenario *sc, const char *filename)
{
    struct smac_scenario_state *st = sc->state;
    for (size_t i = 0; i < st->n_files; i++)
        if (strcmp(st->files[i], filename) == 0)
            return st->files[i];
    char **grown = realloc(st->files, (st->n_files + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    st->files = grown;
    char *copy = strdup(filename);
    if (!copy)
        return NULL;
    st->files[st->n_files++] = copy;
    return copy;
}

/* Reads every line into `es` (one entry per option, the last line winning). */
static int collect(const char *text, size_t len, const char *file, entries *es, smac_error *err)
{
    const char *p = text, *end = text + len;
    int lineno = 0;
    while (p < end) {
        lineno++;
        /* Python's text mode ends lines at \n, \r\n and a lone \r. */
        const char *e = p;
        while (e < end && *e != '\n' && *e != '\r')
            e++;
        const char *next = e;
        if (e < end)
            next = (*e == '\r' && e + 1 < end && e[1] == '\n') ? e + 2 : e + 1;
        if (memchr(p, '\0', (size_t)(e - p)))
            return smac_error_set_at(err, SMAC_ERR_PARSE, file, lineno, 0,
                                     "NUL byte in a scenario file");
        char *key, *value;
        if (split_line(p, e, &key, &value) != 0)
            return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
        p = next;
        if (!key)
            continue;
        if (key[0] == '\0') {
            free(key);
            free(value);
            return smac_error_set_at(err, SMAC_ERR_PARSE, file, lineno, 0,
                                     "missing option name before '='");
        }
        const smac_option *opt = scen_option_lookup(key, SCEN_CTX_FILE);
        if (!opt) {
            smac_error_set_at(err, SMAC_ERR_INVALID, file, lineno, 0,
                              "unknown option '%s' (did you mean '%s'?)", key,
                              scen_option_closest(key, SCEN_CTX_FILE));
            free(key);
            free(value);
            return SMAC_ERR_INVALID;
        }
        if (opt->kind == SMAC_OPT_MAIN) {
            SMAC_WARNING(LOGGER, "%s:%d: '%s' is a command-line option; ignored in a scenario file",
                         file, lineno, key);
            free(key);
            free(value);
            continue;
        }
        size_t i = 0;
        while (i < es->n && es->items[i].opt != opt)
            i++;
        if (i == es->n) {
            entry *grown = realloc(es->items, (es->n + 1) * sizeof *grown);
            if (!grown) {
                free(key);
                free(value);
                return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
            }
            es->items = grown;
            es->n++;
        } else {
            free(es->items[i].key);
            free(es->items[i].value);
        }
        es->items[i] = (entry){opt, key, value, lineno};
    }
    return 0;
}

int smac_scenario_read_text(smac_scenario *sc, const char *text, size_t len, const char *filename,
                            smac_error *err)
{
    if (!sc || !text)
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario or no text given");
    if (sc->state->finished)
        return smac_error_set(err, SMAC_ERR_INVALID,
                              "the scenario is finished; its options can no longer change");
    const char *file = remember_file(sc, filename ? filename : "<scenario>");
    if (!file)
        return smac_error_set(err, SMAC_ERR_NOMEM, "out of memory");
    entries es = {0};
    int rc = collect(text, len, file, &es, err);
    for (size_t i = 0; rc == 0 && i < es.n; i++) {
        scen_origin o = {SCEN_SRC_FILE, file, es.items[i].line, es.items[i].key};
        rc = scen_option_set(sc, es.items[i].opt, es.items[i].value, &o, err);
    }
    entries_free(&es);
    return rc;
}

int smac_scenario_read_file(smac_scenario *sc, const char *path, smac_error *err)
{
    if (!sc || !path)
        return smac_error_set(err, SMAC_ERR_INVALID, "no scenario or no file name given");
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return smac_error_set(err, SMAC_ERR_IO, "Could not find scenario file: %s", path);
    char *text;
    size_t len;
    int rc = smac_read_file(path, &text, &len, err);
    if (rc != 0)
        return rc;
    rc = smac_scenario_read_text(sc, text, len, path, err);
    free(text);
    return rc;
}
