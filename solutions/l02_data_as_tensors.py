"""Lesson 02 · Real data as tensors: tables, time series, text, images (DLWPT ch. 4; d2l 2.2).

Every dataset reaches a network as a tensor of floats; this lesson turns
the book's real files into tensors.

Tabular data (winequality-white.csv: 4898 wines, 11 chemical measurements
and a quality score 0-10, ``;``-separated with a header line). Read it with
``numpy.loadtxt`` (``delimiter=";"``, ``skiprows=1``) and
``torch.from_numpy``; the last column is the target. Standardise each
feature column (z-score: subtract the column mean, divide by the column
standard deviation) and split the wines by quality with boolean masks:
bad (q <= 3), mid (3 < q < 7) and good (q >= 7).

A one-feature rule: predict "good" (q > 5) when total sulfur dioxide
(column 6) is below 141.83, the mean of the mid wines. With TP the wines
predicted and actually good, precision = TP / predicted positives and
recall = TP / actual positives. The book finds precision 0.74, recall 0.62.

Time series (hour-fixed.csv, bike sharing: 17,520 hours of 2 years, 17
columns). Turn the date ``2011-01-01`` into its day of month (``1``), then
``view`` the (17520, 17) table as (730 days, 24 hours, 17 columns): a view,
no copy. Networks for sequences want N x C x L (channels before length), so
transpose, and one-hot encode the weather situation (column 9, levels 1-4)
into 4 extra channels with ``scatter_``.

Text (Pride and Prejudice). One-hot encode characters: a line becomes
(len, 128), one row per character, a 1 at its ASCII code (lowercased;
anything beyond ASCII maps to 0). Or words: lowercase, split on whitespace,
strip punctuation, and mark each word's index in a sorted vocabulary.

Images. Decoders give H x W x C (height, width, channels); PyTorch wants
C x H x W: ``permute(2, 0, 1)`` makes that layout as a view of the same
memory. Normalising per channel (mean 0, std 1 over all images and pixels
of that channel) helps training.

Standard deviations here are torch's default ``std`` (the unbiased sample
std, dividing by n - 1).
"""

from __future__ import annotations

import os

import numpy as np
import torch

PUNCTUATION = '.,;:"!?”“_-'


def load_wine(path: str | os.PathLike) -> tuple[torch.Tensor, torch.Tensor]:
    """Read winequality-white.csv.

    Returns (features, quality): features (4898, 11) float32, every column
    but the last; quality (4898,) int64, the last column.
    """
    # BEGIN SOLUTION
    table = torch.from_numpy(np.loadtxt(path, dtype=np.float32, delimiter=";", skiprows=1))
    return table[:, :-1], table[:, -1].long()
    # END SOLUTION


def zscore(x: torch.Tensor) -> torch.Tensor:
    """Standardise each column of x: (x - column mean) / column std.

    x: (N, F) float, N >= 2. Returns (N, F) of x's dtype whose columns have
    mean 0 and (unbiased) standard deviation 1.
    """
    # BEGIN SOLUTION
    return (x - x.mean(dim=0)) / x.std(dim=0)
    # END SOLUTION


