"""Lesson 01 · Tensors 数据操作: storage, strides, broadcasting, saving (DLWPT ch. 3; d2l 2.1).

A tensor is a view onto a flat, one-dimensional *storage*. Three numbers
per tensor say where its elements live there:

- ``t.storage_offset()``: the storage position of the first element;
- ``t.stride()``: per dimension, how many storage positions one step along
  that dimension skips;
- ``t.shape``: how many steps each dimension has.

So element ``t[i, j]`` sits at ``offset + i * stride[0] + j * stride[1]``.
For ``points = torch.tensor([[4., 1.], [5., 3.], [2., 1.]])`` the stride is
(2, 1) and ``points[1]`` starts at storage position 2. A row-major
(contiguous) tensor of shape (3, 4, 5) has strides (20, 5, 1): each stride
is the product of the sizes after it.

Indexing, slicing and transposing make *views*: new offset/stride/shape
over the same storage, no copy. Transposing only swaps two strides, so
``points.t()`` has stride (1, 2), shares storage with ``points`` and is not
contiguous any more; a (3, 4, 5) tensor transposed with ``transpose(0, 2)``
has strides (1, 5, 20). ``Tensor.as_strided(size, stride)`` builds such a
view from numbers you choose.

广播机制 (broadcasting): two shapes are aligned at their trailing dimension;
going left, each pair of sizes must be equal or one of them 1 (a missing
dimension counts as 1), and the result takes the larger size.

节省内存 (saving memory): ``Y = Y + X`` allocates a new tensor and rebinds
the name; ``Y += X`` or ``Y[:] = Y + X`` writes into Y's existing memory.

One-hot encoding with ``scatter_``: start from zeros and write 1.0 into
column ``labels[i]`` of row ``i``.

Saving: ``torch.save`` pickles, and unpickling an untrusted file can run
arbitrary code. ``torch.load(path, weights_only=True)`` only rebuilds
tensors and plain containers and refuses everything else; load files you
did not write yourself only that way.
"""

from __future__ import annotations

import os

import torch


def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The strides of a row-major (contiguous) tensor of ``shape``.

    shape: tuple of positive ints. Returns a tuple of ints, one per
    dimension: the product of all sizes to its right (the last one is 1).
    ``contiguous_strides((3, 4, 5)) == (20, 5, 1)``; ``() -> ()``.
    """
    raise NotImplementedError("contiguous_strides")


def storage_index(t: torch.Tensor, index: tuple[int, ...]) -> int:
    """The storage position of ``t[index]`` (of its first element when
    ``index`` names fewer dimensions than ``t`` has), computed from
    ``t.storage_offset()`` and ``t.stride()`` by arithmetic.

    t: any tensor, possibly a non-contiguous view. index: a tuple of ints,
    one for each of the first ``len(index)`` dimensions; negative ints count
    from the end as in Python. Returns a Python int.
    """
    raise NotImplementedError("storage_index")


def transpose_view(t: torch.Tensor, dim0: int, dim1: int) -> torch.Tensor:
    """``t`` with dimensions ``dim0`` and ``dim1`` swapped, built with
    ``t.as_strided`` (not ``transpose``, ``t()`` or ``permute``).

    t: any tensor (possibly itself a view with an offset); dim0, dim1:
    non-negative dimension indices. Returns a view of the same storage with
    sizes and strides of the two dimensions swapped: no copy, so writing
    into ``t`` shows up in the result.
    """
    raise NotImplementedError("transpose_view")


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that broadcasting tensors of shapes ``a`` and ``b`` gives.

    a, b: tuples of positive ints (either may be ``()``). Returns a tuple
    of ints. Raises ``ValueError`` whose message names the two clashing
    sizes (for example "3 and 7") when the shapes are not compatible.
    Do not call torch.broadcast_shapes or torch.broadcast_tensors.
    """
    raise NotImplementedError("broadcast_shape")


def add_inplace(Y: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    """Add X to Y in Y's own memory (节省内存) and return Y itself.

    Y: float tensor; X: a tensor that broadcasts to Y's shape. Afterwards
    the caller's Y holds Y + X and ``Y.data_ptr()`` is unchanged.
    """
    raise NotImplementedError("add_inplace")


def one_hot(labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """One-hot encoding built with ``scatter_`` (not ``F.one_hot``).

    labels: (N,) int64 in [0, num_classes). Returns (N, num_classes)
    float32 with row i all zeros except a 1.0 in column ``labels[i]``.
    """
    raise NotImplementedError("one_hot")


def save_tensor(t: torch.Tensor, path: str | os.PathLike) -> None:
    """Save a single tensor to ``path`` with ``torch.save``.

    Raises ``TypeError`` when ``t`` is not a tensor: this file format is
    for tensors only.
    """
    raise NotImplementedError("save_tensor")


def load_tensor(path: str | os.PathLike) -> torch.Tensor:
    """Load the tensor saved at ``path`` without ever running code from the file.

    Use ``torch.load(..., weights_only=True)``, which refuses pickled
    objects (it raises instead of rebuilding them). Raises ``TypeError``
    when the file holds something else than one tensor (a dict, a list).
    """
    raise NotImplementedError("load_tensor")
