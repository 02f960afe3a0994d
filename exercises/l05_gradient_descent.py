"""Lesson 5 · Gradient descent 梯度下降 (Liu Er lecture 3).

The exhaustive search of lesson 4 costs one evaluation per grid point, and a
grid over many weights is hopeless. Gradient descent walks downhill instead:
for the model y_hat = x * w and the cost

    cost(w) = (1/N) sum_n (x_n w - y_n)^2

the gradient is, by hand,

    d cost / d w = (1/N) sum_n 2 x_n (x_n w - y_n)

and each epoch takes one step against it: w <- w - lr * gradient. On the
seed data (x = [1, 2, 3], y = [2, 4, 6]) with w = 1.0 and lr = 0.01, 100
epochs bring w to 2. A small learning rate makes the cost fall every epoch;
a too-large one overshoots the minimum further each step and the cost blows
up.

随机梯度下降 (stochastic gradient descent, SGD) updates after every single
sample with that sample's gradient 2 x (x w - y): noisier steps, but many
more of them, and the noise helps it leave saddle points. Mini-batches (a
few samples per step) sit between the two and are what deep learning uses.

The cost curve of SGD is noisy; the lecture smooths it with an exponentially
weighted average (指数加权均值):

    C'_0 = C_0,    C'_i = beta * C_i + (1 - beta) * C'_{i-1}

Write the gradient by hand: autograd (``backward``, ``torch.autograd.grad``)
is the next lesson and off limits here.
"""

import torch


def cost(xs: torch.Tensor, ys: torch.Tensor, w: float) -> torch.Tensor:
    """The mean squared error of y_hat = x * w over the training set.

    xs, ys: (N,) float; w: a Python float. Returns a 0-dim tensor.
    """
    raise NotImplementedError("cost")


def gradient(xs: torch.Tensor, ys: torch.Tensor, w: float) -> torch.Tensor:
    """d cost / d w, worked out by hand: mean over n of 2 x_n (x_n w - y_n).

    xs, ys: (N,) float; w: a Python float. Returns a 0-dim tensor.
    """
    raise NotImplementedError("gradient")


def gradient_descent(
    xs: torch.Tensor, ys: torch.Tensor, w0: float, lr: float, epochs: int
) -> tuple[float, list[float]]:
    """Batch gradient descent from w = w0 for ``epochs`` epochs.

    Each epoch: record cost(xs, ys, w) (before the update), then
    w <- w - lr * gradient(xs, ys, w). Returns the final w as a Python float
    and the recorded costs, a list of ``epochs`` Python floats.
    """
    raise NotImplementedError("gradient_descent")


def stochastic_gradient_descent(
    xs: torch.Tensor, ys: torch.Tensor, w0: float, lr: float, epochs: int
) -> tuple[float, list[float]]:
    """SGD from w = w0: in each epoch, for each sample (x, y) in order,
    w <- w - lr * 2 x (x w - y), the gradient of that one sample's loss.

    At the end of each epoch record cost(xs, ys, w) over the whole training
    set. Returns the final w as a Python float and the recorded costs, a
    list of ``epochs`` Python floats.
    """
    raise NotImplementedError("stochastic_gradient_descent")


def exponential_moving_average(values: torch.Tensor, beta: float) -> torch.Tensor:
    """指数加权均值 of a sequence, as in the lecture:
    out[0] = values[0], out[i] = beta * values[i] + (1 - beta) * out[i - 1].

    values: (T,) float, T >= 1; beta in (0, 1]. Returns (T,), values' dtype.
    """
    raise NotImplementedError("exponential_moving_average")
