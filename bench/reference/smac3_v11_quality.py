#!/usr/bin/env python3
"""SMAC3 v1.1 (SMAC4HPO) regrets on the quality-benchmark functions.

Measures the reference figures that `bench-quality` sets beside smac's own:
for each function of bench/bench_functions.h, a number of seeds and a run
budget (SMAC3's runcount_limit), one SMAC4HPO run per (function, budget,
seed), and one TSV row per run:

    function  budget  seed  regret  evaluations  cpu_s  wall_s

regret   = best cost among the first `budget` evaluations - known optimum
cpu_s    = process CPU seconds (time.process_time) of facade construction +
           optimize(); the target runs in-process (no pynisher), so its CPU
           is included
wall_s   = wall seconds of the same span

Rows are appended (and flushed) as runs finish; a row already present in the
output file for the same (function, budget, seed) is not run again, so an
interrupted measurement resumes where it stopped.

Needs SMAC3 1.1.0, ConfigSpace 0.4.21, pyrfr 0.9.0 (see README.md here).

Usage:
    python smac3_v11_quality.py --out smac3_v11_hpo.tsv \
        [--functions branin,hartmann6,...] [--budget 100] [--seeds 1-10]
    python smac3_v11_quality.py --check     # optima of the functions
"""
import argparse
import datetime
import logging
import math
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings

import numpy as np

# SMAC3 1.1.0 still spells the builtin types as np.int / np.float (e.g. its
# initial design, for categorical and ordinal parameters), aliases that numpy
# deprecated in 1.20 and removed in 1.24 (Debian 12 has 1.24). Put the
# aliases back -- they were exactly the builtins -- when they are missing.
for _alias, _builtin in (("int", int), ("float", float), ("bool", bool), ("object", object)):
    if _alias not in np.__dict__:
        setattr(np, _alias, _builtin)

# --------------------------------------------------------------- functions
# Same definitions, domains, optima and parameter names as
# bench/bench_functions.h (and shared/anchors/functions.py).


def branin(c):
    x1, x2 = float(c["x0"]), float(c["x1"])
    a, b, cc = 1.0, 5.1 / (4 * math.pi ** 2), 5.0 / math.pi
    r, s, t = 6.0, 10.0, 1.0 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + cc * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H6_A = np.array([
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
])
H6_P = 1e-4 * np.array([
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
])


def vec(c, d):
    return np.array([float(c["x%d" % i]) for i in range(d)])


def hartmann6(c):
    x = vec(c, 6)
    inner = np.sum(H6_A * (x[None, :] - H6_P) ** 2, axis=1)
    return float(-np.sum(H6_ALPHA * np.exp(-inner)))


def rosenbrock(d):
    def f(c):
        x = vec(c, d)
        return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))
    return f


def ackley_shift(d):
    """s_i = (-1)^i (4 + 1.5 i): the optimum (0) is at x = s, not the box centre."""
    return np.array([(-1.0 if i % 2 else 1.0) * (4.0 + 1.5 * i) for i in range(d)])


def ackley_shifted(d):
    s = ackley_shift(d)

    def f(c):
        x = vec(c, d) - s
        s1 = math.sqrt(np.sum(x ** 2) / d)
        s2 = np.sum(np.cos(2 * math.pi * x)) / d
        return float(-20.0 * math.exp(-0.2 * s1) - math.exp(s2) + 20.0 + math.e)
    return f


MIX_TARGET = np.array([1.0, -2.0, 0.5])
C1_PEN = {"a": 0.0, "b": 0.25, "c": 1.5}
C2_PEN = {"u": 0.5, "v": 0.0, "w": 1.0}


def mixed(c):
    x = np.array([float(c["x1"]), float(c["x2"]), float(c["x3"])])
    i1, i2 = int(c["i1"]), int(c["i2"])
    dx = x - MIX_TARGET
    val = float(np.sum(dx ** 2))
    val += 0.2 * ((i1 - 3) ** 2 + (i2 - 7) ** 2) + 0.1 * dx[0] * (i1 - 3)
    val += C1_PEN[c["c1"]]
    if c["c1"] == "a":  # c2 is active only then
        val += C2_PEN[c["c2"]]
    return val


