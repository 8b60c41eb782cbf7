"""The Linux kernel calls the sandbox needs, through ctypes, in one place.

unshare(2), mount(2), prctl(2) and the three Landlock system calls. Every function raises OSError with
the errno the kernel gave, so the caller can degrade and say which protection is missing. Nothing here
imports torch; nothing here is used off Linux (callers check `sys.platform` first).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MS_REC, MS_PRIVATE = 0x4000, 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

# Landlock: the same syscall numbers on every architecture that has it (the generic table).
_SYS_LANDLOCK = {"create_ruleset": 444, "add_rule": 445, "restrict_self": 446}
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1

FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
# remove dir/file, make char/dir/reg/sock/fifo/block/sym (ABI 1), refer (2), truncate (3), ioctl_dev (5)
_FS_ALL_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
FS_READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
NET_ALL = (1 << 0) | (1 << 1)  # bind and connect TCP (ABI 4)
SCOPE_ALL = (1 << 0) | (1 << 1)  # abstract unix sockets, signals (ABI 6)

_libc: ctypes.CDLL | None = None


def libc() -> ctypes.CDLL:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


def _check(result: int, what: str) -> int:
    if result == -1:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def unshare(flags: int) -> None:
    _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(libc().mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                        ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def prctl(option: int, arg: int = 0) -> None:
    _check(libc().prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0),
                        ctypes.c_ulong(0)), "prctl")


def write_id_maps(uid: int, gid: int) -> None:
    """After unshare(CLONE_NEWUSER): map our own ids, so files keep their owner."""
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{gid} {gid} 1")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall(name: str, *args: object) -> int:
    if platform.machine() not in ("x86_64", "aarch64", "riscv64", "arm64"):
        raise OSError(38, "landlock: unknown system call table")
    return _check(libc().syscall(ctypes.c_long(_SYS_LANDLOCK[name]), *args), f"landlock_{name}")


def landlock_abi() -> int:
    """The Landlock ABI version the kernel offers; 0 when it has none (or it is disabled)."""
    try:
        return _syscall("create_ruleset", None, ctypes.c_size_t(0), ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    except OSError:
        return 0


def landlock_restrict(read: list[str], write: list[str], abi: int) -> list[str]:
    """Restrict this process and its future children: read-only beneath `read`, read-write beneath `write`,
    nothing elsewhere; with ABI 4+ no TCP bind/connect, with ABI 6+ no signals or abstract sockets leaving
    the sandbox. Needs no_new_privs set first. Returns what was restricted, for the report."""
    fs_all = _FS_ALL_BY_ABI.get(abi, _FS_ALL_BY_ABI[5])
    attr = _RulesetAttr(fs_all, NET_ALL if abi >= 4 else 0, SCOPE_ALL if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _syscall("create_ruleset", ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    try:
        for paths, access in ((read, FS_READ), (write, fs_all)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    allowed = access if os.path.isdir(path) else access & (FS_EXECUTE | FS_READ_FILE | FS_WRITE_FILE
                                                                           | (1 << 14))
                    rule = _PathBeneathAttr(allowed & fs_all, fd)
                    _syscall("add_rule", ctypes.c_int(ruleset), ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH),
                             ctypes.byref(rule), ctypes.c_uint32(0))
                finally:
                    os.close(fd)
        _syscall("restrict_self", ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    done = ["files"]
    if abi >= 4:
        done.append("tcp")
    if abi >= 6:
        done.append("signals")
    return done
