"""conv2d_naive flips the kernel (the textbook convolution); PyTorch's
convolution, and the lecture's, is a cross-correlation."""

CAUGHT_BY = [
    "test_conv2d_naive_gives_the_lecture_numbers_with_padding_1",
    "test_conv2d_naive_gives_the_lecture_numbers_with_stride_2",
    "test_conv2d_naive_matches_f_conv2d_on_random_shapes",
    "test_conv2d_naive_gradients_match_f_conv2d",
]
_conv2d_naive = conv2d_naive


def conv2d_naive(x, weight, padding=0, stride=1):
    return _conv2d_naive(x, weight.flip(-1, -2), padding=padding, stride=stride)
