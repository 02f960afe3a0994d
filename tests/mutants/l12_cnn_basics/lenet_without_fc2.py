"""LeNet skips the 120 -> 84 layer: 400 -> 120 -> 10 (so a LeNet state dict
no longer loads into it either)."""

CAUGHT_BY = [
    "test_lenet_has_the_cifar_layers",
    "test_lenet_computes_conv_pool_conv_pool_and_three_linear_layers",
    "test_load_weights_refuses_a_file_that_would_run_code",
]
_init = LeNet.__init__


def _short_init(self):
    _init(self)
    del self.fc2
    self.fc3 = nn.Linear(120, 10)


def _forward(self, x):
    x = self.pool(F.relu(self.conv1(x)))
    x = self.pool(F.relu(self.conv2(x)))
    x = F.relu(self.fc1(torch.flatten(x, 1)))
    return self.fc3(x)


LeNet.__init__ = _short_init
LeNet.forward = _forward
