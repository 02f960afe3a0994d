"""Hidden checks for lesson 8 · logistic regression. Trusted side: nothing
here imports student code; ``student`` runs it in the sandbox."""

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from grader.check import assert_close, assert_finite, assert_shape, expect, hints, points, public
from grader.drivers import l08_logistic_regression as driver
from grader.reference import replay_steps
from grader.suite_helpers import as_float, run_with_hints

HOURS = torch.tensor([[1.0], [2.0], [3.0]])
PASSED = torch.tensor([[0.0], [0.0], [1.0]])
TORCH_BCE = (
    "torch.nn.functional.binary_cross_entropy",
    "torch.nn.functional.binary_cross_entropy_with_logits",
    "torch.binary_cross_entropy_with_logits",
)
CLAMP = "clamp each log at -100, as torch does: torch.log(p).clamp(min=-100) and torch.log(1 - p).clamp(min=-100)"
STABLE = "use max(z, 0) - z * y + log(1 + exp(-|z|)): exp never sees a large positive number"
SUM = "nn.BCELoss(reduction='sum') (size_average=False is the deprecated spelling of it), not the default mean"
ZERO_GRAD = "optimizer.zero_grad() before loss.backward(), or the gradients of all epochs pile up"


# what BCELoss says about the usual mistakes, and what to do about them
TRAINING_ERRORS = {
    "Found dtype Long but expected Float": "BCELoss wants float labels 0.0 / 1.0 of the output's shape; int64 class "
    "indices are for CrossEntropyLoss",
    "should be between 0 and 1": "BCELoss takes probabilities: forward must end with torch.sigmoid",
}


def train(student, function: Callable, **kwargs: Any) -> Any:
    """Run a training driver; the usual BCELoss errors get a hint."""
    return run_with_hints(student, function, TRAINING_ERRORS, time_limit=60, **kwargs)


def probabilities_and_labels(n: int, seed: int, soft: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    p = torch.rand(n, generator=g, dtype=torch.float64) * 0.98 + 0.01
    y = torch.rand(n, generator=g, dtype=torch.float64)
    return p, (y if soft else (y > 0.5).double())


def replay_fit(
    w: float, b: float, epochs: int, lr: float, reduction: str = "sum", zero_grad: bool = True
) -> torch.Tensor:
    """(w, b) after ``epochs`` SGD steps on the pass/fail data (trusted)."""

    def step(weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy(torch.sigmoid(HOURS * weight + bias), PASSED, reduction=reduction)

    return torch.stack(replay_steps([w, b], [step] * epochs, lr, zero_grad))


@public
@hints(
    "Logistic regression is linear regression followed by a squashing function.",
    "Apply torch.sigmoid to the output of the linear layer.",
)
@points(1)
def test_logistic_model_is_a_sigmoid_over_one_linear_layer(student):
    model = student.LogisticRegressionModel()
    shapes = sorted(tuple(p.shape) for p in model.parameters())
    expect(
        shapes == [(1,), (1, 1)], f"expected the parameters of nn.Linear(1, 1), shapes (1, 1) and (1,); got {shapes}"
    )
    w, b = model.linear.weight.reshape(()), model.linear.bias.reshape(())
    x = torch.tensor([[0.0], [1.0], [4.0], [-3.0]])
    assert_close(
        model(x),
        torch.sigmoid(x * w + b),
        "LogisticRegressionModel()(x of shape (4, 1))",
        hint="forward returns torch.sigmoid(self.linear(x))",
    )


# -- binary cross-entropy from scratch -------------------------------------------------
@public
@hints(
    "BCE is -(y log p + (1 - y) log(1 - p)), averaged over the samples.",
    "Clamp each log at -100 the way torch does: torch.log(p).clamp(min=-100).",
)
@points(2)
def test_binary_cross_entropy_matches_torch(student):
    bce = student.binary_cross_entropy.forbidding(*TORCH_BCE)
    for n, seed, soft in [(1, 0, False), (10, 1, False), (64, 2, False), (12, 3, True)]:
        p, y = probabilities_and_labels(n, seed, soft)
        assert_close(
            torch.as_tensor(bce(p, y)).reshape(()),
            F.binary_cross_entropy(p, y),
            f"binary_cross_entropy of {n} {'soft ' if soft else ''}labels",
            hint="the mean over the batch of -(y log p + (1 - y) log(1 - p))",
        )
    p, y = probabilities_and_labels(12, 4)
    assert_close(
        torch.as_tensor(bce(p.reshape(3, 4), y.reshape(3, 4))).reshape(()),
        F.binary_cross_entropy(p, y),
        "binary_cross_entropy of a (3, 4) batch",
        hint="average over every element",
    )


@hints(
    "log(0) is -inf, and 0 * -inf is NaN.",
    "Clamp torch.log(p) and torch.log(1 - p) at min=-100 before multiplying them by the labels.",
)
@points(1)
def test_binary_cross_entropy_stays_finite_at_p_0_and_1(student):
    p = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-300], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 1.0], dtype=torch.float64)
    for p_, y_, what in [
        *((p[i : i + 1], y[i : i + 1], f"p = {p[i].item():g}, y = {y[i].item():g}") for i in range(6)),
        (p, y, "the six together"),
    ]:
        loss = torch.as_tensor(student.binary_cross_entropy(p_, y_)).reshape(())
        assert_finite(loss, f"binary_cross_entropy at {what}", hint=f"log(0) is -inf and 0 * log(0) is NaN: {CLAMP}")
        assert_close(loss, F.binary_cross_entropy(p_, y_), f"binary_cross_entropy at {what}", hint=CLAMP)


