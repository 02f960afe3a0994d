"""max_pool2d_naive calls F.max_pool2d."""

CAUGHT_BY = ["test_max_pool2d_naive_matches_f_max_pool2d"]


def max_pool2d_naive(x, kernel):
    return F.max_pool2d(x, kernel)
