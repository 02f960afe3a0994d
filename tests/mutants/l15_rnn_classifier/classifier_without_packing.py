"""RNNClassifier runs the GRU over the padded batch without packing it: the
zeros after each name change its final hidden state."""

import torch

CAUGHT_BY = [
    "test_classifier_output_does_not_depend_on_the_padding_length",
    "test_classifier_feeds_the_final_hidden_state_of_both_directions_to_fc",
]


def _forward(self, padded, lengths):
    x = padded.t()
    hidden = torch.zeros(self.n_layers * self.n_directions, x.size(1), self.hidden_size)
    _, hidden = self.gru(self.embedding(x), hidden)
    final = torch.cat([hidden[-1], hidden[-2]], dim=1) if self.n_directions == 2 else hidden[-1]
    return self.fc(final)


RNNClassifier.forward = _forward
