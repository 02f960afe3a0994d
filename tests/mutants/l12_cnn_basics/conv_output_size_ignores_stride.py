"""conv_output_size forgets to divide by the stride (conv2d_naive, which uses
it, then computes a stride-1 sized output)."""

CAUGHT_BY = [
    "test_conv_output_size_matches_real_conv_layers",
    "test_conv2d_naive_gives_the_lecture_numbers_with_stride_2",
    "test_conv2d_naive_matches_f_conv2d_on_random_shapes",
    "test_conv2d_naive_gradients_match_f_conv2d",
]


def conv_output_size(size, kernel, padding=0, stride=1):
    return size + 2 * padding - kernel + 1
