"""Hidden checks for lesson 4 · linear model. Trusted side: nothing here
imports student code; ``student`` runs it in the sandbox."""

import torch

from grader.check import assert_close, assert_shape, expect, fail, hints, points, public

# the seed data: hours studied -> points, y = 2x
XS = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
YS = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64)
WS = torch.arange(0.0, 4.1, 0.1, dtype=torch.float64)  # the lecture's np.arange(0.0, 4.1, 0.1): 41 candidates
MEAN = "the MSE is a mean: divide the sum of the squared errors by the number of samples N"


def random_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    xs = torch.randn(n, generator=g, dtype=torch.float64)
    return xs, 1.5 * xs + 0.3 * torch.randn(n, generator=g, dtype=torch.float64)


def surface(xs: torch.Tensor, ys: torch.Tensor, W: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
    """MSE of x * w + b at every grid point, one point at a time (trusted)."""
    flat = [((xs * w + b - ys) ** 2).mean() for w, b in zip(W.flatten().tolist(), B.flatten().tolist())]
    return torch.stack(flat).reshape(W.shape) if flat else torch.zeros(W.shape, dtype=xs.dtype)


def reject_a_fixed_divisor(got, expected: torch.Tensor, n: int, what: str) -> None:
    """Fail naming the divisor when ``got`` is the sum of the squared errors
    over ``n`` samples divided by a fixed number other than ``n`` (the
    lecture's ``l_sum / 3``, or a plain sum), so that the message blames the
    mean and not the grid."""
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape or not got.is_floating_point():
        return  # the comparison with expected that follows says what is wrong
    total = got.double().sum().item()
    if total > 0:
        k = round(n * expected.sum().item() / total)
        if k != n and k >= 1 and torch.allclose(got.double() * k, expected * n, rtol=1e-6, atol=1e-9):
            wrong = "sums the squared errors" if k == 1 else f"divides the sum of the squared errors by {k}"
            fail(f"{what} {wrong}: the mean should divide by the number of samples, {n} here", hint=MEAN)


@public
@hints(
    "The model has no bias yet.",
    "Multiply x by w; broadcasting handles both a float and a tensor w.",
)
@points(1)
def test_forward_multiplies_x_by_w(student):
    assert_close(student.forward(XS, 2.0), YS, "forward([1, 2, 3], w=2)")
    w = torch.tensor(0.5, dtype=torch.float64)
    assert_close(
        student.forward(XS, w),
        XS * 0.5,
        "forward([1, 2, 3], w=tensor(0.5))",
        hint="the linear model without bias predicts y_hat = x * w",
    )


@public
@hints(
    "One loss per sample: do not average here.",
    "Square the difference between forward(x, w) and y.",
)
@points(1)
def test_loss_is_the_squared_error_of_each_sample(student):
    assert_close(
        student.loss(XS, YS, 3.0),
        torch.tensor([1.0, 4.0, 9.0], dtype=torch.float64),
        "loss(x=[1, 2, 3], y=[2, 4, 6], w=3)",
        hint="one loss per sample, (x * w - y) ** 2, not summed or averaged",
    )
    assert_close(student.loss(XS, YS, 2.0), torch.zeros(3, dtype=torch.float64), "loss at w = 2")


@public
@hints(
    "Compute the MSE of every candidate w at once, without a Python loop.",
    "ws[:, None] * xs[None, :] is (K, N): subtract ys, square, and average over dim=1.",
)
@points(2)
def test_mse_over_w_on_the_seed_data_is_smallest_at_w_2(student):
    mse = assert_shape(student.mse_over_w(XS, YS, WS), (41,), "mse_over_w(xs, ys, ws of 41 candidates)")
    # on the seed data MSE(w) = (w - 2)^2 (1 + 4 + 9) / 3
    assert_close(mse, (WS - 2) ** 2 * 14 / 3, "MSE for w = 0.0, 0.1, ..., 4.0", hint=MEAN)
    best = WS[int(mse.argmin())].item()
    expect(abs(best - 2.0) < 1e-9, f"the smallest MSE should be at w = 2.0, found it at w = {best:.1f}")


@hints(
    "Nothing says there are 3 samples.",
    "Average over the sample axis with .mean(dim=1) instead of dividing by a fixed number.",
)
@points(1)
def test_mse_over_w_works_for_any_number_of_samples(student):
    for n, k in [(5, 7), (1, 3), (12, 1)]:
        xs, ys = random_data(n, seed=n)
        ws = torch.linspace(-1.0, 3.0, k, dtype=torch.float64)
        expected = torch.stack([((xs * w - ys) ** 2).mean() for w in ws])
        got = student.mse_over_w(xs, ys, ws)
        reject_a_fixed_divisor(got, expected, n, f"mse_over_w on {n} samples and {k} candidates")
        assert_close(
            got,
            expected,
            f"mse_over_w on {n} samples and {k} candidates",
            hint="the lecture divides by 3 because it has 3 samples: divide by len(xs)",
        )


@hints(
    "Every grid point (w, b) needs its own mean over all the samples.",
    "Give the grid a new last axis for the samples: W[..., None] * xs + B[..., None] has shape (*W.shape, N).",
)
@points(2)
def test_mse_surface_matches_the_formula_on_a_w_b_meshgrid(student):
    ws, bs = torch.linspace(0.0, 4.0, 41, dtype=torch.float64), torch.linspace(-2.0, 2.0, 21, dtype=torch.float64)
    W, B = torch.meshgrid(ws, bs, indexing="ij")
    got = assert_shape(student.mse_surface(XS, YS, W, B), (41, 21), "mse_surface on a 41 x 21 meshgrid")
    assert_close(
        got,
        surface(XS, YS, W, B),
        "MSE surface over (w, b)",
        hint="at each grid point: mean over the samples of (x * w + b - y) ** 2",
    )
    expect(got[20, 10].item() < 1e-12, f"MSE at w = 2, b = 0 should be 0, got {got[20, 10].item():.4g}")


@public
@hints(
    "The grid may be 1-D, 2-D in either orientation, or 3-D.",
    "Never index rows or columns of W; reduce over the samples axis you added with mean(dim=-1).",
)
@points(1)
def test_mse_surface_keeps_the_shape_of_any_grid(student):
    xs, ys = random_data(6, seed=1)
    ws, bs = torch.linspace(-1.0, 3.0, 9, dtype=torch.float64), torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    W, B = torch.meshgrid(ws, bs, indexing="xy")  # (5, 9): b varies along the rows this time
    cases = [
        ("an 'xy' meshgrid", W, B),
        ("a line of w values with b = 0.5", ws, torch.full_like(ws, 0.5)),
        ("a 3-axis grid", W.reshape(5, 3, 3), B.reshape(5, 3, 3)),
    ]
    for what, W_, B_ in cases:
        got, expected = student.mse_surface(xs, ys, W_, B_), surface(xs, ys, W_, B_)
        reject_a_fixed_divisor(got, expected, len(xs), f"mse_surface of {len(xs)} samples on {what}")
        assert_close(
            got,
            expected,
            f"mse_surface on {what}",
            hint="broadcast the grid against the samples, e.g. W[..., None] * xs + B[..., None], "
            "and average over that last axis; do not assume W's rows hold w",
        )
