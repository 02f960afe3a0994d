"""LeNet flattens channels-first across the batch (permute before reshape):
shapes are right, but each row mixes features of different images."""

CAUGHT_BY = [
    "test_lenet_computes_conv_pool_conv_pool_and_three_linear_layers",
    "test_lenet_reaches_55_percent_on_cifar10",
]


def _forward(self, x):
    n = x.size(0)
    x = self.pool(F.relu(self.conv1(x)))
    x = self.pool(F.relu(self.conv2(x)))
    x = x.permute(1, 0, 2, 3).reshape(n, -1)
    x = F.relu(self.fc1(x))
    x = F.relu(self.fc2(x))
    return self.fc3(x)


LeNet.forward = _forward
