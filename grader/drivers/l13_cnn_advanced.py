"""Runs inside the sandbox: trains the student's lesson-13 networks on MNIST."""

from __future__ import annotations

import torch

from grader import data
from grader.drivers.common import fit, mnist_tensors, predict


def train_net(student, *, net: str, epochs: int, batch_size: int, lr: float, momentum: float, seed: int,
              device: str = "cpu") -> dict:
    """Train ``student.<net>()`` on MNIST with SGD on ``device``.

    Returns ``predictions``: (10000,) int64 test-set classes, and ``devices``:
    where every parameter and the last output lived, as strings.
    """
    X, y, X_test = mnist_tensors(device)
    model = getattr(student, net)().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    generator = torch.Generator().manual_seed(seed)
    fit(model, lambda: data.batches(X, y, batch_size, generator), optimizer, epochs)
    predictions = predict(model, X_test)
    with torch.no_grad():
        output_device = str(model(X_test[:2]).device)
    return {"predictions": predictions,
            "devices": sorted({str(p.device) for p in model.parameters()} | {output_device})}
