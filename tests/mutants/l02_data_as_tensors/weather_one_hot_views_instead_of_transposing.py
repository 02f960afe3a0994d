"""with_weather_one_hot reshapes (N, 24, 17) to (N, 17, 24) with view instead of transposing."""

import torch

CAUGHT_BY = ["test_with_weather_one_hot_gives_n_c_l_with_4_weather_channels"]


def with_weather_one_hot(daily):
    daily = daily.reshape(daily.shape[0], daily.shape[2], daily.shape[1])
    one_hot = torch.zeros(daily.shape[0], 4, daily.shape[2])
    one_hot.scatter_(1, daily[:, 9, :].long().unsqueeze(1) - 1, 1.0)
    return torch.cat((daily, one_hot), dim=1)
