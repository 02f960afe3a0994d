"""The wire between the trusted grader and the sandboxed worker.

Only plain data crosses: tensors, numbers, strings, bytes, None, and lists,
tuples and dicts of those. Each message is one ``torch.save`` blob framed as
``multiprocessing.connection`` frames it (a 4-byte big-endian length, then
the bytes: no pickle of its own), and is decoded with
``torch.load(weights_only=True)``, which refuses anything that could run
code. Objects that are not plain data (an ``nn.Module``, an optimizer) stay
in the worker and cross as a handle: ``{HANDLE: id}``.

The worker can replace its own encoder, so nothing it sends is assumed to be
well formed. The trusted side reads a message within a deadline and up to
``MESSAGE_LIMIT`` bytes (``read_message``), and ``loads`` checks it before
and after ``torch.load``: a plain zip archive with stored (never compressed)
entries, a pickle of the size and the few instructions and names that
``torch.save`` writes for plain data, and a decoded value within a budget of
values, nesting, bytes and no container reached twice. Whatever breaks a
rule raises ``Unreadable`` with one sentence; no rule costs more than a pass
over the message.

Files the student's code wrote pass the same archive checks (``load_plain``);
files the grader hands it are written as ``torch.save`` would (``torch_bytes``).
"""

from __future__ import annotations

import collections
import io
import os
import pickletools
import select
import struct
import time
import zipfile
from typing import Any

import torch

HANDLE = "__torch_practice_handle__"

# Bytes in one message, and bytes of data (tensor elements, strings) a decoded
# message may hold. The biggest honest replies are a model's state_dict (the
# course's largest CNN: a few MB) and predictions for 10k test images (10k x 10
# float32: 400 KB); 256 MiB leaves a wide margin and is still memory a grading
# machine can spare for one reply.
MESSAGE_LIMIT = 256 << 20
# The pickle inside a message: the structure, not the tensor data (that lies
# beside it in the archive). The biggest honest one is l02's list of 125k
# words: 1.8 MB, about 0.3 M instructions. torch reads pickles with pure-Python code
# (about 2 us an instruction), so these also bound the time a reply takes.
PICKLE_LIMIT = 8 << 20
INSTRUCTION_LIMIT = 1_000_000
VALUE_LIMIT = 1_000_000  # values (containers, numbers, strings, tensors) in one message; honest ones hold < 130k
DEPTH_LIMIT = 32  # nesting of lists, tuples and dicts; honest replies nest 5 deep at most
TEXT_LIMIT = 1000  # characters kept of each string in an error reply, before any pattern or formatting sees it

SCALARS = (type(None), bool, int, float, complex, str, bytes, torch.dtype, torch.device)
CONTAINERS = (list, tuple, dict, collections.OrderedDict)
# What torch.save writes for plain data with pickle protocol 2; anything else
# (BUILD sets attributes, STACK_GLOBAL hides a name, ...) is refused unread.
OPCODES = {
    "PROTO",
    "STOP",
    "MARK",
    "GLOBAL",
    "REDUCE",
    "BINPERSID",
    "BINPUT",
    "LONG_BINPUT",
    "BINGET",
    "LONG_BINGET",
    "NONE",
    "NEWTRUE",
    "NEWFALSE",
    "BININT",
    "BININT1",
    "BININT2",
    "LONG1",
    "LONG4",
    "BINFLOAT",
    "BINUNICODE",
    "EMPTY_TUPLE",
    "TUPLE",
    "TUPLE1",
    "TUPLE2",
    "TUPLE3",
    "EMPTY_LIST",
    "APPEND",
    "APPENDS",
    "EMPTY_DICT",
    "SETITEM",
    "SETITEMS",
}
# The names those instructions may load: a plain tensor, its storage types and
# dtypes, a device, complex numbers and bytes. Not the sparse, quantized,
# nested or subclass rebuilders weights_only also allows: some of those
# allocate what the message declares before anything could check it.
GLOBALS = {
    "torch._utils _rebuild_tensor_v2",
    "collections OrderedDict",
    "torch device",
    "__builtin__ complex",
    "_codecs encode",
} | {
    f"torch {name}"
    for name, value in vars(torch).items()
    if isinstance(value, torch.dtype) or (name.endswith("Storage") and isinstance(value, type))
}
# The three records that end a torch.save archive: zip64 end of central
# directory, its locator, and the classic end record (the layout miniz writes).
ZIP64_END = struct.Struct("<4sQ2H2L4Q")
ZIP64_LOCATOR = struct.Struct("<4sLQL")
END = struct.Struct("<4s4H2LH")
TAIL = ZIP64_END.size + ZIP64_LOCATOR.size + END.size


class Unreadable(ValueError):
    """A message that is not plain data within the budgets; ``str()`` says why."""


def dumps(message: Any) -> bytes:
    buffer = io.BytesIO()
    torch.save(message, buffer)
    return buffer.getvalue()


