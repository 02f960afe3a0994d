"""Lesson 03 · Gradients by hand and by autograd 自动微分 (DLWPT ch. 5; d2l 2.3, 2.5).

The book's thermometer: 11 readings ``t_u`` in an unknown unit and the
same temperatures ``t_c`` in Celsius. Fit the linear model
``t_p = w * t_u + b`` by minimising the mean squared error

    L(w, b) = mean_i (w * t_u[i] + b - t_c[i])^2

By the chain rule, with N samples,

    dL/dw = mean_i 2 (t_p[i] - t_c[i]) * t_u[i]
    dL/db = mean_i 2 (t_p[i] - t_c[i])

and gradient descent repeats ``params -= learning_rate * grad``. At
(w, b) = (1, 0) the loss is 1763.88 and the gradient (4517.30, 82.60).
With learning rate 1e-2 on the raw readings the steps overshoot and the
loss explodes to inf within 11 epochs; 1e-4 is stable but slow. Scaling
the input (``t_un = 0.1 * t_u``) lets 1e-2 work: 5000 epochs reach
w = 5.3671, b = -17.3012 with loss 2.9276.

A central difference, (f(x + eps) - f(x - eps)) / (2 eps) per coordinate,
checks any hand-written gradient.

Autograd does the chain rule for you. Mark ``params`` with
``requires_grad=True``; ``loss.backward()`` adds dL/dparams into
``params.grad``. It *adds*: zero the gradient every epoch. Update the
parameters inside ``torch.no_grad()`` so the update itself is not
recorded.

More of autograd:
- a non-scalar y needs a vector v: ``y.backward(v)`` computes the
  vector-Jacobian product v^T (dy/dx) (非标量变量的反向传播);
- ``z = y.detach()`` is a constant with y's value: no gradient flows
  through it (分离计算);
- control flow is fine: autograd records the operations that actually ran
  (Python控制流的梯度计算).

线性代数: the L1 norm of a vector is the sum of absolute values, the L2 norm
the square root of the sum of squares, and a matrix's Frobenius norm the
square root of the sum of all squared entries.
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def model(t_u: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The linear model w * t_u + b.

    t_u: (N,) float; w, b: 0-dim float tensors. Returns (N,).
    """
    # BEGIN SOLUTION
    return w * t_u + b
    # END SOLUTION


def loss_fn(t_p: torch.Tensor, t_c: torch.Tensor) -> torch.Tensor:
    """Mean squared error between predictions t_p and targets t_c, both (N,).

    Returns a 0-dim tensor.
    """
    # BEGIN SOLUTION
    return ((t_p - t_c) ** 2).mean()
    # END SOLUTION


