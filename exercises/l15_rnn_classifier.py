"""Lesson 15 · RNN classifier: which country does a name come from? (Liu Er lecture 13)

The course's data: names_train.csv.gz (13,374 rows) and names_test.csv.gz
(6,700 rows), each row `"name","country"` with 18 countries. Read them with
`gzip.open(path, "rt")` and the `csv` module: a few names contain a comma,
which only a real CSV reader keeps inside the quotes.

Characters become their ASCII codes (0-127), and an Embedding turns each code
into a dense vector. Names have different lengths, so a batch is padded with
zeros to the longest name: a (batch, max_len) int64 tensor. Padding must not
change the answer, and that is what packing is for: sort the batch by length,
longest first, and `pack_padded_sequence(embedded, lengths)` lets the GRU run
each name for exactly its own length, so its final hidden state is the state
after the name's last real character, whatever the padding.

The model (RNN 分类器): Embedding(128, hidden_size) -> GRU(hidden_size,
hidden_size, n_layers, bidirectional) -> Linear. A bidirectional (双向) GRU
reads the name forwards and backwards; its final hidden state has
n_layers * 2 slices, and the last two, hidden[-1] and hidden[-2], are the
last layer's two directions. Concatenated, they give hidden_size * 2
features, which is why the Linear layer takes hidden_size * n_directions
inputs. The classifier uses the final hidden state, never the padded output.

The grader trains your RNNClassifier with your train_classifier and checks
its accuracy on names_test (the lecture's model reaches about 0.83-0.84).
"""

import csv
import gzip

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

N_CHARS = 128  # ASCII


class NameDataset(torch.utils.data.Dataset):
    """The names of one course file (``names_train.csv.gz`` or ``names_test.csv.gz``).

    Attributes: ``names`` and ``countries`` (lists of str, in file order),
    ``country_list`` (the distinct countries, sorted). ``dataset[i]`` is
    ``(name, country_id)`` with country_id the position of the i-th country
    in ``country_list``; ``len(dataset)`` is the number of rows.
    """

    def __init__(self, path: str) -> None:
        raise NotImplementedError("NameDataset.__init__")

    def __len__(self) -> int:
        raise NotImplementedError("NameDataset.__len__")

    def __getitem__(self, index: int) -> tuple[str, int]:
        raise NotImplementedError("NameDataset.__getitem__")

    def get_country_id(self, country: str) -> int:
        """The position of ``country`` in ``country_list``."""
        raise NotImplementedError("NameDataset.get_country_id")

    def get_country(self, country_id: int) -> str:
        """The country at position ``country_id`` of ``country_list``."""
        raise NotImplementedError("NameDataset.get_country")


def name_to_indices(name: str) -> list[int]:
    """The ASCII code of each character of ``name``: "Abe" -> [65, 98, 101]."""
    raise NotImplementedError("name_to_indices")


def make_batch(names, countries) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A padded batch, sorted by length for ``pack_padded_sequence``.

    names: sequence of B str; countries: B country ids (list or (B,) tensor).
    Returns (padded, lengths, targets), all int64: ``padded`` (B, max_len),
    row r holding the ASCII codes of the r-th longest name followed by zeros;
    ``lengths`` (B,), the name lengths in descending order; ``targets`` (B,),
    the country ids reordered the same way. Names of equal length keep their
    original order: sort with ``lengths.sort(descending=True, stable=True)``
    (torch's default sort is not stable on the CPU beyond 16 elements; a
    stable sort also makes batches reproducible).
    """
    raise NotImplementedError("make_batch")


class RNNClassifier(nn.Module):
    """Name -> country scores. Layers (the grader reads their weights):
    ``embedding`` nn.Embedding(input_size, hidden_size), ``gru``
    nn.GRU(hidden_size, hidden_size, n_layers, bidirectional=bidirectional)
    (sequence first, the default), ``fc`` nn.Linear(hidden_size * n_directions,
    output_size).

    forward(padded, lengths): padded (B, max_len) int64, lengths (B,) int64
    in descending order (as ``make_batch`` returns them) -> (B, output_size)
    scores. Starts from a zero hidden state, packs the embedded batch with
    ``pack_padded_sequence`` and feeds ``fc`` the final hidden state:
    cat([hidden[-1], hidden[-2]], dim=1) when bidirectional, hidden[-1] otherwise.
    """

    def __init__(
        self, input_size: int, hidden_size: int, output_size: int, n_layers: int = 1, bidirectional: bool = True
    ) -> None:
        super().__init__()
        raise NotImplementedError("RNNClassifier.__init__")

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("RNNClassifier.forward")


def train_classifier(
    model: nn.Module, dataset, *, epochs: int, batch_size: int, lr: float, generator: torch.Generator | None = None
) -> list[float]:
    """Train ``model`` in place on ``dataset`` (a NameDataset) with Adam and
    CrossEntropyLoss: each epoch, shuffled mini-batches of ``batch_size``
    (``DataLoader(dataset, batch_size, shuffle=True, generator=generator)``),
    each made with ``make_batch`` and taken through zero_grad, forward,
    loss, backward and step.

    Returns the mean batch loss of each epoch (a list of ``epochs`` floats).
    """
    raise NotImplementedError("train_classifier")


def evaluate(model: nn.Module, dataset, batch_size: int = 1024) -> float:
    """Accuracy of ``model`` on every name of ``dataset``, in eval mode
    (``model.eval()``: the model may hold dropout, lesson 11, which drops
    inputs at random in train mode) and without gradients (batches made with
    ``make_batch``). A Python float: the correct predictions over len(dataset)."""
    raise NotImplementedError("evaluate")


def predict_country(model: nn.Module, name: str, country_list: list[str]) -> str:
    """The country ``model`` gives the highest score for ``name``, as a name
    from ``country_list`` (eval mode, no gradients)."""
    raise NotImplementedError("predict_country")
