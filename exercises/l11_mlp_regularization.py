"""Lesson 11 · Multilayer perceptrons and regularisation (d2l 4.1-4.8: 多层感知机,
模型选择/欠拟合/过拟合, 权重衰减, 暂退法 Dropout, 数值稳定性和模型初始化).

A multilayer perceptron (多层感知机) stacks affine layers with a nonlinearity
between them; without it, any number of layers collapses into one affine map.
The usual nonlinearity is ReLU, relu(x) = max(x, 0). You build the d2l MLP
for Fashion-MNIST from scratch: parameters W1 (784, 256), b1, W2 (256, 10),
b2 and the forward pass relu(X W1 + b1) W2 + b2, written with ``@``. The
grader trains it with SGD and checks its test accuracy.

Model selection (模型选择, 欠拟合和过拟合): fitting d2l's cubic
y = 5 + 1.2 x - 3.4 x^2 / 2! + 5.6 x^3 / 3! + noise with the features
x^i / i! (i = 0..degree), degree 3 fits and degree 1 underfits: its training
loss stays high. Dividing by i! keeps large powers from exploding.

Weight decay (权重衰减) adds lambda * ||w||^2 / 2 to the loss, pulling the
weights towards zero. On d2l's high-dimensional linear regression (200
inputs, only 20 training examples) a model without it fits the training set
perfectly and fails on the test set (过拟合); lambda = 3 gives a much smaller
||w|| and a much lower test loss.

Dropout (暂退法) zeroes each hidden activation with probability p during
training and scales the survivors by 1 / (1 - p), so that the expectation is
unchanged: E[h'] = (1 - p) * h / (1 - p) = h. Each call draws a fresh mask; at
evaluation (``model.eval()``) dropout does nothing.

Initialisation (数值稳定性和模型初始化): Xavier draws weights from
U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), so that their variance is
2 / (fan_in + fan_out) and activations and gradients keep their scale
through the layers.

Write ``relu`` without torch.relu, F.relu or clamp, and ``xavier_uniform_``
without torch.nn.init.
"""

import math

import torch
from torch import nn


def relu(X: torch.Tensor) -> torch.Tensor:
    """max(X, 0) elementwise. X: any shape, float; returns X's shape and dtype.

    Use basic operations (``torch.maximum``, comparisons, ``torch.where``):
    torch.relu, F.relu and clamp are off limits here.
    """
    raise NotImplementedError("relu")


# -- the MLP from scratch ------------------------------------------------------
def init_mlp_params(num_inputs: int, num_hiddens: int, num_outputs: int) -> list[torch.Tensor]:
    """d2l's parameters [W1, b1, W2, b2] for a one-hidden-layer MLP.

    W1: (num_inputs, num_hiddens) and W2: (num_hiddens, num_outputs), float32
    drawn from N(0, 0.01^2) (``torch.randn(...) * 0.01``); b1: (num_hiddens,)
    and b2: (num_outputs,) zeros. All four are leaf tensors with
    ``requires_grad=True`` (an optimizer can only update leaves: wrap with
    ``nn.Parameter`` or call ``requires_grad_()`` after scaling).
    """
    raise NotImplementedError("init_mlp_params")


def mlp_forward(X: torch.Tensor, params: list[torch.Tensor]) -> torch.Tensor:
    """relu(X W1 + b1) W2 + b2, with ``@`` and your ``relu``.

    X: (N, ...) float whose trailing dimensions hold num_inputs values, e.g.
    (N, 1, 28, 28) images: flatten it to (N, num_inputs) with
    ``X.reshape(-1, W1.shape[0])``. params: [W1, b1, W2, b2] as from
    ``init_mlp_params``. Returns (N, num_outputs) logits.
    """
    raise NotImplementedError("mlp_forward")


# -- weight decay ------------------------------------------------------------
def l2_penalty(w: torch.Tensor) -> torch.Tensor:
    """The L2 penalty sum(w ** 2) / 2 of any-shaped float ``w``, as a 0-dim
    tensor that autograd can differentiate (its gradient is w)."""
    raise NotImplementedError("l2_penalty")


