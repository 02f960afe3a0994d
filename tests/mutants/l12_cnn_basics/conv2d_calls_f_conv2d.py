"""conv2d_naive calls F.conv2d instead of computing the convolution."""

CAUGHT_BY = ["test_conv2d_naive_matches_f_conv2d_on_random_shapes"]


def conv2d_naive(x, weight, padding=0, stride=1):
    return F.conv2d(x, weight, padding=padding, stride=stride)
