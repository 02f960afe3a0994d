"""DropoutMLP ends with a softmax: CrossEntropyLoss applies another one, the
gradients nearly vanish and training crawls."""

import torch

CAUGHT_BY = [
    "test_dropout_mlp_in_eval_mode_is_the_plain_mlp",
    "test_dropout_mlp_reaches_82_percent_on_fashion_mnist",
]


def _forward(self, X):
    H1 = relu(self.lin1(X.reshape(-1, self.num_inputs)))
    if self.training:
        H1 = dropout_layer(H1, self.dropout1)
    H2 = relu(self.lin2(H1))
    if self.training:
        H2 = dropout_layer(H2, self.dropout2)
    return torch.softmax(self.lin3(H2), dim=1)


DropoutMLP.forward = _forward
