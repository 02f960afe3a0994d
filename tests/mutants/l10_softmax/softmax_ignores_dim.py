"""softmax always normalises the last dimension, whatever `dim` says."""

CAUGHT_BY = ["test_softmax_matches_torch_along_any_dim"]


def softmax(X, dim=-1):
    Z = X - X.max(dim=-1, keepdim=True).values
    return Z.exp() / Z.exp().sum(dim=-1, keepdim=True)
