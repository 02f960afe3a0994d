"""conv2d_naive slides the window one pixel at a time whatever the stride."""

CAUGHT_BY = [
    "test_conv2d_naive_gives_the_lecture_numbers_with_stride_2",
    "test_conv2d_naive_matches_f_conv2d_on_random_shapes",
    "test_conv2d_naive_gradients_match_f_conv2d",
]
_conv2d_naive = conv2d_naive


def conv2d_naive(x, weight, padding=0, stride=1):
    return _conv2d_naive(x, weight, padding=padding, stride=1)
