/*
 * pSMAC: several SMAC processes share every target run through the file
 * system (parallel.md §1). Each process publishes its own runs as
 * runhistory.json in its run folder (atomic replace: temp file, fsync,
 * rename) and, before every iteration, merges the files of the other runs
 * that `input_psmac_dirs` matches.
 *
 * Reading is cheap when nothing changed: every file's identity (device,
 * inode, size, modification time) is remembered after a successful load, and
 * an unchanged file is not opened again. Because writers replace the file by
 * rename, every publication has a new inode, so a change is never missed. A
 * file that cannot be parsed (half-written by a non-atomic writer, truncated,
 * corrupt) adds nothing, is reported as a warning and is read again next
 * round. No locks are taken (they misbehave on NFS).
 */
#ifndef SMAC_PSMAC_H
#define SMAC_PSMAC_H

#include "runhistory/runhistory.h"
#include "smac.h"

typedef struct smac_psmac smac_psmac;

/* `pattern` is a shell glob naming output folders or run folders
 * ("smac3-output*", or one that names the run_* folders themselves); `own_run_dir` is this process's
 * run folder (its own file is not read back). Both are copied. */
smac_psmac *smac_psmac_new(const char *pattern, const char *own_run_dir, smac_error *err);
void smac_psmac_free(smac_psmac *p);
/* Adds another glob (the C API accepts a list of folders). */
int smac_psmac_add_pattern(smac_psmac *p, const char *pattern, smac_error *err);

/* Merges every new or changed peer file into rh (origin EXTERNAL_SAME) and
 * logs SMAC3's "Shared model mode:" lines. *n_new = runs stored. Never fails
 * on a peer's file (it is skipped with a warning); errors are only ours
 * (out of memory). */
int smac_psmac_read(smac_psmac *p, smac_runhistory *rh, int *n_new, smac_error *err);

/* Publishes rh's own runs: runhistory.json (atomically) and the runs
 * finished since the last call appended to the journal (journal.h). */
int smac_psmac_publish(smac_psmac *p, const smac_runhistory *rh, const char *run_dir, smac_error *err);

/* Publishes rh's own runs as <run_dir>/runhistory.json, atomically. */
int smac_psmac_write(const smac_runhistory *rh, const char *run_dir, smac_error *err);

/* Number of peer files seen in the last read (tests, warnings). */
int smac_psmac_n_peer_files(const smac_psmac *p);
/* Number of files parsed in the last read (unchanged files are not). */
int smac_psmac_n_loads(const smac_psmac *p);

#endif