# ------------------------------------------------------------------ spaces
# Parameter specs: ("real", name, lo, hi, default) / ("int", ...) /
# ("cat", name, choices, default); defaults are ConfigSpace's own (box
# centre, integer centre, first choice), as in bench_pcs().

def reals(d, lo, hi):
    return [("real", "x%d" % i, lo, hi, (lo + hi) / 2) for i in range(d)]


PROBLEMS = {
    # name: (function, parameters, conditions [(child, parent, value)], f_opt, optimum point)
    "branin": (branin, [("real", "x0", -5.0, 10.0, 2.5), ("real", "x1", 0.0, 15.0, 7.5)], [],
               0.397887357729739, {"x0": math.pi, "x1": 2.275}),
    "hartmann6": (hartmann6, reals(6, 0.0, 1.0), [], -3.322368011391339,
                  dict(("x%d" % i, v) for i, v in
                       enumerate([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]))),
    "rosenbrock5": (rosenbrock(5), reals(5, -5.0, 10.0), [], 0.0, {"x%d" % i: 1.0 for i in range(5)}),
    "rosenbrock10": (rosenbrock(10), reals(10, -5.0, 10.0), [], 0.0, {"x%d" % i: 1.0 for i in range(10)}),
    "ackley10": (ackley_shifted(10), [("real", "x%d" % i, -32.768, 32.768, 0.0) for i in range(10)], [],
                 0.0, {"x%d" % i: float(v) for i, v in enumerate(ackley_shift(10))}),
    "mixed": (mixed,
              [("real", "x1", -5.0, 5.0, 0.0), ("real", "x2", -5.0, 5.0, 0.0), ("real", "x3", -5.0, 5.0, 0.0),
               ("int", "i1", 0, 10, 5), ("int", "i2", 0, 10, 5),
               ("cat", "c1", ["a", "b", "c"], "a"), ("cat", "c2", ["u", "v", "w"], "u")],
              [("c2", "c1", "a")], 0.0,
              {"x1": 1.0, "x2": -2.0, "x3": 0.5, "i1": 3, "i2": 7, "c1": "a", "c2": "v"}),
}
ORDER = ["branin", "hartmann6", "rosenbrock5", "rosenbrock10", "ackley10", "mixed"]


def make_space(name):
    from ConfigSpace import ConfigurationSpace
    from ConfigSpace.conditions import EqualsCondition
    from ConfigSpace.hyperparameters import (CategoricalHyperparameter, UniformFloatHyperparameter,
                                             UniformIntegerHyperparameter)
    _, params, conds, _, _ = PROBLEMS[name]
    cs = ConfigurationSpace()
    hps = {}
    for p in params:
        if p[0] == "real":
            hp = UniformFloatHyperparameter(p[1], p[2], p[3], default_value=p[4])
        elif p[0] == "int":
            hp = UniformIntegerHyperparameter(p[1], p[2], p[3], default_value=p[4])
        else:
            hp = CategoricalHyperparameter(p[1], p[2], default_value=p[3])
        hps[p[1]] = hp
        cs.add_hyperparameter(hp)
    for child, parent, value in conds:
        cs.add_condition(EqualsCondition(hps[child], hps[parent], value))
    return cs


# ------------------------------------------------------------------ runs

