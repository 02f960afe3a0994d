"""The data layer: where the root is, how datasets load, cache and batch."""

from __future__ import annotations

import os

import pytest
import torch
from conftest import DATA

from grader import data


def test_the_root_comes_from_the_option_then_the_environment_then_data(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_PRACTICE_DATA", str(tmp_path / "env"))
    assert data.data_root(tmp_path / "opt") == tmp_path / "opt"
    assert data.data_root() == tmp_path / "env"
    monkeypatch.delenv("TORCH_PRACTICE_DATA")
    monkeypatch.chdir(tmp_path)
    assert data.data_root() == tmp_path / "data"


def test_a_missing_dataset_says_what_where_and_how(tmp_path):
    with pytest.raises(data.DatasetMissing) as err:
        data.load_images("fashion_mnist", tmp_path, offline=True)
    message = str(err.value)
    assert f"looked for {tmp_path / 'FashionMNIST' / 'raw'}" in message
    assert "--data-dir" in message and "offline" in message


@pytest.mark.skipif(not (DATA / "MNIST" / "raw").is_dir(), reason="needs MNIST under the data root")
def test_mnist_loads_as_uint8_and_is_cached_under_a_writable_root(tmp_path, monkeypatch):
    root = tmp_path / "root"
    (root / "MNIST").mkdir(parents=True)
    (root / "MNIST" / "raw").symlink_to(DATA / "MNIST" / "raw")
    mnist = data.load_images("mnist", root, offline=True)
    assert mnist.train_images.shape == (60000, 28, 28) and mnist.train_images.dtype == torch.uint8
    assert mnist.test_labels.shape == (10000,) and mnist.test_labels.dtype == torch.int64
    assert (root / "cache" / f"mnist-v{data.CACHE_VERSION}.pt").exists()
    os.remove(root / "MNIST" / "raw")  # from now on only the cache can answer
    again = data.load_images("mnist", root, offline=True)
    assert torch.equal(again.test_labels, mnist.test_labels)


def test_a_read_only_root_caches_in_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o555)
    try:
        where = data.cache_dir(readonly)
    finally:
        readonly.chmod(0o755)
    assert where.parent == tmp_path / "xdg" / "torch-practice"


def test_batches_cover_every_sample_once_in_a_seeded_order():
    X, y = torch.arange(10).float().unsqueeze(1), torch.arange(10)
    first = list(data.batches(X, y, 4, torch.Generator().manual_seed(0)))
    again = list(data.batches(X, y, 4, torch.Generator().manual_seed(0)))
    assert [len(b[1]) for b in first] == [4, 4, 2]
    assert sorted(torch.cat([b[1] for b in first]).tolist()) == list(range(10))
    assert all(torch.equal(a[1], b[1]) for a, b in zip(first, again))
    assert all(torch.equal(bx.squeeze(1).long(), by) for bx, by in first)


def test_course_files_are_found_under_the_root_with_their_checksum():
    import hashlib

    for name, (relative, _, md5) in data.COURSE_FILES.items():
        path = data.course_file(name, DATA, offline=True)
        assert path == DATA / relative
        assert hashlib.md5(path.read_bytes()).hexdigest() == md5, f"{name}: the mirror's file differs from the registry"


def test_a_missing_course_file_says_what_where_and_how(tmp_path):
    with pytest.raises(data.DatasetMissing) as missing:
        data.course_file("diabetes", tmp_path, offline=True)
    message = str(missing.value)
    assert "diabetes.csv.gz is missing" in message and str(tmp_path / "zerotoall") in message
    assert "offline mode" in message and "https://github.com/hunkim/PyTorchZeroToAll" in message
    with pytest.raises(KeyError, match="unknown course file"):
        data.course_file("iris", tmp_path, offline=True)


def write_tiny_cifar_folder(root, per_class: int = 2) -> dict[str, torch.Tensor]:
    """<root>/cifar10/{train,test}/<class>/NNNN.jpg with ``per_class`` random
    32x32 JPEGs per class; returns what PIL decodes from them, by split."""
    import io

    import numpy as np
    from PIL import Image

    g = torch.Generator().manual_seed(0)
    decoded = {}
    for split in ("train", "test"):
        images = []
        for name in reversed(data.CIFAR10_CLASSES):  # creation order must not matter
            folder = root / "cifar10" / split / name
            folder.mkdir(parents=True)
            for i in range(per_class):
                pixels = torch.randint(0, 256, (32, 32, 3), generator=g, dtype=torch.uint8)
                Image.fromarray(pixels.numpy()).save(folder / f"{i:04d}.jpg", quality=90)
        for name in data.CIFAR10_CLASSES:
            for i in range(per_class):
                jpeg = (root / "cifar10" / split / name / f"{i:04d}.jpg").read_bytes()
                images.append(torch.from_numpy(np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).copy()))
        decoded[split] = torch.stack(images)
    return decoded


