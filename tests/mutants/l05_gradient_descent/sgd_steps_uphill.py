"""stochastic_gradient_descent adds each sample's gradient instead of subtracting it."""

CAUGHT_BY = ["test_sgd_updates_w_after_every_sample", "test_sgd_converges_to_w_2_on_the_seed_data"]


def stochastic_gradient_descent(xs, ys, w0, lr, epochs):
    w, history = float(w0), []
    for _ in range(epochs):
        for x, y in zip(xs.tolist(), ys.tolist()):
            w += lr * 2 * x * (x * w - y)
        history.append(float(cost(xs, ys, w)))
    return w, history
