"""Files exchanged with the student's code cannot turn the grader against itself.

The worker may write one folder, the scratch folder, and can put a link, a
FIFO or a pickle under any name there at any time, from a thread that keeps
running between calls. The grader never opens a path in it: what it writes
for the student's code goes, created exclusively, into an inbox the worker can
read but not write (``Student.put_file``), and what the student's code wrote
comes back as bytes read inside the worker (``Student.read_file``), decoded
with ``load_plain``.

Each attack is a real submission graded through ``practice grade``: the
reference solution plus a thread that swaps links to a canary file, FIFOs and
pickles that would create a folder outside the sandbox if they ran in the
grader. The score must be exactly what the honest part deserves, the canary
unchanged, the folder never created, nothing left behind, and grading quick.
"""

from __future__ import annotations

import io
import os
import pickle
import time
import zipfile
from pathlib import Path

import pytest
import torch
from conftest import DATA, grade, processes_using, submission

from grader.sandbox import confine
from grader.sandbox.errors import StudentError
from grader.sandbox.host import WorkerConfig, WorkerProcess
from grader.sandbox.proxies import READ_BACK_LIMIT, Student, write_new
from grader.sandbox.wire import load_plain, torch_bytes

pytestmark = pytest.mark.skipif(
    confine.landlock_abi() == 0,
    reason="needs Landlock: without it the worker can write "
    "any file the grader can, canary included (see README, Security model)",
)
CANARY_TEXT = "the canary: a file outside the sandbox\n"
TIME_LIMIT = 120  # seconds for one lesson; honest grading takes about ten

# Appended to the reference solution, before the lesson's own part. _learn(path) is called with every path
# the grader hands the student's code: at once it plants links to the canary under the names the suites used
# in that folder (the grader's next write by one of those names would follow them), then a thread keeps
# swapping links, FIFOs fed with the pickle, and the pickle itself under those names and every other file
# there, except the files the honest code writes itself (swapping those only costs its own checks).
HOSTILE = """
import os, pickle, stat, threading, time

_ROOT, _CANARY, _PWNED = {root!r}, {canary!r}, {pwned!r}
_NAMES = {names!r}  # what the suites once read and wrote by name in the scratch folder
_OURS = {ours!r}


class _Payload:
    def __reduce__(self):
        return (os.mkdir, (_PWNED,))  # only a process that may write outside the sandbox can do it: the grader


_EVIL = pickle.dumps(_Payload())
_folders = []


def _targets(folder):
    try:
        names = set(os.listdir(folder)) | set(_NAMES)
    except OSError:
        names = set(_NAMES)
    return [os.path.join(folder, name) for name in sorted(names - set(_OURS))]


def _swap(path, kind):
    try:
        if os.path.lexists(path):
            if stat.S_ISFIFO(os.lstat(path).st_mode):  # someone may be waiting on it: hand them the pickle
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                os.write(fd, _EVIL)
                os.close(fd)
            os.unlink(path)
        if kind == 0:
            os.symlink(_CANARY, path)
        elif kind == 1:
            os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(_EVIL)
    except OSError:
        pass  # the inbox refuses all of it


def _learn(path):
    folder = os.path.dirname(os.path.abspath(str(path)))
    if folder.startswith(_ROOT) and folder not in _folders:  # the grader's temporary folders, never the data
        _folders.append(folder)
        for target in _targets(folder):
            _swap(target, 0)


def _attack():
    kind = 0
    while True:
        for folder in list(_folders):
            for target in _targets(folder):
                _swap(target, kind)
        kind = (kind + 1) % 3
        time.sleep(0.005)


threading.Thread(target=_attack, daemon=True).start()
"""

L01 = """
_save, _load = save_tensor, load_tensor


def save_tensor(t, path):
    _learn(path)
    _save(t, path)
    if isinstance(t, torch.Tensor):  # then leave a link to the canary where the file was
        os.unlink(path)
        os.symlink(_CANARY, path)


def load_tensor(path):
    _learn(path)
    return _load(path)
"""

L09 = """
class DiabetesDataset(DiabetesDataset):
    def __init__(self, path):
        _learn(path)
        super().__init__(path)
"""

L12 = """
_save, _load = save_weights, load_weights


def save_weights(model, path):
    _learn(path)
    _save(model, path + ".real")
    torch.save(_Payload(), path)  # what the grader reads back: a torch file that runs code


def load_weights(model_cls, path):
    _learn(path)
    real = path + ".real"
    return _load(model_cls, real if os.path.exists(real) else path)
"""


