"""model returns w * t_u and forgets + b (invisible at the book's b = 0)."""

CAUGHT_BY = [
    "test_model_and_loss_give_the_books_initial_loss_1763_8848",
    "test_autograd_training_loop_on_scaled_input_converges_to_the_books_params",
    "test_autograd_training_loop_zeroes_the_gradient_and_returns_a_trainable_leaf",
    "test_training_loop_with_lr_1e_2_on_raw_t_u_blows_up_within_11_epochs",
    "test_training_loop_with_lr_1e_4_for_100_epochs_gives_0_2327_and_minus_0_0438",
    "test_training_loop_on_scaled_input_converges_to_5_3671_and_minus_17_3012",
]


def model(t_u, w, b):
    return w * t_u
