"""training_loop adds the gradient (params + lr * grad): gradient ascent."""

CAUGHT_BY = [
    "test_training_loop_with_lr_1e_2_on_raw_t_u_blows_up_within_11_epochs",
    "test_training_loop_with_lr_1e_4_for_100_epochs_gives_0_2327_and_minus_0_0438",
    "test_training_loop_on_scaled_input_converges_to_5_3671_and_minus_17_3012",
]


def training_loop(n_epochs, learning_rate, params, t_u, t_c):
    for _ in range(n_epochs):
        w, b = params
        params = params + learning_rate * grad_fn(t_u, t_c, model(t_u, w, b), w, b)
    return params
