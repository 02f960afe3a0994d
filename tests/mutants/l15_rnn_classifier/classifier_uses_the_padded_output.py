"""RNNClassifier feeds fc the GRU output at the last padded time step instead
of the final hidden state: zeros for the forward direction of every name
shorter than the longest, and the backward direction after one character."""

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

CAUGHT_BY = ["test_classifier_feeds_the_final_hidden_state_of_both_directions_to_fc"]


def _forward(self, padded, lengths):
    x = padded.t()
    hidden = torch.zeros(self.n_layers * self.n_directions, x.size(1), self.hidden_size)
    output, _ = self.gru(pack_padded_sequence(self.embedding(x), lengths.cpu()), hidden)
    output, _ = pad_packed_sequence(output)
    return self.fc(output[-1])


RNNClassifier.forward = _forward
