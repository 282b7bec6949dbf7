"""What a newcomer noticed at once in an HTML article: the date, the site, the headline
glued to the lead, a company counted as two people, and "Dr." given as a role."""

from pathlib import Path

from bot.corpus import load_corpus
from bot.nlp.entities import analyse_entities

PAGE = """<!doctype html>
<html><head><title>Silicon Forge unveils a new chip plant | TechWire</title>
<meta name="author" content="Dana Ruiz"></head>
<body>
<nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<article>
<h1>Silicon Forge unveils a new chip plant</h1>
<p>Silicon Forge Inc said on Tuesday it will build a chip plant outside Tucson, creating
1,200 jobs by 2027.</p>
<p>"This is the largest investment in our history," chief executive Mara Quill told
reporters. Silicon Forge expects production to begin within three years.</p>
<p>Dr. Elena Park, a hydrologist, said the plant would recycle most of its water.</p>
</article>
<footer>© 2024 TechWire Media. All rights reserved.</footer>
</body></html>"""


def load_page(tmp_path: Path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [article] = load_corpus(tmp_path).articles
    return article


def test_html_metadata_site_from_title_no_footer_date_headline_kept_out(
    tmp_path: Path,
) -> None:
    article = load_page(tmp_path)
    assert article.title == "Silicon Forge unveils a new chip plant"
    assert article.site == "TechWire"
    assert article.author == "Dana Ruiz"
    assert article.date is None, "a © 2024 footer is not the article's date"
    assert article.text.startswith("Silicon Forge Inc said on Tuesday")
    assert "\n\n" in article.text  # paragraphs, as in a .txt article


def test_company_with_and_without_suffix_is_one_organisation(tmp_path: Path, nlp) -> None:
    found = analyse_entities(nlp(load_page(tmp_path).text))
    forge = [e for e in found.entities.values() if "Silicon Forge" in e.name]
    assert [(e.name, e.label) for e in forge] == [("Silicon Forge Inc", "ORG")]


def test_a_courtesy_title_is_not_a_role(nlp) -> None:
    found = analyse_entities(nlp("Dr. Elena Park said the plant would recycle its water."))
    assert found.entities["Elena Park"].role is None
    found = analyse_entities(nlp("President Kassym-Jomart Tokayev said the talks went well."))
    assert found.entities["Kassym-Jomart Tokayev"].role == "President"


def test_a_common_noun_opening_a_sentence_is_no_person(nlp) -> None:
    text = (
        "Turnout at the town hall meeting was high, and residents asked about water use. "
        "Park said the plant would recycle its water, Mara Quill added."
    )
    found = analyse_entities(nlp(text))
    assert "Turnout" not in found.entities
    assert "Mara Quill" in found.entities
