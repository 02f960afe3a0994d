"""Hidden checks for lesson 6 · back propagation. Trusted side: nothing here
imports student code; ``student`` runs it in the sandbox."""

from collections.abc import Callable
from typing import Any

import torch

from grader.check import assert_close, assert_shape, expect, fail, hints, points, public
from grader.drivers import l06_backprop as driver
from grader.reference import replay_steps
from grader.suite_helpers import run_with_hints

XS = torch.tensor([1.0, 2.0, 3.0])
YS = torch.tensor([2.0, 4.0, 6.0])
NO_GRAD_PATH = (
    "the loss does not depend on w through autograd: create w with requires_grad=True "
    "(`w.requires_grad_ = True` only sets an unused attribute; call w.requires_grad_()) "
    "and compute with w itself, not w.data or w.item()"
)
NEVER_ZEROED = (
    "forgetting to zero the gradient: backward() adds into .grad, so each step used the sum of all "
    "gradients so far; call w.grad.zero_() after each update"
)


# what autograd says about the usual mistake, and what to do about it
TRAINING_ERRORS = {"does not require grad": NO_GRAD_PATH}


def train(student, function: Callable, **kwargs: Any) -> Any:
    """Run a training driver; a loss that autograd cannot differentiate gets a hint naming the usual cause."""
    return run_with_hints(student, function, TRAINING_ERRORS, time_limit=60, **kwargs)


def value_of(described: dict, what: str) -> torch.Tensor:
    if not described["tensor"]:
        number = f" ({described['number']})" if described["number"] is not None else ""
        fail(f"{what} should be a (1,) tensor, got {described['type']}{number}")
    return assert_shape(described["value"], (1,), what)


def replay(xs, ys, w0: float, lr: float, epochs: int, zero: bool = True) -> torch.Tensor:
    """train_with_autograd done right (trusted), or without zeroing the gradient."""
    steps = [lambda w, x=x, y=y: (x * w - y) ** 2 for x, y in zip(xs, ys)] * epochs
    (w,) = replay_steps([torch.tensor([w0])], steps, lr, zero_grad=zero)
    return w


def replay_quadratic(xs, ys, lr: float, epochs: int, zero: bool = True) -> torch.Tensor:
    """train_quadratic from w1 = w2 = b = 1 done right (trusted), or without zeroing the gradient."""
    steps = [lambda w1, w2, b, x=x, y=y: (w1 * x**2 + w2 * x + b - y) ** 2 for x, y in zip(xs, ys)] * epochs
    return torch.cat(replay_steps([torch.tensor([1.0]) for _ in range(3)], steps, lr, zero_grad=zero))


def quadratic_params(described: Any) -> torch.Tensor:
    if isinstance(described, dict):
        fail(f"train_quadratic should return (w1, w2, b), got {described['type']}")
    expect(len(described) == 3, f"train_quadratic should return (w1, w2, b), got {len(described)} values")
    names = ("w1", "w2", "b")
    return torch.cat([value_of(d, f"{name} returned by train_quadratic") for d, name in zip(described, names)])


# -- forward and loss in the graph ---------------------------------------------
@public
@hints(
    "For autograd to see w, the prediction must be computed from the tensor w itself.",
    "Use torch operations on w; do not call .item() or .detach() on it.",
)
@points(1)
def test_forward_keeps_w_in_the_autograd_graph(student):
    w = torch.tensor([1.5], dtype=torch.float64, requires_grad=True)
    x = XS.double()
    grads = student.backward(student.forward, x, w)
    assert_close(grads.value, x * 1.5, "forward([1, 2, 3], w=[1.5])")
    assert_close(
        grads.inputs[0],
        torch.tensor([6.0], dtype=torch.float64),
        "d sum(forward(x, w)) / d w",
        hint="each x_n * w contributes x_n to the gradient: 1 + 2 + 3 = 6",
    )


@public
@hints(
    "Call backward on the loss, then read w.grad.",
    "For (x w - y)^2 the gradient is 2 x (x w - y).",
)
@points(2)
def test_loss_gradient_is_2x_times_the_error(student):
    for x, y, w in [(3.0, 5.0, 1.0), (2.0, 4.0, 2.5), (-1.0, 0.5, 0.0)]:
        w_ = torch.tensor([w], dtype=torch.float64, requires_grad=True)
        grads = student.backward(
            student.loss, torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64), w_
        )
        assert_close(
            grads.value.reshape(1),
            torch.tensor([(x * w - y) ** 2], dtype=torch.float64),
            f"loss(x={x}, y={y}, w=[{w}])",
            hint="the loss of one sample is (x * w - y) ** 2",
        )
        assert_close(
            grads.inputs[0],
            torch.tensor([2 * x * (x * w - y)], dtype=torch.float64),
            f"d loss / d w at x={x}, y={y}, w={w}",
        )


# -- the training loop -------------------------------------------------------------
@hints(
    "One update moves w against its gradient, scaled by the learning rate.",
    "Under torch.no_grad(): w -= lr * w.grad.",
)
@points(1)
def test_one_training_step_moves_w_by_minus_lr_times_the_gradient(student):
    w = value_of(
        train(student, driver.train_linear, xs=torch.tensor([3.0]), ys=torch.tensor([5.0]), w0=1.0, lr=0.1, epochs=1),
        "w returned by train_with_autograd",
    )
    # gradient 2 x (x w - y) = 2 * 3 * (3 - 5) = -12, so w = 1 - 0.1 * (-12) = 2.2
    assert_close(w, torch.tensor([2.2]), "w after one step from w = 1 on the sample (x=3, y=5) with lr = 0.1")


