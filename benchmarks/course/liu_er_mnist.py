"""Baseline for `make bench` (issue 18): Liu Er's MNIST scripts, as the notes write them.

Lecture 9 (多分类问题 softmax classifier) trains the MLP 784-512-256-128-64-10,
lecture 10 (卷积神经网络 basic CNN) the CNN Conv(1->10, k5) - pool - Conv(10->20, k5)
- pool - Linear(320->10); both 10 epochs with the same data pipeline and
optimizer. The only change from the notes: the dataset root is the project's
data root (``$TORCH_PRACTICE_DATA``, else ``./data``) and nothing is downloaded.

    python benchmarks/course/liu_er_mnist.py mlp|cnn [--epochs 10] [--batches N]

``--batches`` stops each epoch early: a smoke test, not the baseline.
"""

from __future__ import annotations

import argparse
import os

import torch
import torch.nn.functional as F
from torch import optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

batch_size = 64
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])


class MLP(torch.nn.Module):  # lecture 9
    def __init__(self):
        super().__init__()
        self.l1 = torch.nn.Linear(784, 512)
        self.l2 = torch.nn.Linear(512, 256)
        self.l3 = torch.nn.Linear(256, 128)
        self.l4 = torch.nn.Linear(128, 64)
        self.l5 = torch.nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = F.relu(self.l1(x))
        x = F.relu(self.l2(x))
        x = F.relu(self.l3(x))
        x = F.relu(self.l4(x))
        return self.l5(x)


class CNN(torch.nn.Module):  # lecture 10
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = torch.nn.Conv2d(10, 20, kernel_size=5)
        self.pooling = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(320, 10)

    def forward(self, x):
        batch_size = x.size(0)
        x = F.relu(self.pooling(self.conv1(x)))
        x = F.relu(self.pooling(self.conv2(x)))
        x = x.view(batch_size, -1)
        return self.fc(x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=("mlp", "cnn"))
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batches", type=int, default=None, help="stop each epoch after this many batches")
    args = parser.parse_args()
    root = os.environ.get("TORCH_PRACTICE_DATA", "data")

    train_dataset = datasets.MNIST(root=root, train=True, download=False, transform=transform)
    train_loader = DataLoader(train_dataset, shuffle=True, batch_size=batch_size)
    test_dataset = datasets.MNIST(root=root, train=False, download=False, transform=transform)
    test_loader = DataLoader(test_dataset, shuffle=False, batch_size=batch_size)

    model = MLP() if args.model == "mlp" else CNN()
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)

    def train(epoch):
        running_loss = 0.0
        for batch_idx, data in enumerate(train_loader, 0):
            if batch_idx == args.batches:
                break
            inputs, target = data
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, target)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if batch_idx % 300 == 299:
                print("[%d, %5d] loss: %.3f" % (epoch + 1, batch_idx + 1, running_loss / 300))
                running_loss = 0.0

    def test():
        correct = 0
        total = 0
        with torch.no_grad():
            for data in test_loader:
                images, labels = data
                outputs = model(images)
                _, predicted = torch.max(outputs.data, dim=1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        print("accuracy on test set: %d %% " % (100 * correct / total))

    for epoch in range(args.epochs):
        train(epoch)
        test()


if __name__ == "__main__":
    main()