def test_cifar10_comes_from_the_image_folder_as_uint8_labelled_in_torchvision_order(tmp_path):
    root = tmp_path / "root"
    expected = write_tiny_cifar_folder(root)
    (root / "cifar-10-batches-py").mkdir()  # torchvision's folder without its files: skipped, not fatal
    cifar = data.load_images("cifar10", root, offline=True)
    assert cifar.train_images.shape == (20, 32, 32, 3) and cifar.train_images.dtype == torch.uint8
    assert cifar.test_images.shape == (20, 32, 32, 3) and cifar.test_labels.dtype == torch.int64
    labels = torch.arange(10).repeat_interleave(2)  # airplane = 0, ..., truck = 9, as torchvision's CIFAR10
    assert torch.equal(cifar.train_labels, labels) and torch.equal(cifar.test_labels, labels)
    assert torch.equal(cifar.train_images, expected["train"]), "decoded pixels differ from PIL's"
    assert torch.equal(cifar.test_images, expected["test"])
    assert (cifar.mean, cifar.std) == (0.5, 0.5)
    assert (root / "cache" / f"cifar10-v{data.CACHE_VERSION}.pt").exists()
    import shutil

    shutil.rmtree(root / "cifar10")  # from now on only the cache can answer
    again = data.load_images("cifar10", root, offline=True)
    assert torch.equal(again.train_images, cifar.train_images)
    X = data.normalize(again.test_images, again.mean, again.std)
    assert X.shape == (20, 3, 32, 32) and X.dtype == torch.float32 and X.min() >= -1 and X.max() <= 1
    assert torch.equal(X[3, 1], (again.test_images[3, :, :, 1].float() / 255 - 0.5) / 0.5)


def test_a_missing_cifar10_names_both_layouts(tmp_path):
    with pytest.raises(data.DatasetMissing) as err:
        data.load_images("cifar10", tmp_path, offline=True)
    message = str(err.value)
    assert str(tmp_path / "cifar-10-batches-py") in message and str(tmp_path / "cifar10" / "train") in message
    assert "offline mode" in message and "--data-dir" in message


@pytest.mark.skipif(not (DATA / "cifar10" / "train").is_dir(), reason="needs the CIFAR-10 image folder")
def test_the_mirror_holds_the_cifar10_classes_with_50000_and_10000_images():
    for split, count in (("train", 5000), ("test", 1000)):
        folders = sorted(p.name for p in (DATA / "cifar10" / split).iterdir())
        assert tuple(folders) == data.CIFAR10_CLASSES
        assert all(len(list((DATA / "cifar10" / split / name).iterdir())) == count for name in folders)


# -- what the worker may read: no test labels -----------------------------------------
@pytest.mark.skipif(not (DATA / "MNIST" / "raw").is_dir(), reason="needs MNIST under the data root")
def test_the_workers_copy_of_an_image_dataset_has_no_test_labels(tmp_path, monkeypatch):
    root = tmp_path / "root"
    (root / "MNIST").mkdir(parents=True)
    (root / "MNIST" / "raw").symlink_to(DATA / "MNIST" / "raw")
    assert data.prepare("mnist", root, offline=True) == []  # the worker folder is all it needs
    copy = data.worker_dir(root) / f"mnist-v{data.CACHE_VERSION}.pt"
    assert copy.parent == root / "cache" / "worker"
    assert set(torch.load(copy, weights_only=True)) == {"train_images", "train_labels", "test_images"}
    monkeypatch.setenv(data.WORKER_DATA, str(data.worker_dir(root)))
    mnist, full = data.load_training_images("mnist"), data.load_images("mnist", root, offline=True)
    assert not hasattr(mnist, "test_labels")
    assert torch.equal(mnist.test_images, full.test_images) and torch.equal(mnist.train_labels, full.train_labels)
    assert (mnist.mean, mnist.std) == (full.mean, full.std)


def test_a_dataset_missing_from_the_worker_folder_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv(data.WORKER_DATA, str(tmp_path))
    with pytest.raises(data.DatasetMissing, match="fashion_mnist was not prepared for the worker"):
        data.load_training_images("fashion_mnist")


def test_the_worker_may_read_course_files_but_not_those_with_held_out_labels():
    readable = {name: data.prepare(name, DATA, offline=True) for name in data.COURSE_FILES}
    assert readable.pop("diabetes") == [] and readable.pop("names_test") == []
    assert all(files == [data.course_file(name, DATA, offline=True)] for name, files in readable.items())


def test_files_written_for_the_worker_are_named_by_their_content(tmp_path):
    first = data.write_for_worker(tmp_path, "diabetes.csv.gz", b"one")
    assert first.parent == data.worker_dir(tmp_path) and first.name.startswith("diabetes-")
    assert first.name.endswith(".csv.gz") and first.read_bytes() == b"one"
    assert data.write_for_worker(tmp_path, "diabetes.csv.gz", b"one") == first
    assert data.write_for_worker(tmp_path, "diabetes.csv.gz", b"two") != first
    assert sorted(p.name for p in first.parent.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_the_workers_read_rules_never_cover_a_folder_that_holds_the_data(tmp_path, monkeypatch):
    from grader.sandbox import worker

    monkeypatch.setattr(worker.sys, "path", [str(tmp_path), str(tmp_path / "site-packages")])
    rules = worker.readable(tmp_path / "elsewhere" / "repo", [tmp_path / "data", tmp_path / "cache"])
    assert tmp_path / "site-packages" in rules
    assert tmp_path not in rules  # it holds the data root: its test labels would be readable through it
