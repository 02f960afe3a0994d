"""Hidden checks for lesson 12 · basic CNN. Trusted side: nothing here imports
student code; ``student`` runs it in the sandbox."""

import torch
import torch.nn.functional as F
from torch import nn

from grader.check import (
    assert_accuracy,
    assert_close,
    describe,
    expect,
    fail,
    gpu,
    hints,
    points,
    public,
    shape_check,
    training,
)
from grader.drivers import l12_cnn_basics as driver
from grader.reference import linear_problem, replay_cross_entropy_sgd
from grader.sandbox.errors import StudentError
from grader.sandbox.wire import load_plain, torch_bytes
from grader.suite_helpers import RunsCode, as_float, randn

CONV_FUNCTIONS = ("torch.nn.functional.conv2d", "torch.conv2d", "torch.convolution")
POOL_FUNCTIONS = (
    "torch.nn.functional.max_pool2d",
    "torch.max_pool2d",
    "torch.nn.functional.max_pool2d_with_indices",
    "torch.nn.functional.adaptive_max_pool2d",
)

# The lecture's example (Liu Er lecture 10): a 5x5 input and the kernel 1..9.
LECTURE_INPUT = torch.tensor(
    [[3, 4, 6, 5, 7], [2, 4, 6, 8, 2], [1, 6, 7, 8, 4], [9, 7, 4, 6, 2], [3, 7, 5, 4, 1]], dtype=torch.float64
).view(1, 1, 5, 5)
LECTURE_KERNEL = torch.arange(1, 10, dtype=torch.float64).view(1, 1, 3, 3)
LECTURE_PADDED = torch.tensor(
    [
        [91, 168, 224, 215, 127],
        [114, 211, 295, 262, 149],
        [192, 259, 282, 214, 122],
        [194, 251, 253, 169, 86],
        [96, 112, 110, 68, 31],
    ],
    dtype=torch.float64,
).view(1, 1, 5, 5)
LECTURE_STRIDED = torch.tensor([[211, 262], [251, 169]], dtype=torch.float64).view(1, 1, 2, 2)
LECTURE_POOL_INPUT = torch.tensor([[3, 4, 6, 5], [2, 4, 6, 8], [1, 6, 7, 8], [9, 7, 4, 6]], dtype=torch.float64).view(
    1, 1, 4, 4
)
LECTURE_POOLED = torch.tensor([[4, 8], [9, 8]], dtype=torch.float64).view(1, 1, 2, 2)

# (N, C_in, H, W, C_out, kernel, padding, stride): odd and even kernels, rectangular images
CONV_CASES = [
    (2, 3, 7, 9, 4, 3, 1, 1),
    (1, 1, 5, 5, 1, 3, 0, 1),
    (3, 2, 8, 6, 5, 2, 0, 2),
    (2, 4, 10, 7, 3, 5, 2, 3),
    (1, 3, 6, 6, 2, 1, 0, 2),
    (2, 2, 9, 9, 3, 4, 1, 2),
]

# The MNIST budget: Adam, two epochs of batches of 64, the second at a tenth
# of the rate. Measured on seeds 0-4: 0.9887, 0.9877, 0.9869, 0.9869, 0.9879
# (min 0.9869 for 0.98), about 12 s of CPU on one thread.
MNIST_TRAINING = dict(optimizer="adam", lrs=[2e-3, 2e-4], batch_size=64, seed=0)
# The CIFAR-10 budget: SGD with momentum 0.9 (the blitz's optimizer) on
# batches of 32 for four epochs, the rate falling from 0.02 to 0.002. Measured on
# seeds 0-4: 0.6107, 0.6133, 0.6075, 0.6218, 0.5997 (min 0.5997 for the
# seed's 0.55), about 25 s of CPU on one thread.
CIFAR_TRAINING = dict(optimizer="sgd", momentum=0.9, lrs=[0.02, 0.01, 0.005, 0.002], batch_size=32, seed=0)


def parameter_shapes(module) -> list[tuple[int, ...]]:
    return sorted(tuple(p.shape) for p in module.parameters())


def layer_weights(state_dict: dict, shapes: dict[str, tuple[int, ...]], module: str) -> dict:
    """The student's weights by layer name, after checking names and shapes."""
    for name, shape in shapes.items():
        expect(
            name in state_dict,
            f"{module} has no parameter {name}; found {', '.join(state_dict)}",
            hint="name the layers as in the docstring: the grader reads their weights",
        )
        got = tuple(state_dict[name].shape)
        expect(got == shape, f"{module}.{name} has shape {got}, the lecture's layer has {shape}")
    return state_dict


