# metron's Python snippet driver. It speaks the driver protocol described in
# harness/core/src/routine/driver.rs: run the setup once, print `ready`, then
# answer every `run <n>` with `ok <n> <wall_ns> <cpu_ns>`.
#
# Started as `python3 -c <this file> SETUP STMT`. The timed loop is built
# the way timeit.Timer builds it (a generated function whose body is
# `for _ in it: STMT`, so there is no call per iteration, and names from the
# setup that the statement uses are its fast locals), timed with
# perf_counter_ns and process_time_ns, with the garbage collector off.
# Unlike timeit the setup runs once, not once per sample: the statement sees
# its state carried over from earlier samples, as repeated runs of any loop do.
import ast
import gc
import itertools
import json
import keyword
import linecache
import os
import signal
import sys
import time
import traceback

SNIPPET_FILES = ("<setup>", "<stmt>")


def open_protocol():
    """Keeps the real stdin and stdout for the protocol and points fds 0 and
    1 at /dev/null, so that nothing the snippet reads or prints (even from C)
    can interleave with replies."""
    proto_in = os.fdopen(os.dup(0), "r")
    proto_out = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    return proto_in, proto_out


def remember_source(name, source):
    """Lets tracebacks show the snippet's own lines under their line numbers."""
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)


def format_error(exc):
    """The traceback from the snippet's first frame on (the driver's own
    frames are noise); a SyntaxError shows the line and the caret."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in SNIPPET_FILES:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb)).rstrip("\n")


def describe_error(exc):
    """The message of an `error` reply: one line that says what happened and
    where, then the traceback. A syntax error in the snippet says which part
    does not compile; anything else names the exception and the snippet line
    it came from, the last one in the traceback."""
    text = format_error(exc)
    if isinstance(exc, SyntaxError) and exc.filename in SNIPPET_FILES:
        part = "setup" if exc.filename == "<setup>" else "statement"
        return f"the {part} does not compile:\n{text}"
    summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
    where = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__) if f.filename in SNIPPET_FILES]
    if where:
        name, line = where[-1]
        summary += f" (at line {line} of the {'setup' if name == '<setup>' else 'statement'})"
    return f"{summary}\n{text}"


class Interrupted(Exception):
    """Ctrl-C reached this driver: metron is stopping, so the driver stops too.
    A KeyboardInterrupt the snippet raises itself is an error like any other."""


def on_sigint(signum, frame):
    # Once is enough: metron may pass on a Ctrl-C the terminal already sent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Interrupted()


def names_used(code):
    """Every name a code object (and the code nested in it) refers to."""
    names = set(code.co_names) | set(code.co_varnames) | set(code.co_cellvars) | set(code.co_freevars)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= names_used(const)
    return names


TEMPLATE = """
def inner(_metron_it, _metron_ns, _metron_wall, _metron_cpu):
    _metron_c0 = _metron_cpu()
    _metron_t0 = _metron_wall()
    for _metron_i in _metron_it:
        pass
    _metron_t1 = _metron_wall()
    _metron_c1 = _metron_cpu()
    return _metron_t1 - _metron_t0, _metron_c1 - _metron_c0
"""


def build_loop(stmt, namespace, bound):
    """Compiles `for _ in it: STMT` inside a function whose locals start as
    the setup's values of `bound` (written back after each loop). The
    statement's nodes keep their own line numbers in `<stmt>`."""
    body = ast.parse(stmt, "<stmt>", "exec").body or [ast.Pass()]
    tree = ast.parse(TEMPLATE, "<stmt>", "exec")
    func = tree.body[0]
    loop = next(node for node in func.body if isinstance(node, ast.For))
    loop.body = body
    if bound:
        load = "".join(f"    {n} = _metron_ns[{n!r}]\n" for n in bound)
        store = f"    _metron_ns.update((k, v) for k, v in locals().items() if k in {tuple(bound)!r})\n"
        prologue = ast.parse(f"def f():\n{load}", "<stmt>").body[0].body
        epilogue = ast.parse(f"def f():\n{store}", "<stmt>").body[0].body
        func.body = prologue + func.body[:-1] + epilogue + func.body[-1:]
    ast.fix_missing_locations(tree)
    code = compile(tree, "<stmt>", "exec")
    scope = {}
    exec(code, namespace, scope)
    return scope["inner"]


def prepare(setup, stmt):
    """Runs the setup once and returns the timed loop; raises what the
    snippet raised (SyntaxError included)."""
    remember_source("<setup>", setup)
    remember_source("<stmt>", stmt)
    setup_code = compile(setup, "<setup>", "exec")
    stmt_code = compile(stmt, "<stmt>", "exec")
    namespace = {"__name__": "__main__"}
    exec(setup_code, namespace)
    used = names_used(stmt_code)
    bound = sorted(n for n in namespace if n in used and n.isidentifier() and not keyword.iskeyword(n)
                   and not n.startswith("__"))
    try:
        return build_loop(stmt, namespace, bound), namespace
    except SyntaxError:
        # e.g. `global x` in the statement: fall back to plain global names.
        return build_loop(stmt, namespace, []), namespace


def timed(inner, namespace, n):
    """Runs the loop n times with the collector off, as timeit does."""
    it = itertools.repeat(None, n)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return inner(it, namespace, time.perf_counter_ns, time.process_time_ns)
    finally:
        if gc_was_enabled:
            gc.enable()


def main():
    setup, stmt = sys.argv[1], sys.argv[2]
    del sys.argv[1:]
    proto_in, proto_out = open_protocol()
    signal.signal(signal.SIGINT, on_sigint)

    def reply(line):
        proto_out.write(line + "\n")
        proto_out.flush()

    try:
        inner, namespace = prepare(setup, stmt)
    except Interrupted:
        sys.exit(130)
    except BaseException as exc:
        reply("error " + json.dumps(describe_error(exc)))
        return
    reply("ready")
    for line in proto_in:
        words = line.split()
        if words[:1] == ["quit"]:
            return
        if len(words) != 2 or words[0] != "run" or not words[1].isdigit():
            reply("error " + json.dumps(f"unknown request: {line.strip()!r}"))
            continue
        n = int(words[1])
        try:
            wall, cpu = timed(inner, namespace, n)
        except Interrupted:
            sys.exit(130)
        except BaseException as exc:
            reply("error " + json.dumps(describe_error(exc)))
            continue
        reply(f"ok {n} {wall} {cpu}")


try:
    main()
except Interrupted:
    sys.exit(130)
