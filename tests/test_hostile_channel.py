"""A worker that lies on the wire cannot crash, hang or swell the grader.

Graded code runs in the worker process, so it can replace how that process
answers: these submissions find the worker's own objects on the call stack
(the worker removed ``grader`` from ``sys.modules``, as any attacker would
work around) and send replies of their own making, or swap the worker's
output file for a link or a FIFO. Each hostile reply must fail only its own
check with a one-line reason, the rest of the lesson must score what the
honest code deserves, and the grading process must finish in bounded time
and memory, exiting 1 (failures), not 3 (a grader error), with nothing left
behind.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import torch
from conftest import DATA, ROOT, Graded, processes_using, submission

from grader.sandbox import wire

pytestmark = pytest.mark.slow
L01 = "l01_tensors"
CHECKS = {  # l01's checks, by the function they call first
    "contiguous_strides": {"test_contiguous_strides_are_products_of_the_sizes_to_the_right"},
    "storage_index": {
        "test_storage_index_finds_the_books_points_1_at_position_2",
        "test_storage_index_matches_storage_offset_on_300_random_views",
    },
    "transpose_view": {
        "test_transpose_view_gives_the_books_strides_1_2_and_1_5_20",
        "test_transpose_view_matches_torch_transpose_without_calling_it",
        "test_transpose_view_shares_storage_even_with_sliced_inputs",
    },
    "broadcast_shape": {
        "test_broadcast_shape_matches_torch_on_200_random_pairs",
        "test_broadcast_shape_raises_value_error_naming_the_clashing_sizes",
    },
    "add_inplace": {"test_add_inplace_updates_y_in_its_own_memory"},
    "one_hot": {"test_one_hot_matches_f_one_hot_as_float32"},
}
# Text of the hidden suite and the reference solution (a leak starts at the grader's offset, not at line 1).
SECRETS = ("Trusted side: nothing here imports", "def test_", "import torch", "SOLUTION")
PEAK_RSS_LIMIT = 1200  # MB for the grading process itself; it holds about 600 with torch and pytest loaded
# `practice grade`, run so that the grading process reports its own peak memory when it exits
# (VmHWM, not ru_maxrss: that one keeps the peak of the process that forked it, here pytest's own)
MEASURED = (
    "import atexit, re, runpy, sys; atexit.register(lambda: print('peak rss', int(re.search("
    "r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read())[1]) // 1024, file=sys.stderr)); "
    "sys.argv[0] = 'practice'; runpy.run_module('grader', run_name='__main__', alter_sys=True)"
)

# Code a hostile submission shares: reach the worker's WorkerServer through the stack, reply with raw bytes.
WIRE = '''
import collections, io, os, pickle, struct, sys, zipfile


def _server():
    """The worker's WorkerServer object: the frame that called us has it as ``self``."""
    frame = sys._getframe()
    while frame is not None:
        found = frame.f_locals.get("self")
        if hasattr(found, "conn") and hasattr(found, "objects"):
            return found
        frame = frame.f_back
    raise RuntimeError("no server on the stack")


def _reply_with(raw):
    """Send ``raw`` (framing included) in place of this call's reply, once."""
    conn = _server().conn

    def send_bytes(blob):
        del conn.send_bytes
        view = memoryview(raw)
        while view:
            view = view[os.write(conn.fileno(), view):]

    conn.send_bytes = send_bytes


def _framed(blob):
    return struct.pack("!i", len(blob)) + blob


def _saved(value):
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()
'''

REPLIES = (
    WIRE
    + '''

def contiguous_strides(shape):
    _reply_with(struct.pack("!i", 300 << 20) + bytes(1000))  # announces 300 MiB
    return _honest["contiguous_strides"](shape)


def broadcast_shape(a, b):
    bomb = [0]
    for _ in range(6):  # 100^6 leaves once expanded, 2 KB on the wire
        bomb = [bomb] * 100
    _reply_with(_framed(_saved({"ok": True, "value": bomb})))
    return (1,)


def one_hot(labels, num_classes):
    _reply_with(_framed(_saved({"ok": True, "value": torch.zeros(1).expand(10**6, 10**6)})))  # 4 TB declared
    return _honest["one_hot"](labels, num_classes)


def storage_index(t, index):
    error = {"type": "E" * 2_000_000, "message": "Input type (" * 200_000, "where": ") and weight type (" * 100_000}
    _reply_with(_framed(_saved({"ok": False, "error": error})))
    return _honest["storage_index"](t, index)


def add_inplace(Y, X):
    _reply_with(struct.pack("!i", 1000) + bytes(10))  # a reply that never finishes arriving
    return _honest["add_inplace"](Y, X)


