"""logsumexp as log(sum(exp(X))): inf for 1e4, -inf for -1e4."""

CAUGHT_BY = [
    "test_logsumexp_stays_finite_for_huge_and_very_negative_logits",
    "test_log_softmax_matches_torch_even_for_huge_logits",
    "test_cross_entropy_stays_finite_for_huge_logits",
]


def logsumexp(X, dim=-1):
    return X.exp().sum(dim=dim).log()
