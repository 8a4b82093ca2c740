"""Is our random forest SMAC3 v1.1's (pyrfr 0.9.0) in distribution?

Both forests, with SMAC4HPO's settings, are trained on the same data -- 40
random Hartmann6 points, costs through SMAC3's LogScaledCost transform -- with
50 seeds each, and predict 2,000 random points. Forests are random, so single
predictions differ; their averages over seeds must agree up to Monte Carlo
noise, and the average variance (what drives exploration) must match.

Run in a directory of your choice with SMAC3 1.1's Python environment
(bench/reference/README.md), after building forest_predictions (see the
header of forest_predictions.c):
    python compare_forest.py ./forest_predictions
"""
import subprocess
import sys

import numpy as np
from ConfigSpace.hyperparameters import UniformFloatHyperparameter
from smac.configspace import ConfigurationSpace
from smac.epm.rf_with_instances import RandomForestWithInstances

SEEDS = 50
A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x):
    return -np.sum(ALPHA * np.exp(-np.sum(A * (x[None, :] - P) ** 2, axis=1)))


def log_scaled(c):
    # RunHistory2EPM4LogScaledCost with its 5th percentile
    lo = c.min() - (np.percentile(c, 5) - c.min()) - 1e-10
    return np.log((c - lo) / (c.max() - lo))


def main():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 6)
    y = log_scaled(np.array([hartmann6(x) for x in X]))
    T = rng.rand(2000, 6)
    for name, a in (("X.txt", X), ("y.txt", y), ("T.txt", T)):
        np.savetxt(name, a, fmt="%.17g")

    cs = ConfigurationSpace()
    for i in range(6):
        cs.add_hyperparameter(UniformFloatHyperparameter("x%d" % i, 0.0, 1.0))
    means, variances = [], []
    for s in range(SEEDS):
        rf = RandomForestWithInstances(
            configspace=cs, types=np.zeros(6, dtype=np.uint), bounds=[(0.0, 1.0)] * 6, seed=s + 1,
            num_trees=10, do_bootstrapping=True, ratio_features=1.0, min_samples_split=2,
            min_samples_leaf=1, max_depth=2 ** 20, eps_purity=1e-8, max_num_nodes=2 ** 20, log_y=True)
        rf.train(X, y)
        mu, var = rf.predict_marginalized_over_instances(T)
        means.append(mu.ravel())
        variances.append(var.ravel())
    py_mean, py_var = np.mean(means, axis=0), np.mean(variances, axis=0)
    noise = np.mean(np.std(means, axis=0)) * np.sqrt(2.0 / SEEDS)

    subprocess.run([sys.argv[1]], check=True)
    c_mean, c_var = np.loadtxt("c_mean.txt"), np.loadtxt("c_var.txt")
    print("average predicted mean: SMAC3 v1.1 %.4f, ours %.4f" % (py_mean.mean(), c_mean.mean()))
    print("mean |difference| per point %.4f (Monte Carlo noise expected ~%.4f), correlation %.4f"
          % (np.abs(c_mean - py_mean).mean(), noise, np.corrcoef(c_mean, py_mean)[0, 1]))
    print("average predicted variance: SMAC3 v1.1 %.4f, ours %.4f (median ratio %.3f)"
          % (py_var.mean(), c_var.mean(), np.median(c_var / py_var)))


if __name__ == "__main__":
    main()
