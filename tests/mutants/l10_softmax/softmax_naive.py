"""softmax as exp / sum without subtracting the max: overflows to inf / inf = NaN."""

CAUGHT_BY = ["test_softmax_stays_finite_for_huge_logits"]


def softmax(X, dim=-1):
    E = X.exp()
    return E / E.sum(dim=dim, keepdim=True)
