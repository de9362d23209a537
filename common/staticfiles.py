"""Static files storage for production: hashed names, compressed copies, long cache lifetimes."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: tuple) -> tuple:
    return tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for glob, rules in patterns
    )


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage, leaving `sourceMappingURL` comments as they are.

    Source maps only serve the browser's developer tools, and a vendored package may name a map it
    does not ship (XStatic-Leaflet-MarkerCluster names `leaflet.markercluster.js.map` but ships
    `-src.js.map`): hashing that reference fails collectstatic, and then every page is a 500.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
