"""Hidden checks for lesson 5 · gradient descent. Trusted side: nothing here
imports student code; ``student`` runs it in the sandbox."""

from typing import Any

import torch

from grader.check import assert_close, describe, expect, fail, hints, points, public
from grader.reference import replay_scalar_gradient_descent, replay_scalar_sgd
from grader.suite_helpers import as_float, as_tuple

XS = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
YS = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64)
AUTOGRAD = ("torch.autograd.grad", "torch.autograd.backward", "torch.Tensor.backward")


def random_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    xs = torch.randn(n, generator=g, dtype=torch.float64)
    return xs, 1.7 * xs + 0.5 * torch.randn(n, generator=g, dtype=torch.float64)


def as_history(value: Any, epochs: int, what: str) -> torch.Tensor:
    """A cost history (list of numbers or a 1-D tensor) as a float64 tensor."""
    if isinstance(value, (list, tuple)):
        value = torch.tensor([as_float(v, f"each entry of {what}") for v in value], dtype=torch.float64)
    expect(isinstance(value, torch.Tensor), f"{what} should be a list of numbers, got {describe(value)}")
    expect(value.numel() == epochs, f"{what} should hold one cost per epoch ({epochs}), got {value.numel()}")
    return value.reshape(-1).double()


def run(fn, xs, ys, w0, lr, epochs, name) -> tuple[float, torch.Tensor]:
    out = fn(xs, ys, w0, lr, epochs)
    out = as_tuple(out, 2, name, returns="(w, history)")
    return as_float(out[0], f"the w returned by {name}"), as_history(out[1], epochs, f"the history of {name}")


# -- cost and gradient --------------------------------------------------------
@public
@hints(
    "The cost is the mean over the training set of the per-sample squared error.",
    "Average (xs * w - ys) ** 2 over the samples.",
)
@points(1)
def test_cost_is_the_mean_squared_error_on_the_seed_data(student):
    for w in (0.0, 1.0, 2.0, 3.5):
        expected = torch.tensor((w - 2) ** 2 * 14 / 3, dtype=torch.float64)  # (w - 2)^2 (1 + 4 + 9) / 3
        assert_close(
            torch.as_tensor(student.cost(XS, YS, w)).double().reshape(()),
            expected,
            f"cost at w = {w}",
            hint="the cost is the mean over the samples of (x * w - y) ** 2",
        )


@public
@hints(
    "Differentiate (x w - y)^2 with respect to w.",
    "The gradient is the mean over the samples of 2 x (x w - y).",
)
@points(2)
def test_gradient_matches_autograd(student):
    gradient = student.gradient.forbidding(*AUTOGRAD)
    for n, w in [(3, 0.0), (7, -1.0), (7, 2.5), (20, 1.7)]:
        xs, ys = random_data(n, seed=n)
        w_ = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        (expected,) = torch.autograd.grad(((xs * w_ - ys) ** 2).mean(), w_)
        got = torch.as_tensor(gradient(xs, ys, w)).double().reshape(())
        assert_close(
            got,
            expected,
            f"gradient on {n} samples at w = {w}",
            hint="d/dw of mean((x w - y)^2) is mean(2 x (x w - y)): mind the 2 and the sign",
        )


# -- gradient descent -----------------------------------------------------------
@hints(
    "Each epoch records the cost of the w it starts with.",
    "Append cost(xs, ys, w) first, then w <- w - lr * gradient(xs, ys, w); return (w, history).",
)
@points(2)
def test_gradient_descent_records_the_cost_then_steps_against_the_gradient(student):
    xs, ys = random_data(5, seed=3)
    w, history = run(student.gradient_descent, xs, ys, 0.0, 0.05, 6, "gradient_descent")
    w_expected, history_expected = replay_scalar_gradient_descent(xs, ys, 0.0, 0.05, 6)
    _, one_step_ahead = replay_scalar_gradient_descent(xs, ys, 0.0, 0.05, 7)
    expect(
        not torch.allclose(history, one_step_ahead[1:]),
        "gradient_descent records the cost after updating w: its history starts one step late",
        hint="record the cost at the start of each epoch, before the update",
    )
    assert_close(history, history_expected, "costs recorded by gradient_descent(w0=0, lr=0.05, 6 epochs)")
    expect(abs(w - w_expected) < 1e-9, f"final w: expected {w_expected:.6f}, got {w:.6f}")


@public
@hints(
    "Batch gradient descent steps against the gradient of the cost once per epoch.",
    "Each epoch: record cost(xs, ys, w), then w <- w - lr * gradient(xs, ys, w); return (w, history).",
)
@points(1)
def test_gradient_descent_converges_to_w_2_on_the_seed_data(student):
    w, history = run(student.gradient_descent, XS, YS, 1.0, 0.01, 100, "gradient_descent")
    expect(
        abs(w - 2.0) < 1e-3,
        f"after 100 epochs at lr = 0.01 from w = 1, w should be 2.000, got {w:.4f}",
        hint="w <- w - lr * gradient: step against the gradient",
    )
    expect(history[-1] < 1e-4, f"the cost of the last epoch should be almost 0, got {history[-1]:.4g}")