def hostile(tmp_path: Path, lesson: str, code: str, names: list[str], ours: list[str]) -> Path:
    """A submission folder for ``lesson``: the reference solution, the attack, then ``code``."""
    attack = HOSTILE.format(
        root=str(tmp_path), canary=str(tmp_path / "canary.txt"), pwned=str(tmp_path / "pwned"), names=names, ours=ours
    )
    return submission(tmp_path, lesson, attack + code)


def graded_safely(tmp_path: Path, lesson: str, folder: Path, *args: str):
    """Grade ``folder`` with the grader's temporary files in a folder of their
    own; check what must hold whatever the score: the canary unchanged, no
    code run outside the sandbox, nothing left behind, bounded time."""
    canary, grader_tmp = tmp_path / "canary.txt", tmp_path / "grader-tmp"
    canary.write_text(CANARY_TEXT)
    grader_tmp.mkdir()  # its scratch folder and inbox go here
    started = time.monotonic()
    graded = grade(
        lesson,
        "--submission",
        str(folder),
        *args,
        tmp_path=tmp_path,
        env={"TMPDIR": str(grader_tmp)},
        timeout=2 * TIME_LIMIT,
    )
    assert time.monotonic() - started < TIME_LIMIT
    assert graded.report is not None, graded.stderr
    assert canary.read_text() == CANARY_TEXT and not canary.is_symlink()
    assert not (tmp_path / "pwned").exists(), "a pickle from the worker ran in the grader"
    assert sorted(os.listdir(grader_tmp)) == [], "the grader left temporary files behind"
    time.sleep(0.5)  # let the kernel finish delivering the kills
    assert processes_using(grader_tmp) == []
    return graded


def assert_exact_score(graded, failing: set[str]) -> None:
    """Exactly ``failing`` failed; the score is the sum of the other checks."""
    assert graded.failed() == failing, graded.stdout
    checks = graded.checks()
    assert graded.report["score"] == sum(c["points"] for name, c in checks.items() if name not in failing)


# -- graded submissions ----------------------------------------------------------------
@pytest.mark.slow
def test_l01_links_fifos_and_pickles_in_scratch_neither_run_code_nor_reach_the_canary(tmp_path):
    folder = hostile(
        tmp_path,
        "l01_tensors",
        L01,
        names=["theirs.pt", "weights.pt", "object.pkl", "object.pt"],
        ours=["ours.pt", "code-ran"],
    )
    graded = graded_safely(tmp_path, "l01_tensors", folder)
    # the checks lost are the two that read back a file the submission saved and then replaced by a link
    # (the refusal check first sees save_tensor work: issue 24)
    round_trip = "test_save_tensor_and_load_tensor_round_trip_through_a_torch_file"
    refusal = "test_save_tensor_and_load_tensor_refuse_what_is_not_a_tensor"
    assert_exact_score(graded, {round_trip, refusal})
    assert "ours.pt is a symbolic link" in graded.checks()[round_trip]["message"]
    assert "plain" in graded.checks()[refusal]["message"]  # the link, or what the worker sent instead, is refused


@pytest.mark.slow
def test_l09_cannot_replace_the_file_the_grader_wrote_for_it(tmp_path):
    folder = hostile(tmp_path, "l09_multi_dim_dataloader", L09, names=["diabetes10.csv.gz"], ours=[])
    graded = graded_safely(tmp_path, "l09_multi_dim_dataloader", folder, "-k", "10_row or shuffles_only")
    assert_exact_score(graded, set())


@pytest.mark.slow
def test_l12_a_saved_file_that_runs_code_is_refused_without_running_it(tmp_path):
    folder = hostile(
        tmp_path,
        "l12_cnn_basics",
        L12,
        names=["lenet.pt", "evil.pt"],
        ours=["saved-lenet.pt", "saved-lenet.pt.real", "code-ran"],
    )
    graded = graded_safely(tmp_path, "l12_cnn_basics", folder, "-k", "round_trip or refuses_a_file")
    assert_exact_score(graded, {"test_weights_round_trip_through_a_state_dict_file"})
    message = graded.checks()["test_weights_round_trip_through_a_state_dict_file"]["message"]
    assert "not a plain state dict" in message and "GLOBAL posix.mkdir" in message


