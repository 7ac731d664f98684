import pytest
from django.urls import reverse


@pytest.fixture
def client_(client, db):
    return client


def test_catalogue_renders_in_chinese_by_default(client_):
    response = client_.get(reverse("exercises:exercise-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert ">五点支撑</a>" in html
    assert "每次保持 10 秒，做 10 组" in html
    assert "Hold 10 s, 10 sets" not in html


def test_catalogue_renders_in_english_for_an_english_browser(client_):
    html = client_.get("/exercises/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert ">Five-point bridge</a>" in html
    assert "Hold 10 s, 10 sets" in html
    assert "每次保持 10 秒，做 10 组" not in html


def test_the_language_switcher_sticks(client_):
    response = client_.post("/i18n/setlang/", {"language": "en", "next": "/exercises/"})
    assert response.status_code == 302
    html = client_.get(response.url).content.decode()
    assert '<html lang="en">' in html
    assert ">Five-point bridge</a>" in html
    client_.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ">五点支撑</a>" in client_.get("/").content.decode()


def test_home_is_the_catalogue(client_):
    html = client_.get(reverse("exercises:home")).content.decode()
    assert html.count('class="card"') == 15


def test_filter_form_narrows_the_list_without_javascript(client_):
    html = client_.get("/exercises/", {"phase": "acute"}).content.decode()
    assert ">热敷</a>" in html
    assert ">五点支撑</a>" not in html
    assert 'value="acute" selected' in html


def test_a_bad_filter_value_is_explained_and_the_full_list_shown(client_):
    response = client_.get("/exercises/", {"phase": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert html.count('class="card"') == 15


def test_exercise_detail_page(client_):
    url = reverse("exercises:exercise-detail", kwargs={"key": "superman"})
    html = client_.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Prone back extension (&quot;swallow&quot;)</h1>" in html
    assert "Tighten your back muscles" in html  # instructions
    # CLINICAL.md §1a: the articles give no numbers; the product's starting dose, said so.
    assert "2 sets of 8, hold 3 s, once a day" in html
    assert "Starting dose (not from the articles)" in html
    assert 'class="caution"' in html and "not with lumbar instability" in html
    # Its articles (A1, A3) by title, linked to their pages; never the seed file names (issue 9).
    assert '<a href="/sources/a1/">Leg pain when a herniated lumbar disc' in html
    assert '<a href="/sources/a3/">Calf cramps with low back and buttock pain' in html
    assert ".txt" not in html


def test_an_article_dose_is_not_labelled_a_starting_dose(client_):
    url = reverse("exercises:exercise-detail", kwargs={"key": "five_point_bridge"})
    html = client_.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hold 10 s, 10 sets" in html and "not from the articles" not in html


def test_unknown_exercise_page_is_404(client_):
    assert client_.get("/exercises/yoga/").status_code == 404


def test_programme_pages(client_):
    html = client_.get(reverse("exercises:template-list")).content.decode()
    assert ">急性坐骨神经痛（0–2 周）</a>" in html
    assert html.count('class="card"') == 7
    url = reverse("exercises:template-detail", kwargs={"key": "disc_recovery"})
    html = client_.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Disc herniation recovery</h1>" in html
    assert "Only if there is no lumbar instability" in html
    assert "for 12 weeks" in html
    assert "Hold 10 s, 10 sets" in html
    assert client_.get("/programmes/nothing/").status_code == 404
