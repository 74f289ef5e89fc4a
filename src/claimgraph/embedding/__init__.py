"""Sentence encoders shared by extraction (the propaganda tagger) and the claims step: MiniLM
on onnxruntime (`minilm`) and the static word-vector encoder (`static`)."""

from .minilm import Embedder, default_embedder

__all__ = ["Embedder", "default_embedder"]
