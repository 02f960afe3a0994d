"""`make bench`, GPU part: seconds to 90% and to 93% CIFAR-10 test accuracy.

Trains the reference CifarResNet (ResNet-9, solutions/l13_cnn_advanced.py)
with the GPU tier's pipeline and recipe (grader/drivers/cifar_fast.py: data
on the device as uint8, crops and flips batched there, float16, no
DataLoader), evaluates the test set after every epoch and prints the
training seconds (evaluation excluded, the device synchronised) at which
each target was first reached. The project's goal: 93% in under 60 s on one
H100. Without CUDA it says so and exits 0.

    python benchmarks/cifar_gpu.py [--epochs 16] [--seed 0] [--width 64]

(``--device cpu --width 4 --train-size 2000 --epochs 1`` runs the same code
as a smoke test where there is no GPU.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader import data  # noqa: E402
from grader.drivers import cifar_fast  # noqa: E402

TARGETS = (0.90, 0.93)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--train-size", type=int, default=None, help="train on this many images (all by default)")
    args = parser.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print("cifar10 on GPU: no CUDA, seconds to 90% and 93% not measured")
        return
    from grader.drivers.l13_cnn_advanced import spread
    from solutions.l13_cnn_advanced import CifarResNet

    cifar = data.load_images("cifar10")
    train = spread(len(cifar.train_images), args.train_size)
    images = cifar_fast.to_device(cifar.train_images[train], device)
    test_images = cifar_fast.to_device(cifar.test_images, device)
    torch.manual_seed(args.seed)
    model = CifarResNet(args.width)
    reached: dict[float, tuple[float, int]] = {}
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"cifar10 on {name}: CifarResNet(width={args.width}), {args.epochs}-epoch schedule, seed {args.seed}")

    def report(epoch: int, seconds: float, net: torch.nn.Module) -> None:
        accuracy = (cifar_fast.predict(net, test_images) == cifar.test_labels).double().mean().item()
        for target in TARGETS:
            if accuracy >= target and target not in reached:
                reached[target] = (seconds, epoch + 1)
        print(f"  epoch {epoch + 1:3d}  {seconds:7.1f} s  test accuracy {accuracy:.4f}", flush=True)

    cifar_fast.train(model, images, cifar.train_labels[train], epochs=args.epochs, seed=args.seed, on_epoch=report)
    for target in TARGETS:
        if target in reached:
            seconds, epoch = reached[target]
            print(f"seconds to {target:.0%}: {seconds:.1f} (epoch {epoch} of {args.epochs})")
        else:
            print(f"seconds to {target:.0%}: not reached in {args.epochs} epochs")


if __name__ == "__main__":
    main()
