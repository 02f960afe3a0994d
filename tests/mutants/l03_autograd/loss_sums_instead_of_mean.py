"""loss_fn sums the squared errors instead of averaging them (11x the book's loss)."""

CAUGHT_BY = [
    "test_model_and_loss_give_the_books_initial_loss_1763_8848",
    "test_autograd_training_loop_on_scaled_input_converges_to_the_books_params",
    "test_autograd_training_loop_zeroes_the_gradient_and_returns_a_trainable_leaf",
]


def loss_fn(t_p, t_c):
    return ((t_p - t_c) ** 2).sum()