def _zip_bomb():
    """A torch.save archive whose one storage is 512 MiB of zeros, deflated to 0.5 MB."""
    n = 128 << 20

    class Storage:
        pass

    class Tensor:
        def __reduce__(self):
            return torch._utils._rebuild_tensor_v2, (Storage(), 0, (n,), (1,), False, collections.OrderedDict())

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return ("storage", torch.FloatStorage, "0", "cpu", n) if isinstance(obj, Storage) else None

    data = io.BytesIO()
    Pickler(data, protocol=2).dump({"ok": True, "value": Tensor()})
    out = io.BytesIO()
    limit, zipfile.ZIP_FILECOUNT_LIMIT = zipfile.ZIP_FILECOUNT_LIMIT, 0  # zip64 end records, as torch writes them
    try:
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("archive/data.pkl", data.getvalue())
            archive.writestr("archive/byteorder", "little")
            archive.writestr("archive/version", "3")
            info = zipfile.ZipInfo("archive/data/0")
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as f:
                chunk = bytes(1 << 24)
                for _ in range(32):
                    f.write(chunk)
    finally:
        zipfile.ZIP_FILECOUNT_LIMIT = limit
    return out.getvalue()


def transpose_view(t, dim0, dim1):
    global _bomb
    if "_bomb" not in globals():
        _bomb = _zip_bomb()
    _reply_with(_framed(_bomb))
    return _honest["transpose_view"](t, dim0, dim1)
'''
)
HONEST = "_honest = dict(globals())  # the reference functions, before they are replaced\n"


def grade_measured(tmp_path: Path, folder: Path, *args: str, timeout: float = 240) -> tuple[Graded, float, int]:
    """`practice grade L01 --submission FOLDER ARGS`: the result, the seconds it
    took and the grading process's peak memory in MB. Temporary files go to a
    folder of their own, which must be empty afterwards."""
    report, tmp = tmp_path / "report.json", tmp_path / "tmp"
    tmp.mkdir()
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "grade", L01, "--submission", str(folder), "--json", str(report), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TORCH_PRACTICE_DATA": str(DATA), "TMPDIR": str(tmp)},
    )
    seconds = time.monotonic() - start
    assert list(tmp.iterdir()) == [], "grading left temporary files behind"
    assert processes_using(tmp) == [], "grading left processes behind"
    peak = int(re.findall(r"peak rss (\d+)", done.stderr)[-1])
    graded = Graded(
        done.returncode, done.stdout, done.stderr, json.loads(report.read_text()) if report.exists() else None
    )
    return graded, seconds, peak


def assert_exact_score(graded: Graded, failing: set[str]) -> None:
    assert graded.failed() == failing, graded.stdout + graded.stderr
    checks = graded.checks()
    assert graded.report["score"] == sum(c["points"] for name, c in checks.items() if name not in failing)


def first_message(graded: Graded, function: str) -> str:
    return graded.checks()[min(CHECKS[function])]["message"]


@pytest.fixture(scope="module")
def replies(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("replies")
    return grade_measured(tmp_path, submission(tmp_path, L01, HONEST + REPLIES))


def test_hostile_replies_fail_only_their_checks_in_bounded_time_and_memory(replies):
    graded, seconds, peak = replies
    assert graded.code == 1, graded.stderr  # checks failed; not 3, a grader error
    assert "Traceback" not in graded.stdout + graded.stderr
    hostile = ("contiguous_strides", "broadcast_shape", "one_hot", "storage_index", "add_inplace", "transpose_view")
    assert_exact_score(graded, set().union(*(CHECKS[f] for f in hostile)))
    assert seconds < 120, f"grading took {seconds:.0f} s"
    assert peak < PEAK_RSS_LIMIT, f"the grading process grew to {peak} MB"


@pytest.mark.parametrize(
    "function, expected",
    [
        ("contiguous_strides", "contiguous_strides() sent a reply over the 256 MiB limit"),
        (
            "broadcast_shape",
            "broadcast_shape() returned data the grader cannot read: a list, tuple or dict that appears twice",
        ),
        ("one_hot", "one_hot() returned data the grader cannot read: over 256 MiB of data once decoded"),
        ("transpose_view", "returned data the grader cannot read: an archive with compressed or encrypted entries"),
        ("add_inplace", "add_inplace_facts() began a reply that did not arrive in full within 5 s"),
    ],
)
def test_each_hostile_reply_is_named_in_one_line(replies, function, expected):
    assert expected in first_message(replies[0], function)


def test_a_2_mb_error_reply_is_cut_before_any_pattern_runs_over_it(replies):
    message = first_message(replies[0], "storage_index")
    assert message.startswith("E" * 100) and len(message) < 1000
    assert replies[1] < 120  # uncut, feedback's patterns alone spent 90 s on it


# -- the output file: read through the grader's own descriptor, never by path ---------
OUTPUT = (
    WIRE
    + '''
import stat


