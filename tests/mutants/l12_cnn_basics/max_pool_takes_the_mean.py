"""max_pool2d_naive averages each window instead of taking its maximum."""

CAUGHT_BY = [
    "test_max_pool2d_naive_gives_the_lecture_numbers",
    "test_max_pool2d_naive_matches_f_max_pool2d",
]


def max_pool2d_naive(x, kernel):
    n, c, h, w = x.shape
    h_out, w_out = h // kernel, w // kernel
    x = x[:, :, : h_out * kernel, : w_out * kernel]
    return x.reshape(n, c, h_out, kernel, w_out, kernel).mean(dim=(3, 5))
