/*
 * Reading and writing configuration spaces: picks the reader or writer for a
 * format (pcs_old.c, pcs_new.c, cs_json.c do the work). Automatic detection
 * follows SMAC3 (formats.md §3.1): a name ending in ".json" is JSON;
 * anything else is tried as the old PCS format and, if that fails, as
 * pcs_new. When both fail the user sees the error of the format the text
 * most looks like, not always the second one.
 */
#include <stdlib.h>
#include <string.h>

#include "cs/cs_internal.h"
#include "util/fsutil.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Does some parameter line read "name real|integer|categorical|ordinal ..."?
 * Lines are prepared as both PCS parsers do: cut at '#', quotes removed,
 * trimmed; conditions (with '|'), forbiddens ({...}) and lines with neither
 * '}' nor ']' are not parameter lines. */
static int looks_like_pcs_new(const char *text, size_t len)
{
    static const char *const types[] = {"real", "integer", "categorical", "ordinal"};
    size_t pos = 0;
    char line[512];
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t n = 0;
        for (size_t i = pos; i < end && text[i] != '#'; i++)
            if (text[i] != '"' && text[i] != '\'' && n + 1 < sizeof line)
                line[n++] = text[i];
        line[n] = '\0';
        pos = end + 1;
        char *s = line;
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (strchr(s, '|') || (!strchr(s, '}') && !strchr(s, ']')))
            continue;
        size_t sl = strlen(s);
        if (sl > 0 && s[0] == '{' && s[sl - 1] == '}')
            continue;
        /* second whitespace-separated word */
        char *w = s;
        while (*w && *w != ' ' && *w != '\t')
            w++;
        while (*w == ' ' || *w == '\t')
            w++;
        for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
            size_t tl = strlen(types[t]);
            if (strncmp(w, types[t], tl) == 0 && (w[tl] == ' ' || w[tl] == '\t' || w[tl] == '\0'))
                return 1;
        }
    }
    return 0;
}

int smac_cs_read_text(const char *text, size_t len, const char *filename, smac_cs_format fmt, smac_cs **out,
                      smac_error *err)
{
    *out = NULL;
    if (!text)
        return smac_error_set(err, SMAC_ERR_INVALID, "no configuration space text given");
    if (!filename)
        filename = "<configuration space>";
    int rc;
    if (fmt == SMAC_CS_AUTO && ends_with(filename, ".json"))
        fmt = SMAC_CS_JSON;
    switch (fmt) {
    case SMAC_CS_JSON:
        rc = cs_read_json(text, len, filename, out, err);
        break;
    case SMAC_CS_PCS:
        rc = cs_read_pcs_old(text, len, filename, out, err);
        break;
    case SMAC_CS_PCS_NEW:
        rc = cs_read_pcs_new(text, len, filename, out, err);
        break;
    case SMAC_CS_AUTO: {
        smac_error old_err;
        smac_error_clear(&old_err);
        rc = cs_read_pcs_old(text, len, filename, out, &old_err);
        if (rc == 0) {
            fmt = SMAC_CS_PCS;
            break;
        }
        if (rc == SMAC_ERR_NOMEM) {
            if (err)
                *err = old_err;
            return rc;
        }
        smac_error new_err;
        smac_error_clear(&new_err);
        int rc_new = cs_read_pcs_new(text, len, filename, out, &new_err);
        if (rc_new == 0) {
            fmt = SMAC_CS_PCS_NEW;
            rc = 0;
            break;
        }
        int prefer_new = rc_new == SMAC_ERR_NOMEM || looks_like_pcs_new(text, len);
        if (err)
            *err = prefer_new ? new_err : old_err;
        return prefer_new ? rc_new : rc;
    }
    default:
        return smac_error_set(err, SMAC_ERR_INVALID, "unknown configuration space format %d", (int)fmt);
    }
    if (rc != 0) {
        smac_cs_free(*out);
        *out = NULL;
        return rc;
    }
    if (*out)
        (*out)->source_format = fmt;
    return 0;
}

int smac_cs_read_file(const char *path, smac_cs_format fmt, smac_cs **out, smac_error *err)
{
    *out = NULL;
    if (!path)
        return smac_error_set(err, SMAC_ERR_INVALID, "no configuration space file given");
    char *text;
    size_t len;
    int rc = smac_read_file(path, &text, &len, err);
    if (rc != 0)
        return rc;
    rc = smac_cs_read_text(text, len, path, fmt, out, err);
    free(text);
    return rc;
}

char *smac_cs_write(const smac_cs *cs, smac_cs_format fmt, smac_error *err)
{
    if (!cs) {
        smac_error_set(err, SMAC_ERR_INVALID, "no configuration space to write");
        return NULL;
    }
    switch (fmt) {
    case SMAC_CS_PCS:
        return cs_write_pcs_old(cs, err);
    case SMAC_CS_PCS_NEW:
        return cs_write_pcs_new(cs, err);
    case SMAC_CS_JSON:
        return cs_write_json(cs, err);
    default:
        smac_error_set(err, SMAC_ERR_INVALID, "cannot write a configuration space in format %d (choose PCS, "
                       "PCS_NEW or JSON)", (int)fmt);
        return NULL;
    }
}
