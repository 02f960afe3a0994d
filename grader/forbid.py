"""Worker side: "write it from scratch" enforced where PyTorch runs the work.

A suite forbids torch functions by name: ``student.softmax.forbidding(
"torch.softmax", ...)``. The worker's torch-function mode (``Forbidding`` in
``grader.sandbox.worker``) catches those names when Python code calls them, but a
private alias (``torch._softmax``), ``torch.ops.aten._softmax``, code run
under ``torch._C.DisableTorchFunction()`` or a tensor subclass never pass
through that mode. They all end in the same place: a kernel of an aten
operator in PyTorch's dispatcher. ``KernelRefusal`` replaces, for the
duration of one call, every kernel of the operators behind the forbidden
names (CPU, CUDA, autograd, composite, nested, sparse... whatever the
operator has) with one that raises ``ForbiddenCall``. No Python-level
switch (modes, dispatch-key guards, ``redispatch``, ``inference_mode``)
reaches a kernel other than that one.

``ATEN_OPS`` is the one table from the names suites pass to those
operators. Basic operations (exp, max, sum, sub, div, matmul, as_strided...)
are never in it: a from-scratch implementation is built from them.
``NOT_AT_DISPATCH`` lists the names that have no operator of their own, with
the reason; they keep the torch-function treatment only.
"""

from __future__ import annotations

from typing import Any, NoReturn

import torch


class ForbiddenCall(RuntimeError):
    """Raised when graded code calls a torch function a lesson forbids."""


def off_limits(dotted: str) -> str:
    """The message a forbidden call fails with."""
    return f"{dotted} is off limits here: write it with basic tensor operations"


# -- the table: forbidden name -> aten operators (overload packets) --------------
# The public operator and the private kernels it runs on; a name that decomposes
# into basic operations maps only to its own (composite) operator.
ATTENTION = (
    "scaled_dot_product_attention",
    "_scaled_dot_product_attention_math",
    "_scaled_dot_product_flash_attention",
    "_scaled_dot_product_flash_attention_for_cpu",
    "_scaled_dot_product_efficient_attention",
    "_scaled_dot_product_cudnn_attention",
    "_scaled_dot_product_fused_attention_overrideable",
    "_flash_attention_forward",
    "_efficient_attention_forward",
    "_cudnn_attention_forward",
    "_native_multi_head_attention",
    "_triton_multi_head_attention",
    "_triton_scaled_dot_attention",
)
# attention with identity keys and values is a softmax, computed inside fused kernels
SOFTMAX = (
    "softmax",
    "special_softmax",
    "_softmax",
    "_safe_softmax",
    "_masked_softmax",
    "_sparse_softmax",
    "_nested_tensor_softmax_with_shape",
    *ATTENTION,
)
LOG_SOFTMAX = ("log_softmax", "special_log_softmax", "_log_softmax", "_sparse_log_softmax")
LOGSUMEXP = ("logsumexp", "special_logsumexp", "logcumsumexp", "_logcumsumexp")  # logcumsumexp's last entry is one
NLL_LOSS = ("nll_loss", "nll_loss_nd", "nll_loss_forward", "nll_loss2d", "nll_loss2d_forward")
CROSS_ENTROPY = ("cross_entropy_loss", *LOG_SOFTMAX, *NLL_LOSS)
BCE = ("binary_cross_entropy",)
BCE_WITH_LOGITS = ("binary_cross_entropy_with_logits",)
RELU = ("relu", "relu_")
CLAMP = ("clamp", "clamp_", "clip", "clip_", "clamp_min", "clamp_min_")
CLAMP_MIN = ("clamp_min", "clamp_min_")
NORMS = ("norm", "linalg_norm", "linalg_vector_norm", "linalg_matrix_norm", "frobenius_norm", "nuclear_norm", "dist")
TRANSPOSE = (
    "transpose",
    "transpose_",
    "transpose_copy",
    "swapaxes",
    "swapaxes_",
    "swapdims",
    "swapdims_",
    "mT",
    "_mkldnn_transpose",
    "_mkldnn_transpose_",
)
T = ("t", "t_", "t_copy")
PERMUTE = ("permute", "permute_copy", "movedim", "moveaxis", "numpy_T")
CONV2D = (
    "conv2d",
    "convolution",
    "_convolution",
    "_convolution_mode",
    "convolution_overrideable",
    "_slow_conv2d_forward",
    "slow_conv_dilated2d",
    "_nnpack_spatial_convolution",
    "mkldnn_convolution",
    "_conv_depthwise2d",
    "cudnn_convolution",
    "miopen_convolution",
    "_mps_convolution",
    "thnn_conv2d",
)
MAX_POOL2D = ("max_pool2d", "max_pool2d_with_indices", "mkldnn_max_pool2d", "quantized_max_pool2d")
ADAPTIVE_MAX_POOL2D = ("adaptive_max_pool2d",)
RNN_TANH_CELL = ("rnn_tanh_cell",)
LSTM_CELL = ("lstm_cell", "_thnn_fused_lstm_cell")
GRU_CELL = ("gru_cell", "_thnn_fused_gru_cell")


