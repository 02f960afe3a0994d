"""Lesson 8 · Logistic regression 逻辑斯蒂回归 (Liu Er lecture 6).

Classification instead of regression: after x hours of study, does the
student pass? The seed data: x = [1, 2, 3] hours, y = [0, 0, 1] (fail, fail,
pass). The model squashes the linear model through the logistic function,

    p = sigmoid(w x + b) = 1 / (1 + exp(-(w x + b))),

the probability of passing, and the student passes when p > 1/2, that is
on one side of the decision boundary x = -b / w.

The loss is the binary cross-entropy (BCE) of p against the label y in {0, 1}:

    BCE(p, y) = -(y log p + (1 - y) log(1 - p)),

averaged (or, in the lecture, summed) over the batch. Taken literally it is
NaN at p = 0 or p = 1 (0 * log 0 = 0 * -inf); ``torch.nn.BCELoss`` clamps
each log at -100, so the loss stays finite. Better still, work from the
logit z = w x + b: with log sigmoid(z) = -log(1 + exp(-z)),

    BCE(sigmoid(z), y) = max(z, 0) - z y + log(1 + exp(-|z|)),

which never overflows (``nn.BCEWithLogitsLoss``). Labels for BCE are floats
of the output's shape; it is ``CrossEntropyLoss`` that wants int64 class
indices.

Training follows the same four steps as lesson 7 with ``nn.BCELoss``; the
lecture's ``size_average=False`` is ``reduction="sum"``. Write the two
losses with basic tensor operations: torch's BCE functions are off limits
there.
"""

import torch
from torch import nn


class LogisticRegressionModel(nn.Module):
    """p = sigmoid(w x + b) with one ``nn.Linear(1, 1)`` named ``linear``.

    Input: (N, 1) float hours; output: (N, 1) float probabilities of passing.
    """

    def __init__(self) -> None:
        super().__init__()
        raise NotImplementedError("LogisticRegressionModel.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LogisticRegressionModel.forward")


def binary_cross_entropy(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy -(y log p + (1 - y) log(1 - p)), as
    ``F.binary_cross_entropy``: clamp each log at -100 (torch's rule) so the
    loss stays finite at p = 0 and p = 1.

    p: any shape, float in [0, 1]; y: p's shape, float in [0, 1].
    Returns a 0-dim tensor.
    """
    raise NotImplementedError("binary_cross_entropy")


def bce_with_logits(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean BCE of sigmoid(z) against y computed from the logits z, as
    ``F.binary_cross_entropy_with_logits``: exact and finite for any finite
    z, such as z = 1e4 or -1e4 (where sigmoid rounds to 1 or 0).

    z: any shape, float; y: z's shape, float in [0, 1]. Returns a 0-dim tensor.
    """
    raise NotImplementedError("bce_with_logits")


def fit_pass_fail(
    hours: torch.Tensor, passed: torch.Tensor, epochs: int = 1000, lr: float = 0.01, model: nn.Module | None = None
) -> nn.Module:
    """Train ``model`` (a new ``LogisticRegressionModel`` when None).

    hours: (N, 1) float32; passed: (N, 1) float32 labels 0.0 or 1.0.
    Loss ``nn.BCELoss(reduction="sum")``, optimizer
    ``torch.optim.SGD(model.parameters(), lr=lr)``, ``epochs`` full-batch
    steps: forward, loss, zero_grad, backward, step. Returns the model.
    """
    raise NotImplementedError("fit_pass_fail")


def decision_boundary(model: LogisticRegressionModel) -> float:
    """The hours x where the model's p is exactly 1/2: w x + b = 0.

    Read w and b from ``model.linear``. Returns a Python float.
    """
    raise NotImplementedError("decision_boundary")
