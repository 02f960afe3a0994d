"""linreg returns X w and leaves out the bias."""

CAUGHT_BY = ["test_linreg_is_x_matmul_w_plus_b", "test_training_from_scratch_recovers_w_and_b_in_3_epochs"]


def linreg(X, w, b):
    return X @ w
