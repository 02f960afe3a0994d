"""The data layer: where datasets live, how they load, how they are batched.

Root: ``--data-dir``, else ``$TORCH_PRACTICE_DATA``, else ``./data``.
MNIST, Fashion-MNIST and CIFAR-10 come through ``torchvision.datasets``
(downloaded into the root unless offline: ``--offline`` or
``TORCH_PRACTICE_OFFLINE=1``); CIFAR-10 may instead be an image folder
``<root>/cifar10/{train,test}/<class>/*.jpg``. Each is decoded once to uint8
tensors, cached as one ``.pt`` file, and batched from memory: no per-sample
PIL work inside training loops. The course's small files (diabetes, names,
wine, bikes, text, images) come from their public URLs, checked against
their md5 (``course_file``).

Both sides use this module: the trusted grader to prepare the data and read
test labels, the worker to train. The worker never sees a test label: it may
read only the worker folder (``worker_dir``), where the grader writes the
training images and labels and the test images of each dataset, and the
course files that hold no held-out labels (see ``prepare``).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch

# name -> (torchvision class name, folder under the root, mean, std of the training pixels)
IMAGE_DATASETS = {
    "mnist": ("MNIST", "MNIST", 0.1307, 0.3081),
    "fashion_mnist": ("FashionMNIST", "FashionMNIST", 0.2860, 0.3530),
    # the course normalises CIFAR-10 with Normalize((0.5,) * 3, (0.5,) * 3)
    "cifar10": ("CIFAR10", "cifar-10-batches-py", 0.5, 0.5),
}
# torchvision's CIFAR10.classes: label i is CIFAR10_CLASSES[i] (alphabetical, as ImageFolder sorts them)
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR10_FOLDER = "cifar10"  # the image-folder layout: <root>/cifar10/{train,test}/<class>/*.jpg
CACHE_VERSION = 1
WORKER_FOLDER = "worker"  # under the cache: the one data folder the worker may read
WORKER_DATA = "TORCH_PRACTICE_WORKER_DATA"  # the worker folder's path, in the worker's environment


class DatasetMissing(Exception):
    """A dataset is not on disk and could not be downloaded; ``str()`` is one
    sentence saying which file, where we looked and how to get it."""


def missing(what: str, looked: str, why: str, holds: str, url: str | None = None) -> str:
    """``DatasetMissing``'s text: three lines, each shown in full in the score table
    (what is missing and where we looked; how to download it; how to point at a copy)."""
    source = f" from {url}" if url else ""
    return (
        f"{what} is missing: looked for {looked} ({why})\n"
        f"to download it{source}: run once with internet access, without --offline\n"
        f"or use a folder that holds {holds}: --data-dir DIR, or TORCH_PRACTICE_DATA=DIR in the environment"
    )


def data_root(explicit: str | os.PathLike | None = None) -> Path:
    """The dataset root: the explicit folder, ``$TORCH_PRACTICE_DATA`` or ``./data``."""
    chosen = explicit or os.environ.get("TORCH_PRACTICE_DATA") or "data"
    return Path(chosen).expanduser().resolve()


def is_offline() -> bool:
    return os.environ.get("TORCH_PRACTICE_OFFLINE", "0").lower() not in ("", "0", "false", "no")


def cache_dir(root: Path) -> Path:
    """``$TORCH_PRACTICE_CACHE`` when set (the grader sets it for its worker,
    whose home and uid differ), else ``<root>/cache`` when the root is writable,
    else a per-root folder in ``~/.cache/torch-practice``. A root marked
    read-only stays untouched even for a user (such as root) who could write
    there anyway: it is a shared mirror."""
    if chosen := os.environ.get("TORCH_PRACTICE_CACHE"):
        return Path(chosen)
    if os.access(root, os.W_OK) and root.stat().st_mode & stat.S_IWUSR:
        return root / "cache"
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:10]
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "torch-practice" / digest


def worker_dir(root: Path) -> Path:
    """``<cache>/worker``: the files the trusted side writes for the sandboxed
    worker, which may read this folder but not write it. Nothing in it holds a
    test label (the worker's Landlock rules cover it, not the data root or the
    rest of the cache)."""
    return cache_dir(root) / WORKER_FOLDER


def cached(root: Path, name: str, build: Callable[[], dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Load ``name`` from the cache, or build it once and store it there."""
    path = cache_dir(root) / f"{name}-v{CACHE_VERSION}.pt"
    if path.exists():
        return torch.load(path, weights_only=True)
    tensors = build()
    try:
        save_atomically(tensors, path)
    except OSError:
        pass  # an unwritable cache only costs speed
    return tensors