def loads(blob: bytes) -> Any:
    """Decode a message; raises ``Unreadable`` unless it is plain data within
    the budgets (a trusted message is too)."""
    if len(blob) > MESSAGE_LIMIT:
        raise Unreadable(f"a message over the {MESSAGE_LIMIT >> 20} MiB limit")
    check_pickle(read_pickle(blob))
    try:
        value = torch.load(io.BytesIO(blob), weights_only=True, map_location="cpu")
    except Exception as exc:  # noqa: BLE001 - weights_only refused it, or the archive is broken
        raise Unreadable(f"not plain data ({type(exc).__name__})") from None
    check_value(value)
    return value


def read_pickle(blob: bytes) -> bytes:
    """The pickle of a ``torch.save`` archive, after checking that Python's
    zip reader and torch's see the same entries and that every entry is
    stored as is: a compressed one could inflate to any size."""
    check_tail(blob)
    try:
        infos = zipfile.ZipFile(io.BytesIO(blob)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unreadable(f"a broken archive ({exc})") from None
    names = [info.filename for info in infos]
    prefix = names[0].partition("/")[0] if names else ""
    if len(set(names)) != len(names) or any(not name.startswith(prefix + "/") for name in names):
        raise Unreadable("an archive with repeated or scattered entries")
    if any(i.compress_type != zipfile.ZIP_STORED or i.file_size != i.compress_size or i.flag_bits & 1 for i in infos):
        raise Unreadable("an archive with compressed or encrypted entries")
    pickle_info = next((i for i in infos if i.filename == f"{prefix}/data.pkl"), None)
    if pickle_info is None or pickle_info.file_size > PICKLE_LIMIT:
        raise Unreadable(f"no pickle, or one over the {PICKLE_LIMIT >> 20} MiB limit")
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return archive.read(pickle_info)


def check_tail(blob: bytes) -> None:
    """Refuse an archive whose end records are not exactly those torch.save
    writes: one central directory right before them, the zip64 and classic
    records agreeing, no comment, one disk. Then every zip reader finds the
    same central directory (none is hidden behind padding or a second end record)."""
    if len(blob) < TAIL:
        raise Unreadable("not a torch.save archive")
    end64 = ZIP64_END.unpack_from(blob, len(blob) - TAIL)
    locator = ZIP64_LOCATOR.unpack_from(blob, len(blob) - TAIL + ZIP64_END.size)
    end = END.unpack_from(blob, len(blob) - END.size)
    cd_size, cd_offset = end64[8], end64[9]
    expected = (
        (b"PK\x06\x06", ZIP64_END.size - 12, end64[2], end64[3], 0, 0, end64[7], end64[7], cd_size, cd_offset),
        (b"PK\x06\x07", 0, len(blob) - TAIL, 1),
        (
            b"PK\x05\x06",
            0,
            0,
            min(end64[7], 0xFFFF),
            min(end64[7], 0xFFFF),
            min(cd_size, 0xFFFFFFFF),
            min(cd_offset, 0xFFFFFFFF),
            0,
        ),
    )
    if (end64, locator, end) != expected or cd_offset + cd_size != len(blob) - TAIL:
        raise Unreadable("not a plain torch.save archive (padded, commented or with two directories)")


def check_pickle(data: bytes) -> None:
    """Refuse a pickle with an instruction or a name plain data never needs."""
    instructions = pickletools.genops(data)
    for _ in range(INSTRUCTION_LIMIT + 1):
        try:
            opcode, arg, _ = next(instructions)
        except StopIteration:
            return
        except (ValueError, UnicodeDecodeError):
            raise Unreadable("a malformed pickle") from None
        if opcode.name not in OPCODES:
            raise Unreadable(f"a pickle instruction plain data never needs ({opcode.name})")
        if opcode.name == "GLOBAL" and arg not in GLOBALS:
            raise Unreadable(f"a pickle that loads {str(arg)[:60]!r}")
    raise Unreadable(f"a pickle of over {INSTRUCTION_LIMIT} instructions")


def check_value(value: Any) -> None:
    """Walk a decoded message once, without recursion, within the budgets:
    ``VALUE_LIMIT`` values, ``DEPTH_LIMIT`` levels, ``MESSAGE_LIMIT`` bytes of
    data (tensor elements counted as ``numel * element_size``, so a tiny
    storage seen through a stride-0 view counts at the size a copy would
    take), only plain types, and no non-empty container twice: a message
    must not expand into more than it carried."""
    seen: set[int] = set()
    stack, count, size = [(value, 1)], 0, 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > VALUE_LIMIT:
            raise Unreadable(f"over {VALUE_LIMIT} values")
        kind = type(item)
        if kind in CONTAINERS:
            if depth > DEPTH_LIMIT:
                raise Unreadable(f"lists, tuples or dicts nested over {DEPTH_LIMIT} deep")
            if item:
                if id(item) in seen:
                    raise Unreadable("a list, tuple or dict that appears twice (shared references)")
                seen.add(id(item))
            if isinstance(item, dict):
                if any(type(key) not in (str, int) for key in item):
                    raise Unreadable("a dict whose keys are not strings or ints")
                size += sum(len(key) for key in item if type(key) is str)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)
        elif kind is torch.Tensor:
            size += tensor_bytes(item)
        elif kind in SCALARS:
            size += len(item) if kind in (str, bytes) else item.bit_length() // 8 if kind is int else 0
        else:
            raise Unreadable(f"a {kind.__name__}, which is not plain data")
        if size > MESSAGE_LIMIT:
            raise Unreadable(f"over {MESSAGE_LIMIT >> 20} MiB of data once decoded")


