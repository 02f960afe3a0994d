"""Runs inside the sandbox: exercises the student's lesson-14 code where a
plain call cannot (a cell function as an argument, gradients of a tuple,
training with restarts).

Each function returns plain data; the trusted suite judges it.
"""

from __future__ import annotations

import torch
from torch import nn

from grader.drivers.common import students_turn

IDX2CHAR = ["e", "h", "l", "o"]
HELLO = [1, 0, 2, 2, 3]
OHLOL = [3, 1, 2, 3, 2]


def run_rnn_with_tanh_cell(student, inputs, h0, W_ih, W_hh, b_ih, b_hh) -> torch.Tensor:
    """The student's ``run_rnn`` driving a tanh cell written here, so that
    the check does not depend on the student's ``rnn_cell``."""

    def cell(x, h):
        return torch.rnn_tanh_cell(x, h, W_ih, W_hh, b_ih, b_hh)  # torch's own cell: not the student's answer

    with students_turn():
        return student.run_rnn(cell, inputs, h0)


def cell_gradients(student, *, cell: str, args: list, grad_outputs: list) -> list:
    """Gradients of sum(output * grad_output) of ``student.<cell>(*args)``
    (all outputs, h' and c' for an LSTM) with respect to each argument;
    None for an argument the output does not depend on."""
    args = [a.detach().requires_grad_() for a in args]
    with students_turn():
        out = getattr(student, cell)(*args)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        if not all(isinstance(o, torch.Tensor) and o.requires_grad for o in outs):
            raise RuntimeError(
                f"the result of {cell} does not depend on its inputs through autograd "
                "(was .detach(), .item() or .data used?)"
            )
        return list(torch.autograd.grad(outs, args, grad_outputs[: len(outs)], allow_unused=True))


def _hello_scores(net, model: str) -> torch.Tensor:
    """(5, 4) scores of ``net`` for "hello", computed here from the model's
    documented interface (not with the student's ``hello_logits``)."""
    x = torch.tensor(HELLO)
    one_hot = torch.eye(len(IDX2CHAR))[x]
    if model == "HelloRNNCell":
        hidden = net.init_hidden()
        steps = []
        for t in range(len(HELLO)):
            hidden = net(one_hot[t : t + 1], hidden)
            steps.append(hidden)
        return torch.cat(steps)
    if model == "HelloRNN":
        return net(one_hot.view(-1, 1, len(IDX2CHAR)))
    return net(x.view(1, -1))


def _probe(student, model: str) -> nn.Module:
    """An instance of the student's ``<model>`` class (``hello_logits`` tells
    the models apart with ``isinstance``) whose ``forward`` and ``init_hidden``
    are replaced by a small fixed network of the documented interface, so that
    checks of ``hello_logits`` and ``train_hello`` do not depend on the
    student's models being right, and a model that returns constants cannot
    make a constant ``hello_logits`` look right."""
    cls = getattr(student, model)

    class Probe(cls):
        def __init__(self) -> None:
            try:  # attributes the student's code may read (sizes); the probe's own layers do the work
                cls.__init__(self)
            except NotImplementedError:  # a model not written yet: hello_logits can still be checked
                nn.Module.__init__(self)
            generator_state = torch.random.get_rng_state()
            torch.manual_seed(14)
            self.probe_cell = nn.RNNCell(4, 4)
            self.probe_rnn = nn.RNN(4, 4)
            self.probe_embedding = nn.Embedding(4, 4)
            self.probe_rnn_batch_first = nn.RNN(4, 4, batch_first=True)
            torch.random.set_rng_state(generator_state)

        def init_hidden(self) -> torch.Tensor:
            return torch.zeros(1, 4)

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            if model == "HelloRNNCell":
                return self.probe_cell(*args)
            if model == "HelloRNN":
                return self.probe_rnn(args[0])[0].reshape(-1, 4)
            return self.probe_rnn_batch_first(self.probe_embedding(args[0]))[0].reshape(-1, 4)

    return Probe()


def hello_logits_of(student, *, model: str) -> dict:
    """The student's ``hello_logits`` of a probe ``<model>`` (``got``) and the
    probe's scores computed here from the documented interface (``expected``)."""
    with students_turn(), torch.no_grad():
        net = _probe(student, model)
        return {"got": student.hello_logits(net), "expected": _hello_scores(net, model)}


def train_hello_briefly(student, *, model: str, epochs: int, lr: float) -> dict:
    """A few epochs of the student's ``train_hello`` on a probe ``<model>``:
    what it returned (``returned``), what the trained probe predicts
    (``predicted``), and the cross-entropy of its scores against "ohlol" before
    and after (``loss_before``, ``loss_after``), computed here."""
    target = torch.tensor(OHLOL)
    with students_turn():
        net = _probe(student, model)
        with torch.no_grad():
            before = torch.nn.functional.cross_entropy(_hello_scores(net, model), target).item()
        returned = student.train_hello(net, epochs=epochs, lr=lr)
        with torch.no_grad():
            scores = _hello_scores(net, model)
        return {
            "returned": returned if isinstance(returned, str) else repr(returned)[:40],
            "predicted": "".join(IDX2CHAR[i] for i in scores.argmax(dim=1).tolist()),
            "loss_before": before,
            "loss_after": torch.nn.functional.cross_entropy(scores, target).item(),
        }


def train_hello_with_restarts(student, *, model: str, seeds: list[int], epochs: int, lr: float) -> list[dict]:
    """Train ``student.<model>()`` with the student's ``train_hello``, once
    per seed in ``seeds`` (fresh weights each time), stopping at the first
    run that maps "hello" to "ohlol".

    Returns one dict per run: ``seed``, ``returned`` (what ``train_hello``
    returned) and ``predicted`` (what the trained model predicts, computed here).
    """
    attempts = []
    with students_turn():
        for seed in seeds:
            torch.manual_seed(seed)
            net = getattr(student, model)()
            returned = student.train_hello(net, epochs=epochs, lr=lr)
            with torch.no_grad():
                scores = _hello_scores(net, model)
            predicted = "".join(IDX2CHAR[i] for i in scores.argmax(dim=1).tolist())
            attempts.append(
                {
                    "seed": seed,
                    "returned": returned if isinstance(returned, str) else repr(returned)[:40],
                    "predicted": predicted,
                }
            )
            if returned == predicted == "ohlol":
                break
        return attempts
