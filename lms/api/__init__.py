"""The JSON API for integrations (/api/v1), authenticated by API tokens that admins issue."""
