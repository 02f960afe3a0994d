"""Lesson 4 · Linear model 线性模型 (Liu Er lecture 2).

Supervised learning starts from a training set of pairs (x, y). The seed
data: a student who studies x = 1, 2, 3 hours scores y = 2, 4, 6 points;
how many points for 4 hours?

Model: the prediction is y_hat = x * w, with one weight w and no bias yet.
Loss of one sample: (y_hat - y)^2. Cost over the training set, the mean
squared error:

    MSE(w) = (1/N) sum_n (x_n w - y_n)^2

穷举法 (exhaustive search): evaluate MSE(w) for every w on a grid
(w = 0.0, 0.1, ..., 4.0) and keep the smallest; on the seed data it is at
w = 2 with MSE 0. The lecture loops over w and over the samples in Python;
here you compute the MSE of every w at once by broadcasting: put the
candidates on one axis and the samples on another, then average over the
samples.

Homework: with a bias the model is y_hat = x * w + b and MSE(w, b) is a
surface over the (w, b) plane (the lecture plots it in 3D). Build the grid
with ``W, B = torch.meshgrid(ws, bs, indexing="ij")`` and compute the MSE at
every grid point with one broadcast: add a sample axis after the grid's axes.
"""

import torch


def forward(x: torch.Tensor, w: float | torch.Tensor) -> torch.Tensor:
    """The prediction y_hat = x * w.

    x: any shape, float; w: a Python float or a tensor that broadcasts
    against x. Returns the broadcast shape of x and w.
    """
    # BEGIN SOLUTION
    return x * w
    # END SOLUTION


def loss(x: torch.Tensor, y: torch.Tensor, w: float | torch.Tensor) -> torch.Tensor:
    """The squared error of each sample, (x * w - y)^2, not summed.

    x, y: same shape, float; w as in ``forward``. Returns one loss per
    sample: the broadcast shape of x, y and w.
    """
    # BEGIN SOLUTION
    return (forward(x, w) - y) ** 2
    # END SOLUTION


def mse_over_w(xs: torch.Tensor, ys: torch.Tensor, ws: torch.Tensor) -> torch.Tensor:
    """The exhaustive search: the MSE of y_hat = x * w for every candidate w.

    xs, ys: (N,) float, the training set; ws: (K,) float, the candidates.
    Returns (K,): out[k] = mean over n of (xs[n] * ws[k] - ys[n])^2.
    Use broadcasting rather than a Python loop: ws[:, None] against
    xs[None, :] is (K, N).
    """
    # BEGIN SOLUTION
    return loss(xs[None, :], ys[None, :], ws[:, None]).mean(dim=1)
    # END SOLUTION


def mse_surface(xs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
    """The MSE of y_hat = x * w + b at every point (W[i, j], B[i, j]) of a grid.

    xs, ys: (N,) float; W, B: float tensors of one shape, usually (K, M)
    from ``torch.meshgrid(ws, bs, indexing="ij")``, but any grid works: a
    line (K,), an "xy" meshgrid (M, K), more axes. Returns W's shape:
    out[i, j] = mean over n of (xs[n] * W[i, j] + B[i, j] - ys[n])^2.
    """
    # BEGIN SOLUTION
    predictions = W[..., None] * xs + B[..., None]  # (..., N): the samples on a new last axis
    return ((predictions - ys) ** 2).mean(dim=-1)
    # END SOLUTION
