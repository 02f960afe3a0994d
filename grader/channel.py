"""The wire between the trusted grader and the sandboxed worker.

Only plain data crosses: tensors, numbers, strings, bytes, None, and lists,
tuples and dicts of those. Each message is one ``torch.save`` blob framed by
``multiprocessing.connection`` (``send_bytes``/``recv_bytes``: no pickle), and
is decoded with ``torch.load(weights_only=True)``, which refuses anything that
could run code. Objects that are not plain data (an ``nn.Module``, an
optimizer) stay in the worker and cross as a handle: ``{HANDLE: id}``.
"""

from __future__ import annotations

import io
from typing import Any

import torch

HANDLE = "__torch_practice_handle__"


def dumps(message: Any) -> bytes:
    buffer = io.BytesIO()
    torch.save(message, buffer)
    return buffer.getvalue()


def loads(blob: bytes) -> Any:
    """Decode a message; raises if it holds anything but plain data."""
    return torch.load(io.BytesIO(blob), weights_only=True)


def plain_tensor(t: torch.Tensor, keep_grad: bool = False) -> torch.Tensor:
    """A detached CPU copy of ``t`` as a plain ``torch.Tensor``: no subclass,
    no memory shared with the original; ``requires_grad`` kept if asked."""
    copy = t.detach().to("cpu", copy=True).as_subclass(torch.Tensor)
    return copy.requires_grad_(keep_grad and t.requires_grad)
