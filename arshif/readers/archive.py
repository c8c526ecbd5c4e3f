"""ZIP archives: each member goes through the reader for its own format."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import Callable, Iterator, Mapping

from ..model import Skipped
from .base import InputFile, Record


def read(file: InputFile, columns: Mapping[str, str] | None = None, *,
         dispatch: Callable[..., Iterator[Record]]) -> Iterator[Record]:
    """Read every member of a ZIP archive (sidecars of ``.txt`` members included) with ``dispatch`` (the
    package's ``read_file``, passed in so that this module does not import its package); ``columns`` reaches
    CSV members."""
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
            yield from dispatch(InputFile(f"{file.name}/{name}", data, sidecar), columns=columns)