def save_atomically(tensors: dict[str, torch.Tensor], path: Path) -> None:
    """``torch.save`` to a temporary file beside ``path``, then rename it into
    place: a reader (another grader running at the same time) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    torch.save(tensors, tmp)
    tmp.replace(path)


@dataclass(frozen=True)
class ImageSet:
    """A labelled image dataset held in memory.

    ``train_images``: (N, H, W) uint8 for MNIST and Fashion-MNIST, (N, H, W, C)
    uint8 for CIFAR-10 (channels last, as torchvision keeps them); ``train_labels``: (N,) int64;
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
    """Load ``mnist``, ``fashion_mnist`` or ``cifar10`` as uint8 tensors,
    raising ``DatasetMissing`` with a clear sentence when it cannot.
    ``offline`` defaults to ``$TORCH_PRACTICE_OFFLINE``."""
    if name not in IMAGE_DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(IMAGE_DATASETS)}")
    root = data_root(root)
    class_name, folder, mean, std = IMAGE_DATASETS[name]
    offline = is_offline() if offline is None else offline
    if name == "cifar10":
        build = lambda: _decode_cifar10(root, offline)  # noqa: E731
    else:
        build = lambda: _decode_torchvision(class_name, folder, root, offline)  # noqa: E731
    tensors = cached(root, name, build)
    return ImageSet(
        name,
        tensors["train_images"],
        tensors["train_labels"],
        tensors["test_images"],
        tensors["test_labels"],
        mean,
        std,
    )


@dataclass(frozen=True)
class TrainingImages:
    """What the worker gets of an image dataset: ``ImageSet`` without the
    test labels, which stay on the trusted side."""

    name: str
    train_images: torch.Tensor
    train_labels: torch.Tensor
    test_images: torch.Tensor
    mean: float
    std: float


def write_worker_images(images: ImageSet, root: Path) -> Path:
    """(trusted side) Store the training images and labels and the test images
    of ``images`` in the worker folder, once; return the file's path."""
    path = worker_dir(root) / f"{images.name}-v{CACHE_VERSION}.pt"
    if not path.exists():
        try:
            save_atomically(
                {
                    "train_images": images.train_images,
                    "train_labels": images.train_labels,
                    "test_images": images.test_images,
                },
                path,
            )
        except OSError as exc:
            raise DatasetMissing(
                f"the worker's copy of {images.name} could not be written to {path} "
                f"({exc.strerror}); make that folder writable or set XDG_CACHE_HOME"
            ) from None
    return path


def load_training_images(name: str) -> TrainingImages:
    """(worker side) ``mnist``, ``fashion_mnist`` or ``cifar10`` without its
    test labels, from the copy the grader wrote in the worker folder (its
    path in ``$TORCH_PRACTICE_WORKER_DATA``)."""
    _, _, mean, std = IMAGE_DATASETS[name]
    path = Path(os.environ.get(WORKER_DATA, "")) / f"{name}-v{CACHE_VERSION}.pt"
    try:
        tensors = torch.load(path, weights_only=True)
    except FileNotFoundError:
        raise DatasetMissing(f"{name} was not prepared for the worker: {path} is missing") from None
    return TrainingImages(name, tensors["train_images"], tensors["train_labels"], tensors["test_images"], mean, std)


def _decode_torchvision(class_name: str, folder: str, root: Path, offline: bool) -> dict[str, torch.Tensor]:
    import torchvision.datasets  # slow import: only when a dataset is decoded

    cls = getattr(torchvision.datasets, class_name)
    splits = {}
    for split, train in (("train", True), ("test", False)):
        try:
            dataset = cls(str(root), train=train, download=not offline)
        except Exception as exc:  # noqa: BLE001 - torchvision raises RuntimeError, URLError, OSError...
            why = "offline mode" if offline else f"download failed: {str(exc).splitlines()[0][:120]}"
            raise DatasetMissing(missing(class_name, str(root / folder / "raw"), why, f"{folder}/raw/")) from None
        splits[f"{split}_images"] = dataset.data.to(torch.uint8).contiguous()
        splits[f"{split}_labels"] = dataset.targets.to(torch.int64).contiguous()
    return splits


