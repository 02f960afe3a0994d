"""with_weather_one_hot scatters at the level itself (1-4) into 4 channels: level 4 is out of range."""

import torch

CAUGHT_BY = ["test_with_weather_one_hot_gives_n_c_l_with_4_weather_channels"]


def with_weather_one_hot(daily):
    daily = daily.transpose(1, 2)
    one_hot = torch.zeros(daily.shape[0], 4, daily.shape[2])
    one_hot.scatter_(1, daily[:, 9, :].long().unsqueeze(1), 1.0)
    return torch.cat((daily, one_hot), dim=1)
