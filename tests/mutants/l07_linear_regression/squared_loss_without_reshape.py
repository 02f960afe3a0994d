"""squared_loss as some copies of d2l write it, without the reshape: a (n,)
y against a (n, 1) y_hat broadcasts to (n, n). The message says so."""

CAUGHT_BY = ["test_squared_loss_is_half_the_squared_error_of_each_sample"]
MESSAGE_HOLDS = ["broadcasts to (3, 3)"]  # the failure message names what is wrong


def squared_loss(y_hat, y):
    return (y_hat - y) ** 2 / 2
