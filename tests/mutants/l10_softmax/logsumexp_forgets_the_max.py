"""logsumexp subtracts the max but never adds it back."""

CAUGHT_BY = [
    "test_logsumexp_matches_torch_along_any_dim",
    "test_logsumexp_stays_finite_for_huge_and_very_negative_logits",
    "test_log_softmax_matches_torch_even_for_huge_logits",
    "test_cross_entropy_matches_torch_mean_over_the_batch",
    "test_cross_entropy_stays_finite_for_huge_logits",
    "test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n",
]


def logsumexp(X, dim=-1):
    m = X.max(dim=dim, keepdim=True).values
    return (X - m).exp().sum(dim=dim).log()
