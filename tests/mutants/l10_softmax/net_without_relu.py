"""Net without activations: five Linear layers collapse to one linear model (~92% on MNIST)."""

CAUGHT_BY = ["test_net_reaches_97_percent_test_accuracy_on_mnist"]


def _forward(self, x):
    x = x.view(-1, 784)
    return self.l5(self.l4(self.l3(self.l2(self.l1(x)))))


Net.forward = _forward
