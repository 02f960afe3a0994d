"""nonscalar_backward calls y.sum().backward(): the weights v are ignored."""

CAUGHT_BY = ["test_nonscalar_backward_gives_2_x_times_v"]


def nonscalar_backward(x, v):
    x = x.detach().clone().requires_grad_(True)
    (x**2).sum().backward()
    return x.grad
