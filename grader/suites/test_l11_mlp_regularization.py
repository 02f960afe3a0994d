"""Hidden checks for lesson 11 · MLP, weight decay, dropout and initialisation.
Trusted side: nothing here imports student code; ``student`` runs it in the
sandbox."""

import math

import torch
import torch.nn.functional as F

from grader.check import (
    assert_accuracy,
    assert_close,
    assert_finite,
    assert_shape,
    expect,
    fail,
    gpu,
    hints,
    points,
    public,
    shape_check,
    training,
)
from grader.drivers import l11_mlp_regularization as driver
from grader.sandbox.errors import StudentError
from grader.suite_helpers import as_float, randn

RELU_BUILTINS = (
    "torch.relu",
    "torch.Tensor.relu",
    "torch.nn.functional.relu",
    "torch.clamp",
    "torch.clip",
    "torch.clamp_min",
    "torch.Tensor.clamp",
    "torch.Tensor.clip",
    "torch.Tensor.clamp_min",
)
XAVIER_BUILTINS = ("torch.nn.init.xavier_uniform_", "torch.nn.init.xavier_normal_", "torch.nn.init.uniform_")


# -- ReLU ------------------------------------------------------------------
@public
@hints(
    "ReLU keeps the positive values and zeroes the rest.",
    "torch.maximum(X, torch.zeros_like(X)), or torch.where(X > 0, X, torch.zeros_like(X)) (clamp is off limits here).",
)
@points(2)
def test_relu_matches_torch_on_a_grid_with_zero_and_on_random_tensors(student):
    relu = student.relu.forbidding(*RELU_BUILTINS)
    cases = [
        torch.linspace(-3, 3, 13, dtype=torch.float64),
        randn(4, 7, seed=1),
        randn(2, 3, 5, seed=2),
        randn(6, 5, seed=3, dtype=torch.float32),
    ]
    for X in cases:
        out = relu(X)
        assert_close(
            out,
            F.relu(X),
            f"relu(X of shape {tuple(X.shape)})",
            hint="relu(x) = max(x, 0): negatives become 0, positives stay as they are",
        )
        expect(out.dtype == X.dtype, f"relu of a {X.dtype} tensor returned {out.dtype}")


