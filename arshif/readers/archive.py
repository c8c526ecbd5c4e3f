"""ZIP archives: each member goes through the reader for its own format."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Iterator, Mapping

from ..model import Skipped
from . import InputFile, Record, read_file


def read(file: InputFile, columns: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Read every member of a ZIP archive (sidecars of ``.txt`` members included); ``columns`` reaches CSV members."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.data))
    except zipfile.BadZipFile as error:
        yield Skipped(file.name, f"not a readable ZIP archive: {error}")
        return
    with archive:
        names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
        present = set(names)
        for name in names:
            member = PurePosixPath(name)
            if member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            if member.suffix.lower() == ".json" and str(member.with_suffix(".txt")) in present:
                continue
            sidecar_name = str(member.with_suffix(".json"))
            sidecar = archive.read(sidecar_name) if member.suffix.lower() == ".txt" and sidecar_name in present else None
            try:
                data = archive.read(name)
            except (zipfile.BadZipFile, OSError, ValueError) as error:
                yield Skipped(f"{file.name}/{name}", f"cannot extract: {error}")
                continue
            yield from read_file(InputFile(f"{file.name}/{name}", data, sidecar), columns=columns)
