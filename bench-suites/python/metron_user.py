"""The user's own workload in the metron concurrency suite: FUNC(item) for
every item, as sequential, threads, processes, thread-pool and
process-pool -- the variants of metron_suite.py, run over the user's items.

* threads: one threading.Thread per worker, all taking items from one
  shared queue;
* processes: one multiprocessing.Process per worker, items from one shared
  Queue, results through another Queue that is drained before any process
  is joined (a child that has put a large result cannot exit until it is
  read: joining first would deadlock);
* thread-pool and process-pool: concurrent.futures' executors, started once
  and reused, their map() with a stated chunksize.

The user's module is imported by path, with its directory put on sys.path
and PYTHONPATH, so workers find FUNC by module name under every start
method (fork, spawn, forkserver). Every variant's results are compared by
value (==) with the sequential results, which are computed once, untimed.
An exception in FUNC becomes one line naming the item and the exception,
followed by the traceback of the user's own frames.
"""

import concurrent.futures
import functools
import importlib
import os
import pickle
import queue
import sys
import threading
import time
import traceback

import metron_suite as suite

VARIANTS = suite.VARIANTS
HERE = os.path.dirname(os.path.abspath(__file__))


class UserError(Exception):
    """FUNC raised, or the user's module could not be used: the message is
    one line, then the user's traceback."""


# --- the user's module -------------------------------------------------------

def load(spec, what):
    """Imports FILE.py of `FILE.py:NAME` by path and returns (module, NAME's value)."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise UserError("%s %r: expected FILE.py:NAME" % (what, spec))
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    module_name, ext = os.path.splitext(filename)
    if ext != ".py" or not os.path.isfile(path):
        raise UserError("%s %r: %s is not a Python file" % (what, spec, path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
        # Workers started by spawn or a fork server import the module again by name.
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (directory, os.environ.get("PYTHONPATH")) if p)
    try:
        module = importlib.import_module(module_name)
    except BaseException as e:
        raise UserError("%s: importing %s raised %s\n%s" % (what, path, _exception_line(e), user_traceback(e)))
    found = os.path.abspath(getattr(module, "__file__", "") or "")
    if found != path:
        raise UserError("%s: the module name %r is already taken by %s; rename %s" % (what, module_name, found, path))
    if not hasattr(module, name):
        raise UserError("%s: %s has no %r" % (what, path, name))
    return module, getattr(module, name)


def load_items(inputs, expr, module):
    """The items: ITEMS() of --inputs FILE.py:ITEMS, or --inputs-expr evaluated
    in the namespace of FUNC's module."""
    try:
        if inputs:
            _, make = load(inputs, "--inputs")
            items = make() if callable(make) else make
        else:
            items = eval(expr, dict(vars(module)))  # the user's own expression, in the user's namespace
        items = list(items)
    except UserError:
        raise
    except BaseException as e:
        source = "--inputs %s" % inputs if inputs else "--inputs-expr %r" % expr
        raise UserError("%s raised %s\n%s" % (source, _exception_line(e), user_traceback(e)))
    if not items:
        raise UserError("no items: %s gave an empty list" % (inputs or expr))
    return items


def _exception_line(e):
    return "".join(traceback.format_exception_only(type(e), e)).strip().replace("\n", " ")