@hints(
    "Build relu from operations autograd can differentiate.",
    "torch.maximum(X, torch.zeros_like(X)) gives gradient 1 where x > 0 and 0 where x < 0.",
)
@points(1)
def test_relu_gradient_is_one_for_positive_and_zero_for_negative_inputs(student):
    X = torch.tensor([-2.0, -0.5, -1e-3, 1e-3, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
    grads = student.backward(student.relu, X)
    expect(grads.inputs[0] is not None, "no gradient reached X through relu")
    assert_close(
        grads.inputs[0],
        (X.detach() > 0).double(),
        "d sum(relu(X)) / dX",
        hint="the gradient of max(x, 0) is 1 where x > 0 and 0 where x < 0: build relu from "
        "operations autograd tracks (no .data, no in-place writes on a detached copy)",
    )


# -- the MLP from scratch ----------------------------------------------------
@public
@hints(
    "Small random weights, zero biases, and all four must be trainable leaves.",
    "Wrap each in nn.Parameter: nn.Parameter(torch.randn(n_in, n_out) * 0.01) for W1 and W2, "
    "nn.Parameter(torch.zeros(n)) for b1 and b2.",
)
@points(2)
def test_init_mlp_params_gives_trainable_784_256_10_parameters(student):
    out = student.run_driver(driver.init_mlp, num_inputs=784, num_hiddens=256, num_outputs=10, time_limit=30)
    params = out["params"]
    expect(len(params) == 4, f"expected [W1, b1, W2, b2], got {len(params)} items")
    for name, p, shape in zip(("W1", "b1", "W2", "b2"), params, [(784, 256), (256,), (256, 10), (10,)]):
        assert_shape(p, shape, name)
        expect(p.dtype == torch.float32, f"{name} should be float32, got {p.dtype}")
    expect(
        all(out["trainable"]),
        f"an optimizer only updates leaf tensors that require grad; W1, b1, W2, b2 trainable: {out['trainable']}",
        hint="torch.randn(...) * 0.01 is no leaf once requires_grad is set before the product: "
        "use nn.Parameter(torch.randn(...) * 0.01) or call .requires_grad_() after scaling",
    )
    W1, b1, W2, b2 = params
    assert_close(b1, torch.zeros(256), "b1", hint="biases start at zero")
    assert_close(b2, torch.zeros(10), "b2", hint="biases start at zero")
    for name, W in (("W1", W1), ("W2", W2)):
        std, mean = W.std().item(), W.mean().item()
        expect(
            0.005 <= std <= 0.1 and abs(mean) < 0.01,
            f"{name} has mean {mean:.4f} and std {std:.4f}: expected small random weights around 0",
            hint="torch.randn(...) * 0.01, as d2l does: zeros never break the symmetry between hidden units, "
            "and std 1 gives huge logits",
        )


def mlp_reference(X: torch.Tensor, params: list[torch.Tensor]) -> torch.Tensor:
    W1, b1, W2, b2 = params
    return F.relu(X.reshape(-1, W1.shape[0]) @ W1 + b1) @ W2 + b2


@public
@hints(
    "Images arrive as (N, 1, 28, 28), but the first layer wants rows.",
    "X.reshape(-1, W1.shape[0]), then your relu of X @ W1 + b1, times W2, plus b2.",
)
@points(2)
def test_mlp_forward_computes_relu_of_x_w1_plus_b1_times_w2_plus_b2(student):
    params = [
        randn(784, 32, seed=4) * 0.1,
        randn(32, seed=5) * 0.1,
        randn(32, 10, seed=6) * 0.1,
        randn(10, seed=7) * 0.1,
    ]
    for X in (randn(5, 1, 28, 28, seed=8), randn(3, 784, seed=9)):
        out = assert_shape(student.mlp_forward(X, params), (len(X), 10), f"mlp_forward(X of shape {tuple(X.shape)})")
        assert_close(
            out,
            mlp_reference(X, params),
            f"mlp_forward(X of shape {tuple(X.shape)})",
            hint="flatten X to (N, 784), then relu(X @ W1 + b1) @ W2 + b2",
        )


@points(4)
@training
def test_scratch_mlp_reaches_82_percent_on_fashion_mnist(student, fashion_mnist):
    # d2l's recipe (SGD, batch 256, lr 0.1) for 3 epochs instead of 10, the
    # last at lr 0.03. Measured on seeds 0-4: 0.8481, 0.8495, 0.8469, 0.8451,
    # 0.8452 (constant lr 0.1 spreads from 0.827 to 0.847); weights of std 1
    # instead of 0.01 reach 0.775 and 0.777 (seeds 0, 1).
    predictions = student.run_driver(
        driver.train_scratch_mlp, lrs=[0.1, 0.1, 0.03], batch_size=256, seed=0, time_limit=300
    )
    assert_accuracy(
        predictions,
        fashion_mnist.test_labels,
        0.82,
        "your init_mlp_params and mlp_forward trained with SGD, Fashion-MNIST test set",
    )


# -- weight decay ----------------------------------------------------------
@public
@hints(
    "权重衰减 adds a penalty on the size of the weights to the loss.",
    "Half the sum of the squared weights.",
)
@points(1)
def test_l2_penalty_is_half_the_sum_of_squares(student):
    for w in (torch.tensor([3.0, -4.0], dtype=torch.float64), randn(20, 1, seed=10)):
        got = student.l2_penalty(w)
        assert_close(
            torch.as_tensor(got, dtype=torch.float64).reshape(()),
            (w**2).sum() / 2,
            f"l2_penalty(w of shape {tuple(w.shape)})",
            hint="sum(w ** 2) / 2: the 1/2 makes the gradient exactly w",
        )


@points(1)
def test_l2_penalty_gradient_is_w(student):
    w = randn(15, 1, seed=11).requires_grad_()
    grads = student.backward(student.l2_penalty, w)
    expect(grads.inputs[0] is not None, "no gradient reached w through l2_penalty")
    assert_close(
        grads.inputs[0],
        w.detach(),
        "d l2_penalty(w) / dw",
        hint="keep the penalty in autograd (no .item() or .data): its gradient is w",
    )


def weight_decay_data(seed: int = 11, n_train: int = 20, n_test: int = 100, num_inputs: int = 200) -> list:
    """d2l's high-dimensional linear regression: y = 0.05 + sum_i 0.01 x_i + noise (sd 0.01)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n_train + n_test, num_inputs, generator=g)
    y = X @ torch.full((num_inputs, 1), 0.01) + 0.05 + 0.01 * torch.randn(n_train + n_test, 1, generator=g)
    return [X[:n_train], y[:n_train], X[n_train:], y[n_train:]]


def train_weight_decay(student, lambd: float) -> dict:
    out = student.train_weight_decay(lambd, *weight_decay_data())
    expect(
        isinstance(out, dict) and {"train_loss", "test_loss", "w_norm"} <= set(out),
        f"train_weight_decay should return a dict with train_loss, test_loss and w_norm, got {out!r}"[:300],
    )
    values = {k: as_float(out[k], f"train_weight_decay({lambd})[{k!r}]") for k in ("train_loss", "test_loss", "w_norm")}
    expect(all(math.isfinite(v) for v in values.values()), f"train_weight_decay({lambd}) returned {values}")
    return values


# Measured for the reference on this data with init seeds 0-4 (grading uses
# 0): lambda 0 gives train loss <= 4.7e-5, test loss 61-93, ||w|| 12.7-13.8;
# lambda 3 gives test loss 0.053-0.077, ||w|| 0.34-0.38. Over data seeds 0-4
# the ranges are alike (test loss 61-116 without decay, 0.06-0.21 with).
@points(2)
def test_train_weight_decay_without_decay_fits_the_training_set_but_not_the_test_set(student):
    out = train_weight_decay(student, 0)
    expect(
        out["train_loss"] < 0.01,
        f"with lambd = 0 the training loss should fall below 0.01 (200 weights, 20 examples), "
        f"got {out['train_loss']:.4g}",
        hint="per minibatch: loss.backward(), w -= lr * w.grad under torch.no_grad(), then zero the gradients",
    )
    expect(
        out["test_loss"] > 1,
        f"with lambd = 0 the test loss should stay high (over 1: 过拟合), got {out['test_loss']:.4g}",
        hint="initialise w from N(0, 1), evaluate test_loss on the test set",
    )


@public
@hints(
    "The penalty belongs in the loss you call backward on, in every minibatch.",
    "loss = squared loss + lambd * l2_penalty(w): penalise w, not b.",
)
@points(2)
def test_weight_decay_3_gives_a_lower_test_loss_and_a_smaller_w(student):
    plain, decayed = train_weight_decay(student, 0), train_weight_decay(student, 3)
    expect(
        decayed["test_loss"] < 0.1 * plain["test_loss"],
        f"test loss {decayed['test_loss']:.4g} with lambd = 3, {plain['test_loss']:.4g} without: weight decay should "
        "cut it by more than 10x",
        hint="add lambd * l2_penalty(w) to every minibatch loss before backward",
    )
    expect(
        decayed["w_norm"] < 0.2 * plain["w_norm"] and decayed["w_norm"] < 1,
        f"||w|| is {decayed['w_norm']:.4g} with lambd = 3 and {plain['w_norm']:.4g} without: weight decay should "
        "shrink it below 1",
    )


# -- polynomial features and underfitting -------------------------------------
@public
@hints(
    "Column i holds x to the power i divided by i factorial.",
    "x.unsqueeze(1) ** torch.arange(degree + 1) divided by the factorials 0!, 1!, ..., degree!; column 0 is all ones.",
)
@points(2)
def test_polynomial_features_are_powers_over_factorials(student):
    for dtype in (torch.float64, torch.float32):
        x = torch.tensor([-2.0, -0.5, 0.0, 1.0, 1.5, 3.0], dtype=dtype)
        for degree in (1, 4, 7):
            what = f"polynomial_features(x, {degree}) of a {str(dtype).removeprefix('torch.')} x"
            out = assert_shape(student.polynomial_features(x, degree), (len(x), degree + 1), what)
            expect(
                out.dtype == dtype,
                f"{what} returned {str(out.dtype).removeprefix('torch.')}: the features should keep x's dtype",
                hint="make the powers and factorials in x's dtype (torch.arange(degree + 1, dtype=x.dtype)); "
                "no torch.float32 or .float() on the way",
            )
            expected = torch.stack([x**i / math.factorial(i) for i in range(degree + 1)], dim=1)
            assert_close(out, expected, what, hint="column i (i = 0..degree, column 0 all ones) is x ** i / i!")


def cubic_data(seed: int = 12, n: int = 100) -> tuple[torch.Tensor, torch.Tensor]:
    """d2l's cubic: y = 5 + 1.2 x - 3.4 x^2/2! + 5.6 x^3/3! + noise (sd 0.1);
    the n training examples of d2l's train/test split."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2 * n, generator=g, dtype=torch.float64)
    y = 5 + 1.2 * x - 3.4 * x**2 / 2 + 5.6 * x**3 / 6 + 0.1 * torch.randn(2 * n, generator=g, dtype=torch.float64)
    return x[:n], y[:n]


def least_squares_losses(features: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, float]:
    """The least-squares weights of ``features`` (n, k) for ``y`` (n,) float64
    and their training loss. The features go in as float64 whatever dtype the
    student returned: the dtype is checked where it is produced
    (``test_polynomial_features_are_powers_over_factorials``), and lstsq
    takes only matching dtypes."""
    features = features.to(torch.float64)
    w = torch.linalg.lstsq(features, y.unsqueeze(1)).solution.squeeze(1)
    return w, ((features @ w - y) ** 2 / 2).mean().item()


@points(1)
def test_degree_3_features_fit_the_cubic_and_degree_1_underfits(student):
    # The best least-squares fit on your features (trusted): degree 3 recovers
    # d2l's coefficients, degree 1 cannot follow the curve. Reference: degree 3
    # train loss 0.0055 (the noise gives 0.005), coefficients 4.996, 1.194,
    # -3.399, 5.565; degree 1 train loss 1.25.
    x, y = cubic_data()
    w3, loss3 = least_squares_losses(assert_shape(student.polynomial_features(x, 3), (100, 4), "features"), y)
    expect(loss3 < 0.01, f"the best fit of degree-3 features has training loss {loss3:.4g}, expected about 0.005")
    assert_close(
        w3,
        torch.tensor([5.0, 1.2, -3.4, 5.6], dtype=torch.float64),
        "degree-3 coefficients",
        atol=0.1,
        rtol=0,
        hint="with features x^i / i! the coefficients are d2l's 5, 1.2, -3.4, 5.6",
    )
    _, loss1 = least_squares_losses(assert_shape(student.polynomial_features(x, 1), (100, 2), "features"), y)
    expect(loss1 > 0.5, f"a degree-1 fit should underfit (training loss over 0.5), got {loss1:.4g}")


# -- dropout_layer -------------------------------------------------------------
def shifted(*shape: int, seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """randn + 10: no element is zero, so a zero in the output is a dropped one."""
    return randn(*shape, seed=seed, dtype=dtype) + 10


@hints(
    "A rate outside [0, 1] is no probability: refuse it loudly.",
    "Check 0 <= dropout <= 1 first and raise ValueError(f'dropout must be in [0, 1], got {dropout}') "
    "(d2l's assert does too).",
)
@points(1)
def test_dropout_layer_refuses_rates_outside_0_1_and_accepts_the_rates_inside(student):
    X = shifted(3, 4, seed=13)
    # a rate inside is accepted (a dropout_layer that refuses everything refuses nothing in particular)
    assert_close(student.dropout_layer(X, 0), X, "dropout_layer(X, 0)", rtol=0, atol=0)
    for rate in (1.5, -0.25):
        try:
            student.dropout_layer(X, rate)
        except StudentError as exc:
            # refusing loudly is what matters: a ValueError, or the AssertionError of d2l's bare assert
            if exc.error_type not in ("ValueError", "AssertionError"):
                raise  # another error (not implemented, a crash): reported as it is
        else:
            fail(
                f"dropout_layer(X, {rate}) returned a result: a rate outside [0, 1] should raise",
                hint="check 0 <= dropout <= 1 first and raise ValueError naming the value",
            )


@public
@hints(
    "Two edge cases: dropout 0 keeps everything and dropout 1 drops everything.",
    "Return X for 0 and torch.zeros_like(X) for 1 before making a mask: 1 / (1 - 1) would divide by zero.",
)
@points(1)
def test_dropout_0_returns_x_and_dropout_1_returns_zeros(student):
    X = randn(4, 6, seed=14)
    assert_close(student.dropout_layer(X, 0), X, "dropout_layer(X, 0)", rtol=0, atol=0)
    out = student.dropout_layer(X, 1)
    assert_shape(out, X.shape, "dropout_layer(X, 1)")
    expect(out.dtype == X.dtype, f"dropout_layer(X, 1) of a float64 X returned {out.dtype}")
    assert_finite(
        out,
        "dropout_layer(X, 1)",
        hint="with dropout 1, 1 / (1 - dropout) divides by zero: return torch.zeros_like(X) first",
    )
    assert_close(out, torch.zeros_like(X), "dropout_layer(X, 1)", rtol=0, atol=0)


RATES = (0.25, 0.4, 0.7)


@hints(
    "Each element is dropped independently with probability dropout.",
    "torch.rand_like(X) > dropout keeps an element with probability 1 - dropout.",
)
@points(2)
def test_dropout_zeroes_a_fraction_close_to_the_rate(student):
    # 250,000 elements: the fraction's standard deviation is at most 0.001.
    X = shifted(500, 500, seed=15)
    for rate in RATES:
        out = assert_shape(student.dropout_layer(X, rate), X.shape, f"dropout_layer(X, {rate})")
        zeros = (out == 0).double().mean().item()
        expect(
            abs(zeros - rate) < 0.01,
            f"dropout_layer(X, {rate}) zeroed {zeros:.4f} of the elements, expected about {rate}",
            hint="keep an element when torch.rand (uniform on [0, 1)) exceeds dropout",
        )


@hints(
    "Dropping elements lowers the mean unless the survivors grow.",
    "Divide the kept elements by 1 - dropout (inverted dropout).",
)
@points(2)
def test_dropout_preserves_the_mean(student):
    # The output mean deviates from X's by a standard deviation of about 0.3%
    # (rate 0.7); the tolerance is 2%.
    X = shifted(500, 500, seed=16)
    for rate in RATES:
        out = assert_shape(student.dropout_layer(X, rate), X.shape, f"dropout_layer(X, {rate})")
        ratio = out.double().mean().item() / X.double().mean().item()
        expect(
            abs(ratio - 1) < 0.02,
            f"mean of dropout_layer(X, {rate}) is {ratio:.4f} times the mean of X, expected about 1 (the expectation "
            "is unchanged)",
        )


@points(1)
def test_dropout_scales_survivors_by_1_over_1_minus_rate(student):
    X = shifted(200, 300, seed=17, dtype=torch.float64)
    for rate in (0.25, 0.7):
        out = assert_shape(student.dropout_layer(X, rate), X.shape, f"dropout_layer(X, {rate})")
        kept = out != 0
        expect(kept.any(), f"dropout_layer(X, {rate}) zeroed every element")
        assert_close(
            out[kept],
            X[kept] / (1 - rate),
            f"the elements dropout_layer(X, {rate}) kept",
            hint="a survivor is x / (1 - dropout)",
        )


@points(1)
def test_dropout_draws_a_fresh_mask_every_call(student):
    # Two independent masks dropping fractions q1 and q2 of the 10,000 elements
    # disagree at about q1 (1 - q2) + q2 (1 - q1) of them (0.5 for q = 0.5,
    # standard deviation 0.005); the same mask twice disagrees nowhere.
    X = shifted(100, 100, seed=18)
    first, second = student.run_driver(driver.dropout_twice, X=X, dropout=0.5, time_limit=30)
    for i, out in enumerate((first, second), start=1):
        # each call must drop some elements and keep others (how many is test_dropout_zeroes_a_fraction_...'s
        # business): two results that both drop everything would "agree" as independent masks do
        kept = (assert_shape(out, X.shape, f"call {i} of dropout_layer(X, 0.5)") != 0).double().mean().item()
        expect(0 < kept < 1, f"call {i} of dropout_layer(X, 0.5) kept {kept:.3f} of the elements, expected about 0.5")
    q1, q2 = ((first == 0).double().mean().item(), (second == 0).double().mean().item())
    independent = q1 * (1 - q2) + q2 * (1 - q1)
    differ = ((first == 0) != (second == 0)).double().mean().item()
    expect(
        abs(differ - independent) < 0.05,
        f"two calls of dropout_layer(X, 0.5) dropped different elements at {differ:.3f} of the positions; "
        f"independent masks would differ at about {independent:.3f}",
        hint="draw a new mask with torch.rand on every call; never keep or reseed one",
    )


@shape_check  # only the dtype: the values are the other dropout checks' business
@points(1)
def test_dropout_keeps_the_dtype_of_x(student):
    for dtype in (torch.float64, torch.float16, torch.bfloat16):
        out = student.dropout_layer(shifted(40, 50, seed=19, dtype=dtype), 0.5)
        assert_shape(out, (40, 50), f"dropout_layer of a {dtype} X")
        expect(
            out.dtype == dtype,
            f"dropout_layer of a {dtype} X returned {out.dtype}",
            hint="make the mask in X's dtype: (torch.rand_like(X) > dropout).to(X.dtype), not .float()",
        )


@gpu
@points(1)
def test_dropout_makes_its_mask_on_the_device_of_x(student):
    X = shifted(200, 200, seed=20)
    out = student.run_driver(driver.dropout_on, X=X, dropout=0.5, device="cuda", time_limit=60)
    expect(out["device"].startswith("cuda"), f"dropout_layer of a CUDA tensor returned a tensor on {out['device']}")
    zeros = (out["out"] == 0).double().mean().item()
    expect(abs(zeros - 0.5) < 0.02, f"dropout_layer(X, 0.5) on CUDA zeroed {zeros:.4f} of the elements")


@points(2)
def test_dropout_gradient_is_the_mask_over_1_minus_rate(student):
    X = shifted(30, 40, seed=21, dtype=torch.float64).requires_grad_()
    grads = student.backward(student.dropout_layer, X, 0.4)
    expect(grads.inputs[0] is not None, "no gradient reached X through dropout_layer")
    mask = (grads.value != 0).double()
    assert_close(
        grads.inputs[0],
        mask / 0.6,
        "d sum(dropout_layer(X, 0.4)) / dX",
        hint="return mask * X / (1 - dropout) computed from X itself (no .data or .detach()): "
        "the gradient is the mask / (1 - dropout)",
    )


# -- DropoutMLP ------------------------------------------------------------
SMALL = dict(sizes=(20, 3, 16, 12), dropouts=(0.2, 0.5))


def dropout_mlp_outputs(student, train: bool) -> dict:
    X = randn(8, 1, 4, 5, seed=22)
    out = student.run_driver(driver.dropout_mlp_outputs, X=X, train=train, time_limit=30, **SMALL)
    for y in out["outputs"]:
        assert_shape(y, (8, 3), "DropoutMLP(20, 3, 16, 12, 0.2, 0.5) on X of shape (8, 1, 4, 5)")
    return out


@points(1)
def test_dropout_mlp_gives_different_outputs_on_two_calls_in_train_mode(student):
    first, second = dropout_mlp_outputs(student, train=True)["outputs"]
    expect(
        not torch.allclose(first, second),
        "in train mode two calls on the same input gave the same output: no dropout happened",
        hint="while self.training, apply dropout_layer after each hidden layer's ReLU",
    )


@public
@hints(
    "Dropout acts only while training.",
    "Test self.training in forward; in eval mode the net is lin3(relu(lin2(relu(lin1(x))))).",
)
@points(2)
def test_dropout_mlp_in_eval_mode_is_the_plain_mlp(student):
    out = dropout_mlp_outputs(student, train=False)
    sd = out["state_dict"]
    missing = [f"{name}.weight" for name in ("lin1", "lin2", "lin3") if f"{name}.weight" not in sd]
    expect(
        not missing,
        f"DropoutMLP has no layer named {', '.join(missing)}; found {', '.join(sd)}",
        hint="name the layers lin1, lin2, lin3: the grader reads their weights",
    )
    X = randn(8, 1, 4, 5, seed=22).reshape(8, 20)
    H1 = F.relu(F.linear(X, sd["lin1.weight"], sd.get("lin1.bias")))
    H2 = F.relu(F.linear(H1, sd["lin2.weight"], sd.get("lin2.bias")))
    expected = F.linear(H2, sd["lin3.weight"], sd.get("lin3.bias"))
    for i, y in enumerate(out["outputs"]):
        assert_close(
            y,
            expected,
            f"call {i + 1} in eval mode",
            hint="after model.eval() (self.training is False) dropout does nothing: lin3(relu(lin2(relu(lin1(x)))))",
        )


@points(4)
@training
def test_dropout_mlp_reaches_82_percent_on_fashion_mnist(student, fashion_mnist):
    # d2l's 784-256-256-10 with dropout 0.2 and 0.5, SGD with batch 256 for 3
    # epochs at lr 0.1, 0.1, 0.03. Measured on seeds 0-4: 0.8458, 0.8471,
    # 0.8455, 0.8423, 0.8455; a softmax at the end (softmax twice with the
    # loss) reaches 0.775 and 0.718 (seeds 0, 1).
    predictions = student.run_driver(
        driver.train_dropout_mlp,
        sizes=(784, 10, 256, 256),
        dropouts=(0.2, 0.5),
        lrs=[0.1, 0.1, 0.03],
        batch_size=256,
        seed=0,
        time_limit=300,
    )
    assert_accuracy(
        predictions,
        fashion_mnist.test_labels,
        0.82,
        "DropoutMLP trained in train mode and evaluated in eval mode, Fashion-MNIST test set",
    )


# -- Xavier initialisation -----------------------------------------------------
@points(1)
def test_xavier_uniform_fills_the_weight_in_place(student):
    out = student.run_driver(driver.xavier_in_place, fan_in=50, fan_out=30, time_limit=30)
    expect(out["returned_the_weight"], "xavier_uniform_(weight) should return weight itself, filled in place")
    expect(
        out["trainable"],
        "after xavier_uniform_ the weight is no longer a leaf that requires grad",
        hint="fill it under torch.no_grad() with weight.uniform_(-a, a)",
    )
    expect(
        not torch.equal(out["weight"], out["before"]),
        "xavier_uniform_(weight) left the weight unchanged: fill it in place (weight.uniform_), do not "
        "return a new tensor",
    )


@public
@hints(
    "Xavier 初始化 draws from U(-a, a), with a set by both fans.",
    "fan_out, fan_in = weight.shape; a = sqrt(6 / (fan_in + fan_out)); fill with weight.uniform_(-a, a) under "
    "torch.no_grad().",
)
@points(1)
def test_xavier_uniform_stays_within_the_bound_and_comes_close_to_it(student):
    xavier = student.xavier_uniform_.forbidding(*XAVIER_BUILTINS)
    for fan_out, fan_in in ((300, 100), (100, 300), (64, 64)):
        W = assert_shape(
            xavier(torch.zeros(fan_out, fan_in, dtype=torch.float64)),
            (fan_out, fan_in),
            f"xavier_uniform_ of a ({fan_out}, {fan_in}) weight",
        )
        bound = math.sqrt(6 / (fan_in + fan_out))
        largest = W.abs().max().item()
        expect(
            largest <= bound * (1 + 1e-6),
            f"a ({fan_out}, {fan_in}) weight has |w| up to {largest:.4f}, the bound is sqrt(6 / (fan_in + fan_out)) "
            f"= {bound:.4f}",
            hint="a = sqrt(6 / (fan_in + fan_out)) with both fans, and U(-a, a)",
        )
        expect(
            largest >= 0.98 * bound,
            f"a ({fan_out}, {fan_in}) weight has |w| at most {largest:.4f}; "
            f"U(-a, a) with a = {bound:.4f} comes close to a",
        )


@points(2)
def test_xavier_uniform_variance_is_2_over_fan_in_plus_fan_out(student):
    # 500,000 samples: the variance estimate is within 0.2% (one standard
    # deviation); the tolerance is 5%.
    xavier = student.xavier_uniform_.forbidding(*XAVIER_BUILTINS)
    W = assert_shape(
        xavier(torch.zeros(1000, 500, dtype=torch.float64)), (1000, 500), "xavier_uniform_ of a (1000, 500) weight"
    )
    expected = 2 / 1500
    mean, var = W.mean().item(), W.var().item()
    expect(
        abs(mean) < 0.05 * math.sqrt(expected) and abs(var / expected - 1) < 0.05,
        f"weights have mean {mean:.2e} and variance {var:.4e}, expected 0 and 2 / (fan_in + fan_out) = {expected:.4e}",
        hint="U(-a, a) has variance a^2 / 3: with a = sqrt(6 / (fan_in + fan_out)) that is 2 / (fan_in + fan_out)",
    )
