/* libFuzzer target: a target's output, fed in two chunks to the output
 * scanner, and the last result line it finds to both result parsers.
 * Nothing may crash, leak or read out of bounds, whatever a target prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/run_internal.h"
#include "run/runner.h"

static void scan_and_parse(smac_tae_kind kind, const uint8_t *data, size_t size)
{
    smac_outscan scan;
    if (smac_outscan_init(&scan, kind) != 0)
        return;
    size_t half = size / 2;
    smac_outscan_feed(&scan, (const char *)data, half);
    smac_outscan_feed(&scan, (const char *)data + half, size - half);
    smac_outscan_end(&scan);
    if (scan.have_result) {
        char *line = malloc(scan.result_len + 1);
        if (line) {
            memcpy(line, scan.result, scan.result_len);
            line[scan.result_len] = '\0';
            for (int runtime = 0; runtime < 2; runtime++) {
                smac_ta_result r;
                memset(&r, 0, sizeof r);
                if (kind == SMAC_TAE_OLD)
                    smac_parse_result_old(line, 5.0, runtime, &r, NULL);
                else
                    smac_parse_result_aclib(line, runtime, &r, NULL);
                smac_ta_result_clear(&r);
            }
            free(line);
        }
    }
    smac_outscan_free(&scan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scan_and_parse(SMAC_TAE_OLD, data, size);
    scan_and_parse(SMAC_TAE_ACLIB, data, size);
    return 0;
}
