"""Hidden checks for lesson 10 · softmax classifier. Trusted side: nothing
here imports student code; ``student`` runs it in the sandbox."""

import math

import torch
import torch.nn.functional as F

from grader.check import (
    accuracy,
    assert_accuracy,
    assert_close,
    assert_finite,
    assert_shape,
    expect,
    hints,
    points,
    public,
    shape_check,
    training,
)
from grader.drivers import l10_softmax as driver
from grader.reference import linear_problem, replay_cross_entropy_sgd
from grader.suite_helpers import as_float

FROM_SCRATCH = {
    "softmax": ("torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax", "torch.special.softmax"),
    "logsumexp": ("torch.logsumexp", "torch.Tensor.logsumexp", "torch.special.logsumexp"),
    "log_softmax": (
        "torch.log_softmax",
        "torch.Tensor.log_softmax",
        "torch.nn.functional.log_softmax",
        "torch.special.log_softmax",
    ),
}
FROM_SCRATCH["cross_entropy"] = (
    "torch.nn.functional.cross_entropy",
    "torch.nn.functional.nll_loss",
    *FROM_SCRATCH["log_softmax"],
)
HUGE = torch.tensor([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4], [-1e4, -1e4, -1e4]], dtype=torch.float64)
STABLE = "subtract the max along dim before exp (LogSumExp 解决溢出)"


def random_logits(*shape: int, seed: int = 0, scale: float = 3.0) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale


# -- softmax --------------------------------------------------------------
@hints(
    "dim may be 0, 1 or -1, and X may have three dimensions.",
    "Reduce along dim with keepdim=True so that the sum broadcasts back over X.",
)
@points(2)
def test_softmax_matches_torch_along_any_dim(student):
    softmax = student.softmax.forbidding(*FROM_SCRATCH["softmax"])
    for shape, dim in [((5,), -1), ((4, 8), 1), ((4, 8), 0), ((2, 3, 7), -1), ((2, 3, 7), 1)]:
        X = random_logits(*shape)
        assert_close(softmax(X, dim=dim), torch.softmax(X, dim=dim), f"softmax(X of shape {shape}, dim={dim})")


@public
@hints(
    "Softmax turns each row into a probability distribution.",
    "Divide exp(X) by its sum along dim, with keepdim=True so that the division broadcasts.",
)
@points(1)
def test_softmax_rows_are_positive_and_sum_to_one(student):
    P = assert_shape(student.softmax(random_logits(6, 10), dim=1), (6, 10), "softmax(X)")
    expect((P > 0).all(), "softmax returned a value <= 0; every probability is positive")
    assert_close(P.sum(dim=1), torch.ones(6, dtype=torch.float64), "row sums of softmax(X)")


@points(1)
def test_softmax_is_unchanged_by_adding_a_constant_to_a_row(student):
    X = random_logits(3, 5)
    shift = torch.tensor([[50.0], [-30.0], [7.0]], dtype=torch.float64)
    # compared with the known softmax, not only with the student's own softmax(X): an output that ignores X
    # (zeros, say) is unchanged by any shift too
    assert_close(
        student.softmax(X + shift, dim=1),
        torch.softmax(X, dim=1),
        "softmax(X + c), which should equal softmax(X)",
        hint="softmax(z + c) = softmax(z): exp(z + c) = exp(c) exp(z) and exp(c) cancels",
    )


@hints(
    "exp(1e4) overflows to inf.",
    "softmax(z) = softmax(z - c) for any c: subtract X.max(dim=dim, keepdim=True).values before exp.",
)
@points(2)
def test_softmax_stays_finite_for_huge_logits(student):
    P = assert_shape(student.softmax(HUGE, dim=1), HUGE.shape, "softmax(X)")
    assert_finite(P, "softmax of logits like 1e4 and -1e4", hint=STABLE)
    assert_close(P, torch.softmax(HUGE, dim=1), "softmax of huge logits")


# -- logsumexp and log_softmax --------------------------------------------
@points(2)
def test_logsumexp_matches_torch_along_any_dim(student):
    logsumexp = student.logsumexp.forbidding(*FROM_SCRATCH["logsumexp"])
    for shape, dim in [((5,), -1), ((4, 8), 1), ((4, 8), 0), ((2, 3, 7), 1)]:
        X = random_logits(*shape, seed=1, scale=20.0)
        assert_close(
            logsumexp(X, dim=dim),
            torch.logsumexp(X, dim=dim),
            f"logsumexp(X of shape {shape}, dim={dim})",
            hint="after exp(X - m), sum and log, add m back",
        )