def _names(*dotted: str, ops: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(dotted, ops)


ATEN_OPS: dict[str, tuple[str, ...]] = {
    **_names(
        "torch.softmax", "torch.Tensor.softmax", "torch.nn.functional.softmax", "torch.special.softmax", ops=SOFTMAX
    ),
    **_names(
        "torch.log_softmax",
        "torch.Tensor.log_softmax",
        "torch.nn.functional.log_softmax",
        "torch.special.log_softmax",
        ops=LOG_SOFTMAX,
    ),
    **_names("torch.logsumexp", "torch.Tensor.logsumexp", "torch.special.logsumexp", ops=LOGSUMEXP),
    **_names("torch.nn.functional.cross_entropy", ops=CROSS_ENTROPY),
    **_names("torch.nn.functional.nll_loss", ops=NLL_LOSS),
    **_names("torch.nn.functional.binary_cross_entropy", ops=BCE),
    **_names(
        "torch.nn.functional.binary_cross_entropy_with_logits",
        "torch.binary_cross_entropy_with_logits",
        ops=BCE_WITH_LOGITS,
    ),
    **_names("torch.relu", "torch.Tensor.relu", "torch.nn.functional.relu", ops=RELU),
    **_names("torch.clamp", "torch.clip", "torch.Tensor.clamp", "torch.Tensor.clip", ops=CLAMP),
    **_names("torch.clamp_min", "torch.Tensor.clamp_min", ops=CLAMP_MIN),
    **_names(
        "torch.norm",
        "torch.Tensor.norm",
        "torch.linalg.norm",
        "torch.linalg.vector_norm",
        "torch.linalg.matrix_norm",
        "torch.dist",
        "torch.nn.functional.normalize",
        ops=NORMS,
    ),
    **_names(
        "torch.transpose",
        "torch.Tensor.transpose",
        "torch.swapaxes",
        "torch.Tensor.swapaxes",
        "torch.swapdims",
        "torch.Tensor.swapdims",
        "torch.Tensor.mT",
        ops=TRANSPOSE,
    ),
    **_names("torch.t", "torch.Tensor.t", ops=T),
    **_names(
        "torch.permute", "torch.Tensor.permute", "torch.movedim", "torch.Tensor.movedim", "torch.Tensor.T", ops=PERMUTE
    ),
    **_names("torch.nn.functional.one_hot", ops=("one_hot",)),
    **_names("torch.broadcast_tensors", ops=("broadcast_tensors",)),
    **_names("torch.broadcast_to", ops=("broadcast_to",)),
    **_names("torch.nn.functional.conv2d", "torch.conv2d", "torch.convolution", ops=CONV2D),
    **_names(
        "torch.nn.functional.max_pool2d",
        "torch.max_pool2d",
        "torch.nn.functional.max_pool2d_with_indices",
        ops=MAX_POOL2D,
    ),
    **_names("torch.nn.functional.adaptive_max_pool2d", ops=ADAPTIVE_MAX_POOL2D),
    **_names("torch.rnn_tanh_cell", "torch._VF.rnn_tanh_cell", ops=RNN_TANH_CELL),
    **_names("torch.lstm_cell", "torch._VF.lstm_cell", ops=LSTM_CELL),
    **_names("torch.gru_cell", "torch._VF.gru_cell", ops=GRU_CELL),
}

NOT_AT_DISPATCH: dict[str, str] = {
    "torch.broadcast_shapes": "takes shapes, not tensors: no operator runs",
    "torch.autograd.grad": "the autograd engine, not an operator",
    "torch.autograd.backward": "the autograd engine, not an operator",
    "torch.Tensor.backward": "the autograd engine, not an operator",
    "torch.nn.init.xavier_uniform_": "Python around Tensor.uniform_, which an honest version calls too",
    "torch.nn.init.xavier_normal_": "Python around Tensor.normal_, which an honest version may call too",
    "torch.nn.init.uniform_": "Python around Tensor.uniform_, which an honest version calls too",
}

# Bound now, before graded code is imported, so that replacing them in torch._C later changes nothing here.
_library = torch._C._dispatch_library
_dump = torch._C._dispatch_dump
_stack_len = torch._C._len_torch_function_stack
_stack_at = torch._C._get_function_stack_at
_push = torch._C._push_on_torch_function_stack
_pop = torch._C._pop_torch_function_stack


def _index_overloads() -> dict[str, list[str]]:
    """``{"_softmax": ["aten::_softmax", "aten::_softmax.out"], ...}`` for every aten operator of this build."""
    index: dict[str, list[str]] = {}
    for name in sorted(torch._C._dispatch_get_all_op_names()):
        if name.startswith("aten::"):
            index.setdefault(name.removeprefix("aten::").partition(".")[0], []).append(name)
    return index


_OVERLOADS = _index_overloads()
MARK = "grader/forbid.py (a from-scratch check)"  # where the dispatcher says our kernels come from


def overloads(op: str) -> list[str]:
    """``"_softmax"`` -> ``["aten::_softmax", "aten::_softmax.out"]``: every
    overload this build of torch has (none for an operator it lacks)."""
    return _OVERLOADS.get(op, [])


def active_kernels(dump: str) -> dict[str, str]:
    """Dispatch key -> where its active kernel was registered, read from
    ``torch._C._dispatch_dump``: lines such as ``CPU: registered at
    .../RegisterCPU_1.cpp:4392 :: ...`` or ``Autograd[alias]: registered at
    ...``. Overridden kernels (``CPU (inactive): ...``) and the schema's own
    ``debug:`` line are not kernels."""
    kernels = {}
    for line in dump.splitlines():
        key, sep, where = line.partition(": registered at ")
        key = key.removesuffix("[alias]")
        if sep and key != "debug" and key.isidentifier():
            kernels[key] = where
    return kernels


class KernelRefusal:
    """While active, every kernel of the aten operators behind ``names``
    raises ``ForbiddenCall``. On exit the original kernels come back; if a
    forbidden operator ran (even where graded code caught the error) or our
    kernels were replaced meanwhile, exiting raises ``ForbiddenCall``."""

    def __init__(self, names: list[str]) -> None:
        self.ops: dict[str, str] = {}  # operator -> the first forbidden name behind it, for the message
        for dotted in names:
            for op in ATEN_OPS.get(dotted, ()):
                for qualname in overloads(op):
                    self.ops.setdefault(qualname, f"{dotted} (here aten::{op})")
        self.library: Any = None
        self.installed: dict[str, str] = {}  # operator -> its dispatcher entry with our kernels in place
        self.called: list[str] = []

    def refuser(self, dotted: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> NoReturn:
            self.called.append(dotted)
            raise ForbiddenCall(off_limits(dotted))

        return refuse

    def __enter__(self) -> KernelRefusal:
        if not self.ops:
            return self
        self.library = _library("IMPL", "aten", "", MARK, 0)
        try:
            for qualname, dotted in self.ops.items():
                self.install(qualname, dotted)
        except BaseException:
            self.library.reset()  # no refusing kernel may outlive a failed start
            self.library = None
            raise
        return self

    def install(self, qualname: str, dotted: str) -> None:
        refuse = self.refuser(dotted)
        for key in active_kernels(_dump(qualname)):
            self.library.impl(qualname.removeprefix("aten::"), key, refuse, False)
        self.installed[qualname] = _dump(qualname)
        kernels = active_kernels(self.installed[qualname])
        if not kernels or not all(where.startswith(MARK) for where in kernels.values()):
            raise ForbiddenCall(f"the grader could not refuse {qualname} here (was the dispatcher tampered with?)")

    def __exit__(self, *exc_info: Any) -> None:
        if self.library is None:
            return
        replaced = [q for q, dump in self.installed.items() if _dump(q) != dump]
        self.library.reset()
        self.library = None
        if self.called and not isinstance(exc_info[1], ForbiddenCall):  # graded code caught the refusal
            raise ForbiddenCall(off_limits(self.called[0]))
        if replaced:
            raise ForbiddenCall(
                f"the kernels of {replaced[0]} changed during the call: the from-scratch check "
                "cannot vouch for this result"
            )


def push_mode(mode: Any) -> int:
    """Push a torch-function mode; returns the stack depth it sits at."""
    depth = _stack_len()
    _push(mode)
    return depth


def pop_mode(mode: Any, depth: int) -> bool:
    """Pop ``mode`` and whatever graded code pushed above it and left there.
    Returns whether ``mode`` was still in place (graded code can pop it)."""
    in_place = _stack_len() > depth and _stack_at(depth) is mode
    while _stack_len() > depth:
        _pop()
    return in_place
