"""Where a build's files go: written all or none (write.py), recorded with what they were made
from (cache.py), and found unchanged without a build (uptodate.py)."""
