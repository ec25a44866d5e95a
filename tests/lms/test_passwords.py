from lms.auth.passwords import hash_password, password_problems, verify_password


def test_length_limits_and_no_truncation():
    assert password_problems("short pass") == ["Use at least 12 characters."]
    long = "correct horse battery staple " * 8  # 232 characters
    assert password_problems(long) == []
    hashed = hash_password(long)
    assert verify_password(long, hashed)[0]
    assert not verify_password(long[:-1], hashed)[0]
    assert password_problems("x" * 257) == ["Use at most 256 characters."]


def test_common_and_personal_passwords_refused():
    assert password_problems("password1234")
    assert password_problems("qwertyuiop123")
    assert password_problems("jane.doe.1990", user_inputs=["jane.doe@example.gov", "Jane Doe"])
    assert password_problems("tangerine-kettle-orbit-51") == []


def test_argon2_is_used():
    assert hash_password("correct horse battery staple").startswith("$argon2id$")
