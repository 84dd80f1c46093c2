"""The history store: tables (``schema``), day blobs (``codec``, ``snapshots``), engines and migrations (``db``)."""
