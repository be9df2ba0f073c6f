"""The installable app: manifest, service worker at the root scope, offline page, queue state."""

import json

from django.contrib.staticfiles import finders

from xianfeng.core.pwa import SHELL


def test_manifest_names_the_app_and_its_vendored_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"].startswith("application/manifest+json")
    body = json.loads(response.content)
    assert body["name"] == "先锋网格" and body["display"] == "standalone"
    assert body["start_url"] == "/" and body["scope"] == "/"
    sizes = {icon["sizes"] for icon in body["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in body["icons"])
    for icon in body["icons"]:
        assert icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(body.split("self.XF_CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["offline"] == "/offline/" and len(config["version"]) == 12
    assert config["shell"] == [f"/static/{name}" for name in SHELL]
    assert all(finders.find(name) for name in SHELL)  # vendored, no CDN
    assert "importScripts" in body and "http" not in config["queue"]


def test_pages_link_the_manifest_and_register_the_worker(world, login):
    html = login(world.users["grid_worker"]).get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert (
        "js/offline.js" in html
        and f'name="xf-user" content="{world.users["grid_worker"].pk}"' in html
    )


def test_offline_page_and_state(client, world):
    assert "当前无网络" in client.get("/offline/").content.decode()
    anonymous = client.get("/pwa/state/").json()
    assert anonymous["user"] is None and anonymous["csrf"]
    client.force_login(world.users["grid_worker"])
    response = client.get("/pwa/state/")
    assert response.json()["user"] == world.users["grid_worker"].pk
    assert "no-cache" in response["Cache-Control"]


def test_the_offline_texts_come_in_the_pages_language(world, login, settings):
    client = login(world.users["grid_worker"])

    def texts():
        html = client.get("/").content.decode()
        block = html.split('id="xf-offline-text">', 1)[1].split("</script>", 1)[0]
        return json.loads(block)

    chinese = texts()
    assert chinese["pending"] == "已保存，待同步 ({n})" and chinese["conflicts"] == "同步冲突"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = texts()
    assert english["pending"] != chinese["pending"] and "{n}" in english["pending"]
    assert all(english.values())
