import shutil

import pytest

from bot import launcher, settings, training


def test_defaults_are_the_documented_ports():
    conf = settings.load({})
    assert (conf.rasa_port, conf.action_port, conf.web_port) == (5005, 5055, 8080)
    assert conf.action_endpoint == "http://127.0.0.1:5055/webhook"
    assert conf.cors_origins == ("http://localhost:8080", "http://127.0.0.1:8080")


def test_ports_and_origins_come_from_the_environment():
    conf = settings.load({"RASA_PORT": "6005", "ACTION_PORT": "6055", "WEB_PORT": "6080",
                          "CORS_ORIGINS": "https://www.hauts-de-seine.fr, https://x.fr"})
    assert (conf.rasa_port, conf.action_port, conf.web_port) == (6005, 6055, 6080)
    assert conf.cors_origins == ("https://www.hauts-de-seine.fr", "https://x.fr")
    assert "6005" in launcher.rasa_server_cmd(conf)


def test_bad_port_is_refused_with_its_name():
    with pytest.raises(SystemExit, match="RASA_PORT"):
        settings.load({"RASA_PORT": "cinq"})


def test_http_api_is_never_open_without_a_token():
    open_cmd = launcher.rasa_server_cmd(settings.load({}))
    assert "--enable-api" not in open_cmd
    guarded = launcher.rasa_server_cmd(settings.load({"RASA_API_TOKEN": "s3cret"}))
    i = guarded.index("--enable-api")
    assert guarded[guarded.index("--auth-token") + 1] == "s3cret" and i >= 0


def test_cors_allow_list_reaches_the_rasa_server():
    cmd = launcher.rasa_server_cmd(settings.load({"CORS_ORIGINS": "https://a.fr"}))
    assert cmd[cmd.index("--cors") + 1] == "https://a.fr"
    assert "*" not in cmd


def test_fingerprint_changes_with_training_data_and_not_otherwise(tmp_path):
    for name in ("config.yml", "domain", "data"):
        src = settings.ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    before = training.fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("not a training input")
    assert training.fingerprint(tmp_path) == before
    nlu = next((tmp_path / "data" / "nlu").glob("*.yml"))
    nlu.write_text(nlu.read_text() + "\n")
    assert training.fingerprint(tmp_path) != before


# --- one declaration of the settings, documented where an operator looks ----------

def _setting_names() -> set:
    import re
    source = (settings.ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env(?:\.get\(|, )"([A-Z][A-Z0-9_]+)"', source))


def test_every_setting_is_documented_for_operators():
    documented = ((settings.ROOT / "README.md").read_text(encoding="utf-8")
                  + (settings.ROOT / "docs" / "deployment.md").read_text(encoding="utf-8"))
    names = _setting_names()
    assert {"RASA_PORT", "DB_RETRY_SECONDS", "PUBLIC_RASA_URL"} <= names
    missing = sorted(n for n in names if f"`{n}" not in documented)
    assert not missing, f"settings read in bot/settings.py but documented nowhere: {missing}"


def test_settings_are_read_only_in_bot_settings():
    # The process environment is read in one place (bot/settings.py); the clock's
    # BOT_NOW (read at every call, for tests and demos) is the one exception.
    import re
    readers = []
    for path in sorted((settings.ROOT / "bot").rglob("*.py")):
        if path.name in ("settings.py", "clock.py"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"os\.environ\.get\(|os\.getenv\(", line):
                readers.append(f"{path.relative_to(settings.ROOT)}: {line.strip()}")
    assert not readers, "\n".join(readers)


def test_seconds_settings_refuse_bad_values():
    assert settings.load({"DB_RETRY_SECONDS": "2.5"}).db_retry_seconds == 2.5
    with pytest.raises(SystemExit, match="DB_RETRY_SECONDS"):
        settings.load({"DB_RETRY_SECONDS": "quinze"})
    with pytest.raises(SystemExit, match="EVENT_PUBLISH_TIMEOUT"):
        settings.load({"EVENT_PUBLISH_TIMEOUT": "-1"})
