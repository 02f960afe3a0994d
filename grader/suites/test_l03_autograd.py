"""Hidden checks for lesson 03 · gradients by hand and by autograd. Trusted
side: nothing here imports student code; ``student`` runs it in the
sandbox. The book's numbers (DLWPT 5.4-5.5) are checked as printed there,
and were reproduced by the reference implementation in float32."""

import torch

from grader.check import assert_close, assert_finite, assert_shape, expect, fail, hints, points, public
from grader.drivers import l03_autograd as driver
from grader.drivers.l03_autograd import smooth_function
from grader.suite_helpers import as_tuple

# The book's thermometer: Celsius and unknown-unit readings.
T_C = torch.tensor([0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0])
T_U = torch.tensor([35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4])
START = torch.tensor([1.0, 0.0])
# Printed in the book (4 decimals) and reproduced in float32 by the reference:
BOOK_LOSS = 1763.8848  # loss at (w, b) = (1, 0); reference 1763.884766
BOOK_GRAD = torch.tensor([4517.2969, 82.6000])  # gradient there; reference (4517.2964, 82.6000)
AFTER_10_AT_1E_2 = torch.tensor([3.2144e17, 5.6621e15])  # reference (3.21441572e17, 5.66212572e15), loss inf
AFTER_100_AT_1E_4 = torch.tensor([0.2327, -0.0438])  # reference (0.23272288, -0.04377692)
AFTER_5000_SCALED = torch.tensor(
    [5.3671, -17.3012]
)  # reference (5.36708355, -17.30118942); float64 (5.36709, -17.30122)
LOSS_5000_SCALED = 2.9276  # reference 2.92764664
BOOK_ATOL = 2e-4  # four printed decimals plus float32 noise
NO_NORM = (
    "torch.norm",
    "torch.Tensor.norm",
    "torch.linalg.norm",
    "torch.linalg.vector_norm",
    "torch.linalg.matrix_norm",
    "torch.dist",
    "torch.nn.functional.normalize",
)


def reference_loss(params: torch.Tensor, t_u: torch.Tensor, t_c: torch.Tensor) -> torch.Tensor:
    return ((params[0] * t_u + params[1] - t_c) ** 2).mean()


def reference_grad(params: torch.Tensor, t_u: torch.Tensor, t_c: torch.Tensor) -> torch.Tensor:
    params = params.detach().clone().requires_grad_(True)
    reference_loss(params, t_u, t_c).backward()
    return params.grad


def reference_f(a: torch.Tensor) -> torch.Tensor:
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    return b if b.sum() > 0 else 100 * b


def as_scalar(value, what: str) -> torch.Tensor:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return torch.tensor(float(value), dtype=torch.float64)
    expect(isinstance(value, torch.Tensor) and value.numel() == 1, f"{what} should be a 0-dim tensor, got {value!r}")
    return value.reshape(()).double()


def params_after(student, n_epochs: int, lr: float, t_u: torch.Tensor, what: str) -> torch.Tensor:
    got = assert_shape(student.training_loop(n_epochs, lr, START.clone(), t_u, T_C), (2,), what)
    expect(got.is_floating_point(), f"{what}: expected float params, got {got.dtype}")
    return got.float()


# -- the model and the loss -------------------------------------------------
@public
@hints(
    "The book's model is linear: t_p = w * t_u + b.",
    "The loss is the mean of the squared differences (t_p - t_c) ** 2.",
)
@points(1)
def test_model_and_loss_give_the_books_initial_loss_1763_8848(student):
    t_p = assert_shape(student.model(T_U, torch.tensor(1.0), torch.tensor(0.0)), (11,), "model(t_u, 1, 0)")
    loss = as_scalar(student.loss_fn(t_p, T_C), "loss_fn(t_p, t_c)")
    expect(
        abs(loss.item() - BOOK_LOSS) < 1e-3,
        f"the loss at w=1, b=0 should be the book's {BOOK_LOSS}, got {loss.item():.4f}",
    )
    w, b = torch.tensor(0.5), torch.tensor(3.0)
    t_p = student.model(T_U, w, b)
    assert_close(t_p, w * T_U + b, "model(t_u, 0.5, 3.0)", hint="t_p = w * t_u + b")
    assert_close(
        as_scalar(student.loss_fn(t_p, T_C), "loss_fn").float(),
        reference_loss(torch.stack([w, b]), T_U, T_C),
        "loss_fn at w=0.5, b=3",
    )


