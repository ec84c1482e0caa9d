#!/usr/bin/env python3
"""Reference values for metron's trimmed one-sample t-test (Tukey-McLaughlin),
computed with numpy and scipy, independently of metron's Rust code.

Writes harness/core/tests/data/trimmed-reference.json. Inputs are the paired
data of stats-reference.json (log ratios cand/base) and its heavy_tail data
centred on its median, at 20% trimming.

    pip install numpy scipy && python3 scripts/reference/trimmed_t.py
"""
import json
import os

import numpy as np
from scipy import stats
from scipy.stats import mstats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "harness", "core", "tests", "data")


def trimmed_t(x, trim=0.2, confidence=0.95):
    x = np.asarray(x, dtype=float)
    n = len(x)
    g = int(np.floor(trim * n))
    h = n - 2 * g
    tm = stats.trim_mean(x, trim)
    w = np.asarray(mstats.winsorize(x, limits=(trim, trim)))
    sw = np.std(w, ddof=1)
    se = sw / ((1 - 2 * trim) * np.sqrt(n))
    t = tm / se
    df = h - 1
    p = 2 * stats.t.sf(abs(t), df)
    q = stats.t.ppf((1 + confidence) / 2, df)
    return {
        "n": n,
        "trim": trim,
        "trimmed_mean": tm,
        "winsorized_sd": sw,
        "t": t,
        "df": df,
        "p_two_sided": p,
        "ci": [tm - q * se, tm + q * se],
    }


def main():
    ref = json.load(open(os.path.join(DATA, "stats-reference.json")))
    d = ref["data"]
    log_ratios = list(np.log(np.array(d["paired_cand"]) / np.array(d["paired_base"])))
    heavy = np.array(d["heavy_tail"])
    centred = list(heavy - np.median(heavy) - 0.5)
    out = {
        "about": "Tukey-McLaughlin trimmed one-sample t (20% each tail), from numpy "
        + np.__version__ + " / scipy " + __import__("scipy").__version__
        + ": trimmed mean via scipy.stats.trim_mean, winsorized sd via scipy.stats.mstats.winsorize, "
        "se = s_w / ((1 - 2*trim) sqrt(n)), df = n - 2*floor(trim*n) - 1.",
        "data": {"paired_log_ratios": log_ratios, "heavy_tail_centred": centred},
        "paired_log_ratios": trimmed_t(log_ratios),
        "heavy_tail_centred": trimmed_t(centred),
    }
    with open(os.path.join(DATA, "trimmed-reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