@hints(
    "The loss has to stay in the autograd graph.",
    "Use torch.log and tensor arithmetic on p; no math.log, numpy, .item() or .detach().",
)
@points(1)
def test_binary_cross_entropy_gradient_matches_torch(student):
    p, y = probabilities_and_labels(8, seed=5)
    p.requires_grad_()
    grads = student.backward(student.binary_cross_entropy, p, y)
    (expected,) = torch.autograd.grad(F.binary_cross_entropy(p, y), p)
    assert_close(
        grads.inputs[0],
        expected,
        "d binary_cross_entropy / d p",
        hint="keep the loss in autograd: torch.log on p itself, no .detach(), .item(), numpy or math",
    )


# -- BCE from logits ---------------------------------------------------------------------
@public
@hints(
    "Rewrite BCE(sigmoid(z), y) in terms of z alone.",
    "It equals max(z, 0) - z * y + log(1 + exp(-|z|)), averaged over all elements.",
)
@points(2)
def test_bce_with_logits_matches_torch(student):
    bce = student.bce_with_logits.forbidding(*TORCH_BCE)
    g = torch.Generator().manual_seed(6)
    for n, scale in [(1, 1.0), (16, 3.0), (40, 5.0)]:
        z = torch.randn(n, generator=g, dtype=torch.float64) * scale
        y = (torch.rand(n, generator=g, dtype=torch.float64) > 0.5).double()
        assert_close(
            torch.as_tensor(bce(z, y)).reshape(()),
            F.binary_cross_entropy_with_logits(z, y),
            f"bce_with_logits of {n} logits of size about {scale:g}",
        )


@hints(
    "Computing sigmoid(z) first loses everything at z = 1e4: it rounds to exactly 1.",
    "Never exponentiate a large positive number: z.clamp(min=0) and torch.log1p(torch.exp(-z.abs())).",
)
@points(2)
def test_bce_with_logits_stays_exact_for_logits_of_1e4(student):
    z = torch.tensor([1e4, -1e4, 1e4, -1e4, 0.0, 30.0], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.5, 0.0], dtype=torch.float64)
    for z_, y_, what in [
        *((z[i : i + 1], y[i : i + 1], f"z = {z[i].item():g}, y = {y[i].item():g}") for i in range(6)),
        (z, y, "the six logits together"),
    ]:
        loss = torch.as_tensor(student.bce_with_logits(z_, y_)).reshape(())
        assert_finite(loss, f"bce_with_logits at {what}", hint=STABLE)
        assert_close(
            loss,
            F.binary_cross_entropy_with_logits(z_, y_),
            f"bce_with_logits at {what}",
            hint="a confidently wrong logit of 1e4 costs 1e4, not the 100 that clamping the logs gives: " + STABLE,
        )


