"""Lesson 12 · Basic CNN 卷积神经网络基础 (Liu Er lecture 10; the CIFAR-10 chapter of the 60-minute blitz).

Convolution. A kernel of shape (C_in, k, k) slides over a (C_in, H, W) image;
at each position it multiplies the k x k window of every input channel by
the kernel, element by element, and sums everything to one number. A layer
with C_out such kernels, a weight of shape (C_out, C_in, k, k), maps a batch
(N, C_in, H, W) to (N, C_out, H_out, W_out). Like PyTorch, do not flip the
kernel (strictly, this is cross-correlation; deep learning calls it convolution).

Padding p surrounds the image with p rows and columns of zeros on every side;
stride s moves the window s pixels at a time. The output size is

    H_out = floor((H + 2p - k) / s) + 1

so a 3x3 kernel on a 5x5 input gives 5x5 with padding 1, and 2x2 with
stride 2 and no padding.

Max pooling (池化) with kernel k cuts each channel into non-overlapping k x k
windows and keeps the maximum of each: 4x4 becomes 2x2 for k = 2 (rows and
columns left over at the edge are dropped). It has no weights.

Liu Er's MNIST CNN: conv 1->10 (5x5), max pool 2, relu; conv 10->20 (5x5),
max pool 2, relu. The size goes 28 -> 24 -> 12 -> 8 -> 4, so flattening gives
20 * 4 * 4 = 320 features for a linear layer 320 -> 10. It reaches about 99%.

LeNet for CIFAR-10 (32x32 RGB photos of 10 classes: airplane, automobile,
bird, cat, deer, dog, frog, horse, ship, truck): conv 3->6 (5x5), relu, max
pool 2; conv 6->16 (5x5), relu, max pool 2; 32 -> 28 -> 14 -> 10 -> 5, so
16 * 5 * 5 = 400 features; then linear 400 -> 120 -> 84 -> 10 with relu
between. The images are normalised with Normalize((0.5,) * 3, (0.5,) * 3) to
[-1, 1]. It gets about 55-60% right; the overall figure hides which classes
are hard, so you also compute the accuracy of each class.

Devices. ``model.to(device)`` moves the parameters (in place); every batch
must be moved as well (``X.to(device)``): a layer and its input must live on
the same device.

Saving. Save ``model.state_dict()`` (a dict of tensors), not the model object,
with ``torch.save``; to load, build a fresh model and call
``model.load_state_dict(torch.load(path, weights_only=True))``. A ``.pt`` file
is a pickle, and unpickling can run any code stored in it; ``weights_only=True``
only accepts tensors and plain containers.

The grader trains your MnistCNN on MNIST and your LeNet on CIFAR-10 with your
``train_classifier``, so keep the layer names given in the docstrings.
"""

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


def conv_output_size(size: int, kernel: int, padding: int = 0, stride: int = 1) -> int:
    """Height (or width) of a convolution's output for an input of ``size``
    pixels, a ``kernel`` x ``kernel`` kernel, ``padding`` zeros on each side
    and step ``stride``. Returns a Python int."""
    # BEGIN SOLUTION
    return (size + 2 * padding - kernel) // stride + 1
    # END SOLUTION


def conv2d_naive(x: torch.Tensor, weight: torch.Tensor, padding: int = 0, stride: int = 1) -> torch.Tensor:
    """Convolution without ``F.conv2d`` or ``nn.Conv2d`` (and without bias).

    x: (N, C_in, H, W) float; weight: (C_out, C_in, k, k) float of the same
    dtype. Returns (N, C_out, H_out, W_out) with H_out = conv_output_size(H,
    k, padding, stride), where

        out[n, o, i, j] = sum over c, a, b of
                          x_padded[n, c, i * stride + a, j * stride + b] * weight[o, c, a, b]

    Loops over kernel or output positions, or ``unfold``, are fine; keep it
    differentiable (no ``.item()``, no ``.detach()``).
    """
    # BEGIN SOLUTION
    n, c_in, h, w = x.shape
    c_out, _, k, _ = weight.shape
    if padding:
        padded = x.new_zeros(n, c_in, h + 2 * padding, w + 2 * padding)
        padded[:, :, padding : padding + h, padding : padding + w] = x
        x = padded
    h_out, w_out = conv_output_size(h, k, padding, stride), conv_output_size(w, k, padding, stride)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(k):
        for b in range(k):
            # window[n, c, i, j] = x[n, c, i * stride + a, j * stride + b]
            window = x[:, :, a : a + stride * (h_out - 1) + 1 : stride, b : b + stride * (w_out - 1) + 1 : stride]
            out = out + torch.einsum("nchw,oc->nohw", window, weight[:, :, a, b])
    return out
    # END SOLUTION


