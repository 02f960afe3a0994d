"""mse_surface sums the lecture's way and divides by 3, the seed data's sample
count: right on the 3 seed samples, wrong for any other number. The failure
must blame the mean (divisor 3 for 6 samples), not the grid (issue 21)."""

CAUGHT_BY = ["test_mse_surface_keeps_the_shape_of_any_grid"]
MESSAGE_HOLDS = ["the mean should divide by the number of samples"]  # the failure message names what is wrong


def mse_surface(xs, ys, W, B):
    l_sum = 0
    for x_val, y_val in zip(xs, ys):
        y_pred_val = x_val * W + B
        l_sum += (y_pred_val - y_val) ** 2
    return l_sum / 3
