"""The readers against the real web: legacy encodings, link-only entries, OPML reading
lists and hostile XML, on real files and a real local HTTP server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from digest.check import run_checks
from digest.config import load_settings
from digest.issue import assemble
from digest.models import Article, Problem
from digest.outbox import files_from_rendered
from digest.pipeline import draft
from digest.render import render_issue
from digest.sources import read_sources
from digest.sources.base import RawSource, decode
from digest.sources.opml import ListedFeed, is_reading_list, reading_list
from digest.summarise import summarise
from tests.helpers import QuietHandler, local_http_server

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

# A headline and a few sentences of real text in each language, so that detection has
# what it needs: each is encoded into its legacy encoding by the tests.
SAMPLES = {
    "euc_jp": (
        "東京の桜が満開に",
        "東京都内の公園では今週、桜が一斉に満開となりました。週末には多くの花見客が"
        "訪れると見込まれています。気象庁によると、今年の開花は平年より五日早く、暖かい"
        "日が続いたことが原因だということです。公園の管理者は、ごみを持ち帰るよう呼び"
        "かけています。",
    ),
    "euc_kr": (
        "서울에 첫눈이 내렸다",
        "서울에 올해 첫눈이 내렸습니다. 기상청은 오늘 아침 서울 종로구 관측소에서 첫눈이 "
        "관측되었다고 밝혔습니다. 이는 작년보다 닷새 늦은 것입니다. 시민들은 출근길에 "
        "내리는 눈을 보며 사진을 찍기도 했습니다. 기상청은 내일도 눈이 올 것으로 "
        "예보했습니다.",
    ),
    "gb2312": (
        "北京举行新年音乐会",
        "北京国家大剧院昨晚举行了新年音乐会，来自全国各地的观众欣赏了精彩的演出。乐团"
        "演奏了多首经典作品，现场气氛热烈。主办方表示，今年的音乐会门票在一周内全部"
        "售完。许多观众表示，希望明年还能再来。",
    ),
    "big5": (
        "台北捷運新路線通車",
        "台北捷運的新路線今天正式通車，許多市民一早就來搭乘。市長在開幕典禮上表示，"
        "這條路線將大幅縮短通勤時間。新路線共有十二個車站，全長約十五公里。交通局"
        "預估，每天將有超過十萬人次搭乘。",
    ),
    "koi8_r": (
        "В Москве открылся новый парк",
        "В Москве в субботу открылся новый городской парк на берегу реки. В первый же "
        "день его посетили тысячи жителей столицы. В парке есть детские площадки, "
        "велосипедные дорожки и летний театр. Мэр города сказал, что до конца года "
        "откроются ещё два парка.",
    ),
    "tis_620": (
        "กรุงเทพฯ เปิดสวนสาธารณะแห่งใหม่",
        "กรุงเทพมหานครเปิดสวนสาธารณะแห่งใหม่ริมแม่น้ำเจ้าพระยาเมื่อวันเสาร์ที่ผ่านมา "
        "ประชาชนจำนวนมากเดินทางมาเที่ยวชมตั้งแต่เช้า สวนแห่งนี้มีทางเดิน ลานกีฬา "
        "และพื้นที่สีเขียวขนาดใหญ่ ผู้ว่าราชการกล่าวว่าจะมีการเปิดสวนเพิ่มอีกสองแห่งภายในปีนี้",
    ),
    "cp1255": (
        "נפתח גן ציבורי חדש בתל אביב",
        "בתל אביב נפתח השבוע גן ציבורי חדש על שפת הים. אלפי תושבים הגיעו לבקר בגן כבר "
        "ביום הראשון. בגן יש מגרשי משחקים, שבילי אופניים ובמה לאירועים. ראש העירייה "
        "אמר כי עד סוף השנה ייפתחו עוד שני גנים בעיר.",
    ),
}
ENCODINGS = list(SAMPLES)


def rss(title: str, lead: str, declaration: str = '<?xml version="1.0"?>') -> str:
    """A one-entry RSS feed, its XML declaration naming no encoding by default."""
    return (
        f"{declaration}\n"
        '<rss version="2.0"><channel><title>Nouvelles</title>'
        "<link>https://news.example.com/</link>"
        f"<item><title>{title}</title><link>https://news.example.com/1</link>"
        f"<description>{lead}</description></item></channel></rss>\n"
    )


def page(title: str, lead: str, head: str = "") -> str:
    """An article page with no ``<meta charset>`` unless ``head`` brings one."""
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1><p>{lead}</p></article>"
        "</body></html>\n"
    )


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- a local web server --------------------------------------------------------------


class _Handler(QuietHandler):
    routes: ClassVar[dict[str, tuple[str, bytes]]] = {}
    """``path: (content type, body)``, filled by ``serve``."""

    def do_GET(self) -> None:
        found = self.routes.get(self.path)
        if found is None:
            self.send_error(404)
            return
        self.send(*found)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The local server, answering what the tests ``serve``."""
    _Handler.routes.clear()
    with local_http_server(_Handler) as url:
        yield url


