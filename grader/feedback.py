"""Advice for the errors PyTorch beginners meet most, keyed by the message
torch raises (checked against torch 2.14). The grader adds it as a ``hint:``
line under the error, so the score table says what to try next.

To add one: trigger the error in plain torch, copy a stable part of its
message into a pattern here, and add the case to ``tests/test_feedback.py``.
The message comes from the student's code, so a pattern must run in linear
time: no ``.*`` between two literals (``[^)]*`` and ``[\\d, ]*`` instead).
Messages are cut to ``grader.sandbox.wire.TEXT_LIMIT`` characters before they get here.
"""

from __future__ import annotations

import re

ADVICE: list[tuple[str, str]] = [
    (
        r"expected target dtype to be Long",
        "class labels must be int64 for cross-entropy / nll_loss: pass y.long(), not floats",
    ),
    (
        r"0D or 1D target tensor expected, multi-target not supported",
        "cross-entropy wants the labels as a 1-D tensor (N,) of class indices, not (N, 1) or one-hot: y.view(-1)",
    ),
    (
        r"Expected target size \[[\d, ]*\], got \[[\d, ]*\]",
        "cross-entropy over a sequence wants the classes on dimension 1: scores (N, C, L) against labels "
        "(N, L); or flatten both: scores.reshape(-1, C), labels.reshape(-1)",
    ),
    (
        r"Expected all tensors to be on the same device",
        "the model and its input are on different devices: move the model once and every batch (X, y) with .to(device)",
    ),
    (
        # a CUDA build without a GPU or driver; a CPU-only build; a GPU hidden by CUDA_VISIBLE_DEVICES
        r"Found no NVIDIA driver on your system|Torch not compiled with CUDA enabled|No CUDA GPUs are available",
        'this machine has no GPU, and the code asks for one: do not hard-code torch.device("cuda"); use the '
        'device you are given (model.to(device)), or "cuda" if torch.cuda.is_available() else "cpu"',
    ),
    (
        r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)",
        "a Linear layer (or @) got inputs of the wrong width: its in_features must equal the last dimension of "
        "its input (flatten images with x.view(len(x), -1) first?)",
    ),
    (
        r"mat1 and mat2 must have the same dtype"
        r"|Input type \([^)]*\) and (weight|bias) type \([^)]*\) should be the same",
        "the input and the layer's weights have different dtypes: make the input float32 with x.float() "
        "(or move the model with .double())",
    ),
    (
        r"Trying to backward through the graph a second time",
        "backward() ran twice over one graph: compute the loss afresh in every step (and do not keep "
        "tensors from the last step in the new loss)",
    ),
    (
        r"element 0 of tensors does not require grad",
        "the loss is not connected to any parameter: create parameters with requires_grad=True and do not "
        "use .detach(), .item(), .data or torch.no_grad() on the way to the loss",
    ),
    (
        r"a leaf Variable that requires grad is being used in an in-place operation",
        "update parameters inside `with torch.no_grad():` (w -= lr * w.grad), not in the autograd graph",
    ),
    (
        # l06's classic: `w1 = w1 - lr * w1.grad` outside torch.no_grad() makes w1 a new, non-leaf tensor,
        # whose .grad stays None; then w1.grad.zero_() fails (or, without it, the next lr * w1.grad does)
        r"'NoneType' object has no attribute 'zero_'|unsupported operand type\(s\) for \*: 'float' and 'NoneType'",
        "a .grad is None: `w = w - lr * w.grad` outside torch.no_grad() made w a non-leaf tensor, whose "
        ".grad stays None; update in place: `with torch.no_grad(): w -= lr * w.grad`",
    ),
    (
        r"one of the variables needed for gradient computation has been modified by an inplace operation",
        "an in-place operation (x += ..., relu_, x[...] = ...) changed a value backward still needs: use the "
        "out-of-place form (x = x + ...)",
    ),
    (
        r"The size of tensor a \(\d+\) must match the size of tensor b \(\d+\) at non-singleton dimension",
        "two shapes do not broadcast: print both shapes; keepdim=True or unsqueeze() lines up the dimensions",
    ),
    (
        r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d",
        "conv2d wants images as (N, C, H, W): add the channel axis with x.unsqueeze(1) or reshape first",
    ),
    (
        r"expected input\[[\d, ]*\] to have \d+ channels, but got \d+ channels",
        "the convolution's in_channels does not match the input's channels (dimension 1 of (N, C, H, W))",
    ),
    (
        r"view size is not compatible with input tensor's size and stride",
        "view() needs contiguous memory (after a transpose or permute it is not): use reshape() or "
        ".contiguous().view()",
    ),
    (
        r"Expected input batch_size \(\d+\) to match target batch_size \(\d+\)",
        "the model's output and the labels have different batch sizes: check the flatten (x.view(len(x), -1))",
    ),
    (
        r"Using a target size \(torch\.Size\(\[[\d, ]*\]\)\) that is different to the input size",
        "the prediction and the target have different shapes, e.g. (N, 1) against (N,): make them the same "
        "with view or squeeze",
    ),
    (r"Target -?\d+ is out of bounds", "a label is outside 0..C-1: the last layer needs one output per class"),
    (
        r"a Tensor with \d+ elements cannot be converted to Scalar",
        ".item() works only on one-element tensors: reduce first (sum() or mean())",
    ),
    (
        r"Can't call numpy\(\) on Tensor that requires grad",
        "call .detach() before .numpy() (or compute it under torch.no_grad())",
    ),
    (
        r"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int",
        "nn.Embedding looks up integer indices: pass a torch.long tensor, not floats",
    ),
    (
        r"input.size\(-1\) must be equal to input_size",
        "the RNN's input_size must equal the last dimension of its input (the one-hot or embedding size)",
    ),
]

_COMPILED = [(re.compile(pattern), advice) for pattern, advice in ADVICE]


def advice(message: str) -> str:
    """The advice for an error message from the student's code, or ``""``."""
    return next((text for pattern, text in _COMPILED if pattern.search(message)), "")