# -- convolution by hand ----------------------------------------------------
@public
@hints(
    "Count how many positions the kernel fits along the padded input.",
    "(H + 2 * padding - kernel) // stride + 1",
)
@points(1)
def test_conv_output_size_matches_real_conv_layers(student):
    for size in (5, 7, 28, 32):
        for kernel, padding, stride in [(3, 0, 1), (3, 1, 1), (3, 0, 2), (5, 0, 1), (5, 2, 3), (2, 0, 2), (4, 1, 3)]:
            layer = nn.Conv2d(1, 1, kernel, padding=padding, stride=stride)
            expected = layer(torch.zeros(1, 1, size, size)).shape[-1]
            got = student.conv_output_size(size, kernel, padding, stride)
            expect(
                got == expected,
                f"conv_output_size({size}, kernel={kernel}, padding={padding}, stride={stride}) should be "
                f"{expected}, got {got!r}",
            )


@hints(
    "Padding surrounds the input with zeros before the kernel slides over it.",
    "Copy x into the middle of a zero tensor of size (H + 2p) x (W + 2p), then convolve that.",
)
@points(2)
def test_conv2d_naive_gives_the_lecture_numbers_with_padding_1(student):
    out = student.conv2d_naive(LECTURE_INPUT, LECTURE_KERNEL, padding=1)
    assert_close(
        out,
        LECTURE_PADDED,
        "the lecture's 5x5 input * kernel 1..9, padding 1",
        hint="pad with one row and column of zeros on every side; do not flip the kernel",
    )


@public
@hints(
    "Work out the output size first: a 5x5 input, a 3x3 kernel and stride 2 give 2x2.",
    "Output (i, j) is the sum of the 3x3 window whose top-left corner is (i * stride, j * stride), times the "
    "kernel, without flipping it.",
)
@points(1)
def test_conv2d_naive_gives_the_lecture_numbers_with_stride_2(student):
    out = student.conv2d_naive(LECTURE_INPUT, LECTURE_KERNEL, padding=0, stride=2)
    assert_close(
        out,
        LECTURE_STRIDED,
        "the lecture's 5x5 input * kernel 1..9, stride 2",
        hint="with stride 2 the window moves two pixels at a time: 5x5 -> 2x2",
    )


@hints(
    "Now there are batches, several input channels and several output channels.",
    "out[n, o, i, j] sums x_padded[n, c, i * s + a, j * s + b] * weight[o, c, a, b] over c, a and b.",
)
@points(2)
def test_conv2d_naive_matches_f_conv2d_on_random_shapes(student):
    conv2d_naive = student.conv2d_naive.forbidding(*CONV_FUNCTIONS)
    for i, (n, c_in, h, w, c_out, k, padding, stride) in enumerate(CONV_CASES):
        x, weight = randn(n, c_in, h, w, seed=i), randn(c_out, c_in, k, k, seed=100 + i)
        assert_close(
            conv2d_naive(x, weight, padding=padding, stride=stride),
            F.conv2d(x, weight, padding=padding, stride=stride),
            f"conv2d_naive(x {tuple(x.shape)}, weight {tuple(weight.shape)}, padding={padding}, stride={stride})",
            hint="sum over input channels too; the output has C_out channels",
        )


@hints(
    "Build the output from torch operations on x and weight only.",
    "No .item(), numpy or torch.tensor(...) of computed values: they cut the autograd graph.",
)
@points(2)
def test_conv2d_naive_gradients_match_f_conv2d(student):
    for i in (0, 3, 5):
        n, c_in, h, w, c_out, k, padding, stride = CONV_CASES[i]
        x = randn(n, c_in, h, w, seed=i).requires_grad_()
        weight = randn(c_out, c_in, k, k, seed=100 + i).requires_grad_()
        out = F.conv2d(x, weight, padding=padding, stride=stride)
        grad_output = randn(*out.shape, seed=200 + i)
        expected = torch.autograd.grad(out, (x, weight), grad_output)
        grads = student.backward(
            student.conv2d_naive, x, weight, padding=padding, stride=stride, grad_output=grad_output
        )
        for got, want, what in zip(grads.inputs, expected, ("x", "weight")):
            expect(got is not None, f"no gradient reached {what}", hint="keep the computation in autograd")
            assert_close(got, want, f"d conv2d_naive / d {what} (case {i})")


