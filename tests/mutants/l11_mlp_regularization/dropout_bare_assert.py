"""d2l's dropout_layer (d2l 4.6) with its bare ``assert 0 <= dropout <= 1``
verbatim: it refuses a rate outside [0, 1] with an AssertionError that does
not name the value. Correct code that must pass (issue 21): refusing the
value loudly is what matters. The mask is made on X's device and in X's
dtype, as the lesson asks; d2l's ``torch.rand(X.shape) ... .float()`` is
dropout_float_mask and dropout_mask_on_the_cpu."""

import torch

CAUGHT_BY = []


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    # In this case, all elements are dropped out
    if dropout == 1:
        return torch.zeros_like(X)
    # In this case, all elements are kept
    if dropout == 0:
        return X
    mask = (torch.rand_like(X) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
