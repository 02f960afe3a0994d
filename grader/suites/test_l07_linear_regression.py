"""Hidden checks for lesson 7 · linear regression with PyTorch. Trusted side:
nothing here imports student code; ``student`` runs it in the sandbox."""

import torch
import torch.nn.functional as F

from grader.check import assert_close, assert_shape, assert_tensor, expect, fail, hints, points, public
from grader.drivers import l07_linear_regression as driver
from grader.reference import replay_steps
from grader.suite_helpers import as_tuple

X_SEED = torch.tensor([[1.0], [2.0], [3.0]])
Y_SEED = torch.tensor([[2.0], [4.0], [6.0]])
TRUE_W, TRUE_B = torch.tensor([2.0, -3.4]), 4.2
ZERO_GRAD = "optimizer.zero_grad() before loss.backward(), or the gradients of all epochs pile up"
SUM = "nn.MSELoss(reduction='sum') (size_average=False is the deprecated spelling of it), not the default mean"


def replay_fit(
    w: float, b: float, epochs: int, lr: float, reduction: str = "sum", zero_grad: bool = True
) -> torch.Tensor:
    """(w, b) after ``epochs`` SGD steps on the seed data (trusted)."""
    step = lambda weight, bias: F.mse_loss(X_SEED * weight + bias, Y_SEED, reduction=reduction)  # noqa: E731
    return torch.stack(replay_steps([w, b], [step] * epochs, lr, zero_grad))


def synthetic(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g)
    return X, (X @ TRUE_W + TRUE_B + 0.01 * torch.randn(n, generator=g)).reshape(-1, 1)


# -- the nn.Module recipe ------------------------------------------------------------
@public
@hints(
    "The model holds exactly one layer.",
    "In __init__ create torch.nn.Linear(1, 1) as an attribute; forward calls it.",
)
@points(1)
def test_linear_model_is_one_linear_layer_from_1_to_1(student):
    model = student.LinearModel()
    shapes = sorted(tuple(p.shape) for p in model.parameters())
    expect(
        shapes == [(1,), (1, 1)], f"expected the parameters of nn.Linear(1, 1), shapes (1, 1) and (1,); got {shapes}"
    )
    weight, bias = model.linear.weight.reshape(()), model.linear.bias.reshape(())
    x = torch.tensor([[0.0], [1.0], [-2.5]])
    assert_close(
        model(x),
        x * weight + bias,
        "LinearModel()(x of shape (3, 1))",
        hint="forward returns self.linear(x): nothing more",
    )


@public
@hints(
    "The lecture's loss sums over the samples, and the model to train is the one passed in.",
    "nn.MSELoss(reduction='sum') and torch.optim.SGD(model.parameters(), lr=lr); create a model only when none is "
    "given.",
)
@points(2)
def test_fit_linear_model_takes_sgd_steps_on_the_summed_squared_error(student):
    out = student.run_driver(
        driver.fit_steps, x=X_SEED, y=Y_SEED, weight=0.5, bias=0.1, epochs=3, lr=0.01, time_limit=30
    )
    got = torch.stack([out["weight"], out["bias"]])
    expect(out["same_model"], "fit_linear_model should train the model it is given and return it")
    expect(
        not torch.allclose(got, replay_fit(0.5, 0.1, 3, 0.01, reduction="mean")),
        "(w, b) after 3 epochs match training on the mean squared error",
        hint=SUM,
    )
    expect(
        not torch.allclose(got, replay_fit(0.5, 0.1, 3, 0.01, zero_grad=False)),
        "(w, b) after 3 epochs match training whose gradients are never zeroed",
        hint=ZERO_GRAD,
    )
    assert_close(
        got,
        replay_fit(0.5, 0.1, 3, 0.01),
        "(w, b) after 3 epochs from (0.5, 0.1) at lr = 0.01",
        hint="per epoch: loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step()",
    )


@points(2)
def test_fit_linear_model_predicts_8_for_x_4_on_the_seed_data(student):
    y_new = student.run_driver(
        driver.fit_and_predict, x=X_SEED, y=Y_SEED, x_new=torch.tensor([[4.0]]), epochs=1000, lr=0.01, time_limit=60
    )
    got = assert_shape(y_new, (1, 1), "model(tensor([[4.0]]))").item()
    # the reference is within 0.001 of 8 from any of the initialisations of seeds 0-9
    expect(
        abs(got - 8.0) < 0.01,
        f"after 1000 epochs at lr = 0.01 the model should predict 8.00 for x = 4, got {got:.4f}",
        hint="MSELoss(reduction='sum') and SGD; per epoch: forward, loss, zero_grad, backward, step",
    )