# -- the helpers, driven directly ------------------------------------------------------
LESSON = '''
import gc, os, sys, types


def make(kind, path, target):
    """Leave something other than a plain file at path."""
    if kind == "link":
        os.symlink(target, path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        os.mkdir(path)
    elif kind == "huge":
        with open(path, "wb") as f:
            f.truncate(target)  # sparse: no disk used
    else:
        with open(path, "wb") as f:
            f.write(b"plain bytes")


def tamper(path, canary):
    """Try to change the grader's file at path; what the sandbox answered to each try."""
    tries = {"append": lambda: open(path, "ab").close(), "unlink": lambda: os.unlink(path),
             "link": lambda: os.symlink(canary, path + ".link"), "rename": lambda: os.rename(path, path + ".old")}
    answers = {}
    for name, action in tries.items():
        try:
            action()
            answers[name] = "done"
        except OSError as exc:
            answers[name] = type(exc).__name__
    return answers


def lie():
    """Make the driver send a string for a file's bytes."""
    for obj in gc.get_objects():
        if isinstance(obj, types.ModuleType) and obj.__name__ == "grader.drivers.l01_tensors":
            obj.read_file = lambda student, path, limit: "not bytes"
            return True
    return False
'''


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    path = tmp_path_factory.mktemp("lesson") / "l01_tensors.py"  # the name loads l01's driver, which has read_file
    path.write_text(LESSON)
    worker = WorkerProcess(WorkerConfig(lesson="l01_tensors", path=path, data_root=DATA, call_timeout=30))
    yield Student(worker)
    worker.dispose()


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    path = tmp_path_factory.mktemp("outside") / "canary.txt"
    path.write_text(CANARY_TEXT)
    yield path
    assert path.read_text() == CANARY_TEXT


def test_read_file_returns_the_bytes_of_a_plain_file_and_none_when_there_is_none(student):
    student.make("file", str(student.scratch / "plain.bin"), "")
    assert student.read_file("plain.bin") == b"plain bytes"
    assert student.read_file("missing.bin") is None


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("link", "is a symbolic link"),
        ("fifo", "is not a plain file"),
        ("folder", "is not a plain file"),
        ("huge", "the grader reads at most"),
    ],
)
def test_read_file_refuses_what_is_not_a_plain_file_of_a_few_mb(student, canary, kind, expected):
    name = f"{kind}.pt"
    student.make(kind, str(student.scratch / name), str(canary) if kind == "link" else READ_BACK_LIMIT + 1)
    started = time.monotonic()
    with pytest.raises(StudentError, match=expected):
        student.read_file(name)
    assert time.monotonic() - started < 10  # a FIFO is not waited on


def test_the_worker_can_read_the_inbox_but_not_change_it(student, canary):
    path = student.put_file("given.pt", torch_bytes(torch.arange(3)))
    assert Path(path).parent != student.scratch
    assert student.tamper(path, str(canary)) == {
        "append": "PermissionError",
        "unlink": "PermissionError",
        "link": "PermissionError",
        "rename": "PermissionError",
    }
    assert torch.equal(load_plain(Path(path).read_bytes()), torch.arange(3))


def test_put_file_never_replaces_or_follows_what_is_there(student, canary):
    student.put_file("once.pt", b"first")
    with pytest.raises(FileExistsError):
        student.put_file("once.pt", b"second")
    (student._worker.inbox / "planted.pt").symlink_to(canary)  # as a worker without Landlock could
    with pytest.raises(FileExistsError):
        student.put_file("planted.pt", b"overwrite")
    for name in ("../escape.pt", "a/b.pt", "..", ""):
        with pytest.raises(ValueError):
            student.put_file(name, b"")


def test_write_new_refuses_a_folder_that_became_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "inbox").symlink_to(tmp_path / "real")
    with pytest.raises(OSError):
        write_new(tmp_path / "inbox", "x.pt", b"data")
    assert list((tmp_path / "real").iterdir()) == []


def test_read_file_checks_what_a_tampered_worker_sends(student):
    assert student.lie()
    with pytest.raises(StudentError, match="something other than the file's bytes"):
        student.read_file("plain.bin")


# -- load_plain: decoding the bytes here --------------------------------------------------
class _Payload:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_load_plain_decodes_what_torch_save_writes():
    weights = {"w": torch.randn(2, 3), "b": torch.zeros(2)}
    loaded = load_plain(torch_bytes(weights))
    assert loaded.keys() == weights.keys() and all(torch.equal(loaded[k], weights[k]) for k in weights)


def test_load_plain_refuses_pickles_without_running_them(tmp_path):
    marker = tmp_path / "ran"
    for blob in (pickle.dumps(_Payload(str(marker))), torch_bytes(_Payload(str(marker)))):
        with pytest.raises(ValueError):
            load_plain(blob)
    assert not marker.exists()


def test_load_plain_refuses_compressed_entries_that_could_unpack_into_gigabytes():
    stored = zipfile.ZipFile(io.BytesIO(torch_bytes(torch.zeros(1_000_000))))
    deflated = io.BytesIO()
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in stored.infolist():
            z.writestr(entry.filename, stored.read(entry))
    assert len(deflated.getvalue()) < 10_000  # 4 MB of zeros in a few KB: torch.load would unpack them
    with pytest.raises(ValueError, match="not a file torch.save writes"):
        load_plain(deflated.getvalue())
