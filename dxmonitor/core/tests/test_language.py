def test_pages_are_vietnamese_even_for_an_english_browser(client, registry):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page
    assert '<html lang="vi">' in page


def test_a_person_can_switch_to_english_and_back(client, registry):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log in" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get("/").content.decode()


def test_every_message_has_a_vietnamese_translation():
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = [e for e in po.split("\n\n")[1:] if "msgid" in e]
    assert len(entries) > 100
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not re.search(r'msgstr(\[0\])? ""\s*$', entry), entry
