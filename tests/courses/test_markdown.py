"""Lesson Markdown: what authors can use comes through; everything else is removed or shown as text."""

from __future__ import annotations

from courses.markdown import markdown_to_html, render_lesson_html


def test_headings_lists_emphasis_code_quotes_and_rules():
    html = markdown_to_html("## Steps\n\n1. **Stop**\n2. *Check*\n\n> Quote\n\n`code`\n\n---\n\n~~old~~")
    for part in (
        "<h2>Steps</h2>",
        "<ol>",
        "<li><strong>Stop</strong></li>",
        "<em>Check</em>",
        "<blockquote>",
        "<code>code</code>",
        "<hr>",
        "<s>old</s>",
    ):
        assert part in html


def test_tables_and_fenced_code():
    html = markdown_to_html("| Term | Meaning |\n|:--|--:|\n| PII | personal data |\n\n```python\nprint('x')\n```")
    assert "<table>" in html and "<th>Term</th>" in html and "<td>personal data</td>" in html
    assert "<pre><code>print('x')\n</code></pre>" in html.replace("&#39;", "'")
    assert "style=" not in html and "class=" not in html


def test_links_get_rel_and_only_safe_schemes_survive():
    html = markdown_to_html("[GOV](https://www.gov.example) [mail](mailto:help@example.gov) [file](/courses/1/files/2)")
    assert '<a href="https://www.gov.example" rel="noopener noreferrer">GOV</a>' in html
    assert 'href="mailto:help@example.gov"' in html and 'href="/courses/1/files/2"' in html
    for bad in ("[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](vbscript:x)", "[x](file:///etc/passwd)"):
        assert "href" not in markdown_to_html(bad), bad


def test_images_from_attachments_keep_src_alt_title():
    html = markdown_to_html('![Chart of reports](/courses/3/files/9 "Reports by month")')
    assert '<img src="/courses/3/files/9" alt="Chart of reports" title="Reports by month">' in html
    assert "src" not in markdown_to_html("![x](data:image/png;base64,AAAA)")


def test_raw_html_is_shown_as_text_and_bare_urls_are_not_linked():
    html = markdown_to_html('<b onclick="x">bold?</b> https://example.gov')
    assert "&lt;b onclick" in html and "<b" not in html and "<a" not in html


def test_render_re_cleans_stored_html_and_marks_it_safe_for_templates():
    shown = render_lesson_html('<h2 id="x" onclick="y">T</h2><iframe src="https://e.example"></iframe>')
    assert str(shown) == "<h2>T</h2>"
    assert hasattr(shown, "__html__") and render_lesson_html("") == ""


def test_images_come_only_from_course_files_and_links_never_into_the_app():
    html = markdown_to_html(
        "![enrol](/courses/9/lessons/56) ![tracker](https://t.example/p.gif) "
        "![chart](/courses/3/files/9) [out](/logout) [admin](/admin/users) [rel](lessons/5) "
        "[proto](//evil.example/x) [top](#steps) [site](https://gov.example/a)"
    )
    assert "/courses/9/lessons/56" not in html and "t.example" not in html
    assert 'src="/courses/3/files/9"' in html
    for gone in ("/logout", "/admin/users", "lessons/5", "//evil.example"):
        assert gone not in html, gone
    assert 'href="#steps"' in html and 'href="https://gov.example/a"' in html
    # Shown in a lesson, an image must come from that lesson's own course, whatever was stored.
    stored = '<p><img src="/courses/3/files/9" alt="a"><img src="/courses/4/files/1" alt="b"></p>'
    assert str(render_lesson_html(stored, course_id=4)) == '<p><img alt="a"><img src="/courses/4/files/1" alt="b"></p>'
