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
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
import traceback

import metron_suite as suite


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
        cpu0 = suite.cpu_ns()
        wall0 = time.perf_counter_ns()
        outputs = self.variant.run(self.tasks)
        wall = time.perf_counter_ns() - wall0
        cpu = suite.cpu_ns() - cpu0 + self.variant.unseen_cpu_ns
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
        cpu0 = suite.cpu_ns()
        wall0 = time.perf_counter_ns()
        self.variant.run(self.tasks)
        return time.perf_counter_ns() - wall0, suite.cpu_ns() - cpu0 + self.variant.unseen_cpu_ns


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
            error("%s: %s" % (type(e).__name__, e) if isinstance(e, suite.WorkerFailed) else traceback.format_exc())
            return
        reply("ok %d %d %d" % (n, wall, cpu))


def main(argv):
    args = parse_args(argv)
    directory = tempfile.mkdtemp(prefix="metron-suite-py-")
    bench = None
    try:
        try:
            bench = Spawn(args.spawn) if args.spawn else Workload(args, directory)
            bench.variant.start()
        except Exception:
            error(traceback.format_exc())
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
