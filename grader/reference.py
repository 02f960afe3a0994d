"""Trusted reference computations shared by several suites: what a correct
training step gives, computed here so that the student's result can be
compared with it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
import torch.nn.functional as F


def linear_problem(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, list]:
    """A 4-feature, 3-class linear classifier and three batches of 5, 3 and 6
    samples: W (3, 4) float64, b (3,) float64, [(X (n, 4) float64, y (n,) int64)]."""
    g = torch.Generator().manual_seed(seed)
    W, b = torch.randn(3, 4, generator=g, dtype=torch.float64), torch.randn(3, generator=g, dtype=torch.float64)
    batches = [
        (torch.randn(n, 4, generator=g, dtype=torch.float64), torch.randint(3, (n,), generator=g)) for n in (5, 3, 6)
    ]
    return W, b, batches


def replay_cross_entropy_sgd(
    W: torch.Tensor, b: torch.Tensor, batches: list, lr: float, epochs: int = 1
) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """What ``epochs`` correct epochs of SGD with cross-entropy give on the
    linear classifier: the weights, the bias and each epoch's mean batch loss."""
    W, b = W.clone().requires_grad_(), b.clone().requires_grad_()
    history = []
    for _ in range(epochs):
        losses = []
        for X, y in batches:
            loss = F.cross_entropy(X @ W.T + b, y)
            gW, gb = torch.autograd.grad(loss, (W, b))
            with torch.no_grad():
                W -= lr * gW
                b -= lr * gb
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return W.detach(), b.detach(), history


def replay_scalar_gradient_descent(
    xs: torch.Tensor, ys: torch.Tensor, w: float, lr: float, epochs: int
) -> tuple[float, torch.Tensor]:
    """Full-batch gradient descent on y = x * w with the mean squared error,
    by hand: each epoch records the cost, then steps against the mean
    gradient. xs, ys (N,) float; returns the final w and the (epochs,)
    float64 cost history."""
    history = []
    for _ in range(epochs):
        history.append(((xs * w - ys) ** 2).mean().item())
        w -= lr * (2 * xs * (xs * w - ys)).mean().item()
    return w, torch.tensor(history, dtype=torch.float64)


def replay_scalar_sgd(
    xs: torch.Tensor, ys: torch.Tensor, w: float, lr: float, epochs: int
) -> tuple[float, torch.Tensor]:
    """Stochastic gradient descent on y = x * w with the squared error, by
    hand: one step per sample, then the epoch's cost over the whole set.
    xs, ys (N,) float; returns the final w and the (epochs,) float64 cost
    history."""
    history = []
    for _ in range(epochs):
        for x, y in zip(xs.tolist(), ys.tolist()):
            w -= lr * 2 * x * (x * w - y)
        history.append(((xs * w - ys) ** 2).mean().item())
    return w, torch.tensor(history, dtype=torch.float64)


def replay_steps(
    params: Iterable[torch.Tensor], losses: Iterable[Callable[..., torch.Tensor]], lr: float, zero_grad: bool = True
) -> list[torch.Tensor]:
    """Plain SGD with ``loss.backward()``: one step per function in
    ``losses``, each called with the parameters. With ``zero_grad=False`` the
    gradients pile up, as in a loop that forgets ``optimizer.zero_grad()``
    (the suites compare with that to name the mistake). Returns copies of the
    parameters after the last step."""
    params = [torch.as_tensor(p).clone().requires_grad_() for p in params]
    for loss_of in losses:
        loss = loss_of(*params)
        if zero_grad:
            for p in params:
                p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
    return [p.detach() for p in params]
