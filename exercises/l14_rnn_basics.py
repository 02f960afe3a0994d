"""Lesson 14 · RNN basics 循环神经网络 (Liu Er lecture 12).

A recurrent neural network reads a sequence one step at a time and carries a
hidden state h from step to step. The RNN cell (RNNCell) is

    h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)

with the SAME weights at every step: the hidden state is the network's memory
of everything it has read so far. Running a cell over a sequence is a loop
that feeds each new hidden state into the next step (h_0 given, usually zeros).

Shapes follow PyTorch. `nn.RNNCell` takes one step: x (batch, input_size),
h (batch, hidden_size). `nn.RNN` runs the whole loop for you: input
(seq_len, batch, input_size), h_0 (num_layers, batch, hidden_size); it
returns every step's output (seq_len, batch, hidden_size) and the last hidden
state (num_layers, batch, hidden_size). With `batch_first=True` input and
output are (batch, seq_len, ...) instead (the hidden state is not).

Gated cells fight vanishing gradients over long sequences. PyTorch stacks the
gate weights in a fixed order: LSTM (4 * hidden rows: input i, forget f,
cell g, output o)

    i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of (x W_ih^T + b_ih + h W_hh^T + b_hh)
    c' = f * c + i * g          h' = o * tanh(c')

and GRU (3 * hidden rows: reset r, update z, new n)

    r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)
    z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)
    n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
    h' = (1 - z) * n + z * h

The lecture's exercise teaches an RNN to turn "hello" into "ohlol". Characters
are indices into idx2char = ['e', 'h', 'l', 'o'], so x = [1, 0, 2, 2, 3] and
y = [3, 1, 2, 3, 2]. Each input step is a one-hot row (独热向量) of length 4;
the hidden state (size 4) doubles as the 4 class scores, trained with
CrossEntropyLoss and Adam. Note that 'l' must become 'l' the first time and
'o' the second: only the history in the hidden state can tell them apart.
You build it three ways: with `nn.RNNCell` and your own loop, with `nn.RNN`,
and with an Embedding (a learned dense vector per character instead of a
one-hot row) before the RNN and a Linear layer after it.

Write rnn_cell, lstm_cell and gru_cell with tensor operations (matmul,
sigmoid, tanh): calling PyTorch's own cells there is off limits.
"""

import torch
from torch import nn

IDX2CHAR = ["e", "h", "l", "o"]
HELLO = [1, 0, 2, 2, 3]  # x: "hello" as indices into IDX2CHAR
OHLOL = [3, 1, 2, 3, 2]  # y: "ohlol"


