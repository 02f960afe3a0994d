"""HelloEmbedding builds its RNN without batch_first=True, though x is (batch, seq_len)."""

from torch import nn

CAUGHT_BY = [
    "test_rnn_outputs_have_the_documented_shapes_for_any_length_and_batch",
    "test_hello_embedding_model_is_embedding_rnn_linear_batch_first",
    "test_hello_embedding_model_reaches_ohlol",
]
_original_init = HelloEmbedding.__init__


def _init(self, vocab_size=4, embedding_size=10, hidden_size=8, num_classes=4, num_layers=2):
    _original_init(self, vocab_size, embedding_size, hidden_size, num_classes, num_layers)
    self.rnn = nn.RNN(input_size=embedding_size, hidden_size=hidden_size, num_layers=num_layers)


HelloEmbedding.__init__ = _init
