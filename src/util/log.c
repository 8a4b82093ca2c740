/* Logging (see log.h). One line is formatted into a buffer and written with a
 * single fwrite so lines from threads do not interleave mid-line. */
#include "util/log.h"

#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>

static _Atomic int current_level = SMAC_LOG_INFO;

void smac_log_set_level(smac_log_level level) { current_level = level; }
smac_log_level smac_log_get_level(void) { return (smac_log_level)current_level; }
int smac_log_enabled(smac_log_level level) { return (int)level >= current_level; }

int smac_log_level_parse(const char *name)
{
    static const struct { const char *name; smac_log_level level; } names[] = {
        {"DEBUG", SMAC_LOG_DEBUG}, {"INFO", SMAC_LOG_INFO}, {"WARNING", SMAC_LOG_WARNING},
        {"WARN", SMAC_LOG_WARNING}, {"ERROR", SMAC_LOG_ERROR},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (name && strcasecmp(name, names[i].name) == 0)
            return names[i].level;
    return -1;
}

static const char *level_name(smac_log_level level)
{
    switch (level) {
    case SMAC_LOG_DEBUG: return "DEBUG";
    case SMAC_LOG_INFO: return "INFO";
    case SMAC_LOG_WARNING: return "WARNING";
    case SMAC_LOG_ERROR: return "ERROR";
    default: return "LOG";
    }
}

void smac_vlog(smac_log_level level, const char *name, const char *fmt, va_list ap)
{
    if (!smac_log_enabled(level))
        return;
    char line[4096];
    int n;
    if (current_level <= SMAC_LOG_DEBUG) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
        n = snprintf(line, sizeof line, "%s:%s:%s:\t", stamp, level_name(level), name ? name : "smac");
    } else {
        n = snprintf(line, sizeof line, "%s:\t", level_name(level));
    }
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : ((size_t)m < sizeof line - (size_t)n - 1 ? (size_t)m : sizeof line - (size_t)n - 2));
    line[len++] = '\n';
    fwrite(line, 1, len, stdout);
    fflush(stdout);
}

void smac_log(smac_log_level level, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smac_vlog(level, name, fmt, ap);
    va_end(ap);
}
