/* Logging with SMAC3's level names and line formats (spec formats.md §7):
 *   INFO level:  "INFO:\t<message>"
 *   DEBUG level: "2021-10-20 21:11:15:DEBUG:<logger name>:\t<message>"
 * to stdout. The level is the only global state of the library. */
#ifndef SMAC_UTIL_LOG_H
#define SMAC_UTIL_LOG_H

#include <stdarg.h>
#include "util/error.h"

typedef enum smac_log_level {
    SMAC_LOG_DEBUG = 10,
    SMAC_LOG_INFO = 20,
    SMAC_LOG_WARNING = 30,
    SMAC_LOG_ERROR = 40,
    SMAC_LOG_OFF = 100
} smac_log_level;

void smac_log_set_level(smac_log_level level);
smac_log_level smac_log_get_level(void);
/* Parses "DEBUG", "INFO", "WARNING", "ERROR" (case-insensitive); -1 if unknown. */
int smac_log_level_parse(const char *name);
int smac_log_enabled(smac_log_level level);
/* `name` is the logger name shown at DEBUG (e.g. "smac.optimizer.smbo.SMBO"). */
void smac_log(smac_log_level level, const char *name, const char *fmt, ...) SMAC_PRINTF(3, 4);
void smac_vlog(smac_log_level level, const char *name, const char *fmt, va_list ap);

#define SMAC_DEBUG(name, ...) smac_log(SMAC_LOG_DEBUG, name, __VA_ARGS__)
#define SMAC_INFO(name, ...) smac_log(SMAC_LOG_INFO, name, __VA_ARGS__)
#define SMAC_WARNING(name, ...) smac_log(SMAC_LOG_WARNING, name, __VA_ARGS__)
#define SMAC_ERROR(name, ...) smac_log(SMAC_LOG_ERROR, name, __VA_ARGS__)

#endif
