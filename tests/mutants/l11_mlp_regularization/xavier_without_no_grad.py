"""xavier_uniform_ fills the weight without torch.no_grad(): an in-place
change of a parameter that requires grad is refused by autograd."""

import math

CAUGHT_BY = ["test_xavier_uniform_fills_the_weight_in_place"]


def xavier_uniform_(weight):
    fan_out, fan_in = weight.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return weight.uniform_(-bound, bound)
