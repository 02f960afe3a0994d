"""binary_cross_entropy sums over the batch instead of averaging."""

CAUGHT_BY = [
    "test_binary_cross_entropy_matches_torch",
    "test_binary_cross_entropy_stays_finite_at_p_0_and_1",
    "test_binary_cross_entropy_gradient_matches_torch",
]


def binary_cross_entropy(p, y):
    return -(y * p.log().clamp(min=-100) + (1 - y) * (1 - p).log().clamp(min=-100)).sum()