# -- max pooling -------------------------------------------------------------
@public
@hints(
    "Max pooling keeps the largest value of each window.",
    "With stride equal to the kernel size the windows do not overlap: take the max of each k x k block.",
)
@points(1)
def test_max_pool2d_naive_gives_the_lecture_numbers(student):
    assert_close(
        student.max_pool2d_naive(LECTURE_POOL_INPUT, 2),
        LECTURE_POOLED,
        "max pooling the lecture's 4x4 input",
        hint="keep the largest value of each 2x2 window",
    )


@hints(
    "Windows do not overlap, and leftover rows and columns that do not fill a window are dropped.",
    "Crop to (H // k * k, W // k * k), reshape to (N, C, H // k, k, W // k, k) and take amax over dims 3 and 5.",
)
@points(1)
def test_max_pool2d_naive_matches_f_max_pool2d(student):
    max_pool2d_naive = student.max_pool2d_naive.forbidding(*POOL_FUNCTIONS)
    for i, (shape, kernel) in enumerate([((2, 3, 8, 8), 2), ((1, 2, 7, 9), 2), ((2, 1, 9, 12), 3), ((1, 4, 5, 5), 5)]):
        x = randn(*shape, seed=i)
        assert_close(
            max_pool2d_naive(x, kernel),
            F.max_pool2d(x, kernel),
            f"max_pool2d_naive(x {shape}, {kernel})",
            hint="windows do not overlap (stride = kernel); drop rows and columns that do not fill a whole window",
        )


# -- the networks --------------------------------------------------------------
MNIST_CNN = {
    "conv1.weight": (10, 1, 5, 5),
    "conv1.bias": (10,),
    "conv2.weight": (20, 10, 5, 5),
    "conv2.bias": (20,),
    "fc.weight": (10, 320),
    "fc.bias": (10,),
}
LENET = {
    "conv1.weight": (6, 3, 5, 5),
    "conv1.bias": (6,),
    "conv2.weight": (16, 6, 5, 5),
    "conv2.bias": (16,),
    "fc1.weight": (120, 400),
    "fc1.bias": (120,),
    "fc2.weight": (84, 120),
    "fc2.bias": (84,),
    "fc3.weight": (10, 84),
    "fc3.bias": (10,),
}


@shape_check  # the parameters' shapes only: the forward checks test the values
@points(1)
def test_mnist_cnn_has_the_lecture_layers(student):
    shapes = parameter_shapes(student.MnistCNN())
    expect(
        shapes == sorted(MNIST_CNN.values()),
        f"expected conv 1->10 (5x5), conv 10->20 (5x5) and a linear layer 320->10, got parameters of shapes {shapes}",
    )


@public
@hints(
    "Liu Er's order is convolution, pooling, relu, twice.",
    "x.view(batch_size, -1) then gives 20 * 4 * 4 = 320 features for fc.",
)
@points(2)
def test_mnist_cnn_pools_twice_and_flattens_320_features(student):
    net = student.MnistCNN().double()
    sd = layer_weights(net.state_dict(), MNIST_CNN, "MnistCNN")
    x = randn(3, 1, 28, 28, seed=1)
    h = F.relu(F.max_pool2d(F.conv2d(x, sd["conv1.weight"], sd["conv1.bias"]), 2))
    h = F.relu(F.max_pool2d(F.conv2d(h, sd["conv2.weight"], sd["conv2.bias"]), 2))
    expected = F.linear(h.reshape(3, 320), sd["fc.weight"], sd["fc.bias"])
    assert_close(
        net(x),
        expected,
        "MnistCNN()(x) for 3 images",
        hint="conv1, pool, relu, conv2, pool, relu, then x.view(batch_size, -1): 20 * 4 * 4 = 320",
    )


@shape_check  # the parameters' shapes only: the forward checks test the values
@points(1)
def test_lenet_has_the_cifar_layers(student):
    shapes = parameter_shapes(student.LeNet())
    expect(
        shapes == sorted(LENET.values()),
        f"expected conv 3->6 (5x5), conv 6->16 (5x5) and linear 400->120->84->10, got parameters of shapes {shapes}",
    )


