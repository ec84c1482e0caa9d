"""A CPU-bound function for `metron suite concurrency --python`: a pure-Python
loop of about 20 ms per item on a current machine. Under the GIL, threads
take turns running it; processes run it in parallel.

    metron suite concurrency --python bench-suites/examples/cpu_bound.py:collatz_steps \
        --inputs bench-suites/examples/cpu_bound.py:items --workers 2,4
"""

LOOPS = 200_000


def collatz_steps(start):
    """Total Collatz steps of start, start+1, ... until LOOPS steps are done: pure bytecode."""
    n, steps, total = start, 0, 0
    while steps < LOOPS:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
        if n == 1:
            total += steps
            n = start + steps
    return total + n


def items():
    """16 items."""
    return list(range(27, 27 + 16))
