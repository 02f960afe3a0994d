"""daily_bikes views the table as (24, 730, 17) and swaps: each "day" takes every 730th hour."""

import numpy as np
import torch

CAUGHT_BY = ["test_daily_bikes_is_730_days_of_24_hours_with_the_day_of_month"]


def daily_bikes(path):
    table = np.loadtxt(path, dtype=np.float32, delimiter=",", skiprows=1, converters={1: lambda s: float(s[8:10])})
    return torch.from_numpy(table).view(24, -1, 17).transpose(0, 1)
