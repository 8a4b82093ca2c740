/*
 * The pSMAC journal: an append-only file per run folder
 * (runhistory.journal) that carries each finished run once, so that a
 * reader's cost grows with the number of new runs, not with all runs ever
 * made. runhistory.json stays as well, for SMAC3 v1.1 peers and for restore.
 *
 * Protocol (one writer per file, any number of readers, no locks):
 *   - the writer appends whole lines, one finished run per line, each line a
 *     complete runhistory.json document on one line (so the ordinary reader
 *     and its merge rules apply), with one write() per batch and an fsync;
 *   - a reader remembers, per journal, its identity (device, inode) and the
 *     offset after the last complete line it took; it reads only what was
 *     appended since, takes complete lines, and leaves a torn last line (a
 *     writer killed mid-write, or a write in progress) for the next round;
 *   - a journal with another identity (a new run in the folder) is read
 *     from the start.
 */
#ifndef SMAC_PSMAC_JOURNAL_H
#define SMAC_PSMAC_JOURNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "runhistory/runhistory.h"
#include "smac.h"

#define SMAC_JOURNAL_NAME "runhistory.journal"

/* The writer's side: which runs of the history were journaled already. */
typedef struct smac_journal_writer {
    unsigned char *done;     /* per run index of the history: 1 once journaled (or not ours) */
    size_t n_done, cap;
    size_t first_pending;    /* runs before this index are all done */
} smac_journal_writer;

void smac_journal_writer_free(smac_journal_writer *w);
/* Appends every own finished run not journaled yet to run_dir's journal. */
int smac_journal_append(smac_journal_writer *w, const smac_runhistory *rh, const char *run_dir, smac_error *err);

/* The reader's side, per journal file. */
typedef struct smac_journal_cursor {
    dev_t dev;
    ino_t ino;
    off_t offset;            /* after the last complete line taken */
} smac_journal_cursor;

/* Merges the complete lines appended since the cursor (origin EXTERNAL_SAME);
 * *n_new = runs that were new keys. A corrupt complete line is skipped with
 * a warning (it cannot become whole later). */
int smac_journal_read(smac_journal_cursor *c, smac_runhistory *rh, const char *path, int *n_new, smac_error *err);

#endif
