"""softmax divides by the sum over the whole tensor, not over each row."""

CAUGHT_BY = [
    "test_softmax_matches_torch_along_any_dim",
    "test_softmax_rows_are_positive_and_sum_to_one",
    "test_softmax_is_unchanged_by_adding_a_constant_to_a_row",
    "test_softmax_stays_finite_for_huge_logits",
]


def softmax(X, dim=-1):
    E = (X - X.max()).exp()
    return E / E.sum()
