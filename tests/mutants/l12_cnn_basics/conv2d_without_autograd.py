"""conv2d_naive computes under torch.no_grad(): right numbers, no gradient."""

CAUGHT_BY = ["test_conv2d_naive_gradients_match_f_conv2d"]
_conv2d_naive = conv2d_naive


def conv2d_naive(x, weight, padding=0, stride=1):
    with torch.no_grad():
        return _conv2d_naive(x, weight, padding=padding, stride=stride)
