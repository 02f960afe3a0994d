"""gradient_descent records the cost after updating w: the history is one step ahead."""

CAUGHT_BY = ["test_gradient_descent_records_the_cost_then_steps_against_the_gradient"]


def gradient_descent(xs, ys, w0, lr, epochs):
    w, history = float(w0), []
    for _ in range(epochs):
        w -= lr * float(gradient(xs, ys, w))
        history.append(float(cost(xs, ys, w)))
    return w, history
