"""Test labels are out of the worker's reach.

Each case grades a real submission that tries to read the labels an accuracy
check scores against (the raw dataset files, the grader's decoded cache, the
course files' held-out rows) and, where it gets them, answers with them
instead of learning. The worker's Landlock rules cover only the worker
folder (training data and test inputs) and the label-free course files, so
every theft fails with a permission error and the submission scores what its
learning gives: nothing for a model that does not learn, exactly the
reference's accuracy for one that learns honestly besides.
"""

from __future__ import annotations

import re

import pytest
from conftest import DATA, grade, submission

from grader import data
from grader.sandbox import confine

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(confine.landlock_abi() < 1, reason="this kernel has no Landlock: the worker reads any file"),
]

# Where an attacker who knows the project's layout looks for the labels, as absolute paths.
CACHE = data.cache_dir(DATA)
WORKER = data.worker_dir(DATA)
STEAL = '''
import gzip, os, pathlib, pickle, torch

PLACES = {places!r}


def _steal(key):
    """The first readable copy of ``key``'s test labels; each attempt is printed."""
    for place in PLACES:
        try:
            raw = pathlib.Path(place).read_bytes()
            found = _labels(place, raw, key)
            print(f"attempt {{place}}: {{'LEAKED' if found is not None else 'no labels'}}")
            if found is not None:
                return found
        except Exception as exc:
            print(f"attempt {{place}}: {{type(exc).__name__}}")
    return None
'''


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The reference solutions of l10 and l09, graded on the two accuracy checks
    (one grading run for both, to keep the suite fast)."""
    return grade(
        "l10_softmax",
        "l09_multi_dim_dataloader",
        "--solutions",
        "-k",
        f"{MNIST_CHECK} or {DIABETES_CHECK}",
        tmp_path=tmp_path_factory.mktemp("reference"),
    )


def graded_submission(tmp_path, lesson: str, code: str, check: str, base: str = "solutions"):
    folder = submission(tmp_path, lesson, code, base=base)
    return grade(lesson, "--submission", str(folder), "-k", check, tmp_path=tmp_path)


def attempts(output: str) -> dict[str, str]:
    """``place -> outcome`` from the submission's printed attempts."""
    return dict(re.findall(r"^attempt (\S+): (.+)$", output, re.MULTILINE))


def assert_no_theft(output: str, places: list[str]) -> None:
    tried = attempts(output)
    assert set(tried) == set(places), output
    assert "LEAKED" not in tried.values(), output
    for place, outcome in tried.items():
        assert outcome in ("PermissionError", "FileNotFoundError", "no labels"), (place, outcome)


# -- MNIST (l10): the raw files, the decoded cache, the worker's copy -------------------
MNIST_CHECK = "test_net_reaches_97_percent_test_accuracy_on_mnist"
MNIST_PLACES = [
    str(p)
    for p in (
        DATA / "MNIST" / "raw" / "t10k-labels-idx1-ubyte",
        DATA / "MNIST" / "raw" / "t10k-labels-idx1-ubyte.gz",
        DATA / "cache" / f"mnist-v{data.CACHE_VERSION}.pt",
        CACHE / f"mnist-v{data.CACHE_VERSION}.pt",
        WORKER / f"mnist-v{data.CACHE_VERSION}.pt",
    )
]
MNIST_TAMPER = [
    str(p)
    for p in (
        WORKER / f"mnist-v{data.CACHE_VERSION}.pt",
        WORKER / "planted.pt",
        CACHE / f"mnist-v{data.CACHE_VERSION}.pt",
    )
]
MNIST_THIEF = (
    STEAL.format(places=MNIST_PLACES)
    + f"""
for _target in {MNIST_TAMPER!r}:  # what another worker would read: it must not be writable either
    try:
        open(_target, "ab").close()
        print(f"tamper {{_target}}: wrote")
    except Exception as exc:
        print(f"tamper {{_target}}: {{type(exc).__name__}}")
"""
    + '''

def _labels(place, raw, key):
    if place.endswith(".pt"):
        return torch.load(place, weights_only=True).get("test_labels")
    raw = gzip.decompress(raw) if place.endswith(".gz") else raw
    return torch.tensor(list(raw[8:]))  # idx1 format: an 8-byte header, then one byte per label


class Net(torch.nn.Module):
    """Answers with the stolen labels, in the order the driver asks for the test
    images; a linear layer that never learns when there is nothing to steal."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(784, 10)
        self.stolen, self.seen = _steal("mnist"), 0

    def forward(self, x):
        if self.stolen is not None and not self.training:
            answer = torch.nn.functional.one_hot(self.stolen[self.seen:self.seen + len(x)], 10).float()
            self.seen += len(x)
            return answer
        return self.linear(x.reshape(len(x), -1))


def train_epoch(model, batches, optimizer):
    return 2.3  # no learning at all
'''
)


