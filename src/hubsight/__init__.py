"""hubsight: ask the Hugging Face Hub anything and see how it changes over time."""

__version__ = "0.1.0"
__all__ = ["__version__"]