def serve(path: str, content_type: str, body: bytes) -> str:
    _Handler.routes[path] = (content_type, body)
    return path


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_feed_without_an_encoding_declaration_is_detected(tmp_path: Path, encoding: str) -> None:
    title, lead = SAMPLES[encoding]
    path = write(tmp_path / "feed.rss", rss(title, lead).encode(encoding))

    report = read_sources([str(path)])

    assert report.problems == []  # a feed may declare nothing: not the reader's to fix
    [article] = report.articles
    assert article.title == title
    assert [block.text for block in article.blocks] == [lead]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_feed_served_without_a_charset_is_detected(server: str, encoding: str) -> None:
    # feedparser alone reads such a response as ISO-8859-1: mojibake.
    title, lead = SAMPLES[encoding]
    path = serve(f"/feed-{encoding}", "application/rss+xml", rss(title, lead).encode(encoding))

    report = read_sources([server + path])

    assert report.problems == []
    [article] = report.articles
    assert (article.title, article.blocks[0].text) == (title, lead)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_page_without_a_meta_charset_is_detected(tmp_path: Path, encoding: str) -> None:
    title, lead = SAMPLES[encoding]
    path = write(tmp_path / "page.html", page(title, lead).encode(encoding))

    report = read_sources([str(path)])

    assert report.problems == []
    [article] = report.articles
    assert article.title == title
    assert lead in [block.text for block in article.blocks]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_page_served_without_a_charset_is_detected(server: str, encoding: str) -> None:
    title, lead = SAMPLES[encoding]
    path = serve(f"/page-{encoding}", "text/html", page(title, lead).encode(encoding))

    [article] = read_sources([server + path]).articles

    assert article.title == title
    assert lead in [b.text for b in article.blocks]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_file_in_a_legacy_encoding_is_detected_and_noted(
    tmp_path: Path, encoding: str
) -> None:
    title, lead = SAMPLES[encoding]
    path = write(tmp_path / "story.txt", f"{title}\n\n{lead}\n".encode(encoding))

    report = read_sources([str(path)])

    [article] = report.articles
    assert [block.text for block in article.blocks] == [title, lead]
    # Text files are UTF-8 here, so reading one as something else is worth a note.
    [problem] = report.problems
    assert problem.level == "warning"
    assert str(problem).startswith(f"{path}: not valid UTF-8, read as ")
    item = summarise(article)
    assert item.title == title


def test_a_declared_encoding_that_does_not_fit_is_noted_and_the_best_one_used(
    tmp_path: Path,
) -> None:
    # Declared EUC-KR in the XML declaration; the bytes are windows-1255 (Hebrew).
    title, lead = SAMPLES["cp1255"]
    declared = '<?xml version="1.0" encoding="EUC-KR"?>'
    path = write(tmp_path / "feed.rss", rss(title, lead, declared).encode("cp1255"))

    report = read_sources([str(path)])

    [article] = report.articles
    assert (article.title, article.blocks[0].text) == (title, lead)
    assert report.problems == [
        Problem(str(path), "declared EUC-KR, but not valid EUC-KR: read as cp1255", "warning")
    ]
    assert len(str(report.problems[0]).splitlines()) == 1


def test_a_wrong_http_charset_is_noted_for_a_page(server: str) -> None:
    title, lead = SAMPLES["koi8_r"]
    path = serve("/wrong-charset", "text/html; charset=utf-8", page(title, lead).encode("koi8_r"))

    report = read_sources([server + path])

    [article] = report.articles
    assert article.title == title
    assert report.problems == [
        Problem(server + path, "declared utf-8, but not valid utf-8: read as KOI8-R", "warning")
    ]


def test_a_wrong_meta_charset_is_noted_and_a_right_one_respected(tmp_path: Path) -> None:
    title, lead = SAMPLES["big5"]
    wrong = write(
        tmp_path / "wrong.html",
        page(title, lead, '<meta charset="utf-8">').encode("big5"),
    )
    right = write(
        tmp_path / "right.html",
        page(
            title, lead, '<meta http-equiv="Content-Type" content="text/html; charset=big5">'
        ).encode("big5"),
    )

    report = read_sources([str(wrong), str(right)])

    assert [a.title for a in report.articles] == [title, title]
    assert report.problems == [
        Problem(str(wrong), "declared utf-8, but not valid utf-8: read as Big5", "warning")
    ]


