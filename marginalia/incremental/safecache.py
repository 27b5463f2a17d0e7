"""Cache files are only ever an accelerator: one that cannot be read is dropped and made again, never fatal.

Jinja's FileSystemBytecodeCache unpickles each compiled template's checksum without a guard, so a
truncated file (a killed build, a full disk) made every later incremental build fail with an
UnpicklingError while `check` passed. It also cannot write into a read-only project.

Compiled templates are also kept in memory for the life of the process, keyed like Jinja's files
(template name and file, and a digest of the source), so a process that builds several projects
or builds again (`serve`, the test suite) compiles each template source once. The compiled code
depends on nothing else that can change within one process: make_environment's settings and the
Jinja version are fixed.
"""

from __future__ import annotations

import os
from types import CodeType

from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

# (bucket key, source checksum) → the compiled code object; shared by every environment of the process.
_COMPILED: dict[tuple[str, str], CodeType] = {}


def recall(bucket: Bucket) -> bool:
    """Fill the bucket with the template's code from an earlier compile in this process; whether there was one."""
    bucket.code = _COMPILED.get((bucket.key, bucket.checksum))
    return bucket.code is not None


def remember(bucket: Bucket) -> None:
    """Keep the compiled code for the next environment of this process."""
    if bucket.code is not None:
        _COMPILED[(bucket.key, bucket.checksum)] = bucket.code


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process only."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """The code of an earlier compile in this process, if any."""
        recall(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code for the next environment."""
        remember(bucket)


class TolerantBytecodeCache(FileSystemBytecodeCache):
    """FileSystemBytecodeCache that treats an unreadable entry as absent and a failed write as no write."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """The compiled template, or nothing (and the bad file removed) when it cannot be read."""
        if recall(bucket):
            return
        try:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                remember(bucket)
        except Exception:  # noqa: BLE001 - truncated or foreign bytes: compile the template again instead
            bucket.reset()
            try:
                os.remove(self._get_cache_filename(bucket))
            except OSError:
                pass  # read-only: it is simply not used

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the compiled template for the next build, when the folder can be written."""
        remember(bucket)
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a read-only project still builds; it compiles its templates again next time
