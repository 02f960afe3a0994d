"""Runs inside the sandbox: reads, trains and evaluates with the student's
lesson-15 code.

Each function returns plain data; the trusted suite compares it with what it
computes itself from the course files.
"""

from __future__ import annotations

import torch
from torch import nn

from grader.drivers.common import students_turn

N_CHARS = 128


def dataset_summary(student, *, path: str) -> dict:
    """What the student's ``NameDataset(path)`` holds, as plain data."""
    with students_turn():
        dataset = student.NameDataset(path)
        country_list = list(dataset.country_list)
        return {
            "length": len(dataset),
            "names": list(dataset.names),
            "items": [tuple(dataset[i]) for i in range(len(dataset))],
            "country_list": country_list,
            "ids": [dataset.get_country_id(country) for country in country_list],
            "countries_by_id": [dataset.get_country(i) for i in range(len(country_list))],
        }


class RuleModel(nn.Module):
    """A fixed classifier for checking evaluate and predict_country: it
    scores country (first character + length) % 18 with 1 and every other
    with 0, behind a dropout layer that only eval() mode switches off.
    ``train_mode_calls`` counts the forward calls made in train mode: it
    only names the likely mistake in a failure message (the verdicts
    compare what the student's code returned)."""

    def __init__(self, classes: int = 18) -> None:
        super().__init__()
        self.classes = classes
        self.dropout = nn.Dropout(0.5)
        self.train_mode_calls = 0

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        self.train_mode_calls += int(self.training)
        chosen = (padded[:, 0] + lengths.to(padded.device)) % self.classes
        return self.dropout(nn.functional.one_hot(chosen, self.classes).float())


def evaluate_rule_model(student, *, path: str, batch_size: int) -> dict:
    """The student's ``evaluate`` of a ``RuleModel`` (in train mode) on
    ``NameDataset(path)``: what it returned (``accuracy``) and the model's
    ``train_mode_calls``."""
    model = RuleModel().train()
    with students_turn():
        accuracy = student.evaluate(model, student.NameDataset(path), batch_size)
    return {"accuracy": accuracy, "train_mode_calls": model.train_mode_calls}


def predict_with_rule_model(student, *, names: list[str], country_list: list[str]) -> dict:
    """The student's ``predict_country`` of a ``RuleModel`` (in train mode)
    for each name (``countries``) and the model's ``train_mode_calls``."""
    model = RuleModel(len(country_list)).train()
    with students_turn():
        countries = [student.predict_country(model, name, country_list) for name in names]
    return {"countries": countries, "train_mode_calls": model.train_mode_calls}


class RecordingClassifier(nn.Module):
    """A small classifier for checking train_classifier (no GRU: the mean of
    each name's character embeddings, then a linear layer). In train mode each
    forward call records the mean cross-entropy of its scores against each
    row's length % ``classes`` (the country every name of the check's data
    has) and whether the weights moved since the previous call."""

    def __init__(self, classes: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(N_CHARS, 8)
        self.fc = nn.Linear(8, classes)
        self.losses: list[float] = []
        self.moved: list[bool] = []
        self._last: torch.Tensor | None = None

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        lengths = lengths.to(padded.device)
        mask = (torch.arange(padded.size(1), device=padded.device)[None, :] < lengths[:, None]).float()
        features = (self.embedding(padded) * mask[..., None]).sum(dim=1) / lengths[:, None].float()
        scores = self.fc(features)
        if self.training:
            weights = torch.cat([p.detach().flatten() for p in self.parameters()])
            self.moved.append(self._last is not None and not torch.equal(weights, self._last))
            self._last = weights.clone()
            with torch.no_grad():
                targets = lengths % self.fc.out_features
                self.losses.append(nn.functional.cross_entropy(scores, targets).item())
        return scores


def train_recording_classifier(
    student, *, names: list[str], classes: int, epochs: int, batch_size: int, lr: float, seed: int
) -> dict:
    """The student's ``train_classifier`` of a ``RecordingClassifier`` on
    ``names`` (a list of (name, len(name) % classes) pairs as the dataset):
    what it returned (``returned``), and what the model recorded (``losses``,
    ``moved``: one entry per forward call in train mode)."""
    torch.manual_seed(seed)
    model = RecordingClassifier(classes)
    dataset = [(name, len(name) % classes) for name in names]
    with students_turn():
        returned = student.train_classifier(
            model, dataset, epochs=epochs, batch_size=batch_size, lr=lr, generator=torch.Generator().manual_seed(seed)
        )
        returned = [float(x) for x in returned] if isinstance(returned, (list, tuple)) else repr(returned)[:60]
    return {"returned": returned, "losses": model.losses, "moved": model.moved}


def _predict(model: nn.Module, names: list[str], batch_size: int = 1024) -> list[int]:
    """Arg-max class of ``model`` for each name, in the order of ``names``;
    batches sorted by length here (not with the student's make_batch)."""
    order = sorted(range(len(names)), key=lambda i: -len(names[i]))
    predictions = [0] * len(names)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            lengths = torch.tensor([len(names[i]) for i in chunk])
            padded = torch.zeros(len(chunk), int(lengths[0]), dtype=torch.long)
            for row, i in enumerate(chunk):
                padded[row, : len(names[i])] = torch.tensor([ord(c) for c in names[i]])
            for i, p in zip(chunk, model(padded, lengths).argmax(dim=1).tolist()):
                predictions[i] = p
    return predictions


def train_and_predict(
    student,
    *,
    train_path: str,
    names: list[str],
    hidden_size: int,
    n_layers: int,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
) -> dict:
    """Train the student's bidirectional ``RNNClassifier`` with the student's
    ``train_classifier`` on ``NameDataset(train_path)``; return the country it
    predicts for each of ``names`` (the test file's names: the grader keeps
    their countries), in order (``countries``), and the losses
    ``train_classifier`` returned.

    Runs on one CPU thread: a packed GRU is thousands of small operations,
    which a second thread speeds up only a little on an idle 2-core machine
    (single-thread CPU time ~15 s against ~12 s of 2-thread wall time) but
    slows down several times when another process holds a core (measured at a
    load of 4-5: 180 s with two threads, 35 s with one).
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with students_turn():
        try:
            train = student.NameDataset(train_path)
            country_list = list(train.country_list)
            model = student.RNNClassifier(N_CHARS, hidden_size, len(country_list), n_layers, True)
            generator = torch.Generator().manual_seed(seed)
            losses = student.train_classifier(
                model, train, epochs=epochs, batch_size=batch_size, lr=lr, generator=generator
            )
            predictions = _predict(model, names)
        finally:
            torch.set_num_threads(threads)
        return {
            "countries": [country_list[p] if 0 <= p < len(country_list) else "?" for p in predictions],
            "losses": [float(x) for x in losses],
        }
