"""DropoutMLP applies dropout whatever the mode: evaluation is random too."""

CAUGHT_BY = ["test_dropout_mlp_in_eval_mode_is_the_plain_mlp"]


def _forward(self, X):
    H1 = dropout_layer(relu(self.lin1(X.reshape(-1, self.num_inputs))), self.dropout1)
    H2 = dropout_layer(relu(self.lin2(H1)), self.dropout2)
    return self.lin3(H2)


DropoutMLP.forward = _forward
