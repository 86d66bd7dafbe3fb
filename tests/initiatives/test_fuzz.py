"""Whatever is typed or sent, the start, update and filter forms answer without a server error."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.initiatives.conftest import make_image

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 302, 400}

texts = st.text(max_size=300)
ids = st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), texts)


@FUZZ
@given(
    step=st.one_of(st.sampled_from(["1", "2", "3"]), texts),
    action=st.one_of(st.sampled_from(["next", "back", "confirm"]), texts),
    wish=texts,
    title=texts,
    description=st.text(max_size=5000),
    themes=st.lists(ids, max_size=4),
    need_kind=st.one_of(st.sampled_from(["", "hands", "talent", "money"]), texts),
    need_description=texts,
    need_talent=ids,
    visibility=st.one_of(st.sampled_from(["public", "members"]), texts),
)
def test_the_start_form_never_fails(
    as_user,
    personas,
    step,
    action,
    wish,
    title,
    description,
    themes,
    need_kind,
    need_description,
    need_talent,
    visibility,
):
    client = as_user(personas.daan)
    response = client.post(
        reverse("initiatives:start", args=["ede-zuid"]),
        {
            "step": step,
            "action": action,
            "wish": wish,
            "title": title,
            "description": description,
            "themes": themes,
            "need_kind": need_kind,
            "need_description": need_description,
            "need_talent": need_talent,
            "visibility": visibility,
        },
    )
    assert response.status_code in ANSWERS
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


@FUZZ
@given(
    body=st.text(max_size=2500),
    photo_description=texts,
    photo=st.one_of(
        st.none(),
        st.binary(max_size=2000),
        st.sampled_from(["PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF"]).map(make_image),
    ),
    filename=st.from_regex(r"[a-z0-9]{1,12}\.(png|jpg|gif|webp|bmp|txt|)", fullmatch=True),
)
def test_the_update_form_never_fails(as_user, personas, body, photo_description, photo, filename):
    data = {"body": body, "photo_description": photo_description}
    if photo is not None:
        data["photo"] = SimpleUploadedFile(filename, photo)
    response = as_user(personas.priya).post(
        reverse("initiatives:update_post", args=["ede-zuid", personas.initiative.pk]), data
    )
    assert response.status_code in ANSWERS


@FUZZ
@given(q=texts, status=texts, theme=texts, need=texts, mine=texts, page=texts)
def test_the_filters_never_fail(as_user, personas, q, status, theme, need, mine, page):
    response = as_user(personas.daan).get(
        reverse("initiatives:list", args=["ede-zuid"]),
        {"q": q, "status": status, "theme": theme, "need": need, "mine": mine, "page": page},
    )
    assert response.status_code == 200
