"""A published post's images and videos on the department website: resized renditions without the camera's
metadata (never the original upload), alt text, captions for video, Open Graph / Twitter cards, and nothing served
once the post leaves public view (385.5)."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from moderation import services as review
from posts import services as posts
from posts.models import Attachment, Publication
from tests.posts.factories import draft

pytestmark = pytest.mark.django_db

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112
ALT = "Officers and neighbors at the Miles Avenue Park picnic tables"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + bytes(range(256)) * 8
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to National Night Out.\n"


def phone_photo(width=2000, height=1000, orientation=None, color=(180, 40, 40)) -> bytes:
    """A JPEG like a phone's: the camera's make, the time and the GPS position where it was taken."""
    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[0x0132] = "2026:08:04 19:30:00"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (33.0, 43.0, 10.5), 3: "W", 4: (116.0, 12.0, 55.2)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


@pytest.fixture
def live(author, channel, supervisor, django_capture_on_commit_callbacks):
    def publish(files=(), **overrides):
        post = draft(author, [channel], **overrides)
        attachments = [
            posts.add_attachment(actor=author, post=post, uploaded=SimpleUploadedFile(name, data), alt_text=alt)
            for name, data, alt in files
        ]
        post.refresh_from_db()
        review.submit_for_review(actor=author, post=post)
        review.approve_post(actor=supervisor, post=post)
        with django_capture_on_commit_callbacks(execute=True):
            posts.publish_post(actor=author, post=post)
        post.refresh_from_db()
        return post, attachments

    return publish


def path_of(post):
    return Publication.objects.get(post=post, channel__kind="website").url.split("8000")[-1]


def srcset_of(html) -> dict[int, str]:
    """{width: address} of the first image's srcset."""
    found = re.search(r'srcset="([^"]+)"', html).group(1)
    pairs = (item.strip().rsplit(" ", 1) for item in found.split(","))
    return {int(width.rstrip("w")): src for src, width in pairs}


