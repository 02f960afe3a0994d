"""with_weather_one_hot keeps (N, L, C) and appends the one-hot columns on the last dim."""

import torch

CAUGHT_BY = ["test_with_weather_one_hot_gives_n_c_l_with_4_weather_channels"]


def with_weather_one_hot(daily):
    one_hot = torch.zeros(daily.shape[0], daily.shape[1], 4)
    one_hot.scatter_(2, daily[:, :, 9].long().unsqueeze(2) - 1, 1.0)
    return torch.cat((daily, one_hot), dim=2)
