"""SeriesEmbedding: the series index column swapped for a learned vector, saved and loaded."""

import keras
import numpy as np

import seqcast.layers  # noqa: F401  (registers the layers; sets the backend)
from seqcast.layers import SeriesEmbedding, with_series_embedding


def test_the_index_column_becomes_that_series_vector_in_place():
    layer = SeriesEmbedding(n_series=4, size=3, column=1)
    x = np.array([[[0.5, 2.0, 7.0], [0.6, 2.0, 8.0]]], "float32")
    out = np.asarray(layer(x))
    vectors = np.asarray(layer.embedding.embeddings)
    np.testing.assert_allclose(out[0, :, 0], [0.5, 0.6])
    np.testing.assert_allclose(out[0, :, 1:4], np.repeat(vectors[2:3], 2, axis=0), rtol=1e-6)
    np.testing.assert_allclose(out[0, :, 4], [7.0, 8.0])  # the known columns stay last


def test_a_model_with_series_vectors_saves_and_loads(tmp_path):
    inner = keras.Sequential([keras.Input((5, 4)), keras.layers.GRU(3), keras.layers.Dense(2)])
    model = with_series_embedding(inner, n_series=6, size=2, column=1)
    x = np.random.default_rng(0).normal(size=(4, 5, 3)).astype("float32")
    x[:, :, 1] = np.arange(4)[:, None]
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
