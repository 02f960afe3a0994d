"""mlp_forward forgets the ReLU: two affine layers collapse into one."""

CAUGHT_BY = ["test_mlp_forward_computes_relu_of_x_w1_plus_b1_times_w2_plus_b2"]


def mlp_forward(X, params):
    W1, b1, W2, b2 = params
    X = X.reshape(-1, W1.shape[0])
    return (X @ W1 + b1) @ W2 + b2