def one_hot_sequence(indices: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """One-hot rows for integer indices.

    indices: any shape, int64 values in [0, vocab_size). Returns float32 of
    shape (*indices.shape, vocab_size): 1.0 at each index, 0.0 elsewhere.
    """
    raise NotImplementedError("one_hot_sequence")


def rnn_cell(
    x: torch.Tensor, h: torch.Tensor, W_ih: torch.Tensor, W_hh: torch.Tensor, b_ih: torch.Tensor, b_hh: torch.Tensor
) -> torch.Tensor:
    """One step of a tanh RNN, as ``nn.RNNCell`` computes it.

    x: (batch, input_size); h: (batch, hidden_size); W_ih: (hidden_size,
    input_size); W_hh: (hidden_size, hidden_size); b_ih, b_hh: (hidden_size,).
    Returns the new hidden state (batch, hidden_size).
    """
    raise NotImplementedError("rnn_cell")


def run_rnn(cell_fn, inputs: torch.Tensor, h0: torch.Tensor) -> torch.Tensor:
    """Run a cell over a sequence, carrying the hidden state.

    cell_fn(x_t, h) -> new h, with x_t: (batch, input_size) and h: (batch,
    hidden_size). inputs: (seq_len, batch, input_size); h0: (batch, hidden_size).
    Returns the hidden state after every step, (seq_len, batch, hidden_size):
    row t is h_{t+1} = cell_fn(inputs[t], h_t).
    """
    raise NotImplementedError("run_rnn")


def lstm_cell(
    x: torch.Tensor,
    h: torch.Tensor,
    c: torch.Tensor,
    W_ih: torch.Tensor,
    W_hh: torch.Tensor,
    b_ih: torch.Tensor,
    b_hh: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One LSTM step, as ``nn.LSTMCell`` computes it.

    x: (batch, input_size); h, c: (batch, hidden_size); W_ih: (4 * hidden_size,
    input_size); W_hh: (4 * hidden_size, hidden_size); b_ih, b_hh:
    (4 * hidden_size,), the rows stacked in PyTorch's gate order i, f, g, o.
    Returns (h', c'), each (batch, hidden_size).
    """
    raise NotImplementedError("lstm_cell")


def gru_cell(
    x: torch.Tensor, h: torch.Tensor, W_ih: torch.Tensor, W_hh: torch.Tensor, b_ih: torch.Tensor, b_hh: torch.Tensor
) -> torch.Tensor:
    """One GRU step, as ``nn.GRUCell`` computes it.

    x: (batch, input_size); h: (batch, hidden_size); W_ih: (3 * hidden_size,
    input_size); W_hh: (3 * hidden_size, hidden_size); b_ih, b_hh:
    (3 * hidden_size,), the rows stacked in PyTorch's gate order r, z, n.
    Returns h' (batch, hidden_size).
    """
    raise NotImplementedError("gru_cell")


class HelloRNNCell(nn.Module):
    """The lecture's RNNCell model: one step per call, the hidden state is the
    output. Keep the cell in ``self.rnncell`` (an ``nn.RNNCell``).

    forward(x, hidden): x (batch_size, input_size) float, hidden
    (batch_size, hidden_size) -> the next hidden state (batch_size, hidden_size).
    """

    def __init__(self, input_size: int = 4, hidden_size: int = 4, batch_size: int = 1) -> None:
        super().__init__()
        raise NotImplementedError("HelloRNNCell.__init__")

    def forward(self, x: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("HelloRNNCell.forward")

    def init_hidden(self) -> torch.Tensor:
        """The hidden state before the first step: zeros (batch_size, hidden_size)."""
        raise NotImplementedError("HelloRNNCell.init_hidden")


class HelloRNN(nn.Module):
    """The lecture's ``nn.RNN`` model: the whole sequence in one call. Keep
    the RNN in ``self.rnn``.

    forward(x): x (seq_len, batch, input_size) float -> every step's output,
    reshaped to (seq_len * batch, hidden_size) for CrossEntropyLoss. The
    initial hidden state is zeros (num_layers, batch, hidden_size), with batch
    taken from x.
    """

    def __init__(self, input_size: int = 4, hidden_size: int = 4, num_layers: int = 1) -> None:
        super().__init__()
        raise NotImplementedError("HelloRNN.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("HelloRNN.forward")


class HelloEmbedding(nn.Module):
    """The lecture's Embedding model: ``self.emb`` (nn.Embedding vocab_size ->
    embedding_size), ``self.rnn`` (nn.RNN embedding_size -> hidden_size with
    num_layers layers and ``batch_first=True``), ``self.fc`` (nn.Linear
    hidden_size -> num_classes).

    forward(x): x (batch, seq_len) int64 character indices -> scores
    (batch * seq_len, num_classes), rows in the order of x.view(-1). The
    initial hidden state is zeros (num_layers, batch, hidden_size).
    """

    def __init__(
        self,
        vocab_size: int = 4,
        embedding_size: int = 10,
        hidden_size: int = 8,
        num_classes: int = 4,
        num_layers: int = 2,
    ) -> None:
        super().__init__()
        raise NotImplementedError("HelloEmbedding.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("HelloEmbedding.forward")


def hello_logits(model: nn.Module) -> torch.Tensor:
    """The scores each of the three models gives the 5 steps of "hello":
    (5, 4) float, row t for step t (batch of one sequence).

    HelloRNNCell: one-hot steps (5, 1, 4), start from ``init_hidden()``, one
    call per step, feeding each hidden state into the next call.
    HelloRNN: the one-hot sequence as (seq_len=5, batch=1, input_size=4).
    HelloEmbedding: the indices as (batch=1, seq_len=5).
    """
    raise NotImplementedError("hello_logits")


def train_hello(model: nn.Module, epochs: int = 15, lr: float = 0.1) -> str:
    """Train ``model`` (one of the three Hello models, in place) to map
    "hello" to "ohlol": each epoch, zero the gradients, CrossEntropyLoss of
    ``hello_logits(model)`` against OHLOL, backward, one Adam step (lr ``lr``).

    Returns what the trained model predicts for "hello": the arg-max
    character of each step, joined into a 5-letter string.
    """
    raise NotImplementedError("train_hello")