# -- gradients by hand ------------------------------------------------------
@public
@hints(
    "Apply the chain rule: dL/dw = dL/dt_p * dt_p/dw.",
    "dL/dt_p = 2 (t_p - t_c) / N, dt_p/dw = t_u and dt_p/db = 1; sum the products over the samples.",
)
@points(2)
def test_grad_fn_at_w_1_b_0_is_the_books_4517_2969_and_82_6(student):
    w, b = torch.tensor(1.0), torch.tensor(0.0)
    got = assert_shape(student.grad_fn(T_U, T_C, w * T_U + b, w, b), (2,), "grad_fn at w=1, b=0")
    assert_close(
        got,
        BOOK_GRAD,
        "grad_fn at w=1, b=0 (the book's [4517.2969, 82.6000])",
        rtol=0,
        atol=2e-3,
        hint="dL/dt_p = 2 (t_p - t_c) / N; dL/dw = sum(dL/dt_p * t_u), dL/db = sum(dL/dt_p)",
    )


@hints(
    "The check uses other numbers of samples than the book's 11, in float64.",
    "Divide by t_p.size(0), not by a fixed number, and build the result from the inputs (torch.stack) so that their "
    "dtype is kept.",
)
@points(2)
def test_grad_fn_equals_autograd_in_float64_at_random_points(student):
    g = torch.Generator().manual_seed(0)
    for n in (3, 7, 20, 50):
        t_u = torch.rand(n, generator=g, dtype=torch.float64) * 80
        t_c = torch.randn(n, generator=g, dtype=torch.float64) * 10
        params = torch.randn(2, generator=g, dtype=torch.float64)
        w, b = params[0], params[1]
        got = assert_shape(student.grad_fn(t_u, t_c, w * t_u + b, w, b), (2,), f"grad_fn on {n} samples")
        expect(got.dtype == torch.float64, f"grad_fn should keep float64 inputs in float64, got {got.dtype}")
        expected = reference_grad(params, t_u, t_c)
        error = ((got - expected).abs().max() / expected.abs().max()).item()
        expect(
            error <= 1e-7,
            f"grad_fn on {n} random samples differs from autograd by a relative {error:.2e} "
            f"(got {got.tolist()}, autograd {expected.tolist()})",
            hint="average over the N samples you were given: t_p.size(0), not a fixed number",
        )


@public
@hints(
    "Nudge one coordinate of x at a time and see how f changes.",
    "Use central differences, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps): forward differences are not accurate "
    "enough.",
)
@points(2)
def test_numerical_grad_matches_autograd_on_random_smooth_functions(student):
    g = torch.Generator().manual_seed(1)
    cases = []
    for n in (1, 3, 6):
        m = n + 2
        cases.append(
            {
                "W": torch.randn(m, n, generator=g, dtype=torch.float64),
                "shift": torch.randn(m, generator=g, dtype=torch.float64),
                "a": torch.randn(m, generator=g, dtype=torch.float64),
                "c": torch.randn(n, generator=g, dtype=torch.float64),
                "x": torch.randn(n, generator=g, dtype=torch.float64),
            }
        )
    # measured for eps=1e-4: central differences are within 5e-8 of autograd, forward differences off by 5e-5 to 2e-4
    got = student.run_driver(driver.numerical_grads, cases=cases, eps=1e-4, time_limit=30)
    for case, grad in zip(cases, got):
        x = case["x"].clone().requires_grad_(True)
        smooth_function(case)(x).backward()
        assert_close(
            grad,
            x.grad,
            f"numerical_grad of a smooth function of {len(x)} variables",
            rtol=1e-6,
            atol=1e-6,
            hint="per coordinate i: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)",
        )


# -- gradient descent by hand -------------------------------------------------
@public
@hints(
    "With this learning rate every step overshoots, and the book shows the params exploding.",
    "Apply the same update every epoch, even when the loss gets huge: do not clip, stop early or skip steps.",
)
@points(1)
def test_training_loop_with_lr_1e_2_on_raw_t_u_blows_up_within_11_epochs(student):
    got = params_after(student, 10, 1e-2, T_U, "training_loop(10 epochs, lr 1e-2)")
    assert_close(
        got,
        AFTER_10_AT_1E_2,
        "params after 10 epochs at lr 1e-2 (overshooting more at every step)",
        rtol=1e-3,
        atol=0,
        hint="params = params - learning_rate * grad_fn(...), every epoch",
    )
    loss = reference_loss(got, T_U, T_C)
    expect(not torch.isfinite(loss), f"the loss at epoch 11 should be inf as in the book, it is {loss.item():.4g}")


@hints(
    "One epoch: predict with the current params, take the gradient there, step.",
    "w, b = params; t_p = model(t_u, w, b); params = params - learning_rate * grad_fn(t_u, t_c, t_p, w, b).",
)
@points(2)
def test_training_loop_with_lr_1e_4_for_100_epochs_gives_0_2327_and_minus_0_0438(student):
    got = params_after(student, 100, 1e-4, T_U, "training_loop(100 epochs, lr 1e-4)")
    assert_close(
        got,
        AFTER_100_AT_1E_4,
        "params after 100 epochs at lr 1e-4 (the book's [0.2327, -0.0438])",
        rtol=0,
        atol=BOOK_ATOL,
        hint="update both w and b from the gradient at the current params",
    )


