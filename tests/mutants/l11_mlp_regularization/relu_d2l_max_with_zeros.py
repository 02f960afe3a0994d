"""d2l's relu (d2l 4.2), verbatim: ``torch.max(X, a)`` with ``a`` zeros like X,
what the check's hint teaches (clamp is off limits). Correct code that must
pass (issue 21: the hint suggested X.clamp(min=0), which the check forbids)."""

import torch

CAUGHT_BY = []


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)
