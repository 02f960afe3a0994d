"""gradient differentiates (y - x w)^2 but drops the inner minus sign: 2 x (y - x w)."""

CAUGHT_BY = [
    "test_gradient_matches_autograd",
    "test_gradient_descent_records_the_cost_then_steps_against_the_gradient",
    "test_gradient_descent_converges_to_w_2_on_the_seed_data",
    "test_gradient_descent_cost_falls_for_a_small_lr_and_blows_up_for_a_large_one",
]


def gradient(xs, ys, w):
    return (2 * xs * (ys - xs * w)).mean()
