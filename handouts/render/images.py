"""Pictures from the clinic (the brand logo): checked, and downsampled to print size."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from handouts.errors import InputError

PRINT_DPI = 200
MAX_PIXELS = 40_000_000  # a photo larger than this is refused, not decoded


def print_ready_png(
    path: Path, what: str, width_pt: float, height_pt: float
) -> tuple[bytes, int, int]:
    """The image at `path`, fitted within width x height points at about 200 dpi, as PNG bytes.

    Returns the PNG and its pixel size. A missing, unreadable, corrupt, huge or non-PNG/JPEG file
    is an InputError that names the file.
    """
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in ("PNG", "JPEG"):
                    raise InputError(
                        f"{path}: {what} must be a PNG or JPEG image, got {image.format}"
                    )
                image.load()
                picture = image.convert(
                    "RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB"
                )
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: {what} is a folder, expected a PNG or JPEG image") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"{path}: {what} is too large (over {MAX_PIXELS:,} pixels)") from None
    except UnidentifiedImageError:
        raise InputError(
            f"{path}: {what} is not a PNG or JPEG image (or the file is damaged)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: {what} cannot be read, the file seems damaged ({exc})") from None
    scale = min(
        width_pt / 72 * PRINT_DPI / picture.width, height_pt / 72 * PRINT_DPI / picture.height, 1.0
    )
    if scale < 1.0:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height
