"""MnistCNN forgets the second max pooling, so it flattens 20 * 8 * 8 = 1280
features (and sizes fc to match)."""

CAUGHT_BY = [
    "test_mnist_cnn_has_the_lecture_layers",
    "test_mnist_cnn_pools_twice_and_flattens_320_features",
]
_init = MnistCNN.__init__


def _wide_init(self):
    _init(self)
    self.fc = nn.Linear(1280, 10)


def _forward(self, x):
    x = F.relu(self.pooling(self.conv1(x)))
    x = F.relu(self.conv2(x))
    return self.fc(x.view(x.size(0), -1))


MnistCNN.__init__ = _wide_init
MnistCNN.forward = _forward
