"""stochastic_gradient_descent loops over the samples but steps once per epoch
with the mean gradient: batch gradient descent under another name."""

CAUGHT_BY = ["test_sgd_updates_w_after_every_sample"]


def stochastic_gradient_descent(xs, ys, w0, lr, epochs):
    w, history = float(w0), []
    for _ in range(epochs):
        grads = [2 * x * (x * w - y) for x, y in zip(xs.tolist(), ys.tolist())]
        w -= lr * sum(grads) / len(grads)
        history.append(float(cost(xs, ys, w)))
    return w, history
