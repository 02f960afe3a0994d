"""Hidden checks for lesson 01 · tensors. Trusted side: nothing here imports
student code; ``student`` runs it in the sandbox. Views with offsets and
strides are built in the sandbox by the driver from a description
(``build_view``); the expected values are computed here from the same
description."""

import pickle
import random
import re

import torch
import torch.nn.functional as F

from grader.check import assert_close, assert_shape, expect, fail, hints, points, public
from grader.drivers import l01_tensors as driver
from grader.drivers.l01_tensors import build_view
from grader.sandbox.errors import StudentError
from grader.sandbox.wire import load_plain, torch_bytes
from grader.suite_helpers import RunsCode

POINTS = torch.tensor([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])  # the book's points
NO_TRANSPOSE = (
    "torch.transpose",
    "torch.Tensor.transpose",
    "torch.t",
    "torch.Tensor.t",
    "torch.permute",
    "torch.Tensor.permute",
    "torch.swapaxes",
    "torch.Tensor.swapaxes",
    "torch.swapdims",
    "torch.Tensor.swapdims",
    "torch.movedim",
    "torch.Tensor.movedim",
    "torch.Tensor.T",
    "torch.Tensor.mT",
)
NO_BROADCAST = ("torch.broadcast_shapes", "torch.broadcast_tensors", "torch.broadcast_to")


def as_int(value, what: str) -> int:
    if isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_floating_point():
        return int(value)
    expect(isinstance(value, int) and not isinstance(value, bool), f"{what} should be an int, got {value!r}")
    return value


def as_shape(value, what: str) -> tuple:
    expect(
        isinstance(value, (tuple, list)) and all(isinstance(v, int) for v in value),
        f"{what} should be a tuple of ints, got {value!r}",
    )
    return tuple(value)


def raised(fn, *args):
    """``(None, value)`` when ``fn(*args)`` returned, ``(error, None)`` when the
    student's code raised; a stub's NotImplementedError fails the check as such."""
    try:
        return None, fn(*args)
    except StudentError as exc:
        if exc.error_type == "NotImplementedError":
            raise
        return exc, None


def random_view(rng: random.Random, min_dims: int = 1) -> tuple[list[int], list[tuple]]:
    """A random base shape and slices, transposes and selects on it,
    leaving a non-empty view with at least ``min_dims`` dimensions."""
    shape = [rng.randint(1, 5) for _ in range(rng.randint(min_dims, 4))]
    sizes, ops = list(shape), []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(["slice", "slice", "transpose", "select"])
        dim = rng.randrange(len(sizes))
        if kind == "slice":
            start = rng.randrange(sizes[dim])
            stop, step = rng.randint(start + 1, sizes[dim]), rng.randint(1, 3)
            ops.append(("slice", dim, start, stop, step))
            sizes[dim] = len(range(start, stop, step))
        elif kind == "transpose" and len(sizes) >= 2:
            other = rng.randrange(len(sizes))
            ops.append(("transpose", dim, other))
            sizes[dim], sizes[other] = sizes[other], sizes[dim]
        elif kind == "select" and len(sizes) > min_dims:
            ops.append(("select", dim, rng.randrange(sizes[dim])))
            del sizes[dim]
    return shape, ops


# -- strides and storage offsets -----------------------------------------
@public
@hints(
    "A stride says how many storage elements to skip to move one step along a dimension.",
    "The last dimension has stride 1; each earlier stride is the next stride times the next size.",
    "Walk the sizes from right to left, multiplying as you go, then reverse the list.",
)
@points(1)
def test_contiguous_strides_are_products_of_the_sizes_to_the_right(student):
    for shape, expected in [((3, 2), (2, 1)), ((3, 4, 5), (20, 5, 1)), ((7,), (1,)), ((), ())]:
        got = as_shape(student.contiguous_strides(shape), f"contiguous_strides({shape})")
        expect(
            got == expected,
            f"contiguous_strides({shape}) should be {expected}, got {got}",
            hint="the last stride is 1; each stride is the next one times the next size",
        )
    rng = random.Random(0)
    for _ in range(30):
        shape = tuple(rng.randint(1, 6) for _ in range(rng.randint(1, 5)))
        got = as_shape(student.contiguous_strides(shape), f"contiguous_strides({shape})")
        expect(
            got == torch.empty(shape).stride(),
            f"contiguous_strides({shape}) should be {torch.empty(shape).stride()}, got {got}",
        )


