"""zscore divides by the population std (n, not n - 1)."""

CAUGHT_BY = ["test_zscore_gives_each_column_mean_0_and_std_1"]


def zscore(x):
    return (x - x.mean(dim=0)) / x.std(dim=0, unbiased=False)
