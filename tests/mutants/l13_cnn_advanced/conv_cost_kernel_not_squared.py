"""conv_cost counts the kernel once (k) instead of k * k."""

CAUGHT_BY = ["test_conv_cost_counts_multiply_accumulates"]


def conv_cost(in_channels, out_channels, kernel, height, width):
    return kernel * height * width * in_channels * out_channels
