"""Hidden checks for lesson 02 · real data as tensors. Trusted side: nothing
here imports student code; ``student`` runs it in the sandbox. The course
files are parsed here independently (``csv``, ``torchvision.io``) to get the
expected values."""

import csv
from functools import cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from grader.check import assert_close, assert_shape, expect, fail, hints, points, public
from grader.drivers import l02_data_as_tensors as driver
from grader.suite_helpers import as_float, as_tuple

# The book's facts about the white wines (DLWPT 4.3), checked by trusted parsing
# of the mirror's file: 20 bad, 3818 mid, 1060 good wines; the total-sulfur rule
# predicts 2727 good wines, 3258 are good (q > 5), 2018 of them predicted.
WINE_COUNTS = (20, 3818, 1060)
SULFUR_THRESHOLD = 141.83
BOOK_PRECISION, BOOK_RECALL = 0.74000733406674, 0.6193984039287906
BOOK_LINE = 200  # the book's example line, '“Impossible, Mr. Bennet, impossible, when I am not acquainted with him'
BOOK_WORDS = ["impossible", "mr", "bennet", "impossible", "when", "i", "am", "not", "acquainted", "with", "him"]
VOCABULARY_SIZE, IMPOSSIBLE_INDEX = 7261, 3394
SPACED_LINE = 279  # ' said Mrs. Bennet to her husband, ...': the first of 46 lines that start with a space
PUNCTUATION = '.,;:"!?”“_-'


