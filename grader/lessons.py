"""The course file: one ordered row per lesson, the one place a lesson's
title, topic, sources, datasets and lesson hints are written. Imports nothing
heavy, so that ``practice list`` starts instantly.

A lesson ``lNN_topic`` has ``solutions/lNN_topic.py`` (the reference, with
solution markers), ``exercises/lNN_topic.py`` (generated stubs),
``grader/suites/test_lNN_topic.py`` (hidden checks) and, when it trains
something, ``grader/drivers/lNN_topic.py`` (code run inside the sandbox).
Its points are not written here: they are the sum of the suite's ``@points``
(``Lesson.points``, read by ``grader.catalog``). The README's lesson table is
generated from these rows (``make readme``). CONTRIBUTING.md lists what a new
lesson needs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from grader import catalog

ROOT = Path(__file__).resolve().parent.parent
SUITES = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class Lesson:
    id: str  # "l10_softmax": file name in exercises/, solutions/ and grader/suites/test_<id>.py
    title: str  # `practice list`, `next`, `hint`, the score table and the README
    topic: str  # what the lesson covers, in the course's words (the README table)
    sources: str  # the chapters and lectures it follows (the README table)
    datasets: tuple[str, ...] = ()  # grader.data names the grader prepares before the lesson's sandbox starts
    hints: tuple[str, ...] = ()  # where to start when stuck, vague to specific (`practice hint LESSON`)

    @property
    def suite(self) -> Path:
        return SUITES / f"test_{self.id}.py"

    @property
    def points(self) -> int:
        """The sum of the suite's ``@points``: all checks here, the public ones in a student release."""
        return catalog.suite_points(self.suite)


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="l01_tensors",
        title="Tensors 数据操作: storage, strides, broadcasting, saving",
        topic="storage, stride and offset by hand, views and transposes with `as_strided`, 广播机制, 节省内存, "
        "one-hot with `scatter_`, `torch.save`/`load` with `weights_only`",
        sources="DLWPT ch. 3; d2l 2.1",
        hints=(
            "A tensor is a view over a flat storage: sizes, strides and an offset.",
            "Most functions here only do arithmetic on sizes and strides; few copy data.",
            "t[i, j] sits at storage_offset() + i * stride(0) + j * stride(1); a transpose swaps two strides.",
        ),
    ),
    Lesson(
        id="l02_data_as_tensors",
        title="Real data as tensors: wine, bike sharing, text, images",
        topic="the wine table (z-scores, boolean masks, precision/recall), bike-sharing days in N x C x L, "
        "one-hot characters and words from Pride and Prejudice, images HWC -> CHW and per-channel "
        "normalisation",
        sources="DLWPT ch. 4; d2l 2.2",
        datasets=("wine", "bikes", "austen", "bobby", "cat1", "cat2", "cat3"),
        hints=(
            "Every dataset becomes a float tensor: (samples, features), or (N, C, L) for time series.",
            "Read files with numpy or imageio, convert with torch.from_numpy, then reshape or permute.",
            "np.loadtxt + torch.from_numpy; view(-1, 24, 17) for days; permute(2, 0, 1) for images.",
        ),
    ),
    Lesson(
        id="l03_autograd",
        title="Gradients by hand and by autograd 自动微分",
        topic="the thermometer model, hand-written and central-difference gradients, gradient descent by "
        "hand and with `requires_grad`/`backward`/`no_grad`, non-scalar backward, `detach`, control "
        "flow, norms",
        sources="DLWPT ch. 5; d2l 2.3, 2.5",
        hints=(
            "Gradient descent needs dL/dparams: by hand with the chain rule, or from autograd.",
            "With autograd: requires_grad=True on the parameters, loss.backward(), then read params.grad.",
            "dL/dt_p = 2 (t_p - t_c) / N; zero params.grad every epoch and update inside torch.no_grad().",
        ),
    ),
    Lesson(
        id="l04_linear_model",
        title="Linear model 线性模型",
        topic="y_hat = x * w, per-sample loss and MSE, 穷举法 over w, the MSE surface over (w, b)",
        sources="Liu Er lecture 2",
        hints=(
            "The lecture loops over w; here you compute every w at once.",
            "Put the candidates on one axis and the samples on another.",
            "Broadcast the candidates against the samples ((K, 1) against (1, N)) and average over the samples.",
        ),
    ),
    Lesson(
        id="l05_gradient_descent",
        title="Gradient descent 梯度下降",
        topic="the analytic gradient of the MSE, batch gradient descent, 随机梯度下降 per sample, 指数加权均值",
        sources="Liu Er lecture 3",
        hints=(
            "Step against the gradient of the cost.",
            "Batch gradient descent uses the mean gradient over all samples; SGD updates after every sample.",
            "d cost / dw = mean(2 x (x w - y)); step against it: w <- w - lr * gradient.",
        ),
    ),
    Lesson(
        id="l06_backprop",
        title="Back propagation 反向传播",
        topic="computational graphs, `requires_grad`, `backward`, updates under `no_grad` with zeroed "
        "gradients, the quadratic homework",
        sources="Liu Er lecture 4",
        hints=(
            "Let autograd compute the gradient instead of deriving it by hand.",
            "Updates must not be recorded in the graph, and gradients accumulate until you zero them.",
            "Create w with requires_grad=True; per sample: backward, w -= lr * w.grad under torch.no_grad(), "
            "w.grad.zero_().",
        ),
    ),
    Lesson(
        id="l07_linear_regression",
        title="Linear regression with PyTorch 用PyTorch实现线性回归",
        topic="the four steps (data, `nn.Module`, loss and optimizer, training loop) on `nn.Linear` with "
        "`MSELoss(reduction='sum')`; d2l's linear regression from scratch",
        sources="Liu Er lecture 5; d2l 3.2",
        hints=(
            "Every PyTorch training follows four steps: data, model, loss and optimizer, loop.",
            "The loop: forward, loss, zero the gradients, backward, step.",
            "Per step: loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step().",
        ),
    ),
    Lesson(
        id="l08_logistic_regression",
        title="Logistic regression 逻辑斯蒂回归",
        topic="sigmoid over a linear layer, binary cross-entropy from scratch and from logits (exact at "
        "1e4), the decision boundary",
        sources="Liu Er lecture 6",
        hints=(
            "Classification needs probabilities: squash the linear output with a sigmoid.",
            "BCE compares the probability with the 0/1 label; from logits it must stay finite for huge values.",
            "Clamp each log at -100 like torch; from logits use max(z, 0) - z y + log(1 + exp(-|z|)).",
        ),
    ),
    Lesson(
        id="l09_multi_dim_dataloader",
        title="Multi-dimensional input, Dataset and DataLoader",
        topic="处理多维特征的输入 and 加载数据集: a diabetes `Dataset` and `DataLoader`, mini-batch training of an "
        "8-6-4-1 network",
        sources="Liu Er lectures 7-8",
        datasets=("diabetes",),
        hints=(
            "The diabetes file has 8 features per row and a 0/1 label in the last column.",
            "A Dataset gives one sample by index; a DataLoader batches and shuffles them.",
            "Labels as xy[:, [-1]] in float32; DataLoader(dataset, batch_size=..., shuffle=...); "
            "zero_grad, backward, step per batch.",
        ),
    ),
    Lesson(
        id="l10_softmax",
        title="Softmax classifier 多分类问题",
        topic="softmax, LogSumExp 解决溢出, cross-entropy, an MLP trained on MNIST",
        sources="Liu Er lecture 9; d2l 3.6",
        datasets=("mnist",),
        hints=(
            "Softmax overflows for large logits unless you shift them first.",
            "softmax(z) = softmax(z - max z); logsumexp shifts the same way.",
            "Subtract the row max before exp; cross-entropy is logsumexp(z) - z[y], averaged over the batch.",
        ),
    ),
    Lesson(
        id="l11_mlp_regularization",
        title="MLP from scratch, weight decay, dropout and initialisation",
        topic="多层感知机 from scratch (hand-written relu, 784-256-10 with `@`), 欠拟合/过拟合 with polynomial "
        "features, 权重衰减, 暂退法 `dropout_layer` and a dropout MLP, Xavier 初始化; both MLPs trained on "
        "Fashion-MNIST",
        sources="d2l 4.1-4.8",
        datasets=("fashion_mnist",),
        hints=(
            "Write the MLP with plain tensors first, then regularise it.",
            "Weight decay adds lambda * ||w||^2 / 2 to the loss; dropout acts only in training mode.",
            "Dropout zeroes with probability p and divides the survivors by 1 - p, only while training; "
            "the L2 penalty is sum(w ** 2) / 2.",
        ),
    ),
    Lesson(
        id="l12_cnn_basics",
        title="Basic CNN 卷积神经网络基础",
        topic="convolution and max pooling by hand (padding, stride), Liu Er's MNIST CNN, LeNet on "
        "CIFAR-10, per-class accuracy, `.to(device)`, saving a `state_dict`",
        sources="Liu Er lecture 10; the 60-minute blitz",
        datasets=("mnist", "cifar10"),
        hints=(
            "A convolution slides a kernel over the image and sums elementwise products.",
            "Work out the output size first, then fill each output position.",
            "H_out = (H + 2p - k) // s + 1; sum the window times the kernel over all input channels, no flipping.",
        ),
    ),
    Lesson(
        id="l13_cnn_advanced",
        title="Advanced CNN: GoogLeNet Inception and ResNet",
        topic="Inception blocks with 1x1 卷积 bottlenecks, ResNet's 残差连接 against 梯度消失, both on MNIST; on a "
        "GPU, a ResNet-9 from BatchNorm residual blocks on CIFAR-10",
        sources="Liu Er lecture 11",
        datasets=("mnist", "cifar10"),
        hints=(
            "Inception runs branches side by side; ResNet adds the input back.",
            "Keep H and W unchanged inside a block so that branches can be concatenated and residuals added.",
            "Concatenate branches on dim=1 (channels); a residual block returns relu(x + F(x)).",
        ),
    ),
    Lesson(
        id="l14_rnn_basics",
        title="RNN basics 循环神经网络: cells by hand, hello -> ohlol",
        topic="RNNCell, LSTM and GRU cells by hand checked against PyTorch (values and gradients), "
        "`RNNCell` vs `nn.RNN`, one-hot vs `Embedding` models learning hello -> ohlol",
        sources="Liu Er lecture 12",
        hints=(
            "An RNN applies the same cell at every time step.",
            "Check your cells against torch's by copying the weights into both.",
            "h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh): feed each new hidden state into the next step.",
        ),
    ),
    Lesson(
        id="l15_rnn_classifier",
        title="RNN classifier: names to countries with a bidirectional GRU",
        topic="name -> country on the course's names data: padding, `pack_padded_sequence`, a bidirectional "
        "GRU with hidden_size * n_directions features",
        sources="Liu Er lecture 13",
        datasets=("names_train", "names_test"),
        hints=(
            "Names have different lengths: pad them, and tell the GRU the real lengths.",
            "pack_padded_sequence wants the lengths sorted longest first.",
            "Sort the batch by length, pack it, and feed fc cat([hidden[-1], hidden[-2]], dim=1).",
        ),
    ),
)

