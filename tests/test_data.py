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
