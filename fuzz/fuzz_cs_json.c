/*
 * libFuzzer target for the ConfigSpace JSON reader (src/cs/cs_json.c), via
 * the public smac_cs_read_text. Any input must be rejected with an error or
 * read into a space; a space that was read must write, and what we write
 * must read back into the same space (same parameters, conditions and
 * forbidden clauses) and write the same text again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smac_cs *cs = NULL;
    smac_error err;
    if (smac_cs_read_text((const char *)data, size, "fuzz.json", SMAC_CS_JSON, &cs, &err) != 0) {
        if (cs || err.code >= 0 || err.message[0] == '\0')
            abort();  /* a failure must leave no space and say why */
        return 0;
    }
    char *text = smac_cs_write(cs, SMAC_CS_JSON, &err);
    if (!text)
        abort();
    smac_cs *again = NULL;
    if (smac_cs_read_text(text, strlen(text), "fuzz.json", SMAC_CS_JSON, &again, &err) != 0)
        abort();  /* our own output must read back */
    if (smac_cs_n_params(again) != smac_cs_n_params(cs) ||
        smac_cs_n_conditions(again) != smac_cs_n_conditions(cs) ||
        smac_cs_n_forbiddens(again) != smac_cs_n_forbiddens(cs))
        abort();
    for (int i = 0; i < smac_cs_n_params(cs); i++)
        if (strcmp(smac_cs_param_name(cs, i), smac_cs_param_name(again, i)) != 0 ||
            smac_cs_param_type(cs, i) != smac_cs_param_type(again, i))
            abort();
    char *text2 = smac_cs_write(again, SMAC_CS_JSON, &err);
    if (!text2)
        abort();
    /* Probabilities are renormalised on every read (as ConfigSpace does),
     * which may move their last bit; everything else is a fixed point. */
    if (!strstr(text, "\"probabilities\": [") && strcmp(text, text2) != 0)
        abort();
    free(text2);
    free(text);
    smac_cs_free(again);
    smac_cs_free(cs);
    return 0;
}