@public
@hints(
    "LogSumExp 解决溢出: log(sum(exp(x))) = m + log(sum(exp(x - m))) for any m.",
    "Take m as the max along dim with keepdim=True; squeeze dim from the result at the end.",
)
@points(1)
def test_logsumexp_stays_finite_for_huge_and_very_negative_logits(student):
    L = assert_shape(student.logsumexp(HUGE, dim=1), (3,), "logsumexp(X, dim=1)")
    assert_finite(L, "logsumexp of logits like 1e4 and -1e4", hint=STABLE)
    assert_close(L, torch.logsumexp(HUGE, dim=1), "logsumexp of huge logits")


@public
@hints(
    "log(softmax(X)) is -inf wherever softmax underflows to 0.",
    "Subtract the logsumexp along dim from X, with dim kept (unsqueeze) so that it broadcasts.",
)
@points(2)
def test_log_softmax_matches_torch_even_for_huge_logits(student):
    log_softmax = student.log_softmax.forbidding(*FROM_SCRATCH["log_softmax"])
    for X, dim in [(random_logits(4, 8, seed=2), 1), (random_logits(3, 5, 2, seed=3), 1), (HUGE, 1)]:
        assert_close(
            log_softmax(X, dim=dim),
            torch.log_softmax(X, dim=dim),
            f"log_softmax(X of shape {tuple(X.shape)})",
            hint="log(softmax(X)) is -inf where softmax underflows to 0: use X - logsumexp(X)",
        )


# -- cross-entropy ----------------------------------------------------------
def labels(n: int, classes: int, seed: int = 0) -> torch.Tensor:
    return torch.randint(classes, (n,), generator=torch.Generator().manual_seed(seed))


@points(2)
def test_cross_entropy_matches_torch_mean_over_the_batch(student):
    cross_entropy = student.cross_entropy.forbidding(*FROM_SCRATCH["cross_entropy"])
    for n, classes in [(1, 3), (8, 10), (32, 5)]:
        logits, y = random_logits(n, classes, seed=n), labels(n, classes, seed=n)
        assert_close(
            cross_entropy(logits, y),
            F.cross_entropy(logits, y),
            f"cross_entropy of {n}x{classes} logits",
            hint="the loss is the mean over the batch of logsumexp(z) - z[y]",
        )


@public
@hints(
    "Cross-entropy is the negative log-probability of the correct class, averaged over the batch.",
    "logsumexp of each row minus the logit of its label, then the mean.",
)
@points(1)
def test_cross_entropy_of_zero_logits_over_10_classes_is_ln_10(student):
    loss = student.cross_entropy(torch.zeros(4, 10, dtype=torch.float64), torch.tensor([0, 3, 9, 3]))
    assert_close(
        loss,
        torch.tensor(math.log(10), dtype=torch.float64),
        "cross_entropy(zeros(4, 10), y)",
        hint="uniform probabilities 1/10 give a loss of ln 10 for every sample, and the mean is ln 10 too",
    )


@hints(
    "Never take the log of a softmax.",
    "Pick log_softmax(logits, dim=1)[torch.arange(N), y] and return minus its mean.",
)
@points(1)
def test_cross_entropy_stays_finite_for_huge_logits(student):
    y = torch.tensor([2, 0, 1])
    loss = student.cross_entropy(HUGE, y)
    assert_finite(
        loss,
        "cross_entropy of logits like 1e4 and -1e4",
        hint="log(softmax) is -inf where softmax underflows to 0: use log_softmax",
    )
    assert_close(loss, F.cross_entropy(HUGE, y), "cross_entropy of huge logits")


@hints(
    "The gradient comes for free if the loss stays in the autograd graph.",
    "No .detach(), .item(), .data or numpy inside cross_entropy; index with torch.arange(N) and y.",
)
@points(2)
def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n(student):
    logits, y = random_logits(6, 10, seed=4).requires_grad_(), labels(6, 10, seed=4)
    grads = student.backward(student.cross_entropy, logits, y)
    expected = (torch.softmax(logits.detach(), dim=1) - F.one_hot(y, 10)) / 6
    assert_close(
        grads.inputs[0],
        expected,
        "d cross_entropy / d logits",
        hint="keep the computation in autograd: no .detach(), .item() or .data inside the loss",
    )


