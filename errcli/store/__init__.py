"""On-disk state: the cache folder and its keys (``cache``), safe file reads and writes (``files``)."""