def test_the_photo_is_shown_in_three_widths_with_its_alt_text(live, settings):
    original = phone_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD), "the test photo carries a GPS position"
    post, (photo,) = live(files=[("scene.jpg", original, ALT)])
    # Drawn when the website adapter published it, before any visitor asked.
    assert len(list((settings.MEDIA_ROOT / "renditions" / str(photo.pk)).iterdir())) == 3
    html = Client().get(path_of(post)).content.decode()
    sizes = srcset_of(html)
    assert sorted(sizes) == [480, 960, 1600]
    img = re.search(r"<img [^>]+>", html).group(0)
    assert f'alt="{ALT}"' in img and 'width="960" height="480"' in img and 'sizes="' in img
    assert f'src="{sizes[960]}"' in img
    for width, src in sizes.items():
        response = Client().get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert "max-age=31536000" in response["Cache-Control"] and response["ETag"]
        body = b"".join(response.streaming_content)
        rendition = Image.open(io.BytesIO(body))
        assert rendition.format == "WEBP" and rendition.size == (width, width // 2)
        assert not rendition.getexif() and not rendition.getexif().get_ifd(GPS_IFD)
        assert "exif" not in rendition.info and "xmp" not in rendition.info
        assert b"Exif" not in body and b"PhoneMaker" not in body
        assert Client().get(src, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_original_upload_is_never_served(live):
    original = phone_photo()
    post, (photo,) = live(files=[("scene.jpg", original, ALT)])
    html = Client().get(path_of(post)).content.decode()
    assert photo.file.name not in html and photo.file.url not in html and "scene" not in html
    assert Client().get(photo.file.url).status_code == 404
    for src in srcset_of(html).values():
        assert b"".join(Client().get(src).streaming_content) != original


def test_a_removed_posts_images_are_gone_at_once(live, supervisor, settings, django_capture_on_commit_callbacks):
    post, (photo,) = live(files=[("scene.jpg", phone_photo(), ALT)])
    src = srcset_of(Client().get(path_of(post)).content.decode())[480]
    seen = Client().get(src)
    assert seen.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        posts.remove_from_public_view(actor=supervisor, post=post, reason="Shows a private address")
    assert Client().get(src).status_code == 404
    assert Client().get(src, HTTP_IF_NONE_MATCH=seen["ETag"]).status_code == 404  # not "not modified"
    assert not list((settings.MEDIA_ROOT / "renditions" / str(photo.pk)).iterdir())  # the copies are deleted
    assert Attachment.objects.get(pk=photo.pk).file.read() == phone_photo()  # the record keeps the original


def test_images_of_posts_not_published_and_wrong_addresses_are_not_served(live, author, channel):
    post, (photo,) = live(files=[("scene.jpg", phone_photo(), ALT)])
    src = srcset_of(Client().get(path_of(post)).content.decode())[480]
    waiting = draft(author, [channel], title="Not yet")
    unpublished = posts.add_attachment(
        actor=author,
        post=waiting,
        uploaded=SimpleUploadedFile("later.jpg", phone_photo(color=(20, 90, 160))),
        alt_text="The park entrance",
    )
    assert Client().get(src.replace(f"/{photo.pk}/", f"/{unpublished.pk}/")).status_code == 404
    assert Client().get(src.replace(photo.sha256[:16], unpublished.sha256[:16])).status_code == 404
    assert Client().get(src.replace("/480.webp", "/481.webp")).status_code == 404
    assert Client().get(src.replace(photo.sha256[:16], "../../etc/passwd")).status_code == 404


def test_small_images_are_not_enlarged_and_turned_photos_stand_upright(live):
    post, _ = live(
        files=[
            ("small.jpg", phone_photo(300, 200), "A small badge"),
            ("turned.jpg", phone_photo(1200, 800, orientation=6), "A photo taken holding the phone upright"),
        ]
    )
    html = Client().get(path_of(post)).content.decode()
    first, second = re.findall(r'srcset="([^"]+)"', html)
    assert re.findall(r" (\d+)w", first) == ["300"]
    widths = [int(w) for w in re.findall(r" (\d+)w", second)]
    assert widths == [480, 800]  # upright, the photo is 800 wide
    upright = Image.open(io.BytesIO(b"".join(Client().get(second.split(" ")[0]).streaming_content)))
    assert upright.size == (480, 720)


def test_renditions_missing_from_storage_are_drawn_on_first_request(live, settings):
    import shutil

    post, _ = live(files=[("scene.jpg", phone_photo(), ALT)])
    shutil.rmtree(settings.MEDIA_ROOT / "renditions")
    src = srcset_of(Client().get(path_of(post)).content.decode())[1600]
    response = Client().get(src)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1600, 800)


def test_a_video_plays_with_its_captions(live):
    post, (clip,) = live(files=[("night-out.mp4", MP4, "")])
    # Captions are attached to the video's Attachment (its `captions` file).
    clip.captions.save("night-out.vtt", ContentFile(VTT))
    html = Client().get(path_of(post)).content.decode()
    video = re.search(r"<video controls[^>]*>(.*?)</video>", html, re.S)
    assert video, html
    source = re.search(r'<source src="([^"]+)" type="video/mp4">', video.group(1)).group(1)
    track = re.search(r'<track kind="captions" src="([^"]+)" srclang="en" label="English" default>', video.group(1))
    assert track
    vtt = Client().get(track.group(1))
    assert vtt.status_code == 200 and vtt["Content-Type"].startswith("text/vtt")
    assert b"".join(vtt.streaming_content) == VTT
    whole = Client().get(source)
    assert whole["Content-Type"] == "video/mp4" and whole["Accept-Ranges"] == "bytes"
    part = Client().get(source, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part.content == MP4[10:20] and part["Content-Range"] == f"bytes 10-19/{len(MP4)}"
    assert Client().get(source, HTTP_RANGE=f"bytes={len(MP4) + 5}-").status_code == 416


def test_a_video_without_captions_has_no_track(live):
    post, _ = live(files=[("night-out.mp4", MP4, "")])
    html = Client().get(path_of(post)).content.decode()
    assert "<video controls" in html and "<track" not in html


def test_sharing_a_post_shows_its_headline_summary_and_largest_image(live):
    body = "Join us for National Night Out on August 4 at Miles Avenue Park. " * 8
    post, _ = live(files=[("scene.jpg", phone_photo(), ALT)], title="National Night Out", body=body)
    html = Client().get(path_of(post)).content.decode()

    def meta(attribute, name):
        return re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html).group(1)

    largest = srcset_of(html)[1600]
    assert meta("property", "og:title") == "National Night Out"
    assert meta("property", "og:description").startswith("Join us for National Night Out on August 4")
    assert len(meta("property", "og:description")) <= 200
    assert meta("property", "og:image") == f"http://127.0.0.1:8000{largest}"
    assert meta("property", "og:image:alt") == ALT and meta("property", "og:image:width") == "1600"
    assert meta("property", "og:locale") == "en_US"
    assert meta("property", "og:url") == f"http://127.0.0.1:8000{path_of(post)}"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert meta("name", "twitter:image") == f"http://127.0.0.1:8000{largest}"
    spanish = Client().get(f"/es{path_of(post)}").content.decode()
    assert '<meta property="og:locale" content="es_US">' in spanish
    assert f'alt="{ALT}" lang="en"' in spanish  # the alt text is written in English


def test_a_post_without_images_gets_a_summary_card(live):
    post, _ = live()
    html = Client().get(path_of(post)).content.decode()
    assert '<meta name="twitter:card" content="summary">' in html and "og:image" not in html


def test_the_post_page_needs_no_more_queries_for_more_images(live, django_assert_max_num_queries):
    one, _ = live(files=[("entrance.jpg", phone_photo(800, 400), "The park entrance")])
    photos = [
        (f"table-{n}.jpg", phone_photo(800, 400, color=(n * 60, 90, 90)), f"Picnic table number {n}") for n in (1, 2, 3)
    ]
    three, _ = live(files=photos, title="Three photos")

    def count(post):
        Client().get(path_of(post))  # the day's first view creates its counter row
        with django_assert_max_num_queries(20) as ctx:
            assert Client().get(path_of(post)).status_code == 200
        return len(ctx.captured_queries)

    assert count(one) == count(three)
    assert Attachment.objects.filter(post=three).count() == 3


def _box(kind: bytes, payload: bytes) -> bytes:
    import struct

    return struct.pack(">I4s", 8 + len(payload), kind) + payload


# A phone's MP4: the media data first, then `moov` with the place it was filmed in `udta/©xyz` and an XMP packet in a
# top-level `uuid` box (the layout cameras write when recording ends).
GPS = b"+34.7211-116.2152+012.000/"
MEDIA = bytes(range(256)) * 16
PHONE_MP4 = (
    _box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom")
    + _box(b"mdat", MEDIA)
    + _box(
        b"moov",
        _box(b"mvhd", bytes(100))
        + _box(b"trak", _box(b"tkhd", bytes(84)) + _box(b"udta", _box(b"\xa9xyz", b"\x00\x1a\x15\xc7" + GPS)))
        + _box(b"udta", _box(b"\xa9xyz", b"\x00\x1a\x15\xc7" + GPS) + _box(b"\xa9mak", b"\x00\x05\x00\x00Apple")),
    )
    + _box(
        b"uuid",
        bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC") + b"<x:xmpmeta>exif:GPSLatitude 34,43.27N</x:xmpmeta>",
    )
)


def test_a_video_is_served_without_where_it_was_filmed_and_its_media_untouched(live):
    post, (clip,) = live(files=[("night-out.mp4", PHONE_MP4, "")])
    html = Client().get(path_of(post)).content.decode()
    source = re.search(r'<source src="([^"]+)" type="video/mp4">', html).group(1)
    served = b"".join(Client().get(source).streaming_content)
    assert len(served) == len(PHONE_MP4)  # nothing moved: the offsets into the media data stay right
    assert GPS not in served and b"GPSLatitude" not in served and b"Apple" not in served
    assert served[:8] == PHONE_MP4[:8] and MEDIA in served
    assert served.count(b"free") >= 3 and b"udta" not in served
    with clip.file.open("rb") as original:
        assert GPS in original.read()  # the upload itself, kept for the record, is unchanged


def test_a_webm_video_loses_its_tags():
    from posts.video_copies import stripped

    def element(element_id: bytes, payload: bytes) -> bytes:
        return element_id + bytes([0x80 | len(payload)]) + payload if len(payload) < 127 else b""

    tags = element(
        b"\x12\x54\xc3\x67", element(b"\x73\x73", element(b"\x45\xa3", b"LOCATION") + element(b"\x44\x87", GPS))
    )
    cluster = element(b"\x1f\x43\xb6\x75", MEDIA[:100])
    segment = tags + cluster
    webm = (
        element(b"\x1a\x45\xdf\xa3", element(b"\x42\x82", b"webm"))
        + b"\x18\x53\x80\x67"
        + bytes([0x40 | len(segment) >> 8, len(segment) & 0xFF])  # a two-byte size
        + segment
    )
    served = stripped(webm)
    assert len(served) == len(webm) and GPS not in served and MEDIA[:100] in served
    assert served[webm.index(tags)] == 0xEC  # a Void element in its place
