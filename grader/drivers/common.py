"""Training helpers shared by the drivers (run inside the sandbox)."""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn

from grader import data


def mnist_tensors(device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Normalised MNIST on ``device``: train X (60000, 1, 28, 28) float32,
    train y (60000,) int64, test X (10000, 1, 28, 28) float32."""
    mnist = data.load_images("mnist")
    to = lambda t: t.to(device)  # noqa: E731
    return (to(data.normalize(mnist.train_images, mnist.mean, mnist.std)), to(mnist.train_labels),
            to(data.normalize(mnist.test_images, mnist.mean, mnist.std)))


def fit(model: nn.Module, batches: Callable[[], Iterable], optimizer: torch.optim.Optimizer, epochs: int) -> None:
    """The four-step recipe: for each batch forward, loss, backward, step."""
    criterion = nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        for X, y in batches():
            optimizer.zero_grad()
            criterion(model(X), y).backward()
            optimizer.step()


def predict(model: nn.Module, X: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Arg-max class of ``model`` for each row of X, in eval mode: (N,) int64 on the CPU."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(X[i:i + batch_size]).argmax(dim=1).cpu() for i in range(0, len(X), batch_size)])
