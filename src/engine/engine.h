/* What the command-line tools need of the optimiser beyond include/smac.h. */
#ifndef SMAC_ENGINE_ENGINE_H
#define SMAC_ENGINE_ENGINE_H

#include "smac.h"

struct smac_mpi_pool;

/* Runs every target on the MPI pool's worker ranks (mpirun); the pool must
 * outlive the optimisation. */
void smac_engine_use_mpi_pool(smac_optimizer *o, struct smac_mpi_pool *pool);

#endif