@points(2)
def test_lenet_computes_conv_pool_conv_pool_and_three_linear_layers(student):
    net = student.LeNet().double()
    sd = layer_weights(net.state_dict(), LENET, "LeNet")
    x = randn(3, 3, 32, 32, seed=2)
    h = F.max_pool2d(F.relu(F.conv2d(x, sd["conv1.weight"], sd["conv1.bias"])), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, sd["conv2.weight"], sd["conv2.bias"])), 2).reshape(3, 400)
    h = F.relu(F.linear(h, sd["fc1.weight"], sd["fc1.bias"]))
    h = F.relu(F.linear(h, sd["fc2.weight"], sd["fc2.bias"]))
    expected = F.linear(h, sd["fc3.weight"], sd["fc3.bias"])
    assert_close(
        net(x),
        expected,
        "LeNet()(x) for 3 images",
        hint="relu after fc1 and fc2 only; flatten each image separately to 16 * 5 * 5 = 400",
    )


# -- training loop, per-class accuracy, saving -----------------------------------
@public
@hints(
    "Loop over the epochs, and inside over every batch.",
    "model.train(); per batch: zero_grad, CrossEntropyLoss of model(X) and y, backward, step; return one mean loss "
    "per epoch.",
)
@points(2)
def test_train_classifier_steps_once_per_batch_in_every_epoch(student):
    W, b, batches = linear_problem()
    out = student.run_driver(driver.train_linear, weight=W, bias=b, batches=batches, epochs=3, lr=0.5, time_limit=30)
    W_expected, b_expected, _ = replay_cross_entropy_sgd(W, b, batches, lr=0.5, epochs=3)
    assert_close(
        out["weight"],
        W_expected,
        "weights after three epochs",
        hint="loop over the epochs, and in each over all batches: optimizer.zero_grad(), "
        "loss.backward(), optimizer.step()",
    )
    assert_close(out["bias"], b_expected, "bias after three epochs")


@points(1)
def test_train_classifier_returns_the_mean_batch_loss_of_each_epoch(student):
    W, b, batches = linear_problem(seed=1)
    out = student.run_driver(driver.train_linear, weight=W, bias=b, batches=batches, epochs=2, lr=0.3, time_limit=30)
    _, _, expected = replay_cross_entropy_sgd(W, b, batches, lr=0.3, epochs=2)
    got = out["losses"]
    expect(
        isinstance(got, (list, tuple)) and len(got) == 2,
        f"train_classifier(..., epochs=2, ...) should return 2 numbers, one per epoch; got {got!r}",
    )
    for epoch, (g, e) in enumerate(zip(got, expected)):
        g = as_float(g, f"train_classifier's loss of epoch {epoch}")
        expect(abs(g - e) < 1e-6, f"epoch {epoch}: train_classifier returned {g:.6f}, the mean batch loss is {e:.6f}")


@public
@hints(
    "Count, per class, the samples and the correct predictions.",
    "torch.bincount(y, minlength=num_classes) counts the samples; a bincount of y[predicted == y] counts the "
    "correct ones.",
)
@points(2)
def test_per_class_accuracy_divides_by_the_samples_of_each_class(student):
    g = torch.Generator().manual_seed(3)
    W, b = torch.randn(4, 5, generator=g, dtype=torch.float64), torch.randn(4, generator=g, dtype=torch.float64)
    X = torch.randn(40, 5, generator=g, dtype=torch.float64)
    y = torch.tensor([0] * 4 + [1] * 16 + [2] * 8 + [3] * 12)  # unbalanced, so the totals differ
    y = y[torch.randperm(40, generator=g)]
    batches = [(X[:16], y[:16]), (X[16:23], y[16:23]), (X[23:], y[23:])]
    out = student.run_driver(
        driver.per_class_on_linear, weight=W, bias=b, batches=batches, num_classes=4, time_limit=30
    )
    got = out["accuracy"]
    predicted = (X @ W.T + b).argmax(dim=1)
    expected = torch.stack([(predicted[y == c] == c).double().mean() for c in range(4)])
    comparable = isinstance(got, torch.Tensor) and got.shape == expected.shape and got.is_floating_point()
    if out["train_mode_calls"] and not (comparable and torch.allclose(got.double(), expected, 1e-6, 1e-6)):
        # the verdict is the comparison; the recorded mode only names the likely cause
        shown = [round(v, 4) for v in got.tolist()] if comparable else describe(got)
        fail(
            f"per_class_accuracy ran the model in train mode ({out['train_mode_calls']} forward calls): the model "
            f"holds a dropout layer, which drops inputs at random until model.eval(), so the accuracies came out "
            f"{shown}, expected {[round(v, 4) for v in expected.tolist()]}",
            hint="call model.eval() before evaluating: dropout and batch norm behave differently in train mode",
        )
    assert_close(
        got,
        expected,
        "per_class_accuracy of a linear model on 4 unbalanced classes",
        rtol=1e-6,
        atol=1e-6,
        hint="for class c divide the correct predictions of class c by the number of samples labelled "
        "c; evaluate in eval mode",
    )