def _decode_cifar10(root: Path, offline: bool) -> dict[str, torch.Tensor]:
    """CIFAR-10 as (N, 32, 32, 3) uint8 images and (N,) int64 labels, from the
    first source that is there: torchvision's pickled batches
    (``<root>/cifar-10-batches-py``), the image folder ``<root>/cifar10/``,
    or a download by torchvision (unless offline)."""
    import torchvision.datasets  # slow import: only when a dataset is decoded

    def from_torchvision(download: bool) -> dict[str, torch.Tensor]:
        splits = {}
        for split, train in (("train", True), ("test", False)):
            dataset = torchvision.datasets.CIFAR10(str(root), train=train, download=download)
            splits[f"{split}_images"] = torch.from_numpy(dataset.data).to(torch.uint8).contiguous()
            splits[f"{split}_labels"] = torch.tensor(dataset.targets, dtype=torch.int64)
        return splits

    pickles, folder = root / "cifar-10-batches-py", root / CIFAR10_FOLDER
    if pickles.is_dir():
        try:
            return from_torchvision(download=False)
        except RuntimeError:  # "Dataset not found or corrupted": try the image folder, then a download
            pass
    if (folder / "train").is_dir() and (folder / "test").is_dir():
        return {
            key: value
            for split in ("train", "test")
            for key, value in zip((f"{split}_images", f"{split}_labels"), _decode_image_folder(folder / split))
        }
    why = "offline mode"
    if not offline:
        try:
            return from_torchvision(download=True)
        except Exception as exc:  # noqa: BLE001 - URLError, OSError, RuntimeError on a bad checksum...
            why = f"download failed: {str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}"
    raise DatasetMissing(
        missing(
            "CIFAR10",
            f"{pickles} and {folder / 'train'}",
            why,
            f"cifar-10-batches-py/ or {CIFAR10_FOLDER}/{{train,test}}/<class>/*.jpg",
        )
    )


