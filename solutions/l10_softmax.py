"""Lesson 10 · Softmax classifier 多分类问题 (Liu Er lecture 9; d2l 3.6).

A classifier outputs one score (logit) per class. Softmax turns a row of
logits z into probabilities: softmax(z)_i = exp(z_i) / sum_j exp(z_j).

Taken literally, exp overflows: exp(1000) is inf in float32 and float64, and
inf / inf is NaN. Softmax does not change when a constant is added to every
logit, so subtract the row maximum first: the largest exponent becomes
exp(0) = 1 and nothing overflows. The same trick gives a stable LogSumExp
(LogSumExp 解决溢出):

    logsumexp(z) = m + log(sum_j exp(z_j - m)),   m = max_j z_j

and with it log_softmax(z) = z - logsumexp(z) and the cross-entropy loss of
the true class y: -log_softmax(z)_y = logsumexp(z) - z_y.

Then you build Liu Er's MLP for MNIST (784-512-256-128-64-10 with ReLU) and
write the two halves of the training recipe: one epoch of
forward -> loss -> backward -> step, and evaluation. The grader trains your
`Net` with your `train_epoch` and checks its test accuracy.

Write softmax, logsumexp, log_softmax and cross_entropy with basic tensor
operations (exp, log, max, sum, indexing): calling torch.softmax,
torch.logsumexp, F.log_softmax or F.cross_entropy there is off limits.
"""

import torch
from torch import nn


def softmax(X: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Softmax of X along ``dim``, finite for any finite input.

    X: any shape, float. Returns a tensor of X's shape whose slices along
    ``dim`` are positive and sum to 1.
    """
    # BEGIN SOLUTION
    Z = X - X.max(dim=dim, keepdim=True).values
    E = Z.exp()
    return E / E.sum(dim=dim, keepdim=True)
    # END SOLUTION


def logsumexp(X: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(sum(exp(X))) along ``dim`` without overflow or underflow.

    X: any shape, float. Returns X's shape with ``dim`` removed.
    """
    # BEGIN SOLUTION
    m = X.max(dim=dim, keepdim=True).values
    return (m + (X - m).exp().sum(dim=dim, keepdim=True).log()).squeeze(dim)
    # END SOLUTION


def log_softmax(X: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """log(softmax(X)) along ``dim``, finite for any finite input.

    X: any shape, float. Returns a tensor of X's shape.
    """
    # BEGIN SOLUTION
    return X - logsumexp(X, dim).unsqueeze(dim)
    # END SOLUTION


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy loss of a batch.

    logits: (N, C) float; y: (N,) int64 class indices in [0, C).
    Returns a 0-dim float tensor: mean over the batch of -log softmax(logits)[i, y[i]].
    """
    # BEGIN SOLUTION
    picked = log_softmax(logits, dim=1)[torch.arange(len(y)), y]
    return -picked.mean()
    # END SOLUTION


def accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of rows whose largest logit is at the true class.

    logits: (N, C) float; y: (N,) int64. Returns a Python float in [0, 1].
    """
    # BEGIN SOLUTION
    return (logits.argmax(dim=1) == y).float().mean().item()
    # END SOLUTION


class Net(nn.Module):
    """Liu Er's MNIST classifier: 784-512-256-128-64-10, ReLU between layers.

    Input: (N, 1, 28, 28) float images; output: (N, 10) logits (no softmax:
    the loss applies it). Flatten with ``x.view(-1, 784)``.
    """

    def __init__(self) -> None:
        super().__init__()
        # BEGIN SOLUTION
        self.l1 = nn.Linear(784, 512)
        self.l2 = nn.Linear(512, 256)
        self.l3 = nn.Linear(256, 128)
        self.l4 = nn.Linear(128, 64)
        self.l5 = nn.Linear(64, 10)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # BEGIN SOLUTION
        x = x.view(-1, 784)
        x = torch.relu(self.l1(x))
        x = torch.relu(self.l2(x))
        x = torch.relu(self.l3(x))
        x = torch.relu(self.l4(x))
        return self.l5(x)
        # END SOLUTION


def train_epoch(model: nn.Module, batches, optimizer: torch.optim.Optimizer) -> float:
    """One pass over ``batches``, an iterable of (X, y) with X: (B, 1, 28, 28)
    float and y: (B,) int64. For each batch: zero the gradients, forward,
    cross-entropy loss (``nn.CrossEntropyLoss`` is fine here), backward, step.

    Returns the epoch's mean loss as a Python float: the mean of the batch
    losses (as here), or the mean over samples as d2l computes it; both pass.
    """
    # BEGIN SOLUTION
    model.train()
    criterion = nn.CrossEntropyLoss()
    losses = []
    for X, y in batches:
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
    # END SOLUTION


def evaluate(model: nn.Module, batches) -> float:
    """Accuracy of ``model`` over all samples of ``batches`` (batches may
    differ in size), without tracking gradients (``torch.no_grad()``): count
    the correct predictions and divide by the number of samples.

    Returns a Python float in [0, 1].

    Liu Er's notes evaluate in training mode, and here that is right: this
    ``Net`` has no dropout or batch norm, so ``model.eval()`` changes nothing.
    Lesson 11 adds dropout, which behaves differently in training and in
    evaluation; from there on evaluation needs ``model.eval()``.
    """
    # BEGIN SOLUTION
    correct = total = 0
    with torch.no_grad():
        for X, y in batches:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total
    # END SOLUTION