def train_weight_decay(
    lambd: float,
    X_train: torch.Tensor,
    y_train: torch.Tensor,
    X_test: torch.Tensor,
    y_test: torch.Tensor,
    num_epochs: int = 100,
    lr: float = 0.003,
    batch_size: int = 5,
) -> dict:
    """d2l's weight-decay experiment: linear regression y_hat = X w + b trained
    by minibatch SGD on the squared loss plus ``lambd * l2_penalty(w)``.

    X_train: (n_train, d) float, y_train: (n_train, 1) float, likewise for the
    test set. Initialise w: (d, 1) from N(0, 1) and b: (1,) with zeros, both
    requiring gradients. Each epoch visits the training examples once in
    minibatches of ``batch_size`` (in any order); per minibatch: loss =
    mean of (y_hat - y) ** 2 / 2 plus lambd * l2_penalty(w), backward, then
    ``w -= lr * w.grad`` and the same for b under ``torch.no_grad()``, and zero
    the gradients.

    Returns a dict of Python floats after training: ``train_loss`` and
    ``test_loss``, the mean of (y_hat - y) ** 2 / 2 over each whole set (without
    the penalty), and ``w_norm``, the L2 norm ||w||.
    """
    raise NotImplementedError("train_weight_decay")


def polynomial_features(x: torch.Tensor, degree: int) -> torch.Tensor:
    """Features x^i / i! for i = 0, 1, ..., degree.

    x: (n,) float. Returns (n, degree + 1) of x's dtype (float64 in, float64
    out: d2l converts its features to float32, which loses the precision a
    float64 x was given for) whose column i is x ** i / i! (column 0 is all
    ones; ``math.factorial`` or ``math.gamma(i + 1)`` gives i!).
    """
    raise NotImplementedError("polynomial_features")


# -- dropout -------------------------------------------------------------------
def dropout_layer(X: torch.Tensor, dropout: float) -> torch.Tensor:
    """Inverted dropout: zero each element of X with probability ``dropout``,
    scale the survivors by 1 / (1 - dropout).

    X: any shape and float dtype, on any device. ``dropout`` must lie in
    [0, 1]: otherwise refuse it loudly, with a ``ValueError`` whose message
    names the value (d2l's ``assert 0 <= dropout <= 1`` refuses it too, with
    an ``AssertionError``). dropout 1 returns zeros like X; dropout 0 returns
    X itself. Otherwise draw a fresh uniform mask on every call, on X's device
    and in X's dtype (``torch.rand_like``, or ``device=X.device``), so that the
    result has X's dtype and device and autograd sees mask * X / (1 - dropout).
    """
    raise NotImplementedError("dropout_layer")


class DropoutMLP(nn.Module):
    """d2l's MLP with dropout: num_inputs -> num_hiddens1 -> num_hiddens2 ->
    num_outputs, ReLU after each hidden layer, and ``dropout_layer`` with rate
    ``dropout1`` after the first hidden layer's ReLU and ``dropout2`` after the
    second's, only while ``self.training`` (``model.train()``, the default;
    ``model.eval()`` switches it off).

    Name the layers ``lin1``, ``lin2``, ``lin3`` (``nn.Linear``): the grader
    reads their weights. Input: (N, ...) float with num_inputs values per
    sample (flatten with ``X.reshape(-1, num_inputs)``); output (N,
    num_outputs) logits.
    """

    def __init__(
        self, num_inputs: int, num_outputs: int, num_hiddens1: int, num_hiddens2: int, dropout1: float, dropout2: float
    ) -> None:
        super().__init__()
        raise NotImplementedError("DropoutMLP.__init__")

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("DropoutMLP.forward")


# -- initialisation ------------------------------------------------------------
def xavier_uniform_(weight: torch.Tensor) -> torch.Tensor:
    """Xavier (Glorot) initialisation, in place, like torch.nn.init.xavier_uniform_.

    weight: (fan_out, fan_in) float, as ``nn.Linear`` stores it (possibly a
    parameter that requires grad: fill it under ``torch.no_grad()``). Fill it
    with samples of U(-a, a), a = sqrt(6 / (fan_in + fan_out)), and return it.
    torch.nn.init is off limits here; ``Tensor.uniform_`` is fine.
    """
    raise NotImplementedError("xavier_uniform_")
