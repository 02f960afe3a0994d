"""forward adds the weight instead of multiplying: y_hat = x + w."""

CAUGHT_BY = [
    "test_forward_multiplies_x_by_w",
    "test_loss_is_the_squared_error_of_each_sample",
    "test_mse_over_w_on_the_seed_data_is_smallest_at_w_2",
    "test_mse_over_w_works_for_any_number_of_samples",
]


def forward(x, w):
    return x + w