@public
@hints(
    "Where in the flat storage does element [i, j, ...] live?",
    "Start at the storage offset and add index times stride for every dimension.",
)
@points(1)
def test_storage_index_finds_the_books_points_1_at_position_2(student):
    expected = {(1,): 2, (0, 1): 1, (2, 1): 5, (-1, 0): 4}
    cases = [{"shape": [3, 2], "ops": [], "base": POINTS, "index": index} for index in expected]
    got = student.run_driver(driver.storage_indices, cases=cases, time_limit=30)
    for (index, position), answer in zip(expected.items(), got):
        answer = as_int(answer, f"storage_index(points, {index})")
        expect(
            answer == position,
            f"storage_index(points, {index}) for the book's 3x2 points should be {position}, got {answer}",
            hint="position = offset + sum of index[d] * stride[d]",
        )


@hints(
    "A slice or a transpose gives a view that need not start at position 0, with strides that are not the "
    "contiguous ones.",
    "Read the offset and the strides from the tensor itself (t.storage_offset(), t.stride()) instead of working "
    "them out from the shape.",
    "A negative index i counts from the end: use i + t.shape[d] before multiplying by t.stride(d).",
)
@points(3)
def test_storage_index_matches_storage_offset_on_300_random_views(student):
    rng = random.Random(1)
    cases = []
    for _ in range(300):
        shape, ops = random_view(rng)
        view = build_view(shape, ops)
        index = [rng.randint(-view.shape[d], view.shape[d] - 1) for d in range(rng.randint(1, view.dim()))]
        cases.append({"shape": shape, "ops": ops, "index": index, "expected": view[tuple(index)].storage_offset()})
    got = student.run_driver(
        driver.storage_indices, cases=[{k: c[k] for k in ("shape", "ops", "index")} for c in cases], time_limit=60
    )
    expect(isinstance(got, list) and len(got) == len(cases), "storage_index did not give one answer per view")
    for c, answer in zip(cases, got):
        view = build_view(c["shape"], c["ops"])
        what = (
            f"storage_index(t, {tuple(c['index'])}) for t = arange({c['shape']}) after {c['ops'] or 'nothing'} "
            f"(shape {tuple(view.shape)}, stride {view.stride()}, offset {view.storage_offset()})"
        )
        answer = as_int(answer, what)
        expect(
            answer == c["expected"],
            f"{what}: expected {c['expected']}, got {answer}",
            hint="start at t.storage_offset(), use t.stride() (a slice or a "
            "transpose changes it), and turn a negative index i into i + size",
        )


# -- transposing by hand with as_strided ------------------------------------
@public
@hints(
    "A transpose moves no data: it only changes how the strides are read.",
    "Swap the sizes and the strides of the two dimensions, keep the storage offset, and build the view with "
    "as_strided.",
)
@points(1)
def test_transpose_view_gives_the_books_strides_1_2_and_1_5_20(student):
    cases = [
        {"shape": [3, 2], "ops": [], "base": POINTS, "dim0": 0, "dim1": 1},
        {"shape": [3, 4, 5], "ops": [], "dim0": 0, "dim1": 2},
    ]
    first, second = student.run_driver(driver.transpose_views, cases=cases, time_limit=30)
    expect(
        tuple(first["stride"]) == (1, 2),
        f"transpose_view(points, 0, 1) should have stride (1, 2), got {tuple(first['stride'])}",
        hint="swap the two strides, keep the storage",
    )
    expect(not first["contiguous"], "transpose_view(points, 0, 1) should not be contiguous: it is a view, not a copy")
    assert_close(first["before"], POINTS.t(), "transpose_view(points, 0, 1)")
    expect(
        tuple(second["stride"]) == (1, 5, 20),
        f"transpose_view of a (3, 4, 5) tensor with dims 0 and 2 should "
        f"have stride (1, 5, 20), got {tuple(second['stride'])}",
    )


