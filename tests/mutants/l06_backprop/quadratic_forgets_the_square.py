"""quadratic_forward writes w1 * x where the homework has w1 * x^2."""

CAUGHT_BY = [
    "test_quadratic_forward_gradients_are_x_squared_x_and_1",
    "test_train_quadratic_takes_one_step_per_sample_and_zeroes_every_gradient",
    "test_train_quadratic_fits_the_seed_data",
]


def quadratic_forward(x, w1, w2, b):
    return w1 * x + w2 * x + b