def user_traceback(e):
    """The traceback of `e` without the frames of metron's own scripts."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if os.path.dirname(os.path.abspath(f.filename)) != HERE]
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
    return text + "".join(traceback.format_exception_only(type(e), e))


def short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --- one call, in whichever thread or process --------------------------------

def call(func, index, item):
    """FUNC(item) as (True, result), or (False, the failure's text): an
    exception travels back as text, so it needs no pickling."""
    try:
        return (True, func(item))
    except Exception as e:
        return (False, "item %d (%s): %s\n%s" % (index, short(item), _exception_line(e), user_traceback(e)))


_last_cpu = [None]


def call_reporting(func, pair):
    """call() in a pool worker process, with the CPU time the worker spent
    since its previous report (see metron_suite.run_task_reporting)."""
    start = _last_cpu[0] if _last_cpu[0] is not None else time.process_time_ns()
    out = call(func, *pair)
    now = time.process_time_ns()
    _last_cpu[0] = now
    return out + (now - start,)


def unwrap(outcomes):
    """The results of a run, or the first failure raised as UserError."""
    outcomes = list(outcomes)
    for ok, value in outcomes:
        if not ok:
            raise UserError(value)
    return [value for _, value in outcomes]


def _process_worker(func, tasks, results):
    """Body of one multiprocessing.Process: items from `tasks` until None,
    each outcome into `results`, then its CPU time."""
    while True:
        pair = tasks.get()
        if pair is None:
            results.put(("done", os.getpid(), time.process_time_ns()))
            return
        results.put(("item", pair[0], call(func, *pair)))


# --- variants -------------------------------------------------------------------

class Sequential(suite.Sequential):
    """The reference: FUNC(item) for every item in the calling thread."""

    def __init__(self, func, workers, context, chunksize):
        self.func = func

    def run(self, items):
        return unwrap([call(self.func, i, x) for i, x in enumerate(items)])


class Threads(Sequential):
    """`workers` threading.Threads, started per run, sharing one queue of items."""

    def __init__(self, func, workers, context, chunksize):
        self.func, self.workers = func, workers

    def run(self, items):
        work = queue.SimpleQueue()
        for pair in enumerate(items):
            work.put(pair)
        outcomes = [None] * len(items)

        def target():
            while True:
                try:
                    index, item = work.get_nowait()
                except queue.Empty:
                    return
                outcomes[index] = call(self.func, index, item)

        threads = [threading.Thread(target=target) for _ in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return unwrap(outcomes)


class Processes(Sequential):
    """`workers` multiprocessing.Processes, started per run, taking items from
    one Queue and putting outcomes into another, drained before join."""

    def __init__(self, func, workers, context, chunksize):
        self.func, self.workers, self.context = func, workers, context
        self.children_report_cpu = context.get_start_method() == "forkserver"
        self.unseen_cpu_ns = 0

    def start(self):
        self.tasks = self.context.Queue()
        self.results = self.context.Queue()

    def run(self, items):
        self.unseen_cpu_ns = 0
        for pair in enumerate(items):
            self.tasks.put(pair)
        for _ in range(self.workers):
            self.tasks.put(None)
        running = {}
        try:
            for _ in range(self.workers):
                p = self.context.Process(target=_process_worker, args=(self.func, self.tasks, self.results))
                p.start()
                running[p.pid] = p
            outcomes = self._drain(running, len(items))
        except BaseException:
            suite._abandon(running)
            raise
        for p in running.values():
            p.join()
            if p.exitcode != 0:
                raise suite.WorkerFailed("worker process %d %s" % (p.pid, suite._ending(p.exitcode)))
        return unwrap(outcomes)

    def _drain(self, running, n):
        """Every outcome and every worker's goodbye, before anything is joined."""
        outcomes, done = [None] * n, 0
        while done < len(running):
            try:
                message = self.results.get(timeout=0.05)
            except queue.Empty:
                for p in running.values():
                    if p.exitcode not in (None, 0):
                        raise suite.WorkerFailed("worker process %d %s" % (p.pid, suite._ending(p.exitcode)))
                continue
            if message[0] == "item":
                outcomes[message[1]] = message[2]
            else:
                done += 1
                if self.children_report_cpu:
                    self.unseen_cpu_ns += message[2]
        lost = [i for i, o in enumerate(outcomes) if o is None]
        if lost:
            raise suite.WorkerFailed("the results of %d items were lost (item %d first)" % (len(lost), lost[0]))
        return outcomes

    def stop(self):
        for q in (getattr(self, "tasks", None), getattr(self, "results", None)):
            if q is not None:
                q.close()


class ThreadPool(suite.ThreadPool):
    """ThreadPoolExecutor.map with `workers` threads, started once."""

    def __init__(self, func, workers, context, chunksize):
        suite.ThreadPool.__init__(self, workers, context)
        self.func = func

    def run(self, items):
        return unwrap(self.executor.map(functools.partial(call, self.func), range(len(items)), items))


class ProcessPool(suite.ProcessPool):
    """ProcessPoolExecutor.map with `workers` processes, started once, items
    sent `chunksize` at a time; each outcome carries its worker's CPU time."""

    def __init__(self, func, workers, context, chunksize):
        suite.ProcessPool.__init__(self, workers, context)
        self.func, self.chunksize = func, chunksize

    def run(self, items):
        try:
            outcomes = list(self.executor.map(functools.partial(call_reporting, self.func), enumerate(items),
                                              chunksize=self.chunksize))
        except concurrent.futures.process.BrokenProcessPool as e:
            raise suite.WorkerFailed("the process pool broke: %s" % e)
        self.unseen_cpu_ns = sum(o[2] for o in outcomes)
        return unwrap([o[:2] for o in outcomes])


CLASSES = dict(zip(suite.VARIANTS, (Sequential, Threads, Processes, ThreadPool, ProcessPool)))


def default_chunksize(items, workers):
    """multiprocessing.Pool.map's rule: about four chunks per worker."""
    chunks, extra = divmod(items, 4 * workers)
    return max(1, chunks + (1 if extra else 0))


# --- the workload ------------------------------------------------------------------

class UserWorkload:
    """FUNC over the items under one variant: what `run n` times."""

    def __init__(self, args, context):
        module, self.func = load(args.user, "--python")
        if not callable(self.func):
            raise UserError("--python %s: %r is not a function" % (args.user, self.func))
        self.items = load_items(args.inputs, args.inputs_expr, module)
        self.expected = Sequential(self.func, 1, context, 1).run(self.items)
        self.label = args.variant if args.variant == "sequential" else "%s ×%d" % (args.variant, args.workers)
        chunksize = args.chunksize or default_chunksize(len(self.items), args.workers)
        if args.variant in ("processes", "process-pool"):
            refusal = unpicklable(self.func, self.items, self.expected, args.user.rpartition(":")[2])
            if refusal:
                raise UserError(refusal)
        self.variant = CLASSES[args.variant](self.func, args.workers, context, chunksize)

    def once(self):
        """One timed run: (wall ns, cpu ns); the results are checked untimed."""
        results, wall, cpu = suite.timed_run(self.variant, self.items)
        self.check(results)
        return wall, cpu

    def check(self, results):
        if len(results) != len(self.expected):
            raise suite.WorkerFailed("%d results for %d items" % (len(results), len(self.expected)))
        for i, (got, want) in enumerate(zip(results, self.expected)):
            if not (got == want):
                raise suite.WorkerFailed("wrong result for item %d (%s) under %s: %s, sequential gave %s"
                                         % (i, short(self.items[i]), self.label, short(got), short(want)))


def unpicklable(func, items, results, name):
    """Why FUNC (called `name`), an item or a result cannot go to another
    process, or None."""
    try:
        pickle.loads(pickle.dumps(func))
    except Exception as e:
        return ("%s cannot be pickled (%s), so it cannot be sent to a worker process; define it as a "
                "module-level function (no lambda, no nested function)" % (name, _exception_line(e)))
    for what, values in (("item", items), ("result", results)):
        for i, v in enumerate(values):
            try:
                pickle.dumps(v)
            except Exception as e:
                return ("the %s of item %d (%s) cannot be pickled (%s), so it cannot cross to or from a worker "
                        "process; use a module-level function that takes and returns plain data"
                        % (what, i, short(v), _exception_line(e)))
    return None


def probe(args, context):
    """What metron needs to know before it measures: the item count, the
    start method and chunksize, what pickling costs, and whether the process
    variants can run at all. One JSON object."""
    module, func = load(args.user, "--python")
    items = load_items(args.inputs, args.inputs_expr, module)
    t0 = time.perf_counter_ns()
    results = Sequential(func, 1, context, 1).run(items)
    sequential_ns = time.perf_counter_ns() - t0
    out = {"items": len(items), "start_method": context.get_start_method(), "sequential_ns": sequential_ns,
           "function": getattr(func, "__qualname__", args.user), "module": os.path.abspath(module.__file__)}
    refusal = unpicklable(func, items, results, args.user.rpartition(":")[2])
    if refusal:
        out["unpicklable"] = refusal
    else:
        out["pickle"] = {"items": pickle_cost(items), "results": pickle_cost(results)}
    return out


def pickle_cost(values):
    """Bytes and ns per value of pickle.dumps + pickle.loads: what moving it to
    or from a worker process costs besides the pipe (median of 5 rounds)."""
    times, size = [], 0
    for _ in range(5):
        t0 = time.perf_counter_ns()
        size = 0
        for v in values:
            data = pickle.dumps(v)
            pickle.loads(data)
            size += len(data)
        times.append(time.perf_counter_ns() - t0)
    times.sort()
    return {"ns_per_value": times[2] / len(values), "bytes_per_value": size / len(values)}
