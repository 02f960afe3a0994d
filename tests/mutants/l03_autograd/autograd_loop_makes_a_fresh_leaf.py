"""Correct code that must pass (CAUGHT_BY is empty): the book's idiom builds
each new params as a fresh leaf, ``(params - lr * params.grad).detach().requires_grad_()``,
instead of updating the given tensor in place, so the returned params is not
the tensor it was given (issue 21)."""

CAUGHT_BY = []


def autograd_training_loop(n_epochs, learning_rate, params, t_u, t_c):
    for _epoch in range(1, n_epochs + 1):
        if params.grad is not None:
            params.grad.zero_()
        t_p = model(t_u, *params)
        loss = loss_fn(t_p, t_c)
        loss.backward()
        params = (params - learning_rate * params.grad).detach().requires_grad_()
    return params
