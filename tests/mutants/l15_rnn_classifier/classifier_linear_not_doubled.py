"""RNNClassifier's Linear takes hidden_size inputs even when bidirectional,
and so only the last direction's final state reaches it."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

CAUGHT_BY = [
    "test_bidirectional_classifier_doubles_the_linear_input",
    "test_classifier_feeds_the_final_hidden_state_of_both_directions_to_fc",
]
MESSAGE_HOLDS = [
    "bidirectional=True).fc: weight has shape (18, 7), expected (18, 14)"
]  # the failure message names what is wrong
_original_init = RNNClassifier.__init__


def _init(self, input_size, hidden_size, output_size, n_layers=1, bidirectional=True):
    _original_init(self, input_size, hidden_size, output_size, n_layers, bidirectional)
    self.fc = nn.Linear(hidden_size, output_size)


def _forward(self, padded, lengths):
    x = padded.t()
    hidden = torch.zeros(self.n_layers * self.n_directions, x.size(1), self.hidden_size)
    _, hidden = self.gru(pack_padded_sequence(self.embedding(x), lengths), hidden)
    return self.fc(hidden[-1])


RNNClassifier.__init__ = _init
RNNClassifier.forward = _forward
