"""The data on one device: evaluation chunks padded and masked."""

import numpy as np

from seqcast.training.device_data import chunked


def test_chunks_pad_and_mask_the_last_one():
    chunks, mask = chunked(np.arange(5.0)[:, None], 2)
    assert chunks.shape == (3, 2, 1) and mask.tolist() == [[1, 1], [1, 1], [1, 0]]
