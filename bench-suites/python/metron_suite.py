"""The metron concurrency suite in CPython: the same four workloads as the
Rust suite (bench-suites/src/workload), run with threading.Thread,
multiprocessing.Process with a Queue, and concurrent.futures'
ThreadPoolExecutor and ProcessPoolExecutor.

Every number here is computed exactly as in Rust (see
bench-suites/src/workload/checksum.rs), so metron computes the checksum a
Python run must reach and suite_driver.py refuses a run that does not.

This is where the global interpreter lock shows: a thread holds the GIL
while it runs Python bytecode, so CPU-bound threads take turns instead of
running in parallel, while processes each have an interpreter (and a GIL)
of their own. Waiting (time.sleep, file reads) releases the GIL, so for
waiting tasks threads overlap as well as processes do, and cost far less to
start.

Importable on purpose: pool workers find run_task and friends by module name
whatever the multiprocessing start method (fork, spawn, forkserver).
"""

import collections
import concurrent.futures
import multiprocessing
import os
import queue
import resource
import threading
import time
import zlib

MASK = (1 << 64) - 1
MIX_MUL = 0x9E3779B97F4A7C15
MIX_ADD = 0x632BE59BD9B4E019

# Workers misbehave on purpose when this is set (crash, exit, wrong; raise-first:
# the process of task 0 raises), so the
# failure path can be tested; the same variable as the Rust workers honour.
FAULT_ENV = "METRON_SUITE_FAULT"

VARIANTS = ("sequential", "threads", "processes", "thread-pool", "process-pool")


# --- the arithmetic shared with Rust ---------------------------------------

def mix(x):
    """One step of the hash chain: xor-shift, multiply, add, modulo 2**64."""
    return ((x ^ (x >> 31)) * MIX_MUL + MIX_ADD) & MASK


def chain(x, steps):
    """steps hash steps from x (mix inlined: this loop is the cpu workload)."""
    for _ in range(steps):
        x = ((x ^ (x >> 31)) * MIX_MUL + MIX_ADD) & MASK
    return x


def seed(index):
    return ((index + 1) * MIX_MUL) & MASK


_BASE = bytes(range(256))


