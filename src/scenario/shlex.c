/*
 * POSIX shell-like word splitting, as Python's shlex.split() does it for
 * SMAC3's `algo` option: words are separated by blanks; single quotes keep
 * everything literally; inside double quotes a backslash only escapes '"'
 * and '\'; outside quotes a backslash escapes any character. Nothing is
 * expanded and no shell ever sees the text: the target is started with the
 * resulting argv directly. An empty pair of quotes is an empty word.
 */
#include "scenario/scenario_internal.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

void scen_strlist_free(smac_strlist *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int push_word(smac_strlist *out, smac_strbuf *word)
{
    char *w = smac_strbuf_take(word);
    if (!w)
        return -1;
    char **grown = realloc(out->items, (out->n + 1) * sizeof *grown);
    if (!grown) {
        free(w);
        return -1;
    }
    out->items = grown;
    out->items[out->n++] = w;
    return 0;
}

int scen_shlex_split(const char *text, smac_strlist *out, const char **why)
{
    out->items = NULL;
    out->n = 0;
    smac_strbuf word;
    smac_strbuf_init(&word);
    int in_word = 0; /* a word has started (possibly an empty quoted one) */
    const char *p = text;
    int rc = 0;
    while (*p) {
        char c = *p;
        if (is_blank(c)) {
            if (in_word && push_word(out, &word) != 0)
                goto nomem;
            in_word = 0;
            p++;
            continue;
        }
        in_word = 1;
        if (c == '\\') {
            if (!p[1]) {
                *why = "No escaped character";
                rc = SMAC_ERR_PARSE;
                goto fail;
            }
            smac_strbuf_putc(&word, p[1]);
            p += 2;
        } else if (c == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end) {
                *why = "No closing quotation";
                rc = SMAC_ERR_PARSE;
                goto fail;
            }
            smac_strbuf_append(&word, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else if (c == '"') {
            p++;
            for (;;) {
                if (!*p) {
                    *why = "No closing quotation";
                    rc = SMAC_ERR_PARSE;
                    goto fail;
                }
                if (*p == '"') {
                    p++;
                    break;
                }
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) {
                    smac_strbuf_putc(&word, p[1]);
                    p += 2;
                    continue;
                }
                smac_strbuf_putc(&word, *p);
                p++;
            }
        } else {
            smac_strbuf_putc(&word, c);
            p++;
        }
        if (word.failed)
            goto nomem;
    }
    if (in_word && push_word(out, &word) != 0)
        goto nomem;
    smac_strbuf_free(&word);
    return 0;
nomem:
    rc = SMAC_ERR_NOMEM;
    *why = "out of memory";
fail:
    smac_strbuf_free(&word);
    scen_strlist_free(out);
    return rc;
}

static int is_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("@%+=:,./_-", c) != NULL;
}

void scen_shlex_quote(smac_strbuf *sb, const char *word)
{
    int safe = word[0] != '\0';
    for (const char *p = word; *p && safe; p++)
        safe = is_safe(*p);
    if (safe) {
        smac_strbuf_puts(sb, word);
        return;
    }
    /* single quotes; an embedded ' becomes '"'"' */
    smac_strbuf_putc(sb, '\'');
    for (const char *p = word; *p; p++) {
        if (*p == '\'')
            smac_strbuf_puts(sb, "'\"'\"'");
        else
            smac_strbuf_putc(sb, *p);
    }
    smac_strbuf_putc(sb, '\'');
}
