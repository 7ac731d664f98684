"""People see articles by title (CLINICAL.md §6), each linked to a page saying what the product
takes from it; seed file names stay in data and code."""

import re

import pytest

from exercises.models import Exercise, ProgrammeTemplate
from exercises.sources import SOURCES, sources_for_files

SEED_NAME = re.compile(r"\d{3}_[0-9a-f]{16}|\.txt\b")
TITLES = {
    "a0": ("小腿麻木是怎么回事", "What causes calf numbness?"),
    "a1": (
        "腰脱压迫神经导致的腿疼",
        "Leg pain when a herniated lumbar disc presses on a nerve",
    ),
    "a2": (
        "腰突患者必看！腿麻不是好转，是神经在“求救”",
        "Leg numbness in disc herniation is not improvement: the nerve is calling for help",
    ),
    "a3": (
        "小腿痉挛伴腰臀痛？警惕坐骨神经受压的报警信号",
        "Calf cramps with low back and buttock pain: warning signs of sciatic nerve compression",
    ),
}


def test_every_article_has_both_titles_of_clinical_md():
    assert {key: (s.title_zh, s.title_en) for key, s in SOURCES.items()} == TITLES


@pytest.mark.django_db
def test_every_cited_file_name_has_a_title():
    cited = {name for e in Exercise.objects.all() for name in e.sources}
    cited |= {name for t in ProgrammeTemplate.objects.all() for name in t.sources}
    assert cited
    assert [s.file_name for s in sources_for_files(sorted(cited))] == sorted(cited)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "index"), [("zh-hans", 0), ("en", 1)])
def test_a_source_page_is_public_and_says_what_the_product_takes(client, language, index):
    response = client.get("/sources/a3/", HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{TITLES['a3'][index]}</h1>" in html
    assert 'href="/exercises/plank/"' in html  # the exercises it gives
    assert ("no massage and no traction" if index else "不按摩、不牵引") in html
    assert not SEED_NAME.search(html)


@pytest.mark.django_db
def test_an_unknown_source_is_404(client):
    assert client.get("/sources/a9/").status_code == 404


@pytest.mark.django_db
def test_the_list_of_sources(client):
    html = client.get("/sources/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for key, (_, english) in TITLES.items():
        assert f'<a href="/sources/{key}/">{english}</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/exercises/", "/exercises/five_point_bridge/", "/programmes/", "/programmes/disc_recovery/"],
)
def test_catalogue_pages_cite_titles_never_file_names(client, path):
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert not SEED_NAME.search(html), SEED_NAME.search(html)


@pytest.mark.django_db
def test_an_exercise_links_its_articles_by_title(client):
    html = client.get("/exercises/five_point_bridge/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a href="/sources/a0/">What causes calf numbness?</a>' in html
    title = "Leg pain when a herniated lumbar disc presses on a nerve"
    assert f'<a href="/sources/a1/">{title}</a>' in html


def test_the_source_links_tag_for_other_pages():
    """{% source_links flag.sources %}: what a page with file names in its data shows."""
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load article_sources %}{% source_links names %}")
    with translation.override("en"):
        html = template.render(
            Context({"names": ["002_0834f866768f61f9.txt", "000_91ad0826311c97d2.txt"]})
        )

    assert html == (
        '<a href="/sources/a2/">Leg numbness in disc herniation is not improvement: the nerve '
        'is calling for help</a>; <a href="/sources/a0/">What causes calf numbness?</a>'
    )