def test_a_declared_encoding_that_decodes_is_used_even_if_detection_would_differ() -> None:
    # windows-1251 bytes of Russian text also decode as KOI8-R: the declaration decides.
    title, lead = SAMPLES["koi8_r"]
    data = f"{title}\n{lead}\n".encode("cp1251")

    decoded = decode(RawSource("a.txt", data, charset="windows-1251"))

    assert (decoded.text, decoded.encoding, decoded.problem) == (
        f"{title}\n{lead}\n",
        "cp1251",
        None,
    )


def test_a_byte_order_mark_wins_over_any_declaration() -> None:
    title, lead = SAMPLES["gb2312"]
    data = b"\xef\xbb\xbf" + rss(title, lead, '<?xml version="1.0" encoding="big5"?>').encode()

    raw = RawSource("feed.rss", data, charset="iso-8859-1")
    from digest.sources.feed import FeedReader

    report = FeedReader().read(raw)

    assert report.problems == []
    assert report.articles[0].title == title


def test_legacy_labels_are_read_as_their_supersets_and_latin1_labelled_utf8_as_utf8() -> None:
    # GBK-only characters in a "GB2312" document, as in most real ones.
    assert decode(RawSource("a", "镕".encode("gbk"), charset="gb2312")).text == "镕"
    assert decode(RawSource("a", b"\x93quoted\x94", charset="iso-8859-1")).text == "“quoted”"
    utf8 = decode(RawSource("a", "café".encode(), charset="ISO-8859-1"))
    assert utf8.text == "café"
    assert utf8.problem == Problem(
        "a", "declared ISO-8859-1, but not valid ISO-8859-1: read as UTF-8", "warning"
    )


def test_western_text_is_still_cp1252() -> None:
    data = "Café “quoted” – ok\n".encode("cp1252")

    decoded = decode(RawSource("win.txt", data))

    assert (decoded.text, decoded.encoding) == ("Café “quoted” – ok\n", "cp1252")


# --- link-only entries ---------------------------------------------------------------


def test_link_only_entries_are_link_articles_not_skipped() -> None:
    report = read_sources([str(FIXTURES / "links.rss"), str(FIXTURES / "links.atom")])

    assert report.problems == []
    assert [(a.kind, a.title, a.url, a.blocks) for a in report.articles] == [
        ("link", "A tiny Lisp in 200 lines of Rust", "https://blog.example.org/tiny-lisp", ()),
        (
            "link",
            "The harbour's new tide gauge goes online",
            "https://port.example.net/tide-gauge",
            (),
        ),
        (
            "link",
            "Why the old ferry timetable still works",
            "https://board.example.com/r/transit/comments/103/",
            (),
        ),
        ("link", "Mapping every bench on the promenade", "https://maps.example.org/benches", ()),
    ]


def test_an_entry_with_text_of_its_own_is_an_article(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.rss",
        rss("Council agrees budget", "The council met on Monday. <a href='x'>More</a>").encode(),
    )

    [article] = read_sources([str(path)]).articles

    assert article.kind == "article"
    assert [b.text for b in article.blocks] == ["The council met on Monday. More"]


def test_a_link_only_item_has_its_title_and_no_lead() -> None:
    [article, *_] = read_sources([str(FIXTURES / "links.rss")]).articles

    item = summarise(article)

    assert (item.kind, item.title, item.lead) == ("link", article.title, "")
    assert item.url == "https://blog.example.org/tiny-lisp"
    assert item.model_dump(mode="json")["kind"] == "link"
    assert "kind" not in summarise(Article("a.txt", ())).model_dump(mode="json")


def test_an_aggregator_feed_makes_an_issue_that_passes_its_checks(tmp_path: Path) -> None:
    settings = load_settings(
        None, sources=[str(FIXTURES / "links.rss")], outbox=str(tmp_path / "outbox")
    )

    outcome = draft(settings, now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))

    assert outcome.problems == []
    assert outcome.issue is not None and outcome.rendered is not None
    assert [i.title for i in outcome.issue.items] == [
        "A tiny Lisp in 200 lines of Rust",
        "The harbour's new tide gauge goes online",
        "Why the old ferry timetable still works",
    ]
    html, text = outcome.rendered.html, outcome.rendered.text
    assert 'href="https://blog.example.org/tiny-lisp"' in html
    assert "https://blog.example.org/tiny-lisp" in text
    assert "blog.example.org" in text  # the domain label
    assert "min read" not in text.split("IN THIS ISSUE")[1].split("-" * 78, 1)[1]
    findings = run_checks(files_from_rendered(outcome.issue, outcome.rendered), settings)
    assert [f for f in findings if f.severity == "error"] == []