def quality_masks(quality: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Boolean masks (bad, mid, good) for quality <= 3, 3 < quality < 7 and
    quality >= 7.

    quality: (N,) int64. Returns three (N,) bool tensors; every wine is in
    exactly one of them.
    """
    # BEGIN SOLUTION
    return quality <= 3, (quality > 3) & (quality < 7), quality >= 7
    # END SOLUTION


def precision_recall(predicted: torch.Tensor, actual: torch.Tensor) -> tuple[float, float]:
    """Precision and recall of boolean predictions.

    predicted, actual: (N,) bool, each with at least one True. Returns
    (precision, recall) as Python floats: true positives divided by the
    predicted positives, and by the actual positives.

    The quick-learning deck swaps the two (it divides by the actual
    positives for precision); the book's definitions above are the right
    ones and the ones checked.
    """
    # BEGIN SOLUTION
    true_positives = (predicted & actual).sum().item()
    return true_positives / predicted.sum().item(), true_positives / actual.sum().item()
    # END SOLUTION


def daily_bikes(path: str | os.PathLike) -> torch.Tensor:
    """Read hour-fixed.csv and view it as days.

    Column 1 (``dteday``, like ``2011-01-01``) becomes the day of the month
    as a number (1.0); every other column is read as it is. Returns (730,
    24, 17) float32: day, hour of the day, column; a view of the (17520, 17)
    table.
    """
    # BEGIN SOLUTION
    table = np.loadtxt(path, dtype=np.float32, delimiter=",", skiprows=1, converters={1: lambda s: float(s[8:10])})
    bikes = torch.from_numpy(table)
    return bikes.view(-1, 24, bikes.shape[1])
    # END SOLUTION


def with_weather_one_hot(daily: torch.Tensor) -> torch.Tensor:
    """The days in N x C x L layout with the weather one-hot encoded.

    daily: (N, 24, 17) float32 as ``daily_bikes`` returns it. Returns (N, 21,
    24) float32: the 17 columns as channels (dim 1) over the 24 hours
    (dim 2), followed by 4 channels that one-hot encode the weather
    situation (column 9, levels 1-4: level k sets channel 17 + k - 1).
    Every hour gets its own one-hot: the quick-learning deck's version sets
    only hour 0 of each day, which is wrong; the other 23 hours need theirs.
    """
    # BEGIN SOLUTION
    daily = daily.transpose(1, 2)
    weather = daily[:, 9, :].long() - 1
    one_hot = torch.zeros(daily.shape[0], 4, daily.shape[2])
    one_hot.scatter_(1, weather.unsqueeze(1), 1.0)
    return torch.cat((daily, one_hot), dim=1)
    # END SOLUTION


def char_one_hot(line: str) -> torch.Tensor:
    """One-hot encode the characters of ``line``, lowercased.

    Returns (len(line), 128) float32: row i has a 1.0 at the ASCII code of
    ``line.lower()[i]``, or at 0 for a character whose code is 128 or more.
    """
    # BEGIN SOLUTION
    line = line.lower()
    out = torch.zeros(len(line), 128)
    for i, ch in enumerate(line):
        out[i, ord(ch) if ord(ch) < 128 else 0] = 1.0
    return out
    # END SOLUTION


def clean_words(text: str) -> list[str]:
    """The book's word cleaning: lowercase ``text``, split it on whitespace
    and strip the characters of ``PUNCTUATION`` from both ends of each word.

    Returns a list of str (a word that was only punctuation becomes "").
    """
    # BEGIN SOLUTION
    return [word.strip(PUNCTUATION) for word in text.lower().split()]
    # END SOLUTION


def word_one_hot(words: list[str], vocab: list[str]) -> torch.Tensor:
    """One-hot encode ``words`` against ``vocab``.

    words: list of str, each in vocab; vocab: list of distinct str (a
    word's index is its position). Returns (len(words), len(vocab))
    float32 with a 1.0 in row i at the index of ``words[i]``.
    """
    # BEGIN SOLUTION
    index = {word: i for i, word in enumerate(vocab)}
    out = torch.zeros(len(words), len(vocab))
    for i, word in enumerate(words):
        out[i, index[word]] = 1.0
    return out
    # END SOLUTION


def image_to_chw(img) -> torch.Tensor:
    """An H x W x C image in PyTorch's C x H x W layout.

    img: (H, W, C) uint8, a tensor or a numpy array. Returns (C, H, W) uint8,
    a view of img's memory (no copy): writing into img shows up in it.
    """
    # BEGIN SOLUTION
    return torch.as_tensor(img).permute(2, 0, 1)
    # END SOLUTION


def normalize_channels(batch: torch.Tensor) -> torch.Tensor:
    """Standardise each channel of a batch of images.

    batch: (N, C, H, W), uint8 or float. Returns (N, C, H, W) float32 in
    which every channel has mean 0 and std 1, computed over all images
    and pixels of that channel.
    """
    # BEGIN SOLUTION
    x = batch.float()
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    std = x.std(dim=(0, 2, 3), keepdim=True)
    return (x - mean) / std
    # END SOLUTION