# -- d2l from scratch ------------------------------------------------------------------
@public
@hints(
    "Features from a standard normal, labels from the true w and b plus a little noise.",
    "X = torch.normal(0, 1, (n, len(w))); y = X @ w + b plus torch.normal(0, 0.01, ...); return y as a column (n, 1).",
)
@points(2)
def test_synthetic_data_is_x_w_plus_b_plus_noise_of_std_0_01(student):
    out = student.synthetic_data(TRUE_W, TRUE_B, 2000)
    out = as_tuple(out, 2, "synthetic_data", returns="(X, y)")
    X, y = assert_shape(out[0], (2000, 2), "X"), assert_shape(out[1], (2000, 1), "y")
    expect(
        X.dtype == torch.float32 and y.dtype == torch.float32, f"X and y should be float32, got {X.dtype} and {y.dtype}"
    )
    mean, std = X.mean(dim=0), X.std(dim=0)
    expect(
        bool((mean.abs() < 0.1).all() and ((std - 1).abs() < 0.1).all()),
        f"the features should be N(0, 1): column means {mean.tolist()}, standard deviations {std.tolist()}",
        hint="X = torch.normal(0, 1, (n, len(w)))",
    )
    A = torch.cat([X, torch.ones(2000, 1)], dim=1).double()
    fitted = torch.linalg.lstsq(A, y.double()).solution.reshape(-1)
    expect(
        bool((fitted - torch.tensor([2.0, -3.4, 4.2], dtype=torch.float64)).abs().max() < 0.01),
        f"a least-squares fit of y on X gives w = {fitted[:2].tolist()}, b = {fitted[2].item():.4f}; "
        f"expected w = [2, -3.4], b = 4.2",
        hint="y = X @ w + b, plus the noise",
    )
    noise = (y.double() - A @ fitted[:, None]).std().item()
    expect(
        0.007 < noise < 0.013,
        f"the noise should have standard deviation 0.01, got {noise:.4g}",
        hint="add torch.normal(0, 0.01, y.shape) to X @ w + b",
    )


@public
@hints(
    "Shuffle a list of all indices once per pass, then walk through it in steps of batch_size.",
    "For i in range(0, n, batch_size): j = indices[i:i + batch_size]; yield features[j], labels[j].",
)
@points(2)
def test_data_iter_yields_every_sample_once_in_batches_with_a_smaller_last_one(student):
    features = torch.arange(20.0).reshape(10, 2)
    labels = torch.arange(10.0).reshape(10, 1)
    batches = student.data_iter(4, features, labels)
    expect(isinstance(batches, list), "data_iter should yield (features, labels) pairs")
    sizes = [len(assert_tensor(X, "a batch of features")) for X, _ in batches]
    expect(sizes == [4, 4, 2], f"10 samples in batches of 4 should come as batches of sizes [4, 4, 2], got {sizes}")
    seen = []
    for X, y in batches:
        assert_shape(X, (len(X), 2), "a batch of features")
        assert_shape(y, (len(X), 1), "a batch of labels")
        expect(
            torch.equal(X[:, 0], 2 * y[:, 0]),
            "a batch pairs features with the labels of other samples",
            hint="index features and labels with the same indices",
        )
        seen += y[:, 0].long().tolist()
    expect(
        sorted(seen) == list(range(10)),
        f"one pass should hold every sample exactly once, got samples {sorted(seen)}",
        hint="shuffle a list of all indices, then walk through it",
    )


@points(1)
def test_data_iter_shuffles_the_samples(student):
    labels = torch.arange(100.0).reshape(100, 1)
    batches = student.data_iter(10, labels.repeat(1, 2), labels)
    order = [int(v) for _, y in batches for v in y[:, 0].tolist()]
    expect(sorted(order) == list(range(100)), "data_iter should yield each of 100 samples once")
    expect(
        order != list(range(100)),
        "data_iter yields the samples in their original order",
        hint="shuffle the indices first (random.shuffle(indices)): SGD wants samples in random order",
    )


@public
@hints(
    "d2l's linreg is a matrix product plus a bias.",
    "torch.matmul(X, w) + b, with b broadcast over the rows.",
)
@points(1)
def test_linreg_is_x_matmul_w_plus_b(student):
    g = torch.Generator().manual_seed(0)
    X, w, b = torch.randn(5, 3, generator=g), torch.randn(3, 1, generator=g), torch.tensor([0.7])
    got = assert_shape(student.linreg(X, w, b), (5, 1), "linreg(X (5, 3), w (3, 1), b (1,))")
    assert_close(got, X @ w + b, "linreg(X, w, b)")


