"""Runs inside the sandbox: trains the student's lesson-13 networks on MNIST
and, on a GPU, the student's CifarResNet on CIFAR-10."""

from __future__ import annotations

import torch

from grader import data
from grader.drivers import cifar_fast
from grader.drivers.common import fit, make_optimizer, mnist_tensors, predict, students_turn


def train_net(
    student,
    *,
    net: str,
    optimizer: str,
    lrs: list[float],
    batch_size: int,
    seed: int,
    momentum: float = 0.0,
    device: str = "cpu",
) -> dict:
    """Train ``student.<net>()`` on MNIST on ``device``, one epoch per
    learning rate in ``lrs``.

    Returns ``predictions``: (10000,) int64 test-set classes, and ``devices``:
    where every parameter and the last output lived, as strings.
    """
    X, y, X_test = mnist_tensors(device)
    with students_turn():
        model = getattr(student, net)().to(device)
        generator = torch.Generator().manual_seed(seed)
        fit(model, lambda: data.batches(X, y, batch_size, generator), make_optimizer(optimizer, model, momentum), lrs)
        predictions = predict(model, X_test)
        with torch.no_grad():
            output_device = str(model(X_test[:2]).device)
        return {
            "predictions": predictions,
            "devices": sorted({str(p.device) for p in model.parameters()} | {output_device}),
        }


def spread(n: int, size: int | None) -> torch.Tensor:
    """``size`` indices spread evenly over ``range(n)`` (all of them for
    None): a subset with every class, whatever order the images are in."""
    return torch.arange(n) if size is None else torch.arange(size) * (n // size)


def train_cifar_resnet(
    student,
    *,
    epochs: int,
    seed: int,
    device: str = "cuda",
    width: int = 64,
    train_size: int | None = None,
    test_size: int | None = None,
    **recipe,
) -> dict:
    """Train ``student.CifarResNet(width)`` on CIFAR-10 with the on-device
    pipeline of ``cifar_fast`` (on ``train_size`` training images spread over
    the set, all by default; ``recipe`` overrides its batch size, learning
    rate...).

    Returns ``predictions`` for the test images ``spread(10000, test_size)``
    ((N,) int64), ``seconds`` of training and ``devices``: where every
    parameter and the last output lived, as strings.
    """
    cifar = data.load_training_images("cifar10")
    train, test = spread(len(cifar.train_images), train_size), spread(len(cifar.test_images), test_size)
    images = cifar_fast.to_device(cifar.train_images[train], device)
    test_images = cifar_fast.to_device(cifar.test_images[test], device)
    with students_turn():
        model = student.CifarResNet(width)
        seconds = []
        cifar_fast.train(
            model,
            images,
            cifar.train_labels[train],
            epochs=epochs,
            seed=seed,
            on_epoch=lambda epoch, elapsed, _: seconds.append(elapsed),
            **recipe,
        )
        predictions = cifar_fast.predict(model, test_images)
        with torch.no_grad():
            output_device = str(model(cifar_fast.standardize(test_images[:2], torch.float32)).device)
        return {
            "predictions": predictions,
            "seconds": seconds[-1],
            "devices": sorted({str(p.device) for p in model.parameters()} | {output_device}),
        }