# -- trusted parsing of the course files ------------------------------------
@cache
def wine(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    table = torch.tensor([[float(v) for v in row] for row in rows], dtype=torch.float64)
    return table[:, :-1].float(), table[:, -1].long()


@cache
def hourly_bikes(path: Path) -> torch.Tensor:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    for row in rows:
        row[1] = row[1].split("-")[2]  # 2011-01-01 -> day of month
    return torch.tensor([[float(v) for v in row] for row in rows], dtype=torch.float64).float()


def expected_weather_one_hot(daily: torch.Tensor) -> torch.Tensor:
    ncl = daily.permute(0, 2, 1)
    levels = ncl[:, 9, :].long()
    one_hot = torch.stack([(levels == k).float() for k in (1, 2, 3, 4)], dim=1)
    return torch.cat([ncl, one_hot], dim=1)


@cache
def austen_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def words_of(text: str) -> list[str]:
    return [word.strip(PUNCTUATION) for word in text.lower().split()]


def expected_char_one_hot(line: str) -> torch.Tensor:
    codes = [ord(c) if ord(c) < 128 else 0 for c in line.lower()]
    out = torch.zeros(len(codes), 128)
    out[torch.arange(len(codes)), torch.tensor(codes, dtype=torch.long)] = 1.0
    return out


def image(path: Path) -> torch.Tensor:
    """(C, H, W) uint8, decoded with PIL (torchvision's own image reader)."""
    with Image.open(path) as img:
        return torch.from_numpy(np.array(img.convert("RGB"))).permute(2, 0, 1).contiguous()


# -- tabular data: wine -------------------------------------------------------
@public
@hints(
    "The file is CSV with a header line and ';' between the columns.",
    "np.loadtxt(path, dtype=np.float32, delimiter=';', skiprows=1), then torch.from_numpy; the quality is the last "
    "column.",
)
@points(2)
def test_load_wine_reads_4898_wines_with_11_features_and_the_quality(student, course_file):
    path = course_file("wine")
    features, quality = wine(path)
    got = student.load_wine(str(path))
    got = as_tuple(got, 2, "load_wine", returns="(features, quality)")
    got_x = assert_shape(got[0], (4898, 11), "features from load_wine")
    got_q = assert_shape(got[1], (4898,), "quality from load_wine")
    expect(got_x.dtype == torch.float32, f"features should be float32, got {got_x.dtype}")
    expect(
        got_q.dtype == torch.int64,
        f"quality should be int64 (class labels), got {got_q.dtype}",
        hint="the book's target = wineq[:, -1].long()",
    )
    assert_close(
        got_x,
        features,
        "features from load_wine",
        hint="skip the header line (skiprows=1), split on ';', drop the last column",
    )
    assert_close(got_q, quality, "quality from load_wine")


@public
@hints(
    "Each column (feature) is standardised on its own.",
    "Take the mean and the std over dim=0 (the samples); torch's default std, the unbiased one, is the expected one.",
)
@points(2)
def test_zscore_gives_each_column_mean_0_and_std_1(student, course_file):
    small = torch.tensor([[1.0, 10.0], [2.0, 10.0], [3.0, 40.0], [6.0, 20.0]], dtype=torch.float64)
    expected = (small - small.mean(dim=0)) / small.std(dim=0)
    assert_close(
        student.zscore(small),
        expected,
        "zscore of a 4x2 matrix",
        hint="per column (dim=0): subtract the mean, divide by the unbiased std (torch's default)",
    )
    features, _ = wine(course_file("wine"))
    got = student.zscore(features)
    expected = ((features.double() - features.double().mean(dim=0)) / features.double().std(dim=0)).float()
    assert_close(got, expected, "zscore of the wine features", rtol=1e-4, atol=1e-4)


@public
@hints(
    "Three boolean masks of the same shape as quality; every wine falls in exactly one.",
    "bad is quality <= 3, good is quality >= 7, and mid lies strictly between: combine two comparisons with &.",
)
@points(2)
def test_quality_masks_split_the_wines_into_20_bad_3818_mid_and_1060_good(student, course_file):
    _, quality = wine(course_file("wine"))
    got = student.quality_masks(quality)
    got = as_tuple(got, 3, "quality_masks", returns="(bad, mid, good)")
    for mask, name in zip(got, ("bad", "mid", "good")):
        assert_shape(mask, quality.shape, f"the {name} mask")
        expect(mask.dtype == torch.bool, f"the {name} mask should be bool, got {mask.dtype}")
    bad, mid, good = got
    covered = bad.long() + mid.long() + good.long()
    expect(
        (covered == 1).all(),
        f"{int((covered != 1).sum())} wines are in no mask or in two; every wine must be in exactly one",
        hint="bad: q <= 3, mid: 3 < q < 7, good: q >= 7",
    )
    counts = tuple(int(m.sum()) for m in got)
    expect(counts == WINE_COUNTS, f"the masks hold {counts} wines, the book's split is {WINE_COUNTS}")
    for mask, expected, name in zip(
        got, (quality <= 3, (quality > 3) & (quality < 7), quality >= 7), ("bad", "mid", "good")
    ):
        expect(torch.equal(mask, expected), f"the {name} mask picks the wrong wines")


@public
@hints(
    "Precision: of the predicted positives, how many are real? Recall: of the real positives, how many were predicted?",
    "Count the true positives with (predicted & actual).sum(); divide by predicted.sum() for precision and by "
    "actual.sum() for recall.",
)
@points(2)
def test_precision_recall_on_hand_made_predictions(student):
    T, F = True, False
    cases = [
        ([T, T, T, F, F, F], [T, F, F, T, F, F], 1 / 3, 1 / 2),
        ([T, T, T, T], [F, T, F, F], 1 / 4, 1.0),
        ([T, F, F, F, F], [T, T, T, T, F], 1.0, 1 / 4),
    ]
    for predicted, actual, precision, recall in cases:
        got = student.precision_recall(torch.tensor(predicted), torch.tensor(actual))
        got = as_tuple(got, 2, "precision_recall", returns="(precision, recall)")
        p, r = as_float(got[0], "precision"), as_float(got[1], "recall")
        expect(
            abs(p - precision) < 1e-9 and abs(r - recall) < 1e-9,
            f"predicted {predicted}, actual {actual}: expected precision {precision:.4f} and recall {recall:.4f}, "
            f"got {p:.4f} and {r:.4f}",
            hint="precision = TP / predicted positives; recall = TP / actual positives",
        )


@points(1)
def test_precision_recall_of_the_sulfur_rule_are_the_books_0_74_and_0_62(student, course_file):
    features, quality = wine(course_file("wine"))
    predicted, actual = features[:, 6] < SULFUR_THRESHOLD, quality > 5
    got = student.precision_recall(predicted, actual)
    got = as_tuple(got, 2, "precision_recall", returns="(precision, recall)")
    p, r = as_float(got[0], "precision"), as_float(got[1], "recall")
    expect(
        abs(p - BOOK_PRECISION) < 1e-6 and abs(r - BOOK_RECALL) < 1e-6,
        f"total sulfur < {SULFUR_THRESHOLD} as a predictor of quality > 5: the book finds precision "
        f"{BOOK_PRECISION:.4f} and recall {BOOK_RECALL:.4f}, got {p:.4f} and {r:.4f}",
    )


# -- time series: bike sharing ------------------------------------------------
@public
@hints(
    "The date column is text: turn it into a number while you load the file.",
    "np.loadtxt takes converters={1: ...}: keep the day of the month, characters 8 and 9 of '2011-01-01'.",
    "The hourly table is (17520, 17); view it as (-1, 24, 17) so that each row is one day.",
)
@points(2)
def test_daily_bikes_is_730_days_of_24_hours_with_the_day_of_month(student, course_file):
    path = course_file("bikes")
    daily = assert_shape(student.daily_bikes(str(path)), (730, 24, 17), "daily_bikes(path)")
    expect(daily.dtype == torch.float32, f"daily_bikes should be float32, got {daily.dtype}")
    assert_close(
        daily[:, :, 5],
        torch.arange(24.0).expand(730, 24),
        "the hour column (5) of daily_bikes",
        hint="view the (17520, 17) table as (-1, 24, 17): consecutive rows are consecutive hours",
    )
    expect(
        daily[0, 0, 1] == 1 and daily[31, 0, 1] == 1 and daily[-1, 0, 1] == 31,
        f"column 1 should be the day of the month: 2011-01-01 -> 1, 2011-02-01 -> 1, 2012-12-31 -> 31; got "
        f"{daily[0, 0, 1].item():g}, {daily[31, 0, 1].item():g}, {daily[-1, 0, 1].item():g}",
        hint="the day is characters 8-9 of '2011-01-01'",
    )
    assert_close(daily, hourly_bikes(path).view(730, 24, 17), "daily_bikes(path)")


@public
@hints(
    "N x C x L puts the columns (channels) before the hours (length).",
    "Transpose (days, hours, columns) to (days, columns, hours); the weather level sits in column 9.",
    "One-hot the level minus 1 over 4 channels with scatter_ on dim 1, then torch.cat it after the 17 columns on "
    "dim 1.",
)
@points(2)
def test_with_weather_one_hot_gives_n_c_l_with_4_weather_channels(student, course_file):
    daily = hourly_bikes(course_file("bikes")).view(730, 24, 17)
    got = assert_shape(student.with_weather_one_hot(daily), (730, 21, 24), "with_weather_one_hot(daily)")
    assert_close(
        got[:, :17],
        daily.transpose(1, 2),
        "channels 0-16 (the columns, N x C x L)",
        hint="transpose(1, 2) turns (days, hours, columns) into (days, columns, hours)",
    )
    assert_close(
        got[:, 17:].sum(dim=1),
        torch.ones(730, 24),
        "the sum of the 4 weather channels",
        hint="exactly one of the 4 weather channels is 1 at every hour",
    )
    assert_close(
        got,
        expected_weather_one_hot(daily),
        "with_weather_one_hot(daily)",
        hint="weather level k (1-4) goes to weather channel k - 1: scatter_ with index level - 1",
    )


# -- text: Pride and Prejudice -------------------------------------------------
@public
@hints(
    "One row of 128 ASCII codes per character of the line.",
    "Lowercase the line first; a character whose ord(c) is 128 or more goes to index 0.",
)
@points(2)
def test_char_one_hot_marks_the_ascii_code_of_each_lowercased_character(student, course_file):
    lines = austen_lines(course_file("austen"))
    for number in (BOOK_LINE, 0, 1000, SPACED_LINE):
        line = lines[number]
        got = assert_shape(student.char_one_hot(line), (len(line), 128), f"char_one_hot of line {number}")
        expect(got.dtype == torch.float32, f"char_one_hot should return float32, got {got.dtype}")
        expected = expected_char_one_hot(line)
        expect(
            line == line.strip() or (torch.equal(got[0], expected[0]) and torch.equal(got[-1], expected[-1])),
            f"line {number} starts with a space ({line[:30]!r}...): row 0 should mark that space (code 32), one row "
            "per character of the line as given",
            hint="lowercase the line but do not strip it: strip() shifts every row and leaves zero rows at the end",
        )
        assert_close(got, expected, f"char_one_hot({line[:30]!r}...)")


@hints(
    "Clean the text the book's way: lowercase, split, strip.",
    "text.lower().split(), then word.strip(PUNCTUATION) for each word; keep the words that become empty.",
)
@points(2)
def test_clean_words_gives_the_books_7261_word_vocabulary(student, course_file):
    lines = austen_lines(course_file("austen"))
    got = student.clean_words(lines[BOOK_LINE])
    expect(
        got == BOOK_WORDS,
        f"clean_words of the book's line {BOOK_LINE} should be {BOOK_WORDS}, got {got}",
        hint=f"lowercase, split() on whitespace, strip {PUNCTUATION!r} from each word",
    )
    text = "\n".join(lines)
    words = student.clean_words(text)
    expect(isinstance(words, list), f"clean_words should return a list, got {type(words).__name__}")
    vocab = sorted(set(words))
    expect(
        len(vocab) == VOCABULARY_SIZE,
        f"the book's text has {VOCABULARY_SIZE} distinct cleaned words, clean_words gives {len(vocab)}",
    )
    expect(vocab.index("impossible") == IMPOSSIBLE_INDEX, "'impossible' should be word 3394 of the sorted vocabulary")
    expect(words == words_of(text), "clean_words of the whole book differs from the book's cleaning")


@public
@hints(
    "Lowercase the text, split it on whitespace, then strip the punctuation from both ends of each word.",
    "PUNCTUATION holds the curly quotes too: “Impossible becomes impossible.",
)
@points(1)
def test_clean_words_gives_the_books_words_of_its_example_line(student):
    line = "“Impossible, Mr. Bennet, impossible, when I am not acquainted with him"
    got = student.clean_words(line)
    expect(
        isinstance(got, list) and got == BOOK_WORDS,
        f"clean_words of the book's line {line!r} should give {BOOK_WORDS}, got {got!r}",
        hint="lowercase, split on whitespace, strip PUNCTUATION (curly quotes included) from both ends of each word",
    )


@public
@hints(
    "Each word becomes a row of zeros with a single 1.0 at its position in vocab.",
    "The result is float32 of shape (len(words), len(vocab)); row i has its 1.0 at vocab.index(words[i]).",
)
@points(1)
def test_word_one_hot_of_three_words_marks_their_places_in_the_vocabulary(student):
    words, vocab = ["the", "cat", "the"], ["a", "cat", "the", "dog"]
    what = f"word_one_hot({words}, {vocab})"
    got = assert_shape(student.word_one_hot(words, vocab), (3, 4), what)
    expect(got.dtype == torch.float32, f"word_one_hot should return float32, got {got.dtype}")
    expected = torch.tensor([[0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    assert_close(got, expected, what, hint="row i has its 1.0 at vocab's index of words[i], not at i")


@points(1)
def test_word_one_hot_marks_each_words_index_in_the_vocabulary(student, course_file):
    lines = austen_lines(course_file("austen"))
    vocab = sorted(set(words_of("\n".join(lines))))
    words = words_of(lines[BOOK_LINE])
    got = assert_shape(student.word_one_hot(words, vocab), (len(words), len(vocab)), "word_one_hot(words, vocab)")
    expect(got.dtype == torch.float32, f"word_one_hot should return float32, got {got.dtype}")
    expected = torch.zeros(len(words), len(vocab))
    expected[torch.arange(len(words)), torch.tensor([vocab.index(w) for w in words])] = 1.0
    assert_close(
        got, expected, "word_one_hot of the book's line", hint="row i has its 1.0 at vocab's index of words[i]"
    )


# -- images -------------------------------------------------------------------
@points(1)
def test_image_to_chw_round_trips_bobby(student, course_file):
    chw = image(course_file("bobby"))
    got = assert_shape(
        student.image_to_chw(chw.permute(1, 2, 0).contiguous()),
        (3, 720, 1280),
        "image_to_chw of the (720, 1280, 3) dog",
    )
    expect(got.dtype == torch.uint8, f"image_to_chw should keep uint8, got {got.dtype}")
    expect(
        torch.equal(got, chw),
        "image_to_chw moved the pixels around: channel c, row y, column x should be img[y, x, c]",
        hint="permute(2, 0, 1), not view or reshape to (C, H, W)",
    )


@public
@hints(
    "The result must share memory with the image: no copy.",
    "torch.as_tensor (or torch.from_numpy) keeps the memory, and permute(2, 0, 1) only reorders the strides.",
)
@points(1)
def test_image_to_chw_returns_a_view_of_the_images_memory(student, course_file):
    hwc = image(course_file("cat1")).permute(1, 2, 0).contiguous()
    expect((hwc[:2, :3] != 7).any(), "grader self-check: the write must change the image")
    for as_numpy in (True, False):
        kind = "numpy array" if as_numpy else "tensor"
        facts = student.run_driver(driver.image_view_after_write, image=hwc, as_numpy=as_numpy, time_limit=30)
        if not facts["caller_kept"]:
            now = tuple(facts["caller_shape"])
            change = f"its shape {tuple(hwc.shape)} is now {now}" if now != tuple(hwc.shape) else "its layout or pixels"
            fail(
                f"image_to_chw changed the caller's image in place ({kind}: {change}); the caller's image must stay "
                "as it was",
                hint="permute(2, 0, 1) returns a new view and leaves img alone; transpose_ and other in-place "
                "methods rewrite the caller's tensor",
            )
        expect(
            torch.equal(facts["before"], hwc.permute(2, 0, 1)),
            f"image_to_chw of a {kind} moved the pixels around: channel c, row y, column x should be img[y, x, c]",
        )
        expect(
            torch.equal(facts["after"], facts["fresh"]),
            f"image_to_chw copied the {kind}: pixels written into the image afterwards do not show in the result",
            hint="torch.as_tensor / torch.from_numpy share memory, permute makes a view; avoid torch.tensor, "
            "clone and contiguous",
        )


@public
@hints(
    "Each colour channel gets one mean and one std over the whole batch.",
    "Convert to float, then reduce over images, rows and columns, dim=(0, 2, 3) with keepdim=True, so that the "
    "result broadcasts.",
)
@points(2)
def test_normalize_channels_gives_each_channel_of_the_cats_mean_0_and_std_1(student, course_file):
    batch = torch.stack([image(course_file(f"cat{i}")) for i in (1, 2, 3)])
    got = assert_shape(student.normalize_channels(batch), batch.shape, "normalize_channels of the 3 cats")
    expect(got.dtype == torch.float32, f"normalize_channels should return float32, got {got.dtype}")
    x = batch.double()
    expected = (x - x.mean(dim=(0, 2, 3), keepdim=True)) / x.std(dim=(0, 2, 3), keepdim=True)
    assert_close(
        got,
        expected.float(),
        "normalize_channels of the 3 cats",
        rtol=1e-4,
        atol=1e-4,
        hint="one mean and one std per channel, over images, rows and columns: dims (0, 2, 3)",
    )
