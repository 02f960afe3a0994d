"""The lesson registry: one row per lesson. Imports nothing heavy, so that
``practice list`` starts instantly.

A lesson ``lNN_topic`` has ``solutions/lNN_topic.py`` (the reference, with
solution markers), ``exercises/lNN_topic.py`` (generated stubs),
``grader/suites/test_lNN_topic.py`` (hidden checks) and, when it trains
something, ``grader/drivers/lNN_topic.py`` (code run inside the sandbox).
``points`` must equal the sum of the suite's ``@points``; a test keeps them equal.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class Lesson:
    id: str  # "l10_softmax": file name in exercises/, solutions/ and grader/suites/test_<id>.py
    title: str
    points: int
    topic: str  # what the lesson teaches, in the course's words
    datasets: tuple[str, ...] = ()
    hint: str = ""  # where to start when stuck

    @property
    def suite(self) -> Path:
        return SUITES / f"test_{self.id}.py"


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="l10_softmax",
        title="Softmax classifier 多分类问题",
        points=29,
        topic="softmax, LogSumExp 解决溢出, cross-entropy, an MLP on MNIST (Liu Er lecture 9; d2l 3.6)",
        datasets=("mnist",),
        hint="Subtract the row max before exp; cross-entropy is logsumexp(z) - z[y], averaged over the batch.",
    ),
    Lesson(
        id="l12_cnn_basics",
        title="Basic CNN 卷积神经网络基础",
        points=37,
        topic="convolution by hand (padding, stride), max pooling, Liu Er's MNIST CNN, LeNet on CIFAR-10, "
              "per-class accuracy, .to(device), saving a state_dict (Liu Er lecture 10; the 60-minute blitz)",
        datasets=("mnist", "cifar10"),
        hint="H_out = (H + 2p - k) // s + 1; sum the window times the kernel over all input channels, no flipping.",
    ),
    Lesson(
        id="l13_cnn_advanced",
        title="Advanced CNN: GoogLeNet Inception and ResNet",
        points=35,
        topic="1x1 卷积 bottlenecks, Inception blocks, residual connections against 梯度消失, BatchNorm and a "
              "ResNet-9 for CIFAR-10 on the GPU (Liu Er lecture 11)",
        datasets=("mnist", "cifar10"),
        hint="Concatenate branches on dim=1 (channels); a residual block returns relu(x + F(x)).",
    ),
)

BY_ID = {lesson.id: lesson for lesson in LESSONS}


class UnknownLesson(ValueError):
    pass


def find(name: str) -> Lesson:
    """A lesson by id (``l10_softmax``) or unique prefix (``l10``)."""
    if name in BY_ID:
        return BY_ID[name]
    matches = [lesson for lesson in LESSONS if lesson.id.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    close = difflib.get_close_matches(name, BY_ID, n=1, cutoff=0.5)
    suggestion = f"; did you mean {close[0]}?" if close else f"; known lessons: {', '.join(BY_ID)}"
    raise UnknownLesson(f"unknown lesson {name!r}{suggestion}")


def lesson_of_file(path: Path) -> Lesson | None:
    """The lesson a single submitted file is for, judged by its name."""
    return BY_ID.get(path.stem)
