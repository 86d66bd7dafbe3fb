"""A resident puts a photo from their phone on their profile and sees it, upright; a visitor
who copies its address gets nothing."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from buurtnet.people.models import User
from tests.browser.helpers import check_page, flash, label, tr
from tests.core.photos import camera_jpeg_bytes


@pytest.mark.browser
def test_a_resident_uploads_a_profile_photo_and_sees_it(
    personas, live_server, signed_in, phone, tmp_path
):
    lang = "en"
    User.objects.filter(pk=personas.daan.pk).update(preferred_language=lang)
    upload = tmp_path / "IMG_0001.jpg"
    upload.write_bytes(camera_jpeg_bytes(size=(400, 200), orientation=6))

    page = signed_in(personas.daan, lang=lang).new_page()
    page.goto(f"{live_server.url}{reverse('profile')}")
    page.get_by_label(label(lang, "New photo")).set_input_files(upload)
    page.get_by_role("button", name=tr(lang, "Save my profile")).click()
    expect(flash(page)).to_contain_text(tr(lang, "Your profile is saved."))

    photo = page.get_by_role("img", name=tr(lang, "My current photo"))
    expect(photo).to_be_visible()
    # The browser decoded the file the media view sent: stored upright, 200 wide and 400 high.
    photo.evaluate("img => img.decode()")
    assert photo.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [200, 400]
    check_page(page, lang, "profile-photo")

    address = photo.get_attribute("src")
    visitor = phone(lang=lang).new_page()
    assert visitor.goto(f"{live_server.url}{address}").status == 404
