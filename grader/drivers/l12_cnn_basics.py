"""Runs inside the sandbox: exercises the student's lesson-12 code (training
loop, per-class accuracy, saving and loading) and trains MnistCNN on MNIST
and LeNet on CIFAR-10 with the student's ``train_classifier``.

Each function returns plain data; the trusted suite compares it with what it
computes itself.
"""

from __future__ import annotations

import torch

from grader.drivers.common import (
    Shuffled,
    cifar10_tensors,
    linear_classifier,
    lr_per_epoch,
    make_optimizer,
    mnist_tensors,
    predict,
    students_turn,
)
from grader.drivers.files import read_file  # noqa: F401 - run by Student.read_file


def train_linear(student, weight, bias, batches, epochs: int, lr: float) -> dict:
    """The student's ``train_classifier`` on a linear model with SGD, on the CPU."""
    model = linear_classifier(weight, bias)
    with students_turn():
        losses = student.train_classifier(model, batches, epochs, torch.optim.SGD(model.parameters(), lr=lr), "cpu")
        return {"losses": losses, "weight": model[1].weight, "bias": model[1].bias}


def per_class_on_linear(student, weight, bias, batches, num_classes: int) -> dict:
    """The student's ``per_class_accuracy`` of a linear model behind a dropout
    layer (which only an evaluation in ``eval()`` mode switches off):
    ``accuracy``, what it returned, and ``train_mode_calls``, how many of the
    model's forward calls ran in train mode (it only names the likely
    mistake in a failure message; the verdict compares the accuracies)."""
    model = linear_classifier(weight, bias, dropout=0.5)
    modes: list[bool] = []
    model.register_forward_pre_hook(lambda module, args: modes.append(module.training))
    with students_turn():
        accuracy = student.per_class_accuracy(model, batches, num_classes)
    return {"accuracy": accuracy, "train_mode_calls": sum(modes)}


def save_and_load(student, path: str) -> dict:
    """Save a fresh LeNet with the student's ``save_weights`` to ``path``, load
    it back with ``load_weights``; return both state dicts and both outputs
    for a fixed input."""
    with students_turn():
        net = student.LeNet()
        student.save_weights(net, path)
        loaded = student.load_weights(student.LeNet, path)
        x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
        net.eval()
        loaded.eval()
        with torch.no_grad():
            outputs = [net(x), loaded(x)]
        return {"saved": net.state_dict(), "loaded": loaded.state_dict(), "outputs": outputs}


def load_file(student, path: str) -> dict:
    """The state dict the student's ``load_weights(LeNet, path)`` returns."""
    with students_turn():
        return student.load_weights(student.LeNet, path).state_dict()


def _train(
    student,
    net: str,
    tensors,
    *,
    optimizer: str,
    lrs: list[float],
    batch_size: int,
    seed: int,
    momentum: float,
    device: str,
) -> dict:
    X, y, X_test = tensors
    with students_turn():
        model = getattr(student, net)()
        batches = Shuffled(X, y, batch_size, torch.Generator().manual_seed(seed), epochs=len(lrs))
        opt = make_optimizer(optimizer, model, momentum)
        lr_per_epoch(opt, lrs, len(batches))
        losses = student.train_classifier(model, batches, len(lrs), opt, device)
        predictions = predict(model, X_test.to(device))
        with torch.no_grad():
            output_device = str(model(X_test[:2].to(device)).device)
        return {
            "predictions": predictions,
            "losses": losses,
            "devices": sorted({str(p.device) for p in model.parameters()} | {output_device}),
        }


def train_mnist_cnn(
    student, *, optimizer: str, lrs: list[float], batch_size: int, seed: int, momentum: float = 0.0, device: str = "cpu"
) -> dict:
    """Train the student's ``MnistCNN`` with the student's ``train_classifier``
    on MNIST (batches on the CPU), one epoch per learning rate in ``lrs``.

    Returns ``predictions``: (10000,) int64 test-set classes, ``losses`` (what
    train_classifier returned) and ``devices``: where the parameters and an
    output lived afterwards."""
    return _train(
        student,
        "MnistCNN",
        mnist_tensors(),
        optimizer=optimizer,
        lrs=lrs,
        batch_size=batch_size,
        seed=seed,
        momentum=momentum,
        device=device,
    )


def train_lenet(
    student, *, optimizer: str, lrs: list[float], batch_size: int, seed: int, momentum: float = 0.0, device: str = "cpu"
) -> dict:
    """Train the student's ``LeNet`` with the student's ``train_classifier`` on
    CIFAR-10 normalised to [-1, 1] (batches on the CPU), one epoch per
    learning rate in ``lrs``. Returns what ``train_mnist_cnn`` returns, for
    the 10,000 CIFAR-10 test images."""
    return _train(
        student,
        "LeNet",
        cifar10_tensors(),
        optimizer=optimizer,
        lrs=lrs,
        batch_size=batch_size,
        seed=seed,
        momentum=momentum,
        device=device,
    )