@points(1)
def test_accuracy_compares_the_argmax_of_each_row_with_the_label(student):
    logits = torch.tensor([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    cases = [(logits, torch.tensor([1, 0, 2, 1]), 0.75), (logits[:3], torch.tensor([1, 1, 2]), 2 / 3)]
    for X, y, expected in cases:
        got = as_float(student.accuracy(X, y), "accuracy", returns="the fraction of correct rows")
        expect(
            abs(got - expected) < 1e-6,
            f"accuracy of {len(y)} rows: expected {expected:.4f}, got {got:.4f}",
            hint="take the argmax over classes (dim=1), compare with y, average",
        )


# -- the MLP and its training loop -----------------------------------------
LAYERS = [(512, 784), (512,), (256, 512), (256,), (128, 256), (128,), (64, 128), (64,), (10, 64), (10,)]


@points(1)
@shape_check
def test_net_has_the_784_512_256_128_64_10_layers(student):
    shapes = [tuple(p.shape) for p in student.Net().parameters()]
    expect(
        sorted(shapes) == sorted(LAYERS),
        f"expected the Linear layers 784-512-256-128-64-10, got parameters of shapes {shapes}",
    )


@public
@hints(
    "The network sees flat rows of 784 pixels.",
    "Flatten with x.view(-1, 784) first; the last layer gets no ReLU.",
)
@points(1)
@shape_check
def test_net_maps_images_to_10_logits_per_image(student):
    net = student.Net()
    for n in (1, 5):
        X = torch.randn(n, 1, 28, 28, generator=torch.Generator().manual_seed(n))
        assert_shape(net(X), (n, 10), f"Net()(X of shape {tuple(X.shape)})")


@public
@hints(
    "Per batch: zero the gradients, forward, loss, backward, step.",
    "nn.CrossEntropyLoss on the raw logits (no softmax in Net); optimizer.zero_grad() before loss.backward() in "
    "every batch.",
)
@points(2)
def test_train_epoch_zeroes_gradients_and_steps_once_per_batch(student):
    W, b, batches = linear_problem()
    out = student.run_driver(driver.train_epoch_on_linear, weight=W, bias=b, batches=batches, lr=0.5, time_limit=30)
    W_expected, b_expected, _ = replay_cross_entropy_sgd(W, b, batches, lr=0.5)
    assert_close(
        out["weight"],
        W_expected,
        "weights after one epoch",
        hint="per batch: optimizer.zero_grad(), loss.backward(), optimizer.step() "
        "(without zero_grad gradients pile up)",
    )
    assert_close(out["bias"], b_expected, "bias after one epoch")


@points(1)
def test_train_epoch_returns_the_mean_loss(student):
    # Batches of 5, 3 and 6 samples at lr 0 (the weights stay put): the mean of the batch losses (Liu Er's
    # running_loss / batches) and the mean over samples (d2l's) differ here, and both are the epoch's mean loss.
    W, b, batches = linear_problem(seed=1)
    out = student.run_driver(driver.train_epoch_on_linear, weight=W, bias=b, batches=batches, lr=0.0, time_limit=30)
    _, _, (batch_mean,) = replay_cross_entropy_sgd(W, b, batches, lr=0.0)
    sample_mean = F.cross_entropy(torch.cat([X for X, _ in batches]) @ W.T + b, torch.cat([y for _, y in batches]))
    got = as_float(out["loss"], "train_epoch", returns="the mean loss")
    expect(
        min(abs(got - batch_mean), abs(got - sample_mean.item())) < 1e-6,
        f"train_epoch returned {got:.6f}; the epoch's mean loss is {batch_mean:.6f} over batches "
        f"({sample_mean.item():.6f} over samples)",
        hint="add up loss.item() of every batch and divide by the number of batches",
    )


@public
@hints(
    "No gradients, and a count over samples: the batches differ in size.",
    "Under torch.no_grad(), add up the correct argmax predictions and divide by the number of samples.",
)
@points(1)
def test_evaluate_counts_every_sample(student):
    # The model has no dropout: eval mode is not required before lesson 11, which teaches it.
    W, b, batches = linear_problem(seed=2)
    got = as_float(
        student.run_driver(driver.evaluate_linear, weight=W, bias=b, batches=batches, time_limit=30),
        "evaluate",
        returns="the accuracy",
    )
    expected = accuracy(
        torch.cat([(X @ W.T + b).argmax(dim=1) for X, _ in batches]), torch.cat([y for _, y in batches])
    )
    expect(
        abs(got - expected) < 1e-9,
        f"evaluate returned {got:.4f}, expected {expected:.4f}",
        hint="divide the number of correct predictions by the number of samples, not the mean of batch accuracies",
    )


@points(5)
@training
def test_net_reaches_97_percent_test_accuracy_on_mnist(student, mnist):
    # Liu Er's SGD with momentum 0.5 at lr 0.1 for 8 epochs; measured on seeds 0-4
    # (2-core CPU): min accuracy 0.9795 in ~12 s.
    predictions = student.run_driver(
        driver.train_mnist, optimizer="sgd", lrs=[0.1] * 8, momentum=0.5, batch_size=64, seed=0, time_limit=300
    )
    assert_accuracy(predictions, mnist.test_labels, 0.97, "Net trained with your train_epoch, MNIST test set")
