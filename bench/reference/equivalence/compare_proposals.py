"""Do we propose what SMAC3 v1.1 proposes, given the same run history?

1. SMAC3 v1.1's SMAC4HPO runs 40 evaluations of Hartmann6 (seed 1): that
   output folder is the shared history.
2. For seeds 1..30, v1.1's EPM chooser (fresh SMAC4HPO, the history loaded)
   gives its challengers; the first one not interleaved at random is kept.
3. For seeds 1..30, our `smac` restores the same folder (--restore_state)
   and runs until its first model-based challenger has been evaluated.
The two samples (true regret of the proposal, distance to the incumbent)
are compared with a two-sided Mann-Whitney test: with the model and the
acquisition optimiser equivalent they come from one distribution.

Run with SMAC3 1.1's Python environment (bench/reference/README.md):
    python compare_proposals.py path/to/build/smac [workdir]
"""
import json
import math
import os
import subprocess
import sys

import numpy as np
from scipy.stats import mannwhitneyu
from ConfigSpace.hyperparameters import UniformFloatHyperparameter
from smac.configspace import ConfigurationSpace
from smac.facade.smac_hpo_facade import SMAC4HPO
from smac.scenario.scenario import Scenario

OPT = -3.322368011391339
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]
NAMES = ["x%d" % i for i in range(6)]
HISTORY = 40
SEEDS = range(1, 31)

TARGET = '''#!/usr/bin/env python3
import math, sys
A = %r
P = %r
AL = %r
a = sys.argv[6:]
c = {a[i].lstrip("-"): float(a[i + 1].strip("'")) for i in range(0, len(a), 2)}
x = [c["x%%d" %% j] for j in range(6)]
y = -sum(AL[k] * math.exp(-sum(A[k][j] * (x[j] - 1e-4 * P[k][j]) ** 2 for j in range(6))) for k in range(4))
print("Result of this algorithm run: SUCCESS, 0, 0, %%r, 0" %% y)
''' % (A, P, ALPHA)


def hartmann6(x):
    return -sum(ALPHA[k] * math.exp(-sum(A[k][j] * (x[j] - 1e-4 * P[k][j]) ** 2 for j in range(6)))
                for k in range(4))


def space():
    cs = ConfigurationSpace()
    for n in NAMES:
        cs.add_hyperparameter(UniformFloatHyperparameter(n, 0.0, 1.0))
    return cs


def smac3(seed, limit, outdir):
    sc = Scenario({"run_obj": "quality", "runcount-limit": limit, "deterministic": "true",
                   "cs": space(), "output_dir": outdir})
    return SMAC4HPO(scenario=sc, rng=np.random.RandomState(seed),
                    tae_runner=lambda c: hartmann6([c[n] for n in NAMES]),
                    tae_runner_kwargs={"use_pynisher": False})


def summary(regrets, dists):
    return "regret of the proposal median %.3g [%.3g, %.3g], distance to the incumbent median %.3f" % (
        np.median(regrets), np.percentile(regrets, 25), np.percentile(regrets, 75), np.median(dists))


def main():
    smac_bin = os.path.abspath(sys.argv[1])
    work = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "proposals")
    os.makedirs(work, exist_ok=True)
    os.chdir(work)

    s = smac3(1, HISTORY, "history")
    s.optimize()
    hist = s.solver.scenario.output_dir_for_this_run
    rh_data = json.load(open(os.path.join(hist, "runhistory.json")))
    cfgs = rh_data["configs"]
    inc = min(rh_data["data"], key=lambda kv: kv[1][0])
    inc_x = [cfgs[str(inc[0][0])][n] for n in NAMES]

    theirs = ([], [])
    for seed in SEEDS:
        s = smac3(seed, 1000, "v11_%d" % seed)
        s.solver.runhistory.update_from_json(os.path.join(hist, "runhistory.json"), s.solver.scenario.cs)
        for c in s.solver.epm_chooser.choose_next():
            if c.origin != "Random Search":
                x = [c[n] for n in NAMES]
                theirs[0].append(hartmann6(x) - OPT)
                theirs[1].append(math.dist(x, inc_x))
                break

    with open("target.py", "w") as f:
        f.write(TARGET)
    os.chmod("target.py", 0o755)
    with open("h6.pcs", "w") as f:
        f.write("".join("%s real [0.0, 1.0] [0.5]\n" % n for n in NAMES))
    with open("scenario.txt", "w") as f:
        f.write("algo = ./target.py\nparamfile = h6.pcs\nrun_obj = quality\ndeterministic = true\n")
    ours = ([], [])
    for seed in SEEDS:
        out = "ours_%d" % seed
        subprocess.run([smac_bin, "--scenario", "scenario.txt", "--mode", "SMAC4HPO", "--seed", str(seed),
                        "--restore_state", hist, "--runcount_limit", str(HISTORY + 6), "--output_dir", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rh = json.load(open(os.path.join(out, "run_%d" % seed, "runhistory.json")))
        origins = rh.get("config_origins", {})
        for key, _ in rh["data"][HISTORY:]:
            if origins.get(str(key[0]), "") in ("Random Search", "Default"):
                continue
            x = [rh["configs"][str(key[0])][n] for n in NAMES]
            ours[0].append(hartmann6(x) - OPT)
            ours[1].append(math.dist(x, inc_x))
            break

    print("SMAC3 v1.1 (n=%d): %s" % (len(theirs[0]), summary(*theirs)))
    print("ours       (n=%d): %s" % (len(ours[0]), summary(*ours)))
    print("two-sided Mann-Whitney p: regret %.2f, distance %.2f" % (
        mannwhitneyu(ours[0], theirs[0]).pvalue, mannwhitneyu(ours[1], theirs[1]).pvalue))


if __name__ == "__main__":
    main()
