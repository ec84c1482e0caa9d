"""Functions that fail in the ways `metron suite concurrency --python` must
report in one clear line each: raising on one item, a different result in
worker processes, and a result that cannot be pickled."""

import multiprocessing


def parse(item):
    """Raises on item 3, as user code with a bug does."""
    if item == 3:
        return int("three")
    return item + 1


def where(item):
    """Differs in worker processes: the answer depends on where it runs."""
    return (item, multiprocessing.parent_process() is None)


def make_counter(item):
    """Returns an instance of a local class: equal by value, but pickle cannot
    find its class, so it cannot come back from a worker process."""

    class Counter:
        def __init__(self, n):
            self.n = n

        def __eq__(self, other):
            return self.n == other.n

    return Counter(item)


# A lambda has no importable name: pickle cannot send it to a worker process.
square = lambda item: item * item  # noqa: E731
