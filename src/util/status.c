/* StatusType names (formats.md §5.4). */
#include "smac.h"

#include <string.h>

static const char *const status_names[] = {
    NULL, "SUCCESS", "TIMEOUT", "CRASHED", "ABORT", "MEMOUT", "CAPPED", "DONOTADVANCE", "STOP", "RUNNING",
};

const char *smac_status_name(smac_status status)
{
    if ((int)status < 1 || (int)status > 9)
        return NULL;
    return status_names[status];
}

int smac_status_parse(const char *text)
{
    if (!text)
        return -1;
    if (strncmp(text, "StatusType.", 11) == 0)
        text += 11;
    for (int i = 1; i <= 9; i++)
        if (strcmp(text, status_names[i]) == 0)
            return i;
    return -1;
}
