"""detached_grad keeps z = x**2 in the graph: the gradient gains 2x."""

CAUGHT_BY = ["test_detached_grad_gives_3_x_squared_only"]


def detached_grad(x):
    x = x.detach().clone().requires_grad_(True)
    z = x**2
    (z + x**3).sum().backward()
    return x.grad