@hints(
    "A large learning rate overshoots the minimum further at every step.",
    "Do not clamp w or adapt the learning rate: apply the plain update with the lr you are given.",
)
@points(1)
def test_gradient_descent_cost_falls_for_a_small_lr_and_blows_up_for_a_large_one(student):
    _, small = run(student.gradient_descent, XS, YS, 1.0, 0.01, 30, "gradient_descent")
    rises = [i for i in range(1, 30) if small[i] >= small[i - 1]]
    if rises:
        fail(
            f"with lr = 0.01 the cost should fall every epoch, but it did not fall at epoch {rises[0]}: "
            f"{small[rises[0] - 1]:.4g} -> {small[rises[0]]:.4g}"
        )
    # lr = 0.5: each step multiplies w - 2 by 1 - 0.5 * 2 * 14 / 3 = -3.67
    w, large = run(student.gradient_descent, XS, YS, 1.0, 0.5, 10, "gradient_descent")
    expect(
        large[-1] > 1e6 * large[0],
        f"with lr = 0.5 the cost should blow up (overshooting further each step), "
        f"but it went from {large[0]:.4g} to {large[-1]:.4g}",
    )


# -- stochastic gradient descent ------------------------------------------------
@hints(
    "随机梯度下降 updates w once per sample, not once per epoch.",
    "Inside each epoch loop over zip(xs, ys) and step with that sample's own gradient 2 x (x w - y).",
    "Record the cost over the whole training set once, at the end of each epoch.",
)
@points(2)
def test_sgd_updates_w_after_every_sample(student):
    xs, ys = random_data(4, seed=5)
    w, history = run(student.stochastic_gradient_descent, xs, ys, 0.5, 0.05, 3, "stochastic_gradient_descent")
    w_expected, history_expected = replay_scalar_sgd(xs, ys, 0.5, 0.05, 3)
    w_batch, _ = replay_scalar_gradient_descent(xs, ys, 0.5, 0.05, 3)
    expect(
        abs(w - w_batch) > 1e-9,
        "stochastic_gradient_descent took one step per epoch with the mean gradient: that is batch gradient descent",
        hint="update w inside the loop over the samples, with each sample's own gradient 2 x (x w - y)",
    )
    expect(
        abs(w - w_expected) < 1e-9,
        f"w after 3 epochs of SGD on 4 samples: expected {w_expected:.6f}, got {w:.6f}",
        hint="for each sample in order: w <- w - lr * 2 x (x w - y)",
    )
    assert_close(history, history_expected, "costs recorded by stochastic_gradient_descent")


@public
@hints(
    "随机梯度下降 steps once per sample, with that sample's own gradient.",
    "For each (x, y): w <- w - lr * 2 x (x w - y); record the cost over all samples once per epoch.",
)
@points(1)
def test_sgd_converges_to_w_2_on_the_seed_data(student):
    w, _ = run(student.stochastic_gradient_descent, XS, YS, 1.0, 0.01, 100, "stochastic_gradient_descent")
    expect(abs(w - 2.0) < 1e-3, f"after 100 epochs of SGD at lr = 0.01 from w = 1, w should be 2.000, got {w:.4f}")


# -- exponentially weighted average ----------------------------------------------
@hints(
    "指数加权均值 mixes each new value into the running average.",
    "out[0] = values[0]; then out[i] = beta * values[i] + (1 - beta) * out[i - 1]: beta weighs the new value.",
)
@points(2)
def test_exponential_moving_average_follows_the_recurrence(student):
    values = torch.tensor([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0], dtype=torch.float64)
    for beta in (0.3, 0.9):
        expected = [values[0].item()]
        for v in values[1:].tolist():
            expected.append(beta * v + (1 - beta) * expected[-1])
        assert_close(
            student.exponential_moving_average(values, beta),
            torch.tensor(expected, dtype=torch.float64),
            f"exponential_moving_average(values, beta={beta})",
        )


@public
@hints(
    "An average that starts at 0 is biased low for the first values.",
    "Start the running average at the first value itself.",
)
@points(1)
def test_exponential_moving_average_of_a_constant_is_that_constant(student):
    values = torch.full((10,), 5.0, dtype=torch.float64)
    assert_close(
        student.exponential_moving_average(values, 0.2),
        values,
        "exponential moving average of ten 5.0s",
        hint="start from C'_0 = C_0, not from 0: starting from 0 biases the first values low",
    )
