"""The mesh a fit trains over: none for one device, and a clear refusal past the devices."""

import keras
import pytest

from seqcast.errors import SeqcastError
from seqcast.training.mesh import data_mesh, mesh_for


def test_one_device_is_the_plain_path():
    assert data_mesh(1) is None

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    assert mesh_for(model, 32, 100, None) is None


def test_more_devices_than_there_are_is_refused():
    with pytest.raises(SeqcastError, match="xla_force_host_platform_device_count=64"):
        data_mesh(64)
    with pytest.raises(SeqcastError, match="at least 1"):
        data_mesh(0)
