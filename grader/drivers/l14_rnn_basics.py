"""Runs inside the sandbox: exercises the student's lesson-14 code where a
plain call cannot (a cell function as an argument, gradients of a tuple,
training with restarts).

Each function returns plain data; the trusted suite judges it.
"""

from __future__ import annotations

import torch

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


def hello_logits_of(student, *, model: str, seed: int) -> dict:
    """The student's ``hello_logits`` of a fresh ``student.<model>()``
    (``got``) and the scores computed here from the model's documented
    interface (``expected``)."""
    torch.manual_seed(seed)
    with students_turn(), torch.no_grad():
        net = getattr(student, model)()
        return {"got": student.hello_logits(net), "expected": _hello_scores(net, model)}


def train_hello_briefly(student, *, model: str, seed: int, epochs: int, lr: float) -> dict:
    """A few epochs of the student's ``train_hello`` on a fresh
    ``student.<model>()``: what it returned (``returned``), what the trained
    model predicts (``predicted``), and the cross-entropy of its scores against
    "ohlol" before and after (``loss_before``, ``loss_after``), computed here."""
    torch.manual_seed(seed)
    target = torch.tensor(OHLOL)
    with students_turn():
        net = getattr(student, model)()
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
