/*
 * libFuzzer target for the PCS readers and writers: the input is read as
 * the old format and as pcs_new. Neither may crash, leak or trip the
 * sanitizers; and whenever a read succeeds, the space must write back in
 * the same format, that text must read again, and writing the re-read space
 * must give the same text (the writer and reader agree on everything the
 * reader can produce).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smac.h"

static void round_trip(const char *data, size_t size, smac_cs_format fmt)
{
    smac_cs *cs = NULL;
    smac_error err;
    if (smac_cs_read_text(data, size, "fuzz.pcs", fmt, &cs, &err) != 0)
        return;
    char *text = smac_cs_write(cs, fmt, &err);
    if (!text) {
        fprintf(stderr, "writer refused a space its reader accepted: %s\n", err.message);
        abort();
    }
    smac_cs *again = NULL;
    if (smac_cs_read_text(text, strlen(text), "written.pcs", fmt, &again, &err) != 0) {
        fprintf(stderr, "written text does not read back: %s\n--- text:\n%s\n", err.message, text);
        abort();
    }
    char *text2 = smac_cs_write(again, fmt, &err);
    if (!text2 || strcmp(text, text2) != 0) {
        fprintf(stderr, "second write differs:\n--- first:\n%s\n--- second:\n%s\n", text,
                text2 ? text2 : "(null)");
        abort();
    }
    free(text2);
    free(text);
    smac_cs_free(again);
    smac_cs_free(cs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    round_trip((const char *)data, size, SMAC_CS_PCS);
    round_trip((const char *)data, size, SMAC_CS_PCS_NEW);
    return 0;
}