@pytest.mark.skipif(not (DATA / "MNIST" / "raw").is_dir(), reason="needs MNIST under the data root")
def test_a_net_that_looks_mnist_test_labels_up_learns_nothing_and_fails(tmp_path):
    graded = graded_submission(tmp_path, "l10_softmax", MNIST_THIEF, MNIST_CHECK)
    check = graded.checks()[MNIST_CHECK]
    assert_no_theft(check["output"], MNIST_PLACES)
    assert attempts(check["output"])[MNIST_PLACES[-1]] == "no labels"  # the worker's own copy holds none
    tampered = dict(re.findall(r"^tamper (\S+): (.+)$", check["output"], re.MULTILINE))
    assert tampered == dict.fromkeys(MNIST_TAMPER, "PermissionError"), check["output"]
    assert not (WORKER / "planted.pt").exists()
    assert check["status"] == "failed" and graded.report["score"] == 0
    accuracy = float(re.search(r"accuracy (\d\.\d+)", check["message"]).group(1))
    assert accuracy < 0.2, check["message"]  # chance, not the 1.0000 of a lookup


@pytest.mark.skipif(not (DATA / "MNIST" / "raw").is_dir(), reason="needs MNIST under the data root")
def test_the_reference_net_still_trains_to_97_percent_in_the_worker(reference):
    assert reference.checks()[MNIST_CHECK]["status"] == "passed", reference.stdout


# -- diabetes (l09): the held-out rows of the course file ----------------------------------
DIABETES_CHECK = "test_model_reaches_70_percent_held_out_accuracy_on_diabetes"
DIABETES = DATA / "zerotoall" / "diabetes.csv.gz"
DIABETES_THIEF = '''
import numpy as np

_PATHS = {paths!r}
_TABLE = {{}}  # features -> label, from every copy of the file that can be read
_honest_dataset_init, _honest_forward = DiabetesDataset.__init__, DiabetesModel.forward


def _remember(path):
    try:
        rows = np.loadtxt(path, delimiter=",", dtype=np.float32)
        _TABLE.update((tuple(row[:-1].tolist()), float(row[-1])) for row in rows)
        print(f"attempt {{path}}: read")
    except Exception as exc:
        print(f"attempt {{path}}: {{type(exc).__name__}}")


def _init(self, path):
    _honest_dataset_init(self, path)
    for place in [path, *_PATHS]:
        _remember(place)


def _forward(self, x):
    """The learned probability, replaced by the stolen label where one is known."""
    p = _honest_forward(self, x)
    if self.training:
        return p
    known = [_TABLE.get(tuple(row.tolist())) for row in x]
    return torch.stack([torch.tensor([k], dtype=p.dtype) if k in (0.0, 1.0) else q for k, q in zip(known, p)])


DiabetesDataset.__init__, DiabetesModel.forward = _init, _forward
'''


@pytest.mark.skipif(not DIABETES.is_file(), reason="needs the diabetes file under the data root")
def test_a_model_that_looks_up_held_out_diabetes_rows_scores_what_it_learned(tmp_path, reference):
    thief = graded_submission(
        tmp_path, "l09_multi_dim_dataloader", DIABETES_THIEF.format(paths=[str(DIABETES)]), DIABETES_CHECK
    )
    check, honest = thief.checks()[DIABETES_CHECK], reference.checks()[DIABETES_CHECK]
    tried = attempts(check["output"])
    assert tried[str(DIABETES)] == "PermissionError", check["output"]
    assert honest["status"] == "passed" and honest["detail"].startswith("held-out accuracy")
    # the copy it was handed has the held-out labels blanked: exactly the reference's accuracy, not 1.0000
    assert check["detail"] == honest["detail"], (check, honest)


# -- names (l15): the test file's countries --------------------------------------------------
NAMES_CHECK = "test_classifier_reaches_80_percent_on_names_test"
NAMES_TEST = DATA / "zerotoall" / "names_test.csv.gz"
NAMES_THIEF = (
    STEAL.format(places=[str(NAMES_TEST)])
    + '''
import csv, io

_honest_forward = RNNClassifier.forward


def _labels(place, raw, key):
    rows = list(csv.reader(io.StringIO(gzip.decompress(raw).decode())))
    countries = sorted({country for _, country in rows})
    return {name: countries.index(country) for name, country in rows}


def _forward(self, padded, lengths):
    """Untrained scores, replaced by the stolen country where the name is known."""
    scores = _honest_forward(self, padded, lengths)
    if self.training or not hasattr(self, "stolen"):
        return scores
    for row, (codes, n) in enumerate(zip(padded.tolist(), lengths.tolist())):
        name = "".join(map(chr, codes[:n]))
        if name in self.stolen:
            scores[row] = torch.nn.functional.one_hot(torch.tensor(self.stolen[name]), scores.shape[1]).float()
    return scores


def train_classifier(model, dataset, epochs, batch_size, lr, generator=None):
    model.stolen = _steal("names") or {}
    return [0.0] * epochs  # no learning at all


RNNClassifier.forward = _forward
'''
)


@pytest.mark.skipif(not NAMES_TEST.is_file(), reason="needs the names files under the data root")
def test_a_classifier_that_looks_up_the_test_names_countries_learns_nothing_and_fails(tmp_path):
    graded = graded_submission(tmp_path, "l15_rnn_classifier", NAMES_THIEF, NAMES_CHECK)
    check = graded.checks()[NAMES_CHECK]
    assert attempts(check["output"]) == {str(NAMES_TEST): "PermissionError"}, check["output"]
    assert check["status"] == "failed" and graded.report["score"] == 0, check
