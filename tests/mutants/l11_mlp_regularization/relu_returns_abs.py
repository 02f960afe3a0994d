"""relu returns abs(x): negatives flip sign instead of becoming 0, in relu
and in the two MLPs that use it."""

CAUGHT_BY = [
    "test_relu_matches_torch_on_a_grid_with_zero_and_on_random_tensors",
    "test_relu_gradient_is_one_for_positive_and_zero_for_negative_inputs",
    "test_mlp_forward_computes_relu_of_x_w1_plus_b1_times_w2_plus_b2",
    "test_dropout_mlp_in_eval_mode_is_the_plain_mlp",
]


def relu(X):
    return X.abs()
