"""MnistCNN flattens channels-first across the batch (permute before
reshape): shapes are right, but each row mixes features of different images."""

CAUGHT_BY = [
    "test_mnist_cnn_pools_twice_and_flattens_320_features",
    "test_mnist_cnn_reaches_98_percent_on_mnist",
]


def _forward(self, x):
    n = x.size(0)
    x = F.relu(self.pooling(self.conv1(x)))
    x = F.relu(self.pooling(self.conv2(x)))
    return self.fc(x.permute(1, 0, 2, 3).reshape(n, -1))


MnistCNN.forward = _forward