def pattern(rotation, n):
    """n bytes counting up from rotation, modulo 256."""
    r = rotation % 256
    block = _BASE[r:] + _BASE[:r]
    return (block * (n // 256 + 1))[:n]


TABLE = bytes((b * 167 + 13) % 256 for b in range(256))


def fold(h, value, data):
    h = mix(h ^ value)
    h = mix(h ^ zlib.adler32(data))
    return mix(h ^ len(data))


def file_name(task, file):
    return "t%d-f%d.bin" % (task, file)


def file_content(task, file, nbytes):
    return pattern(7 * task + 13 * file, nbytes)


# --- tasks --------------------------------------------------------------------

Task = collections.namedtuple("Task", "index steps wait files input")


def make_tasks(spec, directory):
    """The tasks of a workload; io files are written into directory."""
    tasks = []
    for t in range(spec["tasks"]):
        paths = []
        for f in range(spec["files"]):
            path = os.path.join(directory, file_name(t, f))
            with open(path, "wb") as out:
                out.write(file_content(t, f, spec["file_bytes"]))
            paths.append(path)
        data = pattern(7 * t, spec["bytes"]) if spec["bytes"] else b""
        tasks.append(Task(t, spec["steps"], spec["wait_us"] / 1e6, tuple(paths), data))
    return tasks


def run_task(task):
    """Runs one task: compute, wait, read, transform. Returns
    (index, value, data, pid)."""
    value = chain(seed(task.index), task.steps)
    if task.wait > 0:
        time.sleep(task.wait)
    for path in task.files:
        with open(path, "rb") as f:
            value = mix(value ^ zlib.adler32(f.read()))
    data = task.input.translate(TABLE) if task.input else b""
    return (task.index, value, data, os.getpid())


def checksum(outputs):
    h = 0
    for (_, value, data, _) in outputs:
        h = fold(h, value, data)
    return h


def _misbehave():
    """In a worker process only: fail as FAULT_ENV asks."""
    fault = os.environ.get(FAULT_ENV)
    if fault == "crash":
        os.abort()
    if fault == "exit":
        os._exit(3)
    return fault == "wrong"


def _child_task(task):
    if os.environ.get(FAULT_ENV) == "raise-first" and task.index == 0:
        raise RuntimeError("task 0 failed on purpose")
    out = run_task(task)
    if _misbehave():
        out = (out[0], out[1] ^ 1) + out[2:]
    return out


_last_cpu = [None]


def run_task_reporting(task):
    """run_task in a pool worker process, with the CPU time this worker spent
    since its previous report (so unpickling the task and pickling the
    previous result count too): the parent's clocks cannot see a worker
    that is never reaped while it measures."""
    start = _last_cpu[0] if _last_cpu[0] is not None else time.process_time_ns()
    out = _child_task(task)
    now = time.process_time_ns()
    _last_cpu[0] = now
    return out + (now - start,)


def _process_main(results, task):
    """Body of one multiprocessing.Process: run the task, put the result
    with the CPU time this process spent (see Processes on when it counts)."""
    try:
        out = _child_task(task)
        results.put(("ok", out + (time.process_time_ns(),)))
    except BaseException as e:  # report, never hang the parent
        results.put(("error", (task.index, "%s: %s" % (type(e).__name__, e))))


def _noop(_):
    return os.getpid()


# --- variants ------------------------------------------------------------------

class WorkerFailed(Exception):
    """A worker thread or process failed; the message says which and how."""


class Sequential:
    """The reference: every task in the calling thread, one after another."""

    unseen_cpu_ns = 0

    def __init__(self, workers, context):
        pass

    def start(self):
        pass

    def run(self, tasks):
        return [run_task(t) for t in tasks]

    def stop(self):
        pass


class Threads(Sequential):
    """One threading.Thread per task, at most `workers` alive: when the
    window is full, the oldest is joined before the next starts."""

    def __init__(self, workers, context):
        self.workers = workers

    def run(self, tasks):
        results = [None] * len(tasks)

        def target(task):
            try:
                results[task.index] = run_task(task)
            except BaseException as e:
                results[task.index] = e

        running = collections.deque()
        for t in tasks:
            if len(running) == self.workers:
                running.popleft().join()
            thread = threading.Thread(target=target, args=(t,))
            thread.start()
            running.append(thread)
        while running:
            running.popleft().join()
        for i, r in enumerate(results):
            if isinstance(r, BaseException):
                raise WorkerFailed("thread of task %d: %s: %s" % (i, type(r).__name__, r))
        return results


class Processes(Sequential):
    """One multiprocessing.Process per task, results through one Queue, at
    most `workers` alive.

    The result is taken from the queue *before* the process is joined: a
    child that has put a large object cannot exit until it is read, so
    joining first deadlocks (the Python form of the full-pipe deadlock)."""

    def __init__(self, workers, context):
        self.workers = workers
        self.context = context
        self.results = context.Queue()
        # Children started by a fork server are the server's, not ours:
        # RUSAGE_CHILDREN never sees them, so their own report counts instead
        # (under fork and spawn they are reaped here and counted by cpu_ns).
        self.children_report_cpu = context.get_start_method() == "forkserver"
        self.unseen_cpu_ns = 0

    def run(self, tasks):
        self.unseen_cpu_ns = 0
        results = [None] * len(tasks)
        running = {}
        try:
            for t in tasks:
                if len(running) == self.workers:
                    self._reap_one(running, results)
                p = self.context.Process(target=_process_main, args=(self.results, t))
                p.start()
                running[t.index] = p
            while running:
                self._reap_one(running, results)
        except BaseException:
            _abandon(running)
            raise
        return results

    def _reap_one(self, running, results):
        while True:
            try:
                kind, payload = self.results.get(timeout=0.05)
                break
            except queue.Empty:
                for index, p in running.items():
                    if p.exitcode is not None and p.exitcode != 0:
                        p.join()
                        del running[index]
                        raise WorkerFailed("process of task %d (pid %d) %s" % (index, p.pid, _ending(p.exitcode)))
        if kind == "error":
            raise WorkerFailed("process of task %d reported %s" % payload)
        index, cpu = payload[0], payload[-1]
        results[index] = payload[:-1]
        if self.children_report_cpu:
            self.unseen_cpu_ns += cpu
        p = running.pop(index)
        p.join()
        if p.exitcode != 0:
            raise WorkerFailed("process of task %d (pid %d) %s after answering" % (index, p.pid, _ending(p.exitcode)))

    def stop(self):
        self.results.close()


def _abandon(running):
    """Stops the children still running after a failure. One blocked writing
    a large result into the full queue would never exit, and the interpreter
    joins every child at exit: without this the driver would hang."""
    for p in running.values():
        p.terminate()
    for p in running.values():
        p.join(5)
        if p.exitcode is None:
            p.kill()
            p.join()
    running.clear()


def _ending(exitcode):
    if exitcode < 0:
        return "was killed by signal %d" % -exitcode
    return "exited with status %d" % exitcode


class ThreadPool(Sequential):
    """concurrent.futures.ThreadPoolExecutor with `workers` threads, made once."""

    def __init__(self, workers, context):
        self.workers = workers
        self.executor = None

    def start(self):
        # The executor starts threads lazily, one per submit that finds none
        # idle: tasks that wait for each other at a barrier keep every thread
        # busy, so all `workers` threads exist before the first timed run.
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=self.workers)
        barrier = threading.Barrier(self.workers)
        list(self.executor.map(lambda _: barrier.wait(timeout=30), range(self.workers)))

    def run(self, tasks):
        return list(self.executor.map(run_task, tasks))

    def stop(self):
        self.executor.shutdown(wait=True)


class ProcessPool(Sequential):
    """concurrent.futures.ProcessPoolExecutor with `workers` processes,
    started once and reused; each result carries its worker's CPU time."""

    def __init__(self, workers, context):
        self.workers = workers
        self.context = context
        self.executor = None
        self.unseen_cpu_ns = 0

    def start(self):
        self.executor = concurrent.futures.ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context)
        list(self.executor.map(_noop, range(self.workers)))

    def run(self, tasks):
        try:
            outputs = list(self.executor.map(run_task_reporting, tasks))
        except concurrent.futures.process.BrokenProcessPool as e:
            raise WorkerFailed("the process pool broke: %s" % e)
        self.unseen_cpu_ns = sum(o[4] for o in outputs)
        return [o[:4] for o in outputs]

    def stop(self):
        self.executor.shutdown(wait=True)


CLASSES = {
    "sequential": Sequential,
    "threads": Threads,
    "processes": Processes,
    "thread-pool": ThreadPool,
    "process-pool": ProcessPool,
}


def timed_run(variant, tasks):
    """One timed run of `variant` over `tasks`: (outputs, wall ns, cpu ns),
    the CPU including children and what pool workers reported."""
    cpu0 = cpu_ns()
    wall0 = time.perf_counter_ns()
    outputs = variant.run(tasks)
    wall = time.perf_counter_ns() - wall0
    return outputs, wall, cpu_ns() - cpu0 + variant.unseen_cpu_ns


def make_variant(name, workers, context=None):
    return CLASSES[name](workers, context or multiprocessing.get_context())


# --- clocks -------------------------------------------------------------------

def cpu_ns():
    """CPU time of this process (all threads) plus reaped children, in ns."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time_ns() + int((children.ru_utime + children.ru_stime) * 1e9)