def max_pool2d_naive(x: torch.Tensor, kernel: int) -> torch.Tensor:
    """Max pooling without ``F.max_pool2d``: non-overlapping ``kernel`` x
    ``kernel`` windows (stride = kernel, no padding).

    x: (N, C, H, W) float. Returns (N, C, H // kernel, W // kernel); rows and
    columns that do not fill a whole window are dropped.
    """
    # BEGIN SOLUTION
    n, c, h, w = x.shape
    h_out, w_out = h // kernel, w // kernel
    x = x[:, :, : h_out * kernel, : w_out * kernel]
    return x.reshape(n, c, h_out, kernel, w_out, kernel).amax(dim=(3, 5))
    # END SOLUTION


class MnistCNN(nn.Module):
    """Liu Er's MNIST CNN: (N, 1, 28, 28) -> (N, 10) logits.

    conv1 (1 -> 10, 5x5), pooling (max pool 2), relu
    -> conv2 (10 -> 20, 5x5), pooling, relu
    -> flatten to 20 * 4 * 4 = 320 -> fc (320 -> 10).
    Layers: ``conv1``, ``conv2``, ``pooling`` (nn.MaxPool2d(2)), ``fc``.
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.pooling = nn.MaxPool2d(2)
        self.fc = nn.Linear(320, 10)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        batch_size = x.size(0)
        x = F.relu(self.pooling(self.conv1(x)))
        x = F.relu(self.pooling(self.conv2(x)))
        x = x.view(batch_size, -1)
        return self.fc(x)
        # END SOLUTION


class LeNet(nn.Module):
    """LeNet for CIFAR-10: (N, 3, 32, 32) -> (N, 10) logits.

    conv1 (3 -> 6, 5x5), relu, pool (max pool 2)
    -> conv2 (6 -> 16, 5x5), relu, pool
    -> flatten to 16 * 5 * 5 = 400 -> fc1 (400 -> 120), relu -> fc2 (120 -> 84), relu -> fc3 (84 -> 10).
    Layers: ``conv1``, ``pool`` (nn.MaxPool2d(2, 2)), ``conv2``, ``fc1``, ``fc2``, ``fc3``.
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
        # END SOLUTION


def train_classifier(
    model: nn.Module, batches, epochs: int, optimizer: torch.optim.Optimizer, device: str | torch.device = "cpu"
) -> list[float]:
    """Train ``model`` on ``device`` for ``epochs`` passes over ``batches``.

    ``batches`` can be iterated once per epoch and yields (X, y): X float
    images, y (B,) int64 labels, both on the CPU. Move the model to ``device``
    first and every batch as it comes; in train mode, per batch: zero the
    gradients, forward, cross-entropy loss, backward, step.

    Returns one Python float per epoch: the mean of that epoch's batch losses.
    """
    # BEGIN SOLUTION
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        model.train()
        losses = []
        for X, y in batches:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = criterion(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history
    # END SOLUTION


def per_class_accuracy(model: nn.Module, batches, num_classes: int) -> torch.Tensor:
    """Accuracy of ``model`` on each class: for class c, the fraction of the
    samples labelled c whose predicted class (the arg-max logit) is c.

    ``batches`` yields (X, y) on the CPU (batches may differ in size; every
    class occurs). Evaluate in eval mode (``model.eval()``: the model may
    hold dropout, lesson 11, which drops inputs at random in train mode, or
    batch norm, which then uses the batch's statistics), without tracking
    gradients, on the device where the model's parameters are. Returns
    (num_classes,) float on the CPU.
    """
    # BEGIN SOLUTION
    device = next(model.parameters()).device
    model.eval()
    correct = torch.zeros(num_classes)
    total = torch.zeros(num_classes)
    with torch.no_grad():
        for X, y in batches:
            predicted = model(X.to(device)).argmax(dim=1).cpu()
            total += torch.bincount(y, minlength=num_classes)
            correct += torch.bincount(y[predicted == y], minlength=num_classes)
    return correct / total
    # END SOLUTION


def save_weights(model: nn.Module, path: str | Path) -> None:
    """Save the model's ``state_dict`` (only the tensors, not the model
    object) to the file ``path`` with ``torch.save``."""
    # BEGIN SOLUTION
    torch.save(model.state_dict(), path)
    # END SOLUTION


def load_weights(model_cls: type[nn.Module], path: str | Path) -> nn.Module:
    """Build ``model_cls()`` and load the weights saved at ``path`` into it.

    Read the file with ``torch.load(path, weights_only=True, map_location="cpu")``:
    a file holding anything but tensors and plain containers must raise,
    never run. Returns the model, on the CPU.
    """
    # BEGIN SOLUTION
    model = model_cls()
    model.load_state_dict(torch.load(path, weights_only=True, map_location="cpu"))
    return model
    # END SOLUTION
