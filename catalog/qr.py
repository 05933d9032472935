"""QR codes (segno) for Digital Links: SVG for print and screens, PNG for everything else."""

import io

import segno

# Error correction M survives a scuffed bag; a 4-module quiet zone is what scanners expect.
ERROR_LEVEL = "m"
BORDER = 4


def make(data: str):
    return segno.make(data, error=ERROR_LEVEL, micro=False, boost_error=False)


def svg(data: str, title: str = "") -> bytes:
    buffer = io.BytesIO()
    make(data).save(buffer, kind="svg", scale=4, border=BORDER, xmldecl=False, title=title or None, omitsize=True)
    return buffer.getvalue()


def png(data: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    make(data).save(buffer, kind="png", scale=scale, border=BORDER)
    return buffer.getvalue()
