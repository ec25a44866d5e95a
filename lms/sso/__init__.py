"""Single sign-on through the organisation's OpenID Connect provider (docs/sso.md)."""