# --- OPML reading lists --------------------------------------------------------------


def test_reading_list_gives_each_feed_once_with_its_name_and_category() -> None:
    raw = RawSource("list.opml", (FIXTURES / "reading-list.opml").read_bytes())

    listed = reading_list(raw)

    assert listed.feeds == [
        ListedFeed("https://news.example.org/feed", "Port Ellery News", "News"),
        ListedFeed("https://lights.example.org/atom", "Harbour Lights", "News / Local"),
        ListedFeed("https://news.example.com/rss", "Link Board", "Tech"),
    ]
    # The folder outlines and the blog without a feed name no feed; a file URL is refused.
    assert listed.problems == [
        Problem(
            "list.opml",
            "1 outline skipped: not an http(s) feed URL ('file:///etc/passwd')",
            "warning",
        )
    ]


def test_reading_lists_are_known_by_their_extension() -> None:
    assert is_reading_list("subscriptions.opml")
    assert is_reading_list("https://example.com/me/feeds.OPML?x=1")
    assert not is_reading_list("https://example.com/feed.xml")
    assert not is_reading_list("news/")


def test_a_broken_reading_list_is_one_line_problem(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.opml", b"<opml version='2.0'><body><outline text=")
    html = write(tmp_path / "page.opml", b"<html><body><p>Not a list</p></body></html>")

    report = read_sources([str(broken), str(html)])

    assert report.articles == []
    assert [str(p) for p in report.problems] == [
        f"{broken}: not a readable OPML reading list: not well-formed XML"
        " (unclosed token, line 1 column 27)",
        f"{html}: not a readable OPML reading list: no <opml> element",
    ]
    assert {p.level for p in report.problems} == {"error"}
    assert all(len(str(p).splitlines()) == 1 for p in report.problems)


def test_a_reading_list_names_feeds_read_from_the_web(server: str, tmp_path: Path) -> None:
    feed = serve("/list/feed.rss", "application/rss+xml", (FIXTURES / "feed.rss").read_bytes())
    atom = serve(
        "/list/links.atom", "application/atom+xml", (FIXTURES / "links.atom").read_bytes()
    )
    opml = f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline text="City">
    <outline text="Port Ellery News" type="rss" xmlUrl="{server}{feed}"/>
  </outline>
  <outline text="Quay Links" type="rss" xmlUrl="{server}{atom}"/>
  <outline text="Port Ellery News (copy)" type="rss" xmlUrl="{server}{feed}"/>
</body></opml>
"""
    path = write(tmp_path / "mine.opml", opml.encode())
    served = serve("/list/mine.opml", "text/x-opml", opml.encode())

    for source in (str(path), server + served):
        report = read_sources([source, server + feed])  # the feed named again: read once

        assert report.problems == []
        assert [(a.source, a.source_name, a.category) for a in report.articles] == [
            (server + feed, "Port Ellery News", "City"),
        ] * 3 + [(server + atom, "Quay Links", None)]
        assert report.articles[0].title == "Harbour Bridge reopens to cyclists"
        assert report.articles[3].kind == "link"


def test_a_reading_list_from_the_web_may_not_name_private_addresses(server: str) -> None:
    from digest.sources import read as read_module

    opml = b"""<opml version="2.0"><body>
<outline text="Inside" type="rss" xmlUrl="http://10.0.0.7/feed"/></body></opml>"""
    path = serve("/list/private.opml", "text/x-opml", opml)

    # The list's own host (loopback) is private, so it may name private feeds...
    assert read_module._may_list(server + path, "http://10.0.0.7/feed", None)
    # ...while a list on a public host may not (the same rule as for redirects).
    public = {"lists.example.com": ["93.184.216.34"]}

    def resolve(host: str) -> list[str]:
        if host in public:
            return public[host]
        raise OSError("unknown host")

    assert not read_module._may_list(
        "https://lists.example.com/list.opml", "http://10.0.0.7/feed", resolve
    )


# --- hostile input -------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE {root} [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
"""
FEED_BODY = (
    '<rss version="2.0"><channel><title>Evil</title><link>https://evil.example.com/</link>'
    "<item><title>Look {ref}</title><link>https://evil.example.com/1</link>"
    "<description>The council met on Monday. {ref} It agreed the budget.</description>"
    "</item></channel></rss>"
)


def _shown(report) -> str:
    return " ".join(
        [str(a.title) for a in report.articles]
        + [b.text for a in report.articles for b in a.blocks]
        + [str(p) for p in report.problems]
    )


@pytest.mark.parametrize(
    ("prolog", "ref"), [(BILLION_LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;")], ids=["laughs", "xxe"]
)
def test_hostile_feeds_expand_no_entity(
    tmp_path: Path, server: str, prolog: str, ref: str
) -> None:
    # feedparser drops a DOCTYPE's entity declarations but plain-text ones, and
    # never loads external entities: the references stay unexpanded.
    data = (prolog.format(root="rss") + FEED_BODY.format(ref=ref)).encode()
    path = write(tmp_path / "evil.rss", data)
    url = server + serve(f"/evil-{ref[1:-1]}", "application/rss+xml", data)

    started = time.perf_counter()
    reports = [read_sources([str(path)]), read_sources([url])]
    assert time.perf_counter() - started < 5

    for report in reports:
        [article] = report.articles
        shown = _shown(report)
        assert "lollol" not in shown and "root:" not in shown
        assert len(shown) < 500
        assert article.title.startswith("Look")
        assert "The council met on Monday." in article.blocks[0].text


@pytest.mark.parametrize(
    ("prolog", "ref"), [(BILLION_LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;")], ids=["laughs", "xxe"]
)
def test_hostile_reading_lists_are_refused(tmp_path: Path, prolog: str, ref: str) -> None:
    body = f'<opml version="2.0"><body><outline text="{ref}" xmlUrl="https://a.example/{ref}"/>'
    path = write(
        tmp_path / "evil.opml", (prolog.format(root="opml") + body + "</body></opml>").encode()
    )

    report = read_sources([str(path)])

    assert report.articles == []
    assert [str(p) for p in report.problems] == [
        f"{path}: not a readable OPML reading list: it declares entities"
        " (refused: they could expand or read files)"
    ]


def test_hostile_page_expands_no_entity(tmp_path: Path) -> None:
    lead = "The council met on Monday to agree the budget for the coming year. &xxe; " * 3
    doc = EXTERNAL.format(root="html") + page("Look &xxe;", lead)
    path = write(tmp_path / "evil.html", doc.encode())

    report = read_sources([str(path)])

    assert "root:" not in _shown(report)


def test_template_syntax_and_markup_in_sources_come_out_literally(tmp_path: Path) -> None:
    title = "Why {{ 7*7 }} is not 49 {% if true %}yes{% endif %} <b>bold</b>"
    lead = (
        "The parser saw {{ 7*7 }} and {% for x in y %}loops{% endfor %} in the title. "
        "<script>alert(1)</script> stayed text, as did {# a comment #}."
    )
    escape = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay</title>'
        "<id>tag:quay.example.com,2024:feed</id><updated>2024-11-04T12:00:00Z</updated>"
        "<entry><id>tag:quay.example.com,2024:1</id><updated>2024-11-04T12:00:00Z</updated>"
        '<link href="https://quay.example.com/1"/>'
        f'<title type="text">{"".join(escape.get(c, c) for c in title)}</title>'
        f'<content type="text">{"".join(escape.get(c, c) for c in lead)}</content>'
        "</entry></feed>"
    )
    path = write(tmp_path / "feed.atom", atom.encode())
    [article] = read_sources([str(path)]).articles
    item = summarise(article)
    settings = load_settings(None)
    issue = assemble(
        [item],
        newsletter="The Digest",
        number=1,
        day=date(2026, 11, 24),
        created_at=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )

    rendered = render_issue(issue, settings)

    assert item.title == title
    assert "{{ 7*7 }}" in item.lead
    for html_text in (
        "{{ 7*7 }}",
        "{% if true %}yes{% endif %}",
        "{% for x in y %}",
        "{# a comment #}",
    ):
        assert html_text in rendered.html
        assert html_text in " ".join(rendered.text.split())
    assert "49 is not 49" not in rendered.html
    assert "<script>alert(1)</script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<b>bold</b>" not in rendered.html and "&lt;b&gt;bold&lt;/b&gt;" in rendered.html
    findings = run_checks(files_from_rendered(issue, rendered), settings)
    assert [f for f in findings if f.check == "leftover"] == []