def tensor_bytes(t: torch.Tensor) -> int:
    """Bytes a dense copy of ``t`` takes; raises ``Unreadable`` for what is not
    a plain dense CPU tensor (sparse, quantized, nested, meta)."""
    if t.layout != torch.strided or t.is_quantized or t.is_nested or t.device.type != "cpu":
        raise Unreadable(f"a {t.layout} {t.device.type} tensor, not a plain dense one")
    return t.numel() * t.element_size()


def clip(text: Any, limit: int = TEXT_LIMIT) -> str:
    """A string from the worker cut to ``limit`` characters (anything else: ``""``),
    so that no pattern or formatting ever runs over more."""
    if not isinstance(text, str):
        return ""
    return text if len(text) <= limit else text[:limit] + f" ... [{len(text) - limit} characters cut]"


def plain_tensor(t: torch.Tensor, keep_grad: bool = False) -> torch.Tensor:
    """A detached CPU copy of ``t`` as a plain ``torch.Tensor``: no subclass,
    no memory shared with the original; ``requires_grad`` kept if asked."""
    copy = t.detach().to("cpu", copy=True).as_subclass(torch.Tensor)
    return copy.requires_grad_(keep_grad and t.requires_grad)


# -- framing with deadlines (the trusted side's end of the socket) ---------------
class TooLarge(Unreadable):
    """A message announced as longer than the limit; nothing of it was read."""


def write_message(fd: int, blob: bytes, deadline: float) -> bool:
    """Send ``blob`` on a non-blocking socket ``fd`` framed as
    ``Connection.send_bytes`` frames it; False when the peer did not take it
    all before ``deadline`` (``time.monotonic()``). Raises OSError when it closed."""
    header = struct.pack("!i", len(blob)) if len(blob) < 0x7FFFFFFF else struct.pack("!iQ", -1, len(blob))
    data = memoryview(header + blob)
    while data:
        if not _ready(fd, select.POLLOUT, deadline):
            return False
        try:
            data = data[os.write(fd, data[: 1 << 20]) :]
        except BlockingIOError:
            continue
    return True


def read_message(fd: int, deadline: float, limit: int = MESSAGE_LIMIT) -> bytes | None:
    """One message from a non-blocking socket ``fd`` framed as
    ``Connection.send_bytes`` frames it; None when it was not all there
    before ``deadline``. Raises ``TooLarge`` for a length over ``limit``
    (before reading any of it), ``EOFError`` when the peer closed."""
    header = _read_exactly(fd, 4, deadline)
    if header is None:
        return None
    (size,) = struct.unpack("!i", header)
    if size == -1:
        header = _read_exactly(fd, 8, deadline)
        if header is None:
            return None
        (size,) = struct.unpack("!Q", header)
    if size < 0 or size > limit:
        raise TooLarge(f"a reply over the {limit >> 20} MiB limit")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        if not _ready(fd, select.POLLIN, deadline):
            return None
        try:
            chunk = os.read(fd, min(size - len(data), 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _ready(fd: int, event: int, deadline: float) -> bool:
    """Wait until ``fd`` is ready for ``event`` (or hung up) or ``deadline`` passes."""
    poller = select.poll()
    poller.register(fd, event)
    return bool(poller.poll(max(0, int((deadline - time.monotonic()) * 1000))))


def torch_bytes(value: Any) -> bytes:
    """What ``torch.save(value, path)`` would write, for ``Student.put_file``."""
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def load_plain(blob: bytes) -> Any:
    """Decode a torch file the student's code wrote (bytes from
    ``Student.read_file``) with ``weights_only=True``, so that nothing in it
    can run code here. The archive must pass the channel's checks (the zip
    that ``torch.save`` writes, entries stored uncompressed: a compressed
    entry of a few KB could unpack into gigabytes in the grader); its pickle
    may hold more than a message (a state_dict's metadata), which
    ``weights_only`` vets. Raises ValueError with a one-line reason."""
    try:
        read_pickle(blob)
    except Unreadable as exc:
        raise ValueError(f"not a file torch.save writes: {exc}") from None
    try:
        return torch.load(io.BytesIO(blob), weights_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever refuses it, the file holds more than plain data
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
        # the line that names what was refused, not the advice around it
        reason = next((line for line in lines if "GLOBAL" in line or line.startswith("WeightsUnpickler")), lines[0])
        raise ValueError(f"torch.load(weights_only=True) refuses it: {reason[:200]}") from None