def _decode_image_folder(folder: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """All images of an ``ImageFolder`` tree of 32x32 RGB files as
    ((N, 32, 32, 3) uint8, (N,) int64), labels in CIFAR10_CLASSES order.
    JPEGs are decoded in one batched call of ``torchvision.io.decode_jpeg``
    (60,000 files take a few seconds), anything else with PIL."""
    import warnings

    import torchvision.datasets
    import torchvision.io

    dataset = torchvision.datasets.ImageFolder(str(folder))
    if tuple(dataset.classes) != CIFAR10_CLASSES:
        raise DatasetMissing(
            f"CIFAR10 is broken: {folder} has the class folders {', '.join(dataset.classes)}; "
            f"expected the ten CIFAR-10 classes {', '.join(CIFAR10_CLASSES)}"
        )
    paths = [path for path, _ in dataset.samples]
    labels = torch.tensor(dataset.targets, dtype=torch.int64)
    try:
        files = [torch.frombuffer(bytearray(Path(path).read_bytes()), dtype=torch.uint8) for path in paths]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # torchvision 0.29 points at torchcodec
            images = torchvision.io.decode_jpeg(files, mode=torchvision.io.ImageReadMode.RGB)
        stacked = torch.stack(images).permute(0, 2, 3, 1)
    except (RuntimeError, ValueError):  # not JPEG, or no image support compiled in: decode with PIL
        import numpy as np
        from PIL import Image

        stacked = torch.from_numpy(np.stack([np.asarray(Image.open(path).convert("RGB")) for path in paths]))
    if tuple(stacked.shape[1:]) != (32, 32, 3):
        raise DatasetMissing(
            f"CIFAR10 is broken: the images in {folder} are {tuple(stacked.shape[1:])}, expected 32x32 RGB"
        )
    return stacked.contiguous(), labels


# name -> (path under the root, public URL, md5). The course's small files:
# Liu Er's lectures use the PyTorchZeroToAll data, DLWPT chapter 4 its own.
ZERO_TO_ALL = "https://github.com/hunkim/PyTorchZeroToAll/raw/master/data/"
DLWPT = "https://github.com/deep-learning-with-pytorch/dlwpt-code/raw/master/data/p1ch4/"
COURSE_FILES = {
    "diabetes": ("zerotoall/diabetes.csv.gz", ZERO_TO_ALL + "diabetes.csv.gz", "b7f372850118dfaf306e2f334e6a718f"),
    "names_train": (
        "zerotoall/names_train.csv.gz",
        ZERO_TO_ALL + "names_train.csv.gz",
        "279fed4465b63788995257cf0a81f3af",
    ),
    "names_test": (
        "zerotoall/names_test.csv.gz",
        ZERO_TO_ALL + "names_test.csv.gz",
        "3729799e72df4be417721aab647340e3",
    ),
    "wine": (
        "dlwpt/winequality-white.csv",
        DLWPT + "tabular-wine/winequality-white.csv",
        "5d9ff0f7f716dace19e3ab4578775fd7",
    ),
    "bikes": (
        "dlwpt/hour-fixed.csv",
        DLWPT + "bike-sharing-dataset/hour-fixed.csv",
        "7e635fc1dbf8828fc60231f1c8ed8a6d",
    ),
    "austen": ("dlwpt/1342-0.txt", DLWPT + "jane-austen/1342-0.txt", "5f90751528addaf3a9c22e8ded1af37d"),
    "bobby": ("dlwpt/bobby.jpg", DLWPT + "image-dog/bobby.jpg", "ee7f5ed002f40e0be71f1caffa985d22"),
    "cat1": ("dlwpt/image-cats/cat1.png", DLWPT + "image-cats/cat1.png", "7f11b6e8dc44599f4855c1b6476a868e"),
    "cat2": ("dlwpt/image-cats/cat2.png", DLWPT + "image-cats/cat2.png", "5ae482db8bb195825efd950eb00569b0"),
    "cat3": ("dlwpt/image-cats/cat3.png", DLWPT + "image-cats/cat3.png", "c1232c6bc14f44769a18089227e28d8c"),
}


def course_file(name: str, root: Path | None = None, offline: bool | None = None) -> Path:
    """The path of a course file (``diabetes``, ``wine``, ... see
    ``COURSE_FILES``) under the root, downloaded with its checksum on first
    use unless offline; ``DatasetMissing`` when it is not there."""
    if name not in COURSE_FILES:
        raise KeyError(f"unknown course file {name!r}; known: {', '.join(COURSE_FILES)}")
    relative, url, md5 = COURSE_FILES[name]
    root = data_root(root)
    path = root / relative
    if path.is_file():
        return path
    offline = is_offline() if offline is None else offline
    if not offline:
        from torchvision.datasets.utils import download_url  # checks the md5; slow import, only when needed

        try:
            download_url(url, str(path.parent), path.name, md5)
            return path
        except Exception as exc:  # noqa: BLE001 - URLError, OSError, RuntimeError on a bad checksum...
            why = f"download failed: {str(exc).splitlines()[0][:120]}"
    else:
        why = "offline mode"
    raise DatasetMissing(missing(path.name, str(path), why, relative, url))


# Course files that a suite scores held-out predictions against: the worker
# never reads them, only inputs the suite hands it (lesson 15's test names) or a
# copy it writes with the held-out labels blanked (lesson 9's held-out rows).
HELD_OUT = frozenset({"diabetes", "names_test"})


def prepare(name: str, root: Path | None = None, offline: bool | None = None) -> list[Path]:
    """Download, decode and cache dataset ``name`` (an image dataset or a
    course file) in the trusted grader, before any worker starts, and write
    the worker's copy of an image dataset (``write_worker_images``).

    Returns the files of ``name`` the worker may read, besides the worker
    folder: the course file itself, or nothing when it is in ``HELD_OUT``.
    The sandboxed worker reads no other data and writes none, so it can
    neither see nor tamper with the labels the grader scores against."""
    root = data_root(root)
    try:
        worker_dir(root).mkdir(parents=True, exist_ok=True)  # before the worker starts: its rules name the folder
    except OSError:
        pass  # write_worker_images says so if an image dataset needs it
    if name in COURSE_FILES:
        path = course_file(name, root, offline)
        return [] if name in HELD_OUT else [path]
    write_worker_images(load_images(name, root, offline), root)
    return []


def write_for_worker(root: Path, name: str, content: bytes) -> Path:
    """(trusted side) Store ``content`` in the worker folder as
    ``<stem>-<digest><suffixes>`` of ``name`` (``diabetes.csv.gz`` ->
    ``diabetes-1f2e....csv.gz``): named by its content, so that graders
    running at the same time never clash, created exclusively and renamed
    into place. Returns its path."""
    stem, dot, suffixes = name.partition(".")
    path = worker_dir(data_root(root)) / f"{stem}-{hashlib.sha1(content).hexdigest()[:16]}{dot}{suffixes}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        with open(tmp, "xb") as f:
            f.write(content)
        tmp.replace(path)
    return path


def normalize(images: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """uint8 (N, H, W) -> float32 (N, 1, H, W), or uint8 (N, H, W, C) ->
    float32 (N, C, H, W), scaled to [0, 1], then standardised."""
    scaled = (images.float() / 255.0 - mean) / std
    return scaled.unsqueeze(1) if images.dim() == 3 else scaled.permute(0, 3, 1, 2).contiguous()


def batches(
    X: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator | None = None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Mini-batches ``(X[i], y[i])`` from memory, in the order of a seeded
    permutation (or in order when ``generator`` is None)."""
    order = torch.randperm(len(X), generator=generator) if generator is not None else torch.arange(len(X))
    for start in range(0, len(X), batch_size):
        index = order[start : start + batch_size]
        yield X[index], y[index]
