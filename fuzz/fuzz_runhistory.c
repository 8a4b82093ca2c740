/*
 * libFuzzer target for the runhistory.json reader (src/runhistory/), via
 * smac_rh_load_json_text over the fixed mixed space of the pSMAC fixture
 * (so SMAC3's own files are valid seeds). Properties checked:
 *   - a rejected text adds nothing (to an empty history, and to one that
 *     already holds runs, loading as a pSMAC peer) and says why;
 *   - an accepted text writes, what we write reads back, and writes the
 *     same bytes again (the writer is a fixed point of read + write);
 *   - merging the accepted history into another one stores the same keys
 *     and configurations as loading the text into it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runhistory/runhistory.h"
#include "smac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char space_text[] = "x1 [-5, 10] [0]\n"
                                 "x2 [0, 15] [0]\n"
                                 "solver {a, b, c} [a]\n"
                                 "level [1, 64] [8]il\n"
                                 "use_boost {yes, no} [no]\n"
                                 "boost [0.01, 10] [1]l\n"
                                 "boost | use_boost in {yes}\n"
                                 "{solver=c, use_boost=yes}\n";

static const char holder_text[] =
    "{\"data\": [[[1, \"instances/train-09.txt\", 0, 0.0], [0.5, 0.5, {\"__enum__\": \"StatusType.SUCCESS\"}, "
    "1.0, 2.0, {}]], [[1, null, 3, 0.0], [10, 1.0, {\"__enum__\": \"StatusType.CAPPED\"}, 1.0, 2.0, null]]], "
    "\"config_origins\": {\"1\": \"Default\"}, \"configs\": {\"1\": {\"level\": 8, \"solver\": \"a\", "
    "\"use_boost\": \"no\", \"x1\": 0.0, \"x2\": 0.0}}}";

/* The space is read once; the harness, not the library, keeps it. */
static smac_cs *space(void)
{
    static smac_cs *cs;
    if (!cs && smac_cs_read_text(space_text, sizeof space_text - 1, "mixed.pcs", SMAC_CS_PCS, &cs, NULL) != 0)
        abort();
    return cs;
}

static smac_runhistory *holder(void)
{
    smac_runhistory *rh = smac_runhistory_new(space(), NULL);
    if (!rh || smac_rh_load_json_text(rh, holder_text, sizeof holder_text - 1, "holder", 0, NULL, NULL) != 0)
        abort();
    return rh;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    smac_error err;
    smac_runhistory *rh = smac_runhistory_new(space(), NULL);
    int n_new = -1;
    int rc = smac_rh_load_json_text(rh, text, size, "fuzz.json", 0, &n_new, &err);

    /* As a pSMAC peer's file, into a history that has runs already. */
    smac_runhistory *h = holder();
    char *before = smac_rh_to_json(h, NULL);
    int n_peer = -1;
    int rc_peer = smac_rh_load_json_text(h, text, size, "peer.json", 1, &n_peer, &err);
    if ((rc == 0) != (rc_peer == 0))
        abort(); /* acceptance does not depend on what the history holds */

    if (rc != 0) {
        if (err.code >= 0 || err.message[0] == '\0' || n_new != 0 || n_peer != 0)
            abort();
        if (smac_rh_size(rh) != 0 || smac_rh_n_configs(rh) != 0)
            abort();
        char *after = smac_rh_to_json(h, NULL);
        if (!before || !after || strcmp(before, after) != 0 || smac_rh_size(h) != 2)
            abort();
        free(after);
    } else {
        if ((size_t)n_new < smac_rh_size(rh)) /* more when the file repeats a key */
            abort();
        char *once = smac_rh_to_json(rh, &err);
        if (!once)
            abort();
        smac_runhistory *again = smac_runhistory_new(space(), NULL);
        if (smac_rh_load_json_text(again, once, strlen(once), "again.json", 0, NULL, &err) != 0)
            abort();
        char *twice = smac_rh_to_json(again, &err);
        if (!twice || strcmp(once, twice) != 0)
            abort();
        /* Merging the history stores what loading its text as a peer stored
         * (the counts of changes may differ: a file can repeat a key). */
        smac_runhistory *m = holder();
        if (smac_rh_merge(m, rh, 1, NULL, &err) != 0 || smac_rh_size(m) != smac_rh_size(h) ||
            smac_rh_n_configs(m) != smac_rh_n_configs(h))
            abort();
        smac_runhistory_free(m);
        free(once);
        free(twice);
        smac_runhistory_free(again);
    }
    free(before);
    smac_runhistory_free(h);
    smac_runhistory_free(rh);
    return 0;
}
