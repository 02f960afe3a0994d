"""squared_loss forgets to halve the squared error."""

CAUGHT_BY = ["test_squared_loss_is_half_the_squared_error_of_each_sample"]


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2
