"""autograd_training_loop never zeroes params.grad: gradients of all epochs pile up."""

import torch

CAUGHT_BY = [
    "test_autograd_training_loop_on_scaled_input_converges_to_the_books_params",
    "test_autograd_training_loop_zeroes_the_gradient_and_returns_a_trainable_leaf",
]


def autograd_training_loop(n_epochs, learning_rate, params, t_u, t_c):
    for _ in range(n_epochs):
        loss_fn(model(t_u, *params), t_c).backward()
        with torch.no_grad():
            params -= learning_rate * params.grad
    return params
