"""loss takes the absolute error |x w - y| instead of its square."""

CAUGHT_BY = [
    "test_loss_gradient_is_2x_times_the_error",
    "test_one_training_step_moves_w_by_minus_lr_times_the_gradient",
    "test_training_zeroes_the_gradient_after_each_update",
    "test_training_learns_w_2_on_the_seed_data",
]


def loss(x, y, w):
    return (forward(x, w) - y).abs()