@points(2)
def test_transpose_view_matches_torch_transpose_without_calling_it(student):
    transpose_view = student.transpose_view.forbidding(*NO_TRANSPOSE)
    g = torch.Generator().manual_seed(0)
    for shape, dim0, dim1 in [((3, 2), 0, 1), ((2, 5), 1, 0), ((3, 4, 5), 0, 2), ((2, 3, 4, 5), 1, 3), ((4, 4), 0, 0)]:
        t = torch.randn(shape, generator=g, dtype=torch.float64)
        assert_close(
            transpose_view(t, dim0, dim1),
            t.transpose(dim0, dim1),
            f"transpose_view(t of shape {shape}, {dim0}, {dim1})",
            hint="t.as_strided(size, stride, t.storage_offset()) with the two sizes and the two strides swapped",
        )


@hints(
    "The result must be a view of t: writing into t afterwards has to show up in it.",
    "A sliced t starts at a nonzero storage offset: pass t.storage_offset() as the third argument of as_strided, "
    "and never copy.",
)
@points(2)
def test_transpose_view_shares_storage_even_with_sliced_inputs(student):
    rng = random.Random(2)
    cases = []
    for _ in range(40):
        shape, ops = random_view(rng, min_dims=2)
        ndim = build_view(shape, ops).dim()
        dim0, dim1 = rng.sample(range(ndim), 2)
        cases.append({"shape": shape, "ops": ops, "dim0": dim0, "dim1": dim1})
    results = student.run_driver(driver.transpose_views, cases=cases, time_limit=60)
    for c, facts in zip(cases, results):
        view = build_view(c["shape"], c["ops"])
        what = (
            f"transpose_view(t, {c['dim0']}, {c['dim1']}) for t = arange({c['shape']}) after "
            f"{c['ops'] or 'nothing'} (stride {view.stride()}, offset {view.storage_offset()})"
        )
        assert_close(
            facts["before"],
            view.transpose(c["dim0"], c["dim1"]),
            what,
            hint="keep t's storage offset: t.as_strided(size, stride, t.storage_offset())",
        )
        assert_close(
            facts["after"],
            (view + 0.5).transpose(c["dim0"], c["dim1"]),
            f"{what} after adding 0.5 to t in place",
            hint="the result must be a view of t's storage, not a copy: no clone(), contiguous() or new tensor",
        )


# -- broadcasting ---------------------------------------------------------
def compatible_pair(rng: random.Random) -> tuple[tuple, tuple]:
    a = [rng.randint(1, 6) for _ in range(rng.randint(0, 4))]
    b = []
    for k in range(1, rng.randint(0, 4) + 1):
        if k <= len(a):
            b.append(rng.choice([a[-k], 1, 1 if a[-k] != 1 else rng.randint(1, 6)]))
        else:
            b.append(rng.randint(1, 6))
    return tuple(a), tuple(reversed(b))


@hints(
    "广播机制 compares two shapes from their last dimension backwards.",
    "Pad the shorter shape with 1s on the left; in each position keep the size that is not 1.",
)
@points(2)
def test_broadcast_shape_matches_torch_on_200_random_pairs(student):
    broadcast_shape = student.broadcast_shape.forbidding(*NO_BROADCAST)
    rng = random.Random(3)
    pairs = [((3, 1), (1, 2)), ((5, 3, 4), (4,)), ((), (2, 3)), ((1,), (3, 1, 1))]
    pairs += [compatible_pair(rng)[:: rng.choice([1, -1])] for _ in range(200)]
    for a, b in pairs:
        got = as_shape(broadcast_shape(a, b), f"broadcast_shape({a}, {b})")
        expected = tuple(torch.broadcast_shapes(a, b))
        expect(
            got == expected,
            f"broadcast_shape({a}, {b}) should be {expected}, got {got}",
            hint="align the shapes at the right; a missing dimension counts as 1",
        )


