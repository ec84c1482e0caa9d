"""A metron driver for the Python concurrency suite.

Speaks metron's driver protocol (harness/core/src/routine/driver.rs): sets
up one workload and one variant -- pools are started here, once, untimed --
prints `ready`, then answers `run <n>` with `ok <n> <wall_ns> <cpu_ns>`
after running the whole workload n times, or `error "<json>"`. Interpreter
start-up is never timed.

Every run's checksum is compared with --expected (computed by metron from
the same spec), so a variant that computes a different answer fails.

    suite_driver.py --workload cpu --variant threads --workers 2 --tasks 8
                    --steps 20000 --expected 0x1234...
    suite_driver.py --spawn thread|process
    suite_driver.py --user FILE.py:FUNC --inputs-expr 'range(16)' --variant
                    process-pool --workers 2 [--start-method spawn] [--probe]

With --user, the workload is the user's FUNC over the items (see
metron_user.py); --probe prints what metron needs to know before measuring
(one JSON object) instead of speaking the protocol.
"""

import argparse
import json
import multiprocessing
import shutil
import sys
import tempfile
import traceback

import metron_suite as suite
import metron_user as user


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", default="cpu")
    p.add_argument("--variant", choices=suite.VARIANTS, default="sequential")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--tasks", type=int, default=8)
    p.add_argument("--steps", type=int, default=0)
    p.add_argument("--wait-us", type=int, default=0)
    p.add_argument("--files", type=int, default=0)
    p.add_argument("--file-bytes", type=int, default=0)
    p.add_argument("--bytes", type=int, default=0)
    p.add_argument("--expected", default=None, help="checksum every run must reach (hex)")
    p.add_argument("--spawn", choices=("thread", "process"), default=None,
                   help="time starting one thread or process instead of a workload")
    p.add_argument("--user", default=None, help="FILE.py:FUNC, the user's function run on every item")
    p.add_argument("--inputs", default=None, help="FILE.py:ITEMS, a function returning the items")
    p.add_argument("--inputs-expr", default=None, help="an expression giving the items, e.g. 'range(16)'")
    p.add_argument("--start-method", choices=("fork", "spawn", "forkserver"), default=None)
    p.add_argument("--chunksize", type=int, default=0, help="items per ProcessPoolExecutor.map chunk (0: Pool's rule)")
    p.add_argument("--probe", action="store_true", help="print the user workload's facts as JSON and exit")
    return p.parse_args(argv)


def reply(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def error(message):
    reply("error " + json.dumps(message))


class Workload:
    """One workload under one variant: what `run n` times."""

    def __init__(self, args, directory):
        spec = {"tasks": args.tasks, "steps": args.steps, "wait_us": args.wait_us, "files": args.files,
                "file_bytes": args.file_bytes, "bytes": args.bytes}
        self.tasks = suite.make_tasks(spec, directory)
        self.expected = int(args.expected, 16) if args.expected else None
        self.variant = suite.make_variant(args.variant, args.workers)

    def once(self):
        """One timed run: (wall ns, cpu ns); the checksum is checked untimed."""
        outputs, wall, cpu = suite.timed_run(self.variant, self.tasks)
        self.check(outputs)
        return wall, cpu

    def check(self, outputs):
        if len(outputs) != len(self.tasks) or any(o is None or o[0] != i for i, o in enumerate(outputs)):
            raise suite.WorkerFailed("wrong result: results missing or in the wrong slots")
        got = suite.checksum(outputs)
        if self.expected is not None and got != self.expected:
            raise suite.WorkerFailed("wrong result: checksum %#018x, expected %#018x" % (got, self.expected))


class Spawn:
    """Starting one thread or process with an empty task, as the variants do per task."""

    def __init__(self, kind):
        self.variant = suite.make_variant("threads" if kind == "thread" else "processes", 1)
        self.tasks = [suite.Task(0, 0, 0.0, (), b"")]

    def once(self):
        _, wall, cpu = suite.timed_run(self.variant, self.tasks)
        return wall, cpu


def serve(bench):
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            return
        if parts[0] != "run" or len(parts) != 2:
            error("unknown request: %r" % line.strip())
            continue
        n = int(parts[1])
        try:
            wall = cpu = 0
            for _ in range(n):
                w, c = bench.once()
                wall += w
                cpu += c
        except Exception as e:  # report and stop: the variant has failed
            error(describe(e))
            return
        reply("ok %d %d %d" % (n, wall, cpu))


def describe(e):
    """A failure for metron: the user's error as it is, a worker's failure in
    one line, anything else (a bug here) with its traceback."""
    if isinstance(e, user.UserError):
        return str(e)
    if isinstance(e, suite.WorkerFailed):
        return "%s: %s" % (type(e).__name__, e)
    return traceback.format_exc()


def make_bench(args, directory):
    if args.spawn:
        return Spawn(args.spawn)
    if args.user:
        return user.UserWorkload(args, multiprocessing.get_context(args.start_method))
    return Workload(args, directory)


def probe(args):
    try:
        facts = user.probe(args, multiprocessing.get_context(args.start_method))
    except Exception as e:
        facts = {"error": describe(e)}
    reply(json.dumps(facts))
    return 0


def main(argv):
    args = parse_args(argv)
    if args.probe:
        return probe(args)
    directory = tempfile.mkdtemp(prefix="metron-suite-py-")
    bench = None
    try:
        try:
            bench = make_bench(args, directory)
            bench.variant.start()
        except Exception as e:
            error(describe(e))
            return 1
        reply("ready")
        serve(bench)
        return 0
    finally:
        if bench is not None:
            try:
                bench.variant.stop()
            except Exception:
                pass
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
