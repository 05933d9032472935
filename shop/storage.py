"""Static file storage for the laptop demo.

Production serves static files through whitenoise's CompressedManifestStaticFilesStorage, which
writes a gzip and a brotli copy of every file. Brotli at its best quality costs about a minute of
CPU per `collectstatic` on two cores, and `make run` collects on every start, so the demo settles
for gzip; hashed names and everything else stay as in production.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's manifest storage, compressing with gzip only."""

    def create_compressor(self, **kwargs):
        return super().create_compressor(use_brotli=False, **kwargs)