def run_one(name, budget, seed):
    """One SMAC4HPO run; returns (regret, evaluations, cpu_s, wall_s)."""
    from smac.facade.smac_hpo_facade import SMAC4HPO
    from smac.scenario.scenario import Scenario
    f, _, _, f_opt, _ = PROBLEMS[name]
    cs = make_space(name)
    outdir = tempfile.mkdtemp(prefix="smac3_v11_%s_%d_%d_" % (name, budget, seed))
    try:
        scenario = Scenario({"run_obj": "quality", "runcount-limit": budget, "deterministic": "true",
                             "cs": cs, "output_dir": outdir})

        def target(config):
            return f(config)

        c0, w0 = time.process_time(), time.perf_counter()
        smac = SMAC4HPO(scenario=scenario, rng=np.random.RandomState(seed), tae_runner=target,
                        tae_runner_kwargs={"use_pynisher": False})
        smac.optimize()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        costs = [v.cost for v in smac.runhistory.data.values()]  # in evaluation order
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    return min(costs[:budget]) - f_opt, len(costs), cpu, wall


def parse_seeds(s):
    out = []
    for part in s.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


HEADER = ["function", "budget", "seed", "regret", "evaluations", "cpu_s", "wall_s"]


def done_keys(path):
    keys = set()
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if line.startswith("#") or line.startswith("function\t") or not line.strip():
                    continue
                r = line.rstrip("\n").split("\t")
                keys.add((r[0], int(r[1]), int(r[2])))
    return keys


def provenance(argv):
    from importlib.metadata import version

    def ver(dist):
        try:
            return version(dist)
        except Exception:
            return "?"
    return ["# SMAC3 %s (SMAC4HPO), ConfigSpace %s, pyrfr %s, numpy %s, python %s"
            % (ver("smac"), ver("ConfigSpace"), ver("pyrfr"), np.__version__, platform.python_version()),
            "# measured %s UTC on a 2-core Debian 12 machine (%s), one run at a time"
            % (datetime.datetime.utcnow().strftime("%Y-%m-%d"), platform.machine()),
            "# scenario run_obj=quality deterministic=true runcount-limit=<budget>; rng=RandomState(seed);"
            " target in-process (ExecuteTAFuncDict, use_pynisher=False)",
            "# budget = runcount_limit of the run (a budget-100 row is its own run, not a prefix of a 200-run)",
            "# regret = best cost of the first <budget> evaluations - known optimum; cpu_s/wall_s ="
            " process CPU / wall seconds of SMAC4HPO construction + optimize()",
            "# command: python smac3_v11_quality.py " + " ".join(argv)]


def check():
    ok = True
    for name in ORDER:
        f, _, _, f_opt, xopt = PROBLEMS[name]
        v = f(xopt)
        d = make_space(name).get_default_configuration()
        print("%-13s f(x*) - f_opt = %.3g   f(default) = %.6g   default %s"
              % (name, v - f_opt, f(d), dict(d.get_dictionary())))
        ok &= abs(v - f_opt) < 1e-5
    print("ackley10 at x = s:", PROBLEMS["ackley10"][0](PROBLEMS["ackley10"][4]))
    print("ok" if ok else "MISMATCH")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="smac3_v11_hpo.tsv")
    ap.add_argument("--functions", default=",".join(ORDER))
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--seeds", default="1-10")
    ap.add_argument("--check", action="store_true", help="print f at the known optima and exit")
    ap.add_argument("--stdout", action="store_true", help="print rows only, do not write --out")
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore", message="The balance properties of Sobol")
    if a.check:
        return check()
    names = a.functions.split(",")
    for n in names:
        if n not in PROBLEMS:
            ap.error("unknown function %s" % n)
    fh = None
    done = set()
    if not a.stdout:
        done = done_keys(a.out)
        new = not os.path.exists(a.out) or os.path.getsize(a.out) == 0
        fh = open(a.out, "a")
        if new:
            fh.write("\n".join(provenance(sys.argv[1:])) + "\n" + "\t".join(HEADER) + "\n")
            fh.flush()
    for name in names:
        for seed in parse_seeds(a.seeds):
            if (name, a.budget, seed) in done:
                continue
            regret, n, cpu, wall = run_one(name, a.budget, seed)
            row = "%s\t%d\t%d\t%r\t%d\t%.2f\t%.2f" % (name, a.budget, seed, regret, n, cpu, wall)
            print(row, flush=True)
            if fh:
                fh.write(row + "\n")
                fh.flush()
    if fh:
        fh.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
