"""attnquiz: study attention mechanisms in CNNs for interviews, and grade your own PyTorch modules."""

__version__ = "0.1.0"
