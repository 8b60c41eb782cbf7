"""The wire between the trusted checker and the sandboxed worker: frames of JSON plus raw tensor bytes.

A frame is `total length (4 bytes) | header length (4 bytes) | header (UTF-8 JSON) | tensor bytes`. A
tensor travels as `{"$t": i}` in the header and as raw little-endian bytes after it, described by
`dtype` and `shape` in the header's `tensors` list. Never pickle. Every limit is checked on arrival, and
anything malformed raises ProtocolError, which the checker turns into the learner's error verdict.
"""

from __future__ import annotations

import ctypes
import json
import math
import socket
import struct
from typing import Any

import torch

MAX_FRAME = 256 * 1024 * 1024  # the largest reply taken from the worker
MAX_HEADER = 1024 * 1024
MAX_TENSORS = 4096
MAX_DIMS = 8
DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
    "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8,
    "bool": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


class ProtocolError(Exception):
    """The other side sent something that is not a valid frame or answer."""


class ChannelClosed(ProtocolError):
    """The other side closed the channel (or died) before a whole frame arrived."""


def encode(message: Any) -> bytes:
    blobs: list[bytes] = []
    described: list[dict[str, Any]] = []

    def walk(value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            t = value.detach().to("cpu")
            if t.dtype not in NAMES:
                t = t.to(torch.float64 if t.is_floating_point() or t.is_complex() else torch.int64)
            t = t.clone(memory_format=torch.contiguous_format)  # its own storage, no offset
            described.append({"dtype": NAMES[t.dtype], "shape": list(t.shape)})
            blobs.append(ctypes.string_at(t.data_ptr(), t.numel() * t.element_size()) if t.numel() else b"")
            return {"$t": len(described) - 1}
        if isinstance(value, dict):
            return {str(k): walk(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return value

    header = dict(walk(message))
    header["tensors"] = described
    head = json.dumps(header, ensure_ascii=True, allow_nan=True).encode()
    body = b"".join(blobs)
    return struct.pack(">II", 4 + len(head) + len(body), len(head)) + head + body


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise ChannelClosed("the channel closed in the middle of a message" if got else "the channel closed")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, limit: int = MAX_FRAME) -> dict[str, Any]:
    (total,) = struct.unpack(">I", _recv_exact(sock, 4))
    if total < 4 or total > limit:
        raise ProtocolError(f"a message of {total} bytes (the limit is {limit})")
    return decode(_recv_exact(sock, total))


def send(sock: socket.socket, message: Any) -> None:
    sock.sendall(encode(message))


def decode(frame: bytes) -> dict[str, Any]:
    (head_len,) = struct.unpack(">I", frame[:4])
    if head_len > MAX_HEADER or 4 + head_len > len(frame):
        raise ProtocolError("a malformed message header")
    try:
        header = json.loads(frame[4:4 + head_len].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError("a message header that is not JSON") from None
    if not isinstance(header, dict) or not isinstance(header.get("tensors"), list):
        raise ProtocolError("a message without its tensor table")
    table = header.pop("tensors")
    if len(table) > MAX_TENSORS:
        raise ProtocolError(f"{len(table)} tensors in one message")
    tensors, offset, body = [], 4 + head_len, memoryview(frame)
    for entry in table:
        dtype, shape = _described(entry)
        nbytes = math.prod(shape) * torch.tensor([], dtype=dtype).element_size()
        if offset + nbytes > len(frame):
            raise ProtocolError("a tensor longer than its message")
        raw = bytearray(body[offset:offset + nbytes])
        offset += nbytes
        flat = torch.frombuffer(raw, dtype=torch.uint8) if nbytes else torch.empty(0, dtype=torch.uint8)
        tensors.append((flat != 0 if dtype == torch.bool else flat.view(dtype)).reshape(shape).clone())
    if offset != len(frame):
        raise ProtocolError("trailing bytes after a message")

    def resolve(value: Any, depth: int = 0) -> Any:
        if depth > 32:
            raise ProtocolError("a message nested too deeply")
        if isinstance(value, dict):
            if set(value) == {"$t"}:
                index = value["$t"]
                if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(tensors):
                    raise ProtocolError("a reference to a tensor that was not sent")
                return tensors[index]
            return {k: resolve(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, depth + 1) for v in value]
        return value

    result = resolve(header)
    assert isinstance(result, dict)
    return result


def _described(entry: Any) -> tuple[torch.dtype, list[int]]:
    if not isinstance(entry, dict) or entry.get("dtype") not in DTYPES or not isinstance(entry.get("shape"), list):
        raise ProtocolError("a tensor with no valid dtype or shape")
    shape = entry["shape"]
    if len(shape) > MAX_DIMS or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 2**31
                                        for s in shape):
        raise ProtocolError(f"a tensor of impossible shape {shape!r:.80}")
    return DTYPES[entry["dtype"]], shape
