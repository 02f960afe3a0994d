"""The quick-learning deck's one-hot: it scatters only the first hour's
weather level of each day, so hours 1-23 have no weather channel set."""

import torch

CAUGHT_BY = ["test_with_weather_one_hot_gives_n_c_l_with_4_weather_channels"]


def with_weather_one_hot(daily):
    daily = daily.transpose(1, 2)
    one_hot = torch.zeros(daily.shape[0], 4, daily.shape[2])
    one_hot[:, :, 0].scatter_(1, daily[:, 9, 0].long().unsqueeze(1) - 1, 1.0)
    return torch.cat((daily, one_hot), dim=1)
