"""Copy GOV.UK Frontend's and Leaflet's compiled files from node_modules into the static files build folder.

GOV.UK Frontend's CSS points at fonts and images under an absolute `/assets/` path; we serve them from
`STATIC_URL + "govuk/assets/"`, so those references are rewritten to relative ones while copying.
Leaflet (the air quality map) is copied as published: its CSS points at `images/` beside it. Node is
needed only here, at set-up, never at run time.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Copy GOV.UK Frontend's and Leaflet's compiled CSS, JavaScript and assets into the static build."

    def add_arguments(self, parser):
        parser.add_argument(
            "--node-modules",
            default=str(settings.BASE_DIR / "node_modules"),
            help="Where `npm install` put govuk-frontend (default: node_modules beside the project).",
        )

    def handle(self, *args, node_modules: str, **options):
        source = Path(node_modules) / "govuk-frontend" / "dist" / "govuk"
        if not (source / "govuk-frontend.min.css").exists():
            raise CommandError(f"GOV.UK Frontend is not installed at {source}: run `npm ci` first.")
        target = Path(settings.FRONTEND_BUILD_DIR) / "govuk"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        css = (source / "govuk-frontend.min.css").read_text(encoding="utf-8")
        (target / "govuk-frontend.min.css").write_text(
            css.replace("url(/assets/", "url(assets/"), encoding="utf-8"
        )
        # The source maps go too: the manifest storage checks every file the CSS and JavaScript name.
        for name in ("govuk-frontend.min.css.map", "govuk-frontend.min.js", "govuk-frontend.min.js.map"):
            shutil.copy2(source / name, target / name)
        shutil.copytree(source / "assets", target / "assets")
        self.stdout.write(f"GOV.UK Frontend copied to {target}")
        self._copy_leaflet(Path(node_modules) / "leaflet" / "dist")

    def _copy_leaflet(self, source: Path) -> None:
        if not (source / "leaflet.js").exists():
            raise CommandError(f"Leaflet is not installed at {source}: run `npm ci` first.")
        target = Path(settings.FRONTEND_BUILD_DIR) / "leaflet"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        # The source map goes too: the manifest storage checks the file leaflet.js names.
        for name in ("leaflet.js", "leaflet.js.map", "leaflet.css"):
            shutil.copy2(source / name, target / name)
        shutil.copytree(source / "images", target / "images")
        shutil.copy2(source.parent / "LICENSE", target / "LICENSE")
        self.stdout.write(f"Leaflet copied to {target}")
