"""Legacy Word .doc: converted to .docx by LibreOffice (headless), then read as DOCX.

No Python library reads the binary .doc format well enough for tables with
merged cells; LibreOffice does. It is an optional system dependency: without
it the reader says how to get it (or to save the file as .docx).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..document import Document, ReadError
from .docx import read_docx

TIMEOUT_S = 120
NO_OFFICE = "legacy .doc needs LibreOffice: apt-get install libreoffice-writer (or save the file as .docx)"


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, *, timeout: float = TIMEOUT_S) -> Document:
    soffice = find_soffice()
    if soffice is None:
        raise ReadError(NO_OFFICE)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        # a private profile dir: a user's running LibreOffice would otherwise take the job and return at once
        profile = Path(tmp, "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(path.resolve())]
        try:
            # its own process group: on a timeout the converter's children (soffice.bin) go too
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        except OSError as e:
            raise ReadError(f"legacy .doc: cannot run LibreOffice ({e.strerror})") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ReadError(f"legacy .doc: LibreOffice did not convert it within {timeout:g} s") from None
        out = Path(tmp, path.stem + ".docx")
        if proc.returncode != 0 or not out.exists():
            err = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
            reason = err[-1] if err else f"exit code {proc.returncode}"
            raise ReadError(f"legacy .doc: LibreOffice could not convert it ({reason})")
        doc = read_docx(out.read_bytes(), path.stem, path.name)
    doc.kind = "doc"
    return doc