def grad_fn(t_u: torch.Tensor, t_c: torch.Tensor, t_p: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The gradient of ``loss_fn(model(t_u, w, b), t_c)`` with respect to
    (w, b), written by hand (no autograd).

    t_u, t_c, t_p: (N,) float, t_p = model(t_u, w, b); w, b: 0-dim.
    Returns (2,) of t_u's dtype: [dL/dw, dL/db].
    """
    # BEGIN SOLUTION
    dloss_dtp = 2 * (t_p - t_c) / t_p.size(0)
    return torch.stack([(dloss_dtp * t_u).sum(), dloss_dtp.sum()])
    # END SOLUTION


def numerical_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-4) -> torch.Tensor:
    """The gradient of f at x by central differences.

    f: maps a tensor of x's shape to a 0-dim tensor; x: float tensor of
    any shape. Returns a tensor of x's shape whose element i is
    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), e_i the i-th unit tensor.
    """
    # BEGIN SOLUTION
    grad = torch.zeros_like(x)
    flat = grad.view(-1)
    for i in range(x.numel()):
        step = torch.zeros_like(x).view(-1)
        step[i] = eps
        step = step.view_as(x)
        flat[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad
    # END SOLUTION


def training_loop(
    n_epochs: int, learning_rate: float, params: torch.Tensor, t_u: torch.Tensor, t_c: torch.Tensor
) -> torch.Tensor:
    """Plain gradient descent with the hand-written ``grad_fn``.

    params: (2,) float, the starting (w, b); t_u, t_c: (N,) float. Each
    epoch: predict, take the gradient at the current params, then
    ``params = params - learning_rate * grad``. Returns the (2,) params
    after ``n_epochs`` updates.
    """
    # BEGIN SOLUTION
    for _ in range(n_epochs):
        w, b = params
        t_p = model(t_u, w, b)
        params = params - learning_rate * grad_fn(t_u, t_c, t_p, w, b)
    return params
    # END SOLUTION


def autograd_training_loop(
    n_epochs: int, learning_rate: float, params: torch.Tensor, t_u: torch.Tensor, t_c: torch.Tensor
) -> torch.Tensor:
    """The same gradient descent with autograd computing the gradient.

    params: (2,) float leaf tensor with ``requires_grad=True``. Each epoch:
    zero ``params.grad`` (when it exists), forward, ``loss_fn``,
    ``backward``, then update either in place inside ``torch.no_grad()``
    (``params -= learning_rate * params.grad``; ``params.grad`` then keeps
    the last epoch's gradient) or as a fresh leaf, as the book does:
    ``params = (params - learning_rate * params.grad).detach().requires_grad_()``.
    Returns the (2,) params after ``n_epochs`` updates: a leaf with
    ``requires_grad=True``, ready for another ``backward``.
    """
    # BEGIN SOLUTION
    for _ in range(n_epochs):
        if params.grad is not None:
            params.grad.zero_()
        loss = loss_fn(model(t_u, *params), t_c)
        loss.backward()
        with torch.no_grad():
            params -= learning_rate * params.grad
    return params
    # END SOLUTION


def nonscalar_backward(x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """x.grad after ``y.backward(v)`` for y = x ** 2 (elementwise).

    x, v: float tensors of the same shape (x without requires_grad: make
    your own leaf copy). Returns a tensor of x's shape.
    """
    # BEGIN SOLUTION
    x = x.detach().clone().requires_grad_(True)
    y = x**2
    y.backward(v)
    return x.grad
    # END SOLUTION


def detached_grad(x: torch.Tensor) -> torch.Tensor:
    """The gradient of ``(z + x ** 3).sum()`` with respect to x, where
    ``z = (x ** 2).detach()``, computed with autograd.

    x: float tensor (without requires_grad). Returns a tensor of x's shape.
    """
    # BEGIN SOLUTION
    x = x.detach().clone().requires_grad_(True)
    z = (x**2).detach()
    (z + x**3).sum().backward()
    return x.grad
    # END SOLUTION


def control_flow_f(a: torch.Tensor) -> torch.Tensor:
    """d2l's function with control flow: b = 2a; double b while its L2
    norm is below 1000; return b if b.sum() > 0, else 100 * b.

    a: float tensor (any shape, not all zero). Returns a tensor of a's shape.
    """
    # BEGIN SOLUTION
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c
    # END SOLUTION


def control_flow_grad(a: torch.Tensor) -> torch.Tensor:
    """d control_flow_f(a) / d a by autograd, for a 0-dim a (nonzero).

    a: 0-dim float tensor without requires_grad. Returns a 0-dim tensor.
    """
    # BEGIN SOLUTION
    a = a.detach().clone().requires_grad_(True)
    control_flow_f(a).backward()
    return a.grad
    # END SOLUTION


def norms(v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The L1 and L2 norms of a vector, without torch.norm or torch.linalg.

    v: (n,) float. Returns (l1, l2), two 0-dim tensors.
    """
    # BEGIN SOLUTION
    return v.abs().sum(), (v**2).sum().sqrt()
    # END SOLUTION


def frobenius(M: torch.Tensor) -> torch.Tensor:
    """The Frobenius norm of a matrix, without torch.norm or torch.linalg.

    M: (m, n) float. Returns a 0-dim tensor: sqrt of the sum of all M[i, j] ** 2.
    """
    # BEGIN SOLUTION
    return (M**2).sum().sqrt()
    # END SOLUTION
