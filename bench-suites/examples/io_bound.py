"""An I/O-bound function for `metron suite concurrency --python`: a 20 ms
wait per item (time.sleep releases the GIL, as a socket or disk read does),
so threads overlap as well as processes do, and cost less to start.

    metron suite concurrency --python bench-suites/examples/io_bound.py:fetch \
        --inputs-expr 'range(16)' --workers 2,4
"""

import time


def fetch(item):
    """Waits 20 ms, as a request to a slow server would, and answers."""
    time.sleep(0.02)
    return item * item
