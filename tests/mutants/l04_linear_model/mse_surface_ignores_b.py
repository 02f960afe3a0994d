"""mse_surface forgets the bias: y_hat = x * w."""

CAUGHT_BY = ["test_mse_surface_matches_the_formula_on_a_w_b_meshgrid", "test_mse_surface_keeps_the_shape_of_any_grid"]


def mse_surface(xs, ys, W, B):
    return ((W[..., None] * xs - ys) ** 2).mean(dim=-1)
