"""mse_over_w sums the squared errors and forgets to divide by N."""

CAUGHT_BY = ["test_mse_over_w_on_the_seed_data_is_smallest_at_w_2", "test_mse_over_w_works_for_any_number_of_samples"]


def mse_over_w(xs, ys, ws):
    return loss(xs[None, :], ys[None, :], ws[:, None]).sum(dim=1)
