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
