"""The data layer: where datasets live, how they load, how they are batched.

Root: ``--data-dir``, else ``$TORCH_PRACTICE_DATA``, else ``./data``.
MNIST and Fashion-MNIST come through ``torchvision.datasets`` (downloaded
into the root unless offline: ``--offline`` or ``TORCH_PRACTICE_OFFLINE=1``),
are decoded once to uint8 tensors, cached as one ``.pt`` file, and batched
from memory: no per-sample PIL work inside training loops.

Both sides use this module: the worker to train, the trusted grader to read
test labels.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import torch

# name -> (torchvision class name, folder under the root, mean, std of the training pixels)
IMAGE_DATASETS = {
    "mnist": ("MNIST", "MNIST", 0.1307, 0.3081),
    "fashion_mnist": ("FashionMNIST", "FashionMNIST", 0.2860, 0.3530),
}
CACHE_VERSION = 1


class DatasetMissing(Exception):
    """A dataset is not on disk and could not be downloaded; ``str()`` is one
    sentence saying which file, where we looked and how to get it."""


def data_root(explicit: str | os.PathLike | None = None) -> Path:
    """The dataset root: the explicit folder, ``$TORCH_PRACTICE_DATA`` or ``./data``."""
    chosen = explicit or os.environ.get("TORCH_PRACTICE_DATA") or "data"
    return Path(chosen).expanduser().resolve()


def is_offline() -> bool:
    return os.environ.get("TORCH_PRACTICE_OFFLINE", "0").lower() not in ("", "0", "false", "no")


def cache_dir(root: Path) -> Path:
    """``<root>/cache`` when the root is writable, else a per-root folder in
    ``~/.cache/torch-practice``. A root marked read-only stays untouched even
    for a user (such as root) who could write there anyway: it is a shared mirror."""
    if os.access(root, os.W_OK) and root.stat().st_mode & stat.S_IWUSR:
        return root / "cache"
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:10]
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "torch-practice" / digest


def cached(root: Path, name: str, build: Callable[[], dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Load ``name`` from the cache, or build it once and store it there."""
    path = cache_dir(root) / f"{name}-v{CACHE_VERSION}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    tensors = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        torch.save(tensors, tmp)
        tmp.replace(path)  # atomic: a reader never sees half a file
    except OSError:
        pass  # an unwritable cache only costs speed
    return tensors


@dataclass(frozen=True)
class ImageSet:
    """A labelled image dataset held in memory.

    ``train_images``: (N, H, W) or (N, H, W, C) uint8; ``train_labels``: (N,) int64;
    likewise for ``test_*``. ``mean``/``std``: pixel statistics for normalising.
    """

    name: str
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    test_labels: torch.Tensor
    mean: float
    std: float


def load_images(name: str, root: Path | None = None, offline: bool | None = None) -> ImageSet:
    """Load ``mnist`` or ``fashion_mnist`` as uint8 tensors, raising
    ``DatasetMissing`` with a clear sentence when it cannot. ``offline``
    defaults to ``$TORCH_PRACTICE_OFFLINE``."""
    if name not in IMAGE_DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(IMAGE_DATASETS)}")
    root = data_root(root)
    class_name, folder, mean, std = IMAGE_DATASETS[name]
    offline = is_offline() if offline is None else offline
    tensors = cached(root, name, lambda: _decode_torchvision(class_name, folder, root, offline))
    return ImageSet(name, tensors["train_images"], tensors["train_labels"],
                    tensors["test_images"], tensors["test_labels"], mean, std)


def _decode_torchvision(class_name: str, folder: str, root: Path, offline: bool) -> dict[str, torch.Tensor]:
    import torchvision.datasets  # slow import: only when a dataset is decoded

    cls = getattr(torchvision.datasets, class_name)
    splits = {}
    for split, train in (("train", True), ("test", False)):
        try:
            dataset = cls(str(root), train=train, download=not offline)
        except Exception as exc:  # noqa: BLE001 - torchvision raises RuntimeError, URLError, OSError...
            how = ("run once with internet access (without --offline) to download it, or "
                   f"pass --data-dir pointing at a folder that holds {folder}/raw/")
            why = "offline mode" if offline else f"download failed: {str(exc).splitlines()[0][:120]}"
            raise DatasetMissing(f"{class_name} is missing: looked for {root / folder / 'raw'} "
                                 f"({why}); {how}") from None
        splits[f"{split}_images"] = dataset.data.to(torch.uint8).contiguous()
        splits[f"{split}_labels"] = dataset.targets.to(torch.int64).contiguous()
    return splits


def normalize(images: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """uint8 (N, H, W) -> float32 (N, 1, H, W) scaled to [0, 1], then standardised."""
    return ((images.float() / 255.0 - mean) / std).unsqueeze(1)


def batches(
    X: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator | None = None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Mini-batches ``(X[i], y[i])`` from memory, in the order of a seeded
    permutation (or in order when ``generator`` is None)."""
    order = torch.randperm(len(X), generator=generator) if generator is not None else torch.arange(len(X))
    for start in range(0, len(X), batch_size):
        index = order[start:start + batch_size]
        yield X[index], y[index]
