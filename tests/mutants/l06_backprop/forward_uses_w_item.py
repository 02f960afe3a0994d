"""forward multiplies by w.item(): a plain number, so autograd never sees w."""

CAUGHT_BY = [
    "test_forward_keeps_w_in_the_autograd_graph",
    "test_loss_gradient_is_2x_times_the_error",
    "test_one_training_step_moves_w_by_minus_lr_times_the_gradient",
    "test_training_zeroes_the_gradient_after_each_update",
    "test_training_learns_w_2_on_the_seed_data",
    "test_trained_parameters_are_leaves_that_still_require_grad",
]


def forward(x, w):
    return x * w.item()
