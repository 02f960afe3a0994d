"""loss takes the absolute error |y_hat - y| instead of its square."""

CAUGHT_BY = [
    "test_loss_is_the_squared_error_of_each_sample",
    "test_mse_over_w_on_the_seed_data_is_smallest_at_w_2",
    "test_mse_over_w_works_for_any_number_of_samples",
]


def loss(x, y, w):
    return (forward(x, w) - y).abs()