@hints(
    "backward() accumulates into w.grad across calls.",
    "After each update call w.grad.zero_(), or the next step uses the sum of all gradients so far.",
)
@points(2)
def test_training_zeroes_the_gradient_after_each_update(student):
    w = value_of(
        train(student, driver.train_linear, xs=XS, ys=YS, w0=1.0, lr=0.01, epochs=2),
        "w returned by train_with_autograd",
    )
    expect(
        not torch.allclose(w, replay(XS, YS, 1.0, 0.01, 2, zero=False)),
        "w after 2 epochs is what training gives when the gradient is never zeroed",
        hint=NEVER_ZEROED,
    )
    assert_close(
        w,
        replay(XS, YS, 1.0, 0.01, 2),
        "w after 2 epochs on the seed data from w = 1 with lr = 0.01",
        hint="per sample: backward, w -= lr * w.grad under torch.no_grad(), then w.grad.zero_()",
    )


@points(1)
def test_training_learns_w_2_on_the_seed_data(student):
    w = value_of(
        train(student, driver.train_linear, xs=XS, ys=YS, w0=1.0, lr=0.01, epochs=100),
        "w returned by train_with_autograd",
    )
    expect(
        abs(w.item() - 2.0) < 1e-3,
        f"after 100 epochs at lr = 0.01 from w = 1, w should be 2.000, got {w.item():.4f}",
        hint="per sample: backward, w -= lr * w.grad under torch.no_grad(), then w.grad.zero_()",
    )


@public
@hints(
    "w = w - lr * w.grad builds a new tensor that is no longer a leaf.",
    "Update in place under torch.no_grad() and return the very tensors you created with requires_grad=True.",
)
@points(1)
def test_trained_parameters_are_leaves_that_still_require_grad(student):
    described = train(student, driver.train_linear, xs=XS, ys=YS, w0=1.0, lr=0.01, epochs=1)
    quadratic = train(student, driver.train_quadratic, xs=XS, ys=YS, lr=0.01, epochs=1)
    quadratic_params(quadratic)
    for d, what in [
        (described, "w returned by train_with_autograd"),
        *zip(
            quadratic,
            ("w1 returned by train_quadratic", "w2 returned by train_quadratic", "b returned by train_quadratic"),
        ),
    ]:
        value_of(d, what)
        expect(
            d["requires_grad"],
            f"{what} does not require grad",
            hint="return the parameter itself, not w.detach(), w.data or a new tensor made from its value",
        )
        expect(
            d["is_leaf"],
            f"{what} is not a leaf tensor (it came out of a computation)",
            hint="update in place under torch.no_grad() (w -= lr * w.grad); w = w - lr * w.grad builds a new tensor",
        )


# -- the homework: a quadratic model -------------------------------------------------
@public
@hints(
    "The homework adds a quadratic term to the model.",
    "Compute y_hat from the tensors w1, w2 and b themselves, so that each of them gets a gradient.",
)
@points(2)
def test_quadratic_forward_gradients_are_x_squared_x_and_1(student):
    x = XS.double()
    w1, w2, b = (torch.tensor([v], dtype=torch.float64, requires_grad=True) for v in (0.5, -1.0, 2.0))
    grads = student.backward(student.quadratic_forward, x, w1, w2, b)
    assert_close(
        grads.value,
        0.5 * x**2 - x + 2.0,
        "quadratic_forward([1, 2, 3], w1=0.5, w2=-1, b=2)",
        hint="y_hat = w1 * x ** 2 + w2 * x + b",
    )
    for got, expected, name in zip(grads.inputs, (14.0, 6.0, 3.0), ("w1", "w2", "b")):
        expect(got is not None, f"quadratic_forward does not depend on {name}")
        assert_close(
            got,
            torch.tensor([expected], dtype=torch.float64),
            f"d sum(y_hat) / d {name} on x = [1, 2, 3]",
            hint="the gradients of sum(y_hat) are sum(x^2) = 14, sum(x) = 6 and N = 3",
        )


@hints(
    "Three parameters now: each one is updated and each one is zeroed.",
    "Per sample: one backward, then under torch.no_grad() update w1, w2 and b and zero each .grad.",
)
@points(2)
def test_train_quadratic_takes_one_step_per_sample_and_zeroes_every_gradient(student):
    got = quadratic_params(train(student, driver.train_quadratic, xs=XS, ys=YS, lr=0.01, epochs=2))
    expect(
        not torch.allclose(got, replay_quadratic(XS, YS, 0.01, 2, zero=False)),
        "(w1, w2, b) after 2 epochs are what training gives when the gradients are never zeroed",
        hint=NEVER_ZEROED,
    )
    assert_close(got, replay_quadratic(XS, YS, 0.01, 2), "(w1, w2, b) after 2 epochs from 1, 1, 1 with lr = 0.01")


@points(1)
def test_train_quadratic_fits_the_seed_data(student):
    w1, w2, b = quadratic_params(train(student, driver.train_quadratic, xs=XS, ys=YS, lr=0.01, epochs=1000)).tolist()
    mse = ((w1 * XS**2 + w2 * XS + b - YS) ** 2).mean().item()
    # the reference ends at MSE 0.008 (it starts at 19.7)
    expect(
        mse < 0.02,
        f"after 1000 epochs at lr = 0.01 the training MSE should be below 0.02, got {mse:.4g} "
        f"(w1 = {w1:.3f}, w2 = {w2:.3f}, b = {b:.3f})",
        hint="step against each parameter's gradient and zero them all",
    )
