"""Do we propose what SMAC3 v1.1 proposes, given the same run history?

1. SMAC3 v1.1's SMAC4HPO runs HISTORY evaluations of a benchmark function
   (seed 1): that output folder is the shared history.
2. For seeds 1..N, v1.1's EPM chooser (fresh SMAC4HPO, the history loaded)
   gives its challengers; the first one neither interleaved at random nor
   already evaluated (the intensifier would run nothing for it) is kept.
3. For seeds 1..N, our `smac` restores the same folder (--restore_state)
   and runs until its first model-based challenger has been evaluated.
The two samples (true regret of the proposal, distance to the incumbent in
the unit cube, whether it beats the incumbent) are compared with two-sided
Mann-Whitney and Fisher tests, as is how often the first configuration run
after the history is an interleaved random one: with the model and the acquisition optimiser equivalent
they come from one distribution.

The functions and spaces are those of ../smac3_v11_quality.py (real
parameters only). Run with SMAC3 1.1's Python environment (../README.md):
    python compare_proposals.py path/to/build/smac [workdir]
        [--function hartmann6] [--history 40] [--seeds 30]
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
from scipy.stats import fisher_exact, mannwhitneyu

REFERENCE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, REFERENCE_DIR)
from smac3_v11_quality import PROBLEMS, make_space  # noqa: E402
from smac.facade.smac_hpo_facade import SMAC4HPO  # noqa: E402
from smac.scenario.scenario import Scenario  # noqa: E402

TARGET = """#!%s
import sys
sys.path.insert(0, %r)
from smac3_v11_quality import PROBLEMS
a = sys.argv[6:]
c = {a[i].lstrip("-"): float(a[i + 1].strip("'")) for i in range(0, len(a), 2)}
print("Result of this algorithm run: SUCCESS, 0, 0, %%r, 0" %% PROBLEMS[%r][0](c))
"""


def smac3(name, seed, limit, outdir):
    sc = Scenario({"run_obj": "quality", "runcount-limit": limit, "deterministic": "true",
                   "cs": make_space(name), "output_dir": outdir})
    return SMAC4HPO(scenario=sc, rng=np.random.RandomState(seed),
                    tae_runner=PROBLEMS[name][0], tae_runner_kwargs={"use_pynisher": False})


def summary(regrets, dists, better):
    return ("regret of the proposal median %.3g [%.3g, %.3g], distance to the incumbent median %.4f, "
            "beats it %d times" % (np.median(regrets), np.percentile(regrets, 25), np.percentile(regrets, 75),
                                   np.median(dists), sum(better)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("smac")
    ap.add_argument("workdir", nargs="?", default="proposals")
    ap.add_argument("--function", default="hartmann6")
    ap.add_argument("--history", type=int, default=40)
    ap.add_argument("--seeds", type=int, default=30)
    a = ap.parse_args()
    name, history, seeds = a.function, a.history, range(1, a.seeds + 1)
    f, params, _, f_opt, _ = PROBLEMS[name]
    if any(p[0] != "real" for p in params):
        ap.error("real parameters only")
    names = [p[1] for p in params]
    lo = np.array([p[2] for p in params])
    width = np.array([p[3] for p in params]) - lo

    def unit(c):
        return (np.array([c[n] for n in names]) - lo) / width

    smac_bin = os.path.abspath(a.smac)
    work = os.path.abspath(a.workdir)
    os.makedirs(work, exist_ok=True)
    os.chdir(work)

    s = smac3(name, 1, history, "history")
    s.optimize()
    hist = s.solver.scenario.output_dir_for_this_run
    rh_data = json.load(open(os.path.join(hist, "runhistory.json")))
    cfgs = rh_data["configs"]
    inc = min(rh_data["data"], key=lambda kv: kv[1][0])
    inc_cost, inc_u = inc[1][0], unit(cfgs[str(inc[0][0])])

    def record(sample, c):
        y = f(c)
        sample[0].append(y - f_opt)
        sample[1].append(float(np.linalg.norm(unit(c) - inc_u)))
        sample[2].append(y < inc_cost)

    theirs = ([], [], [])
    random_first = ([], [])  # per seed: was the first configuration run a random one? (v1.1, ours)
    for seed in seeds:
        s = smac3(name, seed, 100000, "v11_%d" % seed)
        s.solver.runhistory.update_from_json(os.path.join(hist, "runhistory.json"), s.solver.scenario.cs)
        seen = set(s.solver.runhistory.get_all_configs())
        first_new = None
        for c in s.solver.epm_chooser.choose_next():
            if first_new is None and c not in seen:
                first_new = c.origin
                random_first[0].append(c.origin == "Random Search")
            # The intensifier runs nothing for a configuration already
            # evaluated (the incumbent, or one with all its runs): skip it,
            # as our side only sees challengers that were run.
            if c.origin != "Random Search" and c not in seen:
                record(theirs, c.get_dictionary())
                break

    with open("target.py", "w") as fh:
        fh.write(TARGET % (sys.executable, REFERENCE_DIR, name))
    os.chmod("target.py", 0o755)
    with open("space.pcs", "w") as fh:
        fh.write("".join("%s real [%r, %r] [%r]\n" % (p[1], p[2], p[3], p[4]) for p in params))
    with open("scenario.txt", "w") as fh:
        fh.write("algo = ./target.py\nparamfile = space.pcs\nrun_obj = quality\ndeterministic = true\n")
    ours = ([], [], [])
    for seed in seeds:
        out = "ours_%d" % seed
        subprocess.run([smac_bin, "--scenario", "scenario.txt", "--mode", "SMAC4HPO", "--seed", str(seed),
                        "--restore_state", hist, "--runcount_limit", str(history + 6), "--output_dir", out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rh = json.load(open(os.path.join(out, "run_%d" % seed, "runhistory.json")))
        origins = rh.get("config_origins", {})
        if len(rh["data"]) > history:
            random_first[1].append(origins.get(str(rh["data"][history][0][0]), "") == "Random Search")
        for key, _ in rh["data"][history:]:
            if origins.get(str(key[0]), "") in ("Random Search", "Default"):
                continue
            record(ours, rh["configs"][str(key[0])])
            break

    print("%s, history of %d evaluations (incumbent regret %.3g)" % (name, history, inc_cost - f_opt))
    print("SMAC3 v1.1 (n=%d): %s" % (len(theirs[0]), summary(*theirs)))
    print("ours       (n=%d): %s" % (len(ours[0]), summary(*ours)))
    print("two-sided p: regret %.2f, distance %.2f (Mann-Whitney), beats the incumbent %.2f (Fisher)" % (
        mannwhitneyu(ours[0], theirs[0]).pvalue, mannwhitneyu(ours[1], theirs[1]).pvalue,
        fisher_exact([[sum(ours[2]), len(ours[2]) - sum(ours[2])],
                      [sum(theirs[2]), len(theirs[2]) - sum(theirs[2])]])[1]))
    t, o = random_first
    print("first configuration run is an interleaved random one: SMAC3 v1.1 %d of %d, ours %d of %d "
          "(Fisher p %.2f)" % (sum(t), len(t), sum(o), len(o),
                               fisher_exact([[sum(o), len(o) - sum(o)], [sum(t), len(t) - sum(t)]])[1]))


if __name__ == "__main__":
    main()
