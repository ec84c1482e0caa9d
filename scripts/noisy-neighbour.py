#!/usr/bin/env python3
"""A bursty neighbour, as the other tenants of a shared CI runner are.

Alternates bursts of 0.2-2 s of multi-threaded numeric work (numpy matrix
products and large array passes, on every core, through caches and memory
bandwidth) with sleeps of 0.2-2 s, until killed. Seeded, so two runs of a
script see the same pattern of bursts.

    python3 scripts/noisy-neighbour.py [SEED]
"""
import os
import random
import sys
import threading
import time

import numpy as np

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
threads = os.cpu_count() or 2
a = np.random.default_rng(0).random((400, 400))
big = np.random.default_rng(1).random(8_000_000)  # 64 MB: well past every cache


def burst(until: float) -> None:
    x = a.copy()
    while time.monotonic() < until:
        x = x @ a
        x /= np.abs(x).max()
        big.sum()
        np.sqrt(big, out=None)


while True:
    until = time.monotonic() + rng.uniform(0.2, 2.0)
    workers = [threading.Thread(target=burst, args=(until,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    time.sleep(rng.uniform(0.2, 2.0))