@public
@hints(
    "Two sizes clash when they differ and neither of them is 1.",
    "Raise ValueError with both clashing sizes in its message, for example f'sizes {x} and {y} clash'.",
)
@points(1)
def test_broadcast_shape_raises_value_error_naming_the_clashing_sizes(student):
    for a, b, expected in [((5, 3, 4), (3, 1), (5, 3, 4)), ((2, 1), (1, 6), (2, 6))]:  # it must work before it refuses
        got = as_shape(student.broadcast_shape(a, b), f"broadcast_shape({a}, {b})")
        expect(got == expected, f"broadcast_shape({a}, {b}) should be {expected}, got {got}")
    rng = random.Random(4)
    cases = [((5, 3, 4), (7, 4), (3, 7)), ((2, 3), (2, 4), (3, 4))]
    for _ in range(20):
        a, b = (list(s) for s in compatible_pair(rng))
        if not a or not b:
            a, b = a or [1], b or [1]
        k = rng.randint(1, min(len(a), len(b)))
        x, y = rng.sample(range(2, 10), 2)
        a[-k], b[-k] = x, y
        cases.append((tuple(a), tuple(b), (x, y)))
    for a, b, sizes in cases:
        error, got = raised(student.broadcast_shape, a, b)
        expect(
            error is not None,
            f"broadcast_shape({a}, {b}) should raise ValueError (sizes {sizes[0]} and {sizes[1]} clash), got {got!r}",
            hint="two sizes are compatible only when equal or one of them is 1",
        )
        expect(error.error_type == "ValueError", f"broadcast_shape({a}, {b}) should raise ValueError, got: {error}")
        message = str(error).partition(": ")[2]
        expect(
            all(re.search(rf"(?<!\d){s}(?!\d)", message) for s in sizes),
            f"the ValueError of broadcast_shape({a}, {b}) should name the clashing sizes {sizes[0]} and {sizes[1]}; "
            f"it says: {message}",
        )


# -- saving memory ----------------------------------------------------------
@public
@hints(
    "节省内存: the caller must see Y change, and Y must not move to new memory.",
    "Y = Y + X builds a new tensor and rebinds a local name; an in-place operation (Y += X, or Y[:] = Y + X) writes "
    "into the old one.",
)
@points(2)
def test_add_inplace_updates_y_in_its_own_memory(student):
    g = torch.Generator().manual_seed(5)
    for y_shape, x_shape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3, 4), (3, 1))]:
        Y = torch.randn(y_shape, generator=g, dtype=torch.float64)
        X = torch.randn(x_shape, generator=g, dtype=torch.float64)
        facts = student.run_driver(driver.add_inplace_facts, Y=Y, X=X, time_limit=30)
        assert_close(
            facts["Y"],
            Y + X,
            f"the caller's Y (shape {y_shape}) after add_inplace(Y, X of shape {x_shape})",
            hint="`Y = Y + X` inside the function only rebinds a local name: write Y += X or Y[:] = Y + X",
        )
        expect(
            facts["same_memory"],
            "add_inplace moved Y to new memory (Y.data_ptr() changed)",
            hint="write into Y's memory: Y += X or Y[:] = Y + X (节省内存)",
        )
        expect(facts["returned_Y"], "add_inplace should return Y itself, not a new tensor")


# -- one-hot with scatter_ ------------------------------------------------
@public
@hints(
    "Start from a float32 tensor of zeros with one row per label and one column per class.",
    "scatter_ along dim 1 writes 1.0 in the column each label names; its index must have shape (N, 1): "
    "labels.unsqueeze(1).",
)
@points(2)
def test_one_hot_matches_f_one_hot_as_float32(student):
    one_hot = student.one_hot.forbidding("torch.nn.functional.one_hot")
    g = torch.Generator().manual_seed(6)
    for labels, classes in [
        (torch.tensor([2, 0, 1, 2]), 3),
        (torch.randint(10, (25,), generator=g), 10),
        (torch.tensor([4]), 7),
    ]:
        got = assert_shape(
            one_hot(labels, classes), (len(labels), classes), f"one_hot(labels of {len(labels)}, {classes})"
        )
        expect(
            got.dtype == torch.float32, f"one_hot should return float32 (the book's zeros + scatter_), got {got.dtype}"
        )
        assert_close(
            got,
            F.one_hot(labels, classes).float(),
            f"one_hot(labels, {classes})",
            hint="zeros(N, C).scatter_(1, labels.unsqueeze(1), 1.0): dim 1 picks the column",
        )


