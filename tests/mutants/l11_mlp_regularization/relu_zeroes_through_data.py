"""relu zeroes the negatives through .data: the values are right, but
autograd sees the identity and the gradient is 1 everywhere."""

CAUGHT_BY = ["test_relu_gradient_is_one_for_positive_and_zero_for_negative_inputs"]


def relu(X):
    out = X.clone()
    out.data[out.data < 0] = 0
    return out
