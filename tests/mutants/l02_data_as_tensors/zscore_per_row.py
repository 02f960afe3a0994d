"""zscore standardises each row (dim=1) instead of each column."""

CAUGHT_BY = ["test_zscore_gives_each_column_mean_0_and_std_1"]


def zscore(x):
    return (x - x.mean(dim=1, keepdim=True)) / x.std(dim=1, keepdim=True)