# Files go in and out through Student.put_file and Student.read_file only: the grader never opens a path in the
# scratch folder, where the student's code could plant a link or a FIFO under any name.
@public
@hints(
    "Save the parameters, not the model object.",
    "Give torch.save the model's state_dict() and the path; to load, model_cls() and "
    "load_state_dict(torch.load(path, weights_only=True)).",
)
@points(2)
def test_weights_round_trip_through_a_state_dict_file(student):
    path = student.scratch / "saved-lenet.pt"  # the only folder the sandbox may write to
    out = student.run_driver(driver.save_and_load, path=str(path), time_limit=30)
    blob = student.read_file(path.name)
    expect(blob is not None, f"save_weights did not write {path}")
    try:
        saved = load_plain(blob)
    except ValueError as exc:
        fail(
            f"the saved file is not a plain state dict: {exc}",
            hint="save the model's state_dict() with torch.save, not the model object itself",
        )
    expect(
        isinstance(saved, dict) and sorted(saved) == sorted(out["saved"]),
        f"the file should hold LeNet's state_dict with keys {sorted(out['saved'])}, got "
        f"{sorted(saved) if isinstance(saved, dict) else type(saved).__name__}",
    )
    for name, tensor in out["saved"].items():
        assert_close(saved[name], tensor, f"{name} in the file")
        assert_close(out["loaded"][name], tensor, f"{name} after load_weights")
    assert_close(out["outputs"][1], out["outputs"][0], "the loaded LeNet's output")


@points(2)
def test_load_weights_refuses_a_file_that_would_run_code(student):
    weights = {name: randn(*shape, seed=i).float() for i, (name, shape) in enumerate(LENET.items())}
    loaded = student.run_driver(
        driver.load_file, path=student.put_file("lenet.pt", torch_bytes(weights)), time_limit=30
    )
    for name, tensor in weights.items():
        expect(name in loaded, f"load_weights(LeNet, a saved state dict) has no {name}")
        assert_close(loaded[name], tensor, f"{name} after load_weights(LeNet, a saved state dict)")
    marker = student.scratch / "code-ran"  # the payload creates it where the sandbox may write
    evil = student.put_file("evil.pt", torch_bytes({**weights, "payload": RunsCode(str(marker))}))
    try:
        student.run_driver(driver.load_file, path=evil, time_limit=30)
        raised = False
    except StudentError:
        raised = True
    expect(
        student.read_file(marker.name) is None,
        "loading the file ran code stored in it (it created a file)",
        hint="torch.load(path, weights_only=True): a full unpickle runs any code in the file",
    )
    expect(raised, "load_weights accepted a file that holds more than tensors")


# -- training -------------------------------------------------------------------
@points(5)
@training
def test_mnist_cnn_reaches_98_percent_on_mnist(student, mnist):
    out = student.run_driver(driver.train_mnist_cnn, time_limit=600, **MNIST_TRAINING)
    assert_accuracy(
        out["predictions"], mnist.test_labels, 0.98, "MnistCNN trained with your train_classifier, MNIST test set"
    )


@points(5)
@training
def test_lenet_reaches_55_percent_on_cifar10(student, cifar10):
    out = student.run_driver(driver.train_lenet, time_limit=600, **CIFAR_TRAINING)
    assert_accuracy(
        out["predictions"], cifar10.test_labels, 0.55, "LeNet trained with your train_classifier, CIFAR-10 test set"
    )


@gpu
@points(2)
@training
def test_lenet_trained_on_cuda_reaches_55_percent_and_stays_on_the_gpu(student, cifar10):
    out = student.run_driver(driver.train_lenet, device="cuda", time_limit=600, **CIFAR_TRAINING)
    expect(
        out["devices"] == ["cuda:0"],
        f"after train_classifier(..., device='cuda') the parameters and outputs live on {out['devices']}",
        hint="model.to(device) before the loop, and X.to(device), y.to(device) for every batch",
    )
    assert_accuracy(out["predictions"], cifar10.test_labels, 0.55, "LeNet trained on CUDA, CIFAR-10 test set")
