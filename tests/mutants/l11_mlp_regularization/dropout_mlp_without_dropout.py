"""DropoutMLP never calls dropout_layer: train mode is as deterministic as eval mode."""

CAUGHT_BY = ["test_dropout_mlp_gives_different_outputs_on_two_calls_in_train_mode"]


def _forward(self, X):
    H1 = relu(self.lin1(X.reshape(-1, self.num_inputs)))
    H2 = relu(self.lin2(H1))
    return self.lin3(H2)


DropoutMLP.forward = _forward
