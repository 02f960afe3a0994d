"""Lesson 6 · Back propagation 反向传播 (Liu Er lecture 4).

Working out gradients by hand stops scaling once a model has layers. A
network is a computational graph of simple operations; the chain rule walks
it backwards from the loss, multiplying local derivatives. PyTorch records
the graph while you compute (the forward pass) and ``loss.backward()``
walks it back, adding d loss / d w into ``w.grad`` for every tensor ``w``
created with ``requires_grad=True``.

The lecture trains y_hat = x * w on the seed data x = [1, 2, 3],
y = [2, 4, 6] this way, one sample at a time:

1. create w as a tensor that requires grad;
2. forward: compute the sample's loss, which records the graph;
3. backward: ``l.backward()`` adds d l / d w into ``w.grad``;
4. update w in place inside ``with torch.no_grad():`` (the update itself
   must not be recorded in the graph);
5. zero ``w.grad``, because the next backward adds to whatever is there.

Three classic mistakes:

- ``w.requires_grad_ = True`` only sets a new, unused attribute: write
  ``w.requires_grad = True``, call ``w.requires_grad_()``, or pass
  ``requires_grad=True`` when you create w. Otherwise ``backward`` fails
  with "element 0 of tensors does not require grad".
- forgetting ``w.grad.zero_()``: ``backward`` accumulates, so each step
  would use the sum of all gradients so far.
- updating outside ``torch.no_grad()`` (``w = w - lr * w.grad``): the new w
  is a result of the graph rather than a leaf, and its ``.grad`` stays None.
  The lecture's ``w.data = w.data - lr * w.grad.data`` is the old spelling
  of the same no-grad update.

Homework: the quadratic model y_hat = w1 x^2 + w2 x + b with three
parameters, trained the same way.
"""

import torch


def forward(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """y_hat = x * w, kept in the autograd graph.

    x: any shape, float; w: (1,) float with requires_grad. Returns the
    broadcast shape of x and w.
    """
    raise NotImplementedError("forward")


def loss(x: torch.Tensor, y: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """The squared error (x * w - y)^2 of one sample (or of each sample).

    x, y: same shape, float; w: (1,) float with requires_grad.
    """
    raise NotImplementedError("loss")


def train_with_autograd(
    xs: torch.Tensor, ys: torch.Tensor, w0: float = 1.0, lr: float = 0.01, epochs: int = 100
) -> torch.Tensor:
    """Fit y = x * w by SGD with gradients from autograd.

    xs, ys: (N,) float32. Start from w = [w0], a (1,) float32 tensor that
    requires grad. Each epoch, for each sample (x, y) in order: compute
    loss(x, y, w), backward, w <- w - lr * w.grad under ``torch.no_grad()``,
    zero w.grad. Returns w: still a leaf tensor that requires grad.
    """
    raise NotImplementedError("train_with_autograd")


def quadratic_forward(x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The homework's model y_hat = w1 * x^2 + w2 * x + b.

    x: any shape, float; w1, w2, b: (1,) float with requires_grad.
    """
    raise NotImplementedError("quadratic_forward")


def train_quadratic(
    xs: torch.Tensor, ys: torch.Tensor, lr: float = 0.01, epochs: int = 100
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Fit y = w1 x^2 + w2 x + b by SGD with autograd, as ``train_with_autograd``.

    xs, ys: (N,) float32. Start from w1 = w2 = b = [1.0], (1,) float32
    tensors that require grad. Each epoch, for each sample in order: the
    squared error of quadratic_forward, backward, update all three
    parameters under ``torch.no_grad()``, zero all three gradients.
    Returns (w1, w2, b), each still a leaf tensor that requires grad.
    """
    raise NotImplementedError("train_quadratic")