# -- training on the seed data ----------------------------------------------------------------
@hints(
    "The loop of lecture 5 with BCE summed over the samples, on the model passed in.",
    "nn.BCELoss(reduction='sum') and SGD; per epoch: zero_grad, loss, backward, step.",
)
@points(2)
def test_fit_pass_fail_takes_sgd_steps_on_the_summed_bce(student):
    out = train(student, driver.fit_steps, hours=HOURS, passed=PASSED, weight=0.5, bias=-0.2, epochs=3, lr=0.1)
    got = torch.stack([out["weight"], out["bias"]])
    expect(out["same_model"], "fit_pass_fail should train the model it is given and return it")
    expect(
        not torch.allclose(got, replay_fit(0.5, -0.2, 3, 0.1, reduction="mean")),
        "(w, b) after 3 epochs match training on the mean BCE",
        hint=SUM,
    )
    expect(
        not torch.allclose(got, replay_fit(0.5, -0.2, 3, 0.1, zero_grad=False)),
        "(w, b) after 3 epochs match training whose gradients are never zeroed",
        hint=ZERO_GRAD,
    )
    assert_close(
        got,
        replay_fit(0.5, -0.2, 3, 0.1),
        "(w, b) after 3 epochs from (0.5, -0.2) at lr = 0.1",
        hint="per epoch: loss = criterion(model(hours), passed); optimizer.zero_grad(); "
        "loss.backward(); optimizer.step()",
    )


@points(2)
def test_trained_model_passes_4_hours_and_fails_1_hour(student):
    p = train(
        student,
        driver.fit_and_predict,
        hours=HOURS,
        passed=PASSED,
        x_new=torch.tensor([[1.0], [4.0]]),
        epochs=1000,
        lr=0.01,
    )
    p1, p4 = assert_shape(p, (2, 1), "model(tensor([[1.0], [4.0]]))").reshape(-1).tolist()
    # the reference gives P(pass | 1 h) 0.13-0.17 and P(pass | 4 h) 0.85-0.90 from the initialisations of seeds 0-9
    expect(
        p1 < 0.5 < p4,
        f"after 1000 epochs P(pass | 1 h) = {p1:.3f} should be below 0.5 and P(pass | 4 h) = {p4:.3f} above it",
        hint="sigmoid(linear(x)) trained with BCELoss(reduction='sum') and SGD at lr = 0.01",
    )


@public
@hints(
    "sigmoid(t) is 1/2 exactly where t = 0.",
    "Solve w x + b = 0 with w = model.linear.weight.item() and b = model.linear.bias.item().",
)
@points(1)
def test_decision_boundary_is_where_p_is_one_half_between_2_and_4_hours(student):
    out = train(student, driver.boundaries, weight=2.0, bias=-5.0, hours=HOURS, passed=PASSED, epochs=1000, lr=0.01)
    known = as_float(out["known"], "decision_boundary(model)")
    expect(
        abs(known - 2.5) < 1e-6,
        f"for w = 2, b = -5 the boundary is at 2.5 hours, got {known:.4f}",
        hint="p = 1/2 where w x + b = 0, so x = -b / w",
    )
    boundary = as_float(out["trained"], "decision_boundary(model)")
    # the reference puts it at 2.41-2.42 hours from the initialisations of seeds 0-9
    expect(2.0 < boundary < 4.0, f"the trained model's boundary should lie between 2 and 4 hours, got {boundary:.3f}")
    p = out["p_at_trained"].item()
    expect(abs(p - 0.5) < 1e-3, f"the model's p at its boundary {boundary:.3f} h is {p:.4f}, not 1/2")
