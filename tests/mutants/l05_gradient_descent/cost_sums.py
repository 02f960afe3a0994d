"""cost sums the squared errors instead of averaging them."""

CAUGHT_BY = [
    "test_cost_is_the_mean_squared_error_on_the_seed_data",
    "test_gradient_descent_records_the_cost_then_steps_against_the_gradient",
    "test_sgd_updates_w_after_every_sample",
]


def cost(xs, ys, w):
    return ((xs * w - ys) ** 2).sum()