@points(2)
def test_training_loop_on_scaled_input_converges_to_5_3671_and_minus_17_3012(student):
    got = params_after(student, 5000, 1e-2, 0.1 * T_U, "training_loop(5000 epochs, lr 1e-2, t_un)")
    assert_close(
        got,
        AFTER_5000_SCALED,
        "params after 5000 epochs on t_un = 0.1 * t_u (the book's [5.3671, -17.3012])",
        rtol=0,
        atol=BOOK_ATOL,
    )
    loss = reference_loss(got, 0.1 * T_U, T_C).item()
    expect(
        abs(loss - LOSS_5000_SCALED) < 1e-3, f"the final loss should be the book's {LOSS_5000_SCALED}, got {loss:.4f}"
    )


# -- gradient descent with autograd -----------------------------------------
@points(2)
def test_autograd_training_loop_on_scaled_input_converges_to_the_books_params(student):
    facts = student.run_driver(
        driver.autograd_loop_facts,
        n_epochs=5000,
        learning_rate=1e-2,
        params=START,
        t_u=0.1 * T_U,
        t_c=T_C,
        time_limit=60,
    )
    got = assert_shape(facts["params"], (2,), "autograd_training_loop(5000 epochs, lr 1e-2, t_un)")
    assert_finite(got, "params after 5000 epochs", hint="zero params.grad every epoch: backward() adds to it")
    assert_close(
        got.float(),
        AFTER_5000_SCALED,
        "params after 5000 epochs with autograd (the book's [5.3671, -17.3012])",
        rtol=0,
        atol=BOOK_ATOL,
        hint="zero params.grad every epoch: backward() adds to it",
    )


@public
@hints(
    "backward() adds into params.grad instead of overwriting it.",
    "Zero params.grad before each backward (when it is not None) and update params in place inside torch.no_grad(); "
    "or make each new params a fresh leaf: (params - learning_rate * params.grad).detach().requires_grad_().",
)
@points(2)
def test_autograd_training_loop_zeroes_the_gradient_and_returns_a_trainable_leaf(student):
    facts = student.run_driver(
        driver.autograd_loop_facts, n_epochs=2, learning_rate=1e-4, params=START, t_u=T_U, t_c=T_C, time_limit=30
    )
    first_grad = reference_grad(START, T_U, T_C)
    first = START - 1e-4 * first_grad
    expected_grad = reference_grad(first, T_U, T_C)
    got = assert_shape(facts["params"], (2,), "autograd_training_loop(2 epochs, lr 1e-4)")
    expect(
        facts["same_leaf"] or facts["trainable_leaf"],
        "autograd_training_loop should return params as a leaf that requires grad (the tensor it was given, "
        "updated in place, or a fresh leaf), ready for the next backward()",
        hint="update in place inside torch.no_grad(), or (params - learning_rate * params.grad).detach()"
        ".requires_grad_()",
    )
    if facts["grad"] is None:
        fail("params.grad is empty after autograd_training_loop", hint="loss.backward() fills params.grad: use it")
    if facts["same_leaf"]:  # updated in place: the given leaf keeps the last epoch's gradient
        assert_close(
            facts["grad"],
            expected_grad,
            "params.grad after the 2nd epoch (the 2nd epoch's gradient alone)",
            rtol=1e-4,
            atol=1e-3,
            hint="zero params.grad before each backward(): gradients accumulate",
        )
    else:  # a fresh leaf each epoch: the given leaf received the 1st epoch's gradient only
        assert_close(
            facts["grad"],
            first_grad,
            "params.grad of the params given (the 1st epoch's gradient)",
            rtol=1e-4,
            atol=1e-3,
            hint="take the gradient from loss.backward(), not from grad_fn",
        )
    assert_close(got, first - 1e-4 * expected_grad, "params after 2 epochs at lr 1e-4", rtol=1e-5, atol=1e-6)


# -- more autograd ------------------------------------------------------------
@public
@hints(
    "backward on a non-scalar y needs a tensor of weights of y's shape.",
    "Make a fresh leaf x (detach, clone, requires_grad_), compute y = x ** 2, call y.backward(v) and return x.grad.",
)
@points(1)
def test_nonscalar_backward_gives_2_x_times_v(student):
    g = torch.Generator().manual_seed(2)
    for shape in ((4,), (2, 3)):
        x = torch.randn(shape, generator=g, dtype=torch.float64)
        v = torch.randn(shape, generator=g, dtype=torch.float64)
        assert_close(
            student.nonscalar_backward(x, v),
            2 * x * v,
            f"x.grad after y.backward(v), y = x**2, shape {shape}",
            hint="y.backward(v) weighs each dy_i/dx_i = 2 x_i by v_i; y.sum().backward() ignores v",
        )


