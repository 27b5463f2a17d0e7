"""Cache files are only ever an accelerator: one that cannot be read is dropped and made again, never fatal.

Jinja's FileSystemBytecodeCache unpickles each compiled template's checksum without a guard, so a
truncated file (a killed build, a full disk) made every later incremental build fail with an
UnpicklingError while `check` passed. It also cannot write into a read-only project.
"""

from __future__ import annotations

import os

from jinja2.bccache import Bucket, FileSystemBytecodeCache


class TolerantBytecodeCache(FileSystemBytecodeCache):
    """FileSystemBytecodeCache that treats an unreadable entry as absent and a failed write as no write."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """The compiled template, or nothing (and the bad file removed) when it cannot be read."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - truncated or foreign bytes: compile the template again instead
            bucket.reset()
            try:
                os.remove(self._get_cache_filename(bucket))
            except OSError:
                pass  # read-only: it is simply not used

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the compiled template for the next build, when the folder can be written."""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a read-only project still builds; it compiles its templates again next time
