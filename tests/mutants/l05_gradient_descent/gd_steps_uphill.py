"""gradient_descent adds the gradient: w <- w + lr * gradient climbs the cost."""

CAUGHT_BY = [
    "test_gradient_descent_records_the_cost_then_steps_against_the_gradient",
    "test_gradient_descent_converges_to_w_2_on_the_seed_data",
    "test_gradient_descent_cost_falls_for_a_small_lr_and_blows_up_for_a_large_one",
]


def gradient_descent(xs, ys, w0, lr, epochs):
    w, history = float(w0), []
    for _ in range(epochs):
        history.append(float(cost(xs, ys, w)))
        w += lr * float(gradient(xs, ys, w))
    return w, history