@public
@hints(
    "To autograd, a detached tensor is a constant.",
    "z = (x ** 2).detach() contributes nothing: only the 3 x^2 of x ** 3 reaches x.grad.",
)
@points(1)
def test_detached_grad_gives_3_x_squared_only(student):
    x = torch.linspace(-2, 2, 9, dtype=torch.float64)
    assert_close(
        student.detached_grad(x),
        3 * x**2,
        "gradient of (z + x**3).sum() with z = (x**2).detach()",
        hint="a detached z is a constant: it adds nothing to the gradient (2x would come from x**2)",
    )


@public
@hints(
    "d2l's f doubles its input in a while loop until the norm reaches 1000.",
    "b = 2a; while b.norm() < 1000: b = 2b; return b if b.sum() > 0 else 100 * b.",
)
@points(1)
def test_control_flow_f_runs_d2ls_doubling_loop(student):
    g = torch.Generator().manual_seed(3)
    inputs = [
        torch.tensor(0.3, dtype=torch.float64),
        torch.tensor(-0.7, dtype=torch.float64),
        torch.tensor(1e-3, dtype=torch.float64),
        torch.tensor(2500.0, dtype=torch.float64),
        torch.randn(3, generator=g, dtype=torch.float64),
        -torch.rand(2, 2, generator=g, dtype=torch.float64),
    ]
    for a in inputs:
        assert_close(
            student.control_flow_f(a),
            reference_f(a),
            f"control_flow_f(a = {a.tolist()})",
            hint="b = 2a; while b.norm() < 1000: b = 2b; then b if b.sum() > 0 else 100 b",
        )


@public
@hints(
    "Autograd records whichever branch and loop iterations actually ran.",
    "Make a a leaf that requires grad, call control_flow_f(a).backward() and return a.grad.",
)
@points(2)
def test_control_flow_grad_equals_f_of_a_over_a(student):
    g = torch.Generator().manual_seed(4)
    values = torch.cat([torch.randn(6, generator=g, dtype=torch.float64), torch.tensor([-0.25, 3.0, -1e-3])])
    for a in values:
        got = as_scalar(student.control_flow_grad(a.clone()), f"control_flow_grad({a.item():.4g})")
        assert_close(
            got,
            reference_f(a) / a,
            f"d control_flow_f / d a at a = {a.item():.4g}",
            hint="f(a) = k a for the k the loop and branch chose, so the gradient is f(a) / a: "
            "a.requires_grad_(), control_flow_f(a).backward(), a.grad",
        )


# -- norms --------------------------------------------------------------------
@public
@hints(
    "Write both norms from their definitions, without torch.norm.",
    "L1 is the sum of absolute values; L2 the square root of the sum of squares; return (l1, l2).",
)
@points(1)
def test_norms_give_l1_and_l2_without_torch_norm(student):
    norms = student.norms.forbidding(*NO_NORM)
    g = torch.Generator().manual_seed(5)
    for v in (torch.tensor([3.0, -4.0], dtype=torch.float64), torch.randn(10, generator=g, dtype=torch.float64)):
        got = norms(v)
        got = as_tuple(got, 2, "norms", returns="(l1, l2)")
        assert_close(
            as_scalar(got[0], "l1"),
            torch.linalg.vector_norm(v, 1),
            f"L1 norm of {len(v)} values",
            hint="the sum of absolute values",
        )
        assert_close(
            as_scalar(got[1], "l2"),
            torch.linalg.vector_norm(v, 2),
            f"L2 norm of {len(v)} values",
            hint="the square root of the sum of squares",
        )


@public
@hints(
    "The Frobenius norm is the L2 norm of all a matrix's entries.",
    "The square root of the sum of every squared entry: ones(4, 9) gives sqrt(36) = 6.",
)
@points(1)
def test_frobenius_of_ones_4_by_9_is_6_without_torch_norm(student):
    frobenius = student.frobenius.forbidding(*NO_NORM)
    M = torch.randn(5, 3, generator=torch.Generator().manual_seed(6), dtype=torch.float64)
    for A, what in ((torch.ones(4, 9, dtype=torch.float64), "frobenius(ones(4, 9))"), (M, "frobenius of a 5x3 matrix")):
        assert_close(
            as_scalar(frobenius(A), what),
            torch.linalg.matrix_norm(A),
            what,
            hint="sqrt of the sum of all squared entries; ones(4, 9) gives sqrt(36) = 6",
        )
