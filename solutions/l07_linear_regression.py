"""Lesson 7 · Linear regression with PyTorch 用PyTorch实现线性回归 (Liu Er lecture 5; d2l 3.2).

Every lesson from here on repeats the same four steps:

1. prepare the data: x and y as (N, 1) tensors, one sample per row;
2. design the model: a subclass of ``torch.nn.Module`` whose ``__init__``
   creates the layers and whose ``forward`` uses them (autograd supplies
   the backward pass);
3. construct the loss and the optimizer: ``nn.MSELoss(reduction="sum")``
   and ``torch.optim.SGD(model.parameters(), lr=lr)``. The lecture writes
   ``size_average=False``: that spelling is deprecated, and
   ``reduction="sum"`` is what it means;
4. train: forward (y_pred = model(x)), loss, ``optimizer.zero_grad()``,
   ``loss.backward()``, ``optimizer.step()``.

On the seed data (x = [1, 2, 3], y = [2, 4, 6]) 1000 epochs at lr = 0.01
bring w to 2 and b to 0, and the model predicts 8 for x = 4.

Then the same model from scratch, as in d2l: generate data from a known
line, y = X w + b + noise with w = [2, -3.4] and b = 4.2; read it in
shuffled mini-batches; define the model, the squared loss and minibatch SGD
yourself. Three epochs recover w and b to about 0.001. Two details matter:
``squared_loss`` must reshape y to y_hat's shape, and ``sgd`` must update
the parameters in place under ``torch.no_grad()`` and zero their gradients.

Where the notes are wrong: some copies of d2l's ``squared_loss`` drop the
reshape and write ``(y_hat - y) ** 2 / 2``. With a (3, 1) y_hat and a (3,) y,
broadcasting lines both up to (3, 3) and subtracts every label from every
prediction: 9 errors instead of 3, a loss of the wrong shape and, summed, of
the wrong value. No error is raised, so the mistake goes unnoticed. This
lesson reshapes y to y_hat's shape first, so that (3, 1) meets (3, 1).
"""

import random
from collections.abc import Iterator

import torch
from torch import nn


class LinearModel(nn.Module):
    """y_hat = w x + b as one ``nn.Linear(1, 1)`` layer named ``linear``.

    Input: (N, 1) float; output: (N, 1) float.
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.linear = nn.Linear(1, 1)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        return self.linear(x)
        # END SOLUTION


def fit_linear_model(
    x: torch.Tensor, y: torch.Tensor, epochs: int = 1000, lr: float = 0.01, model: nn.Module | None = None
) -> nn.Module:
    """Train ``model`` (a new ``LinearModel`` when None) with the four steps.

    x, y: (N, 1) float32. Loss ``nn.MSELoss(reduction="sum")``, optimizer
    ``torch.optim.SGD(model.parameters(), lr=lr)``, ``epochs`` full-batch
    steps: forward, loss, zero_grad, backward, step. Returns the model.
    """
    # BEGIN SOLUTION
    model = LinearModel() if model is None else model
    criterion = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
    # END SOLUTION


def synthetic_data(w: torch.Tensor, b: float, num_examples: int) -> tuple[torch.Tensor, torch.Tensor]:
    """d2l's data: X ~ N(0, 1) of shape (num_examples, len(w)) and
    y = X w + b + noise with noise ~ N(0, 0.01^2).

    w: (d,) float32; b: a Python float. Returns X (n, d) float32 and
    y (n, 1) float32.
    """
    # BEGIN SOLUTION
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape(-1, 1)
    # END SOLUTION


def data_iter(
    batch_size: int, features: torch.Tensor, labels: torch.Tensor
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield (features[idx], labels[idx]) mini-batches over a shuffled order
    (shuffle with Python's ``random``): every sample exactly once per call,
    batches of ``batch_size`` and a smaller last one when the sizes do not
    divide. A generator: use ``yield``.

    features: (n, d); labels: (n, 1).
    """
    # BEGIN SOLUTION
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch], labels[batch]
    # END SOLUTION


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The linear regression model X w + b.

    X: (n, d) float; w: (d, 1) float; b: (1,) float. Returns (n, 1).
    """
    # BEGIN SOLUTION
    return X @ w + b
    # END SOLUTION


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Half the squared error of each sample, (y_hat - y)^2 / 2, not summed.

    y_hat: (n, 1) float; y: (n, 1) or (n,) float: reshape it to y_hat's
    shape first. Returns (n, 1).
    """
    # BEGIN SOLUTION
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    # END SOLUTION


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """Minibatch SGD on a summed loss: for each parameter,
    param <- param - lr * param.grad / batch_size, in place under
    ``torch.no_grad()``, then zero param.grad.

    params: leaf tensors that require grad and hold a gradient. Returns None.
    """
    # BEGIN SOLUTION
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
    # END SOLUTION
