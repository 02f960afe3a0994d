"""Training helpers shared by the drivers (run inside the sandbox)."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import torch
from torch import nn

from grader import data


def image_tensors(name: str, device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised ``mnist`` or ``fashion_mnist`` on ``device``: train X
    (60000, 1, 28, 28) float32, train y (60000,) int64, test X (10000, 1, 28, 28) float32."""
    images = data.load_images(name)
    to = lambda t: t.to(device)  # noqa: E731
    return (to(data.normalize(images.train_images, images.mean, images.std)), to(images.train_labels),
            to(data.normalize(images.test_images, images.mean, images.std)))


def mnist_tensors(device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised MNIST on ``device`` (see ``image_tensors``)."""
    return image_tensors("mnist", device)


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


def fit(model: nn.Module, batches: Callable[[], Iterable], optimizer: torch.optim.Optimizer,
        lrs: Sequence[float]) -> None:
    """The four-step recipe, one epoch per learning rate in ``lrs``:
    for each batch forward, loss, backward, step."""
    criterion = nn.CrossEntropyLoss()
    model.train()
    for lr in lrs:
        set_lr(optimizer, lr)
        for X, y in batches():
            optimizer.zero_grad()
            criterion(model(X), y).backward()
            optimizer.step()


def predict(model: nn.Module, X: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Arg-max class of ``model`` for each row of X, in eval mode: (N,) int64 on the CPU."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(X[i:i + batch_size]).argmax(dim=1).cpu() for i in range(0, len(X), batch_size)])
