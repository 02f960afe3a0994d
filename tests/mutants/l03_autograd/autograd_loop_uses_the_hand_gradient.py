"""autograd_training_loop reuses the hand-written training_loop: right numbers, no autograd."""

CAUGHT_BY = ["test_autograd_training_loop_zeroes_the_gradient_and_returns_a_trainable_leaf"]


def autograd_training_loop(n_epochs, learning_rate, params, t_u, t_c):
    return training_loop(n_epochs, learning_rate, params.detach(), t_u, t_c)
