"""mse_over_w averages over the wrong axis: over the candidates, not the samples."""

CAUGHT_BY = ["test_mse_over_w_on_the_seed_data_is_smallest_at_w_2", "test_mse_over_w_works_for_any_number_of_samples"]


def mse_over_w(xs, ys, ws):
    return loss(xs[None, :], ys[None, :], ws[:, None]).mean(dim=0)
