"""A local Hugging Face Hub: a generated, evolving world served over real HTTP.

Point any client at it (``HF_ENDPOINT=http://127.0.0.1:8765``) to develop and test offline.
"""

from hubsight.replica.server import ReplicaServer
from hubsight.replica.state import Faults
from hubsight.replica.world import SCALES, World

__all__ = ["SCALES", "Faults", "ReplicaServer", "World"]