BY_ID = {lesson.id: lesson for lesson in LESSONS}


class UnknownLesson(ValueError):
    pass


def find(name: str) -> Lesson:
    """A lesson by id (``l10_softmax``) or unique prefix (``l10``)."""
    if name in BY_ID:
        return BY_ID[name]
    matches = [lesson for lesson in LESSONS if lesson.id.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    close = difflib.get_close_matches(name, BY_ID, n=1, cutoff=0.5)
    suggestion = f"; did you mean {close[0]}?" if close else f"; known lessons: {', '.join(BY_ID)}"
    raise UnknownLesson(f"unknown lesson {name!r}{suggestion}")


def lesson_of_file(path: Path) -> Lesson | None:
    """The lesson a single submitted file is for, judged by its name."""
    return BY_ID.get(path.stem)


_PROJECT_NAME = re.compile(r'^name\s*=\s*"torch-practice"\s*$', re.MULTILINE)


def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` is the root of a course checkout (or a release): its
    pyproject.toml names the torch-practice project and it has ``grader/`` and
    ``exercises/``. Judged by these markers, whatever the folder is called."""
    try:
        project = (folder / "pyproject.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_PROJECT_NAME.search(project)) and (folder / "grader").is_dir() and (folder / "exercises").is_dir()


def checkout_around(path: Path) -> Path | None:
    """The course checkout ``path`` is in (the nearest one up from it), or None."""
    path = path.resolve()
    return next((folder for folder in (path, *path.parents) if is_checkout(folder)), None)
