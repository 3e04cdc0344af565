"""Reading the learner's pictures safely, and preparing them exactly as the networks expect."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from playground.errors import InputError
from playground.lessons import images
from tests.corpus.images import corpus

CORPUS = corpus()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_kind_of_file_is_read_or_refused_with_a_message(name):
    data, (outcome, key) = CORPUS[name]
    if outcome == "error":
        with pytest.raises(InputError) as info:
            images.open_image(data)
        assert info.value.key == key
        assert info.value.message("zh") and "Traceback" not in str(info.value)
    else:
        loaded = images.open_image(data)
        assert loaded.image.mode == "RGB"
        assert max(loaded.image.size) <= 1024
        if key:
            assert key in [note.key for note in loaded.notes]


def test_a_picture_over_the_pixel_limit_is_refused_by_its_size_before_decoding():
    with pytest.raises(InputError) as info:
        images.open_image(CORPUS["bomb-64-megapixels.png"][0])
    assert info.value.key == "img.err.too_big" and info.value.params["width"] == 8_000  # our check, not Pillow's


def test_a_picture_bigger_in_memory_than_the_budget_is_refused_before_decoding():
    with pytest.raises(InputError) as info:
        images.open_image(CORPUS["rgba-7000-bomb.png"][0])  # its data would not even decode: the check came first
    assert info.value.key == "img.err.too_many_bytes" and info.value.params["mode"] == "RGBA"
    assert "196" in info.value.message("en") and "128" in info.value.message("en")


def test_a_picture_pillow_refuses_is_named_by_its_pixel_count():
    with pytest.raises(InputError) as info:
        images.open_image(CORPUS["bomb.png"][0])
    assert info.value.params["pixels"] == "400,000,000" and "?" not in info.value.message("en")


def test_a_big_high_depth_picture_is_scaled_down_before_it_is_converted(monkeypatch):
    """A 16-bit 5,000 × 4,000 picture (40 MB decoded): the conversion to 8 bits (float copies of every pixel)
    only ever sees the scaled-down picture, so it never takes several copies of the full size."""
    converted = []
    to_rgb = images._to_rgb
    monkeypatch.setattr(images, "_to_rgb", lambda image, notes: converted.append(image.size) or to_rgb(image, notes))
    sixteen_bit = Image.fromarray(np.tile(np.arange(5_000, dtype=np.uint16) * 13, (4_000, 1)))
    loaded = images.open_image(_png_bytes(sixteen_bit))
    assert converted == [(1024, 819)] and loaded.image.size == (1024, 819)
    keys = [note.key for note in loaded.notes]
    assert "img.note.downscaled" in keys and "img.note.high_depth" in keys


def test_pictures_are_decoded_at_most_two_at_a_time(monkeypatch):
    """Eight learners' pictures at once: at most ``MAX_CONCURRENT_DECODES`` are being decoded at any moment."""
    import threading
    import time

    inside, most, lock = 0, 0, threading.Lock()
    decode = images._decode

    def counting(data):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)
        try:
            return decode(data)
        finally:
            with lock:
                inside -= 1

    monkeypatch.setattr(images, "_decode", counting)
    threads = [threading.Thread(target=images.open_image, args=(CORPUS["plain.png"][0],)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == images.MAX_CONCURRENT_DECODES == 2


def _png_bytes(image: Image.Image) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_exif_rotation_shows_the_picture_upright():
    loaded = images.open_image(CORPUS["exif-rotated.jpg"][0])
    assert loaded.image.size == (100, 200)


def test_transparency_is_composited_on_white():
    loaded = images.open_image(CORPUS["palette-transparent.png"][0])
    assert loaded.image.getpixel((0, 0)) == (255, 255, 255)  # transparent index → white
    assert loaded.image.getpixel((20, 20)) == (0, 255, 0)


def test_sixteen_bit_range_is_stretched_not_saturated():
    array = np.asarray(images.open_image(CORPUS["sixteen-bit.png"][0]).image)[..., 0]
    assert array.min() == 0 and array.max() == 255 and len(np.unique(array)) > 200


def test_padding_keeps_the_aspect_ratio_and_records_the_box():
    picture = Image.new("RGB", (200, 100), (10, 200, 30))
    prepared = images.prepare(picture, size=32, mean=(0.5,) * 3, std=(0.5,) * 3)
    assert prepared.tensor.shape == (1, 3, 32, 32)
    assert prepared.box == (0, 50, 200, 150)
    assert [s.key for s in prepared.steps] == ["img.step.original", "img.step.pad", "img.step.resize",
                                                "img.step.normalise"]
    # the padding takes the border colour, so a uniform picture stays uniform: nothing squashed or invented
    assert torch.allclose(prepared.tensor, prepared.tensor[:, :, :1, :1].expand_as(prepared.tensor))


def test_integer_downscale_gives_back_the_exact_pixels():
    small = Image.fromarray(np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8))
    prepared = images.prepare(small.resize((128, 128), Image.NEAREST), size=32, mean=(0,) * 3, std=(1,) * 3)
    assert np.array_equal(np.asarray(prepared.seen), np.asarray(small))


def test_imagenet_crop_matches_torchvisions_preset():
    from torchvision.models import ResNet18_Weights

    x = np.linspace(0, 1, 451)[None, :, None]
    y = np.linspace(0, 1, 300)[:, None, None]
    smooth = np.concatenate([x + 0 * y, y + 0 * x, np.sin(6 * x) * np.cos(4 * y) * 0.5 + 0.5], axis=2)
    picture = Image.fromarray((smooth * 255).astype(np.uint8))
    preset = ResNet18_Weights.IMAGENET1K_V1.transforms()
    ours = images.prepare(picture, size=224, mean=tuple(preset.mean), std=tuple(preset.std), resize=256, fit="crop")
    theirs = preset(picture).unsqueeze(0)
    assert ours.tensor.shape == theirs.shape
    # same geometry and filter family: only rounding differences remain on a smooth picture
    assert (ours.tensor - theirs).abs().max() < 0.05


def test_sketch_is_cropped_to_its_strokes():
    canvas = np.full((280, 280, 4), 255, np.uint8)
    canvas[100:180, 130:150, :3] = 0
    square = images.sketch_to_image(canvas)
    assert square.size[0] == square.size[1] and square.size[0] < 140
    with pytest.raises(InputError, match="Draw a digit"):
        images.sketch_to_image(np.full((280, 280, 4), 255, np.uint8))
    with pytest.raises(InputError):
        images.sketch_to_image(None)
