"""decision_boundary returns b / w: the minus sign of x = -b / w is lost."""

CAUGHT_BY = ["test_decision_boundary_is_where_p_is_one_half_between_2_and_4_hours"]


def decision_boundary(model):
    return model.linear.bias.item() / model.linear.weight.item()
