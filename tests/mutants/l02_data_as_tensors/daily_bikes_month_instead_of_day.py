"""daily_bikes takes characters 5-6 of the date: the month, not the day."""

import numpy as np
import torch

CAUGHT_BY = ["test_daily_bikes_is_730_days_of_24_hours_with_the_day_of_month"]


def daily_bikes(path):
    table = np.loadtxt(path, dtype=np.float32, delimiter=",", skiprows=1, converters={1: lambda s: float(s[5:7])})
    return torch.from_numpy(table).view(-1, 24, 17)
