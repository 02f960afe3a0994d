"""Baseline for `make bench` (issue 18): the CIFAR-10 classifier of PyTorch's
60-minute blitz ("Training a Classifier"), as the tutorial writes it: LeNet
(Conv 3->6 k5, pool, Conv 6->16 k5, pool, 120, 84, 10), batch size 4,
``SGD(lr=0.001, momentum=0.9)``, 2 epochs, then the test accuracy.

The one change: the data root is the project's (``$TORCH_PRACTICE_DATA``,
else ``./data``) and nothing is downloaded. Where the root holds the image-folder
copy of CIFAR-10 (``cifar10/{train,test}/<class>/*.jpg``, as the offline
mirror does) instead of torchvision's pickles, ``ImageFolder`` reads it: the
same images, labels in the same (alphabetical) class order.

    python benchmarks/course/blitz_cifar10.py [--epochs 2] [--batches N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
batch_size = 4


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def cifar10(root: str, train: bool) -> torch.utils.data.Dataset:
    folder = Path(root) / "cifar10" / ("train" if train else "test")
    if folder.is_dir():
        return torchvision.datasets.ImageFolder(str(folder), transform=transform)
    return torchvision.datasets.CIFAR10(root=root, train=train, download=False, transform=transform)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batches", type=int, default=None, help="stop each epoch after this many batches")
    args = parser.parse_args()
    root = os.environ.get("TORCH_PRACTICE_DATA", "data")

    trainset = cifar10(root, train=True)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=True, num_workers=2)
    testset = cifar10(root, train=False)
    testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=False, num_workers=2)

    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

    for epoch in range(args.epochs):  # loop over the dataset multiple times
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            if i == args.batches:
                break
            # get the inputs; data is a list of [inputs, labels]
            inputs, labels = data
            # zero the parameter gradients
            optimizer.zero_grad()
            # forward + backward + optimize
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            # print statistics
            running_loss += loss.item()
            if i % 2000 == 1999:  # print every 2000 mini-batches
                print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 2000:.3f}")
                running_loss = 0.0
    print("Finished Training")

    correct = 0
    total = 0
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predicted = torch.max(outputs, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    print(f"Accuracy of the network on the 10000 test images: {100 * correct // total} %")


if __name__ == "__main__":
    main()
