"""gradient drops the factor 2 of d/dw (x w - y)^2: half-size steps."""

CAUGHT_BY = [
    "test_gradient_matches_autograd",
    "test_gradient_descent_records_the_cost_then_steps_against_the_gradient",
    "test_gradient_descent_converges_to_w_2_on_the_seed_data",
    "test_gradient_descent_cost_falls_for_a_small_lr_and_blows_up_for_a_large_one",
]


def gradient(xs, ys, w):
    return (xs * (xs * w - ys)).mean()
