"""l2_penalty forgets the 1/2: the value and the gradient (2w) are twice too large."""

CAUGHT_BY = ["test_l2_penalty_is_half_the_sum_of_squares", "test_l2_penalty_gradient_is_w"]


def l2_penalty(w):
    return (w**2).sum()
