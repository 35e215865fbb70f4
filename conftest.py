"""Project-wide pytest set-up: only what every app's tests share. Factories live in
digitalcov/core/testing/; browser fixtures in digitalcov/core/testing/browser.py."""

pytest_plugins = ["digitalcov.core.testing.browser"]
