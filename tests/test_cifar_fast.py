"""The GPU tier's on-device CIFAR-10 pipeline (grader/drivers/cifar_fast.py),
kept correct without a GPU: the same code runs here on the CPU."""

from __future__ import annotations

import pytest
import torch
from conftest import DATA

from grader import data
from grader.drivers import cifar_fast


def crops_of(image: torch.Tensor, padding: int) -> list[torch.Tensor]:
    """Every crop of ``image`` zero-padded by ``padding``, mirrored or not (trusted)."""
    c, h, w = image.shape
    padded = torch.zeros(c, h + 2 * padding, w + 2 * padding, dtype=image.dtype)
    padded[:, padding : padding + h, padding : padding + w] = image
    crops = [padded[:, dy : dy + h, dx : dx + w] for dy in range(2 * padding + 1) for dx in range(2 * padding + 1)]
    return crops + [crop.flip(-1) for crop in crops]


def test_random_crop_flip_gives_each_image_a_shifted_or_mirrored_crop():
    images = torch.randint(1, 256, (64, 3, 8, 6), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    out = cifar_fast.random_crop_flip(images, 2, torch.Generator().manual_seed(1), chunk=24)  # several chunks
    assert out.shape == images.shape and out.dtype == torch.uint8
    found = []
    for image, crop in zip(images, out):
        matches = [i for i, candidate in enumerate(crops_of(image, 2)) if torch.equal(candidate, crop)]
        assert matches, "an output image is not a crop of its padded input"
        found.append(matches[0])
    assert len(set(found)) > 20, "the offsets and flips hardly vary"
    assert any(i >= 25 for i in found) and any(i < 25 for i in found), "flips should happen about half the time"
    again = cifar_fast.random_crop_flip(images, 2, torch.Generator().manual_seed(1), chunk=64)
    assert torch.equal(again, out), "the same seed must give the same augmentation, whatever the chunk size"


def test_standardize_standardises_each_channel_in_channels_last_memory():
    images = torch.full((2, 3, 4, 4), 255, dtype=torch.uint8)
    x = cifar_fast.standardize(images, torch.float32)
    assert x.dtype == torch.float32 and x.is_contiguous(memory_format=torch.channels_last)
    expected = torch.tensor([(1 - m) / s for m, s in zip(cifar_fast.MEAN, cifar_fast.STD)])
    assert torch.allclose(x[0, :, 0, 0], expected)


def test_the_learning_rate_rises_to_its_peak_then_falls_to_zero():
    lrs = [cifar_fast.lr_at(step, 100, 0.4) for step in range(101)]
    assert lrs[0] == 0 and max(lrs) == pytest.approx(0.4) and lrs.index(max(lrs)) == 20
    assert (
        lrs[-1] == 0
        and all(a <= b for a, b in zip(lrs[:21], lrs[1:21]))
        and all(a >= b for a, b in zip(lrs[20:], lrs[21:]))
    )


@pytest.mark.slow
def test_the_gpu_tier_trains_a_narrow_resnet9_on_the_cpu(monkeypatch):
    """The lesson-13 GPU check's driver and pipeline, run on the CPU with a
    ResNet-9 of width 8 on 4,000 training images for 3 epochs: measured
    0.396 / 0.396 / 0.430 on 1,000 test images (seeds 0-2) against 0.1 by chance."""
    try:
        cifar = data.load_images("cifar10", DATA, offline=True)
        data.prepare("cifar10", DATA, offline=True)  # the worker's copy, which the driver reads
    except data.DatasetMissing as exc:
        pytest.skip(str(exc))
    monkeypatch.setenv(data.WORKER_DATA, str(data.worker_dir(DATA)))
    import solutions.l13_cnn_advanced as reference
    from grader.drivers.l13_cnn_advanced import spread, train_cifar_resnet

    torch.manual_seed(0)
    out = train_cifar_resnet(
        reference, epochs=3, seed=0, device="cpu", width=8, train_size=4000, test_size=1000, batch_size=128, lr=0.2
    )
    labels = cifar.test_labels[spread(10000, 1000)]
    assert out["devices"] == ["cpu"]
    accuracy = (out["predictions"] == labels).double().mean().item()
    assert accuracy >= 0.3, f"accuracy {accuracy:.3f} after 3 epochs on 4,000 images"
