"""Training helpers shared by the drivers (run inside the sandbox)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn

from grader import data

TRAINING_FILE = "TORCH_PRACTICE_TRAINING_FILE"  # environment: the file report_training writes, the grader reads
STUDENTS_FAULT = "torch_practice_students_fault"  # set on an exception raised in students_turn()


@contextmanager
def students_turn() -> Iterator[None]:
    """Mark code that runs the student's code or uses what it returned: an
    exception raised in the block is the student's (a wrong type, a wrong
    shape that breaks a loss or ``.clone()`` here), even when the innermost
    frame is the driver's or torch's. The exception keeps its type and message;
    outside such a block, an exception raised in a driver is a grader fault
    (``grader.sandbox.worker.describe_error``)."""
    try:
        yield
    except BaseException as exc:
        try:
            setattr(exc, STUDENTS_FAULT, True)
        except AttributeError:  # an exception type with __slots__: it is raised as it is
            pass
        raise


def image_tensors(name: str, device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised ``mnist`` or ``fashion_mnist`` on ``device``: train X
    (60000, 1, 28, 28) float32, train y (60000,) int64, test X (10000, 1, 28, 28) float32.
    The test labels stay with the grader."""
    images = data.load_training_images(name)
    to = lambda t: t.to(device)  # noqa: E731
    return (
        to(data.normalize(images.train_images, images.mean, images.std)),
        to(images.train_labels),
        to(data.normalize(images.test_images, images.mean, images.std)),
    )


def mnist_tensors(device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised MNIST on ``device`` (see ``image_tensors``)."""
    return image_tensors("mnist", device)


def cifar10_tensors(device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised CIFAR-10 on ``device`` (Normalize((0.5,) * 3, (0.5,) * 3)):
    train X (50000, 3, 32, 32) float32 in [-1, 1], train y (50000,) int64,
    test X (10000, 3, 32, 32) float32."""
    cifar = data.load_training_images("cifar10")
    to = lambda t: t.to(device)  # noqa: E731
    return (
        to(data.normalize(cifar.train_images, cifar.mean, cifar.std)),
        to(cifar.train_labels),
        to(data.normalize(cifar.test_images, cifar.mean, cifar.std)),
    )


class Shuffled:
    """Mini-batches of (X, y) that can be iterated once per epoch, each pass
    in a fresh order drawn from ``generator`` (for loops that take
    ``batches`` and ``epochs``). Each pass reports its epoch (``report_training``)."""

    def __init__(
        self, X: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator, epochs: int = 0
    ) -> None:
        self.X, self.y, self.batch_size, self.generator = X, y, batch_size, generator
        self.epochs, self.passes = epochs, 0

    def __iter__(self):
        self.passes += 1
        if self.epochs:
            report_training(self.passes, self.epochs)
        return data.batches(self.X, self.y, self.batch_size, self.generator)

    def __len__(self) -> int:
        return -(-len(self.X) // self.batch_size)


def linear_classifier(weight: torch.Tensor, bias: torch.Tensor, dropout: float = 0.0) -> nn.Module:
    """``Dropout(dropout)`` then a float64 ``Linear`` holding ``weight``
    (C, F) and ``bias`` (C,): a model whose training the suites can replay."""
    linear = nn.Linear(weight.shape[1], weight.shape[0]).double()
    with torch.no_grad():
        linear.weight.copy_(weight)
        linear.bias.copy_(bias)
    return nn.Sequential(nn.Dropout(dropout), linear)


def make_optimizer(name: str, model: nn.Module, momentum: float = 0.0) -> torch.optim.Optimizer:
    """``sgd`` (with momentum) or ``adam``; the learning rate is set per epoch."""
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=0.0, momentum=momentum)
    if name == "adam":
        return torch.optim.Adam(model.parameters(), lr=0.0)
    raise ValueError(f"unknown optimizer {name!r}")


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


def lr_per_epoch(optimizer: torch.optim.Optimizer, lrs: Sequence[float], steps_per_epoch: int) -> None:
    """Give ``optimizer`` the rate ``lrs[e]`` during epoch ``e`` (the last one
    after that) by counting its steps, so that a training loop that only sees
    the optimizer (the student's) follows the schedule."""
    steps = 0
    set_lr(optimizer, lrs[0])

    def after_step(*_: object) -> None:
        nonlocal steps
        steps += 1
        set_lr(optimizer, lrs[min(steps // steps_per_epoch, len(lrs) - 1)])

    optimizer.register_step_post_hook(after_step)


def report_training(epoch: int, epochs: int, loss: object = None) -> None:
    """Tell the grader which epoch of ``epochs`` a training is at, and its
    loss when known; it shows this while the check runs (on a terminal only)."""
    path = os.environ.get(TRAINING_FILE)
    if not path:
        return
    try:
        loss = loss.detach() if isinstance(loss, torch.Tensor) else loss  # float() of a grad tensor warns
        shown = f" {float(loss):.6g}" if loss is not None else ""
    except (TypeError, ValueError, RuntimeError):  # whatever the student's loop returned: not a number
        shown = ""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{epoch} {epochs}{shown}")


def fit(
    model: nn.Module, batches: Callable[[], Iterable], optimizer: torch.optim.Optimizer, lrs: Sequence[float]
) -> None:
    """The four-step recipe, one epoch per learning rate in ``lrs``:
    for each batch forward, loss, backward, step."""
    criterion = nn.CrossEntropyLoss()
    model.train()
    for epoch, lr in enumerate(lrs, start=1):
        set_lr(optimizer, lr)
        for X, y in batches():
            optimizer.zero_grad()
            loss = criterion(model(X), y)
            loss.backward()
            optimizer.step()
        report_training(epoch, len(lrs), loss.item())


def predict(model: nn.Module, X: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Arg-max class of ``model`` for each row of X, in eval mode: (N,) int64 on the CPU."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(X[i : i + batch_size]).argmax(dim=1).cpu() for i in range(0, len(X), batch_size)])