@public
@hints(
    "y may arrive as (n,) while y_hat is (n, 1), and broadcasting then makes an (n, n) matrix.",
    "Reshape y to y_hat.shape before subtracting; then square and halve, without summing.",
)
@points(1)
def test_squared_loss_is_half_the_squared_error_of_each_sample(student):
    y_hat = torch.tensor([[1.0], [2.0], [4.0]])
    for y in (torch.tensor([[1.5], [2.0], [1.0]]), torch.tensor([1.5, 2.0, 1.0])):
        got = assert_tensor(student.squared_loss(y_hat, y), "squared_loss(y_hat, y)")
        broadcast = f" (y {tuple(y.shape)} against y_hat (3, 1) broadcasts to (3, 3))" if got.shape == (3, 3) else ""
        expect(
            got.shape == (3, 1),
            f"squared_loss(y_hat (3, 1), y {tuple(y.shape)}): expected shape (3, 1), got {tuple(got.shape)}"
            + broadcast,
            hint="y_hat - y without the reshape subtracts every label from every prediction: "
            "reshape y to y_hat's shape first, y.reshape(y_hat.shape)",
        )
        assert_close(
            got,
            torch.tensor([[0.125], [0.0], [4.5]]),
            f"squared_loss with y of shape {tuple(y.shape)}",
            hint="(y_hat - y.reshape(y_hat.shape)) ** 2 / 2",
        )


@public
@hints(
    "Parameters change in place, and autograd must not record the update.",
    "with torch.no_grad(): for each param, param -= lr * param.grad / batch_size.",
)
@points(2)
def test_sgd_updates_the_parameters_in_place(student):
    values = [torch.tensor([[1.0], [-2.0]]), torch.tensor([0.5])]
    grads = [torch.tensor([[4.0], [8.0]]), torch.tensor([-2.0])]
    out = student.run_driver(driver.sgd_step, values=values, grads=grads, lr=0.1, batch_size=4, time_limit=30)
    expected = [v - 0.1 * g / 4 for v, g in zip(values, grads)]
    expect(
        not all(torch.equal(v, o) for v, o in zip(values, out["values"])),
        "the parameters did not change",
        hint="update them in place (param -= ...) under torch.no_grad(): `param = param - ...` only rebinds a name",
    )
    for got, exp, name in zip(out["values"], expected, ("w", "b")):
        assert_close(got, exp, f"{name} after sgd(lr=0.1, batch_size=4)")
    expect(
        all(out["requires_grad"]),
        "after sgd the parameters no longer require grad",
        hint="update in place; do not replace them by detached tensors",
    )


@points(1)
def test_sgd_zeroes_the_gradients_it_used(student):
    values = [torch.tensor([[1.0], [-2.0]]), torch.tensor([0.5])]
    grads = [torch.tensor([[4.0], [8.0]]), torch.tensor([-2.0])]
    out = student.run_driver(driver.sgd_step, values=values, grads=grads, lr=0.1, batch_size=4, time_limit=30)
    for grad, name in zip(out["grads"], ("w", "b")):
        if grad is not None and not bool((grad == 0).all()):  # the message reads grad: only when it failed
            fail(
                f"{name}.grad is still {grad.reshape(-1).tolist()} after sgd",
                hint="zero each gradient after using it (param.grad.zero_()): backward() adds to whatever is there",
            )


@points(2)
def test_training_from_scratch_recovers_w_and_b_in_3_epochs(student):
    features, labels = synthetic(1000, seed=0)
    out = student.run_driver(
        driver.train_from_scratch,
        features=features,
        labels=labels,
        lr=0.03,
        batch_size=10,
        epochs=3,
        seed=0,
        time_limit=60,
    )
    w, b = assert_shape(out["w"], (2,), "learned w"), assert_shape(out["b"], (1,), "learned b")
    # the reference misses by at most 0.0013 (data seeds 0-2 x training seeds 0-9)
    error = max((w - TRUE_W).abs().max().item(), abs(b.item() - TRUE_B))
    learned = ", ".join(f"{v:.4f}" for v in w.tolist())
    expect(
        error < 0.01,
        f"after 3 epochs w = [{learned}], b = {b.item():.4f}; expected w = [2, -3.4], b = 4.2 within 0.01",
        hint="d2l's loop: l = squared_loss(linreg(X, w, b), y); l.sum().backward(); sgd([w, b], lr, batch_size)",
    )