# -- saving and loading ---------------------------------------------------
# Files go in and out through Student.put_file and Student.read_file only: the grader never opens a path in the
# scratch folder, where the student's code could plant a link or a FIFO under any name.
def assert_save_tensor_works(student, name: str) -> None:
    """save_tensor writes a file ``name`` that a plain ``torch.load(weights_only=True)`` reads back as the tensor
    (a fresh name per check: the scratch folder is shared, and an old file must not stand in for a new one)."""
    t = torch.randn(3, 5, generator=torch.Generator().manual_seed(7), dtype=torch.float64)
    ours = student.scratch / name  # the only folder the sandbox may write to
    student.save_tensor(t, str(ours))
    blob = student.read_file(ours.name)
    expect(blob is not None, f"save_tensor(t, path) wrote nothing at {ours}")
    try:
        saved = load_plain(blob)
    except ValueError as exc:
        fail(f"the file save_tensor wrote is not a plain tensor file: {exc}", hint="torch.save(t, path)")
    assert_close(saved, t, "torch.load(weights_only=True) of the file save_tensor wrote", hint="torch.save(t, path)")


def assert_load_tensor_works(student, name: str) -> None:
    """load_tensor reads back a file ``name`` that ``torch.save`` wrote from a plain tensor."""
    theirs = student.put_file(name, torch_bytes(torch.arange(6).reshape(2, 3)))
    assert_close(
        student.load_tensor(theirs),
        torch.arange(6).reshape(2, 3),
        "load_tensor of a saved int tensor",
        hint="torch.load(path, weights_only=True)",
    )


@public
@hints(
    "torch.save writes a tensor to a file and torch.load reads it back.",
    "save_tensor: torch.save(t, path); load_tensor: torch.load(path, weights_only=True).",
)
@points(1)
def test_save_tensor_and_load_tensor_round_trip_through_a_torch_file(student):
    assert_save_tensor_works(student, "ours.pt")
    assert_load_tensor_works(student, "theirs.pt")


@points(1)
def test_save_tensor_and_load_tensor_refuse_what_is_not_a_tensor(student):
    assert_save_tensor_works(student, "ours-before-refusing.pt")  # a refusal counts only from working functions
    assert_load_tensor_works(student, "theirs-before-refusing.pt")
    weights = {"w": torch.ones(2)}
    error, _ = raised(student.save_tensor, weights, str(student.scratch / "dict.pt"))
    expect(error is not None, "save_tensor({'w': tensor}) should raise TypeError: the format is one tensor per file")
    expect(error.error_type == "TypeError", f"save_tensor of a dict should raise TypeError, got: {error}")
    error, got = raised(student.load_tensor, student.put_file("weights.pt", torch_bytes(weights)))
    expect(
        error is not None,
        f"load_tensor of a file holding a dict of tensors should raise TypeError, it returned {type(got).__name__}",
        hint="check isinstance(value, torch.Tensor)",
    )
    expect(
        error.error_type == "TypeError", f"load_tensor of a file holding a dict should raise TypeError, got: {error}"
    )


@hints(
    "A .pt file is a pickle, and fully unpickling a file can run any code stored in it.",
    "torch.load(path, weights_only=True) refuses pickled objects by raising; never call pickle.load or pass "
    "weights_only=False.",
)
@points(2)
def test_load_tensor_refuses_a_file_that_would_run_code(student):
    assert_load_tensor_works(student, "plain.pt")  # a refusal counts only from a load_tensor that loads a tensor
    marker = student.scratch / "code-ran"  # the payload creates it where the sandbox may write
    payload = RunsCode(str(marker))
    files = {"object.pkl": pickle.dumps(payload), "object.pt": torch_bytes(payload)}  # a plain pickle, a torch file
    for name, data in files.items():
        error, got = raised(student.load_tensor, student.put_file(name, data))
        expect(
            student.read_file(marker.name) is None,
            f"load_tensor({name}) ran the code hidden in the file (it created a file)",
        )
        expect(
            error is not None,
            f"load_tensor({name}) should raise for a file holding a pickled object, it returned {got!r}",
        )
