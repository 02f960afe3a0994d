"""control_flow_f multiplies by 100 when the sum is positive instead of when it is not."""

CAUGHT_BY = [
    "test_control_flow_f_runs_d2ls_doubling_loop",
    "test_control_flow_grad_equals_f_of_a_over_a",
]


def control_flow_f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    return 100 * b if b.sum() > 0 else b
