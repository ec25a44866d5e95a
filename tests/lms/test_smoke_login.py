from tests.conftest import sign_in


def test_sign_in_and_home(client, make_user):
    user = make_user(name="Ada Lovelace")
    assert client.get("/").status_code == 303
    r = sign_in(client, user.email)
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, Ada Lovelace" in home.text
