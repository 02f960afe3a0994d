"""CIFAR-10 training that stays on the device: the GPU tier's data pipeline
and training recipe (used by the lesson-13 driver and `make bench`).

The images go to the device once, as uint8 (150 MB for the 50,000 training
images). Each epoch, random crops (4 pixels of zero padding) and horizontal
flips are drawn for all images at once and applied with one batched gather
on the device; each batch is then converted to half precision and
normalised there. No DataLoader, no per-sample Python, no host-to-device
copies inside the loop.

The recipe follows Page's ResNet-9 for DAWNBench: batches of 512, SGD with
Nesterov momentum 0.9 and weight decay 5e-4, a learning rate rising linearly
from 0 to 0.4 over the first fifth of the steps and falling linearly to 0,
label smoothing 0.2; on CUDA, float16 autocast with a gradient scaler,
channels-last memory and cuDNN autotuning. The same code runs on the CPU in
float32, which is how the project's tests keep it correct without a GPU.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
from torch import nn

MEAN = (0.4914, 0.4822, 0.4465)  # per channel, of the training pixels in [0, 1]
STD = (0.2470, 0.2435, 0.2616)


def to_device(images: torch.Tensor, device: torch.device | str) -> torch.Tensor:
    """uint8 (N, H, W, C) images, as ``data`` keeps them -> uint8
    (N, C, H, W) on ``device``, copied once."""
    return images.to(device).permute(0, 3, 1, 2).contiguous()


def standardize(images: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """uint8 (N, 3, H, W) -> ``dtype`` (N, 3, H, W), standardised per channel,
    in channels-last memory, on the images' device."""
    mean = torch.tensor(MEAN, device=images.device, dtype=dtype).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=images.device, dtype=dtype).view(1, 3, 1, 1)
    x = (images.to(dtype) / 255 - mean) / std
    return x.contiguous(memory_format=torch.channels_last)


def random_crop_flip(images: torch.Tensor, padding: int, generator: torch.Generator, chunk: int = 8192) -> torch.Tensor:
    """A random ``H`` x ``W`` crop of each image zero-padded by ``padding``
    pixels, mirrored left-right with probability 1/2: (N, C, H, W) -> (N, C,
    H, W), same dtype and device.

    The offsets and flips come from ``generator`` (a CPU generator, so that a
    seed gives the same augmentation on every device); the crops are one
    batched gather per ``chunk`` images: out[n, c, i, j] = padded[n, c,
    dy[n] + i, cols[n, j]] with cols = dx[n] + j, or reversed for a flip.
    """
    n, c, h, w = images.shape
    device = images.device
    dy = torch.randint(0, 2 * padding + 1, (n,), generator=generator).to(device)
    dx = torch.randint(0, 2 * padding + 1, (n,), generator=generator).to(device)
    flip = (torch.rand(n, generator=generator) < 0.5).to(device)
    rows = dy[:, None] + torch.arange(h, device=device)  # (N, H)
    cols = dx[:, None] + torch.arange(w, device=device)  # (N, W)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    channels = torch.arange(c, device=device)[None, :, None, None]
    out = torch.empty_like(images)
    for start in range(0, n, chunk):
        part = slice(start, start + chunk)
        batch = images[part]
        padded = batch.new_zeros(len(batch), c, h + 2 * padding, w + 2 * padding)
        padded[:, :, padding : padding + h, padding : padding + w] = batch
        index = torch.arange(len(batch), device=device)[:, None, None, None]
        out[part] = padded[index, channels, rows[part][:, None, :, None], cols[part][:, None, None, :]]
    return out


def lr_at(step: int, total: int, peak: float, warmup: float = 0.2) -> float:
    """Piecewise-linear schedule: 0 -> ``peak`` over the first ``warmup``
    fraction of ``total`` steps, then down to 0 at the end."""
    t = step / total
    return peak * t / warmup if t < warmup else peak * max(0.0, 1 - t) / (1 - warmup)


def train(
    model: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    epochs: int,
    seed: int,
    batch_size: int = 512,
    lr: float = 0.4,
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    label_smoothing: float = 0.2,
    on_epoch: Callable[[int, float, nn.Module], None] | None = None,
) -> nn.Module:
    """Train ``model`` on uint8 (N, 3, H, W) ``images`` and (N,) int64
    ``labels`` already on their device; the model is moved there too.

    ``on_epoch(epoch, seconds, model)`` is called after each epoch with the
    training seconds so far (the device synchronised; time spent inside
    ``on_epoch``, such as evaluating, is not counted).
    """
    device = images.device
    cuda = device.type == "cuda"
    dtype = torch.float16 if cuda else torch.float32
    if cuda:
        torch.backends.cudnn.benchmark = True
    model.to(device).to(memory_format=torch.channels_last)
    labels = labels.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0, momentum=momentum, nesterov=True, weight_decay=weight_decay)
    scaler = torch.amp.GradScaler(device.type, enabled=cuda)
    criterion = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    generator = torch.Generator().manual_seed(seed)
    steps_per_epoch = max(1, len(images) // batch_size)  # the last partial batch is dropped
    total, step, seconds = epochs * steps_per_epoch, 0, 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        model.train()
        augmented = random_crop_flip(images, 4, generator)
        order = torch.randperm(len(images), generator=generator).to(device)
        for i in range(steps_per_epoch):
            index = order[i * batch_size : (i + 1) * batch_size]
            x, y = standardize(augmented[index], dtype), labels[index]
            for group in optimizer.param_groups:
                group["lr"] = lr_at(step, total, lr)
            with torch.autocast(device.type, dtype=torch.float16, enabled=cuda):
                loss = criterion(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            step += 1
        if cuda:
            torch.cuda.synchronize(device)
        seconds += time.perf_counter() - start
        if on_epoch is not None:
            on_epoch(epoch, seconds, model)
    return model


def predict(model: nn.Module, images: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Arg-max classes of ``model`` for uint8 (N, 3, H, W) ``images`` on their
    device, in eval mode: (N,) int64 on the CPU."""
    cuda = images.device.type == "cuda"
    dtype = torch.float16 if cuda else torch.float32
    model.eval()
    out = []
    with torch.no_grad(), torch.autocast(images.device.type, dtype=torch.float16, enabled=cuda):
        for start in range(0, len(images), batch_size):
            out.append(model(standardize(images[start : start + batch_size], dtype)).argmax(dim=1).cpu())
    return torch.cat(out)