_OUTPUT = os.readlink("/proc/self/fd/1")  # the worker's stdout: the grader's output.txt


def _repository():
    """The checkout the grader runs from: named in the worker's own command line."""
    command = open("/proc/self/cmdline", "rb").read().decode()
    return command.split("sys.path.insert(0, '")[1].split("'")[0]


def _swap(make):
    os.unlink(_OUTPUT)
    make(_OUTPUT)
    print(f"output.txt is now {stat.filemode(os.lstat(_OUTPUT).st_mode)}", flush=True)


print("hello from the import", flush=True)


def contiguous_strides(shape):
    _swap(lambda path: os.symlink(_repository() + "/grader/suites/test_l01_tensors.py", path))
    return _honest["contiguous_strides"](shape)


def storage_index(t, index):
    _swap(lambda path: os.symlink(_repository() + "/solutions/l01_tensors.py", path))
    return _honest["storage_index"](t, index)


def transpose_view(t, dim0, dim1):
    _swap(os.mkfifo)
    return _honest["transpose_view"](t, dim0, dim1)


def broadcast_shape(a, b):
    sys.stdout.flush()
    os.ftruncate(1, 0)  # the file shrinks under the grader's offset
    print("after the truncation", flush=True)
    return _honest["broadcast_shape"](a, b)
'''
)


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("output")
    return grade_measured(tmp_path, submission(tmp_path, L01, HONEST + OUTPUT))


def test_swapping_the_output_file_changes_nothing_and_reveals_nothing(output):
    graded, seconds, peak = output
    assert graded.code == 0, graded.stdout + graded.stderr
    assert_exact_score(graded, set())
    shown = graded.stdout + graded.stderr + json.dumps(graded.report)
    assert not [secret for secret in SECRETS if secret in shown]
    printed = "".join(c["output"] for c in graded.checks().values())
    assert "output.txt is now l" in printed and "output.txt is now p" in printed  # the swaps happened
    assert "after the truncation" in printed
    assert seconds < 60 and peak < PEAK_RSS_LIMIT


# -- the decoder's rules, one by one (fast, in this process) ------------------------
def saved(value) -> bytes:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        {"ok": True, "value": [torch.ones(3), (1, 2.5, "x", b"y", None, 1 + 2j), {"a": [(), ()]}, torch.float16]},
        {"ok": True, "value": {"__torch_practice_handle__": 3, "type": "Net"}},
        {"ok": True, "value": nested(wire.DEPTH_LIMIT - 2)},  # lists at depths 2 to 32,
    ],
)
def test_plain_data_decodes_as_it_was(value):
    assert str(wire.loads(saved(value))) == str(value)


@pytest.mark.parametrize(
    "value, reason",
    [
        (nested(wire.DEPTH_LIMIT + 1), "nested over"),
        ([[1, 2]] * 2, "appears twice"),
        (torch.zeros(1).expand(1 << 20, 1 << 10), "MiB of data once decoded"),
        (torch.ones(3).to_sparse(), "loads 'torch._utils _rebuild_sparse_tensor'"),
        ([0] * (wire.VALUE_LIMIT + 1), "instructions"),
        ({1.5: 0}, "keys"),
        (torch.nn.Parameter(torch.ones(2)), "loads 'torch._utils _rebuild_parameter'"),
        ({1, 2}, "loads '__builtin__ set'"),
    ],
)
def test_what_is_not_plain_data_within_the_budgets_is_refused(value, reason):
    with pytest.raises(wire.Unreadable, match=re.escape(reason)):
        wire.loads(saved(value))


def test_an_archive_with_padding_or_a_second_directory_is_refused():
    blob = saved(torch.ones(3))
    for broken in (blob + b"\0", b"\0" + blob, blob[:-2] + b"\1\0", blob[:-60]):
        with pytest.raises(wire.Unreadable):
            wire.loads(broken)


def test_a_compressed_entry_is_refused_before_it_is_inflated():
    blob = saved(torch.zeros(1 << 20))
    out = io.BytesIO()
    limit, zipfile.ZIP_FILECOUNT_LIMIT = zipfile.ZIP_FILECOUNT_LIMIT, 0  # keep torch's zip64 end records
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as copy:
            for info in source.infolist():
                kind = zipfile.ZIP_DEFLATED if "/data/" in info.filename else zipfile.ZIP_STORED
                copy.writestr(info.filename, source.read(info), compress_type=kind)
    finally:
        zipfile.ZIP_FILECOUNT_LIMIT = limit
    with pytest.raises(wire.Unreadable, match="compressed"):
        wire.loads(out.getvalue())


def test_strings_from_the_worker_are_cut():
    assert wire.clip("x" * 5000) == "x" * wire.TEXT_LIMIT + " ... [4000 characters cut]"
    assert wire.clip(["not", "a", "string"]) == ""
