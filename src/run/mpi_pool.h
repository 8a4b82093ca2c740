/*
 * Target runs on MPI worker processes: one optimiser, K-1 workers.
 *
 * Under `mpirun -n K smac --scenario ...` rank 0 runs the optimiser with
 * n_workers = K-1 and a pool of the other ranks; each of those runs
 * smac_mpi_worker_main, which executes one run at a time with the ordinary
 * process runner (its own shepherd, cutoff, memory and CPU limits) in its own
 * node's execdir and sends back the run value. The optimiser's side is the
 * job API of runner.h: a runner config whose `remote` is a pool sends every
 * command-line run to an idle worker, and smac_job_wait reads the MPI
 * message queue. Protocol, failure handling and how to launch it:
 * mpi_pool.c and docs/parallel.md.
 *
 * Everything here exists whether or not the library was built with MPI
 * (SMAC_HAVE_MPI); without it smac_mpi_built() is 0, smac_mpi_launched()
 * still reports an mpirun launch (so the command can say it cannot serve
 * it) and the rest fails with SMAC_ERR_INVALID.
 *
 * MPI is called from the thread that called smac_mpi_init only.
 */
#ifndef SMAC_RUN_MPI_POOL_H
#define SMAC_RUN_MPI_POOL_H

#include "smac.h"

typedef struct smac_mpi_pool smac_mpi_pool;

/* 1 when the library was built with MPI. */
int smac_mpi_built(void);

/* 1 when the environment shows a launch by mpirun/mpiexec (Open MPI's
 * OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_SIZE, MPI_LOCALNRANKS) or by srun
 * with an MPI plugin (PMIX_RANK / PMI_RANK with SLURM_STEP_NUM_TASKS) with
 * more than one process. No MPI call. */
int smac_mpi_launched(void);

/* MPI_Init; errors on MPI_COMM_WORLD then return instead of aborting. Fills
 * this process's rank and the number of processes. */
int smac_mpi_init(int *argc, char ***argv, int *rank, int *size, smac_error *err);

/* MPI_Finalize, if smac_mpi_init succeeded. */
void smac_mpi_finalize(void);

/* MPI_Abort on MPI_COMM_WORLD (mpirun then ends every rank), if initialised:
 * for when workers could not be stopped and MPI_Finalize would wait forever. */
void smac_mpi_abort(int code);

/* Rank 0: the pool of ranks 1..size-1. A worker that has run a job and not
 * been heard of for `heartbeat_timeout` seconds (<= 0: 30 s) is lost: its run
 * ends CRASHED and the on_lost callback is called (once). */
smac_mpi_pool *smac_mpi_pool_new(double heartbeat_timeout, smac_error *err);

/* Called (from smac_job_wait, on the optimiser's thread) when a worker is
 * lost; typically smac_optimizer_stop, so everything is saved and the run can
 * be continued with --restore_state. */
void smac_mpi_pool_on_lost(smac_mpi_pool *pool, void (*fn)(void *data), void *data);

/* Number of workers (size - 1). */
int smac_mpi_pool_workers(const smac_mpi_pool *pool);

/* Distinct workers that have run at least one job (for logs and tests). */
int smac_mpi_pool_workers_used(const smac_mpi_pool *pool);

/* Tells every worker still alive to stop, waits (up to 15 s) for their
 * goodbyes and frees the pool. Jobs of this pool must have been freed first.
 * Returns 0, or -1 when a worker was lost or did not answer: MPI_Finalize
 * would then wait for it forever, so end with smac_mpi_abort instead. */
int smac_mpi_pool_free(smac_mpi_pool *pool);

/* Ranks > 0: serves runs until rank 0 says stop (returns 0) or MPI fails. */
int smac_mpi_worker_main(smac_error *err);

#endif
