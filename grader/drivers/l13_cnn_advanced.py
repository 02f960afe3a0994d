"""Runs inside the sandbox: trains the student's lesson-13 networks on MNIST."""

from __future__ import annotations

import torch

from grader import data
from grader.drivers.common import fit, make_optimizer, mnist_tensors, predict


def train_net(student, *, net: str, optimizer: str, lrs: list[float], batch_size: int, seed: int,
              momentum: float = 0.0, device: str = "cpu") -> dict:
    """Train ``student.<net>()`` on MNIST on ``device``, one epoch per
    learning rate in ``lrs``.

    Returns ``predictions``: (10000,) int64 test-set classes, and ``devices``:
    where every parameter and the last output lived, as strings.
    """
    X, y, X_test = mnist_tensors(device)
    model = getattr(student, net)().to(device)
    generator = torch.Generator().manual_seed(seed)
    fit(model, lambda: data.batches(X, y, batch_size, generator), make_optimizer(optimizer, model, momentum), lrs)
    predictions = predict(model, X_test)
    with torch.no_grad():
        output_device = str(model(X_test[:2]).device)
    return {"predictions": predictions,
            "devices": sorted({str(p.device) for p in model.parameters()} | {output_device})}
